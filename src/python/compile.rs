//! Compiling a Python function: the frontend reads the Python objects with the GIL held,
//! then the passes and LLVM run without it. Shared by the dispatcher and numlir-opt.
use crate::{
    compiler::{lock_compiler, pipeline::Stage, CompileOptions, Compiler},
    diagnostics::CompileError,
    types::ArgType,
};
use super::{environment::with_request, to_py_err};
use melior::ir::Module;
use pyo3::prelude::*;
use std::time::Instant;

/// Builds the py module of `function` for `args` and hands it to `then` with the compiler.
/// The GIL is released while waiting for the compiler and while `then` runs (the passes
/// and LLVM), and held only for the frontend, which reads Python objects: other threads
/// keep calling compiled code during a compile. (Waiting for the compiler while holding
/// the GIL could deadlock with a thread that holds the compiler and wants the GIL.)
pub(crate) fn with_built_module<R: Send>(
    py: Python<'_>,
    function: &Py<PyAny>,
    args: &[ArgType],
    ret: Option<ArgType>,
    options: &CompileOptions,
    then: impl for<'c> Fn(&'c Compiler, Module<'c>, Instant) -> Result<R, CompileError> + Send + Sync,
) -> PyResult<R> {
    let result = py.detach(|| {
        let compiler = lock_compiler();
        let start = Instant::now();
        let build = |advanced_indexing| {
            Python::attach(|py| {
                with_request(py, function.bind(py), args, ret, options, advanced_indexing, |request| compiler.build(request))
            })
        };
        // A module whose inference meets an array index (`a[mask]`) is built again with
        // numlir's advanced indexing beside its subscripts; other modules never carry it.
        let result = match then(&compiler, build(false)?, start) {
            Err(e) if e.message.contains(ADVANCED_INDEXING_MARKER) => then(&compiler, build(true)?, start),
            result => result,
        };
        result
    });
    result.map_err(|e| to_py_err(py, e))
}

/// The start of py-infer-types' error for an array index in a module built without
/// numlir's advanced indexing (`kAdvancedIndexingMarker` in Inferencer.h).
const ADVANCED_INDEXING_MARKER: &str = "[advanced indexing]";

/// How to compile and show a function's IR.
pub struct ShowOptions {
    pub ret: Option<ArgType>,
    pub options: CompileOptions,
    /// Print every pass's IR to stderr (numlir-opt --print-ir-after-all).
    pub print_after_all: bool,
}

/// The IR of a Python function at `stage` for argument types `args`.
pub fn show_python_function(py: Python<'_>, function: &Py<PyAny>, args: &[ArgType], stage: Stage, show: ShowOptions) -> PyResult<String> {
    with_built_module(py, function, args, show.ret, &show.options, |compiler, mut module, _| {
        if show.print_after_all {
            compiler.show_with_stages(module, stage)
        } else {
            compiler.lower_and_print(&mut module, Stage::Py, stage, false)
        }
    })
}
