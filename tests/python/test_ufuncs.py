"""NumPy ufuncs in compiled code, compared with NumPy on the same inputs: every ufunc numlir
adds here over the dtypes it takes, on arrays (fused loops) and on scalars, and `out=`
(positional or keyword) on any ufunc."""
import warnings

import numpy as np
import pytest

import numlir

FLOAT_DTYPES = [np.float64, np.float32]
INT_DTYPES = [np.int64, np.int32, np.int8, np.uint8, np.uint64]


def reference(f, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NumPy warns on division by zero, overflow, NaN
        return f(*args)


def assert_same_array(got, expected):
    assert isinstance(got, np.ndarray) and got.dtype == expected.dtype, (got, expected)
    if expected.dtype.kind == "f":
        rtol = 2e-6 if expected.dtype == np.float32 else 1e-12
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=0, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, expected)


def compile_ufunc(name, arity):
    # One function per ufunc, as a user writes it: np.<name>(x) or np.<name>(x, y).
    source = f"def call(x{', y' if arity == 2 else ''}):\n    return np.{name}(x{', y' if arity == 2 else ''})\n"
    namespace = {"np": np}
    exec(compile(source, f"<ufunc {name}>", "exec"), namespace)
    return numlir.njit(namespace["call"]), getattr(np, name)


def float_inputs(dtype):
    x = np.array([-3.5, -1.0, -0.0, 0.0, 0.5, 2.0, 7.25, np.inf, np.nan], dtype=dtype)
    y = np.array([2.0, -1.5, 3.0, -2.0, 0.25, 2.0, 3.0, 1.0, 2.0], dtype=dtype)
    return x, y


def int_inputs(dtype):
    if np.dtype(dtype).kind == "u":
        return np.array([7, 3, 0, 4, 9, 12, 100, 255], dtype=dtype), np.array([2, 5, 3, 4, 6, 8, 75, 1], dtype=dtype)
    return np.array([-7, -3, 0, 4, 9, 12, 100, -128], dtype=dtype), np.array([2, 5, 3, -4, 6, 8, 75, 1], dtype=dtype)


FLOAT_BINARY = ["floor_divide", "remainder", "mod", "fmod", "float_power", "logaddexp", "logaddexp2",
                "heaviside", "copysign", "nextafter", "greater", "greater_equal", "less", "less_equal",
                "equal", "not_equal", "add", "subtract", "multiply", "maximum"]
INT_BINARY = ["floor_divide", "remainder", "mod", "fmod", "gcd", "lcm", "bitwise_and", "bitwise_or",
              "bitwise_xor", "greater", "less_equal", "equal", "not_equal", "float_power"]
FLOAT_UNARY = ["exp2", "cbrt", "arcsinh", "deg2rad", "rad2deg", "degrees", "radians", "fabs",
               "reciprocal", "signbit", "sqrt", "floor"]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", FLOAT_BINARY)
def test_binary_ufuncs_on_floats(name, dtype):
    compiled, f = compile_ufunc(name, 2)
    x, y = float_inputs(dtype)
    assert_same_array(compiled(x, y), reference(f, x, y))
    # and on scalars of the array's type
    got, expected = compiled(x[4], y[4]), reference(f, x[4], y[4])
    assert got == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("dtype", INT_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", INT_BINARY)
def test_binary_ufuncs_on_ints(name, dtype):
    compiled, f = compile_ufunc(name, 2)
    x, y = int_inputs(dtype)
    if name in ("floor_divide", "remainder", "mod", "fmod"):
        y = y.copy()
        y[2] = 0  # NumPy gives 0 for an integer division by zero
    assert_same_array(compiled(x, y), reference(f, x, y))


@pytest.mark.parametrize("dtype", [np.int64, np.int16, np.uint8], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", ["left_shift", "right_shift"])
def test_shifts(name, dtype):
    compiled, f = compile_ufunc(name, 2)
    x, _ = int_inputs(dtype)
    y = np.arange(len(x), dtype=dtype) % 7
    assert_same_array(compiled(x, y), reference(f, x, y))


@pytest.mark.parametrize("dtype", INT_DTYPES + [np.bool_], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", ["invert", "bitwise_not"])
def test_bitwise_not(name, dtype):
    compiled, f = compile_ufunc(name, 1)
    x = int_inputs(dtype)[0] if dtype is not np.bool_ else np.array([True, False, True])
    assert_same_array(compiled(x), reference(f, x))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", FLOAT_UNARY + ["arctanh"])
def test_unary_ufuncs_on_floats(name, dtype):
    compiled, f = compile_ufunc(name, 1)
    x, _ = float_inputs(dtype)
    if name == "arctanh":
        x = x / 10
    assert_same_array(compiled(x), reference(f, x))


@pytest.mark.parametrize("name", ["exp2", "cbrt", "deg2rad", "signbit", "fabs", "arccosh"])
def test_unary_ufuncs_on_ints(name):
    compiled, f = compile_ufunc(name, 1)
    x = np.array([1, 2, 5, 9, 64], dtype=np.int32)
    assert_same_array(compiled(x), reference(f, x))


def test_ldexp():
    def call(x, n):
        return np.ldexp(x, n)

    x, _ = float_inputs(np.float64)
    n = np.arange(len(x)) % 5 - 2
    assert_same_array(numlir.njit(call)(x, n), np.ldexp(x, n))


def test_a_new_ufunc_fuses_with_the_rest_of_an_expression():
    def expr(x, y):
        return np.sqrt(np.logaddexp(x, y) ** 2 + np.fmod(x, 3.0))

    x, y = np.linspace(0, 5, 1001), np.linspace(-2, 2, 1001)
    assert_same_array(numlir.njit(expr)(x, y), expr(x, y))


def add_positional(a, b, out):
    return np.add(a, b, out)


def sqrt_keyword(a, r):
    np.sqrt(a, out=r)
    return r.sum()


def chain_into(a, r):
    return np.multiply(np.exp2(a), 0.5, out=r)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32], ids=lambda d: np.dtype(d).name)
def test_out_positional(dtype):
    a = np.arange(7, dtype=dtype)
    b = np.arange(7, dtype=dtype)[::-1].copy()
    out_jit, out_py = np.zeros(7, dtype=dtype), np.zeros(7, dtype=dtype)
    got = numlir.njit(add_positional)(a, b, out_jit)
    expected = add_positional(a, b, out_py)
    assert_same_array(got, expected)
    assert_same_array(out_jit, out_py)
    assert np.shares_memory(got, out_jit)  # the call's value is out itself


def test_out_keyword_and_a_view():
    a = np.linspace(0.0, 9.0, 10)
    r_jit, r_py = np.zeros(20), np.zeros(20)
    got = numlir.njit(sqrt_keyword)(a, r_jit[::2])
    assert got == pytest.approx(sqrt_keyword(a, r_py[::2]))
    assert_same_array(r_jit, r_py)  # every other element written, the rest untouched


def test_out_of_2d_with_broadcasting():
    a = np.arange(12.0).reshape(3, 4)
    r_jit, r_py = np.empty((3, 4)), np.empty((3, 4))
    assert_same_array(numlir.njit(chain_into)(a, r_jit), chain_into(a, r_py))
    assert_same_array(r_jit, r_py)


def test_out_with_a_scalar_input_fills():
    def fill_sqrt(r):
        return np.sqrt(16.0, out=r)

    r_jit, r_py = np.zeros(4), np.zeros(4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = fill_sqrt(r_py)
    numlir.njit(fill_sqrt)(r_jit)
    assert_same_array(r_jit, r_py)
    assert expected is r_py


SPECIAL = np.array([-3.5, -1.0, -0.0, 0.0, 0.5, 2.0, 7.25, np.inf, -np.inf, np.nan, 1e-310, 3e300])


@pytest.mark.parametrize("dtype", FLOAT_DTYPES + [np.int32], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", ["modf", "frexp"])
def test_ufuncs_with_two_results(name, dtype):
    compiled, f = compile_ufunc(name, 1)
    x = reference(SPECIAL.astype, dtype) if dtype is not np.int32 else np.array([-3, 0, 5, 1024], dtype=np.int32)
    got, expected = compiled(x), reference(f, x)
    assert isinstance(got, tuple) and len(got) == 2
    for g, e in zip(got, expected):
        assert_same_array(g, e)


def test_divmod_ufunc():
    compiled, f = compile_ufunc("divmod", 2)
    for x, y in [(np.arange(-5, 5), 3), (np.linspace(-4, 4, 9), -1.5), (np.arange(6), np.array([1, 2, 3, 4, 5, 6]))]:
        for g, e in zip(compiled(x, y), f(x, y)):
            assert_same_array(g, e)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=lambda d: np.dtype(d).name)
def test_spacing(dtype):
    compiled, f = compile_ufunc("spacing", 1)
    x = reference(SPECIAL.astype, dtype)
    assert_same_array(compiled(x), reference(f, x))


@pytest.mark.parametrize("dtype", ["float32", "float64", "int16", "complex64"])
def test_dtype_keyword(dtype):
    def binary(x, y):
        return np.add(x, y, dtype=DTYPE)

    def unary(x):
        return np.sqrt(x, dtype=DTYPE)

    namespace = {"np": np, "DTYPE": getattr(np, dtype)}
    for func, args in [(binary, (np.arange(5), np.arange(5) * 2)), (unary, (np.arange(5.0),))]:
        func = type(func)(func.__code__, namespace)
        if dtype == "int16" and func.__name__ == "unary":
            continue  # NumPy has no integer sqrt loop
        expected = reference(func, *args)
        assert_same_array(numlir.njit(func)(*args), expected)


def nan_reductions(x):
    return np.nanmin(x), np.nanmax(x), np.amin(x), np.amax(x)


def nan_reductions_by_axis(x):
    return np.nanmin(x, axis=1), np.nanmax(x, axis=0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32, np.uint8], ids=lambda d: np.dtype(d).name)
def test_nanmin_nanmax_amin_amax(dtype):
    x = np.array([[3.0, np.nan, 1.0], [2.0, 5.0, -1.0], [np.nan, np.nan, np.nan]])
    if np.dtype(dtype).kind != "f":
        x = np.array([[3, 7, 1], [2, 5, 0], [9, 4, 4]])
    x = x.astype(dtype)
    got, expected = numlir.njit(nan_reductions)(x), reference(nan_reductions, x)
    for g, e in zip(got, expected):
        assert (np.isnan(g) and np.isnan(e)) if np.isnan(e) else g == e
    for g, e in zip(numlir.njit(nan_reductions_by_axis)(x), reference(nan_reductions_by_axis, x)):
        assert_same_array(g, e)


def test_nanmin_of_an_empty_array_raises_like_numpy():
    with pytest.raises(ValueError):
        np.nanmin(np.zeros(0))
    with pytest.raises(ValueError):
        numlir.njit(nan_reductions)(np.zeros(0))


@pytest.mark.parametrize("func,args,error,text", [
    (lambda x, y: np.bitwise_and(x, y), (np.ones(3), np.ones(3)), numlir.TypingError, "not supported for the input types"),
    (lambda x, y: np.gcd(x, y), (1.5, 2.5), numlir.TypingError, "np.gcd()"),
    (lambda x: np.invert(x), (np.ones(2),), numlir.TypingError, "input types"),
    (lambda x: np.frexp(x), (np.ones(2, complex),), numlir.TypingError, "np.frexp()"),
    (lambda x: np.sqrt(x, dtype=np.bool_), (np.ones(2),), numlir.TypingError, "dtype=bool"),
    (lambda x: np.sqrt(x, dtype=np.int32), (np.ones(2),), numlir.TypingError, "dtype=int32"),
    (lambda x, r: np.modf(x, out=r), (np.ones(3), np.ones(3)), numlir.UnsupportedError, "two results"),
    (lambda x, y: np.add(x), (np.ones(3), 1), numlir.TypingError, "takes 2 inputs"),
], ids=["bitwise_and-float", "gcd-float", "invert-float", "frexp-complex", "dtype-bool", "dtype-int-sqrt",
        "modf-out", "add-one-input"])
def test_ufunc_errors(func, args, error, text):
    with pytest.raises(error, match=text.replace("(", r"\(").replace(")", r"\)")):
        numlir.njit(func)(*args)


@pytest.mark.parametrize("shift", [-1, 64, 100])
def test_shifts_outside_the_width_give_numpys_values(shift):
    def shifts(a, n):
        return np.left_shift(a, n), np.right_shift(a, n), a << n, a >> n

    a = np.array([-8, -1, 0, 5, 2 ** 40], dtype=np.int64)
    got, expected = numlir.njit(shifts)(a, shift), shifts(a, shift)
    for g, e in zip(got, expected):
        assert_same_array(g, e)


@pytest.mark.parametrize("dtype", INT_DTYPES + [np.int16, np.uint32, np.bool_], ids=lambda d: np.dtype(d).name)
def test_reciprocal_of_ints_stays_int(dtype):
    # NumPy's 1 / x converted back: 1, -1 or 0 (and at 0 what converting inf gives on x86)
    compiled, f = compile_ufunc("reciprocal", 1)
    x = np.array([1, 2, 3, 0, 1, 7], dtype=dtype)
    if np.dtype(dtype).kind == "i":
        x = np.array([1, 2, 3, -1, -2, 0, 7], dtype=dtype)
    assert_same_array(compiled(x), reference(f, x))


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128], ids=lambda d: np.dtype(d).name)
def test_reciprocal_of_complex(dtype):
    compiled, f = compile_ufunc("reciprocal", 1)
    x = np.array([1 + 1j, 2 - 0.5j, -3j, 0.25], dtype=dtype)
    got, expected = compiled(x), reference(f, x)
    assert got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, rtol=1e-6 if dtype == np.complex64 else 1e-15)


def divmod_into(x, y, q, r):
    result = np.divmod(x, y, q, r)
    return result[0].sum(), q, r


def modf_into(x, f, w):
    np.modf(x, f, w)
    return f, w


def frexp_into(x, m, e):
    np.frexp(x, m, e)
    return m, e


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.float64], ids=lambda d: np.dtype(d).name)
def test_two_result_ufuncs_write_positional_outputs(dtype):
    # np.divmod(x, y, q, r), as numba's ufunc tests call it: each output by position.
    x = np.arange(1, 13, dtype=dtype)
    y = np.full(12, 5, dtype=dtype)
    outs = [np.zeros(12, dtype), np.zeros(12, dtype)]
    got = numlir.njit(divmod_into)(x, y, *[o.copy() for o in outs])
    expected = divmod_into(x, y, *[o.copy() for o in outs])
    assert got[0] == expected[0]
    for g, e in zip(got[1:], expected[1:]):
        assert_same_array(g, e)


def test_modf_and_frexp_write_positional_outputs():
    x = np.linspace(-3.5, 9.25, 11)
    for func, second in [(modf_into, np.float64), (frexp_into, np.int32)]:
        got = numlir.njit(func)(x, np.zeros(11), np.zeros(11, second))
        expected = func(x, np.zeros(11), np.zeros(11, second))
        for g, e in zip(got, expected):
            assert_same_array(g, e)


def scalar_ufuncs(x):
    return np.conj(x), np.real(x), np.imag(x), np.negative(x), np.abs(x), np.square(x), np.sign(x)


@pytest.mark.parametrize("x", [np.int8(-3), np.int16(300), np.int32(-1), np.uint8(200), np.uint32(1),
                               np.int64(-7), np.uint64(5), np.float32(-0.5)], ids=repr)
def test_ufuncs_on_numpy_scalars_keep_their_type(x):
    # Narrow int scalars once computed as int64 and did not narrow back (a CompileError).
    got, expected = numlir.njit(scalar_ufuncs)(x), reference(scalar_ufuncs, x)
    for g, e in zip(got, expected):
        assert g == e and np.asarray(g).dtype == np.asarray(e).dtype, (got, expected)


def conj_into(x, out):
    np.conj(x, out)
    return out


@pytest.mark.parametrize("x", [np.int32(-1), np.uint32(1), np.int8(5), np.float32(0.5), np.int64(-1)], ids=repr)
def test_ufunc_of_a_scalar_into_an_output_array(x):
    got = numlir.njit(conj_into)(x, np.zeros(1, np.asarray(x).dtype))
    assert_same_array(got, conj_into(x, np.zeros(1, np.asarray(x).dtype)))


@pytest.mark.parametrize("name", ["negative", "sign"])
def test_ufuncs_without_a_bool_loop_are_typing_errors(name):
    compiled, f = compile_ufunc(name, 1)
    for x in [np.array([True, False]), np.True_]:
        with pytest.raises(TypeError):
            f(x)
        with pytest.raises(numlir.TypingError, match=f"np.{name}"):
            compiled(x)


def negate(a):
    return -a


def test_negating_a_bool_array_is_a_typing_error():
    a = np.array([True, False])
    with pytest.raises(TypeError, match="boolean negative"):
        negate(a)
    with pytest.raises(numlir.TypingError, match="boolean negative"):
        numlir.njit(negate)(a)


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", ["arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh", "sinh", "cosh",
                                  "exp2", "expm1", "log1p", "log2"])
def test_unary_ufuncs_on_complex(name, dtype):
    compiled, f = compile_ufunc(name, 1)
    x = np.array([0.5 + 0.25j, -1.5 + 2j, 0.1 - 0.3j, 3j, -0.75], dtype=dtype)
    got, expected = compiled(x), reference(f, x)
    assert got.dtype == expected.dtype
    tol = 1e-5 if dtype == np.complex64 else 1e-12
    np.testing.assert_allclose(got, expected, rtol=tol, atol=tol)


COMPLEX_PAIRS = (np.array([1 + 2j, 1 + 2j, 1 + 3j, 2 - 1j, np.nan + 0j, 0j, 1j, complex(1, np.nan)]),
                 np.array([1 + 2j, 1 + 3j, 1 + 2j, 1 + 5j, 1 + 0j, np.nan + 0j, 0j, 1 + 0j]))


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", ["greater", "greater_equal", "less", "less_equal", "equal", "not_equal",
                                  "logical_and", "logical_or", "logical_xor", "maximum", "minimum", "fmax", "fmin"])
def test_binary_ufuncs_on_complex(name, dtype):
    # NumPy orders complex numbers by real part, then imaginary part; nans as its loops do.
    compiled, f = compile_ufunc(name, 2)
    x, y = (a.astype(dtype) for a in COMPLEX_PAIRS)
    got, expected = compiled(x, y), reference(f, x, y)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128], ids=lambda d: np.dtype(d).name)
def test_logical_not_on_complex(dtype):
    compiled, f = compile_ufunc("logical_not", 1)
    x = np.array([0j, 1j, 1 + 0j, complex(0, -0.0)], dtype=dtype)
    assert_same_array(compiled(x), reference(f, x))
