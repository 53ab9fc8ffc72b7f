//! What compiled code needs at run time: the table that turns a nonzero status into the
//! Python exception it stands for, numeric helpers it calls, the boxing of arrays and
//! namedtuples, and `print`.
pub mod errors;
pub mod math;
pub mod arrays;
pub mod buffers;
pub mod namedtuples;
pub mod print;
pub mod lists;
pub mod dicts;
pub mod containers;
pub mod strings;
pub mod format;
pub mod generators;
pub mod linalg;
pub mod random;
pub mod bitgen;
pub mod threads;
pub mod openmp;
pub mod cuda_sim;

/// The path of this extension module (the installed package's `_core` library), as the
/// dynamic loader knows it.
pub fn extension_path() -> Option<String> {
    // SAFETY: dladdr on the address of one of our own functions; the returned file name is a
    // NUL-terminated string owned by the dynamic loader.
    unsafe {
        let mut info: libc::Dl_info = std::mem::zeroed();
        if libc::dladdr(extension_path as *const libc::c_void, &mut info) == 0 || info.dli_fname.is_null() {
            return None;
        }
        Some(std::ffi::CStr::from_ptr(info.dli_fname).to_string_lossy().into_owned())
    }
}
