"""parallel=True beyond prange: array expressions, ufunc calls, `a[...] = expr`, creation and
reductions run on the OpenMP threads (numlir-parallel-array-loops), compared with the same
function run by CPython and NumPy; thread counts; races numlir warns about; the report of
f.parallel_diagnostics(); parallel=True with cache, fastmath and nogil."""
import math
import threading
import warnings

import numpy as np
import pytest

import numlir
from numlir import prange

RNG = np.random.default_rng(5)
BIG = 200_003            # above the size from which a loop is split among threads
SMALL = 1_000            # below it: the serial loop runs


def on_each_thread_count(check):
    """Runs ``check()`` on 1, 2, ... threads, up to the pool's size."""
    pool = numlir.get_num_threads()
    try:
        for threads in range(1, pool + 1):
            numlir.set_num_threads(threads)
            check()
    finally:
        numlir.set_num_threads(pool)


def expression(a, b):
    return np.sqrt(np.abs(a)) * b + np.exp(-a * a) - 1.5


def into(out, a, b):
    out[:] = a * 2.0 - b
    out += a * b
    return out


def creation(n):
    return np.zeros(n) + np.ones(n) * 2.0, np.arange(n) * 3, np.full(n, 7.5), np.empty(n).shape[0]


def scalar_reductions(a):
    return a.sum(), a.prod(), a.min(), a.max(), a.mean(), a.std(), a.var(), np.argmin(a), np.argmax(a)


def reduction_of_expression(a, b):
    return np.sum(a * b), (a > 0.5).any(), (a > -10.0).all(), np.nanmax(a), np.nanmin(a)


def int_reductions(x):
    return x.sum(), x.min(), x.max(), x.prod()


def axis_reductions(m):
    return m.sum(axis=0), m.sum(axis=1), m.max(axis=0), m.min(axis=1), m.mean(axis=1), m.std(axis=0)


def both(a, out):
    # a prange loop and array code in one function
    for i in prange(a.shape[0]):
        out[i] = a[i] * a[i]
    return out.sum() + np.sum(out * 0.5)


@pytest.mark.parametrize("n", [0, 1, SMALL, BIG])
def test_expressions_and_writes_equal_serial(n):
    a, b = RNG.standard_normal(n), RNG.standard_normal(n)
    # (exp and sqrt may differ from NumPy's in the last bit, in serial code too)
    np.testing.assert_allclose(numlir.njit(parallel=True)(expression)(a, b), expression(a, b), rtol=1e-14, atol=1e-15)
    got = numlir.njit(parallel=True)(into)(np.empty(n), a, b)
    np.testing.assert_array_equal(got, into(np.empty(n), a, b))
    for got_part, want_part in zip(numlir.njit(parallel=True)(creation)(n), creation(n)):
        np.testing.assert_array_equal(got_part, want_part)


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_two_dimensional_layouts(layout):
    m = RNG.standard_normal((613, 389))
    m = np.asfortranarray(m) if layout == "F" else m[::2, ::3] if layout == "strided" else m
    out = np.empty_like(m)
    np.testing.assert_array_equal(numlir.njit(parallel=True)(into)(out, m, m.T.T), into(np.empty_like(m), m, m))
    got = numlir.njit(parallel=True)(axis_reductions)(m)
    for g, w in zip(got, axis_reductions(m)):
        np.testing.assert_allclose(g, w, rtol=1e-12)
    np.testing.assert_allclose(numlir.njit(parallel=True)(expression)(m, m), expression(m, m), rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("n", [1, SMALL, BIG])
def test_reductions_within_reassociation(n):
    a, b = RNG.random(n), RNG.random(n)
    got = numlir.njit(parallel=True)(scalar_reductions)(a)
    want = scalar_reductions(a)
    assert got[2:4] == want[2:4] and got[7:] == want[7:]   # min, max, argmin, argmax: exact
    np.testing.assert_allclose(got[:2] + got[4:7], want[:2] + want[4:7], rtol=1e-10)
    got = numlir.njit(parallel=True)(reduction_of_expression)(a, b)
    want = reduction_of_expression(a, b)
    assert got[0] == pytest.approx(want[0], rel=1e-12) and got[1:] == want[1:]


def test_nan_and_infinity_in_parallel_reductions():
    a = np.full(BIG, -np.inf)
    assert numlir.njit(parallel=True)(scalar_reductions)(a)[3] == -np.inf    # max of all -inf
    a = RNG.random(BIG)
    a[BIG - 5] = np.nan
    got, want = numlir.njit(parallel=True)(scalar_reductions)(a), scalar_reductions(a)
    assert all(np.isnan(got[k]) for k in (0, 2, 3)) and got[8] == want[8] == BIG - 5
    nans = np.full(BIG, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)       # NumPy's all-NaN warning
        want = reduction_of_expression(nans, nans)
    got = numlir.njit(parallel=True)(reduction_of_expression)(nans, nans)
    assert np.isnan(got[3]) and np.isnan(want[3]) and np.isnan(got[4])


def complex_reductions(z, w):
    return np.sum(z * 2), (z / np.abs(z)).prod(), z.sum(), np.mean(z), np.sum(z * w)


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_complex_sums_and_products_split_among_threads(dtype):
    z = (RNG.standard_normal(BIG) + 1j * RNG.standard_normal(BIG)).astype(dtype)
    w = np.conj(z)
    f = numlir.njit(parallel=True)(complex_reductions)
    want = complex_reductions(z, w)
    rtol = 1e-10 if dtype == np.complex128 else 2e-3
    def check():
        for g, e in zip(f(z, w), want):
            assert abs(g - e) <= rtol * abs(e), (g, e)
    on_each_thread_count(check)
    small = z[:SMALL]
    for g, e in zip(f(small, small), complex_reductions(small, small)):
        assert abs(g - e) <= rtol * abs(e)


def test_integer_reductions_are_exact_for_every_thread_count():
    x = RNG.integers(-1000, 1000, BIG)
    f = numlir.njit(parallel=True)(int_reductions)
    g = numlir.njit(parallel=True)(both)
    a = RNG.standard_normal(BIG)
    def check():
        assert f(x) == int_reductions(x)
        assert g(a, np.empty(BIG)) == pytest.approx(both(a, np.empty(BIG)), rel=1e-12)
    on_each_thread_count(check)


def test_set_num_threads_is_per_thread():
    pool = numlir.get_num_threads()
    f = numlir.njit(parallel=True)(scalar_reductions)
    a = RNG.random(BIG)
    want = f(a)
    seen = {}

    def worker(k):
        numlir.set_num_threads(1 + k % pool)
        seen[k] = (numlir.get_num_threads(), f(a))

    workers = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert numlir.get_num_threads() == pool              # the caller's own count is unchanged
    for k, (count, got) in seen.items():
        assert count == 1 + k % pool
        np.testing.assert_allclose(got, want, rtol=1e-10)
    with pytest.raises(ValueError):
        numlir.set_num_threads(pool + 1)


def fast(a, b):
    return np.sum(a * b + 1.0), a * b - 2.0


def test_with_fastmath_nogil_and_cache(tmp_path, monkeypatch):
    a, b = RNG.random(BIG), RNG.random(BIG)
    want = fast(a, b)
    for options in ({"fastmath": True}, {"nogil": True}, {"cache": True}):
        monkeypatch.setenv("NUMLIR_CACHE_DIR", str(tmp_path))
        f = numlir.njit(parallel=True, **options)(fast)
        got = f(a, b)
        assert got[0] == pytest.approx(want[0], rel=1e-12)
        np.testing.assert_allclose(got[1], want[1], rtol=1e-15)   # fastmath may fuse a * b - 2
    # From the cache: the same code, and its diagnostics.
    again = numlir.njit(parallel=True, cache=True)(fast)
    assert again(a, b)[0] == pytest.approx(want[0], rel=1e-12)
    assert again._notes()[0][1] and all("parallel" in message for _, _, message in again._notes()[0][1])
    # nogil: Python threads run it at once.
    f = numlir.njit(parallel=True, nogil=True)(fast)
    results = []
    workers = [threading.Thread(target=lambda: results.append(f(a, b)[0])) for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert results == [pytest.approx(want[0], rel=1e-12)] * 3


def last_value(a):
    last = -1.0
    for i in prange(a.shape[0]):
        last = a[i] * 2.0
    return last


def shared_element(a, out):
    for i in prange(a.shape[0]):
        out[0] = a[i]
    return out


def rows_of_output(a, out):
    for i in prange(a.shape[0]):
        row = out[i]          # a view that depends on i: no race
        row[0] = a[i]
    return out


def test_races_are_warned_about():
    a = RNG.random(1000)
    with pytest.warns(numlir.NumbaParallelSafetyWarning, match="last iteration") as record:
        f = numlir.njit(parallel=True)(last_value)
        assert f(a) == last_value(a)                  # the last iteration's value, as in order
    assert record[0].filename == __file__ and record[0].lineno == last_value.__code__.co_firstlineno + 3
    assert f(a[:0]) == last_value(a[:0])              # no iteration: the value before the loop
    with pytest.warns(numlir.NumbaParallelSafetyWarning, match="same array element"):
        numlir.njit(parallel=True)(shared_element)(a, np.zeros(2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = numlir.njit(parallel=True)(rows_of_output)(a, np.zeros((1000, 2)))
    np.testing.assert_array_equal(got, rows_of_output(a, np.zeros((1000, 2))))


def reports(a, out):
    for i in prange(a.shape[0]):
        for j in prange(3):
            out[i] += a[i] * j
    return np.argmax(a), a.sum(), np.exp(a), np.cumsum(a)[-1]


def test_parallel_diagnostics_say_what_runs_in_parallel(capsys):
    f = numlir.njit(parallel=True)(reports)
    a = RNG.random(BIG)
    got = f(a, np.zeros(BIG))
    want = reports(a, np.zeros(BIG))
    assert got[0] == want[0] and got[1] == pytest.approx(want[1], rel=1e-12)
    np.testing.assert_allclose(got[2], want[2], rtol=1e-15)
    assert got[3] == pytest.approx(want[3], rel=1e-12)
    f.parallel_diagnostics()
    text = capsys.readouterr().out
    assert "Parallel diagnostics for reports(float64[::1], float64[::1])" in text
    assert "this prange loop runs in parallel" in text
    assert "runs in order: it is inside another prange loop" in text
    assert "runs in parallel: this reduction is split" in text
    assert "runs in parallel: this array operation's outer loop" in text
    assert "runs in order: the loop writes memory" in text            # cumsum
    assert "for j in prange(3):" in text and "return np.argmax(a), a.sum(), np.exp(a), np.cumsum(a)[-1]" in text
    numlir.njit(reports).parallel_diagnostics()
    assert "not compiled with parallel=True" in capsys.readouterr().out


@numlir.njit(parallel=True)
def row_norm(row):
    return np.sqrt(np.sum(row * row))      # parallel array code of its own


def norms(m, out):
    for i in prange(m.shape[0]):
        out[i] = row_norm(m[i])            # called from a parallel loop: its loops run in order
    return out


def test_parallel_function_called_from_a_prange_body():
    m = RNG.standard_normal((64, 40_000))
    got = numlir.njit(parallel=True)(norms)(m, np.empty(64))
    np.testing.assert_allclose(got, norms(m, np.empty(64)), rtol=1e-12)


def arg_reductions(a):
    return np.argmin(a), np.argmax(a), a.argmin(), a.argmax()


@pytest.mark.parametrize("make", [
    lambda: RNG.standard_normal(BIG),
    lambda: np.zeros(BIG),                                        # all equal: the first
    lambda: np.where(np.arange(BIG) % 70_001 == 5, 1.0, 0.0),     # ties across chunks
    lambda: np.full(BIG, -np.inf),
    lambda: np.where(np.arange(BIG) > BIG - 10, np.nan, 1.0),     # NaN wins, the first one
    lambda: RNG.integers(-5, 5, BIG),
    lambda: RNG.integers(0, 3, BIG).astype(np.uint8),
], ids=["random", "equal", "ties", "-inf", "nan", "int", "uint8"])
def test_argmin_argmax_split_among_threads_equal_numpy(make):
    a = make()
    f = numlir.njit(parallel=True)(arg_reductions)
    def check():
        assert f(a) == arg_reductions(a)
    on_each_thread_count(check)


@pytest.mark.parametrize("shape", [(449, 449), (3, 70_001), (70_001, 3), (40, 50, 101)], ids=str)
@pytest.mark.parametrize("kind", ["random", "ties", "nan", "int"])
def test_argmin_argmax_of_several_dimensions_split_among_threads(shape, kind):
    n = math.prod(shape)
    a = {"random": lambda: RNG.standard_normal(n),
         "ties": lambda: np.where(np.arange(n) % 50_001 == 7, 1.0, 0.0),
         "nan": lambda: np.where(np.arange(n) > n - 10, np.nan, 1.0),
         "int": lambda: RNG.integers(-3, 3, n)}[kind]().reshape(shape)
    f = numlir.njit(parallel=True)(arg_reductions)
    def check():
        assert f(a) == arg_reductions(a)
        assert f(a[::2]) == arg_reductions(a[::2])        # a strided view
    on_each_thread_count(check)


def test_argmin_of_several_dimensions_is_reported_parallel(capsys):
    f = numlir.njit(parallel=True)(arg_reductions)
    f(RNG.standard_normal((300, 300)))
    f.parallel_diagnostics()
    assert "runs in order" not in capsys.readouterr().out
