"""The device side of numlir.cuda: whether a GPU is there (``is_available``, ``detect``),
devices, streams, events and ``synchronize``.

The driver (libcuda.so.1) is looked for at run time; nothing CUDA is needed to build, install
or import numlir. The simulator stands in for a device where none is: streams run their work
in order at once, and events read the host's clock.
"""
import ctypes
import ctypes.util
import time


class CudaSupportError(RuntimeError):
    """No usable GPU: no driver, no device, or numlir cannot run kernels on it."""


class CudaSimulatorError(RuntimeError):
    """The simulator found a kernel doing what would hang or corrupt memory on a device: a
    barrier not every thread of the block reaches, or warp intrinsics in threads that do not meet."""


def _driver_reason():
    """Why there is no usable device (None where there is one)."""
    try:
        ctypes.CDLL("libcuda.so.1")
    except OSError as error:
        return f"the CUDA driver (libcuda.so.1) cannot be loaded: {error}"
    return ("numlir's device runtime is not available in this build; run kernels in the simulator "
            "(NUMLIR_CUDA_SIM=1 or numlir.config.CUDA_SIMULATOR = True)")


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
        print("Found a CUDA device")
        return True
    print(f"No usable CUDA device: {reason}")
    return False


def _default_cc():
    """The compute capability PTX is made for without a device: sm_90 (H100)."""
    return (9, 0)


class Device:
    """The simulated device (numba's simulator also reports one)."""

    def __init__(self, index=0):
        self.id = index
        self.name = b"numlir simulator"
        self.compute_capability = _default_cc()

    def reset(self):
        pass

    def __repr__(self):
        return f"<CUDA device {self.id} '{self.name.decode()}'>"


_current = Device(0)


def select_device(index):
    global _current
    if index != 0:
        raise CudaSupportError(f"there is no device {index}: numlir sees one (the simulator)")
    _current = Device(index)
    return _current


def get_current_device():
    return _current


def close():
    pass


def synchronize():
    """Waits for all work on the device (kernels run to completion in the simulator)."""


class Stream:
    """A queue of work (``cuda.stream()``): in the simulator, work runs in order at once."""

    def synchronize(self):
        pass

    def auto_synchronize(self):
        import contextlib
        return contextlib.nullcontext(self)

    def __repr__(self):
        return "<CUDA stream>"


_default_stream = Stream()


def stream():
    return Stream()


def default_stream():
    return _default_stream


def per_thread_default_stream():
    return _default_stream


class Event:
    """``cuda.event()``: ``record()`` marks a time, ``elapsed_time(other)`` (milliseconds)."""

    def __init__(self, timing=True):
        self._time = None

    def record(self, stream=0):
        self._time = time.perf_counter()

    def synchronize(self):
        pass

    def wait(self, stream=0):
        pass

    def query(self):
        return True

    def elapsed_time(self, end):
        if self._time is None or end._time is None:
            raise RuntimeError("elapsed_time() needs both events recorded")
        return (end._time - self._time) * 1e3


def event(timing=True):
    return Event(timing)


def event_elapsed_time(start, end):
    return start.elapsed_time(end)
