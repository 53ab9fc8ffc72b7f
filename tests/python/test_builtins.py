"""Builtins (abs, min, max, round, divmod, int, float, bool, ...) and the math module on
scalars, compared with CPython.
"""
import math

import pytest

import numlir
from conftest import INT64_MAX, INT64_MIN, cases, check
from scalar_inputs import inf, nan, INTS, FLOATS, BOOLS


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
