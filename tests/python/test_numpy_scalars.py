"""NumPy's scalar types (int8-int64, uint8-uint64, float32, float64, complex64, complex128,
bool) as arguments, locals, results and in arithmetic, with NumPy 2's promotion (NEP 50:
a Python literal takes the type of the NumPy scalar beside it). Every expected value and
type is what CPython computes with NumPy on the same inputs."""
import itertools
import math
import warnings

import numpy as np
import pytest

import numlir

INTS = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
FLOATS = [np.float32, np.float64]
COMPLEX = [np.complex64, np.complex128]
ALL = INTS + FLOATS + COMPLEX


def expected_of(func, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NumPy warns on overflow; it wraps, as numlir does
        return func(*args)


def assert_matches(got, expected):
    """Same value; the same NumPy type for NumPy's own types (Python's int64, float64 and
    complex128 results come back as int, float and complex, which compare equal)."""
    if isinstance(expected, np.generic) and expected.dtype not in (np.int64, np.float64, np.complex128, np.bool_):
        assert type(got) is type(expected), f"expected {expected!r}, got {got!r}"
    if isinstance(expected, (np.floating, float, np.complexfloating, complex)):
        rel = 1e-6 if np.asarray(expected).dtype in (np.float32, np.complex64) else 1e-12
        assert np.isclose(got, expected, rtol=rel, atol=0, equal_nan=True), f"expected {expected!r}, got {got!r}"
    else:
        assert got == expected, f"expected {expected!r}, got {got!r}"


def value_of(t, k):
    """A value of type t that is exact in every width (small, and negative for signed types)."""
    kind = np.dtype(t).kind
    if kind == "u":
        return t(3 + k)
    if kind == "i":
        return t(-5 + 2 * k)
    if kind == "f":
        return t(1.25 * (k + 1) - 0.5)
    return t(complex(0.5 + k, -1.5))


def add(a, b):
    return a + b


def sub(a, b):
    return a - b


def mul(a, b):
    return a * b


def truediv(a, b):
    return a / b


def compare(a, b):
    return a < b, a == b, a >= b


OPERATORS = [add, sub, mul, truediv]


@pytest.mark.parametrize("op", OPERATORS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("ta,tb", list(itertools.product(ALL, ALL)),
                         ids=lambda t: np.dtype(t).name)
def test_arithmetic_between_numpy_scalars(op, ta, tb):
    a, b = value_of(ta, 1), value_of(tb, 2)
    assert_matches(numlir.njit(op)(a, b), expected_of(op, a, b))


@pytest.mark.parametrize("ta,tb", list(itertools.product(INTS + FLOATS, INTS + FLOATS)),
                         ids=lambda t: np.dtype(t).name)
def test_comparisons_between_numpy_scalars(ta, tb):
    a, b = value_of(ta, 1), value_of(tb, 2)
    got = numlir.njit(compare)(a, b)
    assert got == expected_of(compare, a, b)


def times_literal(a):
    return a * 3


def plus_float_literal(a):
    return a + 0.5


def plus_complex_literal(a):
    return a + 1j


@pytest.mark.parametrize("func", [times_literal, plus_float_literal, plus_complex_literal],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("t", ALL, ids=lambda t: np.dtype(t).name)
def test_python_literals_are_weak(func, t):
    a = value_of(t, 3)
    assert_matches(numlir.njit(func)(a), expected_of(func, a))


def int_ops(a, b):
    return a // b, a % b, a & b, a | b, a ^ b, a << 2, a >> 1, -a, ~a, abs(a), a ** 2


@pytest.mark.parametrize("t", INTS, ids=lambda t: np.dtype(t).name)
def test_integer_operators(t):
    for a, b in [(t(7), t(3)), (t(100), t(9)), (t(1), t(1))]:
        got, expected = numlir.njit(int_ops)(a, b), expected_of(int_ops, a, b)
        for g, e in zip(got, expected):
            assert_matches(g, e)


@pytest.mark.parametrize("t", [np.int8, np.int16, np.int32], ids=lambda t: np.dtype(t).name)
def test_signed_floor_division_and_modulo(t):
    def divmod_like(a, b):
        return a // b, a % b

    for a, b in [(-7, 2), (7, -2), (-7, -2), (int(np.iinfo(t).min), 3)]:
        got, expected = numlir.njit(divmod_like)(t(a), t(b)), expected_of(divmod_like, t(a), t(b))
        for g, e in zip(got, expected):
            assert_matches(g, e)


@pytest.mark.parametrize("t", INTS, ids=lambda t: np.dtype(t).name)
def test_integers_wrap_at_their_width(t):
    info = np.iinfo(t)
    a = t(info.max)
    assert_matches(numlir.njit(add)(a, t(1)), expected_of(add, a, t(1)))
    assert_matches(numlir.njit(mul)(a, t(3)), expected_of(mul, a, t(3)))


def float_ops(a, b):
    return a // b, a % b, -a, abs(a), a ** 2


@pytest.mark.parametrize("t", FLOATS, ids=lambda t: np.dtype(t).name)
def test_float_operators(t):
    got, expected = numlir.njit(float_ops)(t(7.5), t(-2.0)), expected_of(float_ops, t(7.5), t(-2.0))
    for g, e in zip(got, expected):
        assert_matches(g, e)


def accumulate(a):
    s = 0
    for x in a:
        s += x
    return s


def accumulate_float(a):
    s = 0.0
    for x in a:
        s = s + x * 0.5
    return s


@pytest.mark.parametrize("t", INTS + FLOATS + COMPLEX, ids=lambda t: np.dtype(t).name)
def test_locals_that_start_as_literals_take_the_element_type(t):
    a = np.array([value_of(t, k) for k in range(6)], dtype=t)
    assert_matches(numlir.njit(accumulate)(a), expected_of(accumulate, a))
    assert_matches(numlir.njit(accumulate_float)(a), expected_of(accumulate_float, a))


def element(a, i):
    return a[i]


@pytest.mark.parametrize("t", ALL + [np.bool_], ids=lambda t: np.dtype(t).name)
def test_array_elements_are_numpy_scalars(t):
    a = np.array([value_of(t, k) if t is not np.bool_ else k % 2 == 0 for k in range(4)], dtype=t)
    got = numlir.njit(element)(a, 2)
    assert_matches(got, expected_of(element, a, 2))


def identity(x):
    return x


@pytest.mark.parametrize("t", ALL + [np.bool_], ids=lambda t: np.dtype(t).name)
def test_numpy_scalar_arguments_and_results(t):
    x = value_of(t, 1) if t is not np.bool_ else np.True_
    got = numlir.njit(identity)(x)
    assert got == x
    if t not in (np.int64, np.float64, np.complex128, np.bool_):
        assert type(got) is t


@pytest.mark.parametrize("sig,arg", [
    ("int32(int32)", 7), ("i4(i4)", -7), ("int8(int8)", 100), ("u1(u1)", 200), ("uint16(uint16)", 65535),
    ("uint32(uint32)", 4000000000), ("u8(u8)", 2 ** 63 + 5), ("f4(f4)", 1.1), ("float32(float32)", 3),
    ("c8(c8)", 1.5 + 2j), ("complex64(complex64)", 2.0), ("i2(i2)", True), ("int64(int32)", -3),
    ("float64(float32)", 0.1), ("b1(b1)", True),
])
def test_explicit_signatures_take_python_numbers(sig, arg):
    ret, param = sig[:-1].split("(")
    f = numlir.njit(sig)(identity)
    expected = np.dtype(numlir.types.from_name(param).name.replace("boolean", "bool")).type(arg)
    got = f(arg)
    assert got == expected
    if ret not in ("int64", "float64", "b1", "i8", "f8"):
        assert type(got) is np.dtype(numlir.types.from_name(ret).name).type


def test_explicit_signature_type_objects():
    f = numlir.njit(numlir.float32(numlir.float32, numlir.int16))(mul)
    assert_matches(f(np.float32(1.5), np.int16(3)), expected_of(mul, np.float32(1.5), np.int16(3)))
    g = numlir.njit(numlir.types.uint8(numlir.types.uint8, numlir.types.uint8))(add)
    assert_matches(g(200, 100), expected_of(add, np.uint8(200), np.uint8(100)))


def test_a_float_does_not_pass_for_an_int_signature():
    f = numlir.njit("int32(int32)")(identity)
    with pytest.raises(TypeError, match="no matching definition"):
        f(1.5)


def mixed_math(x, n):
    return math.sqrt(x) + n, int(x), float(n), round(x), max(x, n), min(n, x)


@pytest.mark.parametrize("tx,tn", [(np.float32, np.int16), (np.float64, np.uint8), (np.float32, np.int64)])
def test_builtins_and_math_on_numpy_scalars(tx, tn):
    x, n = tx(6.25), tn(3)
    got, expected = numlir.njit(mixed_math)(x, n), expected_of(mixed_math, x, n)
    for g, e in zip(got, expected):
        assert g == pytest.approx(e, rel=1e-6)


def index_with(a, i):
    return a[i] + a[i // 2] * 1000


def index_from_end(a, i):
    return a[-i]


@pytest.mark.parametrize("t", INTS, ids=lambda t: np.dtype(t).name)
def test_numpy_ints_index_arrays_and_bound_ranges(t):
    a = np.arange(300.0)
    i = t(100 if t is np.int8 else 250)  # uint8 250 is above int8's range: zero-extended
    assert numlir.njit(index_with)(a, i) == index_with(a, i)
    if np.dtype(t).kind == "i":
        assert numlir.njit(index_from_end)(a, t(3)) == index_from_end(a, t(3))

    def total(n):
        s = 0
        for i in range(n):
            s += i
        return s

    assert numlir.njit(total)(t(100)) == total(t(100))


def test_uint64_beyond_int64():
    big = np.uint64(2 ** 64 - 3)
    assert_matches(numlir.njit(add)(big, np.uint64(1)), expected_of(add, big, np.uint64(1)))
    assert numlir.njit(compare)(big, np.uint64(5)) == compare(big, np.uint64(5))
    assert numlir.njit(compare)(big, np.int64(-1)) == compare(big, np.int64(-1))
    assert_matches(numlir.njit(int_ops)(big, np.uint64(7))[0], expected_of(int_ops, big, np.uint64(7))[0])


# np.int8(x) & co. in compiled code: the conversion NumPy makes (ints wrap at their width, as
# NumPy's own int64 -> int8 cast does; floats truncate toward zero; float32 rounds), and a
# value of that NumPy type. Global and closure dtypes both work.
def constructor_of(t):
    def construct(x):
        return t(x)

    return construct


CONSTRUCTOR_VALUES = [0, 1, -1, 100003, 10000000000007, -100003, -10000000000007, 1.5, -3.5, True,
                      np.float32(2.75), np.int16(-300), np.uint8(200)]


@pytest.mark.parametrize("t", ALL + [np.bool_, np.intc, np.uintc, np.intp, np.uintp, np.longlong],
                         ids=lambda t: np.dtype(t).name + ("" if t in ALL else "_alias"))
def test_numpy_type_constructors(t):
    compiled = numlir.njit(constructor_of(t))
    for x in CONSTRUCTOR_VALUES:
        if np.dtype(t).kind == "u" and x < 0:
            continue  # a negative float to an unsigned type is undefined (NumPy and numba differ)
        # A Python int goes through int64 as in NumPy's array casts (np.int8(300) itself raises).
        source = np.int64(x) if isinstance(x, int) and not isinstance(x, bool) else x
        assert_matches(compiled(x), expected_of(t, source))


@pytest.mark.parametrize("t", COMPLEX)
def test_complex_type_constructors_take_complex(t):
    compiled = numlir.njit(constructor_of(t))
    for z in [1.5 + 3j, -2j, np.complex64(0.25 - 1j)]:
        assert_matches(compiled(z), t(z))


def complex_of_two(a, b):
    return complex(a, b)


@pytest.mark.parametrize("a, b", [(1 + 2j, 3 + 4j), (1.5, 2j), (2j, 1.5), (True, 1j), (3, 4.5)])
def test_complex_builtin_takes_complex_arguments(a, b):
    got = numlir.njit(complex_of_two)(a, b)
    assert type(got) is complex and got == complex(a, b)
