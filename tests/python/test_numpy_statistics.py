"""np.diff, convolve, correlate, interp, histogram, bincount, digitize, cov, corrcoef,
median, percentile, quantile, average, the nan-reductions, isclose, allclose, round,
around, cross, kron, vander and meshgrid: compiled results compared with NumPy's over
dtypes, layouts, empty inputs, axes and error paths."""
import numpy as np
import pytest

import numlir
from array_checks import RNG, check, layouts, sample

NUMERIC = [np.int8, np.int32, np.int64, np.uint8, np.uint32, np.float32, np.float64]
VEC = RNG.standard_normal(40)
MAT = RNG.standard_normal((4, 9))


def nans(a):
    a = a.astype(float)
    a[::4] = np.nan
    return a


@pytest.mark.parametrize("dtype", NUMERIC + [np.bool_, np.complex128])
def test_diff(dtype):
    a = sample(dtype, 12) if dtype != np.complex128 else VEC[:12] + 1j * VEC[12:24]
    for n in (0, 1, 2, 5, 20):
        check(lambda a: np.diff(a, n), a)
    m = sample(dtype, (4, 5)) if dtype != np.complex128 else MAT[:, :5] * 1j
    check(lambda m: np.diff(m), m)
    check(lambda m: np.diff(m, axis=0), m)
    check(lambda m: np.diff(m, n=2, axis=-2), m)


def test_diff_views_and_errors():
    for _, a in layouts(MAT):
        check(lambda a: np.diff(a, axis=1), a)
    with pytest.raises(ValueError, match="non-negative"):
        numlir.njit(lambda a: np.diff(a, -1))(VEC)
    with pytest.raises(np.exceptions.AxisError):
        numlir.njit(lambda a: np.diff(a, axis=1))(VEC)


@pytest.mark.parametrize("n,m", [(1, 1), (7, 3), (3, 7), (4, 7), (6, 6), (5, 2)])
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_convolve_correlate(n, m, mode):
    a, v = VEC[:n], VEC[10:10 + m]
    check(lambda a, v: np.convolve(a, v, mode), a, v)
    check(lambda a, v: np.correlate(a, v, mode=mode), a, v)
    ai, vi = sample(np.int32, n), sample(np.int64, m)
    check(lambda a, v: np.convolve(a, v, mode=mode), ai, vi)
    ac = a + 1j * VEC[20:20 + n]
    vc = v - 2j * VEC[30:30 + m]
    check(lambda a, v: np.correlate(a, v, mode), ac, vc)


def test_convolve_defaults_and_errors():
    check(lambda a, v: (np.convolve(a, v), np.correlate(a, v)), VEC[:8], VEC[:3])
    with pytest.raises(ValueError):
        numlir.njit(lambda a: np.convolve(a, a[:0]))(VEC)
    with pytest.raises(ValueError, match="mode"):
        numlir.njit(lambda a: np.convolve(a, a, "middle"))(VEC)


def test_interp():
    xp = np.sort(RNG.standard_normal(15))
    fp = RNG.standard_normal(15)
    x = np.concatenate([RNG.standard_normal(30) * 2, xp[:4], [np.nan, np.inf, -np.inf]])
    check(lambda x, xp, fp: np.interp(x, xp, fp), x, xp, fp)
    check(lambda x, xp, fp: np.interp(x, xp, fp, left=-5.0, right=5.0), x, xp, fp)
    check(lambda xp, fp: np.interp(0.25, xp, fp), xp, fp)
    check(lambda xp, fp: np.interp(3, xp, fp), xp, fp)
    check(lambda x, xp, fp: np.interp(x.reshape(3, -1)[:, :5], xp, fp), x[:30], xp, fp)
    check(lambda x, xp, fp: np.interp(x, xp, fp), x, np.arange(15), fp)
    check(lambda x, xp, fp: np.interp(x, xp, fp), x, xp, fp + 1j * fp[::-1])
    with pytest.raises(ValueError, match="same length"):
        numlir.njit(lambda x, xp, fp: np.interp(x, xp, fp))(x, xp, fp[:3])


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint8, np.float32, np.float64])
def test_histogram(dtype):
    a = sample(dtype, 200)
    check(lambda a: np.histogram(a), a)
    check(lambda a: np.histogram(a, 7), a)
    check(lambda a: np.histogram(a, bins=3, range=(0, 2)), a)
    check(lambda a: np.histogram(a, bins=np.array([-1.0, 0.0, 0.5, 2.0, 4.0])), a)
    check(lambda a: np.histogram(a, 6, density=True), a)
    check(lambda a: np.histogram(a, 6, density=False), a)
    check(lambda a: np.histogram(a, 6, weights=np.ones(a.shape[0]) * 0.5), a)


def test_histogram_edges_and_errors():
    check(lambda a: np.histogram(a, 4), np.full(10, 3.0))
    check(lambda a: np.histogram(a, 4), np.zeros(0))
    check(lambda a: np.histogram(a, 5, range=(-1.0, 1.0)), np.linspace(-1, 1, 41))
    for _, m in layouts(MAT):
        check(lambda m: np.histogram(m, 5), m)
    with pytest.raises(ValueError, match="monotonically"):
        numlir.njit(lambda a: np.histogram(a, np.array([1.0, 0.0])))(VEC)
    with pytest.raises(ValueError, match="max must be larger"):
        numlir.njit(lambda a: np.histogram(a, 3, range=(1.0, 0.0)))(VEC)
    with pytest.raises(numlir.TypingError, match="density= must be written as a literal"):
        numlir.njit(lambda a, d: np.histogram(a, 3, density=d))(VEC, True)


def test_bincount_digitize():
    x = RNG.integers(0, 9, 50)
    check(lambda x: np.bincount(x), x)
    check(lambda x: np.bincount(x, minlength=15), x)
    check(lambda x, w: np.bincount(x, weights=w), x, VEC[:50] if VEC.shape[0] >= 50 else RNG.standard_normal(50))
    check(lambda x: np.bincount(x), x[:0])
    with pytest.raises(ValueError, match="negative"):
        numlir.njit(lambda x: np.bincount(x))(np.array([1, -1]))
    bins = np.array([-1.0, 0.0, 0.5, 1.0])
    for right in (False, True):
        check(lambda a, b: np.digitize(a, b, right), VEC, bins)
        check(lambda a, b: np.digitize(a, b[::-1].copy(), right=right), VEC, bins)
        check(lambda a, b: np.digitize(a, b, right=right), np.array([-1.0, 0.0, 0.5, 1.0, 2.0]), bins)
    check(lambda a, b: np.digitize(a, b), MAT, bins)
    with pytest.raises(ValueError, match="monotonically"):
        numlir.njit(lambda a, b: np.digitize(a, b))(VEC, np.array([0.0, 1.0, 0.5]))


@pytest.mark.parametrize("layout,m", layouts(RNG.standard_normal((3, 12))))
def test_cov_corrcoef(layout, m):
    check(lambda m: np.cov(m), m)
    check(lambda m: np.cov(m, bias=True), m)
    check(lambda m: np.cov(m, ddof=2), m)
    check(lambda m: np.cov(m.T, rowvar=False), m)
    check(lambda m: np.corrcoef(m), m)
    check(lambda m: np.cov(m[0], m[1]), m)
    check(lambda m: np.corrcoef(m[0], m[2]), m)
    check(lambda m: np.cov(m.astype(np.int32)), m * 10)
    check(lambda m: np.cov(m + 1j * m[::-1]), m)


@pytest.mark.parametrize("dtype", NUMERIC)
def test_median_percentile_quantile(dtype):
    for n in (1, 2, 7, 10):
        a = sample(dtype, n)
        check(lambda a: np.median(a), a)
        check(lambda a: np.percentile(a, 37.5), a)
        check(lambda a: np.quantile(a, 0.9), a)
    a = sample(dtype, 25)
    check(lambda a: np.percentile(a, np.array([0.0, 12.5, 50.0, 100.0])), a)
    check(lambda a: np.quantile(a, np.array([[0.1, 0.2], [0.5, 1.0]])), a)
    check(lambda a: np.percentile(a, 50), a)
    m = sample(dtype, (4, 7))
    check(lambda m: np.median(m), m)
    check(lambda m: np.median(m, axis=0), m)
    check(lambda m: np.median(m, axis=1), m)


def test_order_statistics_nans_and_errors():
    check(lambda a: (np.median(a), np.percentile(a, 30.0)), nans(VEC))
    check(lambda a: np.nanmedian(a), nans(VEC))
    for _, m in layouts(MAT):
        check(lambda m: (np.median(m), np.median(m, axis=-1), np.quantile(m, 0.25)), m)
    with pytest.raises(ValueError, match="range"):
        numlir.njit(lambda a: np.percentile(a, 101.0))(VEC)
    with pytest.raises(ValueError, match="range"):
        numlir.njit(lambda a: np.quantile(a, -0.5))(VEC)


@pytest.mark.parametrize("dtype", NUMERIC)
def test_average(dtype):
    a = sample(dtype, 20)
    w = RNG.random(20)
    rtol = 1e-4 if dtype == np.float32 else 1e-12  # float32 sums in a different order
    check(lambda a: np.average(a), a, rtol=rtol)
    check(lambda a, w: np.average(a, weights=w), a, w, rtol=rtol)
    with pytest.raises(ZeroDivisionError, match="Weights sum to zero"):
        numlir.njit(lambda a, w: np.average(a, weights=w))(a, np.zeros(20))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_nan_reductions(dtype):
    a = nans(VEC).astype(dtype)
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    for f in (np.nansum, np.nanprod, np.nanmean, np.nanvar, np.nanstd, np.nanargmax,
              np.nanargmin, np.nanmedian):
        check(lambda a: f(a), a, rtol=rtol)
        check(lambda a: f(a), a.reshape(4, 10), rtol=rtol)
    check(lambda a: np.nanvar(a, ddof=1), a, rtol=rtol)
    check(lambda a: np.nanstd(a, ddof=1), a, rtol=rtol)
    check(lambda a: np.nansum(a), np.arange(5, dtype=np.int32))
    with pytest.raises(ValueError, match="All-NaN"):
        numlir.njit(lambda a: np.nanargmax(a))(np.full(3, np.nan))


def test_isclose_allclose():
    a = RNG.standard_normal(20)
    b = a + RNG.standard_normal(20) * 1e-6
    special = np.array([np.nan, np.inf, -np.inf, 0.0, 1.0, np.nan])
    other = np.array([np.nan, np.inf, np.inf, 1e-9, 1.0 + 1e-4, 1.0])
    check(lambda a, b: np.isclose(a, b), a, b)
    check(lambda a, b: np.isclose(a, b, rtol=1e-8, atol=0.0), a, b)
    check(lambda a, b: np.isclose(a, b), special, other)
    check(lambda a, b: np.isclose(a, b, equal_nan=True), special, other)
    check(lambda a: np.isclose(a, 0.5, atol=0.3), a)
    check(lambda a: np.isclose(0.5, a), a)
    check(lambda a, b: np.allclose(a, b), a, b)
    check(lambda a, b: np.allclose(a, b, atol=0.0, rtol=1e-9), a, b)
    check(lambda a, b: np.allclose(a, b, equal_nan=True), special, special.copy())
    check(lambda a, b: np.allclose(a, b), special, special.copy())
    check(lambda x, y: np.isclose(x, y), 1.0, 1.0 + 1e-9)
    check(lambda a, b: np.isclose(a, b), np.arange(5), np.arange(5) + 1)


@pytest.mark.parametrize("decimals", [-2, -1, 0, 1, 3])
def test_round(decimals):
    a = RNG.standard_normal(30) * 1000
    check(lambda a: np.round(a, decimals), a)
    check(lambda a: np.around(a, decimals=decimals), a)
    check(lambda a: a.round(decimals), a)
    check(lambda a: np.round(a, decimals), a.astype(np.float32))
    check(lambda a: np.round(a, decimals), a[:5] + 1j * a[5:10])
    check(lambda x: np.round(x, decimals), 1234.5678)
    check(lambda a: np.round(a), np.array([0.5, 1.5, 2.5, -0.5, -1.5]))
    if decimals >= 0:
        check(lambda a: np.round(a, decimals), np.arange(5))


def test_cross_kron_vander_meshgrid():
    a, b = RNG.standard_normal(3), RNG.standard_normal(3)
    check(lambda a, b: np.cross(a, b), a, b)
    check(lambda a, b: np.cross(a, b), RNG.standard_normal((5, 3)), RNG.standard_normal((5, 3)))
    check(lambda a, b: np.cross(a, b), np.arange(3), np.arange(3, 6))
    check(lambda a, b: np.kron(a, b), a, RNG.standard_normal(4))
    check(lambda a, b: np.kron(a, b), RNG.standard_normal((2, 3)), RNG.integers(0, 4, (3, 2)))
    x = RNG.standard_normal(5)
    check(lambda x: np.vander(x), x)
    check(lambda x: np.vander(x, 3), x)
    check(lambda x: np.vander(x, N=6, increasing=True), x)
    check(lambda x: np.vander(x), np.arange(4))
    check(lambda x, y: np.meshgrid(x, y), x, RNG.standard_normal(3))
    check(lambda x, y: np.meshgrid(x, y, indexing="ij"), x, np.arange(3))
    with pytest.raises(ValueError):
        numlir.njit(lambda a, b: np.cross(a, b))(np.ones(4), np.ones(4))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_histogram_values_on_edges(dtype):
    # Values on the bin edges, and a narrow range far from zero (where the edges are coarse
    # in units of a bin): each value lands in NumPy's bin.
    edges = np.histogram(np.linspace(-3, 5, 50).astype(dtype), 13)[1]
    check(lambda a: np.histogram(a, 13), np.concatenate([edges, edges[:5]]).astype(dtype))
    far = (1e6 + np.linspace(0.0, 1e-3 if dtype == np.float64 else 1.0, 997)).astype(dtype)
    check(lambda a: np.histogram(a, 7), far)
    check(lambda a: np.histogram(a, 7), np.concatenate([far, np.histogram(far, 7)[1]]).astype(dtype))
    check(lambda a: np.histogram(a, 10, range=(0.1, 0.7)), np.linspace(0, 1, 101).astype(dtype))
