"""Advanced indexing: a[idx] and a[mask] (get and set) with arrays of ints (negative too)
or bools and lists of ints; np.take, np.put, a.take(), a.put(): compiled results compared
with NumPy's over dtypes and layouts, with NumPy's IndexError and ValueError."""
import numpy as np
import pytest

import numlir
from array_checks import DTYPES, RNG, check, layouts, sample

VEC = RNG.standard_normal(12)
MAT = RNG.standard_normal((4, 5))


@pytest.mark.parametrize("dtype", DTYPES + [np.complex128])
def test_mask_get_set(dtype):
    a = sample(dtype, 15) if dtype != np.complex128 else VEC + 1j * VEC[::-1]
    m = sample(dtype, (3, 4)) if dtype != np.complex128 else MAT[:3, :4] * 1j
    check(lambda a: a[a != 0], a)
    check(lambda m: m[m != 0], m)

    def put_zero(a):
        a[a != 0] = 0
        return a
    check(put_zero, a)
    check(put_zero, m)


@pytest.mark.parametrize("layout,a", layouts(VEC))
def test_mask_1d_layouts(layout, a):
    check(lambda a: a[a > 0], a)
    check(lambda a: a[~(a > 0)], a)
    check(lambda a: a[(a > -0.5) & (a < 0.5)], a)
    check(lambda a: a[(a < -0.5) | (a > 0.5)], a)

    def clip_high(a):
        a[a > 0.5] = 0.5
        return a
    check(clip_high, a)

    def negate(a):
        a[a < 0] = -a[a < 0]
        return a
    check(negate, a)

    def from_array(a, v):
        mask = a > 0
        a[mask] = v[: np.count_nonzero(mask)]
        return a
    check(from_array, a, RNG.standard_normal(12))


@pytest.mark.parametrize("layout,m", layouts(MAT))
def test_mask_2d_layouts(layout, m):
    check(lambda m: m[m > 0], m)
    check(lambda m: m[m[:, 0] > 0], m)
    check(lambda m: m[m.sum(axis=1) > 0], m)

    def zero_rows(m):
        m[m[:, 1] > 0] = 0.0
        return m
    check(zero_rows, m)

    def halve(m):
        m[m > 0] = m[m > 0] * 0.5
        return m
    check(halve, m)


def test_mask_as_argument_and_empty():
    check(lambda a, m: a[m], VEC, VEC > 0)
    check(lambda a, m: a[m], VEC, np.zeros(12, np.bool_))
    check(lambda a: a[a > 100.0], VEC)

    def set_where(a, m, x):
        a[m] = x
        return a
    check(set_where, VEC, VEC > 0, 2.5)


@pytest.mark.parametrize("dtype", DTYPES)
def test_int_index_get_set(dtype):
    a = sample(dtype, 10)
    idx = np.array([0, 3, -1, 3, 9, -10])
    check(lambda a, i: a[i], a, idx)
    check(lambda a, i: a[i], a, idx.astype(np.int32))
    check(lambda a, i: a[i], a, idx[:0])

    def assign(a, i):
        a[i] = 1
        return a
    check(assign, a, idx)


@pytest.mark.parametrize("layout,a", layouts(VEC))
def test_int_index_layouts(layout, a):
    check(lambda a: a[np.argsort(a)], a)
    check(lambda a: a[[0, 2, -1]], a)
    check(lambda a, i: a[i[::2]], a, np.arange(6))

    def assign_values(a, i, v):
        a[i] = v
        return a
    check(assign_values, a, np.array([1, 5, -2]), np.array([10.0, 20.0, 30.0]))
    check(assign_values, a, np.array([1, 5]), np.array([7.0]))


@pytest.mark.parametrize("layout,m", layouts(MAT))
def test_int_index_rows(layout, m):
    check(lambda m: m[np.array([2, 0, -1])], m)
    check(lambda m, i: m[i], m, np.array([1, 1]))


def test_index_errors():
    with pytest.raises(IndexError):
        numlir.njit(lambda a, i: a[i])(VEC, np.array([12]))
    with pytest.raises(IndexError):
        numlir.njit(lambda a, i: a[i])(VEC, np.array([-13]))
    with pytest.raises(IndexError):
        numlir.njit(lambda a, m: a[m])(VEC, np.ones(5, np.bool_))

    def assign(a, m, v):
        a[m] = v
    with pytest.raises(ValueError):
        numlir.njit(assign)(VEC.copy(), VEC > 0, np.ones(100))
    with pytest.raises(ValueError):
        numlir.njit(assign)(VEC.copy(), np.array([1, 2, 3]), np.ones(2))


def test_take_put():
    idx = np.array([0, 5, -1, 7])
    check(lambda a, i: np.take(a, i), VEC, idx)
    check(lambda a, i: np.take(a, i), MAT, idx)
    check(lambda a: np.take(a, 3), MAT)
    check(lambda a: np.take(a, np.array([[0, 1], [-1, 2]])), VEC)
    check(lambda a, i: np.take(a, i, axis=0), MAT, np.array([3, 0]))
    check(lambda a, i: a.take(i), VEC, idx)

    def put(a, i, v):
        np.put(a, i, v)
        return a
    check(put, VEC, idx, np.array([1.0, 2.0]))
    check(put, MAT, idx, 9.0)
    check(put, MAT, np.array([19, -20]), np.array([1.0, 2.0, 3.0]))

    def put_method(a, i):
        a.put(i, -1.0)
        return a
    check(put_method, VEC, idx)
    with pytest.raises(IndexError):
        numlir.njit(lambda a: np.take(a, 100))(VEC)


def test_plain_indexing_compiles_without_the_implementation():
    # Subscripts with numbers and slices do not carry advanced indexing's templates.
    def f(a):
        s = 0.0
        for i in range(a.shape[0]):
            s += a[i] * a[-1]
        return s + a[1:].sum()
    ir = numlir.njit(f)
    ir(VEC)
    assert "@getitem" not in ir.inspect_ir("typed")
    # One that takes an array calls numlir's implementation.
    g = numlir.njit(lambda a: a[a > 0])
    g(VEC)
    assert "@getitem" in g.inspect_ir("typed")
