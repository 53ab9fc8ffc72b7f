"""The LAPACK routines numlir's np.linalg calls, as compiled code sees them.

Each name here is a builtin of compiled code: ``lapack.getrf(m, n, a, lda, ipiv)`` calls the
runtime's ``numlir_lapack_getrf`` (src/runtime/linalg.rs), which calls OpenBLAS's LAPACKE
routine for the first array's dtype (``dgetrf`` for float64, ``zgetrf`` for complex128, ...)
on column-major matrices and returns LAPACK's ``info``, or ``NO_LAPACK`` where no OpenBLAS
could be loaded. Arrays pass as the address of their first element, so they must be
Fortran-ordered and sized as LAPACK documents; job letters pass as ``ord('V')``.
The functions below only document the arguments: they are never run by the interpreter.
"""
from .stubs import compiled_only


NO_LAPACK = -(2**63)

__all__ = ["getrf", "getri", "gesv", "potrf", "geev", "syevd", "gesdd", "geqrf", "orgqr", "gelsd"]


getrf = compiled_only("lapack", "getrf")  # (m, n, a, lda, ipiv): LU with partial pivoting, in place
getri = compiled_only("lapack", "getri")  # (n, a, lda, ipiv): the inverse from getrf's factors
gesv = compiled_only("lapack", "gesv")  # (n, nrhs, a, lda, ipiv, b, ldb): solves A X = B into b
potrf = compiled_only("lapack", "potrf")  # (uplo, n, a, lda): Cholesky factor in the uplo triangle
geev = compiled_only("lapack", "geev")  # (jobvr, n, a, lda, wr, wi, vr, ldvr): eigenvalues (real: wr + i wi)
syevd = compiled_only("lapack", "syevd")  # (jobz, uplo, n, a, lda, w): symmetric/Hermitian eigenproblem
gesdd = compiled_only("lapack", "gesdd")  # (jobz, m, n, a, lda, s, u, ldu, vt, ldvt): SVD
geqrf = compiled_only("lapack", "geqrf")  # (m, n, a, lda, tau): QR factorization
orgqr = compiled_only("lapack", "orgqr")  # (m, n, k, a, lda, tau): Q from geqrf's reflectors (ungqr for complex)
gelsd = compiled_only("lapack", "gelsd")  # (m, n, nrhs, a, lda, b, ldb, s, rcond, rank): least squares by SVD
