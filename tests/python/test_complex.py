"""Complex numbers in compiled code: Python complex scalars, cmath, and complex64/complex128
arrays, compared with the same functions run by CPython/NumPy (`check` runs both on copies
of the inputs and compares results and inputs)."""
import cmath
import math

import numpy as np
import pytest

import numlir
from test_arrays import check, layouts

Z = [1 + 2j, -0.5 + 0.25j, 3 - 4j, 0.1j, -2.0 + 0j]


# ------------------------------------------------------------------ scalars

def arithmetic(z, w):
    return z + w, z - w, z * w, z / w, -z, +z, z ** 2, z ** 3, z ** 0, z ** w


def with_reals(z, x, n):
    return z * x + n, x - z, n / z, z / x, z == x, z != n, (z + 1) ** 0.5


def parts(z):
    return z.real, z.imag, z.conjugate(), abs(z), complex(z.imag, z.real), complex(3), bool(z)


def accumulate(n):
    s = 0j
    for k in range(n):
        s += complex(k, 1) * 0.5 - 1j
        if s == 0:
            s = 1j
    return s


def cmath_functions(z):
    return (cmath.sqrt(z), cmath.exp(z), cmath.log(z), cmath.log10(z), cmath.sin(z), cmath.cos(z),
            cmath.tan(z), cmath.sinh(z), cmath.cosh(z), cmath.tanh(z), cmath.phase(z),
            cmath.polar(z), cmath.log(z, 3), cmath.isnan(z), cmath.isinf(z), cmath.isfinite(z))


def rect(r, phi):
    return cmath.rect(r, phi)


@pytest.mark.parametrize("z", Z)
@pytest.mark.parametrize("w", Z[:3])
def test_complex_arithmetic(z, w):
    check(arithmetic, z, w, rtol=1e-13)


@pytest.mark.parametrize("z", Z)
def test_complex_with_real_numbers(z):
    check(with_reals, z, 2.5, 3, rtol=1e-13)
    check(with_reals, z, -1.0, 0, rtol=1e-13)
    check(parts, z, rtol=1e-15)


@pytest.mark.parametrize("z", Z)
def test_cmath(z):
    check(cmath_functions, z, rtol=1e-13)


def test_complex_loops_and_constructors():
    check(accumulate, 50, rtol=1e-13)
    check(rect, 2.0, 0.75, rtol=1e-15)
    check(cmath_functions, 0.5, rtol=1e-13)  # real arguments are complex to cmath


def test_complex_powers_multiply_like_cpython():
    """Small constant int powers are exact products in CPython; so they are here."""
    def powers(z):
        return z ** 2, z ** 5, z ** 10
    f = numlir.njit(powers)
    for z in Z:
        assert f(z) == powers(z)


# ------------------------------------------------------------------- arrays

def elementwise(a, b):
    return (a * b + 1j, a - 2.5, a / b, -a, a ** 2, a == b, a != b, np.abs(a), np.sqrt(a),
            np.exp(a), np.log(a), np.conj(a), np.real(a), np.imag(a), np.square(a), np.isnan(a))


def reductions(a):
    return a.sum(), np.prod(a), a.mean(), np.cumsum(a), a.sum(axis=0), np.cumprod(a, axis=-1)


def linalg(a, b, v):
    return np.dot(a, b.T), a @ v, np.vdot(a, b), np.outer(v, v), np.trace(a @ b.T), np.dot(v, v)


def element_loop(a):
    s = 0j
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j] * a[i, j].conjugate()
            a[i, j] = a[i, j] * 1j
    return s, a


def mat(dtype, rng=np.random.default_rng(7)):
    return (rng.standard_normal((4, 5)) + 1j * rng.standard_normal((4, 5))).astype(dtype)


@pytest.mark.parametrize("dtype,rtol", [(np.complex128, 1e-12), (np.complex64, 1e-5)])
def test_complex_arrays(dtype, rtol):
    a, b = mat(dtype), mat(dtype)
    for name, x in layouts(a):
        check(elementwise, x, b, rtol=rtol)
        check(reductions, x, rtol=rtol)
        check(linalg, x, b, b[0].copy(), rtol=rtol)
        check(element_loop, x, rtol=rtol)


def test_mixed_complex_and_real_arrays():
    a = mat(np.complex64)
    check(elementwise, a, np.linspace(1, 2, 5).astype(np.float32), rtol=1e-5)
    check(elementwise, np.linspace(1, 2, 5), a, rtol=1e-5)
    check(linalg, np.ones((4, 5)), a, a[1].copy(), rtol=1e-5)


@pytest.mark.filterwarnings("ignore:Casting complex values to real")  # NumPy's, on astype
def test_complex_array_creation():
    def make(n):
        z = np.zeros(n, dtype=np.complex128)
        z[1] = 2 + 3j
        w = np.full(n, 1j)
        return z + w, np.ones((2, n), np.complex64), z.astype(np.float64)
    check(make, 4)


# ------------------------------------------------------------------- errors

def ordered(z, w):
    return z < w


def floor_of(z):
    return z // 2


def complex_max(a):
    return a.max()


@pytest.mark.parametrize("func,args,text", [
    (ordered, (1j, 2j), "not ordered"),
    (floor_of, (1j,), "unsupported operand types"),
    (complex_max, (np.ones(3, np.complex128),), "complex array is not supported"),
    (lambda a: a < 1, (np.ones(3, np.complex128),), "== and !="),
])
def test_complex_errors(func, args, text):
    with pytest.raises((numlir.TypingError, numlir.UnsupportedError), match=text):
        numlir.njit(func)(*args)


def scale(z, t):
    return z * t


def total(a):
    return a.sum()


def test_explicit_complex_signatures():
    f = numlir.njit("complex128(complex128, float64)")(scale)
    assert f(1 + 2j, 2.0) == scale(1 + 2j, 2.0)
    g = numlir.njit(numlir.complex128(numlir.c16[:]))(total)
    a = mat(np.complex128)[0].copy()
    assert g(a) == pytest.approx(total(a), rel=1e-14)
    assert g.signatures == [(numlir.complex128[:],)]


# Special values: cmath at signed zeros, infinities and nans, complex division and abs, as
# CPython computes them (C99 Annex G). glibc and CPython leave the sign of a zero beside a
# nan and a few tan/tanh/acosh/atan cases unspecified and differ there; those are skipped.
SPECIAL = [0.0, -0.0, 1.5, -2.5, float("inf"), -float("inf"), float("nan"), 1e300]
SPECIAL_Z = [complex(a, b) for a in SPECIAL for b in SPECIAL]
UNSPECIFIED = {"exp": [complex(-math.inf, -math.inf)], "sin": [complex(math.nan, 0.0)],
               "cos": [complex(-0.0, math.nan)], "sinh": [complex(-0.0, math.nan)],
               "cosh": [complex(math.nan, -0.0)]}


def same_special(got, expected):
    def part(x, y):
        if math.isnan(x) or math.isnan(y):
            return math.isnan(x) and math.isnan(y)
        if x == 0 and y == 0:
            return math.copysign(1, x) == math.copysign(1, y)
        return x == y or abs(x - y) <= 4e-16 * max(abs(x), abs(y))
    if isinstance(expected, tuple):
        return all(part(g, e) for g, e in zip(got, expected))
    if isinstance(expected, float):
        return part(got, expected)
    return part(got.real, expected.real) and part(got.imag, expected.imag)


def cmath_function(name):
    namespace = {"cmath": cmath}
    exec(f"def call(z):\n    return cmath.{name}(z)\n", namespace)
    return namespace["call"]


@pytest.mark.parametrize("name", ["sqrt", "exp", "log", "log10", "sin", "cos", "sinh", "cosh", "asin",
                                  "acos", "asinh", "atanh", "polar", "phase"])
def test_cmath_special_values(name):
    func = cmath_function(name)
    compiled = numlir.njit(func)
    for z in SPECIAL_Z:
        if any(z.real == u.real and z.imag == u.imag or (str(z) == str(u)) for u in UNSPECIFIED.get(name, [])):
            continue
        try:
            expected = func(z)
        except (ValueError, OverflowError):
            continue  # CPython's domain and range errors (cmath.log(0))
        got = compiled(z)
        assert same_special(got, expected), f"cmath.{name}({z!r}): CPython {expected!r}, numlir {got!r}"


def divide(z, w):
    return z / w


def test_complex_division_special_values():
    compiled = numlir.njit(divide)
    for z in SPECIAL_Z:
        for w in SPECIAL_Z:
            if w == 0:
                continue
            assert same_special(compiled(z, w), z / w), (z, w)


def test_complex_division_by_zero_raises():
    for w in [0j, complex(-0.0, 0.0), 0.0, 0]:
        with pytest.raises(ZeroDivisionError, match="complex division by zero"):
            numlir.njit(divide)(1 + 2j, complex(w))


def modulus(z):
    return abs(z)


def test_abs_special_values():
    compiled = numlir.njit(modulus)
    for z in SPECIAL_Z:
        assert same_special(compiled(z), abs(z)), z


def number_parts(x):
    return x.real, x.imag, x.conjugate()


@pytest.mark.parametrize("x", [np.complex64(1.5 - 2j), np.int8(-5), np.uint16(7), np.float32(2.5), 3, 2.5, True])
def test_real_imag_and_conjugate_of_every_number(x):
    got, expected = numlir.njit(number_parts)(x), number_parts(x)
    for g, e in zip(got, expected):
        assert g == e
        if isinstance(e, np.generic) and e.dtype not in (np.float64, np.int64, np.complex128):
            assert type(g) is type(e), (got, expected)
