"""The names kernels use: ``cuda.threadIdx.x``, ``cuda.grid(1)``, ``cuda.shared.array``,
``cuda.syncthreads()``, ``cuda.atomic.add``, ``cuda.shfl_down_sync``...

Each is a stand-in the compiler knows by identity (``classify``, read by the environment in
src/python/environment.rs): a *value* (``threadIdx.x``) becomes a call of the builtin of that
name where it is read; a *function* (``syncthreads``) is a builtin compiled code calls; a
*namespace* (``threadIdx``, ``atomic``) holds either. The interpreter never runs them.
"""

__all__ = ["threadIdx", "blockIdx", "blockDim", "gridDim", "laneid", "warpsize", "grid", "gridsize",
           "shared", "local", "const", "atomic", "syncthreads", "syncthreads_count", "syncthreads_and",
           "syncthreads_or", "syncwarp", "threadfence", "threadfence_block", "threadfence_system",
           "shfl_sync", "shfl_up_sync", "shfl_down_sync", "shfl_xor_sync", "ballot_sync", "all_sync",
           "any_sync", "activemask", "lanemask_lt"]

# What each stand-in is, by identity: id -> (kind, name).
_KINDS = {}


class _Value:
    """An intrinsic read as a value (``cuda.threadIdx.x``): the builtin ``name`` of no arguments."""

    def __init__(self, name):
        self._name = name
        _KINDS[id(self)] = ("value", name)

    def __repr__(self):
        return f"<cuda intrinsic {self._name}>"


class _Namespace:
    """``cuda.threadIdx``, ``cuda.atomic``...: its attributes are intrinsics."""

    def __init__(self, name, **members):
        self._name = name
        self.__dict__.update(members)
        _KINDS[id(self)] = ("namespace", name)

    def __repr__(self):
        return f"<cuda namespace {self._name}>"


def _builtin(name):
    """The stand-in for the kernel builtin ``name`` (a function)."""
    def kernel_only(*args, **kwargs):
        raise RuntimeError(f"{name}() can only be called inside a @cuda.jit kernel or device function")
    kernel_only.__name__ = kernel_only.__qualname__ = name.rsplit(".", 1)[-1]
    _KINDS[id(kernel_only)] = ("builtin", name)
    return kernel_only


def _dim3(name):
    return _Namespace(f"cuda.{name}", **{axis: _Value(f"cuda.{name}.{axis}") for axis in "xyz"})


threadIdx = _dim3("threadIdx")
blockIdx = _dim3("blockIdx")
blockDim = _dim3("blockDim")
gridDim = _dim3("gridDim")
laneid = _Value("cuda.laneid")
# The number of threads of a warp on every NVIDIA GPU (a compile-time int, as in numba).
warpsize = 32

grid = _builtin("cuda.grid")
gridsize = _builtin("cuda.gridsize")
syncthreads = _builtin("cuda.syncthreads")
syncthreads_count = _builtin("cuda.syncthreads_count")
syncthreads_and = _builtin("cuda.syncthreads_and")
syncthreads_or = _builtin("cuda.syncthreads_or")
syncwarp = _builtin("cuda.syncwarp")
threadfence = _builtin("cuda.threadfence")
threadfence_block = _builtin("cuda.threadfence_block")
threadfence_system = _builtin("cuda.threadfence_system")
shfl_sync = _builtin("cuda.shfl_sync")
shfl_up_sync = _builtin("cuda.shfl_up_sync")
shfl_down_sync = _builtin("cuda.shfl_down_sync")
shfl_xor_sync = _builtin("cuda.shfl_xor_sync")
ballot_sync = _builtin("cuda.ballot_sync")
all_sync = _builtin("cuda.all_sync")
any_sync = _builtin("cuda.any_sync")
activemask = _builtin("cuda.activemask")
lanemask_lt = _builtin("cuda.lanemask_lt")

shared = _Namespace("cuda.shared", array=_builtin("cuda.shared.array"))
local = _Namespace("cuda.local", array=_builtin("cuda.local.array"))
const = _Namespace("cuda.const", array_like=_builtin("cuda.const.array_like"))
# numba's names: and_/or_ (``and``/``or`` are keywords), cas and compare_and_swap.
atomic = _Namespace("cuda.atomic", **{
    name: _builtin(f"cuda.atomic.{name.rstrip('_')}")
    for name in ("add", "sub", "max", "min", "nanmax", "nanmin", "exch", "cas", "compare_and_swap",
                 "and_", "or_", "xor", "inc", "dec")
})


def classify(value):
    """(kind, name) for a stand-in: ("value", "cuda.threadIdx.x"), ("builtin", "cuda.grid"),
    ("namespace", "cuda.atomic"); None for anything else (read by the environment)."""
    return _KINDS.get(id(value))
