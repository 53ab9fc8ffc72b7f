"""NumPy arrays in compiled code: loops and indexing, slices and views, creation, a.dtype and
negative sizes, compared with the same functions run by CPython/NumPy (``check`` in
array_checks.py: results and the possibly modified inputs must agree).
"""
import numpy as np
import pytest

import numlir
from array_checks import check, layouts, VEC, MAT, DTYPES, sample


# ---------------------------------------------------------------- loops and indexing

def sum_by_index(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s


def sum_by_iteration(a):
    s = 0
    for x in a:
        s += x
    return s


def sum_2d(a):
    s = 0.0
    n, m = a.shape
    for i in range(n):
        for j in range(m):
            s += a[i, j] * (i + 1) - j
    return s


def scale_in_place(a, k):
    for i in range(len(a)):
        a[i] = a[i] * k
    return a[0]


def negative_indices(a):
    return a[-1] + a[-2] * 2


def rows(a):
    t = 0.0
    for i in range(a.shape[0]):
        r = a[i]
        t += r[0] - r[-1]
    return t


def row_iteration(a):
    t = 0.0
    for r in a:
        t += r[1]
    return t


def attributes(a):
    return a.shape, a.size, a.ndim, len(a), a.strides[0] // a.itemsize


@pytest.mark.parametrize("name,a", layouts(VEC))
@pytest.mark.parametrize("func", [sum_by_index, sum_by_iteration, negative_indices])
def test_1d_loops(func, name, a):
    check(func, a, rtol=1e-9)


@pytest.mark.parametrize("name,a", layouts(MAT))
@pytest.mark.parametrize("func", [sum_2d, rows, row_iteration])
def test_2d_loops(func, name, a):
    check(func, a, rtol=1e-9)


@pytest.mark.parametrize("name,a", layouts(MAT))
def test_attributes(name, a):
    got = numlir.njit(attributes)(a)
    shape, size, ndim, n, stride = got
    assert (shape, size, ndim, n) == (a.shape, a.size, a.ndim, len(a))
    assert stride == a.strides[0] // a.itemsize


@pytest.mark.parametrize("dtype", DTYPES)
def test_dtypes_in_loops(dtype):
    a = sample(dtype, 23)
    check(sum_by_iteration, a, rtol=1e-6)
    if dtype != np.bool_:
        b = a.copy()
        check(scale_in_place, b, 3)


def test_empty_and_single_element():
    check(sum_by_index, np.zeros(0))
    check(sum_by_iteration, np.array([2.5]))
    check(sum_2d, np.zeros((0, 3)))


# ------------------------------------------------------------------ slices and views

def slice_sum(a):
    return a[1:5].sum() + a[::3].sum() + a[::-2].sum() + a[-4:].sum()


def write_through_view(a):
    b = a[2:8:2]
    b[0] = 100.0
    b[-1] = -1.0
    return a[2]


def assign_slice(a):
    a[1:5] = 0
    a[::4] = 7.5
    return a.sum()


def assign_array(a, b):
    a[:] = b
    a[1:3] = b[5:7]
    return a[1]


def column(a):
    c = a[:, 2]
    return c.sum() + a[1:4, ::2].sum() + a.T[3, 1]


def transposed(a):
    return a.T.copy()


@pytest.mark.parametrize("name,a", layouts(VEC))
def test_slices(name, a):
    check(slice_sum, a, rtol=1e-9)
    check(write_through_view, a)
    check(assign_slice, a, rtol=1e-9)
    check(assign_array, a, np.arange(17.0))


@pytest.mark.parametrize("name,a", layouts(MAT))
def test_2d_views(name, a):
    check(column, a, rtol=1e-9)
    check(transposed, a)


# ---------------------------------------------------------------------- creation

def creation(n):
    return (np.zeros(n), np.ones((n, 2)), np.full(n, 2.5), np.zeros(n, dtype=np.int32),
            np.ones(n, np.uint8), np.arange(n), np.arange(1, n, 2), np.arange(0.5, n, 0.25),
            np.linspace(0, 1, n), np.eye(n), np.identity(n), np.full((2, n), 7, dtype=np.int16))


def like(a):
    return np.zeros_like(a), np.ones_like(a), np.full_like(a, 3), np.copy(a), a.copy(), \
        np.zeros_like(a, dtype=np.float32)


def empty_shapes(n):
    a = np.empty((n, 3))
    b = np.empty_like(a)
    return a.shape, b.shape


@pytest.mark.parametrize("n", [0, 1, 5])
def test_creation(n):
    check(creation, n)
    assert numlir.njit(empty_shapes)(n) == empty_shapes(n)


@pytest.mark.parametrize("name,a", layouts(MAT))
def test_like(name, a):
    check(like, a)


def fill_and_convert(a):
    b = a.astype(np.int32)
    c = a.copy()
    c.fill(4.0)
    return b, c, a.flatten(), a.ravel()


@pytest.mark.parametrize("name,a", layouts(MAT * 10))
def test_methods(name, a):
    check(fill_and_convert, a)


def reshapes(a):
    return a.reshape(a.size), a.reshape((a.shape[-1], -1)), a.reshape(-1, 1), a.reshape(1, a.size).T


def writes_through_reshape(a):
    flat = a.reshape(-1)
    flat[0] = 42.0  # a view of a when a is contiguous (as in NumPy), else of a copy
    r = a.ravel()
    r[1] = 43.0
    return flat.sum() + r.sum()


@pytest.mark.parametrize("name,a", layouts(VEC) + layouts(MAT))
def test_reshape_and_ravel(name, a):
    check(reshapes, a)
    check(writes_through_reshape, a.copy() if name == "C" else a)


def test_reshape_errors():
    def bad(a, n):
        return a.reshape(n, -1)
    f = numlir.njit(bad)
    with pytest.raises(ValueError, match="cannot reshape"):
        f(np.zeros(35), 4)
    with pytest.raises(ValueError, match="negative"):
        f(np.zeros(35), -5)
    check(bad, np.arange(35.0), 5)
    check(bad, np.zeros(0), 3)


# ------------------------------------------------------------------------- a.dtype

def like_dtype(a, b):
    z = np.zeros(3, dtype=a.dtype)
    o = np.ones((2, 2), a.dtype)
    e = np.empty_like(b, dtype=a.dtype)
    e[:] = 1
    return z, o, b.astype(a.dtype), e, np.full(2, 7, a.dtype), np.arange(3, dtype=b.dtype)


@pytest.mark.parametrize("dtype", [np.int16, np.uint8, np.float32, np.bool_, np.complex64])
def test_dtype_attribute(dtype):
    check(like_dtype, sample(dtype, 4) if dtype != np.complex64 else np.ones(4, dtype),
          np.linspace(0, 3, 4, dtype=np.float32))


def dtype_as_value(a):
    return a.dtype


def test_dtype_attribute_as_a_value_is_an_error():
    with pytest.raises(numlir.TypingError, match="a.dtype can only be passed"):
        numlir.njit(dtype_as_value)(np.ones(2))


# ---------------------------------------------------------------------------------------------
# Negative sizes: the same ValueError as NumPy
# ---------------------------------------------------------------------------------------------

def create_empty(n):
    return np.empty(n)


def create_zeros_2d(n):
    return np.zeros((3, n))


def create_ones_int(n):
    return np.ones(n, dtype=np.int32)


def create_full(n):
    return np.full((n, 2), 1.5)


@pytest.mark.parametrize("fn", [create_empty, create_zeros_2d, create_ones_int, create_full],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("n", [-1, -5, 0, 4])
def test_negative_sizes_raise_like_numpy(fn, n):
    compiled = numlir.njit(fn)
    try:
        expected = fn(n)
    except ValueError as exc:
        with pytest.raises(ValueError) as info:
            compiled(n)
        assert str(info.value) == str(exc)
        return
    got = compiled(n)
    assert got.shape == expected.shape and got.dtype == expected.dtype
    if fn is not create_empty:
        np.testing.assert_array_equal(got, expected)
