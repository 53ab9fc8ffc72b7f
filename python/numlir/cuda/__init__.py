"""numlir.cuda: numba's CUDA API. ``@cuda.jit`` kernels launched as ``kernel[blocks,
threads](args)``, device functions, thread indexing (``cuda.grid``, ``cuda.threadIdx``...),
shared and local arrays, barriers, atomics, warp intrinsics, device arrays, streams and events.

Kernels run on a GPU, or in the simulator (``NUMLIR_CUDA_SIM=1``), which compiles the same
kernel to native code and runs every thread of every block on the CPU. ``inspect_ptx()``
gives a kernel's PTX with or without a GPU.
"""
from .intrinsics import *  # noqa: F401,F403 (the kernel builtins)
from .intrinsics import __all__ as _intrinsics
from .kernels import jit, Kernel, simulating
from .devicearray import (DeviceNDArray, to_device, device_array, device_array_like, pinned_array,
                          mapped_array, is_cuda_array, as_cuda_array)
from .driver import (CudaSupportError, CudaSimulatorError, CudaAPIError, is_available, detect, select_device,
                     get_current_device, close, synchronize, stream, default_stream,
                     per_thread_default_stream, event, event_elapsed_time, Stream, Event)


def pinned(*arrays):
    """``with cuda.pinned(a, b):`` pins host arrays for the block (nothing to do in the simulator)."""
    import contextlib
    return contextlib.nullcontext()


__all__ = list(_intrinsics) + [
    "jit", "Kernel", "simulating", "DeviceNDArray", "to_device", "device_array", "device_array_like",
    "pinned_array", "mapped_array", "is_cuda_array", "as_cuda_array", "CudaSupportError",
    "CudaSimulatorError", "CudaAPIError", "is_available", "detect", "select_device", "get_current_device", "close",
    "synchronize", "stream", "default_stream", "per_thread_default_stream", "event",
    "event_elapsed_time", "pinned",
]
