"""np.linalg: inv, solve, det, slogdet, cholesky, eig, eigvals, eigh, eigvalsh, svd, qr, lstsq,
pinv, norm, matrix_power, matrix_rank and cond. Compiled results are compared with NumPy's over
dtypes (float64, float32, complex128, complex64, int64), layouts (C, Fortran, strided, reversed,
transposed), sizes (1x1, square, tall, wide, empty) and error paths. Results that are not
unique (eigenvectors, singular vectors, the signs of QR's factors) are compared through what
defines them: reconstruction, orthonormality, and NumPy's eigenvalues and singular values.

The compiled functions are built once, at module level, so that each is compiled once per
type signature and reused by every parametrization."""
import zlib

import numpy as np
import pytest
from numpy import linalg as LA
from numpy.linalg import (LinAlgError, cholesky, cond, det, eig, eigh, eigvals, eigvalsh, inv, lstsq,
                          matrix_power, matrix_rank, norm, pinv, qr, slogdet, solve, svd)
from numpy.linalg._linalg import EigResult, EighResult, QRResult, SlogdetResult, SVDResult

import numlir
from array_checks import _copy, _same, layouts

DTYPES = [np.float64, np.float32, np.complex128, np.complex64, np.int64]
REAL = [np.float64, np.float32, np.int64]
COMPLEX = [np.complex128, np.complex64]
by_dtype = pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
SIZES = [1, 3, 5]
SHAPES = [(1, 1), (3, 3), (5, 5), (6, 3), (3, 5)]  # square, tall, wide


# ---- inputs -------------------------------------------------------------------------------

RNG = np.random.default_rng(0)


@pytest.fixture(autouse=True)
def _seed(request):
    """Each test draws the same values however the tests are selected or ordered."""
    global RNG
    RNG = np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))


def rand(dtype, shape):
    """Random values of dtype: small integers, or normal (complex) floats."""
    kind = np.dtype(dtype).kind
    if kind == "i":
        return RNG.integers(-4, 5, shape).astype(dtype)
    x = RNG.standard_normal(shape)
    if kind == "c":
        x = x + 1j * RNG.standard_normal(shape)
    return x.astype(dtype)


def general(dtype, shape):
    """A well-conditioned matrix of full rank: its leading square block is strictly
    diagonally dominant (so square ones are invertible)."""
    k = min(shape)
    return (rand(dtype, shape) + (4 * k + 1) * np.eye(*shape, dtype=np.int64)).astype(dtype)


def square(dtype, n):
    return general(dtype, (n, n))


def hermitian(dtype, n):
    """A Hermitian (symmetric for real dtypes) positive-definite n x n matrix."""
    b = rand(dtype, (n, n))
    return (b @ b.conj().T + n * np.eye(n, dtype=np.int64)).astype(dtype)


def symmetric(dtype, n):
    """A real symmetric, indefinite n x n matrix: its eigenvalues are real."""
    b = rand(dtype, (n, n))
    return (b + b.T).astype(dtype)


def low_rank(dtype, m, n, r):
    """An m x n matrix of rank r."""
    return (rand(dtype, (m, r)) @ rand(dtype, (r, n))).astype(dtype)


def views(a):
    """array_checks.layouts (C, Fortran, strided, reversed) and a strided transposed view."""
    return layouts(a) + [("transposed", layouts(np.ascontiguousarray(a.T))[2][1].T)]


def singular(dtype):
    """A 3x3 matrix whose LU factorization has an exact zero pivot (two rows alike)."""
    return np.array([[1, 2, 3], [2, 4, 6], [1, 0, 1]]).astype(dtype)


# ---- comparison ---------------------------------------------------------------------------

def rtol(*args):
    """LAPACK's rounding: NumPy and numlir compute in double, then round single-precision
    results to single; the two may take different (equally exact) paths."""
    single = any(isinstance(a, np.ndarray) and a.dtype in (np.float32, np.complex64) for a in args)
    return 1e-4 if single else 1e-10


def same_kind(got, expected, path="result"):
    """The same classes (NumPy's namedtuples), array dtypes and shapes, scalar precision."""
    if isinstance(expected, tuple):
        assert type(got) is type(expected), f"{path}: {type(got).__name__} is not {type(expected).__name__}"
        assert len(got) == len(expected)
        for i, (g, e) in enumerate(zip(got, expected)):
            same_kind(g, e, f"{path}[{i}]")
    elif isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray), f"{path}: expected an array, got {got!r}"
        assert got.dtype == expected.dtype, f"{path}: dtype {got.dtype} != {expected.dtype}"
        assert got.shape == expected.shape, f"{path}: shape {got.shape} != {expected.shape}"
    elif isinstance(expected, (np.float32, np.complex64)):
        assert type(got) is type(expected), f"{path}: {got!r} is not a {type(expected).__name__}"
    elif isinstance(expected, (float, complex)):  # np.float64, np.complex128 or Python's
        assert type(got) in (type(expected), float if isinstance(expected, float) else complex), (
            f"{path}: {got!r} is not a {type(expected).__name__}")
    else:
        assert isinstance(expected, (int, np.integer)), f"{path}: unexpected {expected!r}"
        assert isinstance(got, (int, np.integer)) and not isinstance(got, bool), f"{path}: {got!r}"


def run(cfunc, *args):
    """(compiled result, NumPy's result) of cfunc and its Python function on copies of args,
    after checking that their kinds agree and that the inputs were left unchanged."""
    expected = cfunc.py_func(*[_copy(a) for a in args])
    jit_args = [_copy(a) for a in args]
    got = cfunc(*jit_args)
    same_kind(got, expected)
    for g, a in zip(jit_args, args):
        if isinstance(a, np.ndarray):
            np.testing.assert_array_equal(g, a, err_msg="the input was changed")
    return got, expected


def same(cfunc, *args, tol=None):
    """The compiled result equals NumPy's (within LAPACK's rounding)."""
    got, expected = run(cfunc, *args)
    _same(got, expected, rtol(*args) if tol is None else tol)
    return got


def close(got, expected, tol, scale=1.0):
    """Arrays equal within tol relative to each element and to the problem's scale."""
    np.testing.assert_allclose(got, expected, rtol=tol, atol=tol * scale)


def scale_of(a):
    return max(1.0, float(np.abs(a).max())) if a.size else 1.0


def raises(cfunc, exc, *args, same_message=True):
    """NumPy and the compiled function raise exc (with the same message)."""
    with pytest.raises(exc) as expected:
        cfunc.py_func(*[_copy(a) for a in args])
    with pytest.raises(exc) as got:
        cfunc(*[_copy(a) for a in args])
    assert type(got.value) is type(expected.value)
    if same_message:
        assert str(got.value) == str(expected.value)


# ---- compiled functions, each used across parametrizations -----------------------------------

j_inv = numlir.njit(lambda a: np.linalg.inv(a))
j_det = numlir.njit(lambda a: np.linalg.det(a))
j_slogdet = numlir.njit(lambda a: np.linalg.slogdet(a))
j_solve = numlir.njit(lambda a, b: np.linalg.solve(a, b))
j_cholesky = numlir.njit(lambda a: np.linalg.cholesky(a))
j_cholesky_upper = numlir.njit(lambda a: np.linalg.cholesky(a, upper=True))
j_eig = numlir.njit(lambda a: np.linalg.eig(a))
j_eigvals = numlir.njit(lambda a: np.linalg.eigvals(a))
j_eigh = numlir.njit(lambda a, uplo: np.linalg.eigh(a, uplo))
j_eigh_default = numlir.njit(lambda a: np.linalg.eigh(a))
j_eigvalsh = numlir.njit(lambda a, uplo: np.linalg.eigvalsh(a, UPLO=uplo))
j_svd = numlir.njit(lambda a: np.linalg.svd(a))
j_svd_reduced = numlir.njit(lambda a: np.linalg.svd(a, full_matrices=False))
j_svd_values = numlir.njit(lambda a: np.linalg.svd(a, compute_uv=False))
j_qr = numlir.njit(lambda a: np.linalg.qr(a))
j_qr_complete = numlir.njit(lambda a: np.linalg.qr(a, mode="complete"))
j_qr_r = numlir.njit(lambda a: np.linalg.qr(a, mode="r"))
j_lstsq = numlir.njit(lambda a, b: np.linalg.lstsq(a, b))
j_lstsq_rcond = numlir.njit(lambda a, b, rcond: np.linalg.lstsq(a, b, rcond=rcond))
j_pinv = numlir.njit(lambda a: np.linalg.pinv(a))
j_pinv_rcond = numlir.njit(lambda a, rcond: np.linalg.pinv(a, rcond))
j_norm = numlir.njit(lambda x, ord: np.linalg.norm(x, ord))
j_norm_default = numlir.njit(lambda x: np.linalg.norm(x))
j_matrix_power = numlir.njit(lambda a, n: np.linalg.matrix_power(a, n))
j_matrix_rank = numlir.njit(lambda a: np.linalg.matrix_rank(a))
j_matrix_rank_tol = numlir.njit(lambda a, tol: np.linalg.matrix_rank(a, tol))
j_matrix_rank_rtol = numlir.njit(lambda a, rtol: np.linalg.matrix_rank(a, rtol=rtol))
j_cond = numlir.njit(lambda a, p: np.linalg.cond(a, p))
j_cond_default = numlir.njit(lambda a: np.linalg.cond(a))


# ---- inv, det, slogdet, solve ---------------------------------------------------------------

@by_dtype
@pytest.mark.parametrize("n", SIZES)
def test_inv_det_slogdet(dtype, n):
    a = square(dtype, n)
    same(j_inv, a)
    same(j_det, a)
    sign_logdet = same(j_slogdet, a)
    assert type(sign_logdet) is SlogdetResult


@by_dtype
def test_inv_det_slogdet_empty_and_singular(dtype):
    empty = np.zeros((0, 0), dtype)
    same(j_inv, empty)
    same(j_det, empty)
    same(j_slogdet, empty)
    s = singular(dtype)
    assert j_det(s) == 0 and det(s) == 0
    same(j_det, s)
    assert tuple(j_slogdet(s)) == (0, -np.inf) == tuple(slogdet(s))
    same(j_slogdet, s)
    raises(j_inv, LinAlgError, s)
    raises(j_inv, LinAlgError, np.zeros((2, 2), dtype))
    raises(j_inv, LinAlgError, rand(dtype, (3, 4)))
    raises(j_det, LinAlgError, rand(dtype, (4, 3)))
    raises(j_slogdet, LinAlgError, rand(dtype, (2, 3)))


def test_slogdet_signs():
    # A negative determinant, and pivoting that swaps rows (each swap flips the sign).
    permutation = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    for a in (-np.eye(3), np.array([[0.0, 2.0], [3.0, 0.0]]), permutation, permutation * 1j,
              np.diag([1e-200, 1e-200, 1e-200])):
        same(j_det, a)
        same(j_slogdet, a)


@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_inv_det_slogdet_layouts(dtype):
    for _, a in views(square(dtype, 4)):
        same(j_inv, a)
        same(j_det, a)
        same(j_slogdet, a)


@by_dtype
@pytest.mark.parametrize("n", SIZES)
def test_solve(dtype, n):
    a = square(dtype, n)
    same(j_solve, a, rand(dtype, n))
    same(j_solve, a, rand(dtype, (n, 2)))
    same(j_solve, a, rand(dtype, (n, 0)))


@pytest.mark.parametrize("da,db", [(np.float32, np.float64), (np.int64, np.float32),
                                   (np.complex64, np.float32), (np.float32, np.complex64),
                                   (np.int64, np.complex128), (np.float64, np.int64)])
def test_solve_mixed_dtypes(da, db):
    a = square(da, 4)
    same(j_solve, a, rand(db, 4))
    same(j_solve, a, rand(db, (4, 3)))


def test_solve_layouts_empty_and_errors():
    a = square(np.float64, 4)
    for (_, av), (_, bv) in zip(views(a), views(rand(np.float64, (4, 3)))):
        same(j_solve, av, bv)
        same(j_solve, av, bv[:, 1])
    same(j_solve, np.zeros((0, 0)), np.zeros(0))
    same(j_solve, np.zeros((0, 0)), np.zeros((0, 2)))
    raises(j_solve, LinAlgError, singular(np.float64), np.ones(3))
    raises(j_solve, LinAlgError, rand(np.float64, (3, 4)), np.ones(3))
    raises(j_solve, ValueError, a, np.ones(3), same_message=False)
    raises(j_solve, ValueError, a, np.ones((5, 2)), same_message=False)


# ---- cholesky -----------------------------------------------------------------------------

@by_dtype
@pytest.mark.parametrize("n", SIZES)
def test_cholesky(dtype, n):
    a = hermitian(dtype, n)
    lower = same(j_cholesky, a)
    upper = same(j_cholesky_upper, a)
    close(lower @ lower.conj().T, a, rtol(a), scale_of(a))
    close(upper.conj().T @ upper, a, rtol(a), scale_of(a))


def test_cholesky_layouts_empty_and_errors():
    for dtype in (np.float64, np.complex128):
        for _, a in views(hermitian(dtype, 4)):
            same(j_cholesky, a)
            same(j_cholesky_upper, a)
    same(j_cholesky, np.zeros((0, 0)))
    raises(j_cholesky, LinAlgError, symmetric(np.float64, 4) - 20 * np.eye(4))
    raises(j_cholesky, LinAlgError, np.array([[1.0, 2.0], [2.0, 1.0]]))
    raises(j_cholesky_upper, LinAlgError, -hermitian(np.complex128, 3))
    raises(j_cholesky, LinAlgError, rand(np.float64, (2, 3)))


# ---- eig, eigvals, eigh, eigvalsh -----------------------------------------------------------

def sort_values(w):
    return np.sort_complex(w) if np.iscomplexobj(w) else np.sort(w)


def check_eig(a):
    """eig's eigenvalues are NumPy's (in some order), and a @ v = v * w with unit columns."""
    tol, scale = rtol(a), scale_of(a) * max(1, a.shape[0])
    (w, v), (ew, _) = run(j_eig, a)
    assert type(j_eig(a)) is EigResult
    _same(sort_values(w), sort_values(ew), tol)
    close(a @ v, v * w, tol, scale)
    close(np.linalg.norm(v, axis=0), np.ones(a.shape[0]), tol)
    values, expected = run(j_eigvals, a)
    _same(sort_values(values), sort_values(expected), tol)


@pytest.mark.parametrize("dtype", REAL, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("n", SIZES)
def test_eig_real(dtype, n):
    check_eig(symmetric(dtype, n))
    check_eig(np.triu(square(dtype, n)))
    check_eig(np.tril(rand(dtype, (n, n))))


@pytest.mark.parametrize("dtype", COMPLEX, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("n", SIZES)
def test_eig_complex(dtype, n):
    check_eig(rand(dtype, (n, n)))
    check_eig(hermitian(dtype, n))


def test_eig_layouts_empty_and_errors():
    for _, a in views(symmetric(np.float64, 4)):
        check_eig(a)
    for _, a in views(rand(np.complex128, (4, 4))):
        check_eig(a)
    same(j_eig, np.zeros((0, 0)))
    same(j_eigvals, np.zeros((0, 0), np.complex64))
    # A rotation's eigenvalues are complex: NumPy returns complex arrays, numlir (as numba)
    # keeps a real matrix's results real and raises.
    rotation = np.array([[0.0, -1.0], [1.0, 0.0]])
    assert np.iscomplexobj(eigvals(rotation))
    with pytest.raises(ValueError, match="domain change"):
        j_eig(rotation)
    with pytest.raises(ValueError, match="domain change"):
        j_eigvals(rotation.astype(np.float32))
    check_eig(rotation.astype(np.complex128))
    raises(j_eig, LinAlgError, rand(np.float64, (3, 2)))
    raises(j_eigvals, LinAlgError, rand(np.complex128, (2, 3)))


def triangle_matrix(a, uplo):
    """The Hermitian matrix that eigh reads from a's uplo triangle."""
    t = np.tril(a, -1) if uplo == "L" else np.triu(a, 1)
    return t + t.conj().T + np.diag(np.diag(a).real)


def check_eigh(a, uplo):
    tol, scale = rtol(a), scale_of(a) * max(1, a.shape[0])
    (w, v), (ew, _) = run(j_eigh, a, uplo)
    assert type(j_eigh(a, uplo)) is EighResult
    _same(w, ew, tol)  # ascending, as LAPACK and NumPy return them
    h = triangle_matrix(a, uplo)
    close(h @ v, v * w, tol, scale)
    close(v.conj().T @ v, np.eye(a.shape[0]), tol, 1.0)
    same(j_eigvalsh, a, uplo)


@by_dtype
@pytest.mark.parametrize("n", SIZES)
def test_eigh(dtype, n):
    for uplo in ("L", "U"):
        check_eigh(hermitian(dtype, n), uplo)
        check_eigh(rand(dtype, (n, n)), uplo)  # the other triangle is not read


def test_eigh_layouts_empty_and_errors():
    for _, a in views(rand(np.float64, (4, 4))):
        check_eigh(a, "L")
        check_eigh(a, "U")
    a = hermitian(np.complex128, 3)
    (w, _), (ew, _) = run(j_eigh_default, a)
    _same(w, ew, 1e-10)
    same(j_eigh, np.zeros((0, 0)), "L")
    same(j_eigvalsh, np.zeros((0, 0), np.float32), "U")
    raises(j_eigh, ValueError, a, "X")
    raises(j_eigvalsh, ValueError, a, "lower")
    raises(j_eigh, LinAlgError, rand(np.float64, (3, 2)), "L")


# ---- svd ----------------------------------------------------------------------------------

def check_svd(a):
    tol, scale = rtol(a), scale_of(a) * max(1, *a.shape)
    m, n = a.shape
    k = min(m, n)
    for cfunc, full in ((j_svd, True), (j_svd_reduced, False)):
        (u, s, vh), (_, es, _) = run(cfunc, a)
        assert type(cfunc(a)) is SVDResult
        assert u.shape == ((m, m) if full else (m, k)) and vh.shape == ((n, n) if full else (k, n))
        _same(s, es, tol)
        close((u[:, :k] * s) @ vh[:k], a, tol, scale)
        close(u.conj().T @ u, np.eye(u.shape[1]), tol)
        close(vh @ vh.conj().T, np.eye(vh.shape[0]), tol)
    same(j_svd_values, a)


@by_dtype
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_svd(dtype, shape):
    check_svd(general(dtype, shape))


def test_svd_layouts_low_rank_and_empty():
    for _, a in views(general(np.float64, (5, 3))):
        check_svd(a)
    for _, a in views(general(np.complex128, (3, 4))):
        check_svd(a)
    a = low_rank(np.float64, 5, 4, 2)
    u, s, vh = j_svd(a)
    close(s, svd(a, compute_uv=False), 1e-10, scale_of(s))
    close((u[:, :4] * s) @ vh, a, 1e-10, scale_of(a) * 5)
    # An empty matrix's singular vectors are the identity's (NumPy's choice).
    for shape in ((0, 0), (0, 3), (3, 0)):
        same(j_svd, np.zeros(shape))
        same(j_svd_reduced, np.zeros(shape))
        same(j_svd_values, np.zeros(shape))


# ---- qr -----------------------------------------------------------------------------------

def check_qr(a):
    """Q R is a, Q's columns are orthonormal, R is upper triangular and, up to the signs
    (phases) of its rows, NumPy's."""
    tol, scale = rtol(a), scale_of(a) * max(1, *a.shape)
    m, n = a.shape
    k = min(m, n)
    for cfunc, q_cols in ((j_qr, k), (j_qr_complete, m)):
        (q, r), (_, er) = run(cfunc, a)
        assert type(cfunc(a)) is QRResult
        assert q.shape == (m, q_cols) and r.shape == (q_cols, n)
        np.testing.assert_array_equal(r, np.triu(r))
        close(np.abs(r), np.abs(er), tol, scale)
        close(q @ r, a, tol, scale)
        close(q.conj().T @ q, np.eye(q_cols), tol)
    r, er = run(j_qr_r, a)
    np.testing.assert_array_equal(r, np.triu(r))
    close(np.abs(r), np.abs(er), tol, scale)


@by_dtype
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_qr(dtype, shape):
    check_qr(general(dtype, shape))


def test_qr_layouts_empty_and_modes():
    for _, a in views(general(np.float64, (5, 3))):
        check_qr(a)
    for _, a in views(general(np.complex64, (3, 4))):
        check_qr(a)
    for shape in ((0, 0), (0, 3), (3, 0)):
        same(j_qr, np.zeros(shape))
        same(j_qr_complete, np.zeros(shape))
        same(j_qr_r, np.zeros(shape))
    # NumPy's other modes ('raw', the deprecated ones) and unknown ones (NumPy's ValueError)
    # are refused where the function is compiled.
    a = general(np.float64, (4, 3))
    for mode in ("raw", "economic", "full", "bogus"):
        with pytest.raises(numlir.TypingError, match="mode 'reduced', 'complete' or 'r'"):
            numlir.njit(lambda a: np.linalg.qr(a, mode=mode))(a)
    with pytest.raises(numlir.TypingError, match="must be written as a literal"):
        numlir.njit(lambda a, mode: np.linalg.qr(a, mode=mode))(a, "r")
    # By position, as by keyword: the literal chooses the function compiled.
    for mode in ("reduced", "complete", "r"):
        got, expected = run(numlir.njit(lambda a: np.linalg.qr(a, mode)), a)
        r, er = (got, expected) if mode == "r" else (got.R, expected.R)
        close(np.abs(r), np.abs(er), 1e-10, scale_of(a))
    same(numlir.njit(lambda a: np.linalg.svd(a, False, False)), a)
    with pytest.raises(numlir.TypingError, match="must be written as a literal"):
        numlir.njit(lambda a, mode: np.linalg.qr(a, mode))(a, "r")
    with pytest.raises(numlir.TypingError, match="must be written as a literal"):
        numlir.njit(lambda a, uv: np.linalg.svd(a, compute_uv=uv))(a, False)


# ---- lstsq, pinv --------------------------------------------------------------------------

@by_dtype
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_lstsq(dtype, shape):
    a = general(dtype, shape)
    m = shape[0]
    same(j_lstsq, a, rand(dtype, m))
    same(j_lstsq, a, rand(dtype, (m, 2)))


def test_lstsq_rank_rcond_layouts_and_errors():
    a = low_rank(np.float64, 6, 4, 2)
    b = rand(np.float64, (6, 2))
    (x, residuals, rank, s), (ex, eresiduals, erank, es) = run(j_lstsq, a, b)
    assert rank == erank == 2 and residuals.shape == eresiduals.shape == (0,)
    close(x, ex, 1e-10, scale_of(ex))
    close(s, es, 1e-10, scale_of(es))  # two of them are rounding errors of zeros
    # Singular values 3, 1 and 0.05: rcond 0.1 drops the last.
    u, _, vh = np.linalg.svd(rand(np.float64, (5, 3)), full_matrices=False)
    graded = (u * np.array([3.0, 1.0, 0.05])) @ vh
    for rcond in (0.1, 0.01, -1.0, 1e-15):
        same(j_lstsq_rcond, graded, b[:5, 0], rcond)
    assert j_lstsq_rcond(graded, b[:5], 0.1)[2] == 2
    same(j_lstsq_rcond, graded, b[:5], None)
    for (_, av), (_, bv) in zip(views(general(np.float64, (5, 3))), views(b[:5])):
        same(j_lstsq, av, bv)
        same(j_lstsq, av, bv[:, 0])
    same(j_lstsq, rand(np.float32, (4, 2)), rand(np.float64, 4))
    same(j_lstsq, general(np.complex64, (4, 2)), rand(np.float32, (4, 3)))
    same(j_lstsq, general(np.float64, (5, 3)), np.zeros((5, 0)))
    for shape in ((0, 3), (3, 0), (0, 0)):
        same(j_lstsq, np.zeros(shape), np.ones(shape[0]))
        same(j_lstsq, np.zeros(shape), np.ones((shape[0], 2)))
    raises(j_lstsq, LinAlgError, rand(np.float64, (4, 3)), np.ones(5))
    raises(j_lstsq, LinAlgError, rand(np.float64, (4, 3)), np.ones((3, 2)))


@by_dtype
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_pinv(dtype, shape):
    a = general(dtype, shape)
    p = same(j_pinv, a)
    close(a @ p @ a, a, rtol(a), scale_of(a) * 10)


def test_pinv_rcond_layouts_and_empty():
    u, _, vh = np.linalg.svd(rand(np.float64, (5, 3)), full_matrices=False)
    graded = (u * np.array([3.0, 1.0, 0.05])) @ vh
    for rcond in (0.1, 0.01, 1e-15, 0.0):
        same(j_pinv_rcond, graded, rcond)
    same(j_pinv_rcond, low_rank(np.complex128, 4, 5, 2), 1e-12)
    for _, a in views(general(np.float64, (3, 5))):
        same(j_pinv, a)
    for _, a in views(general(np.complex128, (4, 4))):
        same(j_pinv, a)
    for shape in ((0, 0), (0, 3), (3, 0)):
        same(j_pinv, np.zeros(shape))
        same(j_pinv, np.zeros(shape, np.complex64))


# ---- norm ---------------------------------------------------------------------------------

VECTOR_ORDS = [None, np.inf, -np.inf, 0, 1, -1, 2, -2, 3, 0.5, 2.5, -1.5, 1.0, 2.0]
MATRIX_ORDS = [None, "fro", "f", "nuc", np.inf, -np.inf, 1, -1, 2, -2, 1.0, -2.0]


@by_dtype
def test_norm_vectors(dtype):
    x = rand(dtype, 7)
    x[x == 0] = 1  # negative orders of a zero are infinite
    for ord in VECTOR_ORDS:
        same(j_norm, x, ord)
    same(j_norm_default, x)
    with_zeros = rand(dtype, 9)
    with_zeros[::3] = 0
    with np.errstate(divide="ignore"):  # zeros (and empty sums) to negative powers: inf
        for ord in (0, 1, 2, np.inf, -np.inf, -1, 0.5):
            same(j_norm, with_zeros, ord)
        for ord in (None, 0, 1, 2, 3, np.inf, -1, -2, 0.5):
            same(j_norm, np.zeros(0, dtype), ord)
    same(j_norm, rand(dtype, 1), -np.inf)


@by_dtype
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_norm_matrices(dtype, shape):
    a = general(dtype, shape)  # (its smallest singular value is not a rounding error)
    for ord in MATRIX_ORDS:
        same(j_norm, a, ord)


def test_norm_layouts_empty_and_errors():
    for dtype in (np.float64, np.complex128):
        for _, a in views(general(dtype, (4, 6))):
            for ord in MATRIX_ORDS:
                same(j_norm, a, ord)
            same(j_norm_default, a)
        for _, x in layouts(rand(dtype, 7)):
            for ord in (None, 1, np.inf, 3):
                same(j_norm, x, ord)
    for shape in ((0, 0), (0, 3), (3, 0)):
        for ord in (None, "fro", "nuc", 1, 2, np.inf):
            same(j_norm, np.zeros(shape), ord)
    same(j_norm_default, rand(np.float64, (2, 3, 4)))
    same(j_norm_default, rand(np.complex64, (2, 3, 4)))
    a = rand(np.float64, (3, 3))
    for ord in (3, 0, -3.5, 0.5, "bogus"):
        raises(j_norm, ValueError, a, ord)
    # The negative orders of an empty matrix take the smallest of no values, except where
    # sums over an empty axis leave zeros.
    for shape, ord in (((0, 0), -2), ((0, 3), -2), ((0, 0), -1), ((3, 0), -1), ((0, 3), -np.inf)):
        raises(j_norm, ValueError, np.zeros(shape), ord, same_message=False)
    for shape, ord in (((0, 3), -1), ((3, 0), -np.inf)):
        same(j_norm, np.zeros(shape), ord)
    raises(j_norm, ValueError, np.zeros(0), -np.inf, same_message=False)


def norm_with(axis, keepdims):
    """A compiled np.linalg.norm(x, ord, axis=<literal>, keepdims=<literal>) (axis= and
    keepdims= decide the result's rank, so they are written as literals)."""
    namespace = {"np": np}
    exec(f"def norm_along(x, ord):\n    return np.linalg.norm(x, ord, axis={axis!r}, keepdims={keepdims!r})\n", namespace)
    return numlir.njit(namespace["norm_along"])


@by_dtype
@pytest.mark.parametrize("shape", [(7,), (3, 5), (2, 3, 4)], ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_norm_along_an_axis(dtype, shape, keepdims):
    x = rand(dtype, shape)
    x[x == 0] = 1
    for axis in range(-len(shape), len(shape)):
        j = norm_with(axis, keepdims)
        for ord in (None, np.inf, -np.inf, 0, 1, -1, 2, 3, 0.5):
            same(j, x, ord)
    same(norm_with((0,), keepdims), x, None)


@pytest.mark.parametrize("axis", [(0, 1), (1, 0), (-1, 0), (0, -1), (-2, -1)], ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_norm_over_a_pair_of_axes(axis, keepdims):
    j = norm_with(axis, keepdims)
    for dtype in (np.float64, np.complex64):
        for _, a in views(general(dtype, (4, 6))):
            for ord in MATRIX_ORDS:
                same(j, a, ord)


def test_norm_keepdims_over_every_axis():
    for shape in ((5,), (3, 4)):
        same(norm_with(None, True), rand(np.float64, shape), None)
    same(norm_with(None, True), rand(np.float32, (3, 4)), "nuc")


def test_norm_axis_errors():
    a = rand(np.float64, (3, 4))
    for axis in (2, -3):
        raises(norm_with(axis, False), np.exceptions.AxisError, a, None)
    raises(norm_with((0, 2), False), np.exceptions.AxisError, a, None)
    raises(norm_with((1, -1), False), ValueError, a, None)
    raises(norm_with((0, 1, 2), False), ValueError, rand(np.float64, (2, 2, 2)), None)
    raises(norm_with(0, False), ValueError, a, "fro")
    raises(norm_with((0, 1), False), ValueError, a, 3)
    with pytest.raises(numlir.TypingError, match="literal"):
        numlir.njit(lambda x, k: np.linalg.norm(x, axis=k))(a, 0)


# ---- matrix_power -------------------------------------------------------------------------

@by_dtype
@pytest.mark.parametrize("n", SIZES)
def test_matrix_power(dtype, n):
    a = square(dtype, n)
    exponents = [0, 1, 2, 3, 4, 5, 6]
    if np.dtype(dtype).kind != "i":  # (an integer result would overflow, a float one is NumPy's)
        exponents += [13, -1, -2, -3, -6]
    for k in exponents:
        same(j_matrix_power, a, k)


def test_matrix_power_layouts_empty_and_errors():
    for _, a in views(square(np.float64, 4)):
        for k in (0, 1, 3, -2):
            same(j_matrix_power, a, k)
    for _, a in views(square(np.int64, 3)):
        same(j_matrix_power, a, 5)
    for k in (0, 2, -1):
        same(j_matrix_power, np.zeros((0, 0)), k)
    same(j_matrix_power, np.zeros((0, 0), np.int64), 3)
    nilpotent = np.array([[0, 1], [0, 0]])
    same(j_matrix_power, nilpotent, 2)
    raises(j_matrix_power, LinAlgError, singular(np.float64), -1)
    raises(j_matrix_power, LinAlgError, singular(np.complex64), -3)
    raises(j_matrix_power, LinAlgError, rand(np.float64, (2, 3)), 2)


# ---- matrix_rank, cond --------------------------------------------------------------------

@by_dtype
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_matrix_rank(dtype, shape):
    a = general(dtype, shape)
    same(j_matrix_rank, a)
    m, n = shape
    for r in range(min(m, n)):
        same(j_matrix_rank, low_rank(dtype, m, n, r))
    same(j_matrix_rank, np.zeros(shape, dtype))


def test_matrix_rank_tolerances_layouts_and_vectors():
    u, _, vh = np.linalg.svd(rand(np.float64, (5, 3)), full_matrices=False)
    graded = (u * np.array([3.0, 1.0, 0.05])) @ vh
    for tol in (0.0, 0.01, 0.1, 2.0, 10.0):
        same(j_matrix_rank_tol, graded, tol)
    for r in (1e-3, 0.02, 0.5):
        same(j_matrix_rank_rtol, graded, r)
    same(j_matrix_rank_tol, graded, None)
    for _, a in views(low_rank(np.float64, 5, 4, 2)):
        same(j_matrix_rank, a)
    for x in (np.zeros(4), np.array([0.0, 1e-300, 0.0]), rand(np.float64, 3)):
        same(j_matrix_rank, x)
    for shape in ((0, 0), (0, 3), (3, 0)):
        same(j_matrix_rank, np.zeros(shape))


CONDITION_ORDS = [None, 2, -2, 1, -1, np.inf, -np.inf, "fro", "nuc"]


@by_dtype
@pytest.mark.parametrize("n", SIZES)
def test_cond(dtype, n):
    a = square(dtype, n)
    for p in CONDITION_ORDS:
        same(j_cond, a, p)


def test_cond_rectangular_singular_layouts_and_errors():
    for shape in ((5, 3), (3, 5)):
        a = general(np.float64, shape)
        for p in (None, 2, -2):
            same(j_cond, a, p)
        raises(j_cond, LinAlgError, a, 1)
    for dtype in (np.float64, np.float32, np.complex128):
        s = singular(dtype)
        for p in (1, -1, np.inf, "fro"):  # (NumPy's 'nuc' fails in the SVD of inv's NaNs)
            assert j_cond(s, p) == np.inf
            same(j_cond, s, p)
        for p in (None, 2, -2):
            same(j_cond, np.zeros((3, 3), dtype), p)
    for _, a in views(general(np.complex128, (4, 4))):
        for p in CONDITION_ORDS:
            same(j_cond, a, p)
    a = square(np.float64, 4)
    for p in (2.0, -2.0, 1.0, -1.0):
        same(j_cond, a, p)
    same(j_cond_default, a)
    raises(j_cond, LinAlgError, np.zeros((0, 0)), None)
    raises(j_cond, LinAlgError, np.zeros((0, 3)), 2)


# ---- reached by name, fields of the results --------------------------------------------------

def by_name(a, b, h, t):
    """Each function imported from numpy.linalg (and through the module by another name),
    and the namedtuples' fields."""
    x, residuals, rank, s = lstsq(a, b)
    return (inv(a), LA.inv(a), solve(a, b), LA.solve(a, b), det(a), slogdet(a).logabsdet,
            slogdet(a).sign, cholesky(h), cholesky(h, upper=True), np.sort(eigvals(t)),
            np.sort(eig(t).eigenvalues), eigh(h).eigenvalues, eigvalsh(h), svd(a).S, svd(a, compute_uv=False),
            np.abs(qr(a).R), np.abs(qr(a, mode="r")), x, residuals, rank, s, pinv(a),
            norm(a), norm(b, 1), norm(a, "nuc"), matrix_power(a, 3), matrix_power(a, -1),
            matrix_rank(a), cond(a), cond(a, np.inf))


def test_from_numpy_linalg_import():
    a = square(np.float64, 4)
    t = np.triu(square(np.float64, 4))
    same(numlir.njit(by_name), a, rand(np.float64, 4), hermitian(np.float64, 4), t)


# Ranks other than 2, known when compiling: the functions still compile and raise NumPy's
# error (LinAlgError below two dimensions) when run; stacks of matrices are not supported.
RANK_CHECKED = {
    "inv": lambda a: np.linalg.inv(a), "det": lambda a: np.linalg.det(a), "slogdet": lambda a: np.linalg.slogdet(a),
    "solve": lambda a: np.linalg.solve(a, a), "cholesky": lambda a: np.linalg.cholesky(a),
    "eig": lambda a: np.linalg.eig(a), "eigvals": lambda a: np.linalg.eigvals(a), "eigh": lambda a: np.linalg.eigh(a),
    "eigvalsh": lambda a: np.linalg.eigvalsh(a), "svd": lambda a: np.linalg.svd(a),
    "svd_values": lambda a: np.linalg.svd(a, compute_uv=False), "qr": lambda a: np.linalg.qr(a),
    "qr_r": lambda a: np.linalg.qr(a, mode="r"), "lstsq": lambda a: np.linalg.lstsq(a, a),
    "pinv": lambda a: np.linalg.pinv(a), "matrix_power": lambda a: np.linalg.matrix_power(a, 2),
    "cond": lambda a: np.linalg.cond(a),
}


@pytest.mark.parametrize("name", sorted(RANK_CHECKED))
def test_vectors_raise_linalg_error(name):
    f = RANK_CHECKED[name]
    v = np.arange(1.0, 4.0)
    with pytest.raises(LinAlgError):
        f(v)  # NumPy's behaviour
    with pytest.raises(LinAlgError, match="two-dimensional"):
        numlir.njit(f)(v)


def test_stacks_of_matrices_are_not_supported():
    stack = np.stack([np.eye(3)] * 2)
    with pytest.raises(NotImplementedError, match="stacks of matrices"):
        numlir.njit(RANK_CHECKED["inv"])(stack)


def test_norm_orders_that_do_not_fit_the_rank():
    v, cube = np.arange(1.0, 4.0), np.ones((2, 2, 2))
    for f, x in ((lambda x: np.linalg.norm(x, "fro"), v), (lambda x: np.linalg.norm(x, 2), cube)):
        with pytest.raises(ValueError) as numpy_error:
            f(x)
        with pytest.raises(ValueError) as numlir_error:
            numlir.njit(f)(x)
        assert str(numpy_error.value).split()[:2] == str(numlir_error.value).split()[:2]
