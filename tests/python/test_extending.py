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
