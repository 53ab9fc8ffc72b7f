"""Error paths: compile errors with source locations, argument checking and njit options
(run-time exceptions are in test_runtime_errors.py).

Every function with a compile error marks the line the diagnostic must point at with a
``# ERR`` comment; ``error_line`` (conftest.py) turns the marker into a line number.
"""
import inspect
import math
import os

import pytest

import numlir
from conftest import check, compare, def_line, error_line

THIS_FILE = os.path.abspath(__file__)
THIS_NAME = os.path.basename(__file__)


def plain_python(x):
    return x + 1


@numlir.njit
def compiled_helper(x):
    return x + 1


class Opaque:
    pass


# ---------------------------------------------------------------------------------------------
# Functions using unsupported constructs
# ---------------------------------------------------------------------------------------------

def u_string_method(x):
    s = "a b".expandtabs()  # ERR
    return x


def u_plain_call(x):
    y = x * 2
    return plain_python(y)  # ERR


def u_builtin_not_supported(x):
    return hex(x)  # ERR


def u_print(x):
    print(x, flush=True)  # ERR
    return x


def u_math_not_supported(x):
    return math.factorial(x)  # ERR


def u_import(x):
    import os  # ERR
    return x


def u_import_from(x):
    from math import sqrt  # ERR
    return sqrt(x)


def u_class(x):
    class Local:  # ERR
        pass
    return x


def u_class_instance(x):
    return Opaque()  # ERR


def u_except_star(x):
    y = 0
    try:
        y = 10 // x
    except* ZeroDivisionError:  # ERR
        y = -1
    return y


def u_with(x):
    with x:  # ERR
        pass
    return x


def u_nested_function_nonlocal(x):
    def inner():
        nonlocal x
        x += 1  # ERR
        return x
    return inner()


def u_inner_keyword_only_default(x):
    def g(*, y=1):  # ERR
        return y + 1
    return g(y=x)


def u_is_between_values(x):
    return x is x  # ERR


def u_keyword_call(x):
    return round(x, ndigits=2)  # ERR


def u_star_kwargs(**kwargs):  # ERR
    return 1


def u_star_call(x):
    t = (x, x + 1)
    return max(*t)  # ERR


def u_method_call(x):
    return x.bit_length()  # ERR


def u_attribute(x):
    return x.numerator  # ERR


def del_local(x):
    y = x + 1
    del y
    return x


def u_assign_global(x):
    global SOME_GLOBAL
    SOME_GLOBAL = x  # ERR
    return x


def u_bytes(x):
    return x + b"ab"  # ERR


def u_matmul(x):
    return x @ x  # ERR


def u_raise_non_constant(x):
    if x > 0:
        raise ValueError(x, 2)  # ERR
    return x


def u_raise_non_exception(x):
    raise plain_python  # ERR


def u_global_plain_function_value(x):
    return x + plain_python  # ERR


def u_global_object(x):
    return x + Opaque  # ERR


# TypingError: type problems

def t_int_or_tuple(x):
    if x > 0:
        y = 1
    else:
        y = (1, 2)  # ERR
    return y


def t_return_int_or_tuple(x):
    if x > 0:
        return 1
    return (1, 2)  # ERR


def t_undefined_name(x):
    return x + undefined_name_xyz  # ERR  # noqa: F821


def t_undefined_function(x):
    return undefined_function_xyz(x)  # ERR  # noqa: F821


def t_math_missing(x):
    return math.no_such_function(x)  # ERR


def t_iterate_tuple(x):
    s = 0
    for v in (1, 2.5, x):  # ERR: elements of different types
        s += v
    return s


def t_number_plus_string(x):
    y = x + "abc"  # ERR
    return y


def t_tuple_plus_int(x):
    t = (x, 1)
    return t + 1  # ERR


def t_range_four_args(x):
    s = 0
    for i in range(0, x, 1, 2):  # ERR
        s += i
    return s


UNSUPPORTED = [
    u_string_method,
    u_plain_call, u_builtin_not_supported, u_print, u_math_not_supported,
    u_import, u_import_from, u_class, u_class_instance,
    u_except_star, u_with, u_nested_function_nonlocal, u_inner_keyword_only_default,
    u_is_between_values, u_keyword_call,
    u_star_call, u_method_call, u_attribute, u_assign_global,
    u_bytes, u_matmul, u_raise_non_constant, u_raise_non_exception,
    u_global_plain_function_value, u_global_object,
]
TYPING = [
    t_int_or_tuple, t_return_int_or_tuple, t_undefined_name, t_undefined_function,
    t_math_missing, t_iterate_tuple, t_tuple_plus_int, t_range_four_args, t_number_plus_string,
]


def assert_located(err, func):
    """``err`` renders the message, then ``  --> FILE:LINE:COL``, the source line and a caret
    line, pointing into ``func`` at the line marked ``# ERR``."""
    line = error_line(func)
    text = str(err)
    assert isinstance(err, numlir.CompileError)
    assert THIS_NAME in text, text
    assert f"  --> {THIS_FILE}:{line}:" in text, f"expected line {line}:\n{text}"
    assert err.filename == THIS_FILE
    assert err.line == line, f"expected line {line}, got {err.line}:\n{text}"
    lines = text.splitlines()
    assert lines[0].strip(), "the message comes first"
    source = open(THIS_FILE).read().splitlines()[line - 1]
    shown = [i for i, l in enumerate(lines) if l.startswith(f"{line} | ")]
    assert shown, f"source line {line} not shown:\n{text}"
    i = shown[0]
    assert lines[i] == f"{line} | {source.rstrip()}"
    caret = lines[i + 1]
    assert "^" in caret, text
    # the caret starts at the reported column
    col = int(text.split(f"{THIS_FILE}:{line}:")[1].split()[0])
    bar = caret.index("|")
    assert caret.index("^") == bar + 2 + (col - 1), text


def _args_for(func):
    code = func.__code__
    return (3,) * code.co_argcount


@pytest.mark.parametrize("func", UNSUPPORTED, ids=lambda f: f.__name__)
def test_unsupported_construct(func):
    f = numlir.njit(func)  # decoration never compiles: the error comes at the first call
    with pytest.raises(numlir.UnsupportedError) as info:
        f(*_args_for(func))
    assert isinstance(info.value, numlir.CompileError)
    assert not isinstance(info.value, numlir.TypingError)
    assert_located(info.value, func)


@pytest.mark.parametrize("func", TYPING, ids=lambda f: f.__name__)
def test_typing_error(func):
    f = numlir.njit(func)
    with pytest.raises(numlir.TypingError) as info:
        f(*_args_for(func))
    assert isinstance(info.value, numlir.CompileError)
    assert_located(info.value, func)


@pytest.mark.parametrize("func", [u_star_kwargs], ids=lambda f: f.__name__)
def test_star_parameters(func):
    f = numlir.njit(func)
    with pytest.raises(numlir.UnsupportedError) as info:
        f()
    assert_located(info.value, func)
    assert error_line(func) == def_line(func)


def make_closure(k):
    def add_k(x):
        return x + k  # ERR
    return add_k


def test_closure_over_an_unsupported_value():
    # Closure variables are compiled in by value; a list is not a value numlir compiles.
    func = make_closure([3])
    f = numlir.njit(func)
    with pytest.raises(numlir.UnsupportedError) as info:
        f(1)
    assert_located(info.value, func)


def test_del_of_a_local_compiles():
    check(del_local, 3)


def test_error_classes():
    assert issubclass(numlir.TypingError, numlir.CompileError)
    assert issubclass(numlir.UnsupportedError, numlir.CompileError)
    assert issubclass(numlir.CompileError, Exception)
    assert not issubclass(numlir.TypingError, numlir.UnsupportedError)
    assert numlir.errors.CompileError is numlir.CompileError


def test_compile_error_is_raised_again_on_each_call():
    f = numlir.njit(u_with)
    for _ in range(3):
        with pytest.raises(numlir.UnsupportedError) as info:
            f(1)
        assert_located(info.value, u_with)
    # the process is still fine: other functions compile and run
    check(plain_python, 41)


def test_compile_error_for_one_type_only():
    # x + "abc" fails to compile whatever the argument type, for each type tried
    f = numlir.njit(t_number_plus_string)
    for arg in (1, 1.5, True):
        with pytest.raises(numlir.TypingError):
            f(arg)


def test_explicit_signature_reports_errors_at_decoration():
    with pytest.raises(numlir.UnsupportedError) as info:
        numlir.njit("int64(int64)")(u_with)
    assert_located(info.value, u_with)


def test_jit_nopython_reports_same_errors():
    f = numlir.jit(nopython=True)(u_string_method)
    with pytest.raises(numlir.UnsupportedError) as info:
        f(1)
    assert_located(info.value, u_string_method)


def test_unsupported_inside_called_njit_function():
    # the error names the callee's line, not the caller's
    with pytest.raises(numlir.UnsupportedError) as info:
        numlir.njit(calls_bad_callee)(2)
    assert_located(info.value, bad_callee.py_func)


@numlir.njit
def bad_callee(x):
    return len("a".expandtabs()) + x  # ERR


def calls_bad_callee(x):
    return bad_callee(x) + 1


# ---------------------------------------------------------------------------------------------
# Calling compiled functions with bad arguments
# ---------------------------------------------------------------------------------------------

def two_args(a, b):
    return a + b


@pytest.mark.parametrize("args", [(), (1,), (1, 2, 3)], ids=repr)
def test_wrong_number_of_arguments(args):
    with pytest.raises(TypeError) as py_info:
        two_args(*args)
    f = numlir.njit(two_args)
    with pytest.raises(TypeError):
        f(*args)
    assert isinstance(py_info.value, TypeError)


def test_wrong_number_of_arguments_explicit_signature():
    f = numlir.njit("int64(int64, int64)")(two_args)
    with pytest.raises(TypeError):
        f(1)
    with pytest.raises(TypeError):
        f(1, 2, 3)


@pytest.mark.parametrize("bad", [b"a", [b"a"], [], (b"a", 2), {1: 2}, frozenset({1}), Opaque()],
                         ids=lambda v: type(v).__name__)
def test_unsupported_argument_type(bad):
    f = numlir.njit(two_args)
    with pytest.raises(TypeError):
        f(bad, 1)
    with pytest.raises(TypeError):
        f(1, bad)
    # nothing was compiled for the bad types
    assert f.signatures == []


def test_keyword_arguments_at_call():
    f = numlir.njit(two_args)
    assert f(a=1, b=2) == two_args(a=1, b=2)
    with pytest.raises(TypeError, match="unexpected keyword argument 'c'"):
        f(a=1, c=2)


def test_int_too_large_for_int64_argument():
    f = numlir.njit(two_args)
    with pytest.raises((TypeError, OverflowError)):
        f(2 ** 63, 1)
    with pytest.raises((TypeError, OverflowError)):
        f(1, -(2 ** 63) - 1)


# ---------------------------------------------------------------------------------------------
# njit options
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("factory", [numlir.njit, numlir.jit], ids=["njit", "jit"])
def test_parallel_accepted(factory):
    """parallel=True compiles (prange loops run in parallel: test_parallel.py); a function
    without prange runs as it would serially."""
    assert factory(parallel=True)(two_args)(3, 4) == two_args(3, 4)


@pytest.mark.parametrize("options, error", [
    (dict(error_model="c"), ValueError), (dict(fastmath={"nnan", "fastest"}), ValueError),
    (dict(fastmath="nnan"), TypeError)], ids=["error_model", "fastmath-flag", "fastmath-type"])
def test_bad_option_value(options, error):
    with pytest.raises(error) as info:
        numlir.njit(**options)(two_args)
    assert next(iter(options)) in str(info.value)


@pytest.mark.parametrize("options", [dict(foo=1), dict(fast_math=True), dict(nopythn=True)],
                         ids=lambda o: next(iter(o)))
def test_unknown_option(options):
    with pytest.raises(TypeError) as info:
        numlir.njit(**options)(two_args)
    assert next(iter(options)) in str(info.value)


def test_options_that_are_accepted():
    f = numlir.njit(fastmath=False, boundscheck=True, nopython=True, parallel=False,
                    cache=False, nogil=True, error_model="numpy")(two_args)
    assert f(1, 2) == two_args(1, 2)


@pytest.mark.parametrize("sig", ["foo(int64)", "int64(float16, int64)", "int64 int64",
                                 "float64(str)"])
def test_bad_signature_string(sig):
    with pytest.raises(TypeError):
        numlir.njit(sig)(two_args)


def test_signature_not_a_string():
    with pytest.raises(TypeError):
        numlir.njit(42)(two_args)


# An expression statement whose value is unused still raises, as in CPython.
def unused_division(x):
    x // 0
    return x


def unused_int_of_nan(x):
    int(x)
    return 1


def unused_zero_step_range(n):
    range(0, n, 0)
    return n


@pytest.mark.parametrize("func,arg", [(unused_division, 3), (unused_int_of_nan, math.nan),
                                      (unused_zero_step_range, 4)],
                         ids=["floordiv", "int_nan", "range_step"])
def test_unused_results_still_raise(func, arg):
    exc = compare(numlir.njit(func), func, (arg,))
    assert exc is not None


def int_or_tuple(x):
    if x > 0:
        value = 1
    else:
        value = (1, 2)
    return value


def test_type_conflict_names_the_variable():
    with pytest.raises(numlir.TypingError) as info:
        numlir.njit(int_or_tuple)(1)
    message = str(info.value)
    assert "variable 'value'" in message
    assert "int" in message and "tuple[int, int]" in message
    line = inspect.getsourcelines(int_or_tuple)[1] + 4  # the `value = (1, 2)` line
    assert f"test_errors.py:{line}:" in message
