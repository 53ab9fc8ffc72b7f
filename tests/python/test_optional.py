"""None and Optional values (numba's Optional): `x is None` / `is not None`, variables that
are None on one path and a value on another, functions that return a value or None,
arguments that default to None (compiled code is specialized on None, and the branch on
`x is None` is pruned before typing, as numba does); compared with CPython (see ``check``
in conftest.py)."""
import numpy as np
import pytest

import numlir
from conftest import cases, check


@numlir.njit
def find(xs, target):
    for i in range(len(xs)):
        if xs[i] == target:
            return i
    return None


def use_find(xs, target):
    at = find(xs, target)
    if at is None:
        return -1
    return at * 10


def maybe_doubled(n):
    x = None
    if n > 2:
        x = n * 2.5
    if x is not None:
        return x + 1
    return 0.0


def truth_of_optional(n):
    x = None
    if n > 0:
        x = n - 1
    return bool(x), not x, (1 if x else 2)


def scale(a, out=None):
    if out is None:
        out = np.empty_like(a)
    for i in range(len(a)):
        out[i] = a[i] * 2
    return out


def pick(x, default=None):
    if default is not None:
        return default
    return x


@numlir.njit
def add(a, b=None):
    if b is None:
        return a + 1
    return a + b


def calls_with_and_without_the_default(x):
    return add(x), add(x, 10), add(x, None)


def returns_none_or_list(n):
    if n < 0:
        return None
    return [i for i in range(n)]


def is_none_literals(x):
    y = None
    return y is None, x is None, x is not None, None is None


@cases(([1, 2, 3], 2), ([1, 2, 3], 9), ([5], 5))
def test_a_callee_that_returns_a_value_or_none(args):
    check(use_find, *args)


@pytest.mark.parametrize("args", [([4, 5, 6], 5), ([4, 5], 1)], ids=repr)
def test_an_optional_result_comes_back_as_none_or_the_value(args):
    assert find(*args) == find.py_func(*args)


@cases(5, 1)
def test_a_variable_that_is_none_on_one_path(args):
    check(maybe_doubled, *args)


@cases(0, 1, 5)
def test_truth_of_an_optional(args):
    check(truth_of_optional, *args)


def test_an_argument_that_defaults_to_none():
    f = numlir.njit(scale)
    a = np.arange(5.0)
    np.testing.assert_array_equal(f(a), scale(a))
    out = np.zeros(5)
    assert np.shares_memory(f(a, out), out)
    np.testing.assert_array_equal(out, scale(a))
    np.testing.assert_array_equal(f(a, None), scale(a))


@cases((3,), (3, 7), (2.5, None), (1, 2.5))
def test_none_or_a_value_as_an_argument(args):
    check(pick, *args)


@cases(4, -2.5)
def test_compiled_callee_with_a_none_default(args):
    check(calls_with_and_without_the_default, *args)


@cases(-1, 0, 3)
def test_returns_none_or_a_list(args):
    check(returns_none_or_list, *args)


@cases(1, None)
def test_is_none_of_literals_and_arguments(args):
    check(is_none_literals, *args)


def none_plus_one(n):
    x = None
    if n > 2:
        x = n
    return x + 1


def test_using_none_as_a_value_raises_type_error():
    f = numlir.njit(none_plus_one)
    assert f(5) == none_plus_one(5)
    with pytest.raises(TypeError, match="None"):
        f(1)


def is_between_numbers(a, b):
    return a is b


def test_is_between_values_names_the_construct():
    with pytest.raises(numlir.UnsupportedError, match="`is` compares a value with None"):
        numlir.njit(is_between_numbers)(1, 2)


def get_without_default(k):
    d = {1: 2.5, 2: -1.0}
    v = d.get(k)
    if v is None:
        return -100.0
    return v * 2


def get_of_a_list_value(k):
    d = {"a": [1, 2], "b": [3]}
    got = d.get(k)
    if got is not None:
        return len(got)
    return 0


@cases(1, 3)
def test_dict_get_without_a_default(args):
    check(get_without_default, *args)


@cases("a", "zz")
def test_dict_get_of_a_container_value(args):
    check(get_of_a_list_value, *args)


def add_two(a, b):
    return a + b


def test_none_where_a_number_is_needed_is_a_typing_error():
    with pytest.raises(numlir.TypingError, match="unsupported operand types for \\+: 'None' and 'int'"):
        numlir.njit(add_two)(None, 1)
