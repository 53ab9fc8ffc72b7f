"""Calling compiled functions the ways numba users do: keyword arguments from Python, and
eager (explicit-signature) compilation of functions that call themselves."""
import pytest

import numlir
from conftest import compare


def weighted(a, b, c=3):
    return a * 100 + b * 10 + c


@pytest.mark.parametrize("args, kwargs", [
    ((1, 2), {}), ((), {"a": 1, "b": 2}), ((1,), {"c": 5, "b": 2}), ((), {"b": 1, "a": 2}),
    ((1, 2), {"c": 7}), ((1.5,), {"b": True}),
])
def test_keyword_arguments(args, kwargs):
    compiled = numlir.njit(weighted)
    assert compiled(*args, **kwargs) == weighted(*args, **kwargs)


@pytest.mark.parametrize("args, kwargs", [
    ((1,), {"d": 2}), ((1, 2), {"a": 3}), ((), {"c": 1}), ((1, 2, 3, 4), {}), ((1, 2, 3), {"c": 4}),
    ((1,), {}), ((), {}),
])
def test_keyword_arguments_that_do_not_bind(args, kwargs):
    compiled = numlir.njit(weighted)
    with pytest.raises(TypeError) as expected:
        weighted(*args, **kwargs)
    with pytest.raises(TypeError) as got:
        compiled(*args, **kwargs)
    assert str(got.value) == str(expected.value)


def test_keyword_arguments_with_an_explicit_signature():
    compiled = numlir.njit("int64(int64, int64, int64)")(weighted)
    assert compiled(c=1, b=2, a=3) == weighted(c=1, b=2, a=3)


@numlir.jit("i8(i8)")
def fib1(n):
    if n < 2:
        return n
    return fib1(n - 1) + fib1(n - 2)


@numlir.njit("float64(int64, float64)")
def power_down(n, x):
    if n == 0:
        return 1.0
    return x * power_down(n - 1, x)


@pytest.mark.parametrize("n", [0, 1, 2, 10, 20])
def test_eager_self_recursion(n):
    compare(fib1, fib1.py_func, (n,))


def test_eager_self_recursion_with_floats():
    compare(power_down, power_down.py_func, (5, 1.5))
