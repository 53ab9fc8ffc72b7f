"""``@vectorize(..., target="cuda")``: a ufunc whose loop is a kernel. The scalar function
becomes a device function, and a kernel generated for its number of arguments applies it
to every element (a grid-stride loop over the broadcast, flattened inputs).

Called with NumPy arrays it returns a NumPy array; with a device array among the inputs
(or ``out=`` one) the result stays in device memory, as numba's CUDA ufuncs do.
"""
import numpy as np

from .. import types as _types

_THREADS = 256


class CUDAUFunc:
    """A GPU ufunc: ``f(a, b)`` broadcasts as NumPy does and runs one thread per element."""

    def __init__(self, func, signatures=(), **options):
        from . import jit
        self.py_func = func
        self.__name__ = func.__name__
        self.__doc__ = func.__doc__
        self.nin = func.__code__.co_argcount
        self.nout = 1
        self._device = jit(device=True, **options)(func)
        self._signatures = []
        for sig in signatures:
            ret, args = _types.parse_signature(sig)
            if ret is None or len(args) != self.nin:
                raise TypeError(f"a vectorize signature gives a return type and {self.nin} argument types: {sig!r}")
            self._signatures.append(([np.dtype(a) for a in args], np.dtype(ret)))
        self._kernel = _elementwise_kernel(self._device, self.nin)

    def _types_for(self, dtypes):
        """(argument dtypes, result dtype): the first signature the inputs cast to safely, or
        (without signatures) the inputs' own types and what the function returns for them."""
        if self._signatures:
            for args, ret in self._signatures:
                if all(np.can_cast(d, a, "safe") for d, a in zip(dtypes, args)):
                    return args, ret
            raise TypeError(f"{self.__name__}: no signature takes inputs of types {', '.join(map(str, dtypes))}")
        names = [str(d) for d in dtypes]
        return list(dtypes), np.dtype(self._device._return_type(names))

    def __call__(self, *args, out=None, stream=0):
        from .devicearray import DeviceNDArray, to_device
        if len(args) != self.nin:
            raise TypeError(f"{self.__name__} takes {self.nin} arguments, not {len(args)}")
        on_device = any(isinstance(a, DeviceNDArray) for a in args + (out,))
        hosts = [a.copy_to_host() if isinstance(a, DeviceNDArray) else np.asarray(a) for a in args]
        dtypes = [h.dtype for h in hosts]
        arg_types, ret = self._types_for(dtypes)
        shape = np.broadcast_shapes(*(h.shape for h in hosts))
        flat = [np.ascontiguousarray(np.broadcast_to(h.astype(t, copy=False), shape)).ravel()
                for h, t in zip(hosts, arg_types)]
        result = np.empty(int(np.prod(shape)), ret)
        n = max(result.size, 1)
        if result.size:
            self._kernel[(n + _THREADS - 1) // _THREADS, _THREADS, stream](*flat, result)
        result = result.reshape(shape)
        if out is not None:
            if isinstance(out, DeviceNDArray):
                out.copy_to_device(result)
            else:
                np.copyto(out, result)
            return out
        if not shape:
            return result[()]
        return to_device(result) if on_device else result


def _elementwise_kernel(device_function, nin):
    """A kernel ``k(a0, ..., out)`` with ``out[i] = f(a0[i], ...)`` over a grid-stride loop."""
    from . import jit
    names = [f"a{k}" for k in range(nin)]
    source = (f"def ufunc_kernel({', '.join(names)}, out):\n"
              f"    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):\n"
              f"        out[i] = f({', '.join(n + '[i]' for n in names)})\n")
    from .. import cuda
    namespace = {"cuda": cuda, "f": device_function}
    exec(compile(source, f"<cuda ufunc {device_function.__name__}>", "exec"), namespace)
    return jit(namespace["ufunc_kernel"])
