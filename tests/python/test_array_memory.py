"""Memory and safety of arrays in compiled code: loop nests that write arrays, empty and
one-element arrays, freeing returned and temporary arrays (RSS stays flat), reuse of large
buffers, views that keep their base alive, boundscheck, and arrays passed between compiled
functions.
"""
import gc
import os
import resource

import numpy as np
import pytest

import numlir
from array_checks import _same, check, layouts, RNG, VEC, MAT
from test_arrays import sum_2d, sum_by_index


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


MANY_RESULTS = """
import numpy as np
import numlir

@numlir.njit
def filled(n):
    a = np.empty(n)
    for i in range(n):
        a[i] = i
    return a

@numlir.njit
def many(n):
    a = filled(n)
    return (filled(n), filled(n + 1), filled(n), filled(n), filled(n), filled(n), filled(n), a,
            filled(n), filled(n), filled(n), filled(n), filled(n), filled(n), a)

for _ in range(2000):
    results = many(7)
    assert all(r[3] == 3.0 for r in results) and results[1].shape == (8,)
    assert results[7][0] == results[14][0] == 0.0
print("clean")
"""


ZEROED_TEMPORARIES = """
import numpy as np
import numlir

@numlir.njit
def flags(n):
    seen = np.zeros(n, np.bool_)
    for i in range(0, n, 3):
        seen[i] = True
    return np.count_nonzero(seen)

@numlir.njit
def least_squares(a, b):
    return np.linalg.lstsq(a, b)

a = (np.arange(18).reshape(6, 3) % 5 + np.eye(6, 3)).astype(np.float32)
b = np.arange(6).astype(np.float32)
for _ in range(2000):
    assert flags(10) == 4
    least_squares(a, b)
print("clean")
"""


def test_zeroed_temporaries_are_freed_by_their_allocator():
    """LLVM turns a malloc and a zero fill (np.zeros) into one calloc call: compiled code's
    calloc is numlir's (src/runtime/buffers.rs), so its free finds the block it expects.
    (Regression: libc's calloc corrupted the heap in np.linalg.lstsq of float32.)"""
    import subprocess
    import sys
    env = dict(os.environ, MALLOC_CHECK_="3")
    run = subprocess.run([sys.executable, "-c", ZEROED_TEMPORARIES], capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "clean" in run.stdout


def test_many_results_made_by_callees_are_returned_once():
    """Fifteen arrays from callees in one tuple (two of them one array) are returned without
    copies and freed once each: glibc's checked heap (MALLOC_CHECK_=3) finds nothing amiss.
    (Regression: deallocations retaining each returned array twice corrupted the heap from
    twelve results on.)"""
    import subprocess
    import sys
    env = dict(os.environ, MALLOC_CHECK_="3")
    run = subprocess.run([sys.executable, "-c", MANY_RESULTS], capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "clean" in run.stdout


def returned_from_a_callee(n):
    return np.linalg.cholesky(np.eye(n) * 4.0)


def test_a_callees_result_is_a_fresh_array_each_call():
    """An array a callee made reaches Python as it is (not copied), and each call's is its
    own: writing one leaves the next call's result alone."""
    f = numlir.njit(returned_from_a_callee)
    a = f(3)
    np.testing.assert_array_equal(a, returned_from_a_callee(3))
    a[0, 0] = 7.0
    assert f(3)[0, 0] == 2.0


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
