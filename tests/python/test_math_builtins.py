"""math and cmath functions, divmod and pow as numba users call them in compiled code,
compared with CPython on the same inputs (values, types, and the exceptions CPython raises)."""
import cmath
import math

import pytest

import numlir


def flat(value):
    if isinstance(value, tuple):
        return [x for v in value for x in flat(v)]
    return [value]


def assert_close(got, expected, rel=1e-12):
    got, expected = flat(got), flat(expected)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert type(g) is type(e), (got, expected)
        if isinstance(e, (float, complex)):
            if isinstance(e, float) and math.isnan(e):
                assert math.isnan(g)
            else:
                assert g == e or abs(g - e) <= rel * abs(e), (got, expected)
                if isinstance(e, float) and e == 0.0:
                    assert math.copysign(1, g) == math.copysign(1, e), (got, expected)
        else:
            assert g == e, (got, expected)


def run(func, *args, rel=1e-12):
    assert_close(numlir.njit(func)(*args), func(*args), rel)


def raises_like_cpython(func, *args):
    with pytest.raises(Exception) as expected:
        func(*args)
    with pytest.raises(Exception) as got:
        numlir.njit(func)(*args)
    assert type(got.value) is type(expected.value) and str(got.value) == str(expected.value)


def divmod_(a, b):
    return divmod(a, b)


@pytest.mark.parametrize("a,b", [(7, 2), (7, -2), (-7, 2), (-7, -2), (7.5, 2), (-7.5, 2.0), (7, 0.5), (True, 3)])
def test_divmod(a, b):
    run(divmod_, a, b)


@pytest.mark.parametrize("a,b", [(1, 0), (1.0, 0.0)])
def test_divmod_by_zero(a, b):
    raises_like_cpython(divmod_, a, b)


def pow2(a, b):
    return pow(a, b)


def pow3(a, b, m):
    return pow(a, b, m)


@pytest.mark.parametrize("a,b", [(2, 10), (2.0, 0.5), (-2, 3), (1j, 2), (1.5, -2), (3, 0)])
def test_pow_of_two_arguments(a, b):
    run(pow2, a, b)


@pytest.mark.parametrize("a,b,m", [(3, 4, 5), (-3, 3, 7), (3, -1, 7), (2, 10, -7), (10, 0, 3), (5, 3, 1),
                                   (123456789, 987654321, 1000000007)])
def test_pow_with_a_modulus(a, b, m):
    run(pow3, a, b, m)


@pytest.mark.parametrize("a,b,m", [(3, 4, 0), (2, -1, 4)])
def test_pow_with_a_modulus_raises(a, b, m):
    raises_like_cpython(pow3, a, b, m)


def float_parts(x):
    return math.frexp(x), math.modf(x)


@pytest.mark.parametrize("x", [8.5, -3.0, 0.0, -0.0, 1e-310, 0.1, -123.456, math.inf, -math.inf, 2.0 ** 1000])
def test_frexp_and_modf(x):
    run(float_parts, x)


def test_frexp_and_modf_of_nan():
    (m, e), (f, w) = numlir.njit(float_parts)(math.nan)
    assert math.isnan(m) and e == 0 and math.isnan(f) and math.isnan(w)


def powers(x, n):
    return math.exp2(x), math.cbrt(x), math.ldexp(x, n)


@pytest.mark.parametrize("x,n", [(3.0, 2), (-8.0, -3), (0.5, 1000), (1e-300, 40), (7, 0)])
def test_exp2_cbrt_ldexp(x, n):
    run(powers, x, n, rel=1e-15)


def gcd_lcm(a, b):
    return math.gcd(a, b), math.lcm(a, b), math.gcd(a, b, 12), math.gcd(), math.lcm(a)


@pytest.mark.parametrize("a,b", [(12, 18), (-4, 6), (0, 5), (0, 0), (17, 13), (True, 4)])
def test_gcd_and_lcm(a, b):
    run(gcd_lcm, a, b)


def remainders(x, y):
    return math.fmod(x, y), math.remainder(x, y)


@pytest.mark.parametrize("x,y", [(7.5, 2.0), (-7.5, 2.0), (7.5, -2.0), (5.0, 2.0), (7.0, 2.0), (3, 1.5)])
def test_fmod_and_remainder(x, y):
    run(remainders, x, y)


def close(x, y):
    return (math.isclose(x, y), math.isclose(x, y, rel_tol=0.5), math.isclose(x, y, abs_tol=10.0),
            math.isclose(x, y, rel_tol=1e-3, abs_tol=1e-6))


@pytest.mark.parametrize("x,y", [(1.0, 1.0000000001), (1.0, 1.1), (1.0, 20.0), (0.0, 1e-7), (math.inf, math.inf),
                                 (math.inf, 1e308), (math.nan, math.nan), (3, 3)])
def test_isclose(x, y):
    run(close, x, y)


def inverse_trig(z):
    return cmath.asin(z), cmath.acos(z), cmath.atan(z), cmath.asinh(z), cmath.acosh(z), cmath.atanh(z)


@pytest.mark.parametrize("z", [0.5 + 0.25j, 2 - 3j, -1.5 + 0.5j, 0.3 - 2j, 0.5, 3j])
def test_inverse_trig_and_hyperbolic(z):
    run(inverse_trig, z, rel=1e-9)


def complex_close(z, w):
    return cmath.isclose(z, w), cmath.isclose(z, w, rel_tol=0.1), cmath.isclose(z, w, abs_tol=1.0)


@pytest.mark.parametrize("z,w", [(1 + 1j, 1.05 + 1j), (1 + 1j, 1 + 1j), (1j, 2j), (1.0, 1.0 + 1e-12j)])
def test_complex_isclose(z, w):
    run(complex_close, z, w)


def test_isclose_rejects_unknown_keywords():
    def bad(x, y):
        return math.isclose(x, y, tolerance=0.1)

    with pytest.raises(numlir.TypingError, match="unexpected keyword argument 'tolerance'"):
        numlir.njit(bad)(1.0, 2.0)


def test_pow_of_three_floats_is_a_typing_error():
    with pytest.raises(numlir.TypingError, match="3rd argument not allowed"):
        numlir.njit(pow3)(2.0, 3, 5)


# The operator module: operator.add(a, b) is a + b, operator.iadd is +=.
import operator  # noqa: E402

import numpy as np  # noqa: E402

BINARY_OPERATORS = ["add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "lt", "le", "eq", "ne", "gt", "ge"]
INT_OPERATORS = ["and_", "or_", "xor", "lshift", "rshift", "iand", "ior", "ixor", "ilshift", "irshift"]


def operator_function(name, arity):
    source = f"def call(a{', b' if arity == 2 else ''}):\n    return operator.{name}(a{', b' if arity == 2 else ''})\n"
    namespace = {"operator": operator}
    exec(compile(source, f"<operator {name}>", "exec"), namespace)
    return namespace["call"]


@pytest.mark.parametrize("name", BINARY_OPERATORS)
@pytest.mark.parametrize("a,b", [(7, 3), (-7.5, 2.0), (True, 3), (2, 0.5)])
def test_operator_module_binary(name, a, b):
    run(operator_function(name, 2), a, b)


@pytest.mark.parametrize("name", INT_OPERATORS)
@pytest.mark.parametrize("a,b", [(12, 3), (-12, 2), (255, 4)])
def test_operator_module_on_ints(name, a, b):
    run(operator_function(name, 2), a, b)


@pytest.mark.parametrize("name", ["neg", "pos", "invert", "inv", "not_", "truth"])
@pytest.mark.parametrize("a", [5, -3, 0, True])
def test_operator_module_unary(name, a):
    run(operator_function(name, 1), a)


def test_operator_inplace_on_arrays():
    def accumulate(x, y):
        operator.iadd(x, y)
        operator.imul(x, 2.0)
        return x

    a_jit, a_py = np.arange(4.0), np.arange(4.0)
    got = numlir.njit(accumulate)(a_jit, np.ones(4))
    accumulate(a_py, np.ones(4))
    np.testing.assert_array_equal(a_jit, a_py)
    np.testing.assert_array_equal(got, a_py)


from operator import add as operator_add, mul as operator_mul  # noqa: E402


def via_names(a, b):
    return operator_add(a, b) * operator_mul(a, b)


def test_operator_functions_by_name():
    run(via_names, 3, 4)


def frexp_both_ways(a, x):
    # np.frexp's element body and math.frexp/ldexp declare the same externals (ldexp,
    # numlir_frexp_exponent): one declaration each in the module.
    m, e = np.frexp(a)
    return m, e, math.frexp(x), math.ldexp(x, 2), np.expm1(a), math.expm1(x)


def test_array_and_scalar_calls_of_one_external_function():
    a = np.array([1.5, 8.0, -0.25])
    got, expected = numlir.njit(frexp_both_ways)(a, 3.0), frexp_both_ways(a, 3.0)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-15)


def pow_of_float32(x):
    return pow(x, 2.0), x ** 2.0


def test_pow_types_as_the_operator():
    got = numlir.njit(pow_of_float32)(np.float32(1.5))
    expected = pow_of_float32(np.float32(1.5))
    assert got == expected and [type(g) for g in got] == [type(e) for e in expected]


def next_after(x, y):
    return math.nextafter(x, y)


@pytest.mark.parametrize("x, y", [(1.0, 2.0), (1.0, 0.0), (0.0, -1.0), (-0.0, 1.0), (1e308, math.inf),
                                  (math.inf, 0.0), (math.nan, 1.0), (3, 4)])
def test_math_nextafter(x, y):
    got, expected = numlir.njit(next_after)(x, y), next_after(x, y)
    assert type(got) is float and (got == expected or (math.isnan(got) and math.isnan(expected)))
