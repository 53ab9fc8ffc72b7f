"""Device arrays: ``cuda.to_device``, ``cuda.device_array``, ``device_array_like``,
``pinned_array``, ``.copy_to_host()``, ``.copy_to_device()``, slicing, and
``__cuda_array_interface__``.

In the simulator, "device memory" is host memory the device array owns: a kernel reads and
writes it in place, and copies go through NumPy, as they would through the driver.
"""
import numpy as np


class DeviceNDArray:
    """An array in device memory (numba's DeviceNDArray): shape, dtype, size, ndim, strides,
    ``copy_to_host()``, ``copy_to_device()``, slicing (a view), ``len()``."""

    def __init__(self, data, stream=0):
        self._data = data  # the NumPy array standing for device memory (the simulator)
        self.stream = stream

    shape = property(lambda self: self._data.shape)
    dtype = property(lambda self: self._data.dtype)
    size = property(lambda self: self._data.size)
    ndim = property(lambda self: self._data.ndim)
    strides = property(lambda self: self._data.strides)
    nbytes = property(lambda self: self._data.nbytes)
    T = property(lambda self: DeviceNDArray(self._data.T, self.stream))

    def __len__(self):
        return len(self._data)

    def __repr__(self):
        return f"<numlir.cuda DeviceNDArray shape={self.shape} dtype={self.dtype}>"

    def __getitem__(self, index):
        view = self._data[index]
        if isinstance(view, np.ndarray):
            return DeviceNDArray(view, self.stream)
        return view  # an element, copied to the host as numba does

    def __setitem__(self, index, value):
        self._data[index] = value._data if isinstance(value, DeviceNDArray) else value

    def copy_to_host(self, ary=None, stream=0):
        """The array's contents in host memory: a new NumPy array, or written into ``ary``."""
        if ary is None:
            return np.array(self._data, copy=True)
        _check_same(ary, self, "copy_to_host")
        np.copyto(ary, self._data)
        return ary

    def copy_to_device(self, ary, stream=0):
        """Writes ``ary`` (a NumPy or device array of the same shape and dtype) into this array."""
        source = ary._data if isinstance(ary, DeviceNDArray) else np.asarray(ary)
        _check_same(source, self, "copy_to_device")
        np.copyto(self._data, source)

    def copy_to_host_async(self, ary=None, stream=0):
        return self.copy_to_host(ary, stream)

    def is_c_contiguous(self):
        return self._data.flags.c_contiguous

    def is_f_contiguous(self):
        return self._data.flags.f_contiguous

    def reshape(self, *shape, order="C"):
        return DeviceNDArray(self._data.reshape(*shape, order=order), self.stream)

    def ravel(self, order="C"):
        return DeviceNDArray(self._data.ravel(order=order), self.stream)

    def get_ipc_handle(self):
        raise NotImplementedError("IPC handles need a device")

    def split(self, section, stream=0):
        return [DeviceNDArray(self._data[i:i + section], stream) for i in range(0, len(self._data), section)]

    @property
    def __cuda_array_interface__(self):
        # The simulator's "device pointer" is the host address of the memory it stands for.
        interface = self._data.__array_interface__
        return {"shape": interface["shape"], "typestr": interface["typestr"], "data": interface["data"],
                "strides": interface["strides"], "version": 3, "stream": None}


def _check_same(a, b, what):
    if a.shape != b.shape or a.dtype != b.dtype:
        raise ValueError(f"{what}: arrays differ in shape or dtype: {a.shape} {a.dtype} and {b.shape} {b.dtype}")


def to_device(obj, stream=0, copy=True, to=None):
    """A device array holding a copy of ``obj`` (a NumPy array or anything np.asarray takes);
    with ``to``, copies into that device array instead."""
    if to is not None:
        to.copy_to_device(obj, stream)
        return to
    return DeviceNDArray(np.array(obj, copy=True, order="K"), stream)


def device_array(shape, dtype=np.float64, strides=None, order="C", stream=0):
    """An uninitialized device array (numba leaves its contents undefined too)."""
    return DeviceNDArray(np.empty(shape, dtype=dtype, order=order), stream)


def device_array_like(ary, stream=0):
    return device_array(ary.shape, ary.dtype, order="F" if _is_f_only(ary) else "C", stream=stream)


def _is_f_only(ary):
    flags = ary._data.flags if isinstance(ary, DeviceNDArray) else np.asarray(ary).flags
    return flags.f_contiguous and not flags.c_contiguous


def pinned_array(shape, dtype=np.float64, strides=None, order="C"):
    """A host array for fast copies (page-locked on a device; plain memory in the simulator)."""
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
    return DeviceNDArray(_array_from_interface(interface, obj))


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
    """What a kernel launch passes to compiled code for ``value``: the memory of a device array
    (or of an object with ``__cuda_array_interface__``), a NumPy array in place, a scalar as it is."""
    if isinstance(value, DeviceNDArray):
        return value._data
    if not isinstance(value, np.ndarray) and hasattr(value, "__cuda_array_interface__"):
        return _array_from_interface(value.__cuda_array_interface__, value)
    return value
