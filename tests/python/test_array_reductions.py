"""Reductions (whole array and along an axis, of expressions too, cumulative) and linear
algebra (dot, @, vdot, outer, trace), compared with NumPy (``check`` in array_checks.py).
"""
import numpy as np
import pytest

import numlir
from array_checks import check, layouts, RNG, VEC, MAT, DTYPES, sample


# --------------------------------------------------------------------- reductions

def reductions(a):
    return (np.sum(a), a.sum(), np.prod(a[:6]), np.min(a), a.max(), np.mean(a), a.std(),
            np.var(a), a.argmin(), np.argmax(a), np.any(a > 1), a.all())


def axis_reductions(a):
    return (a.sum(axis=0), np.sum(a, axis=1), a.max(axis=0), np.min(a, axis=-1),
            a.mean(axis=0), a.argmax(axis=1), np.prod(a, axis=0), a.std(axis=1))


@pytest.mark.parametrize("name,a", layouts(VEC) + layouts(MAT))
def test_reductions(name, a):
    check(reductions, a, rtol=1e-9)


@pytest.mark.parametrize("name,a", layouts(MAT))
def test_axis_reductions(name, a):
    check(axis_reductions, a, rtol=1e-9)


@pytest.mark.parametrize("dtype", DTYPES)
def test_reduction_dtypes(dtype):
    a = sample(dtype, 19)
    def f(a):
        return a.sum(), a.min(), a.max(), a.argmax(), a.mean()
    check(f, a, rtol=1e-6)


def cumulative(a):
    return np.cumsum(a), a.cumprod(), np.cumsum(a, axis=0), a.cumprod(axis=-1)


@pytest.mark.parametrize("name,a", layouts(VEC) + layouts(MAT))
def test_cumulative(name, a):
    check(cumulative, a, rtol=1e-9)


@pytest.mark.parametrize("dtype", DTYPES)
def test_cumulative_dtypes(dtype):
    check(cumulative, sample(dtype, (3, 4)), rtol=1e-6)


def test_empty_reduction_raises():
    def f(a):
        return a.max()
    with pytest.raises(ValueError, match="zero-size"):
        numlir.njit(f)(np.zeros(0))


def test_nan_reductions():
    a = np.array([1.0, np.nan, 3.0])
    check(reductions, np.concatenate([a, a, a]))


# Several reductions of one array are read in one pass (numlir-fuse-reductions); these
# check that merged and shared reductions give each its own result.

def writes_between_1d(a):
    s = a.sum()
    a[0] = 100.0
    return s, a.sum(), a.max(), a.mean(), a.min()


def writes_between_2d(a):
    s = a.sum()
    a[0, 0] = 100.0
    return s, a.sum(), a.max(), a.mean(), a.min()


@pytest.mark.parametrize("name,a", layouts(VEC) + layouts(MAT))
def test_reductions_see_writes_between_them(name, a):
    check(writes_between_1d if a.ndim == 1 else writes_between_2d, a)


def reductions_in_a_loop(a, n):
    t = 0.0
    for k in range(n):
        t += a.sum() * 0.5 + a.max() - a.min()
        a[k] += 1.0
    return t, a.mean()


def test_reductions_in_a_loop_that_writes():
    check(reductions_in_a_loop, VEC, 5)


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint8, np.uint64, np.float32, np.float64])
def test_min_max_at_the_type_limits(dtype):
    # min and max start from their identity (the type's largest or smallest value, or
    # infinity); arrays made only of those values must still give them.
    def f(a):
        return a.min(), a.max(), a.sum() * 0, a.argmin(), a.argmax()
    if np.dtype(dtype).kind == "f":
        limits = [np.inf, -np.inf]
    elif dtype == np.uint64:
        # Scalars are int64 in compiled code, so uint64 values from 2**63 up come back
        # negative (a known limit); the largest value that fits still checks the identity.
        limits = [2**63 - 1, 0]
    else:
        info = np.iinfo(dtype)
        limits = [info.max, info.min]
    for v in limits:
        check(f, np.full(5, v, dtype=dtype))
    check(f, np.array(limits, dtype=dtype))


def test_signed_zeros_and_nan_in_merged_reductions():
    def f(a):
        return a.min(), a.max(), a.sum(), a.mean()
    check(f, np.array([0.0, -0.0, 1.5]))
    check(f, np.array([2.0, np.nan, -1.0]))


def test_empty_array_raises_after_merged_sum():
    def f(a):
        return a.sum(), a.min()
    with pytest.raises(ValueError, match="zero-size"):
        numlir.njit(f)(np.zeros((0, 3)))
    check(f, np.zeros((1, 3)))


# A reduction of an elementwise expression computes the expression in its loop
# (numlir-fuse-reductions), with no temporary array; these check each shape of it.

def expression_reductions(a, b):
    return (np.sum(a * b), ((a - b) ** 2).sum(), (a + 1.0).max(), np.mean(a * 2.0 - b),
            (a * b).std(), np.abs(a - b).min(), (a > b).sum(), np.any(a > 2.0), (a < 5.0).all(),
            np.exp(a).std(), np.sqrt(np.abs(b)).sum())


@pytest.mark.parametrize("name,a", layouts(VEC) + layouts(MAT))
def test_reductions_of_expressions(name, a):
    check(expression_reductions, a, a[::-1].copy() * 0.5)


def expression_axis_reductions(a, b):
    return (a * b).sum(axis=0), np.max(a - b, axis=1), (a * a).mean(axis=0), np.sqrt((a * a).sum(axis=1))


@pytest.mark.parametrize("name,a", layouts(MAT))
def test_axis_reductions_of_expressions(name, a):
    check(expression_axis_reductions, a, a * 0.5 + 1.0)


def broadcast_reductions(a, col):
    return (a * col).sum(), (a + col[0]).min(), np.sum(a - 1.0, axis=0)


def test_reductions_of_broadcast_expressions():
    check(broadcast_reductions, MAT, MAT[:, :1].copy())


def expression_then_write(a, b):
    t = a * b
    a[0] = 100.0
    return t.sum(), a.sum()


def expression_kept(a, b):
    t = a * b
    s = t.sum()
    return s, t


def expression_indexed(a, b):
    t = a + b
    total = 0.0
    for i in range(t.shape[0]):
        total += t[i]
    return total, t.max()


@pytest.mark.parametrize("func", [expression_then_write, expression_kept, expression_indexed])
def test_expression_temporaries_that_must_stay(func):
    check(func, VEC, VEC * 2.0)


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.int32, np.int64, np.uint16, np.float32])
def test_reductions_of_expressions_dtypes(dtype):
    def f(a, b):
        return (a * b).sum(), (a + b).max(), np.minimum(a, b).min(), (a == b).sum()
    check(f, sample(dtype, 23), sample(dtype, 23), rtol=1e-6)


# ------------------------------------------------------------------ linear algebra

def dots(a, b, v):
    return np.dot(a, b), a @ b, np.dot(a, v), a @ v, np.dot(v, v), v @ a.T


@pytest.mark.parametrize("name,a", layouts(MAT))
def test_dot(name, a):
    b = RNG.standard_normal((7, 3))
    check(dots, a, b, VEC[:7].copy(), rtol=1e-12)


def products(a, b, v, w):
    return a @ b, np.dot(a, v), w @ a


# numlir-lower-matmul computes rows four at a time and k four steps at a time, then the
# rest one by one: sizes around and below those blocks, empty ones, and every dtype.
@pytest.mark.parametrize("n,k,m", [(1, 1, 1), (4, 4, 4), (5, 7, 3), (8, 9, 17), (3, 0, 2), (0, 3, 4),
                                   (13, 6, 1), (2, 11, 6)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.complex128])
def test_matmul_blocks(n, k, m, dtype):
    # Small integers (as floats too): every sum is exact whatever the order of its terms
    # (NumPy's BLAS adds them in another order), so results must be equal.
    def make(*shape):
        x = RNG.integers(-8, 9, shape).astype(np.float64)
        if np.dtype(dtype).kind == "c":
            x = x + 1j * RNG.integers(-8, 9, shape)
        return x.astype(dtype)
    a, b = make(n, k), make(k, m)
    check(products, a, b, make(k), make(n), rtol=0)
    # Fortran order and strided views take the same loops through their strides.
    check(products, np.asfortranarray(a), b[::-1], make(2 * k)[::2], make(n), rtol=0)


def more_linalg(a, b, v, w):
    return np.vdot(v, v), np.outer(v, w), np.trace(a), np.vdot(a, b), np.outer(a, w), np.trace(a.T)


@pytest.mark.parametrize("name,a", layouts(MAT))
def test_vdot_outer_trace(name, a):
    check(more_linalg, a, a[::-1].copy(), VEC[:7].copy(), VEC[3:7][::-1], rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.uint8])
def test_vdot_outer_trace_dtypes(dtype):
    a = sample(dtype, (4, 3))
    check(more_linalg, a, a + 1, sample(dtype, 5), sample(dtype, 2), rtol=1e-6)


def test_vdot_size_mismatch():
    with pytest.raises(ValueError, match="not aligned"):
        numlir.njit(lambda a, b: np.vdot(a, b))(np.zeros(3), np.zeros(4))


def test_dot_shape_mismatch():
    with pytest.raises(ValueError, match="not aligned"):
        numlir.njit(lambda a, b: a @ b)(np.zeros((2, 3)), np.zeros((4, 2)))


def _arg_cases(n):
    """Arrays of n elements whose best element sits in different places relative to the
    blocks argmin/argmax run in (numlir-block-arg-reductions): ties across blocks, NaNs
    in later blocks, signed zeros, sorted runs, values at the type's limits."""
    rng = np.random.default_rng(n)
    cases = {"random": rng.standard_normal(n), "ascending": np.arange(n, dtype=np.float64),
             "descending": np.arange(n, 0, -1, dtype=np.float64), "constant": np.full(n, 2.5),
             "-inf": np.full(n, -np.inf), "inf": np.full(n, np.inf)}
    ties = rng.integers(0, 3, n).astype(np.float64)
    cases["ties"] = ties
    zeros = np.where(rng.random(n) < 0.5, -0.0, 0.0)
    cases["signed zeros"] = zeros
    for at in {0, n // 3, n - 1}:
        with_nan = rng.standard_normal(n)
        with_nan[at] = np.nan
        if at + 5 < n:
            with_nan[at + 5] = np.nan
        cases[f"nan at {at}"] = with_nan
    return cases


@pytest.mark.parametrize("n", [1, 7, 2047, 2048, 2049, 6001, 100003])
def test_argmin_argmax_across_blocks(n):
    def f(a):
        return a.argmin(), a.argmax(), np.argmax(a * 2.0)
    for name, a in _arg_cases(n).items():
        check(f, a)
        check(f, a.astype(np.float32))
        check(f, a[::-1])


@pytest.mark.parametrize("dtype", DTYPES)
def test_argmin_argmax_across_blocks_dtypes(dtype):
    def f(a):
        return a.argmin(), a.argmax()
    for n in (2049, 9000):
        a = sample(dtype, n)
        check(f, a)
        check(f, a[::3])
        a[n // 2 :] = a.max() if dtype != np.bool_ else True
        check(f, a)
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        for v in (info.min, info.max):
            check(f, np.full(5000, v, dtype=dtype))


@pytest.mark.parametrize("name,a", layouts(RNG.integers(0, 50, (7, 3001)).astype(np.float64)))
def test_argmin_argmax_across_blocks_2d(name, a):
    def f(a):
        return a.argmin(), a.argmax(), a.argmax(axis=1), a.argmin(axis=0), a.T.argmax()
    check(f, a)


@pytest.mark.parametrize("layout", ["C", "F", "strided", "reversed"])
def test_min_max_of_non_contiguous_arrays_with_nans(layout):
    # Fortran-ordered arrays reduce in memory order; min/max over elements that are not
    # contiguous take maxnumf/minnumf and a separate NaN flag: NaN must still win.
    def f(a):
        return (a.max(), a.min(), np.max(a, axis=0), np.min(a, axis=1), a.argmax(), a.argmin(),
                a.T.max(), a.T.sum(), a.sum(), a.mean())
    base = RNG.standard_normal((40, 3001))
    variants = [base, np.full_like(base, -np.inf)]
    for at in [(0, 0), (17, 2048), (39, 3000)]:
        with_nan = base.copy()
        with_nan[at] = np.nan
        variants.append(with_nan)
    for values in variants:
        a = dict(layouts(values))[layout]
        check(f, a, rtol=1e-9)
