"""Generators in compiled code: generator expressions consumed by sum, min, max, any, all,
sorted, list, set and for, and generator functions (with `yield`) called from compiled code
or from Python; compared with CPython (see ``check`` in conftest.py).

Generator functions are @njit functions, as numba asks. A generator runs to its end when it is called (its values go into a list the consumer then
iterates), so these tests use finite generators whose bodies have no side effects that a
consumer could interleave with."""
import pytest

import numlir
from conftest import cases, check


def expressions(n):
    xs = [i * 0.5 for i in range(n)]
    return (sum(x * x for x in xs), sum(i for i in range(n) if i % 3),
            any(x > 2 for x in xs), all(x >= 0 for x in xs), sorted(-i for i in range(n)), list(c for c in "abc"),
            set(i % 3 for i in range(n)), [v for v in (i * i for i in range(n))])


def min_max(n):
    return min(i - n // 2 for i in range(1, n + 1)), max((i * 7) % 5 for i in range(1, n + 1))


def nested(n):
    return sum(i * j for i in range(n) for j in range(i))


def over_a_dict(n):
    d = {i: i * i for i in range(n)}
    return sum(v for v in d.values()), list(k for k, v in d.items() if v % 2 == 0)


def closure_over_locals(n, scale):
    offset = n // 2
    return sum((i - offset) * scale for i in range(n))


@numlir.njit
def evens(n):
    for i in range(n):
        if i % 2 == 0:
            yield i


@numlir.njit
def pairs(words):
    for i, w in enumerate(words):
        yield i, w.upper()
    yield -1, "END"


@numlir.njit
def early_return(n):
    i = 0
    while True:
        if i * i > n:
            return
        yield i * i
        i += 1


def consume_generators(n):
    total = 0
    for e in evens(n):
        total += e
    squares = list(early_return(n))
    return total, squares, sum(evens(n)), max(early_return(n)), list(pairs(["a", "b"]))


@cases(0, 1, 6, 10)
def test_generator_expressions(args):
    check(expressions, *args, numeric=True)  # sum of no floats: CPython's int 0, numlir's 0.0


@cases(1, 5, 12)
def test_min_and_max_of_generator_expressions(args):
    check(min_max, *args)


@cases(0, 5)
def test_nested_generator_expression(args):
    check(nested, *args)


@cases(0, 6)
def test_generator_expression_over_a_dict(args):
    check(over_a_dict, *args)


@cases((5, 2.5), (0, 1.0))
def test_generator_expression_reads_enclosing_locals(args):
    check(closure_over_locals, *args, numeric=True)


@cases(0, 7, 30)
def test_generator_functions_called_from_compiled_code(args):
    check(consume_generators, *args)


@pytest.mark.parametrize("n", [0, 9])
def test_a_generator_called_from_python_is_an_iterator(n):
    got = evens(n)
    assert iter(got) is got
    assert list(got) == list(evens.py_func(n))


def two_types(n):
    for i in range(n):
        yield i
    yield "done"


def test_a_generator_of_two_types_is_a_typing_error():
    with pytest.raises(numlir.TypingError, match=r"this generator yields int \(line \d+\) and str \(line \d+\); numlir generators yield one type"):
        numlir.njit(two_types)(3)
