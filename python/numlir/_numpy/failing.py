"""Raising from a branch the compiler decides from types.

Where a condition on types (``a.ndim != 2``, ``is_float(ord)``) is known when compiling,
the code after a branch that only raises is never typed, and a function whose every path
raises has no type: ``return value_error("...")`` in place of ``raise ValueError("...")``
gives such a function one (None), so that it compiles and raises when run, as NumPy does.
"""
from numpy.linalg import LinAlgError

from ..extending import register_jitable


@register_jitable
def value_error(message):
    if len(message) > 0:
        raise ValueError(message)
    return None


@register_jitable
def linalg_error(message):
    if len(message) > 0:
        raise LinAlgError(message)
    return None


@register_jitable
def not_implemented(message):
    if len(message) > 0:
        raise NotImplementedError(message)
    return None
