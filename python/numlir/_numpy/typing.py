"""Type tests for numlir's NumPy implementations.

Compiled code knows the answer from the argument's type, so a branch on one is decided
before typing and the branch not taken is never compiled (as a branch on ``x is None`` is):
one implementation serves every dtype and rank, as numba's ``@overload`` typing functions
choose one. In the interpreter they answer from the value.
"""
import numpy as np

__all__ = ["is_array", "is_tuple", "is_sequence", "is_bool", "is_integer", "is_unsigned", "is_float", "is_complex", "is_single"]


def _dtype(x):
    return x.dtype if isinstance(x, np.ndarray) else np.asarray(x).dtype


def is_array(x):
    return isinstance(x, np.ndarray)


def is_tuple(x):
    return isinstance(x, tuple)


def is_sequence(x):
    return isinstance(x, (tuple, list))


def is_bool(x):
    return _dtype(x) == np.bool_


def is_integer(x):
    return _dtype(x).kind in "iu"


def is_unsigned(x):
    return _dtype(x).kind == "u"


def is_float(x):
    return _dtype(x).kind == "f"


def is_complex(x):
    return _dtype(x).kind == "c"


def is_single(x):
    """float32 or complex64: single precision (np.linalg computes in double and returns single)."""
    return _dtype(x) in (np.float32, np.complex64)
