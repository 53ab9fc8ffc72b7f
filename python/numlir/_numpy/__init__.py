"""NumPy functions that numlir implements in Python, as numba implements most of NumPy.

Each implementation is a ``register_jitable`` function with NumPy's name and signature,
compiled in place of the NumPy function wherever compiled code calls it (``np.sort(a)`` or
``from numpy import sort``), as any callee is: keyword arguments and defaults bind as
Python binds them. The type tests of ``typing`` choose code by type at compile time.
Functions the compiler lowers itself (ufuncs, reductions, creation) are not here; see
``NUMPY_FUNCTIONS`` in src/python/environment.rs.

One module per family: ``sorting`` (sorting, searching, counting), ``shaping`` (joining,
shaping, views), ``statistics`` (differences, histograms, order statistics, comparisons).
"""
import numpy as np

from . import typing, sorting, shaping, statistics

# The NumPy function -> its implementation; filled from each module's ``IMPLEMENTS``.
_IMPLEMENTATIONS = {}
for _module in (sorting, shaping, statistics):
    for _name, _function in _module.IMPLEMENTS.items():
        _IMPLEMENTATIONS[getattr(np, _name)] = _function

_TYPE_TESTS = {getattr(typing, name): name for name in typing.__all__}


def implementation(value):
    """numlir's implementation of NumPy function ``value``, or None (read by the compiler's
    environment, src/python/environment.rs)."""
    try:
        return _IMPLEMENTATIONS.get(value)
    except TypeError:  # unhashable values
        return None


def type_test(value):
    """The name of the type test ``value`` is (compiled code's ``numlir.is_*`` builtin), or None."""
    try:
        return _TYPE_TESTS.get(value)
    except TypeError:
        return None
