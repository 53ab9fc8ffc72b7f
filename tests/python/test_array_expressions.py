"""Array expressions: elementwise operators and ufuncs with broadcasting, augmented
assignment, and assignment from an overlapping view, compared with NumPy (``check`` in
array_checks.py).
"""
import numpy as np
import pytest

import numlir
from array_checks import check, layouts, RNG, VEC, MAT, sample


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


# ------------------------------------------ expressions computed straight into their target
# `a[...] = expr` and `a op= expr` compute expr inside the loop that writes a (no
# temporary). An operand that is the target itself is read as it is; a different view of
# the target's memory is read from a copy, so each result is NumPy's.

def expression_into_itself(a, b):
    a[:] = a * 2.0 + b
    a += a * a
    return a


def expression_from_overlapping_views(a):
    a[1:] = a[:-1] * 2.0 + a[1:]
    a[:] = a[::-1] - a
    a += a[::-1] * 0.5
    return a


def expression_into_view(m, v):
    n = m.shape[0] // 2
    m[:2 * n:2] = m[1::2][:n] * v + 1.0   # a view of the target, broadcast v
    m[:, 0] = m[:, -1] + m[:, 0]
    return m


def expression_converted(i, f):
    i[:] = f * 2.5 + 1.0          # floats into ints, truncated as NumPy's assignment does
    f[:] = i + f                  # ints and floats into floats
    return i, f


def expression_into_transpose(m):
    m[:] = m.T * 2.0 + m          # square: the transpose is the same memory, other order
    return m


@pytest.mark.parametrize("name,m", layouts(MAT))
def test_expression_assignment_into_target(name, m):
    check(expression_into_itself, m.copy(), m[0].copy())
    check(expression_into_itself, m, m[0].copy())
    check(expression_from_overlapping_views, m[0].copy())
    check(expression_from_overlapping_views, m)
    check(expression_into_view, m, m[0].copy())
    square = np.ascontiguousarray(m[:, :m.shape[0]]) if m.shape[1] >= m.shape[0] else m[:m.shape[1]]
    check(expression_into_transpose, square)


def test_expression_assignment_converts_and_checks_shapes():
    check(expression_converted, np.zeros(9, dtype=np.int64), np.linspace(-3, 3, 9))
    check(expression_converted, np.zeros(9, dtype=np.int32), np.linspace(-3, 3, 9, dtype=np.float32), rtol=1e-6)

    def mismatch(t, a, b):
        t[:] = a + b
    f = numlir.njit(mismatch)
    for shapes in (((3, 4), (4,), (3,)), ((3, 4), (3, 4), (2, 4)), ((3, 4), (5, 4), (5, 4))):
        t, a, b = (np.ones(s) for s in shapes)
        with pytest.raises(ValueError):
            mismatch(t.copy(), a, b)
        with pytest.raises(ValueError):
            f(t, a, b)
