//! BLAS and LAPACK for compiled code: matrix products above a size (numlir-lower-matmul
//! calls `numlir_blas_gemm`/`numlir_blas_gemv`) and np.linalg (python/numlir/_numpy/linalg.py
//! calls `numlir_lapack_*` through its `lapack` builtins).
//!
//! The routines come from OpenBLAS as the `scipy-openblas64` wheel builds it (64-bit
//! integers, every symbol named `scipy_<name>64_`), loaded at run time: the wheel numlir
//! depends on, or else the copy NumPy's own wheel ships (python/numlir/_numpy/linalg.py
//! finds them). numlir runs without it: a matrix product then takes numlir's own loops, and
//! np.linalg raises. LAPACK is called through LAPACKE, which sizes the work arrays itself;
//! matrices are column-major (Fortran order), as LAPACK's own.
//!
//! OpenBLAS's thread count follows `numlir.set_num_threads` (the calling thread's count,
//! set before a call where it changed). OpenBLAS has one count for the process, so the
//! last caller's count holds, for NumPy's products too where NumPy's copy is the one loaded.
use libloading::Library;
use std::{
    ffi::c_void,
    sync::{
        atomic::{AtomicUsize, Ordering},
        OnceLock,
    },
};

/// The element kinds, as compiled code numbers them: float32, float64, complex64, complex128.
const KINDS: [char; 4] = ['s', 'd', 'c', 'z'];
/// What a `numlir_lapack_*` call returns where no LAPACK was loaded (LAPACK's `info` is
/// never this).
pub const NO_LAPACK: i64 = i64::MIN;
const ROW_MAJOR: i32 = 101;
const COL_MAJOR: i32 = 102;
const NO_TRANS: i32 = 111;
const TRANS: i32 = 112;

/// One routine's address for each element kind.
type Routine = [usize; 4];

/// The loaded library and the routines numlir calls.
struct OpenBlas {
    _library: Library,
    gemm: Routine,
    gemv: Routine,
    getrf: Routine,
    getri: Routine,
    gesv: Routine,
    potrf: Routine,
    geev: Routine,
    syevd: Routine,
    gesdd: Routine,
    geqrf: Routine,
    orgqr: Routine,
    gelsd: Routine,
    /// `openblas_set_num_threads(int)`.
    set_num_threads: extern "C" fn(i32),
}

static OPENBLAS: OnceLock<Result<OpenBlas, String>> = OnceLock::new();

impl OpenBlas {
    fn open(path: &str) -> Result<Self, String> {
        // SAFETY: loading OpenBLAS runs its initializers, which only set up its threads.
        let library = unsafe { Library::new(path) }.map_err(|e| format!("{path}: {e}"))?;
        // `name` with {} for the kind's letter; complex routines may be named apart
        // (syevd is heevd for complex matrices).
        let routine = |real: &str, complex: &str| -> Result<Routine, String> {
            let mut addresses = [0usize; 4];
            for (slot, kind) in addresses.iter_mut().zip(KINDS) {
                let name = if kind == 's' || kind == 'd' { real } else { complex }.replace("{}", &kind.to_string());
                let symbol = format!("scipy_{name}64_");
                // SAFETY: only the address is read; it is called with the routine's C signature.
                let address = unsafe { library.get::<*mut c_void>(symbol.as_bytes()) }
                    .map_err(|_| format!("{path} has no {symbol}"))?;
                *slot = *address as usize;
            }
            Ok(addresses)
        };
        Ok(Self {
            gemm: routine("cblas_{}gemm", "cblas_{}gemm")?,
            gemv: routine("cblas_{}gemv", "cblas_{}gemv")?,
            getrf: routine("LAPACKE_{}getrf", "LAPACKE_{}getrf")?,
            getri: routine("LAPACKE_{}getri", "LAPACKE_{}getri")?,
            gesv: routine("LAPACKE_{}gesv", "LAPACKE_{}gesv")?,
            potrf: routine("LAPACKE_{}potrf", "LAPACKE_{}potrf")?,
            geev: routine("LAPACKE_{}geev", "LAPACKE_{}geev")?,
            syevd: routine("LAPACKE_{}syevd", "LAPACKE_{}heevd")?,
            gesdd: routine("LAPACKE_{}gesdd", "LAPACKE_{}gesdd")?,
            geqrf: routine("LAPACKE_{}geqrf", "LAPACKE_{}geqrf")?,
            orgqr: routine("LAPACKE_{}orgqr", "LAPACKE_{}ungqr")?,
            gelsd: routine("LAPACKE_{}gelsd", "LAPACKE_{}gelsd")?,
            // SAFETY: OpenBLAS's `void openblas_set_num_threads(int)`.
            set_num_threads: unsafe {
                *library
                    .get::<extern "C" fn(i32)>(b"scipy_openblas_set_num_threads64_\0")
                    .map_err(|_| format!("{path} has no scipy_openblas_set_num_threads64_"))?
            },
            _library: library,
        })
    }
}

/// Loads OpenBLAS from the first of `paths` that has every routine (once per process; later
/// calls return the first outcome). Returns an error naming each path that failed.
pub fn load(paths: &[String]) -> Result<(), String> {
    let outcome = OPENBLAS.get_or_init(|| {
        let mut errors = Vec::new();
        for path in paths {
            match OpenBlas::open(path) {
                Ok(library) => return Ok(library),
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            errors.push("no OpenBLAS library was found (pip install scipy-openblas64)".into());
        }
        Err(errors.join("; "))
    });
    outcome.as_ref().map(|_| ()).map_err(Clone::clone)
}

/// Where to look for OpenBLAS: set once by the Python module (which asks
/// python/numlir/_numpy/linalg.py), read when code that calls BLAS or LAPACK is first linked.
static LOCATOR: OnceLock<fn() -> Vec<String>> = OnceLock::new();

pub fn set_locator(locator: fn() -> Vec<String>) {
    let _ = LOCATOR.set(locator);
}

/// Loads OpenBLAS if `object` (machine code about to be linked) calls it and no load was
/// tried yet. A failed load is not an error here: products take numlir's loops, and
/// np.linalg raises when called.
pub fn load_for(object: &[u8]) {
    if OPENBLAS.get().is_some() {
        return;
    }
    let calls = |name: &[u8]| memchr::memmem::find(object, name).is_some();
    if calls(b"numlir_blas_") || calls(b"numlir_lapack_") {
        let paths = LOCATOR.get().map(|locate| locate()).unwrap_or_default();
        let _ = load(&paths);
    }
}

/// The threads OpenBLAS was last told to use (0: not told yet).
static BLAS_THREADS: AtomicUsize = AtomicUsize::new(0);

/// The loaded library, told the calling thread's thread count where that changed.
fn library() -> Option<&'static OpenBlas> {
    let blas = OPENBLAS.get().and_then(|outcome| outcome.as_ref().ok())?;
    let threads = super::threads::num_threads();
    if BLAS_THREADS.swap(threads, Ordering::Relaxed) != threads {
        (blas.set_num_threads)(threads as i32);
    }
    Some(blas)
}

/// The thread count OpenBLAS was last given (for the tests).
pub fn blas_threads() -> usize {
    BLAS_THREADS.load(Ordering::Relaxed)
}

/// The address of element 0 of an array whose descriptor has this aligned pointer and offset.
fn element(aligned: i64, offset: i64, kind: i64) -> *mut c_void {
    let size = [4, 8, 8, 16][kind as usize];
    (aligned + offset * size) as *mut c_void
}

/// A matrix operand of a row-major product: whether it is stored transposed, and its
/// leading dimension; None where neither axis is contiguous (or a stride is negative).
/// An axis of length 1 may have any stride.
fn blas_operand(rows: i64, cols: i64, row_stride: i64, col_stride: i64) -> Option<(i32, i64)> {
    let col_stride = if cols == 1 { 1 } else { col_stride };
    let row_stride = if rows == 1 { cols.max(1) } else { row_stride };
    if col_stride == 1 && row_stride >= cols.max(1) {
        return Some((NO_TRANS, row_stride));
    }
    let row_stride = if rows == 1 { 1 } else { row_stride };
    let col_stride = if cols == 1 { rows.max(1) } else { col_stride };
    (row_stride == 1 && col_stride >= rows.max(1)).then_some((TRANS, col_stride))
}

/// The scalar `value` as the routine of `kind` takes alpha and beta: by value for real
/// kinds, through a pointer to (re, im) for complex ones. `storage` holds the complex one.
fn scalar(kind: i64, value: f64, storage: &mut [f64; 2], storage32: &mut [f32; 2]) -> (f64, f32, *const c_void) {
    *storage = [value, 0.0];
    *storage32 = [value as f32, 0.0];
    let pointer = if kind == 2 { storage32.as_ptr() as *const c_void } else { storage.as_ptr() as *const c_void };
    (value, value as f32, pointer)
}

/// C = alpha * A @ B + beta * C for an (m, k) A, a (k, n) B and an (m, n) C, each given as
/// its descriptor's aligned pointer, offset and two strides (in elements). Returns false
/// (and computes nothing) where no BLAS is loaded or an operand has no contiguous axis:
/// the caller's own loops run then.
#[allow(clippy::too_many_arguments)]
pub extern "C" fn numlir_blas_gemm(
    kind: i64, m: i64, n: i64, k: i64, alpha: f64, beta: f64,
    a: i64, a_offset: i64, a_row: i64, a_col: i64,
    b: i64, b_offset: i64, b_row: i64, b_col: i64,
    c: i64, c_offset: i64, c_row: i64, c_col: i64,
) -> bool {
    let Some(blas) = library() else { return false };
    // A column-major C is the row-major C^T = B^T @ A^T: swap the operands and transpose.
    let (m, n, (a, a_offset, a_row, a_col), (b, b_offset, b_row, b_col), c_ld) =
        match blas_operand(m, n, c_row, c_col) {
            Some((NO_TRANS, ld)) => (m, n, (a, a_offset, a_row, a_col), (b, b_offset, b_row, b_col), ld),
            Some((_, ld)) => (n, m, (b, b_offset, b_col, b_row), (a, a_offset, a_col, a_row), ld),
            None => return false,
        };
    let (Some((trans_a, lda)), Some((trans_b, ldb))) = (blas_operand(m, k, a_row, a_col), blas_operand(k, n, b_row, b_col)) else {
        return false;
    };
    let (pa, pb, pc) = (element(a, a_offset, kind), element(b, b_offset, kind), element(c, c_offset, kind));
    let (mut alpha64, mut alpha32, mut beta64, mut beta32) = ([0.0; 2], [0.0f32; 2], [0.0; 2], [0.0f32; 2]);
    let (alpha_d, alpha_s, alpha_p) = scalar(kind, alpha, &mut alpha64, &mut alpha32);
    let (beta_d, beta_s, beta_p) = scalar(kind, beta, &mut beta64, &mut beta32);
    let address = blas.gemm[kind as usize];
    // SAFETY: cblas_?gemm's signature for each kind; the pointers address the caller's arrays,
    // whose shapes and strides were checked above.
    unsafe {
        match kind {
            0 => std::mem::transmute::<usize, extern "C" fn(i32, i32, i32, i64, i64, i64, f32, *mut c_void, i64, *mut c_void, i64, f32, *mut c_void, i64)>(address)(
                ROW_MAJOR, trans_a, trans_b, m, n, k, alpha_s, pa, lda, pb, ldb, beta_s, pc, c_ld),
            1 => std::mem::transmute::<usize, extern "C" fn(i32, i32, i32, i64, i64, i64, f64, *mut c_void, i64, *mut c_void, i64, f64, *mut c_void, i64)>(address)(
                ROW_MAJOR, trans_a, trans_b, m, n, k, alpha_d, pa, lda, pb, ldb, beta_d, pc, c_ld),
            _ => std::mem::transmute::<usize, extern "C" fn(i32, i32, i32, i64, i64, i64, *const c_void, *mut c_void, i64, *mut c_void, i64, *const c_void, *mut c_void, i64)>(address)(
                ROW_MAJOR, trans_a, trans_b, m, n, k, alpha_p, pa, lda, pb, ldb, beta_p, pc, c_ld),
        }
    }
    true
}

/// y = alpha * A @ x + beta * y for an (m, n) A (transposed: y = alpha * A.T @ x + beta * y,
/// for x @ A), vectors given by aligned pointer, offset and stride. Returns false where no
/// BLAS is loaded or the layout does not fit BLAS (the caller's loops run then).
#[allow(clippy::too_many_arguments)]
pub extern "C" fn numlir_blas_gemv(
    kind: i64, transposed: bool, m: i64, n: i64, alpha: f64, beta: f64,
    a: i64, a_offset: i64, a_row: i64, a_col: i64,
    x: i64, x_offset: i64, x_stride: i64,
    y: i64, y_offset: i64, y_stride: i64,
) -> bool {
    let Some(blas) = library() else { return false };
    let (x_len, y_len) = if transposed { (m, n) } else { (n, m) };
    let x_stride = if x_len == 1 { 1 } else { x_stride };
    let y_stride = if y_len == 1 { 1 } else { y_stride };
    if x_stride <= 0 || y_stride <= 0 {
        return false;
    }
    let Some((trans_a, lda)) = blas_operand(m, n, a_row, a_col) else { return false };
    // A stored transposed is the row-major A^T: use column-major order instead.
    let (layout, trans) = match (trans_a == TRANS, transposed) {
        (false, false) => (ROW_MAJOR, NO_TRANS),
        (false, true) => (ROW_MAJOR, TRANS),
        (true, false) => (COL_MAJOR, NO_TRANS),
        (true, true) => (COL_MAJOR, TRANS),
    };
    let (pa, px, py) = (element(a, a_offset, kind), element(x, x_offset, kind), element(y, y_offset, kind));
    let (mut alpha64, mut alpha32, mut beta64, mut beta32) = ([0.0; 2], [0.0f32; 2], [0.0; 2], [0.0f32; 2]);
    let (alpha_d, alpha_s, alpha_p) = scalar(kind, alpha, &mut alpha64, &mut alpha32);
    let (beta_d, beta_s, beta_p) = scalar(kind, beta, &mut beta64, &mut beta32);
    let address = blas.gemv[kind as usize];
    // SAFETY: cblas_?gemv's signature for each kind; shapes and strides were checked above.
    unsafe {
        match kind {
            0 => std::mem::transmute::<usize, extern "C" fn(i32, i32, i64, i64, f32, *mut c_void, i64, *mut c_void, i64, f32, *mut c_void, i64)>(address)(
                layout, trans, m, n, alpha_s, pa, lda, px, x_stride, beta_s, py, y_stride),
            1 => std::mem::transmute::<usize, extern "C" fn(i32, i32, i64, i64, f64, *mut c_void, i64, *mut c_void, i64, f64, *mut c_void, i64)>(address)(
                layout, trans, m, n, alpha_d, pa, lda, px, x_stride, beta_d, py, y_stride),
            _ => std::mem::transmute::<usize, extern "C" fn(i32, i32, i64, i64, *const c_void, *mut c_void, i64, *mut c_void, i64, *const c_void, *mut c_void, i64)>(address)(
                layout, trans, m, n, alpha_p, pa, lda, px, x_stride, beta_p, py, y_stride),
        }
    }
    true
}

// LAPACK. Compiled code passes each array as the address of its element 0 (column-major
// matrices that python/numlir/_numpy/linalg.py made), sizes and leading dimensions as
// int64, job letters as their character codes. Each returns LAPACK's info, or NO_LAPACK.

type P = *mut c_void;

/// The routine's address for `kind`, or None where no LAPACK is loaded.
fn lapack(routine: impl Fn(&OpenBlas) -> &Routine, kind: i64) -> Option<usize> {
    library().map(|l| routine(l)[kind as usize])
}

macro_rules! lapack_call {
    ($routine:ident, $kind:expr, ($($ty:ty),*), ($($arg:expr),*)) => {
        match lapack(|l| &l.$routine, $kind) {
            // SAFETY: LAPACKE's signature of the routine (the same for every kind where
            // every array is a pointer); the arrays are the caller's, sized by linalg.py.
            Some(address) => unsafe {
                std::mem::transmute::<usize, extern "C" fn(i32, $($ty),*) -> i64>(address)(COL_MAJOR, $($arg),*)
            },
            None => NO_LAPACK,
        }
    };
}

/// LU factorization with partial pivoting of an (m, n) matrix, in place.
pub extern "C" fn numlir_lapack_getrf(kind: i64, m: i64, n: i64, a: P, lda: i64, ipiv: P) -> i64 {
    lapack_call!(getrf, kind, (i64, i64, P, i64, P), (m, n, a, lda, ipiv))
}

/// The inverse from getrf's factors, in place.
pub extern "C" fn numlir_lapack_getri(kind: i64, n: i64, a: P, lda: i64, ipiv: P) -> i64 {
    lapack_call!(getri, kind, (i64, P, i64, P), (n, a, lda, ipiv))
}

/// Solves A X = B for X (in B), factoring A in place.
pub extern "C" fn numlir_lapack_gesv(kind: i64, n: i64, nrhs: i64, a: P, lda: i64, ipiv: P, b: P, ldb: i64) -> i64 {
    lapack_call!(gesv, kind, (i64, i64, P, i64, P, P, i64), (n, nrhs, a, lda, ipiv, b, ldb))
}

/// Cholesky factor of a Hermitian positive-definite matrix, in its `uplo` triangle.
pub extern "C" fn numlir_lapack_potrf(kind: i64, uplo: i64, n: i64, a: P, lda: i64) -> i64 {
    lapack_call!(potrf, kind, (i8, i64, P, i64), (uplo as i8, n, a, lda))
}

/// Eigenvalues (and right eigenvectors with jobvr 'V') of a general matrix. Real kinds
/// give the eigenvalues' real parts in `wr` and imaginary parts in `wi`; complex kinds give
/// them in `wr` (`wi` unused).
#[allow(clippy::too_many_arguments)]
pub extern "C" fn numlir_lapack_geev(kind: i64, jobvr: i64, n: i64, a: P, lda: i64, wr: P, wi: P, vr: P, ldvr: i64) -> i64 {
    // No left eigenvectors: vl is never read, and its leading dimension must still be >= 1.
    let (jobvl, vl, ldvl) = (b'N' as i8, std::ptr::null_mut::<c_void>(), 1i64);
    if kind < 2 {
        lapack_call!(geev, kind, (i8, i8, i64, P, i64, P, P, P, i64, P, i64), (jobvl, jobvr as i8, n, a, lda, wr, wi, vl, ldvl, vr, ldvr))
    } else {
        lapack_call!(geev, kind, (i8, i8, i64, P, i64, P, P, i64, P, i64), (jobvl, jobvr as i8, n, a, lda, wr, vl, ldvl, vr, ldvr))
    }
}

/// Eigenvalues (ascending, real) and, with jobz 'V', eigenvectors (in `a`) of a
/// symmetric or Hermitian matrix, from its `uplo` triangle.
pub extern "C" fn numlir_lapack_syevd(kind: i64, jobz: i64, uplo: i64, n: i64, a: P, lda: i64, w: P) -> i64 {
    lapack_call!(syevd, kind, (i8, i8, i64, P, i64, P), (jobz as i8, uplo as i8, n, a, lda, w))
}

/// Singular values (descending, real) and, with jobz 'A' or 'S', singular vectors.
#[allow(clippy::too_many_arguments)]
pub extern "C" fn numlir_lapack_gesdd(kind: i64, jobz: i64, m: i64, n: i64, a: P, lda: i64, s: P, u: P, ldu: i64, vt: P, ldvt: i64) -> i64 {
    lapack_call!(gesdd, kind, (i8, i64, i64, P, i64, P, P, i64, P, i64), (jobz as i8, m, n, a, lda, s, u, ldu, vt, ldvt))
}

/// QR factorization: R in the upper triangle, the reflectors below it and in `tau`.
pub extern "C" fn numlir_lapack_geqrf(kind: i64, m: i64, n: i64, a: P, lda: i64, tau: P) -> i64 {
    lapack_call!(geqrf, kind, (i64, i64, P, i64, P), (m, n, a, lda, tau))
}

/// The first n columns of Q from geqrf's reflectors, in place (ungqr for complex kinds).
pub extern "C" fn numlir_lapack_orgqr(kind: i64, m: i64, n: i64, k: i64, a: P, lda: i64, tau: P) -> i64 {
    lapack_call!(orgqr, kind, (i64, i64, i64, P, i64, P), (m, n, k, a, lda, tau))
}

/// Least squares by SVD: X in B, the singular values in `s`, the effective rank in `rank`.
#[allow(clippy::too_many_arguments)]
pub extern "C" fn numlir_lapack_gelsd(kind: i64, m: i64, n: i64, nrhs: i64, a: P, lda: i64, b: P, ldb: i64, s: P, rcond: f64, rank: P) -> i64 {
    // rcond is the real type of the kind, by value.
    if kind == 0 || kind == 2 {
        lapack_call!(gelsd, kind, (i64, i64, i64, P, i64, P, i64, P, f32, P), (m, n, nrhs, a, lda, b, ldb, s, rcond as f32, rank))
    } else {
        lapack_call!(gelsd, kind, (i64, i64, i64, P, i64, P, i64, P, f64, P), (m, n, nrhs, a, lda, b, ldb, s, rcond, rank))
    }
}

/// (name, address) of every BLAS and LAPACK entry compiled code may call.
pub fn symbols() -> Vec<(&'static str, *mut ())> {
    vec![
        ("numlir_blas_gemm", numlir_blas_gemm as *mut ()),
        ("numlir_blas_gemv", numlir_blas_gemv as *mut ()),
        ("numlir_lapack_getrf", numlir_lapack_getrf as *mut ()),
        ("numlir_lapack_getri", numlir_lapack_getri as *mut ()),
        ("numlir_lapack_gesv", numlir_lapack_gesv as *mut ()),
        ("numlir_lapack_potrf", numlir_lapack_potrf as *mut ()),
        ("numlir_lapack_geev", numlir_lapack_geev as *mut ()),
        ("numlir_lapack_syevd", numlir_lapack_syevd as *mut ()),
        ("numlir_lapack_gesdd", numlir_lapack_gesdd as *mut ()),
        ("numlir_lapack_geqrf", numlir_lapack_geqrf as *mut ()),
        ("numlir_lapack_orgqr", numlir_lapack_orgqr as *mut ()),
        ("numlir_lapack_gelsd", numlir_lapack_gelsd as *mut ()),
    ]
}

#[cfg(test)]
mod tests {
    use super::{blas_operand, NO_TRANS, TRANS};

    #[test]
    fn operands_are_row_major_or_transposed() {
        // A C-ordered (3, 4) matrix, its transpose view, a row view, and a strided column pick.
        assert_eq!(blas_operand(3, 4, 4, 1), Some((NO_TRANS, 4)));
        assert_eq!(blas_operand(4, 3, 1, 4), Some((TRANS, 4)));
        assert_eq!(blas_operand(3, 2, 4, 1), Some((NO_TRANS, 4)));
        assert_eq!(blas_operand(3, 4, 8, 2), None);
        assert_eq!(blas_operand(3, 4, -4, 1), None);
        // One row: its row stride does not matter.
        assert_eq!(blas_operand(1, 4, 0, 1), Some((NO_TRANS, 4)));
    }
}
