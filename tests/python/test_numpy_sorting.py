"""np.sort, argsort, searchsorted, unique, nonzero, flatnonzero, argwhere, count_nonzero and
the array methods a.sort(), a.argsort(), a.searchsorted(), a.nonzero(): compiled results
compared with NumPy's over dtypes, layouts, empty inputs and axes."""
import numpy as np
import pytest

import numlir
from array_checks import DTYPES, RNG, check, layouts, sample

SORT_DTYPES = DTYPES + [np.complex128]


def with_nans(a):
    a = a.copy()
    a[:: 3] = np.nan
    return a


@pytest.mark.parametrize("dtype", SORT_DTYPES)
@pytest.mark.parametrize("n", [0, 1, 2, 15, 17, 100, 1000])
def test_sort_1d(dtype, n):
    a = sample(dtype, n) if dtype != np.complex128 else RNG.integers(0, 4, n) + 1j * RNG.integers(0, 4, n)
    check(lambda a: np.sort(a), a)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sort_nans_last(dtype):
    check(lambda a: np.sort(a), with_nans(sample(dtype, 50)))
    check(lambda a: np.sort(a), np.full(20, np.nan, dtype))


def test_sort_complex_nans():
    a = np.array([1 + 1j, np.nan + 0j, 1 + np.nan * 1j, 0 + 2j, 1 + 0j, np.nan * 1j, 3 + 0j])
    check(lambda a: np.sort(a), a)


def test_sort_many_equal_and_sorted_runs():
    # Few distinct values, sorted and reverse-sorted input: the quicksort's hard cases.
    check(lambda a: np.sort(a), RNG.integers(0, 3, 5000))
    check(lambda a: np.sort(a), np.arange(5000.0))
    check(lambda a: np.sort(a), np.arange(5000.0)[::-1].copy())
    check(lambda a: np.sort(a), np.tile(np.arange(50), 100))


@pytest.mark.parametrize("layout,a", layouts(RNG.standard_normal((6, 9))))
@pytest.mark.parametrize("axis", [0, 1, -1, -2])
def test_sort_2d_axes(layout, a, axis):
    check(lambda a: np.sort(a, axis=axis), a)
    check(lambda a: np.argsort(a, axis=axis), a)


def test_sort_axis_none_and_3d():
    a = RNG.standard_normal((3, 4, 5))
    check(lambda a: np.sort(a, axis=None), a)
    check(lambda a: np.sort(a), a)
    check(lambda a: np.argsort(a, axis=None), a)
    check(lambda a: np.argsort(a), a)


def test_sort_kind_keyword_and_positional_axis():
    a = RNG.standard_normal((4, 5))
    check(lambda a: np.sort(a, 0, kind="mergesort"), a)
    check(lambda a: np.sort(a, kind="stable"), a)
    check(lambda a: np.argsort(a, kind="quicksort"), RNG.standard_normal(30))


def test_sort_bad_axis():
    f = numlir.njit(lambda a: np.sort(a, axis=2))
    with pytest.raises(np.exceptions.AxisError):
        f(np.ones((2, 2)))


@pytest.mark.parametrize("dtype", SORT_DTYPES)
def test_argsort_stable(dtype):
    # Ties come out in index order (numlir's argsort is always stable).
    a = sample(dtype, 200) if dtype != np.complex128 else RNG.integers(0, 3, 200) + 1j * RNG.integers(0, 2, 200)
    expected = np.argsort(a, kind="stable")
    got = numlir.njit(lambda a: np.argsort(a))(a)
    np.testing.assert_array_equal(got, expected)
    assert got.dtype == expected.dtype


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", [1023, 1024, 5000])
def test_argsort_radix_stable(dtype, n):
    # From 1024 elements argsort is a radix sort of the elements' order bits: ties (few
    # distinct values), wide values and the type's limits, in index order as kind="stable".
    def f(a):
        return np.argsort(a)
    few = sample(dtype, n)
    wide = RNG.integers(np.iinfo(np.int64).min if np.dtype(dtype).kind in "fi" else 0, np.iinfo(np.int64).max, n)
    cases = [few, wide.astype(dtype) if np.dtype(dtype).kind != "b" else few]
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        limits = np.array([info.min, info.max, 0, 1, info.max - 1], dtype=dtype)
        cases.append(np.resize(limits, n))
    if np.dtype(dtype).kind == "f":
        cases.append(RNG.standard_normal(n).astype(dtype) * 1e30)
    for a in cases:
        expected = np.argsort(a, kind="stable")
        got = numlir.njit(f)(a)
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_argsort_radix_special_floats(dtype):
    # -0.0 and 0.0 are equal (index order), NaNs of either sign last in index order, infinities
    # and subnormals in place.
    values = np.array([0.0, -0.0, np.nan, -np.nan, np.inf, -np.inf, 1e-310, -1e-310, 1.0, -1.0,
                       np.finfo(dtype).max, -np.finfo(dtype).max, np.finfo(dtype).tiny], dtype=dtype)
    a = RNG.choice(values, 4000)
    expected = np.argsort(a, kind="stable")
    np.testing.assert_array_equal(numlir.njit(lambda a: np.argsort(a))(a), expected)
    for _, view in layouts(a):
        check(lambda a: np.argsort(a, kind="stable"), view)
    b = RNG.standard_normal((3, 2000)).astype(dtype)
    b[:, ::7] = 0.0
    for axis in (0, 1, None):
        check(lambda b: np.argsort(b, axis=axis, kind="stable"), b)


def test_argsort_nans_and_views():
    check(lambda a: np.argsort(a, kind="stable"), with_nans(RNG.standard_normal(40)))
    for _, a in layouts(RNG.standard_normal(33)):
        check(lambda a: np.argsort(a, kind="stable"), a)


def test_array_sort_method_in_place():
    def f(a):
        a.sort()
        return a
    for _, a in layouts(RNG.standard_normal(40)):
        check(f, a)
    check(f, RNG.integers(0, 9, (5, 6)))

    def g(a):
        a.sort(axis=0)
    check(g, RNG.standard_normal((5, 6)))


def test_list_sort_still_a_list_sort():
    def f(xs, ys):
        xs.sort()
        ys.sort(reverse=True)
        return xs, ys
    expected = f([3, 1, 2], [1.5, 2.5, 0.5])
    assert numlir.njit(f)([3, 1, 2], [1.5, 2.5, 0.5]) == expected


def test_argsort_searchsorted_nonzero_methods():
    a = RNG.standard_normal(30)
    check(lambda a: a.argsort(kind="stable"), a)
    s = np.sort(a)
    check(lambda s, v: s.searchsorted(v), s, RNG.standard_normal(8))
    check(lambda a: a.nonzero(), RNG.integers(0, 2, (4, 5)))


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64])
def test_searchsorted(side, dtype):
    a = np.sort(sample(dtype, 40))
    v = sample(dtype, 12)
    check(lambda a, v: np.searchsorted(a, v, side=side), a, v)
    check(lambda a, v: np.searchsorted(a, v[0], side), a, v)
    check(lambda a, v: np.searchsorted(a, v.reshape(3, 4), side=side), a, v)
    check(lambda a: np.searchsorted(a, 0.25, side=side), a)
    check(lambda v: np.searchsorted(v[:0], 1.0, side=side), v)


def test_searchsorted_nans_and_sorter():
    a = np.sort(with_nans(RNG.standard_normal(20)))
    check(lambda a, v: np.searchsorted(a, v), a, np.array([np.nan, 0.0, -np.inf, np.inf]))
    b = RNG.standard_normal(15)
    check(lambda b, v: np.searchsorted(b, v, sorter=np.argsort(b)), b, RNG.standard_normal(5))


def test_searchsorted_bad_side():
    f = numlir.njit(lambda a: np.searchsorted(a, 1.0, side="middle"))
    with pytest.raises(ValueError):
        f(np.arange(3.0))


@pytest.mark.parametrize("dtype", SORT_DTYPES)
def test_unique(dtype):
    a = sample(dtype, (6, 7)) if dtype != np.complex128 else RNG.integers(0, 3, 30) + 1j * RNG.integers(0, 2, 30)
    check(lambda a: np.unique(a), a)
    check(lambda a: np.unique(a, return_counts=True), a)
    check(lambda a: np.unique(a, return_index=True), a)
    check(lambda a: np.unique(a, return_inverse=True), a)
    check(lambda a: np.unique(a, return_index=True, return_counts=True), a)
    check(lambda a: np.unique(a, return_inverse=True, return_counts=True), a)
    check(lambda a: np.unique(a, return_index=True, return_inverse=True), a)
    check(lambda a: np.unique(a, return_index=True, return_inverse=True, return_counts=True), a)
    check(lambda a: np.unique(a, return_counts=False), a)


def test_unique_nans_empty_views():
    check(lambda a: np.unique(a), with_nans(RNG.integers(0, 4, 20).astype(float)))
    check(lambda a: np.unique(a, return_counts=True), np.zeros(0))
    for _, a in layouts(RNG.integers(0, 5, (4, 6))):
        check(lambda a: np.unique(a, return_inverse=True), a)


def test_unique_flag_must_be_literal():
    @numlir.njit
    def f(a, flag):
        return np.unique(a, return_counts=flag)
    with pytest.raises(numlir.TypingError, match="return_counts= must be written as a literal"):
        f(np.arange(3), True)


@pytest.mark.parametrize("dtype", DTYPES + [np.complex128])
@pytest.mark.parametrize("shape", [(0,), (13,), (4, 5), (2, 3, 4)])
def test_nonzero_family(dtype, shape):
    a = sample(dtype, shape) if dtype != np.complex128 else RNG.integers(0, 2, shape) * (1 + 1j)
    if a.dtype.kind in "iu":
        a = a % 2
    check(lambda a: np.count_nonzero(a), a)
    check(lambda a: np.flatnonzero(a), a)
    check(lambda a: np.argwhere(a), a)
    check(lambda a: np.nonzero(a), a)


def test_nonzero_views_and_scalar_count():
    for _, a in layouts(RNG.integers(0, 2, (4, 6))):
        check(lambda a: np.nonzero(a), a)
        check(lambda a: np.argwhere(a > 0), a)
    check(lambda x: np.count_nonzero(x), 3.0)
    check(lambda x: np.count_nonzero(x), 0)


def test_from_numpy_import():
    from numpy import argsort, sort, unique
    check(lambda a: (sort(a), argsort(a, kind="stable"), unique(a, return_counts=True)), RNG.integers(0, 5, 20))


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint64, np.float32, np.float64])
def test_sort_and_unique_of_narrow_and_wide_int_spans(dtype):
    # Ints within a narrow span sort and count by counting; wide spans sort.
    narrow = sample(dtype, 500)
    wide = (RNG.integers(-2**40, 2**40, 500) if dtype == np.int64 else sample(dtype, 500) * 37).astype(dtype)
    for a in (narrow, wide):
        check(lambda a: np.sort(a), a)
        check(lambda a: np.unique(a), a)
        check(lambda a: np.unique(a, return_counts=True), a)
    extreme = np.array([0, 2**63 + 5, 7, 2**64 - 1, 7] * 20, dtype=np.uint64)
    if dtype == np.uint64:
        check(lambda a: (np.sort(a), np.unique(a, return_counts=True)), extreme)


def partitioned(got, a, kth):
    """NumPy's contract for partition: the kth element in sorted place, no larger one
    before it and no smaller one after (the order within each side is free)."""
    s = np.sort(a)
    ks = np.atleast_1d(kth) % a.shape[0]
    for k in ks:
        assert got[k] == s[k] or (np.isnan(got[k]) and np.isnan(s[k]))
        assert np.all(got[:k] <= got[k]) or np.isnan(got[k])
        assert not np.any(got[k + 1:] < got[k])
    np.testing.assert_array_equal(np.sort(got), s)


@pytest.mark.parametrize("n", [1, 5, 16, 17, 100, 1001])
def test_partition(n):
    a = RNG.standard_normal(n)
    f = numlir.njit(lambda a, k: np.partition(a, k))
    for k in sorted({0, n // 2, n - 1, -1}):
        partitioned(f(a, k), a, k)
    if n > 4:
        ks = np.array([1, n // 2, n - 2])
        partitioned(numlir.njit(lambda a, k: np.partition(a, k))(a, ks), a, ks)
    ints = RNG.integers(0, 4, n)
    partitioned(f(ints, n // 2), ints, n // 2)
    with_nans = a.copy()
    with_nans[::3] = np.nan
    partitioned(f(with_nans, n - 1), with_nans, n - 1)


def test_argpartition_and_errors():
    a = RNG.standard_normal(50)
    got = numlir.njit(lambda a: np.argpartition(a, 10))(a)
    partitioned(a[got], a, 10)
    with pytest.raises(ValueError, match="kth"):
        numlir.njit(lambda a: np.partition(a, 50))(a)
