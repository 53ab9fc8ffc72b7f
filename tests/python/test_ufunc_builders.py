"""@numlir.vectorize and @numlir.guvectorize: real numpy.ufunc objects whose loops are
compiled, compared with NumPy running the same Python function (the plain function on
arrays, np.vectorize of it, or NumPy's own ufunc of the same arithmetic)."""
import math
import warnings

import numpy as np
import pytest

import numlir
from array_checks import layouts, MAT, VEC, sample


def axpb(a, b):
    return a + 2 * b


def gauss(x, s):
    return math.exp(-x * x / s) * math.cos(x)


def reference(func, *args, otype):
    return np.vectorize(func, otypes=[otype])(*args)


AXPB = numlir.vectorize(["float64(float64, float64)", "float32(float32, float32)", "int64(int64, int64)"],
                        identity=0)(axpb)


def type_string(args, ret):
    return "".join(np.dtype(a).char for a in args) + "->" + np.dtype(ret).char


def test_vectorize_builds_a_numpy_ufunc():
    assert isinstance(AXPB, np.ufunc)
    assert AXPB.__name__ == "axpb"
    assert (AXPB.nin, AXPB.nout, AXPB.nargs, AXPB.ntypes) == (2, 1, 3, 3)
    assert AXPB.types == [type_string(["float64"] * 2, "float64"), type_string(["float32"] * 2, "float32"),
                          type_string(["int64"] * 2, "int64")]
    assert AXPB.identity == np.add.identity   # identity=0, as np.add's
    assert AXPB.signature is None
    assert numlir.vectorize(["float64(float64, float64)"])(axpb).identity is None
    assert numlir.vectorize(["float64(float64, float64)"], identity=1)(axpb).identity == np.multiply.identity


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_vectorize_matches_numpy_over_layouts(dtype):
    m = sample(dtype, MAT.shape)
    for name, x in layouts(m):
        for y in (m, m[0], dtype(3), np.ascontiguousarray(m[:, :1])):
            got, expected = AXPB(x, y), axpb(x, y)
            assert got.dtype == expected.dtype and got.shape == expected.shape, name
            np.testing.assert_array_equal(got, expected)
    # 0-d and empty inputs
    np.testing.assert_array_equal(AXPB(np.array(dtype(2)), dtype(5)), axpb(np.array(dtype(2)), dtype(5)))
    assert AXPB(np.zeros((0, 3), dtype), np.ones(3, dtype)).shape == (0, 3)


def test_vectorize_math_kernel_matches_numpy_and_scales():
    g = numlir.vectorize(["float64(float64, float64)"])(gauss)
    gp = numlir.vectorize(["float64(float64, float64)"], target="parallel")(gauss)
    x = np.linspace(-4, 4, 100_003)   # above the size a loop is split among threads from
    expected = reference(gauss, x, 2.0, otype=np.float64)
    np.testing.assert_allclose(g(x, 2.0), expected, rtol=1e-15)
    np.testing.assert_array_equal(gp(x, 2.0), g(x, 2.0))
    s = np.abs(x[::3]) + 1.0
    np.testing.assert_array_equal(gp(x[::-3], s), g(x[::-3], s))


def test_ufunc_machinery_out_where_casting_and_methods():
    a, b = sample(np.float64, 9), sample(np.float64, 9)[::-1].copy()
    out, expected = np.zeros(9), np.zeros(9)
    AXPB(a, b, out=out)
    np.testing.assert_array_equal(out, axpb(a, b))
    mask = a > 0
    out[:] = -1.0
    expected[:] = -1.0
    AXPB(a, b, out=out, where=mask)
    np.add(a, 2 * b, out=expected, where=mask)
    np.testing.assert_array_equal(out, expected)
    # Other input types take the first loop they cast to safely (NumPy's rule).
    for dtype in (np.int32, np.float16, np.uint8, np.bool_):
        first = next(t for t in AXPB.types if all(np.can_cast(dtype, c) for c in t[:2]))
        assert AXPB(np.ones(3, dtype), np.ones(3, dtype)).dtype == np.dtype(first[-1])
    with pytest.raises(TypeError):
        AXPB(np.ones(3, complex), np.ones(3))   # no complex loop
    # reduce / accumulate / outer / at, against a NumPy ufunc with the same arithmetic
    # (no identity: NumPy's reduce starts from the first element, as frompyfunc's does)
    mine = numlir.vectorize(["float64(float64, float64)", "int64(int64, int64)"])(axpb)
    plus_two = np.frompyfunc(axpb, 2, 1)
    ints = np.arange(1, 8)
    assert mine.reduce(ints) == plus_two.reduce(ints)
    np.testing.assert_array_equal(mine.accumulate(ints), plus_two.accumulate(ints).astype(np.int64))
    np.testing.assert_array_equal(mine.outer(ints[:3], ints[:4]), plus_two.outer(ints[:3], ints[:4]).astype(np.int64))
    m = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(mine.reduce(m, axis=1), plus_two.reduce(m, axis=1).astype(np.float64))
    assert AXPB.reduce(np.zeros(0)) == np.add.reduce(np.zeros(0))   # the identity, 0
    with pytest.raises(ValueError):
        mine.reduce(np.zeros(0))                                      # no identity
    target, theirs = np.zeros(5), np.zeros(5)
    mine.at(target, [0, 2, 2], 1.0)
    plus_two.at(theirs, [0, 2, 2], 1.0)
    np.testing.assert_array_equal(target, theirs.astype(np.float64))


def test_dufunc_compiles_loops_for_new_types():
    d = numlir.vectorize(axpb)
    assert isinstance(d, numlir.DUFunc) and d.ntypes == 0
    i = np.arange(5)
    got = d(i, 3)
    assert got.dtype == axpb(i, 3).dtype
    np.testing.assert_array_equal(got, axpb(i, 3))
    got = d(i * 0.5, 0.25)
    np.testing.assert_array_equal(got, axpb(i * 0.5, 0.25))
    assert d.types == [type_string(["int64"] * 2, "int64"), type_string(["float64"] * 2, "float64")]
    d(i, 4)   # a known type: no new loop
    assert d.ntypes == 2
    f32 = np.arange(4, dtype=np.float32)
    assert d(f32, f32).dtype == np.float32
    assert d.reduce(np.arange(1, 6)) == np.frompyfunc(axpb, 2, 1).reduce(np.arange(1, 6))
    d.add("float64(float64, int64)")
    assert type_string(["float64", "int64"], "float64") in d.types
    assert numlir.vectorize()(axpb).nin == 2   # @vectorize() with no signatures: a DUFunc too


def kernel_that_raises(x):
    if x > 5:
        raise ValueError("x too large")
    return x * 2.0


def test_vectorize_errors():
    bad = numlir.vectorize(["float64(float64)"])(kernel_that_raises)
    np.testing.assert_array_equal(bad(np.arange(5.0)), np.arange(5.0) * 2.0)
    with pytest.raises(ValueError, match="x too large"):
        bad(np.arange(10.0))
    # Division by zero follows NumPy's error model, as numba's ufuncs do: inf and a warning.
    divide = numlir.vectorize(["float64(float64, float64)"])(lambda a, b: a / b)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = divide(np.ones(3), np.zeros(3))
    with np.errstate(divide="ignore"):
        np.testing.assert_array_equal(got, np.ones(3) / np.zeros(3))
    assert any(issubclass(w.category, RuntimeWarning) for w in caught)
    with pytest.raises(TypeError):
        numlir.vectorize(["float64(float64[:], float64)"])(axpb)   # arrays are no ufunc operands
    with pytest.raises(TypeError):
        numlir.vectorize(["float64(float64)"])(axpb)               # one argument of two
    with pytest.raises(ValueError):
        numlir.vectorize(["float64(float64, float64)"], target="gpu")(axpb)
    with pytest.raises(ValueError):
        numlir.vectorize(["float64(float64, float64)"], identity=7)(axpb)


# ------------------------------------------------------------------------- guvectorize

def dot(x, y, res):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] * y[i]
    res[0] = s


def matmul(a, b, c):
    for i in range(a.shape[0]):
        for j in range(b.shape[1]):
            s = 0.0
            for k in range(a.shape[1]):
                s += a[i, k] * b[k, j]
            c[i, j] = s


def scale_shift(x, factor, out):
    for i in range(x.shape[0]):
        out[i] = x[i] * factor + 1.0


def test_guvectorize_builds_generalized_ufuncs():
    g = numlir.guvectorize(["void(float64[:], float64[:], float64[:])", "void(float32[:], float32[:], float32[:])"],
                           "(n),(n)->()")(dot)
    assert isinstance(g, np.ufunc)
    assert g.signature == "(n),(n)->()" and (g.nin, g.nout, g.ntypes) == (2, 1, 2)
    a = sample(np.float64, (4, 7))
    for name, x in layouts(a):
        got = g(x, a)
        expected = np.zeros(4)
        for i in range(4):
            r = np.zeros(1)
            dot(x[i], a[i], r)
            expected[i] = r[0]
        np.testing.assert_allclose(got, expected, rtol=1e-14)
    # loop dimensions broadcast: one vector against each row
    np.testing.assert_allclose(g(a, a[0]), [np.dot(r, a[0]) for r in a], rtol=1e-14)
    assert g(a.astype(np.float32), a.astype(np.float32)).dtype == np.float32


def test_guvectorize_matrices_out_and_scalars():
    mm = numlir.guvectorize(["void(float64[:,:], float64[:,:], float64[:,:])"], "(m,n),(n,p)->(m,p)")(matmul)
    s, t = sample(np.float64, (5, 3, 4)), sample(np.float64, (5, 4, 2))
    expected = np.zeros((5, 3, 2))
    for i in range(5):
        matmul(s[i], t[i], expected[i])
    np.testing.assert_allclose(mm(s, t), expected, rtol=1e-14)
    out = np.zeros((5, 3, 2))
    mm(s, t, out)   # an output passed in is written in place
    np.testing.assert_allclose(out, expected, rtol=1e-14)
    np.testing.assert_allclose(mm(s[:, :, ::-1], t[:, ::-1]), np.matmul(s[:, :, ::-1], t[:, ::-1]), rtol=1e-13)
    with pytest.raises(ValueError):
        mm(s, t[:, :3])   # core dimension n differs
    sc = numlir.guvectorize(["void(float64[:], float64, float64[:])"], "(n),()->(n)")(scale_shift)
    x = sample(np.float64, (3, 6))
    factors = np.array([1.0, -2.0, 0.5])
    expected = np.zeros_like(x)
    for i in range(3):
        scale_shift(x[i], factors[i], expected[i])
    np.testing.assert_array_equal(sc(x, factors), expected)
    par = numlir.guvectorize(["void(float64[:], float64, float64[:])"], "(n),()->(n)", target="parallel")(scale_shift)
    big = sample(np.float64, (40_000, 3))
    np.testing.assert_array_equal(par(big, 3.0), sc(big, 3.0))


def test_guvectorize_errors():
    with pytest.raises(ValueError):
        numlir.guvectorize(["void(float64[:], float64[:])"], "(n)(n)")(dot)
    with pytest.raises(TypeError):
        numlir.guvectorize(["void(float64[:], float64[:])"], "(n),(n)->()")(dot)   # 2 types, 3 operands
    with pytest.raises(TypeError):
        numlir.guvectorize(["float64(float64[:], float64[:], float64[:])"], "(n),(n)->()")(dot)


# ------------------------------------------------------------------------- threads

def test_thread_counts_are_per_thread_and_bounded():
    import os
    import threading
    pool = numlir.get_num_threads()
    expected_pool = int(os.environ.get("NUMLIR_NUM_THREADS") or os.cpu_count())
    assert pool == expected_pool
    with pytest.raises(ValueError, match="between 1 and"):
        numlir.set_num_threads(0)
    with pytest.raises(ValueError, match="between 1 and"):
        numlir.set_num_threads(pool + 1)
    seen = []
    try:
        numlir.set_num_threads(1)
        assert numlir.get_num_threads() == 1
        worker = threading.Thread(target=lambda: seen.append(numlir.get_num_threads()))
        worker.start()
        worker.join()
        assert seen == [pool]   # another thread keeps the whole pool
        # A parallel ufunc on one thread gives the same values.
        g = numlir.vectorize(["float64(float64, float64)"], target="parallel")(gauss)
        x = np.linspace(-3, 3, 50_001)
        one = g(x, 1.5)
    finally:
        numlir.set_num_threads(pool)
    np.testing.assert_array_equal(g(x, 1.5), one)


def clip_unit(x):
    return min(max(x, -1), 1)


CLIP = numlir.vectorize(clip_unit)                       # a DUFunc: loops by first use


def scalar_calls(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        s += AXPB(a[i], b[i])                            # on numbers, in a loop
    return s, CLIP(7), CLIP(-2.5)


def array_calls(a, b):
    return AXPB(a, b), AXPB(a, 0.5), AXPB(3.0, b), CLIP(a * 3), CLIP(a > 0)


def test_ufuncs_called_from_compiled_code_on_numbers():
    a = np.linspace(-2, 2, 9)
    assert numlir.njit(scalar_calls)(a, np.cos(a)) == scalar_calls(a, np.cos(a))


@pytest.mark.parametrize("shape", [(0,), (7,), (3, 4), (2, 3, 5)])
def test_ufuncs_called_from_compiled_code_on_arrays(shape):
    a = np.linspace(-2, 2, math.prod(shape)).reshape(shape)
    b = np.cos(a)
    for got, want in zip(numlir.njit(array_calls)(a, b), array_calls(a, b)):
        np.testing.assert_array_equal(got, want)
        assert got.dtype == want.dtype and got.shape == want.shape


def test_ufunc_from_compiled_code_broadcasts():  # more in test_ufunc_jit.py
    f = numlir.njit(lambda a, b: AXPB(a, b))
    np.testing.assert_array_equal(f(np.ones((2, 3)), np.arange(3.0)), AXPB(np.ones((2, 3)), np.arange(3.0)))
