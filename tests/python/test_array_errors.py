"""Errors with arrays: bad indices and unsupported dtypes are TypingErrors, and int() of
elements in a loop raises as CPython does, stopping the loop where CPython would.
"""
import math

import numpy as np
import pytest

import numlir
from array_checks import _same
from test_arrays import sum_by_index


# ------------------------------------------------------------------------- errors

def bad_index(a):
    return a[1.5]


def bad_attribute(a):
    return a.foo


def too_many_indices(a):
    return a[1, 2]


def truth_of_array(a):
    if a:
        return 1
    return 0


@pytest.mark.parametrize("func,error,text", [
    (bad_index, numlir.TypingError, "indexed by int and slice"),
    (too_many_indices, numlir.TypingError, "too many indices"),
    (bad_attribute, numlir.UnsupportedError, "'foo'"),
    (truth_of_array, numlir.TypingError, "ambiguous"),
])
def test_array_errors(func, error, text):
    with pytest.raises(error, match=text) as info:
        numlir.njit(func)(np.zeros(3))
    assert "test_array_errors.py" in str(info.value)


def test_unsupported_dtype():
    with pytest.raises(TypeError, match="dtype"):
        numlir.njit(sum_by_index)(np.zeros(3, dtype=np.float16))


def fill_ones(a):
    a[:] = 1.0


def test_void_signature():
    """numba's `void(...)` declares a function that returns nothing."""
    f = numlir.njit("void(float64[:])")(fill_ones)
    a, b = np.zeros(4), np.zeros(4)
    assert f(a) is None and fill_ones(b) is None
    _same(a, b, 0)


def bin_counts(values, bins, counts):
    """int() of each element in a loop that writes to an argument: a raise stops it midway."""
    for v in values:
        k = int(v * bins)
        if 0 <= k < bins:
            counts[k] += 1
    return counts.sum()


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, -(2.0 ** 63)], ids=str)
@pytest.mark.parametrize("where", [0, 5, 16])
def test_int_of_elements_in_a_loop(bad, where):
    """int(x) checks every element: NaN and infinities raise CPython's error after the
    same writes CPython made; -2^63 converts exactly."""
    values = np.linspace(0.0, 0.99, 17)
    values[where] = bad / 4
    py_counts, jit_counts = np.zeros(4, np.int64), np.zeros(4, np.int64)
    compiled = numlir.njit(bin_counts)
    try:
        expected = bin_counts(values, 4, py_counts)
    except (ValueError, OverflowError) as exc:  # NaN; infinities
        with pytest.raises(type(exc)) as info:
            compiled(values, 4, jit_counts)
        assert str(info.value) == str(exc)
    else:
        assert compiled(values, 4, jit_counts) == expected
    np.testing.assert_array_equal(jit_counts, py_counts)


@pytest.mark.parametrize("bad", [1e19, -1e19, 2.0 ** 63], ids=str)
def test_int_of_elements_beyond_int64_raises(bad):
    """CPython makes a big int (here out of range, so not counted); numlir's ints are
    int64, so it raises OverflowError at that element, after the earlier writes."""
    values = np.linspace(0.0, 0.99, 17)
    values[5] = bad / 4
    py_counts, jit_counts = np.zeros(4, np.int64), np.zeros(4, np.int64)
    bin_counts(values[:5], 4, py_counts)
    with pytest.raises(OverflowError, match="float too large to convert to int64"):
        numlir.njit(bin_counts)(values, 4, jit_counts)
    np.testing.assert_array_equal(jit_counts, py_counts)
