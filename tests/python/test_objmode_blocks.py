"""``with numlir.objmode(name="type"):`` blocks in compiled functions: the block runs in the
interpreter, its declared results come back typed. Compared with CPython running the same
function (where objmode does nothing)."""
import time

import numpy as np
import pytest

import numlir
from numlir import objmode
from conftest import check, needs_proc, rss_growth_kib


def median_of(v):
    return float(np.median(v))


def scalar_results(a, n):
    s = 0.0
    for i in range(n):
        s += a[i]
    with objmode(m="float64", k="int64", big="boolean"):
        m = median_of(a)
        k = len(a) * 2
        big = m > 2
    return s + m + k, big


def array_result(n):
    with objmode(out="float64[:]"):
        out = np.linspace(0.0, 1.0, n)
    out[0] = 5.0
    return out.sum(), out


def matrix_result(n):
    with objmode(m="float64[:, ::1]"):
        m = np.arange(n * 3.0).reshape(n, 3)
    return m.sum(axis=0)


def converted_dtype(n):
    with objmode(ints="int64[:]"):
        ints = np.arange(n, dtype=np.int32) ** 2   # made an int64 array
    return ints.sum()


def str_result(n):
    with objmode(name="unicode_type"):
        name = "item-" + str(n)
    return name.upper() + "!"


def tuple_result(x):
    with objmode(pair="Tuple(int64, float64)"):
        pair = (int(x) + 1, x / 2)
    return pair[0] + pair[1]


def complex_result(x):
    with objmode(z="complex128"):
        z = complex(x, -x)
    return z * 2


def reads_arrays_and_strings(a, word):
    total = a.sum()
    with objmode(r="float64", w="unicode_type"):
        r = float(np.std(a)) + total
        w = word * 2
    return r, w


def writes_through_a_view(a):
    with objmode():
        a[:] = 7.0   # the block sees compiled code's array, not a copy
    return a.sum()


def in_a_loop(n):
    acc = 0
    for i in range(n):
        with objmode(v="int64"):
            v = int(str(i) * 2)
        acc += v
    return acc


def raises_inside(s):
    with objmode(v="int64"):
        v = int(s)
    return v


def caught_by_compiled_code(s):
    try:
        with objmode(v="int64"):
            v = int(s)
    except ValueError as e:
        v = -len(str(e))
    return v


def reads_list_and_dict(xs):
    d = {x: x * x for x in xs}
    with objmode(total="int64"):
        total = sum(xs) + sum(d.values())
    return total


CASES = [
    (scalar_results, (np.arange(5.0), 3)),
    (converted_dtype, (6,)),
    (str_result, (7,)),
    (tuple_result, (3.0,)),
    (complex_result, (1.5,)),
    (reads_arrays_and_strings, (np.array([1.0, 2.0, 4.0]), "ab")),
    (in_a_loop, (12,)),
    (raises_inside, ("12",)),
    (raises_inside, ("x12",)),
    (caught_by_compiled_code, ("5",)),
    (caught_by_compiled_code, ("five",)),
    (reads_list_and_dict, ([1, 2, 3],)),
]


@pytest.mark.parametrize("func, args", CASES, ids=[f"{f.__name__}{a!r}"[:60] for f, a in CASES])
def test_matches_cpython(func, args):
    check(func, *args)


def test_array_results():
    total, out = numlir.njit(array_result)(5)
    expected_total, expected = array_result(5)
    assert total == expected_total
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(numlir.njit(matrix_result)(4), matrix_result(4))


def test_the_block_sees_compiled_codes_array():
    a = np.ones(4)
    assert numlir.njit(writes_through_a_view)(a) == 28.0
    assert (a == 7.0).all()


class MyError(Exception):
    pass


def raise_mine():
    raise MyError("from the block")


def raises_a_user_exception(x):
    with objmode():
        raise_mine()
    return x


def test_a_python_exception_keeps_its_class():
    with pytest.raises(MyError, match="from the block"):
        numlir.njit(raises_a_user_exception)(1)


def timed(n):
    with objmode(start="float64"):
        start = time.perf_counter()
    s = 0
    for i in range(n):
        s += i
    with objmode(stop="float64"):
        stop = time.perf_counter()
    return s, stop >= start


def test_timing_idiom():
    assert numlir.njit(timed)(1000) == (sum(range(1000)), True)


def test_results_of_the_wrong_kind_raise():
    def wrong(x):
        with objmode(v="float64[:]"):
            v = np.zeros((2, 2))
        return v.sum()
    with pytest.raises(TypeError, match="1-d array"):
        numlir.njit(wrong)(1)


def test_undeclared_result_types_are_rejected():
    def bad(x):
        with objmode(v="what"):
            v = 1
        return v
    with pytest.raises(numlir.UnsupportedError, match="declared 'what'"):
        numlir.njit(bad)(1)


def test_return_inside_the_block_is_rejected():
    def bad(x):
        with objmode(v="int64"):
            v = 1
            return v
        return x
    with pytest.raises(numlir.UnsupportedError, match="return"):
        numlir.njit(bad)(1)


def test_interpreter_runs_the_same_function():
    # outside compiled code objmode does nothing: the plain function still runs
    assert scalar_results(np.arange(5.0), 3) == numlir.njit(scalar_results)(np.arange(5.0), 3)
    with objmode(x="int64"):
        x = 3
    assert x == 3


def arrays_and_lists_together(n):
    a = np.zeros(n)
    xs = [1, 2]
    s = "x" * n
    return a.sum() + len(xs), s


def test_arrays_and_counted_values_in_one_function():
    # lists and strings have atomic reference counts, which the deallocation of arrays
    # (ownership-based) used to refuse
    check(arrays_and_lists_together, 3)


@needs_proc
def test_no_leaks_over_many_blocks():
    f = numlir.njit(array_result)
    g = numlir.njit(str_result)

    def both():
        f(50)
        g(3)
    grown = rss_growth_kib(both, 50_000)
    assert grown < 4096, f"RSS grew by {grown} KiB over 50,000 calls"
