"""Everyday idioms of numba users' code (issue 16's corpus), each compiled and compared with
CPython (see ``check`` in conftest.py). try/except is the one idiom numlir does not compile
yet: its test checks the error that says so."""
import math

import pytest

import numlir
from conftest import check


def append_in_a_loop(n):
    out = []
    for i in range(n):
        if i % 3 == 0:
            out.append(i * i)
    return out


def list_comprehension(n):
    return [x * 2 for x in range(n) if x % 2]


def count_with_a_dict(xs):
    counts = {}
    for x in xs:
        counts[x] = counts.get(x, 0) + 1
    return counts


def dict_comprehension(n):
    return {i: i * i for i in range(n)}


def deduplicate_with_a_set(xs):
    seen = set()
    out = []
    for x in xs:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def split_and_join(text):
    words = text.split()
    return "-".join(w.capitalize() for w in words)


def format_a_report(name, score):
    return f"{name:>8}: {score:6.2f} ({score / 3:.1%})"


def print_progress(n):
    for i in range(n):
        print("step", i, "of", n)
    return n


def zip_two_lists(a, b):
    return [x * y for x, y in zip(a, b)]


def enumerate_a_list(xs):
    best, where = xs[0], 0
    for i, x in enumerate(xs):
        if x > best:
            best, where = x, i
    return where


def loop_over_a_tuple_literal(x):
    total = 0.0
    for w in (0.5, 1.5, 2.5):
        total += w * x
    return total


def inner_function(n):
    def square(v):
        return v * v

    return sum(square(i) for i in range(n))


def lambda_as_key(xs):
    f = lambda v: v * 3 + 1  # noqa: E731 - a lambda is the idiom
    return [f(x) for x in xs]


def sort_descending(xs):
    return sorted(xs, reverse=True)


def min_max_of_a_list(xs):
    return min(xs), max(xs)


def any_and_all(xs):
    return any(x < 0 for x in xs), all(x < 100 for x in xs)


def sum_of_a_generator(n):
    return sum(i * i for i in range(n) if i % 2 == 0)


def tuple_unpacking(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def while_with_break(n):
    i = 0
    while True:
        if i * i >= n:
            break
        i += 1
    return i


def matrix_as_lists(n):
    m = [[i * n + j for j in range(n)] for i in range(n)]
    return [sum(row) for row in m], m[n - 1][n - 1]


def string_methods(text):
    return text.strip().upper().replace("A", "4"), text.count("a"), text.startswith(" ")


def membership(xs, x):
    return x in xs, x in set(xs)


def list_slicing(xs):
    return xs[1:-1], xs[::-1], xs[:2] + xs[-2:]


def iterate_dict_items(n):
    d = {str(i): i for i in range(n)}
    return [k + "=" + str(v) for k, v in d.items()]


@numlir.njit
def first_negative(xs):
    for x in xs:
        if x < 0:
            return x
    return None


def optional_result(xs):
    found = first_negative(xs)
    return 0.0 if found is None else found


@numlir.njit
def scaled(x, factor=2.0):
    return x * factor


def default_arguments(x):
    return scaled(x), scaled(x, 3.0)


def early_return(xs):
    for i in range(len(xs)):
        if xs[i] == 0:
            return i
    return -1


def math_functions(x):
    return math.sqrt(x), math.log1p(x), math.floor(x * 10) / 10, math.isclose(math.exp(math.log(x)), x)


IDIOMS = [
    (append_in_a_loop, (10,)),
    (list_comprehension, (9,)),
    (count_with_a_dict, ([3, 1, 3, 2, 3, 1],)),
    (dict_comprehension, (5,)),
    (deduplicate_with_a_set, ([4, 1, 4, 2, 1, 5],)),
    (split_and_join, ("the quick  brown fox",)),
    (format_a_report, ("ada", 91.25)),
    (zip_two_lists, ([1.0, 2.0, 3.0], [4.0, 5.0, 6.0])),
    (enumerate_a_list, ([3, 9, 2, 9, 1],)),
    (loop_over_a_tuple_literal, (2.0,)),
    (inner_function, (6,)),
    (lambda_as_key, ([1, 2, 3],)),
    (sort_descending, ([5, 1, 4, 1, 5, 9],)),
    (min_max_of_a_list, ([2.5, -1.0, 7.25],)),
    (any_and_all, ([1, 5, 99],)),
    (sum_of_a_generator, (10,)),
    (tuple_unpacking, (20,)),
    (while_with_break, (50,)),
    (matrix_as_lists, (4,)),
    (string_methods, ("  banana bread ",)),
    (membership, ([1, 2, 3], 2)),
    (list_slicing, ([1, 2, 3, 4, 5],)),
    (iterate_dict_items, (4,)),
    (optional_result, ([1.0, -2.0, 3.0],)),
    (optional_result, ([1.0, 2.0],)),
    (default_arguments, (1.5,)),
    (early_return, ([4, 0, 2],)),
    (math_functions, (2.25,)),
]


@pytest.mark.parametrize("func, args", IDIOMS, ids=[f.__name__ + repr(a) for f, a in IDIOMS])
def test_idiom(func, args):
    check(func, *args)


def test_print_in_a_loop(capsys):
    assert numlir.njit(print_progress)(3) == 3
    compiled = capsys.readouterr().out
    print_progress(3)
    assert compiled == capsys.readouterr().out


def try_except(xs, i):
    try:
        return xs[i]
    except IndexError:
        return -1


def test_try_except():
    check(try_except, [1, 2], 1)
    check(try_except, [1, 2], 5)
