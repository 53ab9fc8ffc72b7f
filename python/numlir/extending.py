"""numba.extending's ``register_jitable`` and ``overload``.

``register_jitable``: a plain Python function that compiled code may call. It stays a plain
function for the interpreter; compiled code compiles it where it is called, as it compiles
an ``@njit`` function.

``overload(func)``: teaches compiled code a function it does not know (a library's pure
Python function, say). The decorated *typing function* is called, at compile time, with the
numlir type objects of the arguments of a call (``numlir.types.Integer``, ``Float``,
``Array`` with ``dtype``/``ndim``/``layout``, ``UnicodeType``, ...) and returns the
implementation for those types, a Python function compiled in its place, or None when it
has none. The interpreter keeps calling ``func`` itself.
"""

__all__ = ["register_jitable", "overload"]

# (function, typing function) of each overload, by its number (compiled code's py.call_overload).
_OVERLOADS = []


def register_jitable(*args, **options):
    """``@register_jitable`` or ``@register_jitable(**options)``: mark the function."""

    def mark(function):
        function._numlir_jitable = True  # read by the compiler's environment (environment.rs)
        return function

    if len(args) == 1 and callable(args[0]) and not options:
        return mark(args[0])
    return mark


def overload(func, jit_options=None, strict=True, inline="never", prefer_literal=False, **kwargs):
    """``@overload(func)``: the decorated function types calls of ``func`` in compiled code
    (see the module). numba's options are accepted; ``jit_options`` are not used (the
    implementation compiles with the caller's options)."""

    def register(typer):
        _OVERLOADS.append((func, typer))
        return typer

    return register


def _typer(index):
    """The typing function of overload ``index``, whose parameters a call's keywords and
    omitted defaults follow; None where it takes ``*args`` (calls pass their arguments as
    they are). Read by the environment."""
    typer = _OVERLOADS[index][1]
    code = getattr(typer, "__code__", None)
    if code is None or code.co_flags & 0x04:  # CO_VARARGS
        return None
    return typer


# What compiled code's ``func.name`` is, for functions taught by overload (by id(func)):
# {name: value}, a value compiled code knows (another overloaded function, say).
_ATTRIBUTES = {}


def _overload_attribute(index, name):
    """What compiled code's ``func.name`` is for the function of overload ``index``, or None
    (read by the environment)."""
    return _ATTRIBUTES.get(id(_OVERLOADS[index][0]), {}).get(name)


# What the implementations of some overloaded functions follow from (by id(func)): values
# the cache key hashes in their place (numlir's ufunc calls: the kernel, the loops' types).
_CACHE_IDENTITIES = {}


def _cache_identity(value):
    """The values the cache key hashes for the overloaded ``value``, or None: code that
    reaches another overload is compiled in each process (read by src/cache/key.rs)."""
    return _CACHE_IDENTITIES.get(id(value))


def _overload_index(value):
    """The number of the latest overload of ``value``, or None (read by the environment)."""
    for i in range(len(_OVERLOADS) - 1, -1, -1):
        if _OVERLOADS[i][0] is value:
            return i
    return None


def _resolve(index, types_text):
    """The implementation overload ``index`` gives for arguments of these types (typed py
    IR's types, ``;``-separated): a Python function, or a TypingError."""
    from . import types
    from .errors import TypingError
    func, typer = _OVERLOADS[index]
    args = [types.from_mlir(t) for t in types_text.split(";") if t]
    impl = typer(*args)
    name = getattr(func, "__name__", repr(func))
    if impl is None:
        raise TypingError(f"no implementation of {name}() for arguments of types "
                          f"({', '.join(map(str, args))}): its @overload typing function returned None")
    impl = getattr(impl, "py_func", impl)  # an @njit implementation
    if not callable(impl) or not hasattr(impl, "__code__"):
        raise TypingError(f"the @overload typing function of {name}() returned {impl!r}, not a function")
    return impl
