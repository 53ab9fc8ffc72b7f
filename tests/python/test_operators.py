"""Scalar operators: every compiled function must agree with CPython.

Arithmetic, unary, bitwise and comparison operators, boolean operators and conditional
expressions, augmented assignment, and int64 wraparound. Each function below is plain Python
at module level (so that numlir can read its source and line numbers); each test compiles it
with a fresh ``numlir.njit`` and compares the result with what CPython computes for the same
arguments (see ``check`` in conftest.py).
"""
import numlir
from conftest import INT64_MAX, INT64_MIN, cases, check, wrap64
from scalar_inputs import inf, nan, INTS, FLOATS, BOOLS, ADD_INT_PAIRS, MUL_INT_PAIRS, DIV_INT_PAIRS, FLOAT_PAIRS, MIXED_PAIRS, BOOL_PAIRS, CMP_PAIRS


# ---------------------------------------------------------------------------------------------
# Arithmetic operators
# ---------------------------------------------------------------------------------------------

def add(a, b):
    return a + b


def sub(a, b):
    return a - b


def mul(a, b):
    return a * b


def truediv(a, b):
    return a / b


def floordiv(a, b):
    return a // b


def mod(a, b):
    return a % b


def power(a, b):
    return a ** b


@cases(*ADD_INT_PAIRS, *FLOAT_PAIRS, *MIXED_PAIRS, *BOOL_PAIRS)
def test_add(args):
    check(add, *args)


@cases(*ADD_INT_PAIRS, *FLOAT_PAIRS, *MIXED_PAIRS, *BOOL_PAIRS)
def test_sub(args):
    check(sub, *args)


@cases(*MUL_INT_PAIRS, *FLOAT_PAIRS, *MIXED_PAIRS, *BOOL_PAIRS)
def test_mul(args):
    check(mul, *args)


@cases(*DIV_INT_PAIRS, (2 ** 62 + 1, 3), (INT64_MAX, 7))
def test_truediv_int(args):
    check(truediv, *args)


@cases(*FLOAT_PAIRS, *MIXED_PAIRS, *BOOL_PAIRS)
def test_truediv_float(args):
    check(truediv, *args)


@cases(*DIV_INT_PAIRS)
def test_floordiv_int(args):
    check(floordiv, *args)


@cases(*FLOAT_PAIRS, *MIXED_PAIRS, *BOOL_PAIRS, (7.0, 0.1), (-7.0, 0.1), (1.0, 1e-320))
def test_floordiv_float(args):
    check(floordiv, *args, exact=True)


@cases(*DIV_INT_PAIRS, (INT64_MIN, -1), (INT64_MIN, INT64_MIN))
def test_mod_int(args):
    check(mod, *args)


@cases(*FLOAT_PAIRS, *MIXED_PAIRS, *BOOL_PAIRS, (7.0, 0.1), (-7.0, 0.1), (-1e-20, 3.0))
def test_mod_float(args):
    check(mod, *args, exact=True)


@cases((2, 10), (-3, 3), (3, 0), (0, 0), (0, 5), (-2, 63), (2, 62), (7, 1), (-1, 2 ** 62),
       (-1, 2 ** 62 + 1), (1, 2 ** 62), (10, 18), (-10, 17), (True, 5), (2, True), (False, 0))
def test_pow_int(args):
    check(power, *args)


@cases(*FLOAT_PAIRS, (2, 0.5), (4.0, 2), (2.5, 3), (-2.0, 3), (-2.0, -3), (0, -1.0), (2, -2.0),
       (0.0, -1), (-0.0, -1.0), (1.0, inf), (-1.0, inf), (nan, 0.0), (0.5, -inf), (2.5, True))
def test_pow_float(args):
    check(power, *args)


def pow_neg_const(a):
    return a ** -2


@cases(1, 2, -2, 3, 10, 2 ** 20, 0, 1.5, -0.5, 0.0)
def test_pow_negative_constant_exponent(args):
    check(pow_neg_const, *args)


def pow_const_small(a):
    return a ** 3 + a ** 2 + a ** 1 + a ** 0


@cases(0, 1, -1, 7, -7, 1000, 1.5, -2.5, nan, inf)
def test_pow_small_constant_exponents(args):
    check(pow_const_small, *args)


def pow_half(a):
    return a ** 0.5


@cases(0, 4, 2, 2 ** 62, 0.25, 2.0, 0.0, inf, nan)
def test_pow_half(args):
    check(pow_half, *args)


def int_true_div(a, b):
    return a / b + 1


@cases((1, 3), (-1, 3), (10, 4), (2 ** 62, 2 ** 61), (7, -7))
def test_int_true_division_gives_float(args):
    check(int_true_div, *args)


def precedence(a, b, c):
    return a + b * c - a // c ** 2 % 5 + -b ** 2


@cases((1, 2, 3), (-4, 5, -2), (100, -7, 3), (0, 0, 1), (1.5, 2.5, -3.0), (7, 2.5, 2))
def test_operator_precedence(args):
    check(precedence, *args)


def polynomial(x):
    return 3 * x ** 3 - 2 * x ** 2 + x / 4 - 7


@cases(0, 1, -1, 2.5, -3.25, 1000, 1e10, nan)
def test_polynomial(args):
    check(polynomial, *args)


def mixed_expr(a, b):
    return (a + 1) * (b - 2) / 3 - a % 3 + b // 2


@cases((5, 7), (-5, 7), (2, -9.5), (0.5, 0.25), (True, 3))
def test_mixed_expression(args):
    check(mixed_expr, *args)


# ---------------------------------------------------------------------------------------------
# Unary operators
# ---------------------------------------------------------------------------------------------

def neg(a):
    return -a


def pos(a):
    return +a


def invert(a):
    return ~a


def not_(a):
    return not a


@cases(*INTS, *FLOATS, *BOOLS)
def test_neg(args):
    check(neg, *args)


@cases(*INTS, *FLOATS, *BOOLS)
def test_pos(args):
    check(pos, *args)


@cases(*INTS, *BOOLS, INT64_MIN)
def test_invert(args):
    check(invert, *args)


@cases(*INTS, *FLOATS, *BOOLS)
def test_not(args):
    check(not_, *args)


def double_neg(a):
    return -(-a) + (not (not a))


@cases(3, -3, 0, 2.5, True, False)
def test_double_negation(args):
    check(double_neg, *args)


# ---------------------------------------------------------------------------------------------
# Bitwise operators
# ---------------------------------------------------------------------------------------------

BIT_PAIRS = [(12, 10), (-12, 10), (12, -10), (-1, 0), (0, 0), (2 ** 62, 2 ** 62 - 1),
             (INT64_MIN, -1), (INT64_MAX, INT64_MIN), (True, False), (True, True),
             (False, False), (True, 6), (5, True)]


def bitand(a, b):
    return a & b


def bitor(a, b):
    return a | b


def bitxor(a, b):
    return a ^ b


def lshift(a, b):
    return a << b


def rshift(a, b):
    return a >> b


@cases(*BIT_PAIRS)
def test_bitand(args):
    check(bitand, *args)


@cases(*BIT_PAIRS)
def test_bitor(args):
    check(bitor, *args)


@cases(*BIT_PAIRS)
def test_bitxor(args):
    check(bitxor, *args)


@cases((1, 0), (1, 3), (-16, 2), (5, 10), (1, 62), (-1, 63), (3, 61), (True, 4), (7, True),
       (0, 100), (1, -1), (0, -5))
def test_lshift(args):
    check(lshift, *args)


@cases((16, 2), (-16, 2), (-17, 2), (5, 0), (5, 63), (-5, 63), (5, 64), (-5, 64), (7, 200),
       (-7, 200), (INT64_MIN, 1), (INT64_MAX, 62), (True, 1), (8, True), (1, -1))
def test_rshift(args):
    check(rshift, *args)


def bit_tricks(x):
    lowest = x & -x
    cleared = x & (x - 1)
    return lowest, cleared, (x | 1) ^ 3


@cases(1, 12, 40, -8, 2 ** 61, 0)
def test_bit_tricks(args):
    check(bit_tricks, *args)


# ---------------------------------------------------------------------------------------------
# Comparisons
# ---------------------------------------------------------------------------------------------

def lt(a, b):
    return a < b


def le(a, b):
    return a <= b


def gt(a, b):
    return a > b


def ge(a, b):
    return a >= b


def eq(a, b):
    return a == b


def ne(a, b):
    return a != b


@cases(*CMP_PAIRS)
def test_lt(args):
    check(lt, *args)


@cases(*CMP_PAIRS)
def test_le(args):
    check(le, *args)


@cases(*CMP_PAIRS)
def test_gt(args):
    check(gt, *args)


@cases(*CMP_PAIRS)
def test_ge(args):
    check(ge, *args)


@cases(*CMP_PAIRS)
def test_eq(args):
    check(eq, *args)


@cases(*CMP_PAIRS)
def test_ne(args):
    check(ne, *args)


def chain2(a, b, c):
    return a < b < c


def chain_mixed(a, b, c):
    return a < b == c


def chain4(a, b, c, d):
    return a <= b < c <= d


def chain_ne(a, b, c):
    return a != b != c


def chain_in_if(a, b, c):
    if 0 <= a < b <= c:
        return 1
    return 0


TRIPLES = [(1, 2, 3), (3, 2, 1), (1, 1, 2), (1, 2, 2), (2.5, 3, 3.0), (nan, 1, 2), (0, nan, 1),
           (-1.5, -1, 0), (True, 2, 3), (5, 5, 5)]


@cases(*TRIPLES)
def test_chained_comparison(args):
    check(chain2, *args)


@cases(*TRIPLES)
def test_chained_comparison_eq(args):
    check(chain_mixed, *args)


@cases((1, 2, 3, 4), (1, 1, 2, 2), (1, 2, 2, 3), (4, 3, 2, 1), (0.5, 1.5, 2, 2.0), (1, 2, 3, nan))
def test_chained_comparison_four(args):
    check(chain4, *args)


@cases(*TRIPLES)
def test_chained_not_equal(args):
    check(chain_ne, *args)


@cases(*TRIPLES, (0, 0, 0), (-1, 0, 1))
def test_chained_comparison_in_if(args):
    check(chain_in_if, *args)


# ---------------------------------------------------------------------------------------------
# Boolean operators and conditional expressions
# ---------------------------------------------------------------------------------------------

def and_(a, b):
    return a and b


def or_(a, b):
    return a or b


SAME_TYPE_PAIRS = [(0, 5), (3, 5), (3, 0), (0, 0), (-1, 2), (0.0, 2.5), (1.5, 2.5), (1.5, 0.0),
                   (nan, 1.0), (-0.0, 3.0), (True, False), (False, True), (True, True),
                   (False, False)]


@cases(*SAME_TYPE_PAIRS)
def test_and_returns_operand(args):
    check(and_, *args)


@cases(*SAME_TYPE_PAIRS)
def test_or_returns_operand(args):
    check(or_, *args)


@cases((0, 2.5), (3, 2.5), (0.0, 4), (1.5, 4), (True, 3), (False, 3))
def test_and_or_mixed_types_unify(args):
    check(and_, *args, numeric=True)
    check(or_, *args, numeric=True)


def and_short_circuit(a, b):
    return b != 0 and a // b > 1


def or_short_circuit(a, b):
    return b == 0 or a % b == 0


@cases((10, 0), (10, 3), (10, 20), (-10, 3), (9, 3))
def test_and_short_circuits(args):
    check(and_short_circuit, *args)


@cases((10, 0), (10, 3), (9, 3), (-9, 3), (9, -4))
def test_or_short_circuits(args):
    check(or_short_circuit, *args)


def bool_logic(a, b, c):
    return (a > 0 and b > 0) or (not c and a != b)


@cases((1, 1, True), (1, -1, True), (1, -1, False), (-1, -1, False), (2.5, -1, 0), (0, 0, 0))
def test_boolean_combination(args):
    check(bool_logic, *args)


def ternary(a, b):
    return a if a > b else b


@cases((1, 2), (2, 1), (-3, -3), (1.5, -2.5), (nan, 1.0), (1.0, nan))
def test_conditional_expression(args):
    check(ternary, *args)


def nested_ternary(x):
    return -1 if x < 0 else (0 if x == 0 else 1)


@cases(-5, 0, 5, -0.0, 0.5, nan, -inf)
def test_nested_conditional_expression(args):
    check(nested_ternary, *args)


def ternary_truthiness(x):
    return 10 if x else 20


@cases(0, 1, -1, 0.0, -0.0, nan, 0.5, True, False)
def test_conditional_expression_truthiness(args):
    check(ternary_truthiness, *args)


# ---------------------------------------------------------------------------------------------
# Augmented assignment
# ---------------------------------------------------------------------------------------------

def aug_arith(a, b):
    x = a
    x += b
    x -= 1
    x *= b
    return x


def aug_div(a, b):
    x = a
    x /= b
    return x


def aug_floordiv_mod(a, b):
    x = a
    y = a
    x //= b
    y %= b
    return x, y


def aug_pow(a, b):
    x = a
    x **= b
    return x


def aug_bits(a, b):
    x = a
    x &= b
    y = a
    y |= b
    z = a
    z ^= b
    return x, y, z


def aug_shifts(a, b):
    x = a
    x <<= b
    y = a
    y >>= b
    return x, y


@cases((3, 4), (-3, 4), (3, -4), (1.5, 2.5), (2, 0.5), (0, 0))
def test_augmented_arithmetic(args):
    check(aug_arith, *args)


@cases((7, 2), (-7, 2), (7.5, -2.5), (1, 0), (1.0, 0.0))
def test_augmented_truediv(args):
    check(aug_div, *args)


@cases((7, 2), (-7, 2), (7, -2), (-7.5, 2.0), (7.5, -2), (5, 0), (-0.0, 1.0))
def test_augmented_floordiv_mod(args):
    check(aug_floordiv_mod, *args)


@cases((3, 4), (-3, 3), (2.0, 0.5), (2, -1.0), (9.0, 2))
def test_augmented_pow(args):
    check(aug_pow, *args)


@cases((12, 10), (-12, 10), (True, False), (True, 3))
def test_augmented_bitwise(args):
    check(aug_bits, *args)


@cases((1, 5), (-64, 3), (255, 0), (5, 70))
def test_augmented_shifts(args):
    check(aug_shifts, *args, wrap=True)


# ---------------------------------------------------------------------------------------------
# int64 wraparound (like numpy int64): expected = CPython's result reduced to int64
# ---------------------------------------------------------------------------------------------

def wrap_mul(a, b):
    return a * b


def wrap_add(a, b):
    return a + b


def wrap_sub(a, b):
    return a - b


def wrap_neg(a):
    return -a


def wrap_abs(a):
    return abs(a)


def wrap_pow(a, b):
    return a ** b


def wrap_factorial(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


def wrap_fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def wrap_hash_mix(n):
    h = 1469598103934665603
    for i in range(n):
        h = (h ^ i) * 1099511628211
    return h


def wrap_floordiv(a, b):
    return a // b


def test_wrap_example():
    # 2**62 * 4 wraps like numpy int64; the expectation is CPython's product reduced to int64
    f = numlir.njit(wrap_mul)
    assert f(2 ** 62, 4) == wrap64(wrap_mul(2 ** 62, 4))


@cases((2 ** 62, 4), (2 ** 62, 2), (2 ** 62, 3), (INT64_MAX, INT64_MAX), (INT64_MIN, -1),
       (3037000500, 3037000500), (-(2 ** 40), 2 ** 40), (123456789123, 987654321987))
def test_wrap_multiply(args):
    check(wrap_mul, *args, wrap=True)


@cases((INT64_MAX, 1), (INT64_MAX, INT64_MAX), (INT64_MIN, -1), (2 ** 62, 2 ** 62))
def test_wrap_add(args):
    check(wrap_add, *args, wrap=True)


@cases((INT64_MIN, 1), (INT64_MAX, -1), (INT64_MIN, INT64_MAX), (-(2 ** 62), 2 ** 62 + 1))
def test_wrap_sub(args):
    check(wrap_sub, *args, wrap=True)


@cases(INT64_MIN, INT64_MAX, 0)
def test_wrap_negate(args):
    check(wrap_neg, *args, wrap=True)


@cases(INT64_MIN, INT64_MIN + 1)
def test_wrap_abs(args):
    check(wrap_abs, *args, wrap=True)


@cases((3, 40), (2, 63), (2, 64), (2, 100), (-3, 41), (7, 23), (10, 19))
def test_wrap_power(args):
    check(wrap_pow, *args, wrap=True)


@cases((1, 63), (1, 64), (1, 70), (3, 62), (-1, 100), (12345, 60))
def test_wrap_left_shift(args):
    check(lshift, *args, wrap=True)


@cases(21, 25, 30)
def test_wrap_factorial(args):
    check(wrap_factorial, *args, wrap=True)


@cases(93, 100, 300)
def test_wrap_fibonacci(args):
    check(wrap_fib, *args, wrap=True)


@cases(0, 1, 10, 1000)
def test_wrap_hash_mixing(args):
    check(wrap_hash_mix, *args, wrap=True)


@cases((INT64_MIN, -1),)
def test_wrap_floordiv_min_by_minus_one(args):
    check(wrap_floordiv, *args, wrap=True)
