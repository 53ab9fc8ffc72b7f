"""Complex numbers in compiled code: Python complex scalars, cmath, and complex64/complex128
arrays, compared with the same functions run by CPython/NumPy (`check` runs both on copies
of the inputs and compares results and inputs)."""
import cmath

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
