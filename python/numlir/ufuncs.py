"""``@vectorize`` and ``@guvectorize``: real NumPy ufuncs (``numpy.ufunc`` objects) whose
loops are numlir-compiled code, as numba builds them.

- With signatures, ``vectorize`` returns a ``numpy.ufunc`` with one loop per signature
  (NumPy's ``PyUFunc_FromFuncAndData``, src/python/ufunc.rs). Each loop is a compiled loop
  over 1-D arrays generated here (``out[i] = f(x[i], ...)``, f inlined), in two copies: for
  unit strides (it vectorizes) and for any strides.
- Without signatures it returns a ``DUFunc``: a ufunc that compiles a loop for new input
  types on first use, as numba's does.
- ``guvectorize`` builds a generalized ufunc (``PyUFunc_FromFuncAndDataAndSignature``) on
  the function itself, called per element of the loop dimensions with its core dimensions.
- ``target="parallel"`` splits NumPy's loop among the calling thread's
  ``numlir.get_num_threads()`` threads; ``target="cpu"`` runs on one.
- Compiled code calls these ufuncs and their methods as _ufunc_jit teaches it.
"""
import functools

import numpy as np

from . import types as _types
from ._core import _make_ufunc
from ._ufunc_jit import GufuncInfo, dtype_of as _dtype_of, teach_gufunc, teach_vectorized

__all__ = ["vectorize", "guvectorize", "DUFunc"]

# numba's identity= numbers as NumPy's PyUFunc_* codes (PyUFunc_Zero, _One, _MinusOne);
# None is PyUFunc_None (-1) and "reorderable" PyUFunc_ReorderableNone (-2).
_IDENTITIES = {0: 0, 1: 1, -1: 2}

# numba's keyword arguments that change nothing here. (cache=True caches the loops: in
# __pycache__ beside the source for a gufunc's, whose loops are the function itself; in the
# user cache directory for a vectorize ufunc's generated loops.)
_IGNORED = ("nopython", "forceobj", "writable_args")


def _identity_code(identity):
    if identity is None:
        return -1
    if isinstance(identity, str) and identity == "reorderable":
        return -2
    if not isinstance(identity, (str, bool)) and identity in _IDENTITIES:
        return _IDENTITIES[identity]
    raise ValueError(f"identity must be 0, 1, -1, None or 'reorderable', not {identity!r}")


def _parallel(target):
    """Whether loops of ``target`` run on several threads (numlir.get_num_threads())."""
    if target in ("cpu", "parallel"):
        return target == "parallel"
    raise ValueError(f"unknown target {target!r}: use 'cpu', 'parallel' or 'cuda'")


def _jit_options(options):
    """njit's options for a kernel. As in numba, a ufunc's kernel follows NumPy's error model
    (1.0 / 0.0 is inf, with NumPy's RuntimeWarning) unless told otherwise."""
    options = dict(options)
    for name in _IGNORED:
        options.pop(name, None)
    options.setdefault("error_model", "numpy")
    return options


def _scalar_name(type_name, what):
    t = _types._as_type(type_name)
    if not isinstance(t, (_types.Number, _types.Boolean)):
        raise TypeError(f"{what} of a vectorize signature must be a number type, not {type_name!r}")
    return t.name


def _loop_kernels(kernel, arg_names, ret_name, options):
    """The compiled loops over 1-D arrays that call ``kernel`` per element: for unit strides
    and for any strides."""
    n = len(arg_names)
    xs = [f"x{k}" for k in range(n)]
    source = (f"def __ufunc_loop({', '.join(xs + ['out'])}):\n"
              f"    for i in range(out.shape[0]):\n"
              f"        out[i] = kernel({', '.join(x + '[i]' for x in xs)})\n")
    namespace = {"kernel": kernel}
    exec(compile(source, f"<ufunc loop of {kernel.__name__}>", "exec"), namespace)
    loop = namespace["__ufunc_loop"]
    # The cache names code by its file and qualified name: the kernel's, so loops of
    # different kernels do not take each other's entries (the key has the kernel's code).
    py_func = kernel.py_func
    loop.__qualname__ = f"{py_func.__module__}.{py_func.__qualname__}.ufunc_loop"
    from . import njit
    loops = []
    for layout in ("::1", ":"):
        signature = f"void({', '.join(f'{t}[{layout}]' for t in arg_names + [ret_name])})"
        loops.append(njit(signature, **options)(loop))
    return loops


def _build_ufunc(func, loops, identity, parallel, nin):
    """A numpy.ufunc of ``loops``: (argument type names, result type name, contiguous loop,
    strided loop)."""
    table = []
    for args, ret, contiguous, strided in loops:
        type_nums = [_dtype_of(t).num for t in args + [ret]]
        table.append((type_nums, contiguous, strided, []))
    return _make_ufunc(func.__name__, func.__doc__ or "", nin, 1, identity, None, table, parallel)


class _VectorizeBuilder:
    """What a vectorize decorator keeps of a function: its scalar kernel and the loops made
    so far, from which the ufunc is (re)built."""

    def __init__(self, func, identity, target, options, dynamic):
        from . import njit
        self.func = func
        self.identity_code = _identity_code(identity)
        self.dynamic = dynamic  # a DUFunc: compiled code calls the kernel on its arguments' types
        self.parallel = _parallel(target)
        self.options = _jit_options(options)
        self.kernel = njit(**self.options)(func)
        self.nin = func.__code__.co_argcount
        self.loops = []
        self.jit_functions = {}  # what compiled code calls for each use (_ufunc_jit)

    @property
    def identity_value(self):
        """The identity as a number (None where the ufunc has none)."""
        return next((value for value, code in _IDENTITIES.items() if code == self.identity_code), None)

    def return_type(self, arg_names):
        """The kernel's result type for arguments of these types (it must be a number)."""
        ret_name = self.kernel._return_type(list(arg_names))
        try:
            _dtype_of(ret_name)
        except TypeError:
            raise TypeError(f"{self.func.__name__} returns {ret_name} for {', '.join(arg_names)}: "
                            f"a ufunc's kernel must return a number") from None
        return ret_name

    def add(self, arg_names, ret_name=None):
        if len(arg_names) != self.nin:
            raise TypeError(f"{self.func.__name__} takes {self.nin} arguments, the signature gives {len(arg_names)}")
        if ret_name is None:
            ret_name = self.return_type(arg_names)
        contiguous, strided = _loop_kernels(self.kernel, list(arg_names), ret_name, self.options)
        self.loops.append((list(arg_names), ret_name, contiguous, strided))

    def build(self):
        return _build_ufunc(self.func, self.loops, self.identity_code, self.parallel, self.nin)


def _parse_vectorize_signature(sig):
    ret, args = _types.parse_signature(sig)
    args = [_scalar_name(a, "an argument") for a in args]
    if ret is None:
        raise TypeError(f"a vectorize signature needs a return type: {sig!r}")
    return args, _scalar_name(ret, "the return type")


def vectorize(ftylist_or_function=(), *, identity=None, target="cpu", **options):
    """numba's ``@vectorize``: ``@vectorize(["float64(float64, float64)", ...])`` builds a
    ``numpy.ufunc`` with a compiled loop per signature; ``@vectorize`` (no signatures) a
    DUFunc that compiles loops for the types it meets. ``identity=`` (0, 1, -1, None,
    "reorderable") is the ufunc's identity for ``reduce``; ``target="parallel"`` runs loops
    on several threads. Other keywords are njit's options for the kernel."""
    if target == "cuda":  # a kernel per call (numlir.cuda.ufuncs)
        from .cuda.ufuncs import CUDAUFunc
        if callable(ftylist_or_function) and not isinstance(ftylist_or_function, (str, list, tuple)):
            return CUDAUFunc(ftylist_or_function, **options)
        signatures = [ftylist_or_function] if isinstance(ftylist_or_function, str) else list(ftylist_or_function)
        return lambda func: CUDAUFunc(func, signatures, **options)
    if callable(ftylist_or_function) and not isinstance(ftylist_or_function, (str, list, tuple)):
        return DUFunc(ftylist_or_function, identity=identity, target=target, **options)
    signatures = ftylist_or_function
    if isinstance(signatures, str):
        signatures = [signatures]

    def wrap(func):
        if not signatures:
            return DUFunc(func, identity=identity, target=target, **options)
        builder = _VectorizeBuilder(func, identity, target, options, dynamic=False)
        for sig in signatures:
            builder.add(*_parse_vectorize_signature(sig))
        ufunc = builder.build()
        teach_vectorized(ufunc, builder)
        return ufunc
    return wrap


class DUFunc:
    """A ufunc that compiles a loop for each new combination of input types (numba's
    DUFunc). Calls, ``reduce``, ``accumulate``, ``outer``, ``at`` and ``reduceat`` go to the
    ``numpy.ufunc`` built from the loops so far (``.ufunc``)."""

    def __init__(self, func, identity=None, target="cpu", **options):
        self._builder = _VectorizeBuilder(func, identity, target, options, dynamic=True)
        self.ufunc = None
        functools.update_wrapper(self, func)
        teach_vectorized(self, self._builder)

    # NumPy's attributes of the ufunc (before any loop: what it would report).
    @property
    def nin(self):
        return self._builder.nin

    @property
    def nout(self):
        return 1

    @property
    def nargs(self):
        return self.nin + 1

    @property
    def ntypes(self):
        return len(self._builder.loops)

    @property
    def types(self):
        return self.ufunc.types if self.ufunc is not None else []

    @property
    def identity(self):
        return self._builder.identity_value

    @property
    def signature(self):
        return None

    def add(self, sig):
        """Compiles a loop for ``sig`` ("float64(float64, float64)", or argument types only)."""
        if isinstance(sig, str) and "(" in sig:
            self._builder.add(*_parse_vectorize_signature(sig))
        else:
            self._builder.add([_scalar_name(t, "an argument") for t in sig])
        self.ufunc = self._builder.build()

    def _input_types(self, args):
        names = []
        for a in args[:self.nin]:
            if isinstance(a, bool):
                names.append("boolean")
            elif isinstance(a, int):
                names.append("int64")
            elif isinstance(a, float):
                names.append("float64")
            elif isinstance(a, complex):
                names.append("complex128")
            else:
                dtype = np.asarray(a).dtype
                names.append("boolean" if dtype == np.bool_ else dtype.name)
        return names

    def _ensure(self, names):
        if not any(loop[0] == names for loop in self._builder.loops):
            self.add(names)

    def __call__(self, *args, **kwargs):
        if len(args) < self.nin:
            raise TypeError(f"{self.__name__}() takes {self.nin} arguments, {len(args)} given")
        self._ensure(self._input_types(args))
        return self.ufunc(*args, **kwargs)

    def _binary(self, method, array, *rest, **kwargs):
        if self.nin != 2:
            raise ValueError(f"{method} only supported for binary functions")
        names = self._input_types((array,))
        dtype = kwargs.get("dtype")
        if dtype is not None:
            names = [np.dtype(dtype).name]
        self._ensure(names * 2)
        return getattr(self.ufunc, method)(array, *rest, **kwargs)

    def reduce(self, array, *args, **kwargs):
        return self._binary("reduce", array, *args, **kwargs)

    def accumulate(self, array, *args, **kwargs):
        return self._binary("accumulate", array, *args, **kwargs)

    def reduceat(self, array, *args, **kwargs):
        return self._binary("reduceat", array, *args, **kwargs)

    def outer(self, a, b, **kwargs):
        self._ensure(self._input_types((a, b)))
        return self.ufunc.outer(a, b, **kwargs)

    def at(self, a, indices, b=None):
        self._ensure(self._input_types((a, a if b is None else b)))
        return self.ufunc.at(a, indices) if b is None else self.ufunc.at(a, indices, b)

    def __repr__(self):
        return f"<numlir.DUFunc '{self.__name__}'>"


# ------------------------------------------------------------------------- guvectorize

def _parse_layout(layout):
    """"(m,n),(n)->(m)" -> ([["m", "n"], ["n"]], [["m"]])."""
    text = layout.replace(" ", "")
    if "->" not in text:
        raise ValueError(f"a gufunc layout looks like '(n),(n)->()', not {layout!r}")
    inputs, outputs = text.split("->")

    def groups(part):
        if not (part.startswith("(") and part.endswith(")")):
            raise ValueError(f"a gufunc layout looks like '(n),(n)->()', not {layout!r}")
        return [[d for d in g.split(",") if d] for g in part[1:-1].split("),(")]
    return groups(inputs), groups(outputs)


def guvectorize(ftylist, layout, *, identity=None, target="cpu", **options):
    """numba's ``@guvectorize(["void(float64[:], float64[:], float64[:])"], "(n),(n)->()")``:
    a generalized ufunc whose kernel gets each element's core dimensions as arrays (a "()"
    operand as a 1-element array, or as a number where the signature says one) and writes
    its outputs in place. Loop dimensions broadcast; outputs are allocated unless passed."""
    if isinstance(ftylist, str):
        ftylist = [ftylist]
    inputs, outputs = _parse_layout(layout)
    groups = inputs + outputs
    names = []
    for group in groups:
        for d in group:
            if d not in names:
                names.append(d)
    parallel = _parallel(target)
    identity_code = _identity_code(identity)
    options = _jit_options(options)

    def wrap(func):
        from . import njit
        table, loops = [], []
        for sig in ftylist:
            ret, args = _types.parse_signature(sig)
            if ret is not None:
                raise TypeError(f"a guvectorize signature returns void: {sig!r}")
            if len(args) != len(groups):
                raise TypeError(f"the signature {sig!r} has {len(args)} arguments, the layout {layout!r} {len(groups)}")
            type_nums, cores = [], []
            for arg, group in zip(args, groups):
                t = _types._as_type(arg)
                ndim = t.ndim if isinstance(t, _types.Array) else 0
                if ndim and ndim < len(group):
                    raise TypeError(f"{arg} has fewer dimensions than {group} in the layout {layout!r}")
                if not ndim and group:
                    raise TypeError(f"{arg} is a number, but the layout gives it dimensions {group}")
                type_nums.append(_dtype_of(t.dtype.name if ndim else t.name).num)
                cores.append(([names.index(d) for d in group], ndim))
            kernel = njit(sig, **options)(func)
            table.append((type_nums, None, kernel, cores))
            loops.append(([_types._as_type(a) for a in args], kernel))
        gufunc = _make_ufunc(func.__name__, func.__doc__ or "", len(inputs), len(outputs), identity_code,
                             layout.replace(" ", ""), table, parallel)
        teach_gufunc(gufunc, GufuncInfo(func.__name__, inputs, outputs, loops))
        return gufunc
    return wrap
