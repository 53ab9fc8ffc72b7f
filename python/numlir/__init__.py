"""numlir: a JIT compiler for numeric Python, on MLIR. ``import numlir as numba`` works for
ordinary numeric code on numbers and NumPy arrays: ``@njit``, ``@jit(nopython=True)``, explicit signatures, fastmath."""
import os

from . import types
from ._core import Dispatcher
from .errors import CompileError, TypingError, UnsupportedError
from .types import (boolean, float64, int64, b1, f8, i8, intp, double, int_, float_, bool_,
                    int8, int16, int32, uint8, uint16, uint32, uint64, float32, complex64,
                    complex128, c8, c16, void)

__all__ = ["njit", "jit", "CompileError", "TypingError", "UnsupportedError", "Dispatcher",
           "int64", "float64", "boolean", "types"]
__version__ = "0.1.0"

# Options later versions implement; until then they fail loudly instead of being ignored.
_NOT_YET = {"parallel": "parallel=True", "cache": "cache=True", "nogil": "nogil=True"}


def _check_options(options):
    fastmath = options.pop("fastmath", False)
    if not isinstance(fastmath, bool):
        raise NotImplementedError(
            "fastmath with a set of flags is not implemented yet; use fastmath=True")
    for name, text in _NOT_YET.items():
        if options.pop(name, False):
            raise NotImplementedError(f"numlir does not implement {text} yet")
    error_model = options.pop("error_model", "python")
    if error_model != "python":
        raise NotImplementedError(f"error_model={error_model!r} is not implemented yet")
    # boundscheck=None (the default) follows NUMLIR_BOUNDSCHECK, as numba's NUMBA_BOUNDSCHECK.
    boundscheck = options.pop("boundscheck", None)
    if boundscheck is None:
        boundscheck = os.environ.get("NUMLIR_BOUNDSCHECK", "0") not in ("", "0")
    if options.pop("nopython", True) is not True:
        raise NotImplementedError("numlir has no object mode: use nopython=True (the default)")
    options.pop("forceobj", None) and _raise_forceobj()
    if options:
        raise TypeError(f"unknown option(s) for njit: {', '.join(sorted(options))}")
    return fastmath, bool(boundscheck)


def _raise_forceobj():
    raise NotImplementedError("numlir has no object mode (forceobj=True)")


def _wrap(func, signatures, options):
    fastmath, boundscheck = _check_options(dict(options))
    sigs = None
    if signatures is not None:
        if not isinstance(signatures, list):
            signatures = [signatures]
        sigs = [types.parse_signature(s) for s in signatures]
    dispatcher = Dispatcher(func, fastmath, sigs, boundscheck)
    for attr in ("__name__", "__qualname__", "__doc__", "__module__"):
        try:
            setattr(dispatcher, attr, getattr(func, attr))
        except AttributeError:
            pass
    dispatcher.__wrapped__ = func
    return dispatcher


def njit(*args, **options):
    """Compile a function to machine code: ``@njit``, ``@njit(fastmath=True)``,
    ``@njit("float64(int64)")`` or ``@njit(["int64(int64)", "float64(float64)"])``."""
    if len(args) == 1 and callable(args[0]) and not isinstance(args[0], types.Type):
        return _wrap(args[0], None, options)
    signatures = args[0] if args else options.pop("signature", None)
    return lambda func: _wrap(func, signatures, options)


def jit(*args, **options):
    """``jit(nopython=True)``: the same as ``njit``; there is no object mode."""
    return njit(*args, **options)


def _dispatcher_inspect(stage):
    def inspect(self, signature=None):
        if signature is not None:
            return self.inspect_ir(stage, signature)
        return {tuple(types.from_name(n) for n in sig): text
                for sig, text in self._inspect_all(stage)}
    return inspect


Dispatcher.inspect_llvm = _dispatcher_inspect("llvm-ir")
Dispatcher.inspect_asm = _dispatcher_inspect("asm")
