"""Functions: type unification, globals, calls between compiled functions and recursion,
functions without a return value, specialization per argument types, explicit signatures,
fastmath, many arguments and default argument values, compared with CPython.
"""
import pytest

import numlir
from conftest import INT64_MIN, assert_same, cases, check, compare, pure_python
from scalar_inputs import nan, INTS, FLOATS, BOOLS
from test_operators import add, lt, mixed_expr, mul
from test_control_flow import collatz_steps, gcd_iter


# ---------------------------------------------------------------------------------------------
# Type unification
# ---------------------------------------------------------------------------------------------

def unify_accumulator(n):
    s = 0
    for i in range(n):
        s += 0.5
    return s


def unify_returns(x):
    if x > 0:
        return 1
    return 2.5


def unify_branch_var(x):
    y = 1
    if x:
        y = 2.5
    return y


def unify_ternary(x):
    return 1 if x > 0 else -0.5


def unify_loop_division(n):
    x = n
    for _ in range(3):
        x = x / 2
    return x


def unify_bool_int(x):
    r = x > 0
    if x > 5:
        r = x
    return r + 0


@cases(0, 1, 7)
def test_unify_int_accumulator_with_float(args):
    check(unify_accumulator, *args, numeric=True)


@cases(1, -1, 0)
def test_unify_int_and_float_returns(args):
    check(unify_returns, *args, numeric=True)


@cases(0, 1, True)
def test_unify_variable_across_branches(args):
    check(unify_branch_var, *args, numeric=True)


@cases(1, -1)
def test_unify_conditional_expression(args):
    check(unify_ternary, *args, numeric=True)


@cases(8, 7, -9)
def test_unify_variable_reassigned_in_loop(args):
    check(unify_loop_division, *args)


@cases(0, 3, 9)
def test_unify_bool_and_int(args):
    check(unify_bool_int, *args)


def unify_always_float(x):
    if x > 0:
        return 1
    return 2.5


def test_unified_result_is_float():
    # A function with an int and a float return has one float return type (as in numba);
    # CPython's values still have to match.
    f = numlir.njit(unify_always_float)
    for x in (3, -3):
        got = f(x)
        assert type(got) is float
        assert got == unify_always_float(x)


# ---------------------------------------------------------------------------------------------
# Globals
# ---------------------------------------------------------------------------------------------

G_INT = 42
G_FLOAT = 2.5
G_BOOL = True
G_NEG = -7
G_BIG = 2 ** 62 + 3
G_MUTABLE = 10


def uses_globals(x):
    return x * G_INT + G_FLOAT - G_NEG, G_BOOL and x > 0, G_BIG - x


def uses_mutable_global(x):
    return x + G_MUTABLE


@cases(1, -1, 0, 2.5)
def test_numeric_globals(args):
    check(uses_globals, *args)


def test_globals_frozen_at_compile_time():
    global G_MUTABLE
    f = numlir.njit(uses_mutable_global)
    before = uses_mutable_global(5)
    assert_same(f(5), before)
    old = G_MUTABLE
    try:
        G_MUTABLE = old + 100
        after = uses_mutable_global(5)
        assert after != before
        # the compiled specialization keeps the value it saw when it was compiled
        assert_same(f(5), before)
        # a new compilation sees the new value
        assert_same(numlir.njit(uses_mutable_global)(5), after)
    finally:
        G_MUTABLE = old


# ---------------------------------------------------------------------------------------------
# Calls between compiled functions, recursion
# ---------------------------------------------------------------------------------------------

@numlir.njit
def helper_square(x):
    return x * x


@numlir.njit
def helper_divmod(a, b):
    return a // b, a % b


def calls_helper(x):
    return helper_square(x) + helper_square(x + 1)


def calls_helper_tuple(a, b):
    q, r = helper_divmod(a, b)
    return q * b + r == a, q, r


@numlir.njit
def chain_c(x):
    return x + 1


@numlir.njit
def chain_b(x):
    return chain_c(x) * 2


def chain_a(x):
    return chain_b(x) - chain_c(x)


@numlir.njit
def fib_rec(n):
    if n < 2:
        return n
    return fib_rec(n - 1) + fib_rec(n - 2)


@numlir.njit
def fact_rec(n):
    if n <= 1:
        return 1
    return n * fact_rec(n - 1)


@numlir.njit
def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)


@numlir.njit
def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)


@numlir.njit
def ackermann(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))


@numlir.njit
def gcd_rec(a, b):
    if b == 0:
        return a
    return gcd_rec(b, a % b)


@numlir.njit
def power_rec(x, n):
    if n == 0:
        return 1.0
    half = power_rec(x, n // 2)
    if n % 2 == 0:
        return half * half
    return half * half * x


@numlir.njit
def hanoi_moves(n):
    if n == 0:
        return 0
    return 2 * hanoi_moves(n - 1) + 1


@numlir.njit
def binom_rec(n, k):
    if k == 0 or k == n:
        return 1
    return binom_rec(n - 1, k - 1) + binom_rec(n - 1, k)


@cases(0, 3, -2.5, 1e100, True)
def test_call_other_njit_function(args):
    check(calls_helper, *args)


@cases((17, 5), (-17, 5), (17, -5), (7.5, 2.0), (1, 0))
def test_call_njit_function_returning_tuple(args):
    check(calls_helper_tuple, *args)


@cases(0, 5, -3.5)
def test_call_chain(args):
    check(chain_a, *args)


@cases(0, 1, 2, 10, 20)
def test_recursive_fib(args):
    check(fib_rec, *args)


@cases(0, 1, 5, 20)
def test_recursive_factorial(args):
    check(fact_rec, *args)


@cases(0, 1, 10, 37)
def test_mutual_recursion_even(args):
    check(is_even, *args)


@cases(0, 1, 10, 37)
def test_mutual_recursion_odd(args):
    check(is_odd, *args)


@cases((0, 0), (1, 2), (2, 3), (3, 3))
def test_ackermann(args):
    check(ackermann, *args)


@cases((48, 18), (17, 5), (0, 9), (2 ** 50, 2 ** 30))
def test_recursive_gcd(args):
    check(gcd_rec, *args)


@cases((2.0, 10), (1.5, 0), (-2.0, 7), (0.5, 30))
def test_recursive_power(args):
    check(power_rec, *args)


@cases(0, 1, 10, 40)
def test_recursive_hanoi(args):
    check(hanoi_moves, *args)


@cases((5, 2), (10, 5), (12, 0))
def test_recursive_binomial(args):
    check(binom_rec, *args)


def test_decorated_function_called_directly():
    # The module-level dispatcher itself (which other compiled functions call)
    # matches CPython running the same function.
    for n in (0, 1, 15):
        assert_same(fib_rec(n), pure_python(fib_rec)(n))
    assert fib_rec.py_func is not None
    assert fib_rec.py_func.__name__ == "fib_rec"


# ---------------------------------------------------------------------------------------------
# Functions without a return value
# ---------------------------------------------------------------------------------------------

def no_return(x):
    y = x + 1  # noqa: F841


def bare_return(x):
    if x > 0:
        return
    return


@cases(1, 2.5)
def test_no_return_gives_none(args):
    check(no_return, *args)


@cases(1, -1)
def test_bare_return_gives_none(args):
    check(bare_return, *args)


# ---------------------------------------------------------------------------------------------
# Arguments of each type, specialization
# ---------------------------------------------------------------------------------------------

def identity(x):
    return x


@cases(*INTS, *FLOATS, *BOOLS, INT64_MIN)
def test_identity_roundtrip(args):
    check(identity, *args)


def test_one_dispatcher_many_specializations():
    f = numlir.njit(add)
    inputs = [(1, 2), (1.5, 2), (1, 2.5), (True, False), (True, 2.5), (2.5, 3.5)]
    for args in inputs:
        compare(f, add, args)
    assert len(f.signatures) == len(inputs)
    # calling again with the same types reuses the specializations
    for args in inputs:
        compare(f, add, args)
    assert len(f.signatures) == len(inputs)


def test_dispatcher_keeps_py_func():
    f = numlir.njit(add)
    assert f.py_func is add
    assert f.__name__ == add.__name__
    assert f.signatures == []
    compare(f, add, (1, 2))
    assert f.signatures == [(numlir.int64, numlir.int64)]


def test_decorator_with_empty_parentheses():
    f = numlir.njit()(mul)
    compare(f, mul, (6, 7))
    compare(f, mul, (6.5, -7))


# ---------------------------------------------------------------------------------------------
# Explicit signatures
# ---------------------------------------------------------------------------------------------

def sig_fn(a, b):
    return a * b + 1


def test_explicit_signature_compiles_eagerly():
    f = numlir.njit("float64(int64, float64)")(sig_fn)
    # compiled at decoration time: the signature is there before the first call
    assert f.signatures == [(numlir.int64, numlir.float64)]
    for args in [(3, 2.5), (-4, 0.25), (0, nan)]:
        compare(f, sig_fn, args)
    assert f.signatures == [(numlir.int64, numlir.float64)]


def test_explicit_signature_int():
    f = numlir.njit("int64(int64, int64)")(sig_fn)
    assert f.signatures == [(numlir.int64, numlir.int64)]
    for args in [(3, 4), (-4, 5), (2 ** 31, 2 ** 31)]:
        compare(f, sig_fn, args)


def test_explicit_signature_converts_return_type():
    f = numlir.njit("float64(int64, int64)")(sig_fn)
    got = f(3, 4)
    assert type(got) is float
    assert got == float(sig_fn(3, 4))


def test_explicit_signature_rejects_float_for_int64():
    f = numlir.njit("int64(int64, int64)")(sig_fn)
    with pytest.raises(TypeError):
        f(1.5, 2)
    with pytest.raises(TypeError):
        f(1, 2.0)
    # no new specialization was compiled
    assert f.signatures == [(numlir.int64, numlir.int64)]
    assert_same(f(6, 7), sig_fn(6, 7))


def test_explicit_signature_list():
    f = numlir.njit(["int64(int64, int64)", "float64(float64, float64)"])(sig_fn)
    assert f.signatures == [(numlir.int64, numlir.int64), (numlir.float64, numlir.float64)]
    compare(f, sig_fn, (3, 4))
    compare(f, sig_fn, (3.5, 4.5))
    # an int and a float argument fit the float64 signature
    compare(f, sig_fn, (3, 4.5))


def test_explicit_signature_object():
    f = numlir.njit(numlir.float64(numlir.float64, numlir.int64))(sig_fn)
    assert f.signatures == [(numlir.float64, numlir.int64)]
    compare(f, sig_fn, (2.5, 3))


def test_explicit_signature_without_return_type():
    f = numlir.njit("(int64, int64)")(sig_fn)
    assert f.signatures == [(numlir.int64, numlir.int64)]
    compare(f, sig_fn, (5, -6))


def test_explicit_signature_boolean():
    f = numlir.njit("boolean(int64, int64)")(lt)
    assert f.signatures == [(numlir.int64, numlir.int64)]
    for args in [(1, 2), (2, 1)]:
        compare(f, lt, args)


def test_explicit_signature_aliases():
    f = numlir.njit("f8(i8, f8)")(sig_fn)
    assert f.signatures == [(numlir.int64, numlir.float64)]
    compare(f, sig_fn, (2, 0.5))


# ---------------------------------------------------------------------------------------------
# fastmath, jit(nopython=True)
# ---------------------------------------------------------------------------------------------

def float_sum(n):
    s = 0.0
    for i in range(n):
        s += i * 0.5
    return s


def float_dot_like(n):
    s = 0.0
    for i in range(1, n + 1):
        s += (1.0 / i) * (1.0 / i)
    return s


@cases(0, 1, 10, 1000)
def test_fastmath_simple_sum(args):
    check(float_sum, *args, fastmath=True)


@cases(1, 100, 10000)
def test_fastmath_sum_of_squares(args):
    check(float_dot_like, *args, fastmath=True, rel_tol=1e-9)


@cases((1.5, 2.5), (3, 4), (-2.0, 0.5))
def test_fastmath_arithmetic(args):
    check(mixed_expr, *args, fastmath=True, rel_tol=1e-9)


def test_jit_nopython():
    f = numlir.jit(nopython=True)(gcd_iter)
    for args in [(12, 18), (17, 5), (0, 3)]:
        compare(f, gcd_iter, args)


def test_jit_nopython_with_fastmath():
    f = numlir.jit(nopython=True, fastmath=True)(float_sum)
    for n in (0, 10, 100):
        compare(f, float_sum, (n,))


def test_jit_nopython_with_signature():
    f = numlir.jit("int64(int64)", nopython=True)(collatz_steps)
    assert f.signatures == [(numlir.int64,)]
    compare(f, collatz_steps, (27,))


# ---------------------------------------------------------------------------------------------
# More combinations
# ---------------------------------------------------------------------------------------------

def many_args16(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p):  # noqa: E741
    return a - b + c * d - e / f + g // h - i % j + k ** 2 - l + m * n - o + p


def many_args17(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q):  # noqa: E741
    return a + b + c + d + e + f + g + h + i + j + k + l + m + n + o + p + q


def while_and_condition(n, limit):
    i = 0
    s = 0
    while i < n and s < limit:
        s += i
        i += 1
    return i, s


def if_not_or(a, b):
    if not (a > 0 or b > 0):
        return -1
    return 1


def ternary_in_loop(n):
    s = 0
    for i in range(n):
        s += i if i % 2 == 0 else -i
    return s


def clamp(x, lo, hi):
    return max(lo, min(x, hi))


def shadow_global(x):
    G_INT = x * 2  # a local that shadows the module-level constant
    return G_INT + 1


def float_overflow_to_inf(x):
    return x * 1e308 * 10.0, -x * 1e308 * 10.0


def int64_limits_literals(x):
    return x + 9223372036854775807, x - 9223372036854775807 - 1


def sum_of_squares_float_or_int(n):
    s = 0
    for i in range(n):
        s += i * i
    return s / 2


@cases(tuple(range(1, 17)), tuple(float(i) / 3 for i in range(1, 17)),
       (1, 2.5, 3, 4, True, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, -16))
def test_sixteen_arguments(args):
    check(many_args16, *args)


def test_seventeen_arguments():
    # more arguments than numlir's calling convention takes: a TypeError or an
    # UnsupportedError, never a crash;
    # if it compiles, it must compute what CPython computes
    f = numlir.njit(many_args17)
    args = tuple(range(17))
    try:
        got = f(*args)
    except (TypeError, numlir.CompileError) as err:
        assert isinstance(err, (TypeError, numlir.UnsupportedError)), repr(err)
    else:
        assert_same(got, many_args17(*args))


@cases((10, 100), (10, 5), (0, 5), (100, 1000), (3, 0))
def test_while_with_and_condition(args):
    check(while_and_condition, *args)


@cases((1, 1), (-1, 1), (1, -1), (-1, -1), (0, 0), (nan, nan))
def test_if_not_or(args):
    check(if_not_or, *args)


@cases(0, 1, 10, 11)
def test_conditional_expression_in_loop(args):
    check(ternary_in_loop, *args)


@cases((5, 0, 10), (-5, 0, 10), (15, 0, 10), (2.5, 0.0, 1.0), (0.5, 0.0, 1.0), (nan, 0.0, 1.0))
def test_clamp(args):
    check(clamp, *args)


@cases(3, -1.5)
def test_local_shadows_global(args):
    check(shadow_global, *args)


@cases(1.0, 0.5, 1e-300, 0.0)
def test_float_overflow_to_inf(args):
    check(float_overflow_to_inf, *args)


@cases(0, -1, 1)
def test_int64_limit_literals(args):
    check(int64_limits_literals, *args, wrap=True)


@cases((0,), (1,), (4,), (10,))
def test_int_accumulator_divided(args):
    check(sum_of_squares_float_or_int, *args)


@cases(0, 1, 10, 15.0, 12.0)
def test_recursion_specialized_for_float(args):
    check(fib_rec, *args)


# ---------------------------------------------------------------------------------------------
# Default argument values
# ---------------------------------------------------------------------------------------------

def with_defaults(x, y=3, z=0.5):
    return x * y + z


@cases((1,), (2, 5), (2, 5, 1.25), (-4,), (True,))
def test_default_arguments(args):
    check(with_defaults, *args)


def range_attributes(a, b, c):
    r = range(a, b, c)
    return r.start, r.stop, r.step, len(r)


@cases((0, 10, 3), (10, 0, -2), (5, 5, 1))
def test_range_attributes(args):
    check(range_attributes, *args)
