"""np.linalg on LAPACK (OpenBLAS's, see src/runtime/linalg.rs), without SciPy: ``inv solve
det slogdet cholesky eig eigvals eigh eigvalsh svd qr lstsq pinv norm matrix_power
matrix_rank cond``.

Each function copies its matrix into a Fortran-ordered work array of the type LAPACK
computes in, float64 or complex128 (NumPy computes float32 in double too and rounds the
results back to single precision), calls the routine through the ``lapack`` builtins, and
turns its ``info`` into NumPy's exceptions: ``LinAlgError`` for a singular or not
positive-definite matrix or a failed convergence. Matrices are 2-d: NumPy's stacks of
matrices (more dimensions) are not supported yet. As in numba, ``eig``/``eigvals`` of a
real matrix return real arrays and raise where an eigenvalue is complex.
"""
import functools
import math

import numpy as np
from numpy.exceptions import AxisError
from numpy.linalg import LinAlgError
from numpy.linalg._linalg import EigResult, EighResult, QRResult, SlogdetResult, SVDResult

from ..extending import register_jitable
from .choice import literal_choice
from .failing import linalg_error, not_implemented, value_error
from .lapack import NO_LAPACK, geev, geqrf, gelsd, gesdd, gesv, getrf, getri, orgqr, potrf, syevd
from .typing import is_array, is_complex, is_float, is_integer, is_single

# LAPACK's job letters, as their character codes.
_JOB_V, _JOB_N, _JOB_A, _JOB_S, _LOWER, _UPPER = ord("V"), ord("N"), ord("A"), ord("S"), ord("L"), ord("U")
_DOUBLE_EPS = 2.220446049250313e-16
_SINGLE_EPS = 1.1920928955078125e-07


def openblas_paths():
    """The OpenBLAS builds to try, in order: NUMLIR_OPENBLAS; the copy NumPy's own wheel
    ships (the scipy-openblas64 build, named alike), which the process has loaded already
    with NumPy: opening it again costs nothing, shares NumPy's threads and gives NumPy's
    rounding; then the scipy-openblas64 wheel numlir depends on, for a NumPy built without
    it (its first load takes about 100 ms)."""
    import glob
    import importlib.util
    import os
    paths = [os.environ["NUMLIR_OPENBLAS"]] if os.environ.get("NUMLIR_OPENBLAS") else []
    numpy_libs = os.path.join(os.path.dirname(os.path.dirname(np.__file__)), "numpy.libs")
    paths += sorted(glob.glob(os.path.join(numpy_libs, "libscipy_openblas64_*.so")))
    spec = importlib.util.find_spec("scipy_openblas64")
    for location in (spec.submodule_search_locations or []) if spec else []:
        paths += sorted(glob.glob(os.path.join(location, "lib", "libscipy_openblas64_*.so")))
    return paths


@register_jitable
def _checked(info):
    """LAPACK's info, after raising where no LAPACK could be loaded."""
    if info == NO_LAPACK:
        raise RuntimeError("np.linalg in compiled code needs OpenBLAS, which could not be loaded "
                           "(pip install scipy-openblas64, or set NUMLIR_OPENBLAS to its library)")
    return info


@register_jitable
def _empty_work(rows, cols, x, y):
    """An empty Fortran-ordered (rows, cols) matrix of the type LAPACK computes x and y in."""
    if is_complex(x) or is_complex(y):
        return np.empty((cols, rows), np.complex128).T
    return np.empty((cols, rows), np.float64).T


@register_jitable
def _work(a, x, y):
    """A Fortran-ordered copy of matrix a in the type LAPACK computes x and y in. The copy
    goes in 32x32 tiles: a C-ordered a is transposed, and walking a whole column of it
    misses the cache on every element (3x slower than potrf itself at 500x500)."""
    m, n = a.shape
    f = _empty_work(m, n, x, y)
    for j0 in range(0, n, 32):
        for i0 in range(0, m, 32):
            for j in range(j0, min(j0 + 32, n)):
                for i in range(i0, min(i0 + 32, m)):
                    f[i, j] = a[i, j]
    return f


@register_jitable
def _like(r, x, y):
    """Result r in single precision where x and y both are (NumPy's result type)."""
    if is_single(x) and is_single(y):
        if is_complex(r):
            return r.astype(np.complex64)
        return r.astype(np.float32)
    return r


@register_jitable
def _scalar_like(r, x):
    """A scalar result r in single precision where x is."""
    if is_single(x):
        if is_complex(r):
            return np.complex64(r)
        return np.float32(r)
    return r


@register_jitable
def _not_a_matrix(a):
    """NumPy's error for an array that is not 2-d: each public function returns this where
    `a.ndim != 2` (known when compiling, so the rest is never typed)."""
    if a.ndim < 2:
        return linalg_error(f"{a.ndim}-dimensional array given. Array must be at least two-dimensional")
    return not_implemented("numlir's np.linalg takes 2-d arrays; stacks of matrices are not supported yet")


@register_jitable
def _square(a):
    if a.shape[0] != a.shape[1]:
        raise LinAlgError("Last 2 dimensions of the array must be square")


@register_jitable
def _lu(a):
    """a's LU factors (column-major, in the work type) and pivots, and whether a is singular."""
    n = a.shape[0]
    f = _work(a, a, a)
    ipiv = np.empty(max(1, n), np.int64)
    info = _checked(getrf(n, n, f, max(1, n), ipiv))
    return f, ipiv, info > 0


@register_jitable
def _inverse(a):
    """a's inverse in the work type, and whether a was invertible."""
    f, ipiv, singular = _lu(a)
    n = a.shape[0]
    if n > 0 and not singular:
        singular = _checked(getri(n, f, max(1, n), ipiv)) > 0
    return f, not singular


@register_jitable
def inv(a):
    if a.ndim != 2:
        return _not_a_matrix(a)
    _square(a)
    f, invertible = _inverse(a)
    if not invertible:
        raise LinAlgError("Singular matrix")
    return _like(f, a, a)


@register_jitable
def solve(a, b):
    if a.ndim != 2:
        return _not_a_matrix(a)
    _square(a)
    n = a.shape[0]
    if b.ndim == 1:
        columns = b[:, None]
    else:
        columns = b
    if columns.shape[0] != n:
        raise ValueError("solve: the first axis of b must be as long as a's side")
    f = _work(a, a, b)
    x = _work(columns, a, b)
    nrhs = columns.shape[1]
    ipiv = np.empty(max(1, n), np.int64)
    if n > 0 and nrhs > 0:
        if _checked(gesv(n, nrhs, f, max(1, n), ipiv, x, max(1, n))) > 0:
            raise LinAlgError("Singular matrix")
    if b.ndim == 1:
        return _like(x[:, 0], a, b)
    return _like(x, a, b)


@register_jitable
def _slogdet(a):
    """(sign, log|det|) in the work type: sign 0 and -inf for a singular matrix."""
    f, ipiv, singular = _lu(a)
    sign = np.ones(1, f.dtype)[0]
    logdet = 0.0
    if singular:
        return sign * 0, -np.inf
    for i in range(a.shape[0]):
        u = f[i, i]
        size = abs(u)
        if is_complex(u):
            sign = sign * (u / size)
        elif u < 0:
            sign = -sign
        if ipiv[i] != i + 1:
            sign = -sign
        logdet += math.log(size)
    return sign, logdet


@register_jitable
def slogdet(a):
    if a.ndim != 2:
        return _not_a_matrix(a)
    _square(a)
    sign, logdet = _slogdet(a)
    return SlogdetResult(_scalar_like(sign, a), _scalar_like(logdet, a))


@register_jitable
def det(a):
    if a.ndim != 2:
        return _not_a_matrix(a)
    _square(a)
    f, ipiv, singular = _lu(a)
    d = np.ones(1, f.dtype)[0]
    if singular:
        return _scalar_like(d * 0, a)
    for i in range(a.shape[0]):
        d = d * f[i, i]
        if ipiv[i] != i + 1:
            d = -d
    return _scalar_like(d, a)


@register_jitable
def cholesky(a, upper=False):
    if a.ndim != 2:
        return _not_a_matrix(a)
    _square(a)
    n = a.shape[0]
    f = _work(a, a, a)
    uplo = _UPPER if upper else _LOWER
    if n > 0 and _checked(potrf(uplo, n, f, max(1, n))) > 0:
        raise LinAlgError("Matrix is not positive definite")
    # LAPACK leaves the other triangle as it was: NumPy's result has zeros there.
    for j in range(n):
        if upper:
            f[j + 1:, j] = 0
        else:
            f[:j, j] = 0
    return _like(f, a, a)


@register_jitable
def _eig(a, vectors):
    """Eigenvalues and (with `vectors`) right eigenvectors of a general matrix."""
    _square(a)
    n = a.shape[0]
    f = _work(a, a, a)
    job = _JOB_V if vectors else _JOB_N
    ld = max(1, n) if vectors else 1
    v = _empty_work(n if vectors else 1, n if vectors else 1, a, a)
    if is_complex(a):
        w = np.empty(n, np.complex128)
        info = geev(job, n, f, max(1, n), w, w, v, ld) if n > 0 else 0
    else:
        w = np.empty(n, np.float64)
        imaginary = np.zeros(n, np.float64)
        info = geev(job, n, f, max(1, n), w, imaginary, v, ld) if n > 0 else 0
        for i in range(n):
            if imaginary[i] != 0:
                raise ValueError("eig() argument must not cause a domain change: numlir's eig of a real "
                                 "matrix has real eigenvalues only (pass a complex matrix)")
    if _checked(info) > 0:
        raise LinAlgError("Eigenvalues did not converge")
    return _like(w, a, a), _like(v, a, a)


@register_jitable
def eig(a):
    if a.ndim != 2:
        return _not_a_matrix(a)
    w, v = _eig(a, True)
    return EigResult(w, v)


@register_jitable
def eigvals(a):
    if a.ndim != 2:
        return _not_a_matrix(a)
    return _eig(a, False)[0]


@register_jitable
def _eigh(a, UPLO, vectors):
    _square(a)
    if UPLO != "L" and UPLO != "U":
        raise ValueError("UPLO argument must be 'L' or 'U'")
    n = a.shape[0]
    f = _work(a, a, a)
    w = np.empty(n, np.float64)
    uplo = _LOWER if UPLO == "L" else _UPPER
    if n > 0 and _checked(syevd(_JOB_V if vectors else _JOB_N, uplo, n, f, max(1, n), w)) > 0:
        raise LinAlgError("Eigenvalues did not converge")
    return _like(w, a, a), _like(f, a, a)


@register_jitable
def eigh(a, UPLO="L"):
    if a.ndim != 2:
        return _not_a_matrix(a)
    w, v = _eigh(a, UPLO, True)
    return EighResult(w, v)


@register_jitable
def eigvalsh(a, UPLO="L"):
    if a.ndim != 2:
        return _not_a_matrix(a)
    return _eigh(a, UPLO, False)[0]


@register_jitable
def _svd(a, full_matrices, vectors):
    """(u, s, vh) in the work type (u and vh 1x1 without `vectors`)."""
    m, n = a.shape
    k = min(m, n)
    f = _work(a, a, a)
    s = np.empty(k, np.float64)
    u_cols = m if full_matrices else k
    vt_rows = n if full_matrices else k
    if not vectors:
        u = _empty_work(1, 1, a, a)
        vt = _empty_work(1, 1, a, a)
        job = _JOB_N
    else:
        u = _empty_work(m, u_cols, a, a)
        vt = _empty_work(vt_rows, n, a, a)
        job = _JOB_A if full_matrices else _JOB_S
    if k == 0:
        # LAPACK takes no empty matrix: the vectors of an empty one are the identity's.
        if vectors:
            u[:, :] = 0
            vt[:, :] = 0
            for i in range(min(m, u_cols)):
                u[i, i] = 1
            for i in range(min(n, vt_rows)):
                vt[i, i] = 1
        return u, s, vt
    info = gesdd(job, m, n, f, max(1, m), s, u, max(1, u.shape[0]), vt, max(1, vt.shape[0]))
    if _checked(info) > 0:
        raise LinAlgError("SVD did not converge")
    return u, s, vt


@register_jitable
def _singular_values(a, full_matrices=True, compute_uv=False, hermitian=False):
    if a.ndim != 2:
        return _not_a_matrix(a)
    return _like(_svd(a, full_matrices, False)[1], a, a)


def _choose_svd(compute_uv=True):
    return svd if compute_uv else _singular_values


@literal_choice("compute_uv")(_choose_svd)
@register_jitable
def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    if a.ndim != 2:
        return _not_a_matrix(a)
    u, s, vt = _svd(a, full_matrices, True)
    return SVDResult(_like(u, a, a), _like(s, a, a), _like(vt, a, a))


@register_jitable
def _qr(a, complete):
    """(q, r) in the work type: q is (m, m) where `complete`, else (m, k)."""
    m, n = a.shape
    k = min(m, n)
    f = _work(a, a, a)
    tau = _empty_work(max(1, k), 1, a, a)
    if k > 0 and _checked(geqrf(m, n, f, max(1, m), tau)) > 0:
        raise LinAlgError("QR factorization failed")
    q_cols = m if complete else k
    r = _empty_work(q_cols, n, a, a)
    for j in range(n):
        for i in range(q_cols):
            r[i, j] = f[i, j] if i <= j else 0
    q = _empty_work(m, q_cols, a, a)
    q[:, :] = 0
    for j in range(min(n, q_cols)):
        for i in range(m):
            q[i, j] = f[i, j]
    if m > 0 and q_cols > 0:
        _checked(orgqr(m, q_cols, k, q, max(1, m), tau))
    return q, r


@register_jitable
def _qr_r(a, mode="r"):
    if a.ndim != 2:
        return _not_a_matrix(a)
    return _like(_qr(a, False)[1], a, a)


@register_jitable
def _qr_complete(a, mode="complete"):
    if a.ndim != 2:
        return _not_a_matrix(a)
    q, r = _qr(a, True)
    return QRResult(_like(q, a, a), _like(r, a, a))


def _choose_qr(mode="reduced"):
    # The chosen function is called without mode: each has its mode as the default.
    if mode == "r":
        return _qr_r
    if mode == "complete":
        return _qr_complete
    if mode == "reduced":
        return qr
    raise NotImplementedError(f"numlir's np.linalg.qr takes mode 'reduced', 'complete' or 'r', not {mode!r}")


@literal_choice("mode")(_choose_qr)
@register_jitable
def qr(a, mode="reduced"):
    if a.ndim != 2:
        return _not_a_matrix(a)
    q, r = _qr(a, mode == "complete")
    return QRResult(_like(q, a, a), _like(r, a, a))


@register_jitable
def lstsq(a, b, rcond=None):
    if a.ndim != 2:
        return _not_a_matrix(a)
    if b.ndim == 1:
        columns = b[:, None]
    else:
        columns = b
    m, n = a.shape
    if columns.shape[0] != m:
        raise LinAlgError("Incompatible dimensions")
    nrhs = columns.shape[1]
    k = min(m, n)
    ldb = max(1, m, n)
    f = _work(a, a, b)
    x = _empty_work(ldb, max(1, nrhs), a, b)
    x[:, :] = 0
    for j in range(nrhs):
        for i in range(m):
            x[i, j] = columns[i, j]
    s = np.empty(max(1, k), np.float64)
    rank = np.zeros(1, np.int64)
    cutoff = _DOUBLE_EPS * max(m, n) if rcond is None else rcond
    if k > 0:
        if _checked(gelsd(m, n, max(1, nrhs), f, max(1, m), x, ldb, s, cutoff, rank)) > 0:
            raise LinAlgError("SVD did not converge in Linear Least Squares")
    solution = x[:n, :nrhs]
    if m == 0:
        solution[:, :] = 0
    # The residuals' sums of squares, where the solution is exact in rank and overdetermined.
    if rank[0] == n and m > n:
        residuals = np.zeros(nrhs, np.float64)
        for j in range(nrhs):
            for i in range(n, m):
                residuals[j] += abs(x[i, j]) ** 2
    else:
        residuals = np.zeros(0, np.float64)
    if b.ndim == 1:
        result = solution[:, 0]
    else:
        result = solution
    return _like(result, a, b), _like(residuals, a, b), rank[0], _like(s[:k], a, b)


@register_jitable
def _empty_result(rows, cols, a):
    """An empty (rows, cols) array of the type np.linalg returns for a: float64 or complex128,
    single precision where a is."""
    if is_complex(a):
        if is_single(a):
            return np.empty((rows, cols), np.complex64)
        return np.empty((rows, cols), np.complex128)
    if is_single(a):
        return np.empty((rows, cols), np.float32)
    return np.empty((rows, cols), np.float64)


@register_jitable
def pinv(a, rcond=None, hermitian=False):
    if a.ndim != 2:
        return _not_a_matrix(a)
    m, n = a.shape
    if m == 0 or n == 0:
        # NumPy's is of a's own dtype (an integer one too): numlir's has one type for every size.
        return _empty_result(n, m, a)
    cut = 1e-15 if rcond is None else rcond
    u, s, vt = svd(np.conjugate(a), full_matrices=False)
    cutoff = cut * s.max()
    for i in range(s.shape[0]):
        s[i] = 1 / s[i] if s[i] > cutoff else 0
    return vt.T @ (s[:, None] * u.T)


@register_jitable
def _sum_squares(x):
    """The sum of |x|**2, in x's real type."""
    if is_complex(x):
        re = np.real(x)
        im = np.imag(x)
        return np.sum(re * re) + np.sum(im * im)
    return np.sum(x * x)


@register_jitable
def _vector_norm(x, ord):
    """The ord-norm of a 1-d array (NumPy's orders: None, inf, -inf, 0, 1, 2 and any p)."""
    if ord is None:
        return np.sqrt(_sum_squares(x))
    if not (is_integer(ord) or is_float(ord)):
        return value_error("Invalid norm order for vectors")
    if ord == np.inf:
        if x.shape[0] == 0:
            return _scalar_like(0.0, x)
        return np.abs(x).max()
    if ord == -np.inf:
        return np.abs(x).min()
    if ord == 0:
        count = 0.0
        for i in range(x.shape[0]):
            if x[i] != 0:
                count += 1
        return _scalar_like(count, x)
    if ord == 1:
        return np.sum(np.abs(x))
    if ord == 2:
        return np.sqrt(_sum_squares(x))
    # np.power: an empty sum to a negative power is inf, as in NumPy (not ZeroDivisionError);
    # the order is a float64 argument, so the result is rounded back to x's precision.
    return _scalar_like(np.power(np.sum(np.abs(x) ** ord), 1.0 / ord), x)


@register_jitable
def _singular_value_norm(x, how):
    """The largest (how 1), smallest (-1) or sum (0) of x's singular values, in x's real type."""
    s = _like(_svd(x, False, False)[1], x, x)
    if how == 0:
        return s.sum()
    if how > 0:
        if s.shape[0] == 0:
            return _scalar_like(0.0, x)
        return s.max()
    return s.min()


@register_jitable
def _largest(sums, x):
    """sums.max(initial=0): the largest of the non-negative sums, 0 where there are none."""
    if sums.shape[0] == 0:
        return _scalar_like(0.0, x)
    return sums.max()


@register_jitable
def _matrix_norm(x, ord):
    """The ord-norm of a 2-d array (None/'fro'/'f', 'nuc', inf, -inf, 1, -1, 2, -2)."""
    if ord is None:
        return np.sqrt(_sum_squares(x))
    if is_integer(ord) or is_float(ord):
        if ord == 2:
            return _singular_value_norm(x, 1)
        if ord == -2:
            return _singular_value_norm(x, -1)
        if ord == 1:
            return _largest(np.sum(np.abs(x), axis=0), x)
        if ord == -1:
            return np.sum(np.abs(x), axis=0).min()
        if ord == np.inf:
            return _largest(np.sum(np.abs(x), axis=1), x)
        if ord == -np.inf:
            return np.sum(np.abs(x), axis=1).min()
        raise ValueError("Invalid norm order for matrices.")
    if ord == "fro" or ord == "f":
        return np.sqrt(_sum_squares(x))
    if ord == "nuc":
        return _singular_value_norm(x, 0)
    raise ValueError("Invalid norm order for matrices.")


# norm along one axis: reductions take a constant axis, so each literal axis (and keepdims)
# gets a function of its own (``_norm_along``, chosen by ``literal_choice``).
_NORM_ALONG = """
def norm_along(x, ord=None):
    if x.ndim <= {axis} or x.ndim < {minus_axis}:
        return axis_error({axis}, x.ndim)
    if is_integer(x):
        result = vector_norms(x.astype(np.float64), ord)
    else:
        result = vector_norms(x, ord)
    return {result}

def vector_norms(x, ord):
    if ord is None:
        return np.sqrt(sums_of_squares(x))
    if not (is_integer(ord) or is_float(ord)):
        return value_error("Invalid norm order '" + ord + "' for vectors")
    if ord == 2:
        return np.sqrt(sums_of_squares(x))
    magnitude = np.abs(x)
    if ord == np.inf:
        return np.max(magnitude, axis={axis})
    if ord == -np.inf:
        return np.min(magnitude, axis={axis})
    if ord == 0:
        return np.sum((x != 0) + np.zeros_like(magnitude), axis={axis})
    if ord == 1:
        return np.sum(magnitude, axis={axis})
    # (the order is a float64 argument: the result is rounded back to x's precision)
    powered = np.power(np.sum(magnitude ** ord, axis={axis}), 1.0 / ord)
    if x.ndim == 1:
        return scalar_like(powered, x)
    return like(powered, x, x)

def sums_of_squares(x):
    if is_complex(x):
        re = np.real(x)
        im = np.imag(x)
        return np.sum(re * re + im * im, axis={axis})
    return np.sum(x * x, axis={axis})
"""


@functools.lru_cache(maxsize=None)
def _norm_along(axis, keepdims):
    """np.linalg.norm(x, ord, axis, keepdims) for the int `axis`: vector norms along it."""
    namespace = {"np": np, "is_integer": is_integer, "is_float": is_float, "is_complex": is_complex,
                 "value_error": value_error, "axis_error": _axis_error, "like": _like, "scalar_like": _scalar_like}
    # (A 1-d array's norm is a number: kept, an array of one.)
    result = f"np.full((1,), result) if x.ndim == 1 else np.expand_dims(result, {axis})" if keepdims else "result"
    source = _NORM_ALONG.format(axis=axis, minus_axis=-axis, result=result)
    exec(compile(source, f"<np.linalg.norm axis={axis} keepdims={keepdims}>", "exec"), namespace)
    for name in ("sums_of_squares", "vector_norms", "norm_along"):
        namespace[name] = register_jitable(namespace[name])
    return namespace["norm_along"]


@register_jitable
def _axis_error(axis, ndim):
    if ndim >= 0:
        raise AxisError("axis " + str(axis) + " is out of bounds for array of dimension " + str(ndim))
    return None


@register_jitable
def _float_norm(x, ord):
    """norm of a float or complex array over all its axes."""
    if ord is None:
        return np.sqrt(_sum_squares(x.ravel()))
    if x.ndim == 1:
        return _vector_norm(x, ord)
    if x.ndim == 2:
        return _matrix_norm(x, ord)
    return value_error("Improper number of dimensions to norm.")


@register_jitable
def _norm_whole(x, ord=None):
    if is_integer(x):
        return _float_norm(x.astype(np.float64), ord)
    return _float_norm(x, ord)


@register_jitable
def _norm_whole_kept(x, ord=None):
    """keepdims=True: the norm in an array of x's rank, each axis of length 1."""
    result = _norm_whole(x, ord)
    if x.ndim == 1:
        return np.full((1,), result)
    if x.ndim == 2:
        return np.full((1, 1), result)
    return np.full((1, 1, 1), result)


@register_jitable
def _norm_of_pair(x, ord, rows, columns):
    """The matrix norm over axes (rows, columns) of a 2-d array."""
    if x.ndim != 2:
        return not_implemented("numlir's np.linalg.norm takes a pair of axes of a 2-d array only")
    for axis in (rows, columns):
        if axis >= 2 or axis < -2:
            raise AxisError("axis " + str(axis) + " is out of bounds for array of dimension 2")
    if rows % 2 == columns % 2:
        raise ValueError("Duplicate axes given.")
    return _norm_whole(x if rows % 2 == 0 else x.T, ord)


@functools.lru_cache(maxsize=None)
def _norm_over_pair(rows, columns, keepdims):
    """np.linalg.norm(x, ord, (rows, columns), keepdims): a function of its own per pair, as
    for one axis (compiled functions are told apart by their code, not by closed-over values)."""
    result = "np.full((1, 1), result)" if keepdims else "result"
    source = (f"def norm_over_pair(x, ord=None):\n"
              f"    result = norm_of_pair(x, ord, {rows}, {columns})\n"
              f"    return {result}\n")
    namespace = {"np": np, "norm_of_pair": _norm_of_pair}
    exec(compile(source, f"<np.linalg.norm axis=({rows}, {columns}) keepdims={keepdims}>", "exec"), namespace)
    return register_jitable(namespace["norm_over_pair"])


@register_jitable
def _improper_axes(x, ord=None):
    return value_error("Improper number of dimensions to norm.")


def _choose_norm(axis=None, keepdims=False):
    """The norm for literal axis= and keepdims= (they decide the result's rank)."""
    from ..errors import TypingError
    if isinstance(axis, tuple) and len(axis) == 1:
        axis = axis[0]
    if axis is None:
        return _norm_whole_kept if keepdims else _norm_whole
    if isinstance(axis, int) and not isinstance(axis, bool):
        return _norm_along(axis, bool(keepdims))
    if isinstance(axis, tuple) and all(isinstance(a, int) for a in axis):
        return _norm_over_pair(*axis, bool(keepdims)) if len(axis) == 2 else _improper_axes
    raise TypingError("np.linalg.norm's axis= must be None, an int or a tuple of ints")


@literal_choice("axis", "keepdims")(_choose_norm)
@register_jitable
def norm(x, ord=None, axis=None, keepdims=False):
    return _norm_whole(x, ord)


@register_jitable
def matrix_power(a, n):
    if a.ndim != 2:
        return _not_a_matrix(a)
    _square(a)
    m = a.shape[0]
    base = np.empty((m, m), a.dtype)
    if n < 0:
        if is_integer(a):
            raise TypeError("matrix_power of an integer matrix to a negative power is not supported "
                            "in numlir (its result would be float): pass a float matrix")
        inverse, invertible = _inverse(a)
        if not invertible:
            raise LinAlgError("Singular matrix")
        base[:, :] = inverse
    else:
        base[:, :] = a
    result = np.zeros((m, m), a.dtype)
    for i in range(m):
        result[i, i] = 1
    k = -n if n < 0 else n
    first = True
    while k > 0:
        if k & 1:
            if first:
                result[:, :] = base
                first = False
            else:
                result = result @ base
        k >>= 1
        if k > 0:
            base = base @ base
    return result


@register_jitable
def matrix_rank(A, tol=None, hermitian=False, rtol=None):
    if A.ndim < 2:
        return 0 if np.all(A == 0) else 1
    s = svd(A, compute_uv=False)
    if s.shape[0] == 0:
        return 0
    if tol is None:
        eps = _SINGLE_EPS if is_single(A) else _DOUBLE_EPS
        r = max(A.shape[0], A.shape[1]) * eps if rtol is None else rtol
        threshold = s.max() * r
    else:
        threshold = tol
    return int(np.sum(s > threshold))


@register_jitable
def cond(x, p=None):
    if x.ndim != 2:
        return _not_a_matrix(x)
    if x.size == 0:
        raise LinAlgError("cond is not defined on empty arrays")
    # Everything below sees x's copy in the work type: one instance of svd and norm serves
    # every dtype and layout; the result is rounded to x's precision at the end.
    f = _work(x, x, x)
    if p is None or ((is_integer(p) or is_float(p)) and (p == 2 or p == -2)):
        s = _svd(f, False, False)[1]
        if p is not None and p == -2:
            small, large = s[0], s[s.shape[0] - 1]
        else:
            small, large = s[s.shape[0] - 1], s[0]
        if small == 0:
            return _scalar_like(np.inf, x)
        return _scalar_like(large / small, x)
    _square(x)
    inverse, invertible = _inverse(f)
    if not invertible:
        return _scalar_like(np.inf, x)
    return _scalar_like(norm(f, p) * norm(inverse, p), x)


IMPLEMENTS = {
    "linalg.inv": inv,
    "linalg.solve": solve,
    "linalg.det": det,
    "linalg.slogdet": slogdet,
    "linalg.cholesky": cholesky,
    "linalg.eig": eig,
    "linalg.eigvals": eigvals,
    "linalg.eigh": eigh,
    "linalg.eigvalsh": eigvalsh,
    "linalg.svd": svd,
    "linalg.qr": qr,
    "linalg.lstsq": lstsq,
    "linalg.pinv": pinv,
    "linalg.norm": norm,
    "linalg.matrix_power": matrix_power,
    "linalg.matrix_rank": matrix_rank,
    "linalg.cond": cond,
}
