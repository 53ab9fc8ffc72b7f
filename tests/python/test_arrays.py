"""NumPy arrays in compiled code, compared with the same functions run by CPython/NumPy.

Every function here runs twice on copies of the same inputs: once as plain Python, once
compiled. The results and the (possibly modified) input arrays must agree: same dtype and
shape for arrays, same values (floating point within a tolerance only where float32 or a
different summation order needs one).
"""
import gc
import resource
import math
import os

import numpy as np
import pytest

import numlir


def _copy(x):
    return x.copy() if isinstance(x, np.ndarray) else x


def _same(got, expected, rtol):
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and len(got) == len(expected)
        for g, e in zip(got, expected):
            _same(g, e, rtol)
        return
    if isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray), f"expected an array, got {got!r}"
        assert got.dtype == expected.dtype, f"dtype {got.dtype} != {expected.dtype}"
        assert got.shape == expected.shape, f"shape {got.shape} != {expected.shape}"
        if expected.dtype.kind in "fc":
            np.testing.assert_allclose(got, expected, rtol=rtol, atol=0, equal_nan=True)
        else:
            np.testing.assert_array_equal(got, expected)
        return
    if expected is None:
        assert got is None
        return
    if isinstance(expected, (bool, np.bool_)):
        assert got is bool(expected) or got == bool(expected)
        return
    # NumPy's narrow scalar types (int8-uint64, float32, complex64) come back as themselves,
    # or as Python's type of their kind where numlir's variable was one (a loop-carried sum
    # that starts as a Python 0 stays an int64; NumPy 2 makes it the elements' type).
    if isinstance(expected, np.generic) and expected.dtype not in (np.int64, np.float64, np.complex128):
        python = {"b": bool, "i": int, "u": int, "f": float, "c": complex}[expected.dtype.kind]
        assert type(got) in (type(expected), python), f"expected {expected!r}, got {got!r}"
    if isinstance(expected, (complex, np.complexfloating)):
        assert isinstance(got, (complex, np.complexfloating)), f"expected a complex, got {got!r}"
        for g, e in ((got.real, expected.real), (got.imag, expected.imag)):
            assert (math.isnan(g) and math.isnan(e)) or math.isclose(g, e, rel_tol=rtol, abs_tol=1e-15 * (1 + abs(expected))), (got, expected)
        return
    if isinstance(expected, (int, np.integer)):
        assert isinstance(got, (int, np.integer)) and not isinstance(got, bool), f"expected an int, got {got!r}"
        assert got == int(expected)
        return
    assert isinstance(got, (float, np.floating)), f"expected a float, got {got!r}"
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert math.isclose(got, float(expected), rel_tol=rtol, abs_tol=1e-300), (got, expected)


def check(func, *args, rtol=1e-12, **options):
    """Runs ``func`` in Python and compiled on copies of ``args``; compares results and inputs."""
    py_args = [_copy(a) for a in args]
    jit_args = [_copy(a) for a in args]
    expected = func(*py_args)
    got = numlir.njit(**options)(func)(*jit_args)
    _same(got, expected, rtol)
    for g, e in zip(jit_args, py_args):
        if isinstance(e, np.ndarray):
            _same(g, e, rtol)
    return got


def layouts(a):
    """The same values in C order, Fortran order, a strided view and a reversed view."""
    out = [("C", np.ascontiguousarray(a)), ("F", np.asfortranarray(a))]
    big = np.zeros(tuple(2 * s for s in a.shape), dtype=a.dtype)
    view = big[tuple(slice(None, None, 2) for _ in a.shape)]
    view[...] = a
    out.append(("strided", view))
    out.append(("reversed", np.ascontiguousarray(a[::-1])[::-1]))
    return out


RNG = np.random.default_rng(1234)
VEC = RNG.standard_normal(17)
MAT = RNG.standard_normal((5, 7))
DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
          np.uint64, np.float32, np.float64]


def sample(dtype, shape):
    if np.dtype(dtype).kind == "b":
        return RNG.integers(0, 2, shape).astype(dtype)
    if np.dtype(dtype).kind in "iu":
        return RNG.integers(0, 5, shape).astype(dtype)  # small: int8 sums must not overflow
    return RNG.standard_normal(shape).astype(dtype)


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


# -------------------------------------------------------------------- expressions

def axpy(a, x, y):
    return a * x + y


def mixed(a, b):
    return (a - b) / (b * b + 1.0), -a, a > b, a // 2, a % 3, a ** 2


def broadcast(m, v):
    return m + v, m * 2.0, 1.0 - m, m >= v


def int_ops(a, b):
    return a + b, a * b, a & b, a | b, a ^ b, a == b, a // 3, a % 7


@pytest.mark.parametrize("name,a", layouts(VEC))
def test_elementwise(name, a):
    check(axpy, 2.0, a, a[::-1].copy())
    check(mixed, a, VEC * 3)


@pytest.mark.parametrize("name,m", layouts(MAT))
def test_broadcasting(name, m):
    check(broadcast, m, VEC[:7])


def test_broadcast_mismatch():
    with pytest.raises(ValueError, match="broadcast"):
        numlir.njit(axpy)(1.0, np.zeros(3), np.zeros(4))


# Expressions whose elementwise parts are fused into one loop (see tests/lit/arrays-linalg.py).
def fused_broadcast(a, b, c):
    return a * b + c


def fused_shared_leaf(a):
    return a * a + a - 1.0


def fused_mixed_dtypes(i, f, k):
    return (i * f + k) // 2


def fused_ufuncs(a):
    return np.exp(-np.abs(a)) * np.where(a > 0, a, 0.5) + np.clip(a, -0.5, 0.5)


def fused_comparisons(a, b):
    return np.logical_and(a > 0, ~(b < 0)) | (a == b)


def write_between(a, b):
    t = a * 2.0
    a[0] = 100.0  # t was computed before this write
    return t + b


def fused_in_loop(a, b, n):
    out = np.zeros_like(a)
    for i in range(n):
        out = out + a * b - i
    return out


@pytest.mark.parametrize("name,m", layouts(MAT))
def test_fused_expressions(name, m):
    check(fused_broadcast, m, VEC[:7], m[:, :1].copy())
    check(fused_broadcast, VEC[:7], 3.0, m)
    check(fused_shared_leaf, m)
    check(fused_ufuncs, m)
    check(fused_comparisons, m, m[::-1].copy())
    check(write_between, m.copy(), m)
    check(fused_in_loop, m, m, 4)


def test_fused_mixed_dtypes():
    i = sample(np.int32, 11)
    check(fused_mixed_dtypes, i, np.linspace(-3, 3, 11).astype(np.float32), 7, rtol=1e-6)
    check(fused_mixed_dtypes, i, i[::-1].copy(), np.int16(3))


def test_fused_broadcast_mismatch():
    with pytest.raises(ValueError, match="broadcast"):
        numlir.njit(fused_broadcast)(np.zeros((2, 3)), np.zeros(3), np.zeros(4))


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint8, np.uint32])
def test_int_elementwise(dtype):
    a, b = sample(dtype, 11), sample(dtype, 11)
    check(int_ops, a, b)


@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.uint8])
def test_promotion(dtype):
    a = sample(dtype, 9)
    check(axpy, 2, a, a)
    check(axpy, a, np.arange(9.0), 1)


UNARY = ["sqrt", "exp", "log", "log2", "log10", "expm1", "log1p", "sin", "cos", "tan", "arcsin",
         "arccos", "arctan", "sinh", "cosh", "tanh", "abs", "absolute", "negative", "floor",
         "ceil", "trunc", "rint", "sign", "square", "isnan", "isinf", "isfinite", "logical_not"]
BINARY = ["power", "minimum", "maximum", "fmin", "fmax", "hypot", "arctan2", "logical_and",
          "logical_or"]


# One module-level function per ufunc (compiled code reads globals, not closures).
for _name in UNARY:
    exec(f"def ufunc_{_name}(a):\n    return np.{_name}(a)\n")
for _name in BINARY:
    exec(f"def ufunc_{_name}(a, b):\n    return np.{_name}(a, b)\n")


def _unary(name):
    return globals()[f"ufunc_{name}"]


_binary = _unary


@pytest.mark.parametrize("name", UNARY)
def test_unary_ufuncs(name):
    a = np.array([0.5, 0.25, -0.75, 0.0, 2.0, np.nan, np.inf, -np.inf, 1e-10])
    if name in ("sqrt", "log", "log2", "log10", "log1p", "arcsin", "arccos"):
        a = np.abs(a[np.isfinite(a)]) / 3
    with np.errstate(all="ignore"):
        check(_unary(name), a, rtol=1e-14)
        check(_unary(name), a.astype(np.float32), rtol=1e-6)
        check(_unary(name), 0.3, rtol=1e-14)


@pytest.mark.parametrize("name", BINARY)
def test_binary_ufuncs(name):
    a = np.array([0.5, 2.0, -0.75, 0.0, 3.0, np.nan])
    b = np.array([1.5, 0.5, 2.0, 0.0, -1.0, 1.0])
    if name == "power":
        a, b = np.abs(a), b
    with np.errstate(all="ignore"):
        check(_binary(name), a, b, rtol=1e-14)
        check(_binary(name), a, 0.5, rtol=1e-14)


def where_clip(a):
    return np.where(a > 0, a, 0.0), np.clip(a, -0.5, 0.5)


def test_where_clip():
    check(where_clip, VEC)
    check(where_clip, MAT)


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


# ------------------------------------------------------- loop nests that write arrays
# (regression: with arrays to free, a triple loop once lost its stores)

def matmul_loops(a, b):
    n, k = a.shape
    m = b.shape[1]
    c = np.zeros((n, m))
    for i in range(n):
        for p in range(k):
            aip = a[i, p]
            for j in range(m):
                c[i, j] += aip * b[p, j]
    return c


def first_rows_above(a, limit):
    out = np.zeros(a.shape[0], dtype=np.int64)
    count = 0
    for i in range(a.shape[0]):
        j = 0
        while j < a.shape[1]:
            if a[i, j] > limit:
                out[count] = i * 1000 + j
                count += 1
                break
            j += 1
        if count >= 3:
            break
    return out[:count].copy(), count


def temporaries_in_nest(a, n):
    acc = np.zeros_like(a)
    for i in range(n):
        for j in range(n):
            t = a * i - j
            if t.sum() > 1e300:
                continue
            acc = acc + t
    return acc


@pytest.mark.parametrize("name,a", layouts(MAT))
def test_loop_nests_writing_arrays(name, a):
    check(matmul_loops, a, RNG.standard_normal((7, 4)), rtol=1e-12)
    check(first_rows_above, a, 0.5)
    check(first_rows_above, a, 100.0)
    check(temporaries_in_nest, a, 4, rtol=1e-12)


# ------------------------------------------------------------- empty and one-element

def small_cases(a):
    b = a * 2.0 + 1.0
    c = np.sqrt(np.abs(a))
    return (b, c, a.sum(), a.prod(), np.any(a > 0), np.all(a > 0), np.cumsum(a), a.ravel(),
            a.reshape(-1), a.T.copy(), np.zeros_like(a), a.sum(axis=0), np.outer(a, a))


def loop_sum(a):
    s = 0.0
    for x in a.ravel():
        s += x
    return s


@pytest.mark.parametrize("shape", [(0,), (1,), (0, 3), (3, 0), (1, 1), (1, 4)])
def test_empty_and_one_element(shape):
    a = RNG.standard_normal(shape)
    for name, x in layouts(a):
        check(small_cases, x)
        check(loop_sum, x)


# ------------------------------------------------------------------- memory and safety

def _rss():
    """The process's resident memory in bytes."""
    with open("/proc/self/statm") as s:
        return int(s.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def make_mb(n):
    return np.ones(n)


def test_returned_arrays_are_freed():
    """1 MB returned 10 000 times: resident memory must stay flat (NumPy frees it)."""
    f = numlir.njit(make_mb)
    f(131072)

    for _ in range(200):
        f(131072)
    gc.collect()
    before = _rss()
    for _ in range(10000):
        a = f(131072)
        assert a.shape == (131072,)
    del a
    gc.collect()
    assert _rss() - before < 50 * 2 ** 20, "returned arrays leak"


def range_indices(a, start, stop, step):
    # Indices that come from a range loop's variable, plus or minus a constant: they skip
    # the negative-index wrap only where the range cannot make them negative.
    out = np.zeros(60)
    b = np.zeros(a.shape[0])
    k = 0
    for j in range(start, stop, step):
        out[k] = a[j]
        out[k + 1] = a[j - 1]
        out[k + 2] = a[2 + j]
        b[j] += 1.0
        k += 3
    return out, b


@pytest.mark.parametrize("start,stop,step", [(0, 5, 1), (1, 8, 3), (-5, 5, 1), (-3, 7, 2),
                                             (7, -8, -1), (7, -8, -3), (-1, -9, -2), (5, 5, 1)])
def test_range_variables_as_indices(start, stop, step):
    check(range_indices, np.arange(10.0), start, stop, step)


def sieve_flags(n, stop):
    # Filled in loops and returned from one of three returns, one a view of the array: the
    # array's ownership is known only at run time, and the function hands out the array it
    # made (or the view of it) rather than a copy.
    flags = np.ones(n, dtype=np.bool_)
    flags[:2] = False
    i = 2
    while i * i < n:
        if i == stop:
            return flags[:i * i]
        if flags[i]:
            for j in range(i * i, n, i):
                flags[j] = False
        i += 1
    if stop < 0:
        return np.zeros(3, dtype=np.bool_)
    return flags


@pytest.mark.parametrize("n,stop", [(100, 0), (100, 5), (1000, 7), (10, -1), (0, 0), (2, 0)])
def test_arrays_filled_in_loops_are_returned(n, stop):
    check(sieve_flags, n, stop)


def test_arrays_filled_in_loops_are_freed():
    """The array returned as it is (not a copy) is freed once, by NumPy: 3000 returns of a
    1 MB array and of a view of one keep resident memory flat."""
    f = numlir.njit(sieve_flags)
    f(100, 0)
    gc.collect()
    before = _rss()
    for k in range(3000):
        a = f(1_000_000, 3 if k % 2 else 0)
        assert a.shape == ((9,) if k % 2 else (1_000_000,))
    del a
    gc.collect()
    assert _rss() - before < 50 * 2 ** 20, "arrays returned from loops leak"


def views_of_arguments(a, flag):
    if flag:
        return a[1:, ::2], a.T
    return a * 2.0, a.T


def test_returned_views_of_arguments():
    """Views of arguments come back as views (no copy): writes reach the argument, the
    argument stays alive through them, and a read-only argument gives read-only views."""
    f = numlir.njit(views_of_arguments)
    a = MAT.copy()
    v, t = f(a, True)
    expected = views_of_arguments(MAT.copy(), True)
    _same(v, expected[0], 0)
    _same(t, expected[1], 0)
    assert np.shares_memory(v, a) and np.shares_memory(t, a)
    v[0, 0] = 123.0
    assert a[1, 0] == 123.0
    doubled, t = f(a, False)
    assert not np.shares_memory(doubled, a) and np.shares_memory(t, a)
    values = a.T.copy()
    del a, v, doubled
    gc.collect()
    _same(t, values, 0)  # the argument's buffer is alive through t
    ro = MAT.copy()
    ro.flags.writeable = False
    v, t = f(ro, True)
    assert not v.flags.writeable and not t.flags.writeable
    _same(v, views_of_arguments(ro, True)[0], 0)


def test_large_returned_arrays_are_freed():
    """40 MB buffers (allocated with huge pages) returned 300 times: memory stays flat."""
    f = numlir.njit(make_mb)
    f(10)

    gc.collect()
    before = _rss()
    for _ in range(300):
        a = f(5_000_000)
        assert a[-1] == 1.0
    del a
    gc.collect()
    assert _rss() - before < 100 * 2 ** 20, "large returned arrays leak"


def full_of(n, value):
    return np.full(n, value)


def test_large_buffers_are_reused_without_aliasing():
    """A large result's buffer, given back when its array is dropped, serves the next large
    result of about its size; live arrays never share one."""
    f = numlir.njit(full_of)
    n = 5_000_000  # 40 MB
    a, b = f(n, 1.0), f(n, 2.0)
    assert a.ctypes.data != b.ctypes.data
    address = a.ctypes.data
    del a
    gc.collect()
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    c = f(n, 3.0)
    # Written without page faults: the memory was already mapped (a fresh 40 MB block
    # would fault at least once per 2 MB huge page).
    assert resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults < 10
    assert c.ctypes.data == address, "the dropped array's buffer was not reused"
    np.testing.assert_array_equal(b, full_of(n, 2.0))
    np.testing.assert_array_equal(c, full_of(n, 3.0))
    d = f(n - 1000, 4.0)  # a little smaller: may reuse nothing live
    assert len({b.ctypes.data, c.ctypes.data, d.ctypes.data}) == 3
    np.testing.assert_array_equal(d, full_of(n - 1000, 4.0))
    np.testing.assert_array_equal(b, full_of(n, 2.0))


def test_buffer_cache_is_bounded():
    """Eight 40 MB results dropped at once: at most four buffers are kept (160 MB)."""
    f = numlir.njit(full_of)
    n = 5_000_000
    f(n, 0.0)
    gc.collect()
    before = _rss()
    arrays = [f(n, float(i)) for i in range(8)]
    assert all(a[-1] == i for i, a in enumerate(arrays))
    del arrays
    gc.collect()
    assert _rss() - before < 200 * 2 ** 20, "the buffer cache keeps too much"


def shared_buffer(n):
    a = np.arange(n * 1.0)
    return a, a


def test_two_results_sharing_a_buffer():
    """Two returned arrays over one allocation: freed once, after both are gone."""
    f = numlir.njit(shared_buffer)
    for _ in range(1000):
        x, y = f(1000)
        del x
        gc.collect()
        assert y.sum() == sum(range(1000))
        del y


def temporaries(a):
    t = 0.0
    for i in range(100):
        b = a * 2.0 + 1.0
        t += b.sum()
        if t > 1e300:
            break
    return t


def test_temporaries_in_loops():
    check(temporaries, VEC, rtol=1e-9)


def out_of_bounds(a, i):
    return a[i]


def test_boundscheck():
    a = np.arange(5.0)
    f = numlir.njit(boundscheck=True)(out_of_bounds)
    assert f(a, 4) == 4.0 and f(a, -5) == 0.0
    with pytest.raises(IndexError, match="out of bounds for axis 0"):
        f(a, 5)
    with pytest.raises(IndexError):
        f(a, -6)


def read_2d(a, i, j):
    return a[i, j]


def write_2d(a, i, j):
    a[i, j] = 1.0
    return a


def row_then_element(a, i, j):
    row = a[i]
    return row[j]


def calls_read_2d(a, i, j):
    return read_2d_compiled(a, i, j) + 1.0


read_2d_compiled = numlir.njit(boundscheck=True)(read_2d)


@pytest.mark.parametrize("fn", [read_2d, write_2d, row_then_element, calls_read_2d],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("ij", [(3, 0), (-4, 0), (0, 4), (2, -5), (7, 9), (2, 3), (-3, -4)])
def test_boundscheck_messages_match_numpy(fn, ij):
    """The IndexError names the index as written, the axis and its size, as NumPy's does."""
    a = np.zeros((3, 4))
    compiled = numlir.njit(boundscheck=True)(fn)
    try:
        plain = fn if fn is not calls_read_2d else (lambda a, i, j: read_2d(a, i, j) + 1.0)
        expected = plain(a.copy(), *ij)
    except IndexError as exc:
        with pytest.raises(IndexError) as info:
            compiled(a.copy(), *ij)
        assert str(info.value) == str(exc)
        return
    got = compiled(a.copy(), *ij)
    if isinstance(expected, np.ndarray):
        np.testing.assert_array_equal(got, expected)
    else:
        assert got == expected


def test_boundscheck_env(monkeypatch):
    monkeypatch.setenv("NUMLIR_BOUNDSCHECK", "1")
    f = numlir.njit(out_of_bounds)
    with pytest.raises(IndexError):
        f(np.arange(3.0), 3)


def test_numpy_scalar_arguments():
    def f(x, y, z):
        return x * 2 + y, z
    check(f, np.float32(1.5), np.int16(3), np.bool_(True))


def test_read_only_arrays():
    a = np.arange(6.0)
    a.setflags(write=False)
    check(sum_by_index, a)


def test_explicit_array_signature():
    f = numlir.njit("float64(float64[:])")(sum_by_index)
    assert f(np.arange(4.0)) == 6.0
    assert f(np.arange(8.0)[::2]) == 12.0
    with pytest.raises(TypeError):
        f(np.arange(4, dtype=np.int32))


def test_dispatch_keys_on_layout():
    f = numlir.njit(sum_2d)
    f(np.ones((2, 3)))
    f(np.asfortranarray(np.ones((2, 3))))
    f(np.ones((4, 6))[::2, ::2])
    assert [str(s[0]) for s in f.signatures] == ["float64[:, ::1]", "float64[::1, :]", "float64[:, :]"]


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
    assert "test_arrays.py" in str(info.value)


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


# ------------------------------------------------------------ augmented assignment

def augmented(a, b):
    v = a[1:]
    a += 1.0
    a *= b  # broadcasts b into a
    a -= 0.5
    a /= 2.0
    return v.sum(), a


def augmented_after_read(a):
    t = a * 2.0
    a += 1.0  # t was computed before this write
    return t + a


def augmented_overlap(a):
    a[1:] += a[:-1]  # NumPy reads the right side as if before any write
    a -= a[::-1]
    return a


def augmented_ints(a, b):
    a += b
    a //= 2
    a <<= 1
    return a


@pytest.mark.parametrize("name,m", layouts(MAT))
def test_augmented_assignment_is_in_place(name, m):
    check(augmented, m, VEC[:7].copy())
    check(augmented_after_read, m)
    check(augmented_overlap, m)
    check(augmented_overlap, m[0].copy())


def test_augmented_assignment_dtypes():
    i = sample(np.int32, 9)
    check(augmented_ints, i, sample(np.int8, 9))
    check(augmented_ints, i.astype(np.uint8), np.uint8(3))
    f32 = np.linspace(0, 1, 9, dtype=np.float32)
    check(augmented_after_read, f32, rtol=1e-6)


def add_float_into_int(a):
    a += 1.5
    return a


def test_augmented_assignment_same_kind():
    with pytest.raises(numlir.TypingError, match="same_kind"):
        numlir.njit(add_float_into_int)(np.zeros(3, dtype=np.int64))


def sums(a):
    return a.sum(), np.mean(a), a.var(), np.prod(a[:50])


def test_large_sums_agree_with_numpy():
    """Whole-array sums keep several partial sums (vectorized, like NumPy's pairwise sum)."""
    a = RNG.standard_normal(1_000_003)
    check(sums, a, rtol=1e-10)
    check(sums, a.astype(np.float32), rtol=1e-4)
    check(sums, a[:1000000].reshape(1000, 1000)[::2, ::-3], rtol=1e-10)


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


# ---------------------------------------------------- assignment from an overlapping view

def reverse_in_place(a):
    a[:] = a[::-1]
    return a


def shift_right(a):
    a[1:] = a[:-1]
    a[:, 0] = a[0] if a.ndim == 1 else a[:, 1]
    return a


@pytest.mark.parametrize("name,m", layouts(MAT))
def test_assignment_from_overlapping_view(name, m):
    """NumPy reads the whole right side before writing: a view of the target is copied."""
    check(reverse_in_place, m)
    check(reverse_in_place, m[0].copy())
    check(shift_right, m)


# ------------------------------------------------------- calls that pass arrays around

@numlir.njit
def doubled_times(a, n):
    if n == 0:
        return a
    return doubled_times(a * 2.0, n - 1)


def recursion_over_arrays(a):
    return doubled_times(a, 3) + doubled_times(a, 0)


@numlir.njit
def filled(a, v):
    for i in range(a.shape[0]):
        a[i] = v
    return a


def calls_with_arrays(n):
    x = np.empty(n)
    y = filled(x, 2.5)
    return x.sum() + y.sum(), doubled_times(np.arange(n * 1.0), 2)


def test_recursion_over_arrays():
    """Regression: a recursive function returning arrays crashed (a poison memref that the
    deallocation freed)."""
    check(recursion_over_arrays, np.arange(5.0))
    for n in range(4):
        _same(doubled_times(np.arange(3.0), n), np.arange(3.0) * 2.0 ** n, 0)
    check(calls_with_arrays, 6)


@numlir.njit
def view_or_new(a, flag):
    if flag:
        return a[1:]
    return a * 2.0


def internal_calls(a, n):
    s = 0.0
    for i in range(n):
        v = view_or_new(a, i % 2 == 0)
        v[0] += 1.0  # writes reach `a` when v is a view of it
        s += v[0]
    return s


def test_views_returned_between_compiled_functions():
    """A view returned by one compiled function to another is a view (writes reach the
    caller's array), and the new arrays returned in between are all freed."""
    check(internal_calls, np.arange(10.0), 7)
    f = numlir.njit(internal_calls)
    a = np.zeros(1_000_000)
    f(a, 2)

    gc.collect()
    before = _rss()
    f(a, 400)  # 200 arrays of 8 MB made and dropped inside compiled code
    assert _rss() - before < 100 * 2 ** 20, "arrays returned between compiled functions leak"


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


# numlir-stream-stores: a loop that writes an array without reading it gets a copy with
# non-temporal stores, taken when the loop nest stores at least NUMLIR_STREAM_MIN_BYTES
# (by default half the last-level cache; 1 here, so small arrays take it too). It first
# runs scalar iterations up to a 64-byte boundary of the output, which depends on where
# the output starts: views at every element offset, inside a zeroed buffer whose other
# elements must stay zero. Small-integer data keep every result exact in any dtype.
def scaled(a, out):
    for i in range(a.shape[0]):
        out[i] = a[i] * 3 + 1


def stencil_rows(u, out):
    n, m = u.shape
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            out[i, j] = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1])
    return out


def stencil_steps(u, out, steps):
    n, m = u.shape
    for k in range(steps):
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                out[i, j] = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1])
        u, out = out, u
    return u


def running_sum(a, out):
    out[0] = a[0]
    for i in range(1, a.shape[0]):
        out[i] = out[i - 1] + a[i]


def last_values(a, out):
    """Values of the last iteration are used after the loop: the streaming copy hands them
    on (and starts from where the aligning iterations stopped)."""
    v = 0.0
    k = -1
    for i in range(a.shape[0]):
        v = a[i] * 2.0 + k
        out[i] = v
        k = i
    return v, k


def prefix_sums(a, out):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
        out[i] = s
    return s


def _offset_views(dtype, n, offset):
    """The same output view (`n` elements from `offset`) in two zeroed buffers."""
    bufs = [np.zeros(n + 40, dtype=dtype) for _ in range(2)]
    return bufs, [b[offset:offset + n] for b in bufs]


@pytest.mark.parametrize("stream_min_bytes", ["1", None], ids=["streamed", "plain"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32, np.int16])
@pytest.mark.parametrize("n", [0, 1, 127, 128, 129, 300, 1037])
def test_streaming_stores_at_every_offset(stream_min_bytes, dtype, n, monkeypatch):
    if stream_min_bytes:
        monkeypatch.setenv("NUMLIR_STREAM_MIN_BYTES", stream_min_bytes)
    compiled = numlir.njit(scaled, cache=False)
    a = RNG.integers(-50, 50, n + 16).astype(dtype)
    for offset in range(17):
        (py_buf, jit_buf), (py_out, jit_out) = _offset_views(dtype, n, offset)
        source = a[offset % 3:offset % 3 + n]
        scaled(source, py_out)
        compiled(source, jit_out)
        np.testing.assert_array_equal(jit_buf, py_buf)


@pytest.mark.parametrize("stream_min_bytes", ["1", None], ids=["streamed", "plain"])
@pytest.mark.parametrize("shape", [(3, 3), (5, 130), (4, 257), (9, 1000), (2, 2000)])
def test_streaming_stores_in_a_nest(stream_min_bytes, shape, monkeypatch):
    """Rows of 257 elements start at a different offset from a 64-byte boundary each."""
    if stream_min_bytes:
        monkeypatch.setenv("NUMLIR_STREAM_MIN_BYTES", stream_min_bytes)
    u = RNG.integers(-8, 9, shape).astype(np.float64)
    check(stencil_rows, u, np.zeros(shape), cache=False)
    check(stencil_rows, u.astype(np.float32), np.ones(shape, np.float32), cache=False)
    check(stencil_steps, u, u.copy(), 3, cache=False)


@pytest.mark.parametrize("n", [0, 5, 200, 1037])
def test_streaming_stores_hand_on_last_values(n, monkeypatch):
    monkeypatch.setenv("NUMLIR_STREAM_MIN_BYTES", "1")
    compiled = numlir.njit(last_values, cache=False)
    a = RNG.integers(-8, 9, n + 8).astype(np.float64)
    for offset in range(9):
        (py_buf, jit_buf), (py_out, jit_out) = _offset_views(np.float64, n, offset)
        assert compiled(a[:n], jit_out) == last_values(a[:n], py_out)
        np.testing.assert_array_equal(jit_buf, py_buf)


@pytest.mark.parametrize("shape", [(4, 300), (3, 1037)])
def test_streaming_stores_into_the_array_read(shape, monkeypatch):
    """Output and input the same array (or overlapping views) as two arguments: the vector
    loop's overlap check sends it to the scalar loop, in order, as CPython runs it."""
    monkeypatch.setenv("NUMLIR_STREAM_MIN_BYTES", "1")
    compiled = numlir.njit(stencil_rows, cache=False)
    u = RNG.integers(-8, 9, shape).astype(np.float64)
    py_u, jit_u = u.copy(), u.copy()
    stencil_rows(py_u, py_u)
    compiled(jit_u, jit_u)
    np.testing.assert_array_equal(jit_u, py_u)
    flat = RNG.integers(-8, 9, 600).astype(np.float64)  # (3^200 stays finite)
    py_flat, jit_flat = flat.copy(), flat.copy()
    scaled(py_flat[:-3], py_flat[3:])
    numlir.njit(scaled, cache=False)(jit_flat[:-3], jit_flat[3:])
    np.testing.assert_array_equal(jit_flat, py_flat)


def test_streaming_stores_leave_loops_that_read_their_output(monkeypatch):
    """Also loops that carry a sum from one iteration to the next (they do not vectorize)."""
    monkeypatch.setenv("NUMLIR_STREAM_MIN_BYTES", "1")
    a = RNG.integers(-8, 9, 2000).astype(np.float64)
    check(running_sum, a, np.zeros(2000), cache=False)
    check(prefix_sums, a, np.zeros(2000), cache=False)


@pytest.mark.skipif(os.uname().machine != "x86_64", reason="x86's non-temporal stores")
def test_streaming_stores_are_non_temporal_in_the_machine_code():
    compiled = numlir.njit(scaled)
    compiled(np.zeros(4), np.zeros(4))
    assert "movntpd" in compiled.inspect_ir("asm")
    assert "sfence" in compiled.inspect_ir("asm")


def test_streaming_stores_from_threads(monkeypatch):
    """Each thread fills its own array with non-temporal stores; the sfence before the
    function returns makes them visible to the thread that reads them next."""
    import threading
    monkeypatch.setenv("NUMLIR_STREAM_MIN_BYTES", "1")
    compiled = numlir.njit(scaled, cache=False, nogil=True)
    a = RNG.integers(-50, 50, 100_003).astype(np.float64)
    outs = [np.zeros(a.size - k) for k in range(8)]
    threads = [threading.Thread(target=compiled, args=(a[k:], out)) for k, out in enumerate(outs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k, out in enumerate(outs):
        expected = np.zeros(a.size - k)
        scaled(a[k:], expected)
        np.testing.assert_array_equal(out, expected)
