"""numlir's ufuncs called from compiled code: ``f(a, b)`` with NumPy's broadcasting and an
output argument, ``f.reduce``, ``f.accumulate``, ``f.outer``, ``f.at`` of @vectorize ufuncs
and DUFuncs, and @guvectorize gufuncs. Each compiled result is compared with the same
call in the interpreter, where NumPy runs the ufunc."""
import math

import numpy as np
import pytest

import numlir
from array_checks import layouts
from test_ufunc_builders import matmul


def axpb(a, b):
    return a + 2 * b


def minus(a, b):
    return a - b


def gauss(x):
    return math.exp(-x * x)


AXPB = numlir.vectorize(["float64(float64, float64)", "float32(float32, float32)", "int64(int64, int64)"],
                        identity=0)(axpb)
MINUS = numlir.vectorize(["float64(float64, float64)", "int64(int64, int64)"])(minus)  # no identity
DMINUS = numlir.vectorize(minus)                                   # a DUFunc
GAUSS = numlir.vectorize(["float64(float64)"])(gauss)


def same(got, want):
    """Equal values, dtype and shape (numbers: equal values)."""
    if isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray), got
        assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, want.dtype, got.shape, want.shape)
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=0)
    else:
        assert np.asarray(got).dtype == np.asarray(want).dtype, (got, want)
        assert got == pytest.approx(want, rel=1e-14, abs=0)


def check(func, *args):
    copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    want = func(*args)
    got = numlir.njit(func)(*copies)
    if isinstance(want, tuple):
        for g, w in zip(got, want):
            same(g, w)
    else:
        same(got, want)
    for g, w in zip(copies, args):  # arguments written in place (out, at)
        if isinstance(w, np.ndarray):
            np.testing.assert_array_equal(g, w)


# ---------------------------------------------------------------- calls and broadcasting

def call(a, b):
    return AXPB(a, b)


def call_dufunc(a, b):
    return DMINUS(a, b)


def call_out(a, b, out):
    r = AXPB(a, b, out)
    return r.sum()


BROADCASTS = [((3, 4), (4,)), ((3, 1), (1, 4)), ((2, 3, 4), (3, 1)), ((4,), (2, 3, 4)), ((5,), (5,)),
              ((0,), (0,)), ((0, 3), (3,)), ((1,), (6,)), ((2, 3), (2, 3))]


@pytest.mark.parametrize("shapes", BROADCASTS, ids=str)
def test_calls_broadcast_as_numpy(shapes):
    a = np.arange(math.prod(shapes[0]), dtype=np.float64).reshape(shapes[0]) * 0.5
    b = np.cos(np.arange(math.prod(shapes[1]), dtype=np.float64)).reshape(shapes[1])
    check(call, a, b)
    check(call_dufunc, a, b)
    check(call_dufunc, b, a)


@pytest.mark.parametrize("layout", ["C", "F", "strided", "reversed"])
def test_calls_over_layouts(layout):
    a = np.arange(12.0).reshape(3, 4)
    for _, x in [v for v in layouts(a) if v[0] == layout]:
        check(call, x, a)
        check(call, x, x[0])
        check(call_dufunc, x.T, 1.5)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.float32, np.bool_, np.uint8])
def test_calls_choose_numpys_loop(dtype):
    # int32 and bool reach the float64 loop first by safe casting, as in NumPy.
    a = (np.arange(6) % 3).astype(dtype)
    check(call, a, a)
    check(call, a, 3)
    check(call_dufunc, a, a)


def test_calls_on_numbers_and_unary():
    check(call, 2.5, 3)
    check(call, 2, 3)
    check(lambda x: GAUSS(x), 0.5)
    check(lambda x: GAUSS(x), np.linspace(-2, 2, 9).reshape(3, 3))
    check(lambda x: GAUSS(x), np.arange(5))             # int64 -> the float64 loop


def test_call_with_output_argument():
    a = np.arange(12.0).reshape(3, 4)
    check(call_out, a, np.arange(4.0), np.zeros((3, 4)))
    check(call_out, a[:, :1], 2.0, np.zeros((3, 4)))      # inputs broadcast to the output
    check(call_out, a, a, np.zeros((3, 4), np.float32))   # stored as the output's type


def test_calls_that_do_not_broadcast_raise():
    f = numlir.njit(call)
    with pytest.raises(ValueError, match="broadcast"):
        f(np.ones((2, 3)), np.ones(4))
    with pytest.raises(ValueError):
        call(np.ones((2, 3)), np.ones(4))
    g = numlir.njit(call_out)
    with pytest.raises(ValueError, match="output"):
        g(np.ones((2, 3)), np.ones(3), np.zeros((2, 2)))
    with pytest.raises(ValueError):
        call_out(np.ones((2, 3)), np.ones(3), np.zeros((2, 2)))


def test_ufunc_calls_in_a_parallel_function():
    def f(a, b):
        return AXPB(a, b).sum() + DMINUS(a, b).sum()
    a, b = np.linspace(0, 1, 100_001), np.linspace(1, 2, 100_001)
    np.testing.assert_allclose(numlir.njit(parallel=True)(f)(a, b), f(a, b), rtol=1e-12)


# ---------------------------------------------------------------- reduce

def reduce_default(a):
    return AXPB.reduce(a)


def reduce_axis(a, axis):
    return AXPB.reduce(a, axis=axis)


def reduce_all(a):
    return AXPB.reduce(a, axis=None)


def reduce_initial(a, initial):
    return AXPB.reduce(a, initial=initial)


def reduce_minus(a, axis):
    return MINUS.reduce(a, axis)


def reduce_dufunc(a, axis):
    return DMINUS.reduce(a, axis=axis)


@pytest.mark.parametrize("shape", [(7,), (3, 4), (2, 3, 4), (1, 5), (4, 1)], ids=str)
def test_reduce_along_each_axis(shape):
    a = np.cos(np.arange(math.prod(shape), dtype=np.float64)).reshape(shape)
    check(reduce_default, a)
    for axis in range(-len(shape), len(shape)):
        check(reduce_axis, a, axis)
        check(reduce_minus, a, axis)
        check(reduce_dufunc, a, axis)
    check(reduce_all, a)
    check(reduce_initial, a, 10.0)
    check(reduce_axis, a.astype(np.int64), 0)


def test_reduce_of_layouts_and_ints():
    a = np.arange(20.0).reshape(4, 5)
    for _, x in layouts(a):
        check(reduce_axis, x, 1)
        check(reduce_minus, x, 0)
    check(reduce_default, np.arange(10))
    check(reduce_minus, np.arange(10), 0)


def test_reduce_of_empty_arrays():
    check(reduce_default, np.empty(0))                    # identity 0
    check(reduce_axis, np.empty((3, 0)), 1)
    check(reduce_initial, np.empty(0), 4.0)
    check(reduce_minus, np.empty((0, 3)), 1)             # nothing to reduce: no error
    for func, args in [(reduce_minus, (np.empty(0), 0)), (reduce_minus, (np.empty((3, 0)), 1))]:
        with pytest.raises(ValueError, match="no identity"):
            func(*args)
        with pytest.raises(ValueError, match="no identity"):
            numlir.njit(func)(*args)


def test_reduce_errors_as_numpy():
    a = np.ones((2, 3))
    with pytest.raises(ValueError, match="not reorderable"):
        MINUS.reduce(a, axis=None)
    with pytest.raises(ValueError, match="not reorderable"):
        numlir.njit(lambda x: MINUS.reduce(x, axis=None))(a)
    with pytest.raises(np.exceptions.AxisError):
        numlir.njit(reduce_axis)(a, 2)
    with pytest.raises(np.exceptions.AxisError):
        reduce_axis(a, 2)


# ---------------------------------------------------------------- accumulate, outer, at

def accumulate(a, axis):
    return AXPB.accumulate(a, axis)


def accumulate_minus(a):
    return MINUS.accumulate(a)


def accumulate_dufunc(a, axis):
    return DMINUS.accumulate(a, axis=axis)


@pytest.mark.parametrize("shape", [(6,), (3, 4), (2, 3, 2), (0,), (3, 0)], ids=str)
def test_accumulate_along_each_axis(shape):
    a = np.cos(np.arange(math.prod(shape), dtype=np.float64)).reshape(shape)
    for axis in range(-len(shape), len(shape)):
        check(accumulate, a, axis)
        check(accumulate_dufunc, a, axis)
    check(accumulate_minus, a)
    check(accumulate, (a * 10).astype(np.int64), 0)


def outer(a, b):
    return AXPB.outer(a, b)


def outer_dufunc(a, b):
    return DMINUS.outer(a, b)


def test_outer():
    v, w = np.arange(4.0), np.cos(np.arange(3.0))
    check(outer, v, w)
    check(outer, v.reshape(2, 2), w)
    check(outer, np.arange(3), np.arange(5))
    check(outer, 2.0, w)
    check(outer_dufunc, v, w)
    check(outer_dufunc, np.empty(0), w)


def at_add(a, indices, b):
    AXPB.at(a, indices, b)
    return a


def at_unary(a, indices):
    GAUSS.at(a, indices)
    return a


def test_at_is_unbuffered_in_place():
    a = np.arange(6.0)
    check(at_add, a, np.array([0, 1, 1, -1, 3]), 2.0)         # repeats accumulate
    check(at_add, a, np.array([0, 1, 1, 2]), np.array([1.0, 2.0, 3.0, 4.0]))
    check(at_add, a, np.array([2, 2]), np.array([5.0]))
    check(at_add, a, 3, 7.0)
    check(at_add, np.arange(6), np.array([5, 5]), 1)
    check(at_unary, a, np.array([0, 2, 2]))


def test_at_out_of_bounds_raises_index_error():
    f = numlir.njit(at_add)
    with pytest.raises(IndexError):
        f(np.zeros(3), np.array([0, 3]), 1.0)
    with pytest.raises(IndexError):
        at_add(np.zeros(3), np.array([0, 3]), 1.0)
    with pytest.raises(IndexError):
        f(np.zeros(3), -4, 1.0)


def test_unsupported_ufunc_uses_name_the_line():
    def f(a):
        return AXPB.reduceat(a, np.array([0, 2]))
    with pytest.raises(numlir.UnsupportedError, match="reduceat") as info:
        numlir.njit(f)(np.arange(4.0))
    assert "test_ufunc_jit.py" in str(info.value)
    with pytest.raises(numlir.TypingError, match="takes 2 arguments"):
        numlir.njit(lambda a: AXPB(a, a, a, a))(np.ones(3))
    with pytest.raises(numlir.TypingError, match="binary"):
        numlir.njit(lambda a: GAUSS.reduce(a))(np.ones(3))


# ---------------------------------------------------------------- guvectorize

@numlir.guvectorize(["void(float64[:], float64[:], float64[:])", "void(int64[:], int64[:], int64[:])"],
                    "(n),(n)->()")
def gdot(a, b, res):
    s = 0
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    res[0] = s


gmatmul = numlir.guvectorize(["void(float64[:, :], float64[:, :], float64[:, :])"], "(m,n),(n,p)->(m,p)")(matmul)


@numlir.guvectorize(["void(float64[:], float64, float64[:], float64[:])"], "(n),()->(n),()")
def gscale(x, c, out, total):
    t = 0.0
    for i in range(x.shape[0]):
        out[i] = x[i] * c
        t += out[i]
    total[0] = t


def call_gdot(a, b):
    return gdot(a, b)


def call_gdot_out(a, b, out):
    gdot(a, b, out)
    return out


def call_gmatmul(a, b):
    return gmatmul(a, b)


def call_gscale(x, c):
    return gscale(x, c)


def test_gufuncs_from_compiled_code():
    m = np.arange(12.0).reshape(3, 4)
    v = np.cos(np.arange(4.0))
    check(call_gdot, v, v)                                   # no loop dimensions: a number
    check(call_gdot, m, v)
    check(call_gdot, m, m)
    check(call_gdot, np.arange(24.0).reshape(2, 3, 4), m)   # loop dimensions broadcast
    check(call_gdot, np.arange(4), np.arange(4))             # the int64 loop
    check(call_gdot, np.arange(4, dtype=np.int32), v)        # int32 cast to the float64 loop
    check(call_gdot_out, m, v, np.zeros(3))
    check(call_gmatmul, m, m.T.copy())
    check(call_gmatmul, np.arange(24.0).reshape(2, 3, 4), m.T)
    check(call_gscale, m, 2.0)
    check(call_gscale, m, np.array([1.0, 2.0, 3.0]))
    check(call_gscale, v, 3.0)


def test_gufunc_core_dimensions_must_agree():
    with pytest.raises(ValueError):
        call_gdot(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="core dimension"):
        numlir.njit(call_gdot)(np.ones(3), np.ones(4))
    with pytest.raises(numlir.TypingError, match="gufunc 'gdot' takes 2 inputs"):
        numlir.njit(lambda a: gdot(a))(np.ones(3))
