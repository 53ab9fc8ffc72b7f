"""Iteration builtins: enumerate(), zip() and reversed() over ranges, arrays, tuples and each
other, `for` over tuples, and `in` / `not in` tests of tuples and ranges, compared with
CPython (see ``check`` in conftest.py).
"""
import operator

import numpy as np
import pytest

import numlir
from conftest import cases, check

VEC = np.array([1.5, -2.0, 3.25, 0.0, 7.0])
INTS = np.array([3, 1, 4, 1, 5, 9, 2, 6], dtype=np.int32)
MAT = np.arange(12.0).reshape(3, 4)


# ---------------------------------------------------------------------------------------------
# for over tuples
# ---------------------------------------------------------------------------------------------

def sum_of_literal_tuple(x):
    s = 0
    for v in (1, 2, 3, 5):
        s += v * x
    return s


def max_of_tuple(t):
    best = t[0]
    for v in t:
        if v > best:
            best = v
    return best


def loop_over_empty_tuple(x):
    n = x
    for v in ():
        n += 1
    return n


def tuple_of_tuples(x):
    s = 0.0
    for a, b in ((1, 2.5), (3, 4.5), (x, -1.0)):
        s += a * b
    return s


@cases(0, 3, -2)
def test_for_over_literal_tuple(args):
    check(sum_of_literal_tuple, *args)


@cases(((3, 9, 2),), ((1.5, -2.5, 8.0, 8.0),), ((True, False),), ((-7,),))
def test_for_over_tuple_argument(args):
    check(max_of_tuple, *args)


@cases(0, 5)
def test_for_over_empty_tuple(args):
    check(loop_over_empty_tuple, *args)


@cases(2, -3)
def test_for_over_tuple_of_tuples(args):
    check(tuple_of_tuples, *args)


# ---------------------------------------------------------------------------------------------
# enumerate
# ---------------------------------------------------------------------------------------------

def enumerate_range(n):
    s = 0
    for i, v in enumerate(range(3, n)):
        s += i * v
    return s


def enumerate_start(n, start):
    s = 0
    last = -1
    for i, v in enumerate(range(n), start):
        s += i - v
        last = i
    return s, last


def enumerate_start_keyword(n):
    s = 0
    for i, v in enumerate(range(n), start=-5):
        s += i * v
    return s


def enumerate_array(a):
    s = 0.0
    for i, x in enumerate(a):
        s += i * x
    return s


def enumerate_rows(m):
    s = 0.0
    for i, row in enumerate(m):
        s += i * row.sum()
    return s


def enumerate_tuple(x):
    s = 0.0
    for i, v in enumerate((x, 2.5, -1.0)):
        s += (i + 1) * v
    return s


def first_index_above(a, limit):
    for i, x in enumerate(a):
        if x > limit:
            return i
    return -1


@cases(3, 4, 10)
def test_enumerate_range(args):
    check(enumerate_range, *args)


@cases((5, 0), (5, 10), (4, -3), (0, 7))
def test_enumerate_start(args):
    check(enumerate_start, *args)


@cases(6)
def test_enumerate_start_keyword(args):
    check(enumerate_start_keyword, *args)


@pytest.mark.parametrize("a", [VEC, INTS, VEC[::-2], np.zeros(0)], ids=["f64", "i32", "strided", "empty"])
def test_enumerate_array(a):
    check(enumerate_array, a)


def test_enumerate_rows_of_2d_array():
    check(enumerate_rows, MAT)
    check(enumerate_rows, MAT.T)


@cases(1.5, -4.0)
def test_enumerate_tuple(args):
    check(enumerate_tuple, *args)


@cases((VEC, 2.0), (VEC, 100.0), (INTS, 4))
def test_return_from_inside_enumerate(args):
    check(first_index_above, *args)


# ---------------------------------------------------------------------------------------------
# zip
# ---------------------------------------------------------------------------------------------

def dot_by_zip(a, b):
    s = 0.0
    for x, y in zip(a, b):
        s += x * y
    return s


def zip_three(n, a):
    s = 0.0
    count = 0
    for i, x, t in zip(range(n), a, (1, 2, 3, 4)):
        s += i * x + t
        count += 1
    return s, count


def zip_one(a):
    s = 0.0
    for (x,) in zip(a):
        s += x
    return s


def enumerate_zip(a, b):
    s = 0.0
    for i, (x, y) in enumerate(zip(a, b)):
        s += i * (x - y)
    return s


def zip_enumerate(a):
    s = 0.0
    for (i, x), j in zip(enumerate(a), range(10, 0, -1)):
        s += i * x * j
    return s


@pytest.mark.parametrize("a,b", [(VEC, VEC[::-1]), (VEC, INTS), (INTS, VEC[:2]), (VEC[:0], VEC)],
                         ids=["same", "mixed dtypes", "shorter second", "empty first"])
def test_zip_two_arrays(a, b):
    check(dot_by_zip, a, b)


@cases((10, VEC), (3, VEC), (10, INTS))
def test_zip_three_kinds_stops_at_the_shortest(args):
    check(zip_three, *args)


def test_zip_of_one_iterable():
    check(zip_one, VEC)


def test_enumerate_of_zip_and_zip_of_enumerate():
    check(enumerate_zip, VEC, INTS)
    check(zip_enumerate, VEC)


def mixed_nesting(a, b):
    s = 0.0
    for arr in (a, b):  # a tuple of arrays
        s += arr.sum()
    for i, (p, q) in enumerate(zip(((1, 2), (3, 4)), range(5, 0, -2))):
        s += i * p[0] * q + p[1]
        if i > 5:
            break
    for x in zip(a):
        for y, z in zip(b, reversed(b)):
            s += x[0] * y - z
    return s


@pytest.mark.parametrize("b", [VEC[:3] * 2, VEC[::2], VEC[::-1]], ids=["C", "strided", "reversed"])
def test_tuples_of_arrays_and_of_tuples_and_nested_loops(b):
    check(mixed_nesting, VEC, b)


# ---------------------------------------------------------------------------------------------
# reversed
# ---------------------------------------------------------------------------------------------

def reversed_range(start, stop, step):
    out = 0
    k = 1
    for v in reversed(range(start, stop, step)):
        out += v * k
        k += 1
    return out, k


def reversed_array(a):
    s = 0.0
    k = 1
    for x in reversed(a):
        s += x * k
        k += 1
    return s


def reversed_rows(m):
    s = 0.0
    k = 1
    for row in reversed(m):
        s += row[0] * k
        k += 1
    return s


def reversed_tuple(x):
    s = 0.0
    k = 1
    for v in reversed((x, 2.0, 3.5)):
        s += v * k
        k *= 10
    return s


def enumerate_reversed(a):
    s = 0.0
    for i, x in enumerate(reversed(a)):
        s += i * x
    return s


@cases((0, 10, 1), (0, 10, 3), (10, 0, -1), (10, -7, -4), (5, 5, 1), (5, 0, 2),
       (-(2 ** 62), 2 ** 62, 2 ** 61), (2 ** 62, -(2 ** 62), -(2 ** 61)))
def test_reversed_range(args):
    check(reversed_range, *args, wrap=True)


@pytest.mark.parametrize("a", [VEC, INTS, VEC[1::2], np.zeros(0)], ids=["f64", "i32", "strided", "empty"])
def test_reversed_array(a):
    check(reversed_array, a)


def test_reversed_rows():
    check(reversed_rows, MAT)


@cases(1.0, -8.5)
def test_reversed_tuple(args):
    check(reversed_tuple, *args)


def test_enumerate_of_reversed():
    check(enumerate_reversed, VEC)


# ---------------------------------------------------------------------------------------------
# in / not in
# ---------------------------------------------------------------------------------------------

def in_literal_tuple(x):
    return x in (1, 2, 3), x not in (1, 2, 3)


def in_mixed_tuple(x):
    return x in (1, 2.5, True), x not in (0, -1.5)


def in_tuple_argument(x, t):
    return x in t


def in_empty_tuple(x):
    return x in ()


def in_range(x, start, stop, step):
    return x in range(start, stop, step), x not in range(start, stop, step)


def contains_function(t, x):
    return operator.contains(t, x)


def count_hits(a):
    n = 0
    for x in a:
        if x in (1, 4, 9):
            n += 1
    return n


@cases(1, 3, 4, 0, True, 2.0, 2.5)
def test_in_literal_tuple(args):
    check(in_literal_tuple, *args)


@cases(1, 2.5, True, 0, -1.5, 1.0)
def test_in_tuple_of_mixed_numbers(args):
    check(in_mixed_tuple, *args)


@cases((3, (1, 2, 3)), (4, (1.5, 2.5)), (2.5, (1.5, 2.5)), (1j, (0, 1j)), (0, (0j, 1)))
def test_in_tuple_argument(args):
    check(in_tuple_argument, *args)


@cases(0, 1.5)
def test_in_empty_tuple(args):
    check(in_empty_tuple, *args)


@cases((3, 0, 10, 1), (3, 0, 10, 3), (10, 0, 10, 1), (-2, 10, -7, -4), (2, 10, -7, -4),
       (5, 5, 5, 1), (0, 0, 1, 1), (True, 0, 3, 1), (9, 9, 0, -3), (-(2 ** 63), -(2 ** 63), 0, 7))
def test_in_range(args):
    check(in_range, *args)


@cases(((1, 2, 3), 2), ((1, 2, 3), 5))
def test_operator_contains(args):
    check(contains_function, *args)


def test_in_inside_a_loop():
    check(count_hits, INTS)


# ---------------------------------------------------------------------------------------------
# What is not supported says so
# ---------------------------------------------------------------------------------------------

def loop_over_mixed_tuple(x):
    s = 0.0
    for v in (1, 2.5, x):
        s += v
    return s


def reversed_enumerate(a):
    for i, x in reversed(enumerate(a)):
        return i
    return -1


def in_array(x, a):
    return x in a


def enumerate_float_start(a):
    for i, x in enumerate(a, 1.5):
        return i
    return 0


@pytest.mark.parametrize("func,args,message", [
    (loop_over_mixed_tuple, (3,), "tuple of different types"),
    (reversed_enumerate, (VEC,), r"reversed\(\) of a 'enumerate' is not supported"),
    (in_array, (1.5, VEC), r"use \(a == x\).any\(\)"),
    (enumerate_float_start, (VEC,), "enumerate\\(\\) takes an iterable and an int start"),
])
def test_unsupported_iteration_is_a_typing_error(func, args, message):
    with pytest.raises(numlir.TypingError, match=message):
        numlir.njit(func)(*args)


# ---------------------------------------------------------------------------------------------
# literal_unroll: loops over tuples whose elements differ in type, one body per element
# ---------------------------------------------------------------------------------------------
from numlir import literal_unroll  # noqa: E402


def unrolled_sum(t, k):
    s = 0.0
    for v in literal_unroll(t):
        if v > k:
            continue
        s += v
    return s


def unrolled_strings():
    t = (1, "two", 3.0, True)
    out = []
    for x in literal_unroll(t):
        out.append(str(x))
    return out


def unrolled_return(t):
    for x in literal_unroll(t):
        if x == "stop":
            return "found"
    return "none"


def unrolled_break(t):
    n = 0
    for x in literal_unroll(t):
        n += 1
        if x == 2.5:
            break
    return n


def unrolled_nested(t, reps):
    total = 0.0
    for x in literal_unroll(t):
        for _ in range(reps):
            total += x
    return total


def unrolled_arrays(t):
    total = 0.0
    for a in literal_unroll(t):
        total += a.sum()
    return total


def unrolled_homogeneous(t):
    s = 0
    for x in literal_unroll(t):
        s += x
    return s


@cases(((1, 2.5, True, 7), 3), ((0.5, -1), 0), ((), 1))
def test_literal_unroll_over_mixed_tuples(args):
    check(unrolled_sum, *args)


def test_literal_unroll_with_strings_returns_and_breaks():
    check(unrolled_strings)
    check(unrolled_return, (1, "stop", 2.0))
    check(unrolled_return, (1, 2.0))
    check(unrolled_break, (1, "a", 2.5, 9))
    check(unrolled_nested, (1, 0.5, True), 3)
    check(unrolled_homogeneous, (1, 2, 3))


def test_literal_unroll_over_arrays_of_different_types():
    t = (np.ones(3), np.arange(4), np.ones((2, 2), dtype=np.float32))
    assert numlir.njit(unrolled_arrays)(t) == unrolled_arrays(t)


def test_literal_unroll_of_a_tuple_of_unknown_length_says_why():
    def grows(n):
        t = (1,)
        if n > 0:
            t = (1, 2.0)
        s = 0.0
        for x in literal_unroll(t):
            s += x
        return s
    with pytest.raises(numlir.CompileError):
        numlir.njit(grows)(1)
