"""print() in compiled code: the same text as CPython prints for the same values (numbers,
bools, None, strings, tuples, NumPy scalars, arrays; sep= and end=), on sys.stdout and in
order with the interpreter's own prints.
"""
import collections
import math

import numpy as np
import pytest

import numlir
from conftest import assert_same


def check_print(func, *args, capsys):
    """Run `func` as plain Python and compiled; the printed text and the results must agree."""
    expected = func(*args)
    expected_out = capsys.readouterr().out
    got = numlir.njit(func)(*args)
    got_out = capsys.readouterr().out
    assert got_out == expected_out
    assert_same(got, expected)
    return got_out


def print_numbers(i, x, b):
    print(i, x, b)
    print(-i, x * 3, not b, i / 7)
    return i


def print_text(x):
    print("x is", x)
    print("done")
    print()
    return x


def print_sep_end(x, y):
    print(x, y, sep=", ")
    print(x, end=" ")
    print(y, "tail", sep="--", end="|\n")
    print("a", "b", sep="", end="")
    print(sep="x", end="\n")
    return 0


def print_none_and_tuples(x):
    print(None, (x, 2.5), ((1, True), ()), (x,))
    return None


def print_complex(z):
    print(z, z * 2j, abs(z))
    return z


def print_numpy_scalars(a, b, c):
    print(a, b, c, a + a, c * c)
    return a


def print_in_a_loop(n):
    total = 0
    for i in range(n):
        total += i
        print("step", i, "total", total)
    return total


def print_floats():
    print(0.1, 1e16, 1e-5, 123456789.0, 1.5e300, -0.0, math.inf, -math.inf, math.nan)
    return 0


@pytest.mark.parametrize("args", [(3, 2.5, True), (-7, 1e-20, False), (2 ** 62, -0.0, True)], ids=repr)
def test_print_numbers(args, capsys):
    check_print(print_numbers, *args, capsys=capsys)


def test_print_constant_strings(capsys):
    assert check_print(print_text, 42, capsys=capsys) == "x is 42\ndone\n\n"


def test_print_sep_and_end(capsys):
    check_print(print_sep_end, 1, 2.5, capsys=capsys)


def test_print_none_and_nested_tuples(capsys):
    check_print(print_none_and_tuples, 7, capsys=capsys)


@pytest.mark.parametrize("z", [1 + 2j, -0.5j, complex(math.inf, -1)], ids=repr)
def test_print_complex(z, capsys):
    check_print(print_complex, z, capsys=capsys)


def test_print_numpy_scalars(capsys):
    check_print(print_numpy_scalars, np.int8(-5), np.float32(1.1), np.uint16(70), capsys=capsys)
    check_print(print_numpy_scalars, np.uint64(2 ** 62 + 5), np.complex64(1 - 2j), np.int32(-3), capsys=capsys)


def test_print_in_a_loop(capsys):
    check_print(print_in_a_loop, 4, capsys=capsys)


def test_print_floats_like_repr(capsys):
    check_print(print_floats, capsys=capsys)


def test_print_keeps_order_with_the_interpreter(capsys):
    compiled = numlir.njit(print_text)
    print("first")
    compiled(1)
    print("last")
    assert capsys.readouterr().out == "first\nx is 1\ndone\n\nlast\n"


def test_print_without_the_gil(capsys):
    compiled = numlir.njit(nogil=True)(print_in_a_loop)
    assert compiled(3) == 3
    assert capsys.readouterr().out == "step 0 total 0\nstep 1 total 1\nstep 2 total 3\n"


def print_arrays(a, b):
    print(a)
    print("a =", a, "and", (b, a[:2]), sep=" ")
    print(a * 2)
    return 0


@pytest.mark.parametrize("a,b", [
    (np.arange(5.0), np.array([True, False])),
    (np.arange(12, dtype=np.int32).reshape(3, 4), np.array([1 + 2j, -3j])),
    (np.arange(12.0).reshape(3, 4).T, np.zeros(0, np.uint8)),
    (np.linspace(0, 1, 2000), np.ones((2, 2), np.float32)),
], ids=["float64", "int32 2-D", "F order", "summarized"])
def test_print_arrays(a, b, capsys):
    check_print(print_arrays, a, b, capsys=capsys)


Point = collections.namedtuple("Point", ["x", "y"])


def print_point(x):
    print(Point(x, 2))
    return 0


def print_flush(x):
    print(x, flush=True)
    return 0


def test_print_of_a_namedtuple_is_a_typing_error():
    with pytest.raises(numlir.TypingError, match=r"print\(\) of a 'Point\(int, int\)' is not supported yet"):
        numlir.njit(print_point)(1)


def test_print_flush_is_unsupported():
    with pytest.raises(numlir.UnsupportedError, match="print\\(\\) does not take flush="):
        numlir.njit(print_flush)(1)


def print_containers(n):
    l = [i * 0.5 for i in range(n)]
    d = {i: [i, -i] for i in range(n)}
    s = {n, n + 1}
    print(l, d, s, sep=" | ")
    print((l, n), [(1, 2.5)], {(1, 2): True})
    return len(l)


@pytest.mark.parametrize("n", [0, 3])
def test_print_lists_dicts_and_sets(n, capsys):
    check_print(print_containers, n, capsys=capsys)


def print_strings(name, n):
    greeting = "hello, " + name
    print(greeting, f"n={n:03d}", [name, "ü"], (name, n), {name: n})
    for word in greeting.split(", "):
        print(word, end="|")
    print()


@pytest.mark.parametrize("name", ["world", "ñandú", "日本"])
def test_print_strings(name, capsys):
    check_print(print_strings, name, 7, capsys=capsys)
