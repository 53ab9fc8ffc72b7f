"""NumPy-function benchmark kernels (issue 17): sorting, unique, histograms, order
statistics, boolean masks, matrix products on BLAS, np.linalg on LAPACK and np.random. Each kernel calls NumPy's function, so the same function is
also "the NumPy version": CPython runs NumPy itself. Each entry of NUMPY_KERNELS: (name,
function, make_args(scale), NumPy version, bytes moved (none))."""
import numpy as np


def sort(a):
    return np.sort(a)


def argsort(a):
    return np.argsort(a)


def unique_counts(a):
    return np.unique(a, return_counts=True)


def histogram(a):
    return np.histogram(a, 100)


def median(a):
    return np.median(a)


def argmax_argmin(a):
    return np.argmax(a) + a.argmin()


def transposed_reductions(a):
    return a.T.max() + a.T.sum() + a[:, ::2].min()


def mask_select_assign(a):
    b = a[a > 0.5]
    a[a < 0.1] = 0.0
    return b.sum()


def take_sorted(a):
    return a[np.argsort(a[:100_000])].sum()


def matmul(a, b):
    return a @ b


def small_matmuls(a, b):
    """2000 products of small matrices: numlir's loops below its BLAS threshold."""
    total = 0.0
    for _ in range(2000):
        total += (a @ b)[0, 0]
    return total


def gemm_shaped(alpha, a, b, beta, c):
    return alpha * (a @ b) + beta * c


def gemm_into_c(alpha, a, b, beta, c):
    c[:] = alpha * (a @ b) + beta * c
    return c


def two_products(a, b, c):
    return a @ b @ c


def three_products(a, b, c, d):
    return a @ b @ c @ d


def normal_matvec(a, x):
    return a.T @ (a @ x)


def matvec_update(x1, a, y1):
    return x1 + a @ y1


def inv(a):
    return np.linalg.inv(a)


def solve(a, b):
    return np.linalg.solve(a, b)


def det(a):
    return np.linalg.det(a)


def cholesky(a):
    return np.linalg.cholesky(a)


def eigh(a):
    return np.linalg.eigh(a)


def svd(a):
    return np.linalg.svd(a)


def lstsq(a, b):
    return np.linalg.lstsq(a, b)


def monte_carlo_pi(n):
    np.random.seed(1)
    inside = 0
    for _ in range(n):
        x = np.random.random()
        y = np.random.random()
        if x * x + y * y < 1.0:
            inside += 1
    return 4.0 * inside / n


def generator_pi(rng, n):
    inside = 0
    for _ in range(n):
        x = rng.random()
        y = rng.random()
        if x * x + y * y < 1.0:
            inside += 1
    return 4.0 * inside / n


def generator_normals(rng, n):
    return rng.normal(1.0, 2.0, n)


def poisson_draws(n):
    np.random.seed(1)
    return np.random.poisson(4.0, n)


def _rng():
    return np.random.default_rng(17)


def _floats(n):
    return lambda scale: (_rng().random(int(n * scale)),)


def _ints(scale):
    return (_rng().integers(0, 1000, int(1_000_000 * scale)),)


def _matrices(n, count):
    return lambda s: tuple(_rng().standard_normal((n, n)) for _ in range(count))


def _gemm_args(scale):
    r = _rng()
    return 1.5, r.standard_normal((500, 500)), r.standard_normal((500, 500)), 0.5, r.standard_normal((500, 500))


def _matvec_args(scale):
    r = _rng()
    return r.standard_normal((2000, 2000)), r.standard_normal(2000)


def _matvec_update_args(scale):
    r = _rng()
    return r.standard_normal(2000), r.standard_normal((2000, 2000)), r.standard_normal(2000)


def _spd(n):
    def make(scale):
        a = _rng().standard_normal((n, n))
        return (a @ a.T + n * np.eye(n),)
    return make


def _solve_args(scale):
    r = _rng()
    return r.standard_normal((500, 500)), r.standard_normal((500, 10))


def _lstsq_args(scale):
    r = _rng()
    return r.standard_normal((500, 200)), r.standard_normal(500)


NUMPY_KERNELS = [
    ("np.sort 10M float64", sort, _floats(10_000_000), sort, None),
    ("np.argsort 1M float64", argsort, _floats(1_000_000), argsort, None),
    ("np.unique counts 1M int64", unique_counts, _ints, unique_counts, None),
    ("np.histogram 10M float64", histogram, _floats(10_000_000), histogram, None),
    ("np.median 1M float64", median, _floats(1_000_000), median, None),
    ("argmax + argmin 9M float64", argmax_argmin, _floats(9_000_000), argmax_argmin, None),
    ("a.T max + sum, a[:, ::2] min 3000x3000", transposed_reductions,
     lambda scale: (_rng().standard_normal((3000, max(2, int(3000 * scale)))),), transposed_reductions, None),
    ("boolean masks 10M", mask_select_assign, _floats(10_000_000), mask_select_assign, None),
    # The NumPy version of a product is OpenBLAS's own speed (NumPy calls it).
    ("a @ b 1024x1024", matmul, _matrices(1024, 2), matmul, None),
    # Small products, where a call costs as much as the work: 4x4 runs numlir's own loops
    # (below gemm-min-work), 8x8 and up OpenBLAS's small-matrix kernels.
    ("2000 x (a @ b) 4x4", small_matmuls, _matrices(4, 2), small_matmuls, None),
    ("2000 x (a @ b) 8x8", small_matmuls, _matrices(8, 2), small_matmuls, None),
    ("2000 x (a @ b) 32x32", small_matmuls, _matrices(32, 2), small_matmuls, None),
    ("2000 x (a @ b) 64x64", small_matmuls, _matrices(64, 2), small_matmuls, None),
    ("alpha*(A@B) + beta*C 500", gemm_shaped, _gemm_args, gemm_shaped, None),
    ("C[:] = alpha*(A@B) + beta*C 500", gemm_into_c, _gemm_args, gemm_into_c, None),
    ("A @ B @ C 300", two_products, _matrices(300, 3), two_products, None),
    ("A @ B @ C @ D 200", three_products, _matrices(200, 4), three_products, None),
    ("A.T @ (A @ x) 2000", normal_matvec, _matvec_args, normal_matvec, None),
    ("x1 + A @ y1 2000", matvec_update, _matvec_update_args, matvec_update, None),
    ("np.linalg.inv 500", inv, _matrices(500, 1), inv, None),
    ("np.linalg.solve 500", solve, _solve_args, solve, None),
    ("np.linalg.det 500", det, lambda scale: (_rng().standard_normal((500, 500)) / 500 ** 0.5,), det, None),
    ("np.linalg.cholesky 500", cholesky, _spd(500), cholesky, None),
    ("np.linalg.eigh 300", eigh, _spd(300), eigh, None),
    ("np.linalg.svd 300", svd, _matrices(300, 1), svd, None),
    ("np.linalg.lstsq 500x200", lstsq, _lstsq_args, lstsq, None),
    # Scalar draws in a loop: numba inlines its generator; numlir calls its runtime's.
    ("np.random Monte Carlo pi 10M", monte_carlo_pi, lambda scale: (int(10_000_000 * scale),), monte_carlo_pi, None),
    ("np.random.poisson 1M", poisson_draws, lambda scale: (int(1_000_000 * scale),), poisson_draws, None),
    # A np.random.Generator passed in: both engines call NumPy's own bit generator.
    ("Generator Monte Carlo pi 10M", generator_pi, lambda scale: (np.random.default_rng(1), int(10_000_000 * scale)),
     generator_pi, None),
    ("Generator.normal 1M", generator_normals, lambda scale: (np.random.default_rng(1), int(1_000_000 * scale)),
     generator_normals, None),
]
