"""``@cuda.jit``: kernels, launched as ``kernel[griddim, blockdim](args)`` (or with a stream and
dynamic shared memory: ``kernel[griddim, blockdim, stream, sharedmem](args)``), and device
functions (``@cuda.jit(device=True)``), which kernels call.

A kernel is compiled per argument types, as an njit function is, by the same frontend and
typing. Where it runs:

* **the simulator** (``NUMLIR_CUDA_SIM=1`` or ``numlir.config.CUDA_SIMULATOR = True``): the
  kernel body compiled to native code and run by every thread of every block on the CPU
  (src/runtime/cuda_sim.rs): barriers wait, shared memory is shared within a block,
  atomics are atomic, and indices are bounds-checked;
* **a GPU**: the same typed IR lowered to PTX (``inspect_ptx()``) for the device's
  architecture.
"""
import numpy as np

from .. import types as _types
from .._core import Dispatcher
from .. import config
from .devicearray import _as_kernel_argument
from .driver import _require_device, Stream, stream_handle
from .. import _core


def simulating():
    """Whether kernels run in the simulator: ``numlir.config.CUDA_SIMULATOR`` (which
    ``NUMLIR_CUDA_SIM=1`` sets at import)."""
    return bool(config.CUDA_SIMULATOR)


def _dim3(value, what):
    """A launch dimension as three ints (numba accepts an int or a tuple of 1 to 3 ints)."""
    if isinstance(value, (int, np.integer)):
        dims = (int(value),)
    elif isinstance(value, tuple) and 1 <= len(value) <= 3 and all(isinstance(v, (int, np.integer)) for v in value):
        dims = tuple(int(v) for v in value)
    else:
        raise ValueError(f"the {what} of a launch is an int or a tuple of 1 to 3 ints, not {value!r}")
    if any(d < 1 for d in dims):
        raise ValueError(f"the {what} of a launch must be positive in every dimension, not {value!r}")
    return dims + (1,) * (3 - len(dims))


# What every GPU numlir targets allows (compute capability 7.0 and up).
MAX_THREADS_PER_BLOCK = 1024
MAX_BLOCK_DIM = (1024, 1024, 64)
MAX_GRID_DIM = (2 ** 31 - 1, 65535, 65535)
MAX_SHARED_MEMORY_PER_BLOCK = 48 * 1024


class Kernel:
    """A ``@cuda.jit`` kernel: ``kernel[griddim, blockdim](args)`` launches it."""

    def __init__(self, py_func, signatures=None, fastmath=False):
        self.py_func = py_func
        for attr in ("__name__", "__qualname__", "__doc__", "__module__"):
            try:
                setattr(self, attr, getattr(py_func, attr))
            except AttributeError:
                pass
        from .. import _fastmath_flags
        self._fastmath = _fastmath_flags(fastmath)
        # The simulator checks every index (an out-of-bounds write on a device corrupts memory).
        self._dispatcher = Dispatcher(py_func, fastmath=self._fastmath, boundscheck=True, cuda_kernel=True)
        self._device_functions = {}  # (argument type names, device) -> the loaded kernel
        if signatures is not None:
            for signature in signatures if isinstance(signatures, list) else [signatures]:
                self._compile_signature(signature)

    def _compile_signature(self, signature):
        from ..types import parse_signature
        ret, args = parse_signature(signature)
        if ret is not None and ret != "none":
            raise TypeError(f"a kernel returns nothing: its signature's return type must be void, not {ret}")
        self._dispatcher._compile_kernel(args)
        return args

    def __getitem__(self, config):
        if not isinstance(config, tuple) or not 2 <= len(config) <= 4:
            raise ValueError("a kernel is launched as kernel[griddim, blockdim](...), optionally with a "
                             "stream and the bytes of dynamic shared memory: kernel[griddim, blockdim, stream, sharedmem]")
        griddim = _dim3(config[0], "grid size")
        blockdim = _dim3(config[1], "block size")
        stream = config[2] if len(config) > 2 else 0
        sharedmem = int(config[3]) if len(config) > 3 else 0
        threads = blockdim[0] * blockdim[1] * blockdim[2]
        if threads > MAX_THREADS_PER_BLOCK or any(b > m for b, m in zip(blockdim, MAX_BLOCK_DIM)):
            raise ValueError(f"a block has at most {MAX_THREADS_PER_BLOCK} threads (at most {MAX_BLOCK_DIM} "
                             f"in x, y, z); this launch asks for {blockdim}")
        if any(g > m for g, m in zip(griddim, MAX_GRID_DIM)):
            raise ValueError(f"a grid has at most {MAX_GRID_DIM} blocks in x, y, z; this launch asks for {griddim}")
        if sharedmem < 0:
            raise ValueError(f"dynamic shared memory is a number of bytes, not {sharedmem}")
        if stream is not None and stream != 0 and not isinstance(stream, Stream):
            raise TypeError(f"the third launch parameter is a stream (cuda.stream()), not {type(stream).__name__}")
        return _Launch(self, griddim, blockdim, stream, sharedmem)

    def __call__(self, *args, **kwargs):
        raise TypeError(f"kernel {self.__name__} is launched with a grid and block size: "
                        f"{self.__name__}[blocks, threads_per_block](...)")

    def forall(self, ntasks, tpb=0, stream=0, sharedmem=0):
        """numba's ``kernel.forall(n)``: a launch of at least ``n`` threads in 1-D."""
        tpb = tpb or 128
        return self[(max(1, (ntasks + tpb - 1) // tpb),), (tpb,), stream, sharedmem]

    # Inspection: the PTX and the IR of each compiled signature, as numba's kernels give them.
    def _signature(self, signature):
        if isinstance(signature, str):  # "void(float32[:], float32)", as @cuda.jit takes it
            from ..types import parse_signature
            return tuple(parse_signature(signature)[1])
        if signature is not None:
            return tuple(str(t) for t in signature)
        compiled = self.signatures
        if not compiled:
            raise ValueError(f"kernel {self.__name__} has not been compiled: launch it or pass a signature")
        return tuple(str(t) for t in compiled[0])

    def inspect_ptx(self, signature=None, cc=None):
        """The PTX of the kernel for a signature (the first compiled one by default), for
        compute capability ``cc`` ((9, 0) by default, or the current device's)."""
        from .driver import _default_cc
        major, minor = cc or _default_cc()
        return self._dispatcher._kernel_ptx(self._signature(signature), f"sm_{major}{minor}", "ptx")

    def inspect_ir(self, stage="gpu", signature=None):
        """The IR at a stage of the kernel's pipeline: py, typed, std (shared with the CPU),
        gpu (the gpu.module), nvvm (the llvm dialect of NVVM), llvm-ir or ptx."""
        from .driver import _default_cc
        major, minor = _default_cc()
        return self._dispatcher._kernel_ptx(self._signature(signature), f"sm_{major}{minor}", stage)

    def inspect_types(self, signature=None):
        return self.inspect_ir("typed", signature)

    # numba-cuda's names: the text for one signature, or a dict of every compiled one's.
    def inspect_asm(self, signature=None):
        """The PTX for ``signature``, or {signature: PTX} of every compiled signature."""
        if signature is None:
            return {sig: self.inspect_ptx(sig) for sig in self.signatures}
        return self.inspect_ptx(signature)

    def inspect_llvm(self, signature=None):
        """The LLVM IR for ``signature``, or {signature: LLVM IR} of every compiled signature."""
        if signature is None:
            return {sig: self.inspect_ir("llvm-ir", sig) for sig in self.signatures}
        return self.inspect_ir("llvm-ir", signature)

    @property
    def signatures(self):
        return self._dispatcher.signatures or [tuple(_types.from_name(n) for n in names)
                                               for names, _ in self._device_functions]

    # On a device: PTX for the device's architecture, loaded by the driver once per
    # signature and device, launched with the parameters the PTX declares.
    def _device_function(self, names):
        from .driver import get_current_device
        device = get_current_device()
        key = (names, device.id)
        function = self._device_functions.get(key)
        if function is None:
            major, minor = device.compute_capability
            ptx = self._dispatcher._kernel_ptx(list(names), f"sm_{major}{minor}", "ptx")
            function = _core._cuda_kernel_function(ptx, self._dispatcher._kernel_name())
            self._device_functions[key] = function
        return function

    def _launch_on_device(self, griddim, blockdim, stream, sharedmem, args):
        from .devicearray import DeviceNDArray, to_device, as_cuda_array
        names, params, copies_back = [], [], []
        for a in args:
            if isinstance(a, np.ndarray):  # copied in, and out after the launch, as numba does
                device = to_device(a, stream)
                copies_back.append((device, a))
                a = device
            elif not isinstance(a, DeviceNDArray) and hasattr(a, "__cuda_array_interface__"):
                a = as_cuda_array(a)  # CuPy, PyTorch: their memory, no copy
            if isinstance(a, DeviceNDArray):
                names.append(_array_type_name(a))
                params.extend(_descriptor_params(a))
            else:
                name, blob = _scalar_param(a)
                names.append(name)
                params.append(blob)
        function = self._device_function(tuple(names))
        _core._cuda_launch(function, list(griddim), list(blockdim), sharedmem, stream_handle(stream), params)
        for device, host in copies_back:
            device.copy_to_host(host, stream)  # waits for the kernel

    def __reduce__(self):
        return _rebuild_kernel, (self.py_func, self._fastmath)


def _array_type_name(array):
    """numlir's type name of a device array: dtype, dimensions and layout ("float32[:, ::1]")."""
    dims = [":"] * array.ndim
    if array.ndim and array.is_c_contiguous():
        dims[-1] = "::1"
    elif array.ndim and array.is_f_contiguous():
        dims[0] = "::1"
    return f"{array.dtype.name}[{', '.join(dims)}]"


def _descriptor_params(array):
    """A device array as the kernel parameters of its memref descriptor: the allocated and
    aligned pointers, the offset (0: the pointer is element 0's), the sizes, the strides in
    elements (as MLIR's memref lowering lays a descriptor out)."""
    itemsize = array.dtype.itemsize
    if any(s % itemsize for s in array.strides):
        raise ValueError("a device array whose strides are not whole elements cannot be passed to a kernel")
    words = [array._pointer, array._pointer, 0, *array.shape, *(s // itemsize for s in array.strides)]
    return [int(w).to_bytes(8, "little", signed=int(w) < 0) for w in words]


def _scalar_param(value):
    """(numlir's type name, the parameter's bytes, padded to 8) of a scalar argument."""
    if isinstance(value, (bool, np.bool_)):
        return "boolean", bytes([bool(value)]) + bytes(7)
    if isinstance(value, int):
        value = np.int64(value)
    elif isinstance(value, float):
        value = np.float64(value)
    elif isinstance(value, complex):
        value = np.complex128(value)
    if not isinstance(value, np.generic) or value.dtype.kind not in "iufc":
        raise TypeError(f"a kernel takes arrays and numbers, not {type(value).__name__}")
    blob = value.tobytes()
    return value.dtype.name, blob + bytes(-len(blob) % 8)


def _rebuild_kernel(py_func, fastmath):
    return Kernel(py_func, fastmath=fastmath == "fast" or fastmath)


class _Launch:
    """``kernel[griddim, blockdim]``: called with the arguments, runs the kernel."""

    def __init__(self, kernel, griddim, blockdim, stream, sharedmem):
        self.kernel = kernel
        self.griddim = griddim
        self.blockdim = blockdim
        self.stream = stream
        self.sharedmem = sharedmem

    def __call__(self, *args):
        kernel = self.kernel
        if simulating():
            # Device arrays pass their memory; NumPy arrays are used in place.
            arguments = tuple(_as_kernel_argument(a) for a in args)
            kernel._dispatcher._launch_simulated(self.griddim, self.blockdim, self.sharedmem, arguments)
            return None
        _require_device()
        kernel._launch_on_device(self.griddim, self.blockdim, self.stream, self.sharedmem, args)
        return None


def jit(func_or_sig=None, device=False, **options):
    """``@cuda.jit`` (a kernel, compiled per argument types), ``@cuda.jit("void(float32[:])")``
    (compiled for that signature now), ``@cuda.jit(device=True)`` (a device function, which
    kernels call). Options: fastmath, and numba's debug/lineinfo/opt/cache (accepted)."""
    for name in ("debug", "lineinfo", "opt", "cache", "max_registers", "link", "inline"):
        options.pop(name, None)
    unknown = set(options) - {"fastmath"}
    if unknown:
        raise TypeError(f"unknown option(s) for cuda.jit: {', '.join(sorted(unknown))}")

    def decorate(func, signatures=None):
        if device:
            from .. import njit
            dispatcher = njit(func, **options) if signatures is None else njit(signatures, **options)(func)
            dispatcher._cuda_device = True
            return dispatcher
        return Kernel(func, signatures, **options)

    if callable(func_or_sig) and not isinstance(func_or_sig, (str, list, _types.Type)):
        return decorate(func_or_sig)
    if func_or_sig is None:
        return decorate
    return lambda func: decorate(func, func_or_sig)
