"""The device side of numlir.cuda: whether a GPU is there (``is_available``, ``detect``),
devices, streams, events and ``synchronize``.

The driver (libcuda.so.1) is looked for at run time; nothing CUDA is needed to build, install
or import numlir. The simulator stands in for a device where none is: streams run their work
in order at once, and events read the host's clock.
"""
import time

from .. import _core


class CudaSupportError(RuntimeError):
    """No usable GPU: no driver, no device, or numlir cannot run kernels on it."""


class CudaAPIError(RuntimeError):
    """The CUDA driver reported an error (a kernel's illegal address shows at the next
    synchronization): the call and the driver's code."""


class CudaSimulatorError(RuntimeError):
    """The simulator found a kernel doing what would hang or corrupt memory on a device: a
    barrier not every thread of the block reaches, or warp intrinsics in threads that do not meet."""


def _driver_reason():
    """Why there is no usable device (None where there is one): the driver's answer
    (src/backend/cuda/driver.rs), asked once."""
    from .._core import _cuda_unavailable_reason
    return _cuda_unavailable_reason()


def on_device():
    """Whether numlir.cuda works on a GPU now (not the simulator, and a device is there)."""
    from .. import config
    return not config.CUDA_SIMULATOR and _driver_reason() is None


def is_available():
    """Whether kernels can run on a GPU here."""
    return _driver_reason() is None


def _require_device():
    reason = _driver_reason()
    if reason is not None:
        raise CudaSupportError(f"cannot launch a kernel on a GPU: {reason}")


def detect():
    """Prints what devices there are (numba's cuda.detect()); True when one is usable."""
    reason = _driver_reason()
    if reason is None:
        count = _core._cuda_device_count()
        print(f"Found {count} CUDA device(s)")
        for index in range(count):
            _core._cuda_select_device(index)
            name, cc = _core._cuda_device_info()
            print(f"  {index}: {name} (compute capability {cc[0]}.{cc[1]})")
        _core._cuda_select_device(get_current_device().id)
        return True
    print(f"No usable CUDA device: {reason}")
    return False


def _default_cc():
    """The compute capability PTX is made for: the current device's, or without one sm_90 (H100)."""
    return get_current_device().compute_capability


class Device:
    """A device: the GPU the driver reports, or the simulator's stand-in."""

    def __init__(self, index=0):
        self.id = index
        if _driver_reason() is None:
            _core._cuda_select_device(index)
            name, self.compute_capability = _core._cuda_device_info()
            self.name = name.encode()
        else:
            self.name = b"numlir simulator"
            self.compute_capability = (9, 0)

    def reset(self):
        pass

    def __repr__(self):
        return f"<CUDA device {self.id} '{self.name.decode()}'>"


# The current device, made on first use (asking the driver is not free).
_current = None


def select_device(index):
    global _current
    count = _core._cuda_device_count() if _driver_reason() is None else 1
    if not 0 <= index < count:
        raise CudaSupportError(f"there is no device {index}: numlir sees {count}")
    _current = Device(index)
    return _current


def get_current_device():
    global _current
    if _current is None:
        _current = Device(0)
    return _current


def close():
    pass


def synchronize():
    """Waits for all work on the device (kernels run to completion in the simulator)."""
    if on_device():
        _core._cuda_synchronize()


class Stream:
    """A queue of work (``cuda.stream()``): a driver stream on a device; in the simulator,
    work runs in order at once. ``handle`` is the driver's (0: the default stream)."""

    def __init__(self, handle=0, owned=False):
        self.handle = handle
        self._owned = owned

    def __del__(self):
        if self._owned and self.handle:
            try:
                _core._cuda_call("stream_destroy", self.handle)
            except Exception:
                pass

    def synchronize(self):
        if self.handle or on_device():
            _core._cuda_call("stream_synchronize", self.handle)

    def auto_synchronize(self):
        import contextlib
        return contextlib.nullcontext(self)

    def __repr__(self):
        return "<CUDA stream>"


_default_stream = Stream()


def stream():
    if on_device():
        return Stream(_core._cuda_create("stream"), owned=True)
    return Stream()


def default_stream():
    return _default_stream


def per_thread_default_stream():
    return _default_stream


class Event:
    """``cuda.event()``: ``record()`` marks a time, ``elapsed_time(other)`` (milliseconds):
    a driver event on a device, the host's clock in the simulator."""

    def __init__(self, timing=True):
        self._time = None
        self._handle = _core._cuda_create("event") if on_device() else 0

    def __del__(self):
        if self._handle:
            try:
                _core._cuda_call("event_destroy", self._handle)
            except Exception:
                pass

    def record(self, stream=0):
        if self._handle:
            _core._cuda_call("event_record", self._handle, stream_handle(stream))
        self._time = time.perf_counter()

    def synchronize(self):
        if self._handle:
            _core._cuda_call("event_synchronize", self._handle)

    def wait(self, stream=0):
        pass

    def query(self):
        return True

    def elapsed_time(self, end):
        if self._time is None or end._time is None:
            raise RuntimeError("elapsed_time() needs both events recorded")
        if self._handle and end._handle:
            return _core._cuda_call("event_elapsed", self._handle, end._handle)
        return (end._time - self._time) * 1e3


def stream_handle(stream):
    """The driver's handle of a launch's or copy's stream (0 or None: the default stream)."""
    return stream.handle if isinstance(stream, Stream) else 0


def event(timing=True):
    return Event(timing)


def event_elapsed_time(start, end):
    return start.elapsed_time(end)
