"""parallel=True with numlir.prange: loops on OpenMP's threads, reductions combined
race-free, compared with the same function run by CPython (where prange is range)."""
import math
import threading

import numpy as np
import pytest

import numlir
from numlir import prange


def dot(a, b):
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i] * b[i]
    return s


def int_sums(n):
    s = 0
    t = 10
    for i in prange(n):
        s += i * i
        t -= i
    return s, t


def product_and_extremes(a):
    p = 1.0
    lo = np.inf
    hi = -np.inf
    for i in prange(a.shape[0]):
        p *= a[i]
        lo = min(lo, a[i])
        hi = max(hi, a[i])
    return p, lo, hi


def int_extremes(a):
    lo = 1 << 62
    hi = -(1 << 62)
    for i in prange(a.shape[0]):
        lo = min(lo, a[i])
        hi = max(a[i], hi)
    return lo, hi


def transform(a, out):
    for i in prange(a.shape[0]):
        out[i] = math.exp(-a[i] * a[i]) * math.cos(a[i])
    return out


def rows(m):
    out = np.zeros(m.shape[0])
    for i in prange(m.shape[0]):
        s = 0.0
        for j in range(m.shape[1]):
            s += m[i, j] * m[i, j]
        out[i] = math.sqrt(s)
    return out


def nested(m):
    out = np.zeros_like(m)
    for i in prange(m.shape[0]):
        for j in prange(m.shape[1]):   # runs in order inside the outer loop's body
            out[i, j] = m[i, j] * (i + 1) - j
    return out


def stepped(n):
    s = 0
    for i in prange(n, -3, -2):
        s += i
    return s


def checked(a):
    s = 0.0
    for i in prange(a.shape[0]):
        if a[i] < 0:
            raise ValueError("negative value")
        s += a[i]
    return s


RNG = np.random.default_rng(11)
A = RNG.standard_normal(100_003)
B = RNG.standard_normal(100_003)


def test_float_reductions_match_within_reassociation():
    got = numlir.njit(parallel=True)(dot)(A, B)
    assert got == pytest.approx(dot(A, B), rel=1e-12)
    near_one = 1.0 + A[:2000] * 1e-3
    p, lo, hi = numlir.njit(parallel=True)(product_and_extremes)(near_one)
    ep, elo, ehi = product_and_extremes(near_one)
    assert p == pytest.approx(ep, rel=1e-12) and (lo, hi) == (elo, ehi)


def test_int_reductions_are_exact():
    for n in (0, 1, 7, 100_000):
        assert numlir.njit(parallel=True)(int_sums)(n) == int_sums(n)
    ints = RNG.integers(-10**9, 10**9, 50_001)
    assert numlir.njit(parallel=True)(int_extremes)(ints) == int_extremes(ints)
    assert numlir.njit(parallel=True)(stepped)(1001) == stepped(1001)
    assert numlir.njit(parallel=True)(stepped)(-5) == stepped(-5)


def test_array_writes_equal_serial():
    out_expected = transform(A, np.empty_like(A))
    np.testing.assert_array_equal(numlir.njit(parallel=True)(transform)(A, np.empty_like(A)), out_expected)
    m = RNG.standard_normal((301, 57))
    np.testing.assert_allclose(numlir.njit(parallel=True)(rows)(m), rows(m), rtol=1e-14)
    np.testing.assert_array_equal(numlir.njit(parallel=True)(nested)(m), nested(m))


def test_without_parallel_prange_is_range():
    assert numlir.njit(dot)(A, B) == dot(A, B)   # serial: the same order of additions
    assert numlir.njit(int_sums)(1000) == int_sums(1000)


def range_sum(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * a[i]
    return s


def test_range_loops_stay_serial_with_parallel():
    # Only prange runs in parallel: a range loop's float sum keeps its order of additions.
    numlir.set_num_threads(numlir.config.NUMBA_NUM_THREADS)
    assert numlir.njit(parallel=True)(range_sum)(A) == range_sum(A)


def test_exception_in_the_body_reaches_the_caller():
    f = numlir.njit(parallel=True)(checked)
    assert f(np.abs(A)) == pytest.approx(checked(np.abs(A)), rel=1e-12)
    bad = np.abs(A)
    bad[777] = -1.0
    with pytest.raises(ValueError, match="negative value"):
        checked(bad)
    with pytest.raises(ValueError, match="negative value"):
        f(bad)


def breaks(a):
    s = 0.0
    for i in prange(a.shape[0]):
        if a[i] > 1.0:
            break
        s += a[i]
    return s


def reads_reduction(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i]
        a[i] = s
    return s


def carried(a):
    x = 1.0
    for i in prange(a.shape[0]):
        x = x * 0.5 + a[i]   # reads the previous iteration's x
    return x


@pytest.mark.parametrize("function, message", [(breaks, "break"), (reads_reduction, "reduction variable"),
                                               (carried, "reduction")])
def test_loops_that_cannot_run_in_parallel_say_why(function, message):
    with pytest.raises(numlir.UnsupportedError, match=message):
        numlir.njit(parallel=True)(function)(A[:10].copy())
    numlir.njit(function)(A[:10].copy())   # without parallel=True they compile


def test_thread_counts_and_concurrent_callers():
    f = numlir.njit(parallel=True)(dot)
    expected = f(A, B)
    pool = numlir.get_num_threads()
    try:
        numlir.set_num_threads(1)
        assert f(A, B) == pytest.approx(expected, rel=1e-12)
    finally:
        numlir.set_num_threads(pool)
    results = []
    workers = [threading.Thread(target=lambda: results.append(f(A, B))) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert len(results) == 4 and all(r == pytest.approx(expected, rel=1e-12) for r in results)


def thread_ids(n):
    out = np.zeros(n, dtype=np.int64)
    for i in prange(n):
        out[i] = numlir.get_thread_id()
    return out


def test_get_thread_id_and_config():
    ids = numlir.njit(parallel=True)(thread_ids)(10_000)
    pool = numlir.get_num_threads()
    assert set(np.unique(ids)) <= set(range(pool)) and ids[0] == 0
    # Outside a parallel loop (compiled serially, or in the interpreter) it is thread 0.
    np.testing.assert_array_equal(numlir.njit(thread_ids)(5), thread_ids(5))
    assert numlir.config.NUMBA_NUM_THREADS == pool


def through_the_module(a):
    s = 0.0
    for i in numlir.prange(a.shape[0]):   # as `numba.prange` after `import numlir as numba`
        s += a[i]
    return s


def test_prange_through_the_module():
    assert numlir.njit(parallel=True)(through_the_module)(A) == pytest.approx(through_the_module(A), rel=1e-12)


def test_the_openmp_runtime_is_the_packaged_copy():
    # `make` copies LLVM's libomp beside the extension module (the wheel carries it): that
    # copy is the one parallel code loads, unless NUMLIR_LIBOMP names another.
    import os
    numlir.njit(parallel=True)(dot)(A, B)
    loaded = {line.split()[-1] for line in open("/proc/self/maps") if "libomp" in line}
    packaged = os.path.join(os.path.dirname(numlir._core.__file__), "libomp.so.5")
    assert os.path.exists(packaged)
    if "NUMLIR_LIBOMP" not in os.environ:
        assert loaded == {packaged}


def bounds_from_invariants(out, a):
    n = out.shape[1]
    for i in numlir.prange(out.shape[0]):
        for j in range(1, n - 1):          # `n - 1` reads an invariant: no reduction of n
            out[i, j] = a[i, j - 1] + a[i, j + 1]
    return out


def test_expressions_of_invariants_in_a_prange_body_are_no_reductions():
    a = np.arange(40.0).reshape(5, 8)
    got = numlir.njit(parallel=True)(bounds_from_invariants)(np.zeros((5, 8)), a)
    np.testing.assert_array_equal(got, bounds_from_invariants(np.zeros((5, 8)), a))
