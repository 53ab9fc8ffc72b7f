"""Lists in compiled code: displays, comprehensions, list(), indexing and slicing, methods,
operators, builtins over lists, lists of tuples and of lists, and lists returned to Python,
compared with CPython (see ``check`` in conftest.py). An empty list takes its element type
from later appends, and an int list that receives a float is a float list (as numba's),
so such results compare with ``numeric=True``.
"""

import numpy as np
import pytest

import numlir
from conftest import cases, check, error_line, needs_proc, rss_growth_kib

VEC = np.array([1.5, -2.0, 3.25, 0.0, 7.0])


# ---------------------------------------------------------------------------------------------
# Building lists
# ---------------------------------------------------------------------------------------------

def append_loop(n):
    l = []
    for i in range(n):
        l.append(i * i)
    return l


def display_of_values(x):
    return [x, x + 1, 2 * x]


def display_of_constants(x):
    l = [3, 1, 2]
    l.append(x)
    return l


def int_list_takes_a_float(x):
    l = [1, 2, 3]
    l.append(x * 0.5)
    return l


def comprehension(n):
    return [i * 3 for i in range(n)]


def comprehension_with_if(n):
    return [i for i in range(n) if i % 3 != 1]


def nested_comprehension(n):
    return [[i * j for j in range(i)] for i in range(n)]


def comprehension_over_array(a, k):
    return [x * k for x in a]


def comprehension_reads_locals(n):
    base = n * 10
    step = 2
    return [base + step * i for i in range(n)]


def list_of_range(n):
    return list(range(n))


def list_of_list(n):
    a = [1, 2, 3]
    b = list(a)
    b.append(n)
    return a, b


def list_of_array(a):
    return list(a)


def list_of_tuple(x):
    return list((x, x + 1, x + 2))


def empty_then_float(n):
    l = []
    for i in range(n):
        l.append(i)
    l.append(0.5)
    return l


@cases(0, 1, 7)
def test_append_in_a_loop(args):
    check(append_loop, *args)


@cases(3, -1.5)
def test_list_display(args):
    check(display_of_values, *args)


@cases(5, 0)
def test_display_of_constants(args):
    check(display_of_constants, *args)


@cases(3, 7)
def test_int_list_becomes_float_list(args):
    check(int_list_takes_a_float, *args, numeric=True)
    check(empty_then_float, *args, numeric=True)


@cases(0, 5)
def test_comprehensions(args):
    check(comprehension, *args)
    check(comprehension_with_if, *args)
    check(nested_comprehension, *args)
    check(comprehension_reads_locals, *args)


def test_comprehension_over_array():
    check(comprehension_over_array, VEC, 3)


@cases(0, 6)
def test_list_constructor(args):
    check(list_of_range, *args)
    check(list_of_list, *args)
    check(list_of_tuple, *args)


def test_list_of_array():
    check(list_of_array, VEC)
    check(list_of_array, np.arange(5))


# ---------------------------------------------------------------------------------------------
# Indexing, slicing, iteration
# ---------------------------------------------------------------------------------------------

def index_read(i):
    l = [10, 20, 30, 40]
    return l[i]


def index_write(i, v):
    l = [1.5, 2.5, 3.5]
    l[i] = v
    return l


def slices(n):
    l = list(range(n))
    return l[1:3], l[::-1], l[::2], l[-3:], l[:-2], l[5:1:-2], l[100:]


def iterate_and_sum(n):
    l = [i * 0.5 for i in range(n)]
    s = 0.0
    for x in l:
        s += x
    return s


def iterate_while_appending(n):
    l = [1, 2]
    for x in l:
        if len(l) < n:
            l.append(x + 10)
    return l


def enumerate_zip_reversed(n):
    l = [3, 4, 5]
    out = []
    for i, x in enumerate(l, n):
        out.append(i * x)
    for x, y in zip(l, out):
        out.append(x + y)
    for x in reversed(l):
        out.append(x)
    return out


def alias(n):
    a = []
    b = a
    b.append(n)
    return len(a), a


@cases(0, 3, -1, -4)
def test_indexing(args):
    check(index_read, *args)


@cases((0, 9.0), (-1, 4.0), (2, -2.5))
def test_index_assignment(args):
    check(index_write, *args)


@cases(4, 10, 9)
def test_index_errors(args):
    check(index_read, *args)
    check(index_write, args[0], 1.0)


@cases(0, 3, 10)
def test_slices(args):
    check(slices, *args)


@cases(0, 5)
def test_iteration(args):
    check(iterate_and_sum, *args)
    check(iterate_while_appending, *args)
    check(enumerate_zip_reversed, *args)
    check(alias, *args)


# ---------------------------------------------------------------------------------------------
# Methods
# ---------------------------------------------------------------------------------------------

def methods(x):
    l = [5, 3, 8, 1]
    l.insert(1, x)
    l.insert(-1, 7)
    l.insert(100, 6)
    l.extend([4, 4])
    l.extend(range(2))
    a = l.pop()
    b = l.pop(0)
    c = l.pop(-2)
    l.remove(8)
    return l, a, b, c


def search(x):
    l = [4, 2, 4, 9, 4]
    return l.index(4), l.index(4, 1), l.index(4, 3, 5), l.count(4), l.count(x), x in l, x not in l


def reorder(n):
    l = [3, 1, 2, n, 1]
    r = l.copy()
    r.reverse()
    s = l.copy()
    s.sort()
    t = l.copy()
    t.sort(reverse=True)
    return l, r, s, t, sorted(l), sorted(l, reverse=True)


def clear_and_reuse(n):
    l = list(range(n))
    l.clear()
    l.append(7)
    return l


def pop_empty(n):
    l = [1]
    l.pop()
    return l.pop()


def index_missing(x):
    return [1, 2, 3].index(x)


def remove_missing(x):
    l = [1, 2, 3]
    l.remove(x)
    return l


@cases(0, 9, -3)
def test_methods(args):
    check(methods, *args)
    check(search, *args)
    check(reorder, *args)


@cases(0, 4)
def test_clear(args):
    check(clear_and_reuse, *args)


@cases(1, 5)
def test_method_errors(args):
    check(pop_empty, *args)
    check(remove_missing, 5)
    with pytest.raises(ValueError):
        numlir.njit(index_missing)(7)
    assert numlir.njit(index_missing)(2) == index_missing(2)


# ---------------------------------------------------------------------------------------------
# Operators and builtins
# ---------------------------------------------------------------------------------------------

def operators(n):
    a = [1, 2, n]
    b = [n, 5]
    c = a + b
    d = a * 2
    e = 2 * b
    a += b
    a += range(2)
    return c, d, e, a, a == c, a != c, [1, 2] == [1, 2], [1, 2] == [1.0, 2.0], [1] == [1, 2]


def builtins_over_lists(n):
    l = [3, -1, n, 7]
    f = [0.5, 2.5, -1.5]
    return len(l), sum(l), sum(f), min(l), max(l), min(f), max(f), any(l), all(l), any([0, 0]), all(l[:0])


def truthiness(n):
    l = []
    for i in range(n):
        l.append(i)
    if l:
        return 1
    return 0


def min_of_empty(n):
    l = [1]
    l.pop()
    return min(l)


def sum_of_bools(n):
    return sum([True, False, n > 0])


@cases(0, 4, -2)
def test_operators(args):
    check(operators, *args)


@cases(0, 9, -5)
def test_builtins(args):
    check(builtins_over_lists, *args)
    check(truthiness, *args)
    check(sum_of_bools, *args)


def test_min_of_empty_list_raises():
    check(min_of_empty, 0)


# ---------------------------------------------------------------------------------------------
# Lists of tuples and lists of lists
# ---------------------------------------------------------------------------------------------

def list_of_tuples(n):
    l = [(i, i * 0.5) for i in range(n)]
    s = 0.0
    for a, b in l:
        s += a + b
    l.sort(reverse=True)
    return l, s, max(l) if l else (0, 0.0), (1, 0.5) in l


def list_of_lists(n):
    grid = []
    for i in range(n):
        row = []
        for j in range(3):
            row.append(i * j)
        grid.append(row)
    grid[0][1] = 99
    total = 0
    for row in grid:
        for x in row:
            total += x
    return grid, total, grid[-1] if grid else [0], [1, 2] in grid


def shared_inner_list(n):
    inner = [n]
    outer = [inner, inner]
    inner.append(1)
    outer[0].append(2)
    return outer, outer[1]


def complex_items(x):
    l = [1j, x + 0j]
    l.append(x * 2j)
    return l


@cases(0, 4)
def test_lists_of_tuples(args):
    check(list_of_tuples, *args)


@cases(1, 4)
def test_lists_of_lists(args):
    check(list_of_lists, *args)
    check(shared_inner_list, *args)


def test_complex_items():
    check(complex_items, 1.5)


# ---------------------------------------------------------------------------------------------
# Inner functions, lambdas and closures (the way comprehensions are compiled)
# ---------------------------------------------------------------------------------------------

def lambda_call(x):
    f = lambda y: y * x + 1
    return f(3)


def inner_function(n):
    c = 2

    def add(a, b):
        return a + b * c

    return add(n, 1) + add(1, n)


@cases(2, -1.5)
def test_inner_functions(args):
    check(lambda_call, *args)
    check(inner_function, *args)


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------

def mixed_list(n):
    l = [1, 2]
    l.append((n, n))  # ERR
    return l


def never_typed(n):
    l = []
    return l


def test_list_of_two_types_is_a_typing_error():
    with pytest.raises(numlir.TypingError) as info:
        numlir.njit(mixed_list)(1)
    message = str(info.value)
    assert "list 'l' holds int" in message and "tuple[int, int]" in message
    assert f"line {error_line(mixed_list)}" in message and "numlir lists hold one type" in message


def test_empty_list_never_typed_is_a_typing_error():
    with pytest.raises(numlir.TypingError, match="element type of this empty list is never given"):
        numlir.njit(never_typed)(1)


# ---------------------------------------------------------------------------------------------
# Sorting with key= (a lambda or a compiled function): stable, reverse= too
# ---------------------------------------------------------------------------------------------

def by_key(n):
    l = [(i * 37) % 11 for i in range(n)]
    return sorted(l, key=lambda v: -v), sorted(l, key=lambda v: v % 3, reverse=True), sorted(l, key=lambda v: v % 3)


def sort_in_place_by_key(n):
    l = [(i, (i * 37) % 5) for i in range(n)]
    l.sort(key=lambda t: t[1])
    m = list(l)
    m.sort(key=lambda t: t[1], reverse=True)
    return l, m


def dict_items_by_value(n):
    d = {i: (i * 37) % 11 for i in range(n)}
    return sorted(d.items(), key=lambda kv: kv[1])[:3], sorted(d, key=lambda k: -k)


def strings_by_key(n):
    w = ["pear", "fig", "banana", "kiwi", "apple"][:n]
    return sorted(w, key=lambda s: len(s)), sorted(w, key=lambda s: s[-1]), sorted(w, key=lambda s: (len(s), s))


def inner_key_function(n):
    def k(v):
        return v % 4
    return sorted(list(range(n)), key=k)


@numlir.njit
def _distance(p):
    return p[0] * p[0] + p[1] * p[1]


def compiled_key_function(n):
    points = [(i % 3, n - i) for i in range(n)]
    return sorted(points, key=_distance)


def tuples_with_strings(n):
    l = [("b", n), ("a", 3), ("b", 1), ("a", 1)]
    l.sort()
    return l, sorted(l, reverse=True)


def nested_tuples(n):
    x = [((1, "b"), n), ((0, "c"), 1), ((1, "a"), 2)]
    x.sort()
    return x, sorted(x, key=lambda t: (t[0][1], -t[1]))


@cases(0, 1, 10)
def test_sorting_with_a_key(args):
    for f in (by_key, sort_in_place_by_key, dict_items_by_value, inner_key_function, compiled_key_function,
              tuples_with_strings, nested_tuples):
        check(f, *args)
    check(strings_by_key, min(args[0], 5))


def min_max_by_key(n):
    l = [(i * 37) % 11 for i in range(n + 1)]
    w = ["pear", "fig", "banana", "kiwi", "date"]
    return (max(l, key=lambda v: -v), min(l, key=lambda v: (v % 3, v)), max(w, key=lambda s: len(s)),
            min(w, key=lambda s: s[-1]), max(w, key=lambda s: len(s) % 2), max(range(n + 1), key=lambda v: v % 4))


def max_of_empty_by_key(n):
    return max([i for i in range(n)], key=lambda v: -v)


@cases(0, 1, 10)
def test_min_max_with_a_key(args):
    check(min_max_by_key, *args)
    check(max_of_empty_by_key, *args)


def unsortable_key(n):
    return sorted(list(range(n)), key=lambda v: [v])  # ERR


def test_unsortable_key_names_the_call():
    with pytest.raises(numlir.TypingError) as info:
        numlir.njit(unsortable_key)(3)
    message = str(info.value)
    assert "sorted()/list.sort() with key=" in message and "not tuple[list[int], int]" in message
    assert f":{error_line(unsortable_key)}:" in message


# ---------------------------------------------------------------------------------------------
# Memory: lists are freed when their last reference goes
# ---------------------------------------------------------------------------------------------

def build_and_drop(n):
    grid = [[i, i + 1] for i in range(n)]
    pairs = [(i, i * 0.5) for i in range(n)]
    total = 0
    for row in grid:
        total += row[0]
    return total + len(pairs)


def build_and_return(n):
    return [[i] * 3 for i in range(n)]


@needs_proc
def test_no_leaks_over_many_calls():
    drop = numlir.njit(build_and_drop)
    ret = numlir.njit(build_and_return)
    assert drop(50) == build_and_drop(50)
    assert ret(5) == build_and_return(5)

    def both():
        drop(50)
        ret(5)
    grown = rss_growth_kib(both, 100_000)
    # 100,000 calls that each make 100 lists and 50 tuples: a leak of one list a call
    # would be several MiB.
    assert grown < 2048, f"RSS grew by {grown} KiB over 100,000 calls"


# ---------------------------------------------------------------------------------------------
# Python lists as arguments: copied in, and changes written back (numba's reflected lists)
# ---------------------------------------------------------------------------------------------

def total(xs):
    s = 0
    for x in xs:
        s += x
    return s


def grow_and_change(xs):
    xs.append(99)
    xs[0] = -1
    return len(xs)


def change_inner(rows):
    rows[0].append(5)
    rows[-1][0] = 7
    return rows[1]


def products(pairs):
    return [a * b for a, b in pairs]


def clear_argument(xs):
    xs.clear()
    return len(xs)


def call_with_both(xs):
    ys = list(xs)
    ys.append(xs[0])
    return ys


@pytest.mark.parametrize("xs", [[1, 2, 3], [1.5, -2.0], [True, False, True], [7]], ids=repr)
def test_list_argument(xs):
    check(total, list(xs))
    check(call_with_both, list(xs))


@pytest.mark.parametrize("func,xs", [
    (grow_and_change, [1, 2, 3]),
    (grow_and_change, [0.5]),
    (change_inner, [[1], [2, 3]]),
    (products, [(1, 2.0), (3, 4.0)]),
    (clear_argument, [4, 5, 6]),
], ids=lambda v: getattr(v, "__name__", repr(v)))
def test_changes_are_written_back(func, xs):
    import copy
    mine, theirs = copy.deepcopy(xs), copy.deepcopy(xs)
    got = numlir.njit(func)(mine)
    expected = func(theirs)
    assert got == expected
    assert mine == theirs


def test_an_int_and_float_list_argument_is_a_float_list():
    xs = [1, 2.5]
    assert numlir.njit(total)(xs) == total([1, 2.5])
    assert numlir.njit(grow_and_change)(xs) == 3
    assert xs == [-1.0, 2.5, 99.0]


@pytest.mark.parametrize("bad", [[], [b"a"], [1, (2, 3)], [[1], 2], [1, "a"]], ids=repr)
def test_list_arguments_numlir_cannot_type(bad):
    with pytest.raises(TypeError):
        numlir.njit(total)(bad)


def two_types_after_a_loop(n):
    xs = []
    for i in range(n):
        xs.append(i)
    xs.append((n, n))
    return xs


def test_two_types_across_a_loop_name_the_list():
    with pytest.raises(numlir.TypingError, match=r"list 'xs' holds .*numlir lists hold one type"):
        numlir.njit(two_types_after_a_loop)(3)


def slice_assignment(n):
    xs = list(range(n))
    xs[1:3] = [10, 20, 30]
    ys = list(range(n))
    ys[::2] = [-1] * len(ys[::2])
    zs = list(range(n))
    zs[2:] = []
    ws = list(range(n))
    ws[:0] = ws
    vs = list(range(n))
    vs[5:2] = [7]
    return xs, ys, zs, ws, vs


def slice_deletion(n):
    xs = list(range(n))
    del xs[1:3]
    ys = list(range(n))
    del ys[::2]
    zs = list(range(n))
    del zs[::-3]
    ws = [[i] for i in range(n)]
    del ws[:-1]
    return xs, ys, zs, ws


def extended_slice_of_the_wrong_size(n):
    xs = list(range(n))
    xs[::2] = [1]
    return xs


@pytest.mark.parametrize("n", [0, 1, 6, 9])
def test_slice_assignment(n):
    check(slice_assignment, n)


@pytest.mark.parametrize("n", [0, 1, 6, 9])
def test_slice_deletion(n):
    check(slice_deletion, n)


@pytest.mark.parametrize("n", [5, 2])
def test_extended_slice_assignment_checks_the_size(n):
    check(extended_slice_of_the_wrong_size, n)
