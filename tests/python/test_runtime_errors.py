"""Run-time exceptions raised in compiled code: the same exception type and message as
CPython gives (ZeroDivisionError, IndexError with boundscheck, ValueError, OverflowError,
``raise`` and ``assert`` in user code).
"""
import math

import numpy as np
import pytest

import numlir
import assert_funcs
from assert_funcs import assert_compound, assert_false_constant, assert_formatted_message, assert_in_loop, assert_message, assert_plain
from conftest import check, check_in_subprocess, compare


# ---------------------------------------------------------------------------------------------
# Run-time exceptions: same type and same message as CPython
# ---------------------------------------------------------------------------------------------

def r_truediv(a, b):
    return a / b


def r_floordiv(a, b):
    return a // b


def r_mod(a, b):
    return a % b


def r_aug_div(a, b):
    a /= b
    return a


def r_divmod_in_loop(n, d):
    s = 0
    for i in range(n):
        s += i // (d - i)
    return s


DIVISION_BY_ZERO = [(1, 0), (-5, 0), (0, 0), (1.5, 0.0), (-1.5, -0.0), (0.0, 0.0), (1, 0.0),
                    (1.5, 0), (True, False), (3, False), (math.inf, 0.0), (math.nan, 0.0)]


@pytest.mark.parametrize("args", DIVISION_BY_ZERO, ids=repr)
@pytest.mark.parametrize("func", [r_truediv, r_floordiv, r_mod, r_aug_div],
                         ids=lambda f: f.__name__)
def test_zero_division_error(func, args):
    exc = compare(numlir.njit(func), func, args)
    assert isinstance(exc, ZeroDivisionError)


def test_zero_division_error_inside_loop():
    assert check(r_divmod_in_loop, 2, 3) is not None  # no error: a value
    exc = check(r_divmod_in_loop, 10, 3)  # i == 3 divides by zero
    assert isinstance(exc, ZeroDivisionError)


def test_function_still_works_after_exception():
    f = numlir.njit(r_floordiv)
    compare(f, r_floordiv, (7, 0))
    compare(f, r_floordiv, (7, 2))
    compare(f, r_floordiv, (7, 0))
    compare(f, r_floordiv, (-7, 2))


def raise_value_error(x):
    if x < 0:
        raise ValueError("x must be non-negative")
    return x * 2


def raise_runtime_error(x):
    if x == 3:
        raise RuntimeError("three is not allowed")
    return x


def raise_type_error(x):
    if x > 100:
        raise TypeError("too big")
    return x


def raise_index_error(x):
    if x >= 10:
        raise IndexError("index out of range")
    return x


def raise_key_error(x):
    if x == 0:
        raise KeyError("missing")
    return x


def raise_overflow_error(x):
    if x > 1e300:
        raise OverflowError("value too large")
    return x


def raise_zero_division_custom(x):
    if x == 0:
        raise ZeroDivisionError("custom zero")
    return 1 / x


def raise_not_implemented(x):
    if x:
        raise NotImplementedError("later")
    return 0


def raise_arithmetic_error(x):
    if x != x:
        raise ArithmeticError("nan seen")
    return x


def raise_class_no_args(x):
    if x > 0:
        raise ValueError
    return x


def raise_instance_no_args(x):
    if x > 0:
        raise ValueError()
    return x


def raise_unicode_message(x):
    if x > 0:
        raise ValueError("größer als null: ∞")
    return x


def raise_in_loop(n):
    s = 0
    for i in range(n):
        if i == 7:
            raise RuntimeError("seven")
        s += i
    return s


def raise_always(x):
    raise ValueError("always")


RAISING = [
    (raise_value_error, [5, -1, 0, -0.5]),
    (raise_runtime_error, [3, 4]),
    (raise_type_error, [101, 5]),
    (raise_index_error, [10, 9]),
    (raise_key_error, [0, 1]),
    (raise_overflow_error, [1e301, 1.0]),
    (raise_zero_division_custom, [0, 4]),
    (raise_not_implemented, [1, 0]),
    (raise_arithmetic_error, [math.nan, 1.5]),
    (raise_unicode_message, [1, 0]),
    (raise_in_loop, [5, 8, 100]),
    (raise_always, [1, 2.5]),
]


@pytest.mark.parametrize("func,inputs", RAISING, ids=[f.__name__ for f, _ in RAISING])
def test_raise_builtin_exception(func, inputs):
    f = numlir.njit(func)
    raised = 0
    for x in inputs:
        if compare(f, func, (x,)) is not None:
            raised += 1
    assert raised >= 1


# raise/assert without a message
NO_MESSAGE = [(raise_class_no_args, [1, -1]), (raise_instance_no_args, [1, -1]),
              (assert_plain, [1, 0, -2.5, math.nan])]


@pytest.mark.parametrize("func,inputs", NO_MESSAGE, ids=[f.__name__ for f, _ in NO_MESSAGE])
def test_exception_without_message(func, inputs):
    f = numlir.njit(func)
    for x in inputs:
        compare(f, func, (x,))


@pytest.mark.parametrize("func,inputs", NO_MESSAGE, ids=[f.__name__ for f, _ in NO_MESSAGE])
def test_exception_without_message_isolated(func, inputs):
    # the same check in a child interpreter, which then compiles another function: an earlier
    # build panicked in Rust on these, and the panic poisoned the compiler lock for the rest
    # of the process (every later compilation failed with "compiler lock poisoned")
    for x in inputs:
        rc, output = check_in_subprocess(func.__code__.co_filename, func.__name__, x)
        assert rc == 0 and "ISOLATED-OK" in output, output[-3000:]


@pytest.mark.parametrize("args", [(3,), (4,), (3.0,)], ids=repr)
def test_assert_with_message(args):
    check(assert_message, *args)


@pytest.mark.parametrize("args", [(-2.5,), (1.0,)], ids=repr)
def test_assert_with_a_formatted_message(args):
    check(assert_formatted_message, *args)


@pytest.mark.parametrize("args", [(3,), (6,)], ids=repr)
def test_assert_in_loop(args):
    check(assert_in_loop, *args)


@pytest.mark.parametrize("args", [(1, 2), (-1, 2), (1, -2)], ids=repr)
def test_assert_compound(args):
    check(assert_compound, *args)


@pytest.mark.parametrize("args", [(1,), (11,), (10.5,)], ids=repr)
def test_assert_false_with_message(args):
    check(assert_false_constant, *args)


def test_assert_functions_are_not_rewritten_by_pytest():
    # the functions above must be compiled as written, not as pytest's rewritten asserts
    assert "@pytest_ar" not in assert_message.__code__.co_names
    assert assert_message.__module__ == assert_funcs.__name__


@numlir.njit
def callee_raises(x):
    if x < 0:
        raise ValueError("negative in callee")
    return x


def caller_of_raising(x):
    return callee_raises(x) + callee_raises(x + 1)


@pytest.mark.parametrize("args", [(1,), (-1,), (-5,)], ids=repr)
def test_exception_propagates_from_callee(args):
    check(caller_of_raising, *args)


def conv_int(x):
    return int(x)


def conv_round(x):
    return round(x)


def conv_floor(x):
    return math.floor(x)


def conv_ceil(x):
    return math.ceil(x)


def conv_trunc(x):
    return math.trunc(x)


@pytest.mark.parametrize("x", [math.nan, math.inf, -math.inf, -math.nan], ids=repr)
@pytest.mark.parametrize("func", [conv_int, conv_round, conv_floor, conv_ceil, conv_trunc],
                         ids=lambda f: f.__name__)
def test_float_to_int_of_nan_and_inf(func, x):
    exc = check(func, x)
    assert isinstance(exc, (ValueError, OverflowError))


# numlir-sink-int-checks moves int()'s check below a range test that rules out the
# conversion's failure value; NaN and infinities must still raise, and -2**63 (which
# converts exactly to that value) must not.

def binned_total(values, bins):
    total = 0
    for v in values:
        k = int(v * bins)
        if 0 <= k < bins:
            total += k + 1
    return total


def skip_negative(values):
    total = 0
    for v in values:
        k = int(v)
        if k < 0:
            continue
        total += k
    return total


@pytest.mark.parametrize("values", [[0.1, -0.5, 1.5, 0.99, 0.0], [0.5, math.nan], [math.inf, 0.1],
                                    [0.2, -math.inf], [-2.0**63 / 4, 0.3], [-0.3, -0.9]], ids=repr)
def test_int_checks_after_range_tests(values):
    a = np.array(values)
    check(binned_total, a, 4)
    check(skip_negative, a * 4)


def neg_shift(a, b):
    return a << b


def neg_rshift(a, b):
    return a >> b


@pytest.mark.parametrize("args", [(1, -1), (0, -1), (5, -100)], ids=repr)
def test_negative_shift_count(args):
    assert isinstance(check(neg_shift, *args), ValueError)
    assert isinstance(check(neg_rshift, *args), ValueError)


def zero_pow(a, b):
    return a ** b


@pytest.mark.parametrize("args", [(0.0, -1.0), (0.0, -2), (-0.0, -0.5), (0, -1.5)], ids=repr)
def test_zero_to_negative_power(args):
    assert isinstance(check(zero_pow, *args), ZeroDivisionError)


def range_zero_step(n, step):
    s = 0
    for i in range(0, n, step):
        s += i
    return s


def test_range_zero_step():
    assert isinstance(check(range_zero_step, 5, 0), ValueError)
