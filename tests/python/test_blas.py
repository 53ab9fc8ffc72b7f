"""Matrix products on BLAS: np.dot, @ and np.matmul of float and complex matrices call
OpenBLAS's gemm (matvec and vecmat: gemv) from a size on (numlir-lower-matmul), and
numlir's own loops below it, for layouts BLAS does not take (no contiguous axis, negative
strides) and where no OpenBLAS can be loaded. Results are compared with NumPy's (which
calls the same BLAS) in each case."""
import subprocess
import sys

import numpy as np
import pytest

import numlir

RNG = np.random.default_rng(7)
FLOATS = [np.float32, np.float64, np.complex64, np.complex128]
# Around the thresholds: 8**3 multiplications for gemm, 128**2 for gemv.
MATMUL_SIZES = [(3, 5, 4), (7, 8, 9), (8, 8, 8), (64, 100, 30), (130, 70, 90), (1, 300, 400), (400, 300, 1)]
MATVEC_SIZES = [(4, 3), (127, 128), (128, 128), (300, 500), (1000, 70)]


def sample(dtype, shape):
    a = RNG.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        a = a + 1j * RNG.standard_normal(shape)
    return a.astype(dtype)


def rtol(dtype):
    return 2e-4 if dtype in (np.float32, np.complex64) else 1e-11


def views(a):
    """a in C order, Fortran order, as a transposed view of its transpose's copy, as a view
    with a step (no contiguous axis: BLAS cannot take it), and with negative strides."""
    padded = np.zeros((a.shape[0], 2 * a.shape[1]), a.dtype)
    padded[:, ::2] = a
    return {
        "C": np.ascontiguousarray(a),
        "F": np.asfortranarray(a),
        "T": np.ascontiguousarray(a.T).T,
        "stepped": padded[:, ::2],
        "reversed": np.ascontiguousarray(a[::-1, ::-1])[::-1, ::-1],
    }


@numlir.njit
def matmul_operator(a, b):
    return a @ b


@numlir.njit
def dot(a, b):
    return np.dot(a, b)


@numlir.njit
def matmul_function(a, b):
    return np.matmul(a, b)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("m,k,n", MATMUL_SIZES)
def test_matmul_matches_numpy(dtype, m, k, n):
    a, b = sample(dtype, (m, k)), sample(dtype, (k, n))
    for function in (matmul_operator, dot, matmul_function):
        got = function(a, b)
        assert got.dtype == (a @ b).dtype
        np.testing.assert_allclose(got, a @ b, rtol=rtol(dtype), atol=rtol(dtype) * np.sqrt(k))


@pytest.mark.parametrize("dtype", [np.float64, np.complex64])
def test_matmul_layouts(dtype):
    a, b = sample(dtype, (60, 70)), sample(dtype, (70, 50))
    for name_a, va in views(a).items():
        for name_b, vb in views(b).items():
            np.testing.assert_allclose(matmul_operator(va, vb), a @ b, rtol=rtol(dtype), atol=rtol(dtype) * 10,
                                       err_msg=f"{name_a} @ {name_b}")


@numlir.njit
def products_into(a, b, out):
    out[:, :] = a @ b
    out[::2, :] = 2.0 * (a @ b)[::2, :]
    return out


def test_products_written_into_views():
    a, b = sample(np.float64, (80, 90)), sample(np.float64, (90, 70))
    out = np.zeros((80, 70))
    expected = products_into.py_func(a, b, out.copy())
    np.testing.assert_allclose(products_into(a, b, out), expected, rtol=1e-11)


@numlir.njit
def matvec(a, x):
    return a @ x


@numlir.njit
def vecmat(x, a):
    return x @ a


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("m,n", MATVEC_SIZES)
def test_matvec_vecmat_match_numpy(dtype, m, n):
    a, x, y = sample(dtype, (m, n)), sample(dtype, n), sample(dtype, m)
    tolerance = dict(rtol=rtol(dtype), atol=rtol(dtype) * np.sqrt(max(m, n)))
    np.testing.assert_allclose(matvec(a, x), a @ x, **tolerance)
    np.testing.assert_allclose(vecmat(y, a), y @ a, **tolerance)


def test_matvec_layouts():
    a = sample(np.float64, (300, 260))
    x, y = sample(np.float64, 2 * 260)[::2], sample(np.float64, 300)[::-1]
    for name, va in views(a).items():
        np.testing.assert_allclose(matvec(va, x), a @ x, rtol=1e-11, atol=1e-11, err_msg=name)
        np.testing.assert_allclose(vecmat(y, va), y @ a, rtol=1e-11, atol=1e-11, err_msg=name)


def test_integer_products_keep_their_loops():
    a, b = RNG.integers(-9, 9, (70, 60)), RNG.integers(-9, 9, (60, 80))
    np.testing.assert_array_equal(matmul_operator(a, b), a @ b)
    np.testing.assert_array_equal(matvec(a, b[:, 0]), a @ b[:, 0])


def test_empty_and_degenerate_products():
    for m, k, n in [(0, 50, 60), (60, 0, 60), (60, 60, 0)]:
        a, b = sample(np.float64, (m, k)), sample(np.float64, (k, n))
        np.testing.assert_array_equal(matmul_operator(a, b), a @ b)


# ---- gemm shapes: alpha * (A @ B) + beta * C as one gemm call ---------------------------

def scaled_sum(alpha, a, b, beta, c):
    return alpha * (a @ b) + beta * c


def product_minus(a, b, c):
    return a @ b - 2.0 * c


def scaled_product(alpha, a, b):
    return (a @ b) * alpha


def c_plus_product(a, b, c):
    return c + a @ b


def into_c(alpha, a, b, beta, c):
    c[:] = alpha * (a @ b) + beta * c


GEMM_SHAPES = [scaled_sum, product_minus, scaled_product, c_plus_product]


def gemm_args(function, alpha, a, b, beta, c):
    return {scaled_sum: (alpha, a, b, beta, c), product_minus: (a, b, c), scaled_product: (alpha, a, b),
            c_plus_product: (a, b, c)}[function]


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex128], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("m,k,n", [(3, 4, 5), (8, 8, 8), (60, 40, 50), (200, 150, 100)])
@pytest.mark.parametrize("function", GEMM_SHAPES, ids=lambda f: f.__name__)
def test_gemm_shapes_match_numpy(function, dtype, m, k, n):
    a, b, c = sample(dtype, (m, k)), sample(dtype, (k, n)), sample(dtype, (m, n))
    args = gemm_args(function, 1.5, a, b, -0.25, c)
    got, expected = numlir.njit(function)(*args), function(*args)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=rtol(dtype), atol=rtol(dtype) * k)


@pytest.mark.parametrize("layout", ["C", "F", "T", "stepped", "reversed"])
def test_gemm_shape_layouts(layout):
    a, b, c = (views(sample(np.float64, shape))[layout] for shape in ((50, 40), (40, 60), (50, 60)))
    got = numlir.njit(scaled_sum)(2.0, a, b, 0.5, c)
    np.testing.assert_allclose(got, scaled_sum(2.0, a, b, 0.5, c), rtol=1e-11, atol=1e-11)


def test_gemm_shape_with_broadcasting():
    """C broadcast into the product's shape (a row, a column, a number) folds; a product
    broadcast into C's shape (a one-row product) keeps the product and the sum apart."""
    f = numlir.njit(scaled_sum)
    a, b = sample(np.float64, (40, 30)), sample(np.float64, (30, 50))
    for c in (sample(np.float64, (50,)), sample(np.float64, (40, 1)), sample(np.float64, (1, 50))):
        np.testing.assert_allclose(f(1.5, a, b, 2.0, c), scaled_sum(1.5, a, b, 2.0, c), rtol=1e-11, atol=1e-11)
    row, c = sample(np.float64, (1, 30)), sample(np.float64, (40, 50))
    np.testing.assert_allclose(f(1.5, row, b, 2.0, c), scaled_sum(1.5, row, b, 2.0, c), rtol=1e-11, atol=1e-11)
    with pytest.raises(ValueError):
        f(1.5, a, b, 2.0, sample(np.float64, (41, 50)))


def test_gemm_shape_into_c():
    a, b, c = sample(np.float64, (70, 60)), sample(np.float64, (60, 80)), sample(np.float64, (70, 80))
    mine, theirs = c.copy(), c.copy()
    numlir.njit(into_c)(1.5, a, b, -0.5, mine)
    into_c(1.5, a, b, -0.5, theirs)
    np.testing.assert_allclose(mine, theirs, rtol=1e-11, atol=1e-11)
    # C as an operand of its own product: NumPy reads C before writing it, and so does numlir.
    mine, theirs = c[:, :60].copy(), c[:, :60].copy()
    square = sample(np.float64, (60, 60))
    numlir.njit(into_c)(1.0, mine[:60], square, 1.0, mine[:60])
    into_c(1.0, theirs[:60], square, 1.0, theirs[:60])
    np.testing.assert_allclose(mine, theirs, rtol=1e-11, atol=1e-11)


def product_into(a, b, c):
    c[:] = a @ b


def product_plus_into(a, b, c):
    c[:] = a @ b + c


def product_into_every_other_row(a, b, c):
    c[::2] = 2.0 * (a @ b) - c[::2]


@pytest.mark.parametrize("layout", ["C", "F", "stepped"])
@pytest.mark.parametrize("size", [5, 60])
def test_products_computed_into_their_target(layout, size):
    """`c[...] = ...` of a gemm shape is one gemm into c (numlir-lower-matmul), also where
    c is an operand of the product (then the product runs apart first, as NumPy reads it)."""
    a, b = sample(np.float64, (size, size + 3)), sample(np.float64, (size + 3, size))
    c = sample(np.float64, (size, size))
    for function, operands in ((product_into, "ab"), (product_plus_into, "ab"), (product_plus_into, "cc")):
        mine, theirs = views(c)[layout], views(c)[layout]
        if operands == "cc":   # c as A, B and the target
            numlir.njit(function)(mine, mine, mine)
            function(theirs, theirs, theirs)
        else:
            numlir.njit(function)(a, b, mine)
            function(a, b, theirs)
        np.testing.assert_allclose(mine, theirs, rtol=1e-11, atol=1e-11)
    tall = sample(np.float64, (2 * size, size))
    mine, theirs = tall.copy(), tall.copy()
    numlir.njit(product_into_every_other_row)(a, b, mine)
    product_into_every_other_row(a, b, theirs)
    np.testing.assert_allclose(mine, theirs, rtol=1e-11, atol=1e-11)


WITHOUT_OPENBLAS = """
import numpy as np
import numlir
import numlir._numpy.linalg as linalg
linalg.openblas_paths = lambda: []   # as on a machine without scipy-openblas64 or NumPy's copy

@numlir.njit
def product(a, b):
    return a @ b

@numlir.njit
def inverse(a):
    return np.linalg.inv(a)

a = np.arange(100 * 100, dtype=np.float64).reshape(100, 100) / 1e4
np.testing.assert_allclose(product(a, a.T), a @ a.T, rtol=1e-11)

@numlir.njit
def scaled_sum(alpha, a, b, beta, c):
    return alpha * (a @ b) + beta * c

np.testing.assert_allclose(scaled_sum(2.0, a, a.T, 0.5, a), 2.0 * (a @ a.T) + 0.5 * a, rtol=1e-11)
try:
    inverse(np.eye(3))
except RuntimeError as e:
    assert "OpenBLAS" in str(e), e
    print("products ran; np.linalg raised")
"""


def test_without_openblas_products_run_and_linalg_raises():
    run = subprocess.run([sys.executable, "-c", WITHOUT_OPENBLAS], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "products ran; np.linalg raised" in run.stdout


def test_openblas_threads_follow_set_num_threads():
    # OpenBLAS gets the calling thread's numlir.set_num_threads count before a product
    # (read back from the library compiled code loaded: the first of openblas_paths()).
    import ctypes
    from numlir._numpy.linalg import openblas_paths

    library = ctypes.CDLL(openblas_paths()[0])

    @numlir.njit
    def product(a, b):
        return a @ b

    a = sample(np.float64, (200, 200))
    before = numlir.get_num_threads()
    try:
        for n in sorted({1, before}):
            numlir.set_num_threads(n)
            np.testing.assert_allclose(product(a, a), a @ a, rtol=1e-11)
            assert library.scipy_openblas_get_num_threads64_() == n
    finally:
        numlir.set_num_threads(before)
