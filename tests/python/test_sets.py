"""Sets in compiled code: displays, comprehensions, set(), `in`, methods, operators and
comparisons, compared with CPython (see ``check`` in conftest.py). A set's iteration order is
not Python's (it is insertion order), so tests read sets whole or sorted."""
import pytest

import numlir
from conftest import cases, check


def build(n):
    s = {1, 2, 3}
    s.add(n)
    s.discard(2)
    t = {i % 4 for i in range(n)}
    u = set()
    for i in range(n):
        u.add(i * 2)
    return s, t, u, 3 in s, n not in t, len(s), bool(u)


def operators(n):
    s = {1, 2, n}
    t = {2, 3, n + 1}
    return s | t, s & t, s - t, s ^ t, s <= (s | t), s < s, s >= {1}, s > {1, 2, n}, s == {n, 2, 1}, s != t


def methods(n):
    s = set([1, 2, 2, 3])
    s.update([n, n + 1])
    s.update(range(2))
    c = s.copy()
    c.remove(1)
    total = 0
    for v in s:
        total += v
    return (s, c, total, sorted(list(s)), s.union(c), s.intersection(c), s.difference(c),
            s.symmetric_difference({1, 50}), s.issubset(c), c.issubset(s), s.issuperset(c), s.isdisjoint({77}))


def in_place(n):
    s = {1, 2, 3, n}
    s |= {100}
    s -= {2}
    s &= {1, 3, 100, 5}
    s ^= {1, 9}
    return s


def pop_all(n):
    s = set(range(n))
    total = 0
    while s:
        total += s.pop()
    return total, len(s)


def float_and_tuple_elements(x):
    f = {0.5, x, -0.0, 0.0}
    t = {(1, 2), (x, x)}
    return f, t, (1, 2) in t


def remove_missing(x):
    s = {1, 2}
    s.remove(x)
    return s


def pop_empty(n):
    s = {n}
    s.pop()
    return s.pop()


@cases(0, 5, 2)
def test_build(args):
    check(build, *args)


@cases(0, 7, 2)
def test_operators(args):
    check(operators, *args)


@cases(4, 9)
def test_methods(args):
    check(methods, *args)
    check(in_place, *args)


@cases(0, 6)
def test_pop(args):
    check(pop_all, *args)


@cases(1.5, 0.5)
def test_float_and_tuple_elements(args):
    check(float_and_tuple_elements, *args)


@cases(1, 3)
def test_key_errors(args):
    check(remove_missing, *args)
    check(pop_empty, *args)


def list_in_set(n):
    s = {n}
    s.add([n])
    return s


def test_unhashable_element_is_a_typing_error():
    with pytest.raises(numlir.TypingError, match="a set of list\\[int\\] is not supported yet"):
        numlir.njit(list_in_set)(1)
