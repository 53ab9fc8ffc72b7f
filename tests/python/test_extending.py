"""numlir.extending.register_jitable (numba.extending's): a plain Python function that
compiled code calls, compared with CPython running the same code."""
from numlir.extending import register_jitable
from conftest import cases, check


@register_jitable
def clamp(x, lo, hi):
    return min(max(x, lo), hi)


@register_jitable(cache=False)
def norm2(a, b):
    return (a * a + b * b) ** 0.5


def uses_jitables(x, y):
    return clamp(x, 0.0, 1.0) + norm2(x, y)


@cases((0.5, 2.0), (-3.0, 4.0), (7, 1))
def test_register_jitable_functions_are_compiled_where_called(args):
    check(uses_jitables, *args)


def test_a_jitable_function_stays_a_python_function():
    assert clamp(5, 0, 3) == 3 and clamp.__name__ == "clamp"


# ---------------------------------------------------------------------------------------------
# overload: a typing function picks the implementation compiled code uses, by argument types
# ---------------------------------------------------------------------------------------------
import numpy as np
import pytest

import numlir
from numlir import types
from numlir.extending import overload


def scale(x, k):
    """A library's function compiled code does not know (written for the interpreter)."""
    if isinstance(x, np.ndarray):
        return x * k
    return x * k + 1


@overload(scale)
def _scale(x, k):
    if isinstance(x, types.Array) and isinstance(k, types.Number):
        def impl(x, k):
            return x * k
        return impl
    if isinstance(x, types.Number):
        def impl(x, k):
            return x * k + 1
        return impl
    return None


def scales(x, k):
    return scale(x, k)


@cases((2, 3), (2.5, 2), (7, 0.5))
def test_overload_of_numbers(args):
    check(scales, *args)


def test_overload_of_arrays():
    a = np.arange(4.0)
    np.testing.assert_array_equal(numlir.njit(scales)(a, 2.0), scales(a, 2.0))


def describe(x):
    return "other"


@overload(describe)
def _describe(x):
    if isinstance(x, types.Integer):
        return lambda x: "int" + str(x.bit_length() if False else x)
    if isinstance(x, types.Float):
        return lambda x: "float"
    if isinstance(x, types.Array):
        ndim = x.ndim
        layout = x.layout
        return lambda x: f"array{ndim}{layout}"
    if isinstance(x, types.UnicodeType):
        return lambda x: "str:" + x
    return None


def describes(a, i, f, s):
    return describe(i) + describe(f) + describe(a) + describe(s)


def test_typing_function_sees_type_classes():
    a = np.ones((2, 2))
    got = numlir.njit(describes)(a, 3, 1.5, "x")
    assert got == "int3" + "float" + "array2C" + "str:x"


def calls_overload_in_a_loop(n):
    total = 0
    for i in range(n):
        total += scale(i, 2)
    return total


def test_overload_called_from_loops_and_callees():
    check(calls_overload_in_a_loop, 10)


def test_bool_is_not_a_number_as_in_numba():
    with pytest.raises(numlir.TypingError, match=r"\(boolean, int64\)"):
        numlir.njit(scales)(True, 4)


def test_no_implementation_is_a_typing_error():
    def wrong(x):
        return scale(x, "k")
    with pytest.raises(numlir.TypingError, match="no implementation of scale"):
        numlir.njit(wrong)("text")


def test_the_interpreter_keeps_the_function():
    assert scale(2, 3) == 7 and scale.__name__ == "scale"


def scaled(x, factor=2, offset=None):
    base = x * factor
    return base if offset is None else base + offset


@overload(scaled)
def _scaled_typer(x, factor=2, offset=None):
    # numba's convention: the typing function's parameters are the function's; a call's
    # keywords and omitted defaults follow them.
    if isinstance(offset, types.NoneType):
        return lambda x, factor=2, offset=None: x * factor
    return lambda x, factor=2, offset=None: x * factor + offset


def keyword_calls(x):
    return scaled(x), scaled(x, 3), scaled(x, offset=1.5), scaled(x, factor=4, offset=2), scaled(offset=1, x=x)


@cases(2, 2.5, -7)
def test_overload_takes_keywords_and_defaults(args):
    check(keyword_calls, *args)
