//! LLVM's OpenMP runtime (libomp), which prange loops call (`__kmpc_fork_call` and the
//! worksharing and reduction entries convert-scf-to-openmp's code uses): loaded once, with
//! its symbols global, so that the JIT's lookup in the process finds them. Looked for as
//! `NUMLIR_LIBOMP`, beside the extension module (the copy `make` puts in the package), in
//! LLVM 22's folder (Debian's `libomp-22-dev`), then by the loader's own search.
use std::sync::OnceLock;

/// The loaded runtime, or why none could be.
fn runtime() -> &'static Result<libloading::os::unix::Library, String> {
    static RUNTIME: OnceLock<Result<libloading::os::unix::Library, String>> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        // The pool size: NUMLIR_NUM_THREADS, which OpenMP reads as OMP_NUM_THREADS when it
        // starts (its default is the cores, as numlir's).
        if std::env::var_os("OMP_NUM_THREADS").is_none() {
            std::env::set_var("OMP_NUM_THREADS", super::threads::pool_size().to_string());
        }
        let mut candidates: Vec<String> = Vec::new();
        if let Ok(path) = std::env::var("NUMLIR_LIBOMP") {
            candidates.push(path);
        }
        if let Some(dir) = super::extension_path().as_deref().and_then(|path| std::path::Path::new(path).parent()) {
            candidates.push(format!("{}/libomp.so.5", dir.display()));
        }
        candidates.push("/usr/lib/llvm-22/lib/libomp.so.5".into());
        candidates.push("libomp.so.5".into());
        let mut errors = Vec::new();
        for path in &candidates {
            // SAFETY: loading LLVM's OpenMP runtime runs its initializers, which are sound.
            match unsafe {
                libloading::os::unix::Library::open(Some(path), libloading::os::unix::RTLD_NOW | libloading::os::unix::RTLD_GLOBAL)
            } {
                Ok(library) => return Ok(library),
                Err(e) => errors.push(format!("{path}: {e}")),
            }
        }
        Err(format!(
            "parallel=True needs LLVM's OpenMP runtime (libomp.so.5; on Debian/Ubuntu `apt install libomp-22-dev`, \
             or set NUMLIR_LIBOMP to its path): {}",
            errors.join("; ")
        ))
    })
}

/// Loads the runtime (once); an error says how to get it.
pub fn ensure_loaded() -> Result<(), String> {
    runtime().as_ref().map(|_| ()).map_err(Clone::clone)
}

/// OpenMP's `omp_set_num_threads` for the calling thread, where the runtime loads.
pub fn set_num_threads(n: usize) {
    if let Ok(library) = runtime() {
        // SAFETY: omp_set_num_threads(int) as libomp exports it.
        unsafe {
            if let Ok(f) = library.get::<unsafe extern "C" fn(i32)>(b"omp_set_num_threads\0") {
                f(n as i32);
            }
        }
    }
}

/// Loads the runtime where the object file calls it; an error says how to get it.
pub fn load_for(object: &[u8]) -> Result<(), String> {
    if memchr::memmem::find(object, b"__kmpc_").is_some() || memchr::memmem::find(object, b"omp_get_").is_some() {
        return ensure_loaded();
    }
    Ok(())
}
