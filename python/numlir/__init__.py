"""numlir: a JIT compiler for numeric Python, on MLIR. ``import numlir as numba`` works for
ordinary numeric code on numbers and NumPy arrays: ``@njit``, ``@jit(nopython=True)``,
explicit signatures, fastmath, error_model, cache, nogil, pickling."""
import os
import sys

from . import types
from . import typed
from . import extending
from ._core import Dispatcher, set_num_threads, get_num_threads
from . import config
from . import errors
from .errors import CompileError, TypingError, UnsupportedError, NumlirWarning, NumbaParallelSafetyWarning
from .objmode import ObjModeDispatcher, FallbackDispatcher
from . import objmode_blocks
from .ufuncs import vectorize, guvectorize, DUFunc
from .stencil import stencil
from .types import (boolean, float64, int64, b1, f8, i8, intp, double, int_, float_, bool_,
                    int8, int16, int32, uint8, uint16, uint32, uint64, float32, complex64,
                    complex128, c8, c16, void)

__all__ = ["njit", "jit", "CompileError", "TypingError", "UnsupportedError", "NumlirWarning",
           "Dispatcher", "int64", "float64", "boolean", "types", "objmode", "literal_unroll",
           "vectorize", "guvectorize", "DUFunc", "stencil", "set_num_threads", "get_num_threads", "get_thread_id", "prange", "config"]
# numba's `with objmode(y="float64[:]"):` (the name of the package's object-mode module
# before this line; that module stays importable as numlir.objmode's sys.modules entry).
objmode = objmode_blocks.objmode


def prange(*args):
    """numba's ``prange``: ``range`` whose loop runs in parallel in a function compiled with
    ``parallel=True`` (iterations on OpenMP's threads, reductions such as ``s += x``
    combined race-free). Elsewhere, and in the interpreter, it is ``range``."""
    return range(*args)


def get_thread_id():
    """numba's ``get_thread_id()``: in a prange loop of compiled code, the number of the
    thread running the iteration (0 to get_num_threads() - 1); elsewhere 0."""
    return 0


def literal_unroll(container):
    """numba's ``literal_unroll``: ``for x in literal_unroll(t)`` over a tuple whose elements
    have different types compiles the loop body once per element. In the interpreter it
    returns ``container`` itself."""
    return container
__version__ = "0.1.0"

# numba's fast-math flags (LLVM's names); fastmath=True means all of them.
FASTMATH_FLAGS = frozenset({"nnan", "ninf", "nsz", "arcp", "contract", "afn", "reassoc"})


def _fastmath_flags(fastmath):
    """LLVM's flag list for fastmath=True/False or a set of flag names."""
    if isinstance(fastmath, bool):
        return "fast" if fastmath else ""
    if isinstance(fastmath, (set, frozenset, list, tuple)):
        flags = set(fastmath)
        if "fast" in flags:
            return "fast"
        unknown = flags - FASTMATH_FLAGS
        if unknown:
            raise ValueError(f"unknown fastmath flag(s) {sorted(unknown)}; "
                             f"use any of {sorted(FASTMATH_FLAGS)} or 'fast'")
        return ",".join(sorted(flags))
    raise TypeError(f"fastmath must be a bool or a set of flag names, not {type(fastmath).__name__}")


def _check_options(options):
    """The Dispatcher's keyword arguments for njit's options (numba's names)."""
    error_model = options.pop("error_model", "python")
    if error_model not in ("python", "numpy"):
        raise ValueError(f"error_model must be 'python' or 'numpy', not {error_model!r}")
    # boundscheck=None (the default) follows NUMLIR_BOUNDSCHECK, as numba's NUMBA_BOUNDSCHECK.
    boundscheck = options.pop("boundscheck", None)
    if boundscheck is None:
        boundscheck = os.environ.get("NUMLIR_BOUNDSCHECK", "0") not in ("", "0")
    checked = dict(fastmath=_fastmath_flags(options.pop("fastmath", False)),
                   boundscheck=bool(boundscheck), error_model=error_model,
                   cache=bool(options.pop("cache", False)), nogil=bool(options.pop("nogil", False)),
                   parallel=bool(options.pop("parallel", False)))
    # numba's options that change how numba builds code, not what it computes: accepted so
    # that numba code runs unchanged (numlir inlines through LLVM, has no rewrite passes,
    # no separate wrappers, and its debug info is the IR shown by inspect_ir).
    for name in ("inline", "no_rewrites", "no_cpython_wrapper", "no_cfunc_wrapper", "debug"):
        options.pop(name, None)
    if options:
        raise TypeError(f"unknown option(s) for njit: {', '.join(sorted(options))}")
    return checked


def _wrap(func, signatures, options):
    options = dict(options)
    forceobj = options.pop("forceobj", False)
    nopython = options.pop("nopython", True)
    if forceobj:
        # Object mode: the interpreter runs the function; its loops are compiled.
        _check_options(dict(options))
        return ObjModeDispatcher(func, options)
    checked = _check_options(dict(options))
    sigs = None
    if signatures is not None:
        if not isinstance(signatures, list):
            signatures = [signatures]
        sigs = [types.parse_signature(s) for s in signatures]
    # `with objmode(...)` blocks become calls of functions the interpreter runs.
    dispatcher = Dispatcher(objmode_blocks.lift_blocks(func), signatures=sigs, **checked)
    for attr in ("__name__", "__qualname__", "__doc__", "__module__"):
        try:
            setattr(dispatcher, attr, getattr(func, attr))
        except AttributeError:
            pass
    dispatcher.__wrapped__ = func
    # What pickling needs to rebuild it elsewhere.
    dispatcher._njit_options = dict(options)
    dispatcher._njit_signatures = signatures
    if nopython is False:
        # numba's nopython=False: object mode where nopython mode does not compile.
        return FallbackDispatcher(dispatcher, func, options)
    return dispatcher


def njit(*args, **options):
    """Compile a function to machine code: ``@njit``, ``@njit(fastmath=True)``,
    ``@njit("float64(int64)")`` or ``@njit(["int64(int64)", "float64(float64)"])``.
    Options as in numba: fastmath (bool or set of flags), boundscheck, error_model
    ("python" or "numpy"), cache, nogil."""
    if len(args) == 1 and callable(args[0]) and not isinstance(args[0], types.Type):
        return _wrap(args[0], None, options)
    signatures = args[0] if args else options.pop("signature", None)
    return lambda func: _wrap(func, signatures, options)


def jit(*args, **options):
    """``jit``: ``njit`` by default (nopython mode, numba's default too); ``forceobj=True``
    runs the function in the interpreter and compiles its loops (object mode with loop
    lifting); ``nopython=False`` falls back to that where nopython mode does not compile."""
    return njit(*args, **options)


def _dispatcher_inspect(stage):
    def inspect(self, signature=None):
        if signature is not None:
            return self.inspect_ir(stage, signature)
        return {tuple(types.from_name(n) for n in sig): text
                for sig, text in self._inspect_all(stage)}
    return inspect


def _parallel_diagnostics(self, signature=None, level=1):
    """Prints, for each compiled signature, which loops parallel=True made parallel and
    which it did not, and why (numba's parallel_diagnostics; one level of detail)."""
    name = getattr(self.py_func, "__qualname__", "function")
    if not self._parallel:
        print(f"{name} is not compiled with parallel=True: every loop runs in order.")
        return
    compiled = self._notes()
    if not compiled:
        print(f"{name}: nothing compiled yet; call the function first.")
        return
    for sig, notes in compiled:
        wanted = signature is None or tuple(str(t) for t in signature) == tuple(sig)
        if not wanted:
            continue
        print(f"Parallel diagnostics for {name}({', '.join(sig)}):")
        if not notes:
            print("  no prange loop or array operation to run in parallel")
        for warning, location, message in notes:
            kind = "warning" if warning else "note"
            text = errors._note_text(message, location)
            print("  " + f"{kind}: {text}".replace("\n", "\n  "))


Dispatcher.parallel_diagnostics = _parallel_diagnostics
Dispatcher.inspect_llvm = _dispatcher_inspect("llvm-ir")
Dispatcher.inspect_asm = _dispatcher_inspect("asm")


# Pickling (multiprocessing, Dask, Ray): a compiled function travels as a reference to its
# Python function and options; the receiving process compiles it again or, with
# cache=True, loads it from the cache.
def _rebuild_by_name(module, qualname):
    """The dispatcher that module-level name refers to (pickled by reference)."""
    obj = __import__(module, fromlist=["_"])
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


def _rebuild(func, signatures, options):
    """A dispatcher for a function pickled by value (cloudpickle, as Dask and Ray use)."""
    return _wrap(func, signatures, options)


def _reduce_dispatcher(self):
    module = sys.modules.get(getattr(self, "__module__", None) or "")
    try:
        found = _rebuild_by_name(module.__name__, self.__qualname__) if module else None
    except AttributeError:
        found = None
    # __main__ differs in the receiving process (a Dask worker): pickle by value there.
    if found is self and module.__name__ != "__main__":
        return _rebuild_by_name, (module.__name__, self.__qualname__)
    return _rebuild, (getattr(self, "__wrapped__", self.py_func), self._njit_signatures, self._njit_options)


Dispatcher.__reduce__ = _reduce_dispatcher
