"""NumPy functions that numlir implements in Python, as numba implements most of NumPy.

Each implementation is a ``register_jitable`` function with NumPy's name and signature,
compiled in place of the NumPy function wherever compiled code calls it (``np.sort(a)`` or
``from numpy import sort``), as any callee is: keyword arguments and defaults bind as
Python binds them. The type tests of ``typing`` choose code by type at compile time.
Functions the compiler lowers itself (ufuncs, reductions, creation) are not here; see
``NUMPY_FUNCTIONS`` in src/python/environment.rs.

One module per family: ``sorting`` (sorting, searching, counting), ``shaping`` (joining,
shaping, views), ``statistics`` (differences, histograms, order statistics, comparisons),
``indexing`` (advanced indexing, take, put), ``linalg`` (np.linalg on LAPACK, whose
routines ``lapack`` names), ``einsum`` (a function generated per subscript string),
``random`` (np.random's legacy functions on the generator ``mt19937`` names), ``generator``
(np.random.Generator's methods on NumPy's own distributions, the ``bitgen`` builtins). Each lists the NumPy functions it implements
(``IMPLEMENTS``) and the array methods (``METHODS``, called with the array first).
"""
import numpy as np

from . import typing, sorting, shaping, statistics, indexing, lapack, linalg, einsum, mt19937, bitgen, bits, random, generator

# The NumPy function -> its implementation, and the array method's name -> its
# implementation (``x.argsort()`` calls ``sorting.argsort(x)``).
_IMPLEMENTATIONS = {}
_ARRAY_METHODS = {}
for _module in (sorting, shaping, statistics, indexing, linalg, einsum, random):
    for _name, _function in _module.IMPLEMENTS.items():
        _numpy_function = np
        for _part in _name.split("."):  # "linalg.inv" is np.linalg.inv
            _numpy_function = getattr(_numpy_function, _part)
        _IMPLEMENTATIONS[_numpy_function] = _function
    _ARRAY_METHODS.update(getattr(_module, "METHODS", {}))
# np.random.Generator's methods (``rng.normal(...)``), which no array method shares a name with.
assert not set(generator.METHODS) & set(_ARRAY_METHODS)
_ARRAY_METHODS.update(generator.METHODS)

# Builtins of compiled code the implementations call: the type tests (``numlir.is_array``)
# and the LAPACK routines (``lapack.getrf``).
_BUILTINS = {getattr(typing, name): f"numlir.{name}" for name in typing.__all__}
_BUILTINS.update({getattr(lapack, name): f"lapack.{name}" for name in lapack.__all__})
_BUILTINS.update({getattr(mt19937, name): f"mt19937.{name}" for name in mt19937.__all__})
_BUILTINS.update({getattr(bitgen, name): f"bitgen.{name}" for name in bitgen.__all__})
_BUILTINS.update({getattr(bits, name): f"numlir.{name}" for name in bits.__all__})


def implementation(value):
    """numlir's implementation of NumPy function ``value``, or None (read by the compiler's
    environment, src/python/environment.rs)."""
    try:
        found = _IMPLEMENTATIONS.get(value)
    except TypeError:  # unhashable values
        return None
    if found is None:
        from ..stencil import runner  # a @numlir.stencil kernel: its generated runner
        found = runner(value)
    return found


def builtin(value):
    """The name of the builtin of compiled code ``value`` is (a type test ``numlir.is_*`` or a
    LAPACK routine ``lapack.*``), or None."""
    try:
        return _BUILTINS.get(value)
    except TypeError:
        return None


# An argument the frontend did not find written as a literal (specialize's marker).
NOT_LITERAL = object()

def array_method(name):
    """numlir's implementation of the array method ``name``, or None (read by the frontend)."""
    return _ARRAY_METHODS.get(name)


def specialize(function, positional, keywords):
    """For a call of ``function`` with these positional and keyword arguments (their literal
    values, or NOT_LITERAL): the implementation the literals choose, the keywords it took in
    and the positions of the positional arguments it took in; or None where ``function``
    chooses nothing. A choosing argument must be a literal: it changes the result's type
    (``np.unique(a, return_counts=True)`` returns a tuple)."""
    literal_names = getattr(function, "_numlir_literals", None)
    if not literal_names:
        return None
    import inspect
    from ..errors import TypingError
    parameters = [p.name for p in inspect.signature(function).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    given = dict(keywords)
    positions = {}
    for index, (name, value) in enumerate(zip(parameters, positional)):
        given[name] = value
        positions[name] = index
    chosen = {}
    for name in literal_names:
        if name in given:
            if given[name] is NOT_LITERAL:
                raise TypingError(f"{function.__name__}()'s argument {name}= must be written as a "
                                  f"literal (such as True, False or 'r'): it decides the type of the result")
            chosen[name] = given[name]
    if not chosen:
        return None
    implementation = function._numlir_choose(**chosen)
    if function._numlir_keeps_literals:
        return implementation, [], []
    return (implementation, [n for n in chosen if n not in positions],
            sorted(positions[n] for n in chosen if n in positions))


def numpy_parameters(name):
    """The parameters NumPy's function ``name`` takes by position or keyword, in order (read
    by the frontend, which passes keyword arguments of the functions it lowers itself by
    position: ``np.clip(a, a_min=0, a_max=1)``); empty where it has no Python signature."""
    import inspect
    try:
        parameters = inspect.signature(getattr(np, name)).parameters.values()
    except (AttributeError, TypeError, ValueError):
        return []
    return [p.name for p in parameters if p.kind == p.POSITIONAL_OR_KEYWORD]
