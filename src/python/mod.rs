//! The extension module's Python side: the dispatcher (`dispatcher`), which compiles on
//! the first call per argument types and calls machine code; the environment that shows the
//! frontend a Python function's code and globals (`environment`); reading arguments and
//! boxing results (`boxing`); and compiling a function from its Python object (`compile`).
pub mod boxing;
pub mod compile;
pub mod cuda;
pub mod dispatcher;
pub mod environment;
pub mod generator;
pub mod objmode;
pub mod typed;
pub mod ufunc;

pub use compile::{show_python_function, ShowOptions};
pub use dispatcher::Dispatcher;

use crate::diagnostics::CompileError;
use pyo3::prelude::*;
use std::ffi::CString;

/// Renders a CompileError as the numlir exception the Python layer defines.
pub fn to_py_err(py: Python<'_>, error: CompileError) -> PyErr {
    let make = || -> PyResult<PyErr> {
        let errors = py.import("numlir.errors")?;
        let span = error.span.as_ref();
        let exc = errors.getattr("_make")?.call1((
            error.kind.python_name(),
            &error.message,
            span.map(|s| s.file.clone()),
            span.map(|s| s.line),
            span.map(|s| s.col),
            span.map(|s| s.end_line),
            span.map(|s| s.end_col),
            error.hint.clone(),
        ))?;
        Ok(PyErr::from_value(exc))
    };
    make().unwrap_or_else(|e| e)
}

/// Issues a `numlir.errors.NumlirWarning`.
pub(crate) fn warn(py: Python<'_>, message: &str) -> PyResult<()> {
    let category = py.import("numlir.errors")?.getattr("NumlirWarning")?;
    let message = CString::new(message.replace('\0', " ")).expect("no NUL left");
    PyErr::warn(py, &category, &message, 2)
}

/// The OpenBLAS libraries to try, in order (python/numlir/_numpy/linalg.py knows where
/// the wheels put them); empty where Python cannot say.
pub fn openblas_paths() -> Vec<String> {
    Python::attach(|py| {
        py.import("numlir._numpy.linalg")
            .and_then(|m| m.getattr("openblas_paths")?.call0())
            .and_then(|paths| paths.extract::<Vec<String>>())
            .unwrap_or_default()
    })
}
