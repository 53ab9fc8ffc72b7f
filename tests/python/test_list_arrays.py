"""Lists and dicts that hold arrays, compared with CPython: built in compiled code and
returned, read and changed in place through their items, passed in as Python lists
(changes written back, unchanged arrays the same objects), and their memory (src/runtime/
buffers.rs: a list holds a reference to each array's buffer; an array read from a list is a
view the list keeps alive, freed at the latest when the call returns).
"""

import numpy as np
import pytest

import numlir
from conftest import cases, check, error_line, needs_proc, rss_growth_kib
from numlir.typed import List


# ---------------------------------------------------------------------------------------------
# Built in compiled code
# ---------------------------------------------------------------------------------------------

def append_arrays(n):
    l = []
    for i in range(n):
        l.append(np.arange(i) * 1.5)
    return l


def comprehension_of_arrays(n):
    return [np.full(i + 1, i) for i in range(n)]


def sum_of_items(n):
    l = [np.arange(i + 1) * 0.5 for i in range(n)]
    s = 0.0
    for a in l:
        s += a.sum() + len(a)
    return s


def matrices(n):
    l = []
    for i in range(n):
        l.append(np.ones((2, 3)) * i)
    return l[1:], l[::-1], l[-1]


def layouts_meet(n):
    # A C-contiguous array and a strided view: the list holds the general layout.
    base = np.arange(4 * n) * 1.0
    l = [np.zeros(n), base[::4], base[1::4]]
    l.append(base[:n])
    return l


def tuples_with_arrays(n):
    l = [(i, np.full(2, i * 1.5)) for i in range(n)]
    s = 0.0
    for i, a in l:
        s += a.sum() * i
    return s, l


def lists_of_lists_of_arrays(n):
    l = [[np.ones(i + 1)] for i in range(n)]
    l[0].append(np.zeros(2))
    return l


def int_and_bool_arrays(n):
    ints = [np.arange(i, dtype=np.int32) for i in range(n)]
    flags = [np.arange(i) % 2 == 0 for i in range(n)]
    return ints, flags


def methods(n):
    l = [np.ones(2) * i for i in range(n)]
    l.insert(1, np.zeros(3))
    last = l.pop()
    first = l.pop(0)
    l[0] = np.arange(2.0)
    del l[1]
    l.extend([np.ones(1), np.ones(1) * 2])
    m = l + [last]
    m.reverse()
    c = m.copy()
    c.append(first)
    twice = [last] * 2
    return c, twice, len(m)


def slices_of_lists(n):
    l = [np.ones(2) * i for i in range(n)]
    l[1:3] = [np.zeros(1)]
    del l[::2]
    return l


def iteration_builtins(n):
    l = [np.arange(3.0) + i for i in range(n)]
    s = 0.0
    for i, a in enumerate(l):
        s += a[0] * i
    for a, b in zip(l, l[1:]):
        s += (b - a).sum()
    for a in reversed(l):
        s = s * 0.5 + a[-1]
    return s


def items_changed_in_place(n):
    l = [np.ones(3) * i for i in range(n)]
    for a in l:
        a *= 2
        a[0] = -1
    l[0][1] = 42
    return l


def shared_item(n):
    # One array twice in a list: a change through one item is seen through the other.
    a = np.zeros(n)
    l = [a, a]
    l[0][0] = 5
    return l[1][0], a[0]


def item_outlives_its_list(n):
    l = [np.arange(n) * 1.0 for _ in range(3)]
    a = l.pop()
    b = l[0]
    l.clear()
    l.append(np.zeros(1))
    return a * 2, b + 1


def item_outlives_replacement(n):
    l = [np.arange(n) * 1.0]
    a = l[0]
    l[0] = np.zeros(2)
    del l[0]
    return a.sum()


def item_from_a_local_list(n):
    l = [np.arange(n) * 1.0, np.ones(n)]
    return l[0]


@pytest.mark.parametrize("func, args", [
    (append_arrays, (5,)), (append_arrays, (0,)), (comprehension_of_arrays, (4,)),
    (sum_of_items, (6,)), (matrices, (3,)), (layouts_meet, (3,)), (tuples_with_arrays, (4,)),
    (lists_of_lists_of_arrays, (3,)), (int_and_bool_arrays, (4,)), (methods, (4,)),
    (slices_of_lists, (5,)), (iteration_builtins, (4,)), (items_changed_in_place, (3,)),
    (shared_item, (3,)), (item_outlives_its_list, (4,)), (item_outlives_replacement, (5,)),
    (item_from_a_local_list, (4,)),
], ids=lambda v: getattr(v, "__name__", None))
def test_lists_of_arrays(func, args):
    check(func, *args)


# ---------------------------------------------------------------------------------------------
# Python lists of arrays as arguments (numba's reflected lists)
# ---------------------------------------------------------------------------------------------

def scale_items(l, k):
    for a in l:
        a *= k
    return len(l)


def append_to_argument(l):
    l.append(l[0] * 2)
    l[1] = np.zeros(2)


def return_an_item(l, i):
    return l[i]


def sum_of_2d_items(l):
    s = 0.0
    for m in l:
        for i in range(m.shape[0]):
            s += m[i, 0]
    return s


def _args():
    base = np.arange(12.0)
    return [np.arange(3.0), base[::3], np.ones(2)]


def _run_both(func, make_args):
    """Runs ``func`` in CPython and compiled on fresh arguments of ``make_args``; returns
    both results and both argument lists after the call."""
    py_args, jit_args = make_args(), make_args()
    return func(*py_args), numlir.njit(func)(*jit_args), py_args, jit_args


@pytest.mark.parametrize("func, make_args", [
    (scale_items, lambda: (_args(), 3.0)),
    (append_to_argument, lambda: (_args(),)),
    (return_an_item, lambda: (_args(), 1)),
    (sum_of_2d_items, lambda: ([np.ones((2, 2)), np.arange(6.0).reshape(3, 2), np.ones((4, 4))[::2]],)),
], ids=["scale_items", "append_to_argument", "return_an_item", "sum_of_2d_items"])
def test_list_arguments_are_written_back(func, make_args):
    expected, got, py_args, jit_args = _run_both(func, make_args)
    np.testing.assert_equal(got, expected)
    for p, j in zip(py_args, jit_args):
        if isinstance(p, list):
            assert len(p) == len(j)
            for x, y in zip(p, j):
                np.testing.assert_array_equal(y, x)
                assert y.dtype == x.dtype


def test_unchanged_argument_arrays_stay_the_same_objects():
    l = [np.arange(3.0), np.ones(2)]
    first, second = l
    scaler = numlir.njit(append_to_argument)
    scaler(l)
    assert l[0] is first, "an item compiled code did not replace is the caller's array"
    assert l[1] is not second and len(l) == 3
    np.testing.assert_array_equal(l[2], first * 2)


def test_typed_list_of_arrays():
    def grow(l):
        l.append(l[0] + 1)
        return len(l)
    t = List()
    t.append(np.ones(2))
    assert numlir.njit(grow)(t) == 2
    np.testing.assert_array_equal(t[1], np.full(2, 2.0))


def test_argument_lists_of_mixed_arrays_are_rejected():
    with pytest.raises(TypeError, match=r"this list holds float64\[::1\] and float64\[:, ::1\]"):
        numlir.njit(scale_items)([np.ones(2), np.ones((2, 2))], 2.0)


# ---------------------------------------------------------------------------------------------
# Dicts of arrays
# ---------------------------------------------------------------------------------------------

def dict_of_arrays(n):
    d = {i: np.ones(2) * i for i in range(n)}
    d[0] = np.zeros(3)
    a = d[1]
    b = d.get(2)
    c = d.get(n + 7, np.full(1, 7.0))
    e = d.pop(3)
    f = d.setdefault(n + 9, np.arange(2.0))
    g = d.setdefault(1, np.arange(5.0))
    k, v = d.popitem()
    s = 0.0
    for key, val in d.items():
        s += val.sum() + key
    for val in d.values():
        s += len(val)
    return a, b, c, e, f, g, k, v, s, d


def dict_value_outlives_deletion(n):
    d = {"x": np.arange(n) * 1.0}
    a = d["x"]
    del d["x"]
    d["y"] = np.zeros(1)
    return a + 1


@pytest.mark.parametrize("func, args", [(dict_of_arrays, (5,)), (dict_value_outlives_deletion, (4,))],
                         ids=lambda v: getattr(v, "__name__", None))
def test_dicts_of_arrays(func, args):
    check(func, *args)


# ---------------------------------------------------------------------------------------------
# Memory
# ---------------------------------------------------------------------------------------------

@needs_proc
def test_no_leaks_with_arrays_in_containers():
    funcs = [(numlir.njit(f), a) for f, a in [
        (append_arrays, (30,)), (methods, (6,)), (item_outlives_its_list, (50,)),
        (tuples_with_arrays, (10,)), (dict_of_arrays, (20,)), (lists_of_lists_of_arrays, (5,))]]
    scale = numlir.njit(scale_items)

    def all_of_them():
        for f, a in funcs:
            f(*a)
        scale([np.ones(3), np.ones(3)], 2.0)
    grown = rss_growth_kib(all_of_them, 20_000)
    # 20,000 rounds that each make about 150 arrays: a leak of one array a round would be
    # several MiB.
    assert grown < 2048, f"RSS grew by {grown} KiB over 20,000 rounds"


@needs_proc
def test_large_arrays_dropped_from_lists_are_freed_after_the_call():
    @numlir.njit
    def churn(n):
        s = 0.0
        for _ in range(4):
            l = [np.ones(n) for _ in range(4)]
            s += l.pop().sum()
        return s
    grown = rss_growth_kib(lambda: churn(1 << 17), 300, warmup=20)
    assert grown < 32 * 1024, f"RSS grew by {grown} KiB over 300 calls"


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------

def two_dtypes(n):
    l = [np.ones(n)]
    l.append(np.ones(n, np.int64))  # ERR
    return l


def compare_lists_of_arrays(n):
    l = [np.ones(n)]
    return l == l  # ERR


def array_in_list(n):
    l = [np.ones(n)]
    return np.ones(n) in l  # ERR


def sort_arrays(n):
    l = [np.ones(n)]
    l.sort()  # ERR
    return l


@pytest.mark.parametrize("func, message", [
    (two_dtypes, "holds array(float64, 1d, C) (line"),
    (compare_lists_of_arrays, "lists of arrays cannot be compared"),
    (array_in_list, "element-wise on arrays"),
    (sort_arrays, "list.sort() orders numbers"),
], ids=lambda v: getattr(v, "__name__", None))
def test_errors_name_the_line(func, message):
    with pytest.raises(numlir.TypingError) as info:
        numlir.njit(func)(3)
    assert message in str(info.value)
    assert f":{error_line(func)}:" in str(info.value)
