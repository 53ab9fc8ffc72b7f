//! Machine code linked into the process from an object file: one just compiled, or one from
//! the on-disk cache (then with no MLIR and no LLVM code generation). The C++ side links it
//! with ORC (dialects/lib/Target/LLVMIR/ObjectCode.cpp).
use crate::dialect::{append_to_string, ffi};
use std::{
    ffi::{c_void, CString},
    sync::OnceLock,
};

/// Code loaded into this process; unloaded on drop.
pub struct LoadedObject {
    raw: *mut ffi::NumlirObjectCode,
}

// SAFETY: the loaded code is immutable after linking; lookups and calls are reentrant.
unsafe impl Send for LoadedObject {}
unsafe impl Sync for LoadedObject {}

impl LoadedObject {
    /// Links `object`; `symbols` are the runtime functions it may call, by name.
    pub fn load(object: &[u8], symbols: &[(&str, *mut ())]) -> Result<Self, String> {
        let names: Vec<CString> = symbols.iter().map(|(n, _)| CString::new(*n).expect("symbol names have no NUL")).collect();
        let name_ptrs: Vec<*const std::ffi::c_char> = names.iter().map(|n| n.as_ptr()).collect();
        let addresses: Vec<*mut c_void> = symbols.iter().map(|(_, a)| *a as *mut c_void).collect();
        let mut error = String::new();
        // SAFETY: the buffers outlive the call (the object bytes are copied); errors are
        // appended to `error` by the callback while the call runs.
        let raw = unsafe {
            ffi::numlirLoadObject(
                object.as_ptr() as *const _,
                object.len(),
                name_ptrs.as_ptr(),
                addresses.as_ptr(),
                symbols.len(),
                Some(append_to_string),
                &mut error as *mut String as *mut c_void,
            )
        };
        if raw.is_null() {
            return Err(error);
        }
        Ok(Self { raw })
    }

    /// The address of `name` in the loaded code.
    pub fn lookup(&self, name: &str) -> Result<*mut (), String> {
        let name = CString::new(name).map_err(|e| e.to_string())?;
        let mut error = String::new();
        // SAFETY: `raw` is a live handle; the callback appends to `error` during the call.
        let address = unsafe {
            ffi::numlirObjectLookup(self.raw, name.as_ptr(), Some(append_to_string), &mut error as *mut String as *mut c_void)
        };
        if address.is_null() { Err(error) } else { Ok(address as *mut ()) }
    }
}

impl Drop for LoadedObject {
    fn drop(&mut self) {
        // SAFETY: created by numlirLoadObject and dropped once.
        unsafe { ffi::numlirObjectDestroy(self.raw) }
    }
}

/// The host as the JIT targets it (triple, CPU, features): code for one CPU is not reused
/// on another.
pub fn host_cpu() -> &'static str {
    static HOST: OnceLock<String> = OnceLock::new();
    HOST.get_or_init(|| {
        let mut text = String::new();
        // SAFETY: the callback appends to `text` during the call.
        unsafe { ffi::numlirHostCpu(Some(append_to_string), &mut text as *mut String as *mut c_void) };
        text
    })
}
