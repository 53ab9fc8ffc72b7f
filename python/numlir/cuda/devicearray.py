"""Device arrays: ``cuda.to_device``, ``cuda.device_array``, ``device_array_like``,
``pinned_array``, ``.copy_to_host()``, ``.copy_to_device()``, slicing, and
``__cuda_array_interface__``.

A device array is memory on the GPU (a ``numlir._core.DeviceBuffer``, freed when the last
array using it goes) with a shape, strides and dtype; in the simulator, host memory the
array owns stands for it (a NumPy array), which kernels read and write in place.
"""
import numpy as np

from .. import _core
from .driver import on_device, stream_handle


class DeviceNDArray:
    """An array in device memory (numba's DeviceNDArray): shape, dtype, size, ndim, strides,
    ``copy_to_host()``, ``copy_to_device()``, slicing (a view), ``len()``."""

    def __init__(self, data=None, stream=0, *, shape=None, strides=None, dtype=None, pointer=None, owner=None):
        self.stream = stream
        if data is not None:  # the simulator's: host memory stands for the device's
            self._data = data
            return
        self._data = None
        self._shape, self._strides, self._dtype = tuple(shape), tuple(strides), np.dtype(dtype)
        self._pointer = pointer  # the address of element 0 in device memory
        self._owner = owner      # what keeps the memory alive (a DeviceBuffer, a foreign array)

    @property
    def on_device(self):
        return self._data is None

    shape = property(lambda self: self._data.shape if self._data is not None else self._shape)
    dtype = property(lambda self: self._data.dtype if self._data is not None else self._dtype)
    strides = property(lambda self: self._data.strides if self._data is not None else self._strides)
    ndim = property(lambda self: len(self.shape))
    size = property(lambda self: int(np.prod(self.shape, dtype=np.int64)))
    nbytes = property(lambda self: self.size * self.dtype.itemsize)

    @property
    def T(self):
        if self._data is not None:
            return DeviceNDArray(self._data.T, self.stream)
        return self._view(self._shape[::-1], self._strides[::-1], self._pointer)

    def __len__(self):
        return self.shape[0]

    def __repr__(self):
        return f"<numlir.cuda DeviceNDArray shape={self.shape} dtype={self.dtype}>"

    def _view(self, shape, strides, pointer):
        return DeviceNDArray(stream=self.stream, shape=shape, strides=strides, dtype=self._dtype,
                             pointer=pointer, owner=self._owner)

    def _template(self):
        """A NumPy array of this shape and these strides over one element of host memory:
        indexing it gives a view's shape, strides and offset without touching memory."""
        base = np.zeros(1, self._dtype)
        view = np.lib.stride_tricks.as_strided(base, self._shape, self._strides)
        return view, base.__array_interface__["data"][0]

    def __getitem__(self, index):
        if self._data is not None:
            view = self._data[index]
            return DeviceNDArray(view, self.stream) if isinstance(view, np.ndarray) else view
        index = index if isinstance(index, tuple) else (index,)
        if not any(i is Ellipsis for i in index):
            index = index + (Ellipsis,)  # a 0-d view, not an element read, for an int index
        template, base = self._template()
        view = template[index]
        pointer = self._pointer + (view.__array_interface__["data"][0] - base)
        result = self._view(view.shape, view.strides, pointer)
        return result.copy_to_host()[()] if view.ndim == 0 else result

    def __setitem__(self, index, value):
        if self._data is not None:
            self._data[index] = value._data if isinstance(value, DeviceNDArray) else value
            return
        target = self[index]
        if not isinstance(target, DeviceNDArray):  # one element: a 0-d view of it
            index = index if isinstance(index, tuple) else (index,)
            template, base = self._template()
            view = template[index + (Ellipsis,)]
            target = self._view((), (), self._pointer + (view.__array_interface__["data"][0] - base))
        host = target.copy_to_host()
        host[...] = value.copy_to_host() if isinstance(value, DeviceNDArray) else value
        target.copy_to_device(host)

    def _contiguous(self):
        """'C' or 'F' where the elements fill one block of memory in that order, else None."""
        probe = np.lib.stride_tricks.as_strided(np.zeros(1, self.dtype), self.shape, self.strides)
        return "C" if probe.flags.c_contiguous else "F" if probe.flags.f_contiguous else None

    def copy_to_host(self, ary=None, stream=0):
        """The array's contents in host memory: a new NumPy array, or written into ``ary``."""
        if self._data is not None:
            if ary is None:
                return np.array(self._data, copy=True)
            _check_same(ary, self, "copy_to_host")
            np.copyto(ary, self._data)
            return ary
        order = self._contiguous()
        if order is None:
            # A strided view: the block of memory it spans, then NumPy's view of that block.
            span, first = _span(self.shape, self.strides, self.dtype.itemsize)
            block = np.empty(span, np.uint8)
            _copy("dtoh", block, self._pointer + first, span, stream or self.stream)
            host = np.lib.stride_tricks.as_strided(block[-first:].view(self.dtype) if first else block.view(self.dtype),
                                                   self.shape, self.strides).copy()
        else:
            host = np.empty(self.shape, self.dtype, order=order)
            if self.nbytes:
                _copy("dtoh", host, self._pointer, self.nbytes, stream or self.stream)
        if ary is None:
            return host
        _check_same(ary, self, "copy_to_host")
        np.copyto(ary, host)
        return ary

    def copy_to_device(self, ary, stream=0):
        """Writes ``ary`` (a NumPy or device array of the same shape and dtype) into this array."""
        if self._data is not None:
            source = ary._data if isinstance(ary, DeviceNDArray) else np.asarray(ary)
            _check_same(source, self, "copy_to_device")
            np.copyto(self._data, source)
            return
        _check_same(ary, self, "copy_to_device")
        order = self._contiguous()
        if isinstance(ary, DeviceNDArray) and order is not None and ary._contiguous() == order:
            if self.nbytes:
                _core._cuda_copy("dtod", self._pointer, ary._pointer, self.nbytes, stream_handle(stream or self.stream))
            return
        host = ary.copy_to_host() if isinstance(ary, DeviceNDArray) else np.asarray(ary)
        if order is None:
            raise ValueError("copying into a strided device array view is not supported; copy into a contiguous one")
        host = np.asarray(host, order=order)
        if self.nbytes:
            _copy("htod", self._pointer, host, self.nbytes, stream or self.stream)

    def copy_to_host_async(self, ary=None, stream=0):
        return self.copy_to_host(ary, stream)

    def is_c_contiguous(self):
        return self._data.flags.c_contiguous if self._data is not None else self._contiguous() == "C"

    def is_f_contiguous(self):
        return self._data.flags.f_contiguous if self._data is not None else self._contiguous() == "F"

    def reshape(self, *shape, order="C"):
        if self._data is not None:
            return DeviceNDArray(self._data.reshape(*shape, order=order), self.stream)
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], tuple) else shape
        if self._contiguous() != order and self.ndim > 1:
            raise ValueError(f"reshape of a device array in {order} order needs it contiguous in that order")
        # NumPy's shape arithmetic (-1 included) on a stand-in of the same size.
        new = np.lib.stride_tricks.as_strided(np.zeros(1, self.dtype), (self.size,), (self.dtype.itemsize,)).reshape(shape, order=order)
        return self._view(new.shape, new.strides, self._pointer)

    def ravel(self, order="C"):
        return self.reshape(-1, order=order)

    def split(self, section, stream=0):
        return [self[i:i + section] for i in range(0, len(self), section)]

    @property
    def __cuda_array_interface__(self):
        if self._data is not None:
            # The simulator's "device pointer" is the host address of the memory standing for it.
            interface = self._data.__array_interface__
            return {"shape": interface["shape"], "typestr": interface["typestr"], "data": interface["data"],
                    "strides": interface["strides"], "version": 3, "stream": None}
        c_order = self._contiguous() == "C"
        return {"shape": self.shape, "typestr": self.dtype.str, "data": (self._pointer, False),
                "strides": None if c_order else self.strides, "version": 3, "stream": None}


def _span(shape, strides, itemsize):
    """The bytes a strided array covers, and the (non-positive) offset of its lowest byte."""
    low = sum(s * (n - 1) for s, n in zip(strides, shape) if s < 0 and n)
    high = sum(s * (n - 1) for s, n in zip(strides, shape) if s > 0 and n)
    return high - low + itemsize, low


def _copy(kind, destination, source, nbytes, stream):
    """A driver copy between device addresses and NumPy arrays (kept alive for the call)."""
    address = lambda x: x.__array_interface__["data"][0] if isinstance(x, np.ndarray) else x
    _core._cuda_copy(kind, address(destination), address(source), nbytes, stream_handle(stream))


def _check_same(a, b, what):
    if tuple(a.shape) != tuple(b.shape) or np.dtype(a.dtype) != np.dtype(b.dtype):
        raise ValueError(f"{what}: arrays differ in shape or dtype: {a.shape} {a.dtype} and {b.shape} {b.dtype}")


def _contiguous_strides(shape, itemsize, order="C"):
    """The byte strides of a contiguous array of this shape in C or F order."""
    strides, step = [0] * len(shape), itemsize
    for axis in (range(len(shape) - 1, -1, -1) if order == "C" else range(len(shape))):
        strides[axis] = step
        step *= max(shape[axis], 1)
    return tuple(strides)


def _device_empty(shape, dtype, order="C", stream=0):
    """A new array in device memory (uninitialized, as numba's)."""
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    itemsize = np.dtype(dtype).itemsize
    strides = _contiguous_strides(shape, itemsize, order)
    buffer = _core.DeviceBuffer(max(int(np.prod(shape, dtype=np.int64)) * itemsize, 1))
    return DeviceNDArray(stream=stream, shape=shape, strides=strides, dtype=dtype, pointer=buffer.pointer, owner=buffer)


def to_device(obj, stream=0, copy=True, to=None):
    """A device array holding a copy of ``obj`` (a NumPy array or anything np.asarray takes);
    with ``to``, copies into that device array instead."""
    if to is not None:
        to.copy_to_device(obj, stream)
        return to
    if not on_device():
        return DeviceNDArray(np.array(obj, copy=True, order="K"), stream)
    host = np.array(obj, copy=True, order="K")
    order = "F" if host.flags.f_contiguous and not host.flags.c_contiguous else "C"
    device = _device_empty(host.shape, host.dtype, order, stream)
    device.copy_to_device(host, stream)
    return device


def device_array(shape, dtype=np.float64, strides=None, order="C", stream=0):
    """An uninitialized device array (numba leaves its contents undefined too)."""
    if not on_device():
        return DeviceNDArray(np.empty(shape, dtype=dtype, order=order), stream)
    return _device_empty(shape, dtype, order, stream)


def device_array_like(ary, stream=0):
    return device_array(ary.shape, ary.dtype, order="F" if _is_f_only(ary) else "C", stream=stream)


def _is_f_only(ary):
    if isinstance(ary, DeviceNDArray):
        return ary.is_f_contiguous() and not ary.is_c_contiguous()
    flags = np.asarray(ary).flags
    return flags.f_contiguous and not flags.c_contiguous


def pinned_array(shape, dtype=np.float64, strides=None, order="C"):
    """A host array for copies (plain host memory: the driver copies it through its own
    staging buffers)."""
    return np.empty(shape, dtype=dtype, order=order)


def mapped_array(shape, dtype=np.float64, strides=None, order="C", stream=0, portable=False, wc=False):
    return np.empty(shape, dtype=dtype, order=order)


def is_cuda_array(obj):
    return hasattr(obj, "__cuda_array_interface__")


def as_cuda_array(obj, sync=True):
    """A device array over the memory of an object with ``__cuda_array_interface__`` (CuPy,
    PyTorch), without a copy."""
    if isinstance(obj, DeviceNDArray):
        return obj
    interface = obj.__cuda_array_interface__
    if not on_device():
        return DeviceNDArray(_array_from_interface(interface, obj))
    dtype = np.dtype(interface["typestr"])
    shape = tuple(interface["shape"])
    strides = interface.get("strides") or _contiguous_strides(shape, dtype.itemsize)  # None: C order
    return DeviceNDArray(shape=shape, strides=tuple(strides), dtype=dtype, pointer=interface["data"][0], owner=obj)


def _array_from_interface(interface, owner):
    """A NumPy array over the memory an array interface describes, keeping ``owner`` alive."""

    class _Holder:
        pass

    holder = _Holder()
    holder.__array_interface__ = {"shape": tuple(interface["shape"]), "typestr": interface["typestr"],
                                  "data": tuple(interface["data"]), "strides": interface.get("strides"),
                                  "version": 3}
    holder.owner = owner
    return np.asarray(holder)


def _as_kernel_argument(value):
    """What a kernel launch in the simulator passes to compiled code for ``value``: the memory
    of a device array (or of an object with ``__cuda_array_interface__``), a NumPy array in
    place, a scalar as it is."""
    if isinstance(value, DeviceNDArray):
        return value._data
    if not isinstance(value, np.ndarray) and hasattr(value, "__cuda_array_interface__"):
        return _array_from_interface(value.__cuda_array_interface__, value)
    return value
