//! The named stages of compilation and the pass pipelines between them. The JIT, the
//! `inspect_*` methods and numlir-opt all run these same pipelines.
use crate::diagnostics::{from_mlir_diagnostic, CompileError, Note};
use melior::{
    diagnostic::DiagnosticSeverity,
    ir::{operation::OperationPrintingFlags, Module},
    pass::{PassIrPrintingOptions, PassManager},
    utility::parse_pass_pipeline,
    Context,
};
use std::{cell::RefCell, path::PathBuf, rc::Rc};

/// A point in the pipeline whose IR can be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Stage {
    /// Untyped py dialect, straight from the bytecode.
    Py,
    /// py dialect after py-infer-types.
    Typed,
    /// arith/math/cf/func/memref after py-to-std.
    Std,
    /// The llvm dialect.
    Llvm,
    /// The JIT's LLVM IR (its packed-call wrapper included), optimized.
    LlvmIr,
    /// Host assembly.
    Asm,
}

impl Stage {
    pub fn parse(name: &str) -> Option<Self> {
        <Self as clap::ValueEnum>::from_str(name, true).ok()
    }
}

/// Passes from each stage to the next (the stage they lead to, the pipeline text).
pub const PIPELINES: &[(Stage, &str)] = &[
    (Stage::Typed, "py-infer-types,canonicalize"),
    (Stage::Std, "py-parallel-loops,py-insert-refcounts,py-to-std,canonicalize,cse,func.func(numlir-fuse-reductions,numlir-sink-int-checks,numlir-range-for-loops,canonicalize)"),
    (
        Stage::Llvm,
        // Math ops LLVM has instructions or intrinsics for first, libm calls for the rest;
        // then one convert-to-llvm (the dialects' own patterns in a single conversion, which
        // costs far less than a pass per dialect).
        // Array code first: with parallel=True, the loops of array code split among the
        // threads (numlir-parallel-array-loops), then argmin/argmax loops run in blocks
        // (numlir-block-arg-reductions); linalg ops become loops, MLIR's ownership-based deallocation
        // frees temporaries (an array returned to Python is owned by the caller), and scf
        // becomes branches. Bool arrays are bytes in memory from there on. Complex ops become
        // arith/math (convert-complex-to-standard) before the math lowering. Last, generator
        // functions become LLVM coroutines (LLVM's CoroSplit splits them).
        "numlir-lower-matmul,numlir-parallel-array-loops,numlir-block-arg-reductions,convert-linalg-to-loops,numlir-free-temporaries,\
         convert-bufferization-to-memref,numlir-bool-bytes,convert-scf-to-openmp,convert-scf-to-cf,\
         convert-complex-to-standard,convert-math-to-funcs{convert-ctlz=false},func.func(convert-math-to-llvm),convert-math-to-libm,\
         expand-strided-metadata,lower-affine,convert-to-llvm,reconcile-unrealized-casts,numlir-loop-hints,numlir-hoist-allocas,numlir-generator-coroutines",
    ),
];

/// The pipeline text that takes IR from stage `from` to stage `to` (both MLIR stages).
pub fn pipeline_between(from: Stage, to: Stage) -> String {
    let passes: Vec<&str> =
        PIPELINES.iter().filter(|(s, _)| *s > from && *s <= to).map(|(_, p)| *p).collect();
    format!("builtin.module({})", passes.join(","))
}

/// Runs `f` with MLIR's diagnostics collected instead of printed: errors as (location,
/// message), warnings and remarks as notes.
pub fn capture_diagnostics<R>(context: &Context, f: impl FnOnce() -> R) -> (R, Vec<(String, String)>, Vec<Note>) {
    let errors = Rc::new(RefCell::new(Vec::new()));
    let notes = Rc::new(RefCell::new(Vec::new()));
    let (error_sink, note_sink) = (errors.clone(), notes.clone());
    let handler = context.attach_diagnostic_handler(move |d| {
        let (location, message) = (d.location().to_string(), d.to_string());
        match d.severity() {
            DiagnosticSeverity::Warning => note_sink.borrow_mut().push(Note { warning: true, location, message }),
            DiagnosticSeverity::Remark => note_sink.borrow_mut().push(Note { warning: false, location, message }),
            _ => error_sink.borrow_mut().push((location, message)),
        }
        true
    });
    let result = f();
    context.detach_diagnostic_handler(handler);
    let (errors, notes) = (errors.take(), notes.take());
    (result, errors, notes)
}

/// The error the first diagnostic describes (later ones appended), or `fallback`.
pub fn diagnostics_error(diagnostics: &[(String, String)], fallback: CompileError) -> CompileError {
    let Some((loc, msg)) = diagnostics.first() else { return fallback };
    let mut error = from_mlir_diagnostic(loc, msg);
    if diagnostics.len() > 1 {
        let rest: Vec<_> = diagnostics[1..].iter().map(|(_, m)| m.as_str()).collect();
        error.message = format!("{}\n{}", error.message, rest.join("\n"));
    }
    error
}

/// Runs a textual pipeline on `module`, turning MLIR's error diagnostics into a
/// CompileError; returns the warnings and remarks the passes made.
pub fn run_pipeline(
    context: &Context,
    module: &mut Module,
    pipeline: &str,
    print_ir_after_all: bool,
) -> Result<Vec<Note>, CompileError> {
    let (result, errors, notes) = capture_diagnostics(context, || run_pass_manager(context, module, pipeline, print_ir_after_all));
    result.map(|_| notes).map_err(|e| diagnostics_error(&errors, e))
}

fn run_pass_manager(context: &Context, module: &mut Module, pipeline: &str, print_ir_after_all: bool) -> Result<(), CompileError> {
    let pm = PassManager::new(context);
    parse_pass_pipeline(pm.as_operation_pass_manager(), pipeline)
        .map_err(|e| CompileError::compile(format!("bad pass pipeline '{pipeline}': {e}")))
        .and_then(|_| {
            if print_ir_after_all {
                pm.enable_ir_printing(&PassIrPrintingOptions {
                    before_all: false,
                    after_all: true,
                    module_scope: true,
                    on_change: false,
                    on_failure: false,
                    flags: OperationPrintingFlags::new(),
                    tree_printing_path: PathBuf::new(),
                });
            }
            pm.run(module).map_err(|_| CompileError::compile("a pass failed"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipelines_compose_between_stages() {
        assert_eq!(pipeline_between(Stage::Py, Stage::Typed), "builtin.module(py-infer-types,canonicalize)");
        let full = pipeline_between(Stage::Py, Stage::Llvm);
        assert!(full.contains("py-to-std") && full.ends_with("numlir-generator-coroutines)"));
        assert_eq!(pipeline_between(Stage::Std, Stage::Std), "builtin.module()");
        assert_eq!(Stage::parse("llvm-ir"), Some(Stage::LlvmIr));
    }
}
