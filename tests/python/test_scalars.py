"""Scalar semantics: every compiled function must agree with CPython.

Each function below is plain Python at module level (so that numlir can read its source and
line numbers); each test compiles it with a fresh ``numlir.njit`` and compares the result with
what CPython computes for the same arguments (see ``check`` in conftest.py).
"""
import math

import pytest

import numlir
from conftest import INT64_MAX, INT64_MIN, assert_same, cases, check, compare, pure_python, wrap64

inf = math.inf
nan = math.nan

# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------

INTS = [0, 1, -1, 7, -7, 255, 2 ** 62, -(2 ** 62), INT64_MAX, INT64_MIN + 1, 123456789]
FLOATS = [0.0, -0.0, 1.5, -1.5, 2.5, -2.5, 0.1, 1e300, -1e-300, 5e-324, inf, -inf, nan]
BOOLS = [True, False]

ADD_INT_PAIRS = [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 0), (0, -5), (2 ** 62, 2 ** 61),
                 (-(2 ** 62), -(2 ** 62)), (INT64_MAX, 0), (INT64_MIN, 0), (123456789, -1000)]
MUL_INT_PAIRS = [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 5), (0, -5), (2 ** 31, 2 ** 31),
                 (-(2 ** 31), 2 ** 31), (3037000499, 3037000499), (INT64_MAX, 1), (INT64_MIN, 1),
                 (INT64_MAX, -1)]
DIV_INT_PAIRS = [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 5), (0, -5), (6, 3), (-6, 3), (6, -3),
                 (1, 1), (1, -1), (2 ** 62, 3), (-(2 ** 62), 7), (-(2 ** 62) - 1, 2 ** 40),
                 (123456789, -1000), (INT64_MAX, -1), (INT64_MIN, 1), (INT64_MIN, 2),
                 (INT64_MIN, INT64_MAX), (INT64_MAX, INT64_MIN), (5, 0), (-5, 0), (0, 0)]
FLOAT_PAIRS = [(7.5, 2.0), (-7.5, 2.0), (7.5, -2.0), (-7.5, -2.0), (0.0, 3.0), (-0.0, 3.0),
               (0.0, -3.0), (-0.0, -3.0), (6.0, 3.0), (-6.0, 3.0), (6.0, -3.0), (1e300, 1e-10),
               (1e-300, 1e300), (inf, 2.0), (-inf, 2.0), (2.0, inf), (-2.0, inf), (2.0, -inf),
               (-2.0, -inf), (inf, inf), (nan, 1.0), (1.0, nan), (0.1, 0.3), (5.0, 0.0),
               (0.0, 0.0), (-5.0, -0.0), (1e16, 3.0), (-1e-20, 1.0)]
MIXED_PAIRS = [(7, 2.5), (-7, 2.5), (7.5, 2), (-7.5, -2), (2 ** 62, 1.5), (3, -0.5), (0, -1.0),
               (-1, inf), (1, -inf), (5, 0.0), (5.0, 0), (-0.0, 4), (2 ** 53 + 1, 1.0)]
BOOL_PAIRS = [(True, False), (True, True), (False, True), (False, False), (True, 3), (-3, True),
              (2.5, True), (False, 2.5), (7, False)]
CMP_PAIRS = [(1, 2), (2, 1), (2, 2), (-3, 3), (1.5, 1.5), (1.5, 2.5), (-0.0, 0.0), (nan, nan),
             (nan, 1.0), (1.0, nan), (inf, inf), (-inf, inf), (2, 2.0), (2, 2.5), (3, 2.5),
             (True, 1), (False, 0.0), (True, False), (2 ** 53 + 1, float(2 ** 53)),
             (float(2 ** 53), 2 ** 53 + 1), (2 ** 62 + 1, float(2 ** 62)),
             (INT64_MAX, float(2 ** 63)), (INT64_MIN, -float(2 ** 63)), (INT64_MAX, INT64_MIN)]


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
# Branches
# ---------------------------------------------------------------------------------------------

def sign(x):
    if x > 0:
        return 1
    elif x < 0:
        return -1
    else:
        return 0


def classify(x):
    if x < 0:
        r = 0
    elif x < 10:
        r = 1
    elif x < 100:
        r = 2
    elif x < 1000:
        r = 3
    else:
        r = 4
    return r


def if_no_else(x):
    r = 5
    if x > 3:
        r = r * x
    return r


def nested_if(a, b):
    if a > 0:
        if b > 0:
            return 1
        else:
            return 2
    else:
        if b > 0:
            return 3
        return 4


def truthiness_branch(x):
    if x:
        return 1
    return 0


@cases(5, -5, 0, 0.5, -0.0, nan, inf, -inf, True, False)
def test_if_elif_else(args):
    check(sign, *args)


@cases(-1, 0, 9, 10, 99, 100, 999, 1000, 2 ** 62, 55.5, nan)
def test_elif_chain(args):
    check(classify, *args)


@cases(1, 3, 4, -4, 3.5)
def test_if_without_else(args):
    check(if_no_else, *args)


@cases((1, 1), (1, -1), (-1, 1), (-1, -1), (0, 0), (0.5, -0.5))
def test_nested_if(args):
    check(nested_if, *args)


@cases(0, 3, -3, 0.0, 0.1, nan, True, False)
def test_if_truthiness(args):
    check(truthiness_branch, *args)


# ---------------------------------------------------------------------------------------------
# Loops
# ---------------------------------------------------------------------------------------------

def sum_range1(n):
    s = 0
    for i in range(n):
        s += i
    return s


def sum_range2(a, b):
    s = 0
    for i in range(a, b):
        s += i * i
    return s


def sum_range3(a, b, step):
    s = 0
    for i in range(a, b, step):
        s = s * 3 + i
    return s


def count_range3(a, b, step):
    n = 0
    for _ in range(a, b, step):
        n += 1
    return n


def long_loop_body(n):
    # A loop body this long needs EXTENDED_ARG for its jumps, and the backward jump lands on
    # the prefix of the loop test's jump.
    t = 1
    i = 0
    while i < n:
        t = (t * 3 + i + 0) % 1000003
        t = (t * 4 + i + 1) % 1000003
        t = (t * 5 + i + 2) % 1000003
        t = (t * 6 + i + 3) % 1000003
        t = (t * 7 + i + 4) % 1000003
        t = (t * 3 + i + 5) % 1000003
        t = (t * 4 + i + 6) % 1000003
        t = (t * 5 + i + 7) % 1000003
        t = (t * 6 + i + 8) % 1000003
        t = (t * 7 + i + 9) % 1000003
        t = (t * 3 + i + 10) % 1000003
        t = (t * 4 + i + 11) % 1000003
        t = (t * 5 + i + 12) % 1000003
        t = (t * 6 + i + 13) % 1000003
        t = (t * 7 + i + 14) % 1000003
        t = (t * 3 + i + 15) % 1000003
        t = (t * 4 + i + 16) % 1000003
        t = (t * 5 + i + 17) % 1000003
        t = (t * 6 + i + 18) % 1000003
        t = (t * 7 + i + 19) % 1000003
        t = (t * 3 + i + 20) % 1000003
        t = (t * 4 + i + 21) % 1000003
        t = (t * 5 + i + 22) % 1000003
        t = (t * 6 + i + 23) % 1000003
        t = (t * 7 + i + 24) % 1000003
        t = (t * 3 + i + 25) % 1000003
        t = (t * 4 + i + 26) % 1000003
        t = (t * 5 + i + 27) % 1000003
        t = (t * 6 + i + 28) % 1000003
        t = (t * 7 + i + 29) % 1000003
        t = (t * 3 + i + 30) % 1000003
        t = (t * 4 + i + 31) % 1000003
        t = (t * 5 + i + 32) % 1000003
        t = (t * 6 + i + 33) % 1000003
        t = (t * 7 + i + 34) % 1000003
        t = (t * 3 + i + 35) % 1000003
        t = (t * 4 + i + 36) % 1000003
        t = (t * 5 + i + 37) % 1000003
        t = (t * 6 + i + 38) % 1000003
        t = (t * 7 + i + 39) % 1000003
        i += 1
    return t


def while_sum(n):
    s = 0
    i = 0
    while i < n:
        s += i
        i += 1
    return s


def loop_break(n):
    i = 0
    for i in range(n):
        if i * i > 50:
            break
    return i


def loop_continue(n):
    s = 0
    for i in range(n):
        if i % 3 == 0:
            continue
        s += i
    return s


def early_return(n):
    for i in range(2, n):
        if n % i == 0:
            return i
    return n


def nested_loops(n, m):
    s = 0
    for i in range(n):
        for j in range(m):
            s += i * j - j
    return s


def nested_break(n):
    count = 0
    for i in range(n):
        for j in range(n):
            if j > i:
                break
            count += 1
    return count


def while_true_break(n):
    i = 0
    while True:
        i += 1
        if i >= n:
            break
    return i


def loop_var_after(n):
    for i in range(n):
        pass
    return i


def for_else(n):
    r = -1
    for i in range(n):
        if i == 5:
            r = i
            break
    else:
        r = 100
    return r


def while_else(n):
    i = 0
    while i < n:
        i += 2
    else:
        i = -i
    return i


def range_args_evaluated_once(n):
    s = 0
    for i in range(n):
        n -= 1
        s += i
    return s, n


@cases(0, 1, 10, 100, -5, True)
def test_for_range_one_arg(args):
    check(sum_range1, *args)


@cases((0, 10), (5, 5), (10, 0), (-5, 5), (-10, -3), (2 ** 62, 2 ** 62 + 4))
def test_for_range_two_args(args):
    check(sum_range2, *args, wrap=True)


@cases((0, 10, 3), (10, 0, -3), (10, 0, -1), (5, 5, 1), (0, 10, -1), (-5, 5, 2), (5, -5, -2),
       (0, 1, 100), (0, -100, -7), (3, 4, -1), (0, 5, 0))
def test_for_range_three_args(args):
    check(sum_range3, *args)


@cases((0, 10, 3), (10, 0, -3), (0, 10, -1), (-5, 5, 2), (5, -5, -2), (0, 1, 100),
       (INT64_MAX - 10, INT64_MAX, 1), (INT64_MIN + 10, INT64_MIN, -1), (0, 2 ** 40, 2 ** 38),
       (0, 5, 0))
def test_range_iteration_count(args):
    check(count_range3, *args)


@cases((INT64_MAX - 10, INT64_MAX, 3), (INT64_MIN + 10, INT64_MIN, -4),
       (INT64_MAX - 4, INT64_MAX, 2 ** 62))
def test_range_iteration_count_near_int64_limits(args):
    check(count_range3, *args)


def len_range3(a, b, c):
    return len(range(a, b, c))


def len_range1(n):
    r = range(n)
    return len(r) * 2


@cases((0, 10, 3), (10, 0, -3), (0, 10, -1), (-5, 5, 2), (5, -5, -2), (0, 1, 100), (5, 5, 1),
       (INT64_MAX - 10, INT64_MAX, 3), (INT64_MIN + 10, INT64_MIN, -4), (0, 2 ** 40, 2 ** 38),
       (0, 5, 0))
def test_len_of_range(args):
    check(len_range3, *args)


@cases(0, 7, -3)
def test_len_of_range_variable(args):
    check(len_range1, *args)


@cases(0, 1, 10, 1000, -3)
def test_while_loop(args):
    check(while_sum, *args)


@cases(0, 1, 7, 300)
def test_loop_with_wide_jumps(args):
    import dis
    assert any(i.opname == "EXTENDED_ARG" for i in dis.get_instructions(long_loop_body))
    check(long_loop_body, *args)


@cases(1, 5, 8, 9, 100)
def test_break(args):
    check(loop_break, *args)


@cases(0, 1, 10, 31)
def test_continue(args):
    check(loop_continue, *args)


@cases(2, 3, 9, 35, 97, 221, 7919)
def test_early_return_from_loop(args):
    check(early_return, *args)


@cases((0, 0), (3, 4), (10, 10), (5, 0), (-2, 3))
def test_nested_loops(args):
    check(nested_loops, *args)


@cases(0, 1, 5, 20)
def test_nested_loops_break_inner(args):
    check(nested_break, *args)


@cases(1, 5, 0, -5)
def test_while_true_break(args):
    check(while_true_break, *args)


@cases(1, 5, 13)
def test_loop_variable_after_loop(args):
    check(loop_var_after, *args)


@cases(0, 3, 6, 10)
def test_for_else(args):
    check(for_else, *args)


@cases(0, 1, 5, 6)
def test_while_else(args):
    check(while_else, *args)


@cases(0, 4, 9)
def test_range_bounds_evaluated_once(args):
    check(range_args_evaluated_once, *args)


# ---------------------------------------------------------------------------------------------
# Algorithms built from loops
# ---------------------------------------------------------------------------------------------

def count_primes(n):
    count = 0
    for k in range(2, n):
        is_prime = True
        d = 2
        while d * d <= k:
            if k % d == 0:
                is_prime = False
                break
            d += 1
        if is_prime:
            count += 1
    return count


def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def gcd_iter(a, b):
    while b:
        a, b = b, a % b
    return a


def fib_iter(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def factorial_iter(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


def sum_digits(n):
    n = abs(n)
    s = 0
    while n > 0:
        s += n % 10
        n //= 10
    return s


def reverse_digits(n):
    r = 0
    while n > 0:
        r = r * 10 + n % 10
        n //= 10
    return r


def is_palindrome_number(n):
    return n >= 0 and reverse_digits_inline(n) == n


@numlir.njit
def reverse_digits_inline(n):
    r = 0
    while n > 0:
        r = r * 10 + n % 10
        n //= 10
    return r


def isqrt_newton(n):
    if n < 2:
        return n
    x = n
    y = (x + 1) // 2
    while y < x:
        x = y
        y = (x + n // x) // 2
    return x


def pow_mod(base, exp, m):
    result = 1
    base %= m
    while exp > 0:
        if exp & 1:
            result = result * base % m
        base = base * base % m
        exp >>= 1
    return result


def harmonic(n):
    s = 0.0
    for k in range(1, n + 1):
        s += 1.0 / k
    return s


def leibniz_pi(n):
    s = 0.0
    sgn = 1.0
    for k in range(n):
        s += sgn / (2 * k + 1)
        sgn = -sgn
    return 4 * s


def popcount(n):
    c = 0
    while n:
        n &= n - 1
        c += 1
    return c


def binomial(n, k):
    if k < 0 or k > n:
        return 0
    r = 1
    for i in range(min(k, n - k)):
        r = r * (n - i) // (i + 1)
    return r


def lcm(a, b):
    x, y = a, b
    while y:
        x, y = y, x % y
    return a // x * b


def perfect(n):
    s = 0
    for d in range(1, n):
        if n % d == 0:
            s += d
    return s == n


def midpoint_integral(n):
    h = math.pi / n
    s = 0.0
    for i in range(n):
        s += math.sin((i + 0.5) * h)
    return s * h


def newton_sqrt(x):
    g = x / 2 if x > 1 else 1.0
    for _ in range(60):
        g = 0.5 * (g + x / g)
    return g


def bisect_cubic(lo, hi):
    for _ in range(100):
        mid = (lo + hi) / 2
        if mid * mid * mid - 2 * mid - 5 > 0:
            hi = mid
        else:
            lo = mid
    return lo


def digital_root(n):
    while n >= 10:
        s = 0
        while n:
            s += n % 10
            n //= 10
        n = s
    return n


@cases(0, 2, 3, 10, 100, 1000)
def test_count_primes(args):
    check(count_primes, *args)


@cases(1, 2, 3, 6, 7, 27, 97, 871, 2 ** 40 + 1)
def test_collatz(args):
    check(collatz_steps, *args)


@cases((12, 18), (18, 12), (17, 5), (0, 5), (5, 0), (2 ** 40, 2 ** 20 * 3), (-12, 18), (12, -18))
def test_gcd_iterative(args):
    check(gcd_iter, *args)


@cases(0, 1, 2, 10, 50, 92)
def test_fib_iterative(args):
    check(fib_iter, *args)


@cases(0, 1, 5, 20)
def test_factorial_iterative(args):
    check(factorial_iter, *args)


@cases(0, 7, 12345, -987, INT64_MAX)
def test_sum_digits(args):
    check(sum_digits, *args)


@cases(0, 7, 12345, 1200, 10 ** 17 + 1)
def test_reverse_digits(args):
    check(reverse_digits, *args)


@cases(0, 121, 123, 1221, -121, 10)
def test_palindrome_number(args):
    check(is_palindrome_number, *args)


@cases(0, 1, 2, 15, 16, 17, 10 ** 12, 10 ** 18 - 1, INT64_MAX - 1)
def test_isqrt_newton(args):
    check(isqrt_newton, *args)


@cases((2, 10, 1000), (3, 200, 13), (7, 0, 5), (12345, 6789, 1000003), (-3, 5, 7), (2, 100, 1))
def test_pow_mod(args):
    check(pow_mod, *args)


@cases(0, 1, 10, 1000)
def test_harmonic(args):
    check(harmonic, *args)


@cases(1, 10, 1000)
def test_leibniz_pi(args):
    check(leibniz_pi, *args)


@cases(0, 1, 255, 2 ** 62, INT64_MAX, 12345678987654321)
def test_popcount(args):
    check(popcount, *args)


@cases((5, 2), (10, 5), (30, 15), (60, 30), (5, 7), (5, -1), (0, 0))
def test_binomial(args):
    check(binomial, *args)


@cases((4, 6), (21, 6), (7, 13), (1, 1))
def test_lcm(args):
    check(lcm, *args)


@cases(6, 28, 12, 496, 1)
def test_perfect_number(args):
    check(perfect, *args)


@cases(1, 10, 1000)
def test_midpoint_integral(args):
    check(midpoint_integral, *args)


@cases(2.0, 10, 1e10, 0.25, 2)
def test_newton_sqrt(args):
    check(newton_sqrt, *args)


@cases((2.0, 3.0), (0, 10), (-1.0, 5))
def test_bisection(args):
    check(bisect_cubic, *args)


@cases(0, 9, 38, 123456789, INT64_MAX)
def test_digital_root(args):
    check(digital_root, *args)


# ---------------------------------------------------------------------------------------------
# Tuples
# ---------------------------------------------------------------------------------------------

def make_pair(a, b):
    return a, b


def swap(a, b):
    a, b = b, a
    return a, b


def rotate3(a, b, c):
    a, b, c = b, c, a
    return a, b, c


def unpack_tuple(a, b):
    t = (a + b, a - b)
    x, y = t
    return x * y


def nested_tuple(a, b):
    return (a, (b, a + b)), a * b


def unpack_nested(a, b, c):
    (x, (y, z)) = (a, (b, c))
    return x - y * z


def mixed_tuple(a):
    return a, a > 0, float(a), -a


def divmod_tuple(a, b):
    return a // b, a % b


def const_tuple(a):
    t = (1, 2.5, True)
    x, y, z = t
    return x + a, y, z


def minmax_tuple(a, b, c):
    lo = min(a, b, c)
    hi = max(a, b, c)
    return lo, hi


def tuple_of_bools(a, b):
    return a < b, a == b, a > b


def tuple_through_loop(n):
    t = (0, 1)
    for _ in range(n):
        a, b = t
        t = (b, a + b)
    return t


def empty_tuple(a):
    return ()


def single_tuple(a):
    return (a,)


@cases((1, 2), (1.5, -2), (True, 3), (nan, 0))
def test_return_pair(args):
    check(make_pair, *args)


@cases((1, 2), (1.5, 2.5), (-0.0, 0.0), (True, False))
def test_swap(args):
    check(swap, *args)


@cases((1, 2, 3), (1.5, 2.5, 3.5))
def test_rotate_three(args):
    check(rotate3, *args)


@cases((5, 3), (-2, 7), (1.5, 0.5))
def test_tuple_unpack(args):
    check(unpack_tuple, *args)


@cases((2, 3), (-1, 4.5))
def test_nested_tuple_return(args):
    check(nested_tuple, *args)


@cases((1, 2, 3), (10, -2, 2.5))
def test_nested_tuple_unpack(args):
    check(unpack_nested, *args)


@cases(5, -5, 0, 2 ** 62)
def test_tuple_of_mixed_types(args):
    check(mixed_tuple, *args)


@cases(*DIV_INT_PAIRS, (-7.5, 2.0), (7.5, -0.5), (-0.0, 5.0), (1.0, 0.0))
def test_divmod_tuple(args):
    check(divmod_tuple, *args)


@cases(1, -1.5)
def test_constant_tuple(args):
    check(const_tuple, *args)


@cases((1, 2, 3), (3, 1, 2), (2.5, -1.5, 0.5), (5, 5, 5))
def test_min_max_tuple(args):
    check(minmax_tuple, *args)


@cases((1, 2), (2, 2), (3.5, 2), (nan, 1.0))
def test_tuple_of_bools(args):
    check(tuple_of_bools, *args)


@cases(0, 1, 10, 80)
def test_tuple_carried_through_loop(args):
    check(tuple_through_loop, *args)


@cases(1, 2.5)
def test_empty_tuple(args):
    check(empty_tuple, *args)


@cases(1, 2.5, True)
def test_single_element_tuple(args):
    check(single_tuple, *args)


# ---------------------------------------------------------------------------------------------
# Builtins
# ---------------------------------------------------------------------------------------------

def b_abs(x):
    return abs(x)


def b_min2(a, b):
    return min(a, b)


def b_max2(a, b):
    return max(a, b)


def b_min3(a, b, c):
    return min(a, b, c)


def b_max4(a, b, c, d):
    return max(a, b, c, d)


def b_int(x):
    return int(x)


def b_float(x):
    return float(x)


def b_bool(x):
    return bool(x)


def b_round1(x):
    return round(x)


def b_round2(x, n):
    return round(x, n)


@cases(*INTS, *FLOATS, *BOOLS)
def test_abs(args):
    check(b_abs, *args)


MINMAX_PAIRS = [(1, 2), (2, 1), (-5, -5), (1.5, -2.5), (2.5, 2.5), (0.0, -0.0), (-0.0, 0.0),
                (nan, 1.0), (1.0, nan), (inf, -inf), (True, False), (False, True),
                (INT64_MIN, INT64_MAX)]


@cases(*MINMAX_PAIRS)
def test_min_two(args):
    check(b_min2, *args)


@cases(*MINMAX_PAIRS)
def test_max_two(args):
    check(b_max2, *args)


@cases((1, 2.5), (3, 2.5), (2.5, 3), (2, 2.0), (2.0, 2))
def test_min_max_mixed_int_float(args):
    check(b_min2, *args, numeric=True)
    check(b_max2, *args, numeric=True)


@cases((3, 1, 2), (1, 2, 3), (2, 3, 1), (1.5, -1.5, 0.0), (nan, 1.0, 2.0), (1.0, nan, 0.5),
       (True, False, True))
def test_min_three(args):
    check(b_min3, *args)


@cases((3, 1, 2, 4), (4, 3, 2, 1), (-1.5, -2.5, -0.5, -3.0), (1, 1, 1, 1))
def test_max_four(args):
    check(b_max4, *args)


@cases(*INTS, *BOOLS, 2.9, -2.9, 0.5, -0.5, -0.0, 1e18, -1e18, 2.0 ** 62, 123456.789, nan,
       inf, -inf)
def test_int(args):
    check(b_int, *args)


@cases(-9.223372036854775808e18, 9.223372036854774784e18, -9.223372036854774784e18)
def test_int_at_the_int64_limits(args):
    check(b_int, *args)


@pytest.mark.parametrize("x", [1e19, -1e19, 9.223372036854775808e18, 1e300, -1e300])
def test_int_beyond_int64_raises(x):
    """CPython makes a big int; numlir's ints are int64, so it raises instead of wrapping."""
    with pytest.raises(OverflowError, match="float too large to convert to int64"):
        numlir.njit(b_int)(x)


@cases(*INTS, *FLOATS, *BOOLS, 2 ** 53 + 1, 2 ** 62 + 1, INT64_MAX)
def test_float(args):
    check(b_float, *args)


@cases(*INTS, *FLOATS, *BOOLS)
def test_bool(args):
    check(b_bool, *args)


ROUND1_INPUTS = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.4, -0.4, 0.6, 2.675, 1e15 + 0.5,
                 2.0 ** 52 + 1, -0.0, 123456.5, 2.0 ** 62, 7, -7, True, nan, inf, -inf]


@cases(*ROUND1_INPUTS)
def test_round_one_arg(args):
    check(b_round1, *args)


@cases((2.675, 2), (1.5, 0), (2.5, 0), (-2.5, 0), (-0.4, 0), (0.4, 0), (-1.25, 1), (1.25, 1),
       (1234.5678, -2), (1250.0, -2), (0.125, 2), (0.285, 2), (1.005, 2), (3.14159, 3),
       (1e300, 2), (1e300, -300), (5e-324, 400), (123.456, 20), (2.5, -1), (15.0, -1),
       (nan, 2), (inf, 1), (-inf, -2), (1e-10, 5), (-1e-10, 5), (0.0, -3))
def test_round_two_args_float(args):
    check(b_round2, *args)


@cases((1234, -2), (1250, -2), (1350, -2), (-1250, -2), (-1251, -2), (7, 2), (7, 0),
       (15, -1), (25, -1), (-25, -1), (123456789, -5), (5, -1), (5, -20), (True, 0),
       (INT64_MAX, -18), (INT64_MIN, -18))
def test_round_two_args_int(args):
    check(b_round2, *args)


# ---------------------------------------------------------------------------------------------
# math module
# ---------------------------------------------------------------------------------------------

def m_sqrt(x):
    return math.sqrt(x)


def m_exp(x):
    return math.exp(x)


def m_expm1(x):
    return math.expm1(x)


def m_log(x):
    return math.log(x)


def m_log_base(x, b):
    return math.log(x, b)


def m_log1p(x):
    return math.log1p(x)


def m_log2(x):
    return math.log2(x)


def m_log10(x):
    return math.log10(x)


def m_pow(x, y):
    return math.pow(x, y)


def m_sin(x):
    return math.sin(x)


def m_cos(x):
    return math.cos(x)


def m_tan(x):
    return math.tan(x)


def m_asin(x):
    return math.asin(x)


def m_acos(x):
    return math.acos(x)


def m_atan(x):
    return math.atan(x)


def m_atan2(y, x):
    return math.atan2(y, x)


def m_sinh(x):
    return math.sinh(x)


def m_cosh(x):
    return math.cosh(x)


def m_tanh(x):
    return math.tanh(x)


def m_asinh(x):
    return math.asinh(x)


def m_acosh(x):
    return math.acosh(x)


def m_atanh(x):
    return math.atanh(x)


def m_floor(x):
    return math.floor(x)


def m_ceil(x):
    return math.ceil(x)


def m_trunc(x):
    return math.trunc(x)


def m_fabs(x):
    return math.fabs(x)


def m_copysign(x, y):
    return math.copysign(x, y)


def m_hypot(x, y):
    return math.hypot(x, y)


def m_isnan(x):
    return math.isnan(x)


def m_isinf(x):
    return math.isinf(x)


def m_isfinite(x):
    return math.isfinite(x)


def m_erf(x):
    return math.erf(x)


def m_erfc(x):
    return math.erfc(x)


def m_gamma(x):
    return math.gamma(x)


def m_lgamma(x):
    return math.lgamma(x)


def m_radians(x):
    return math.radians(x)


def m_degrees(x):
    return math.degrees(x)


@cases(0.0, -0.0, 1.0, 2.0, 0.25, 1e300, 5e-324, 4, 2 ** 62, True, inf, nan)
def test_math_sqrt(args):
    check(m_sqrt, *args)


@cases(0.0, 1.0, -1.0, 0.5, 700.0, -745.0, -1000.0, 3, -inf, inf, nan)
def test_math_exp(args):
    check(m_exp, *args)


@cases(0.0, -0.0, 1e-10, -1e-10, 1.0, -1.0, 700.0, -50, -inf, inf, nan)
def test_math_expm1(args):
    check(m_expm1, *args)


@cases(1.0, 2.0, 0.5, math.e, 1e300, 5e-324, 10, 2 ** 62, True, inf, nan)
def test_math_log(args):
    check(m_log, *args)


@cases((8.0, 2.0), (100, 10), (1000.0, 10), (2.0, 0.5), (1, 7), (1e300, 3.0), (81, 3),
       (inf, 2.0), (nan, 2.0), (5.0, nan))
def test_math_log_with_base(args):
    check(m_log_base, *args)


@cases(0.0, -0.0, 1e-20, -0.5, 1.0, 1e300, 3, inf, nan)
def test_math_log1p(args):
    check(m_log1p, *args)


@cases(1.0, 2.0, 8.0, 0.5, 1024, 2 ** 62, 3.0, 1e-300, inf, nan)
def test_math_log2(args):
    check(m_log2, *args)


@cases(1.0, 10.0, 1000, 0.001, 2.0, 1e300, inf, nan)
def test_math_log10(args):
    check(m_log10, *args)


@cases((2.0, 10.0), (2, 0.5), (-2.0, 3.0), (-2.0, -3), (0.0, 0.0), (nan, 0.0), (1.0, nan),
       (inf, -1.0), (-inf, 3.0), (0.5, inf), (10, -2), (True, 3))
def test_math_pow(args):
    check(m_pow, *args)


TRIG_INPUTS = [0.0, -0.0, 0.5, -0.5, 1.0, math.pi / 6, math.pi, 1e6, -3, 2, nan]


@cases(*TRIG_INPUTS)
def test_math_sin(args):
    check(m_sin, *args)


@cases(*TRIG_INPUTS)
def test_math_cos(args):
    check(m_cos, *args)


@cases(*TRIG_INPUTS)
def test_math_tan(args):
    check(m_tan, *args)


@cases(0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 1, nan)
def test_math_asin(args):
    check(m_asin, *args)


@cases(0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 0, nan)
def test_math_acos(args):
    check(m_acos, *args)


@cases(0.0, -0.0, 1.0, -1.0, 1e300, inf, -inf, 3, nan)
def test_math_atan(args):
    check(m_atan, *args)


@cases((1.0, 1.0), (-1.0, -1.0), (0.0, -0.0), (-0.0, -0.0), (0.0, 0.0), (-0.0, 1.0),
       (-0.0, -1.0), (1, 0), (inf, inf), (-inf, inf), (inf, -inf), (3, -4), (nan, 1.0))
def test_math_atan2(args):
    check(m_atan2, *args)


HYPER_INPUTS = [0.0, -0.0, 0.5, -0.5, 1.0, -2.0, 20.0, 3, inf, -inf, nan]


@cases(*HYPER_INPUTS)
def test_math_sinh(args):
    check(m_sinh, *args)


@cases(*HYPER_INPUTS)
def test_math_cosh(args):
    check(m_cosh, *args)


@cases(*HYPER_INPUTS, 1000.0)
def test_math_tanh(args):
    check(m_tanh, *args)


@cases(*HYPER_INPUTS, 1e300)
def test_math_asinh(args):
    check(m_asinh, *args)


@cases(1.0, 1.5, 2.0, 10, 1e300, inf, nan)
def test_math_acosh(args):
    check(m_acosh, *args)


@cases(0.0, -0.0, 0.5, -0.5, 0.999, 0, nan)
def test_math_atanh(args):
    check(m_atanh, *args)


ROUNDING_INPUTS = [2.5, -2.5, 2.0, -2.0, 0.3, -0.3, -0.0, 1e18, -1e18, 2.0 ** 62, 7, -7,
                   2 ** 62 + 1, INT64_MAX, INT64_MIN, True, nan, inf, -inf]


@cases(*ROUNDING_INPUTS)
def test_math_floor(args):
    check(m_floor, *args)


@cases(*ROUNDING_INPUTS)
def test_math_ceil(args):
    check(m_ceil, *args)


@cases(*ROUNDING_INPUTS)
def test_math_trunc(args):
    check(m_trunc, *args)


@cases(0.0, -0.0, 1.5, -1.5, -7, 2 ** 62, True, inf, -inf, nan)
def test_math_fabs(args):
    check(m_fabs, *args)


@cases((1.0, -0.0), (1.0, 0.0), (-2.5, 3.0), (2.5, -3), (3, -1), (0.0, -1.0), (inf, -1.0),
       (nan, -1.0), (1.0, -nan), (-0.0, 1.0))
def test_math_copysign(args):
    check(m_copysign, *args)


@cases((3.0, 4.0), (3, 4), (-5.0, 12.0), (0.0, 0.0), (1e300, 1e300), (1e-300, 1e-300),
       (inf, nan), (nan, inf), (nan, 1.0), (-inf, 2.0))
def test_math_hypot(args):
    check(m_hypot, *args)


CLASSIFY_INPUTS = [0.0, -0.0, 1.5, 1e308, 5e-324, inf, -inf, nan, 3, 0, True]


@cases(*CLASSIFY_INPUTS)
def test_math_isnan(args):
    check(m_isnan, *args)


@cases(*CLASSIFY_INPUTS)
def test_math_isinf(args):
    check(m_isinf, *args)


@cases(*CLASSIFY_INPUTS)
def test_math_isfinite(args):
    check(m_isfinite, *args)


@cases(0.0, -0.0, 0.5, -0.5, 1.0, 3.0, -6.0, 2, inf, -inf, nan)
def test_math_erf(args):
    check(m_erf, *args)


@cases(0.0, 0.5, -0.5, 1.0, 3.0, 10.0, -6.0, 30.0, 2, inf, -inf, nan)
def test_math_erfc(args):
    check(m_erfc, *args)


@cases(0.5, 1.0, 1.5, 5.0, 10.0, 20.0, -0.5, -1.5, 1e-10, 170.5, 6, inf, nan)
def test_math_gamma(args):
    check(m_gamma, *args, rel_tol=1e-9)


@cases(0.5, 1.0, 2.0, 1.5, 10.0, 100.0, -0.5, -2.5, 1e-10, 1e300, 6, inf, -inf, nan)
def test_math_lgamma(args):
    check(m_lgamma, *args, rel_tol=1e-9)


@cases(0.0, 90.0, 180, -45.0, 1e300, inf, nan)
def test_math_radians(args):
    check(m_radians, *args)


@cases(0.0, math.pi, -math.pi / 2, 1, 1e300, inf, nan)
def test_math_degrees(args):
    check(m_degrees, *args)


def math_constants(x):
    return math.pi * x, math.e * x, math.tau * x


def math_inf_const(x):
    return x < math.inf, x > -math.inf, math.inf


def math_nan_const(x):
    return math.nan + x


@cases(1.0, 2, -0.5)
def test_math_pi_e_tau(args):
    check(math_constants, *args)


@cases(1.0, inf, -inf, 3)
def test_math_inf(args):
    check(math_inf_const, *args)


@cases(1.0, 5)
def test_math_nan(args):
    check(math_nan_const, *args)


def math_combo(x, y):
    r = math.hypot(x, y)
    theta = math.atan2(y, x)
    return r * math.cos(theta), r * math.sin(theta)


@cases((3.0, 4.0), (-1.0, 2.0), (0.5, -0.25))
def test_math_polar_roundtrip(args):
    check(math_combo, *args)


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
