//! numlir-opt: an mlir-opt-style driver over numlir's pipeline.
//!
//!   numlir-opt FILE.py::FUNC --signature "int64, float64" [--emit STAGE] [--print-ir-after-all]
//!   numlir-opt FILE.mlir [--pass-pipeline "builtin.module(...)"] [--emit STAGE]
use crate::{
    compiler::{
        lock_compiler,
        pipeline::{capture_diagnostics, diagnostics_error, run_pipeline, Stage},
        CompileOptions,
    },
    dialect::ffi,
    diagnostics::CompileError,
    python::{show_python_function, to_py_err, ShowOptions},
    types::{split_type_list, ArgType},
};
use clap::Parser;
use melior::ir::{operation::OperationLike, Module};
use pyo3::prelude::*;

/// After numlir's own passes (their summaries and options come from the C++ side, where
/// each Passes.td declares them).
const UPSTREAM_HELP: &str = "\
Upstream passes registered for pipelines:
  canonicalize, cse, inline, sccp, symbol-dce, loop-invariant-code-motion,
  convert-math-to-funcs, convert-math-to-llvm, convert-math-to-libm, arith-expand, math-expand-ops,
  expand-strided-metadata, convert-to-llvm, finalize-memref-to-llvm, convert-arith-to-llvm,
  convert-cf-to-llvm, convert-func-to-llvm, convert-index-to-llvm, convert-ub-to-llvm,
  convert-scf-to-cf, convert-scf-to-openmp, reconcile-unrealized-casts

  convert-gpu-to-nvvm, nvvm-attach-target, gpu-module-to-binary

Stages (--emit): py, typed, std, llvm, llvm-ir, asm; with --target cuda: py, typed, std, gpu, nvvm, llvm-ir, ptx";

#[derive(Parser, Debug)]
#[command(name = "numlir-opt", about = "Show and run numlir's compilation pipeline")]
struct Cli {
    /// A Python function (path/to/file.py::function) or an MLIR file (.mlir)
    input: String,
    /// Argument types of the Python function, e.g. "int64, float64"
    #[arg(long)]
    signature: Option<String>,
    /// Stop at this stage and print it (default: llvm for Python input, ptx with --target
    /// cuda; for .mlir input without --pass-pipeline, the whole pipeline to llvm). The CPU's
    /// stages: py, typed, std, llvm, llvm-ir, asm; a CUDA kernel's: py, typed, std, gpu,
    /// nvvm, llvm-ir, ptx
    #[arg(long, value_name = "STAGE", value_parser = ["py", "typed", "std", "llvm", "llvm-ir", "asm", "gpu", "nvvm", "ptx"])]
    emit: Option<String>,
    /// Compile a Python function for the CPU, or as a CUDA kernel (@cuda.jit)
    #[arg(long, default_value = "cpu", value_parser = ["cpu", "cuda"])]
    target: String,
    /// The GPU architecture of --target cuda's PTX
    #[arg(long, default_value = crate::compiler::cuda::DEFAULT_ARCH)]
    arch: String,
    /// Print the IR after every pass
    #[arg(long)]
    print_ir_after_all: bool,
    /// A textual pass pipeline to run on .mlir input, as in mlir-opt
    #[arg(long)]
    pass_pipeline: Option<String>,
    /// Compile with fast-math flags: all of them ("fast"), or a comma list such as
    /// "nnan,ninf,nsz,arcp,contract,afn,reassoc"
    #[arg(long, num_args = 0..=1, default_missing_value = "fast", value_name = "FLAGS")]
    fastmath: Option<String>,
    /// "numpy": division by zero gives inf/nan (0 for integers) instead of raising
    #[arg(long, value_name = "MODEL", default_value = "python", value_parser = ["python", "numpy"])]
    error_model: String,
    /// Check array indices (IndexError when out of bounds)
    #[arg(long)]
    boundscheck: bool,
    /// parallel=True: prange loops run in parallel (scf.parallel, then OpenMP)
    #[arg(long)]
    parallel: bool,
    /// Print the time of each stage to stderr (as NUMLIR_TIMING=1 does)
    #[arg(long)]
    timing: bool,
    /// Write the output here instead of stdout
    #[arg(short = 'o')]
    output: Option<String>,
}

/// numlir-opt's entry point: `numlir-opt ARGS...`; returns the exit status.
#[pyfunction]
pub fn opt_main(py: Python<'_>, argv: Vec<String>) -> PyResult<i32> {
    let cli = match Cli::try_parse_from(std::iter::once("numlir-opt".to_string()).chain(argv)) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            if e.kind() == clap::error::ErrorKind::DisplayHelp {
                print_pass_help();
            }
            return Ok(code);
        }
    };
    if cli.timing {
        // SAFETY (set_var): numlir-opt sets it once, before any other thread reads the environment.
        std::env::set_var("NUMLIR_TIMING", "1");
    }
    let result = if let Some((path, name)) = cli.input.split_once("::") {
        run_python(py, &cli, path, name)
    } else {
        run_mlir(&cli).map_err(|e| to_py_err(py, e))
    };
    match result {
        Ok(text) => {
            match &cli.output {
                Some(path) => std::fs::write(path, text)?,
                None => write_stdout(&text)?,
            }
            Ok(0)
        }
        Err(e) => {
            eprintln!("numlir-opt: {}: {}", e.get_type(py).name()?, e.value(py));
            Ok(1)
        }
    }
}

/// Writes `text` to stdout. A reader that stops early (`numlir-opt ... | head`) ends the
/// output quietly, as other command-line tools do, instead of a panic.
fn write_stdout(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => result,
    }
}

/// The passes after clap's help: numlir's own with their summaries and options (printed by
/// the C++ side, from the pass registry), then the upstream ones the pipelines name.
fn print_pass_help() {
    use std::io::Write;
    println!("\nnumlir passes:");
    let _ = std::io::stdout().flush();
    // SAFETY: registers the passes once, then writes to stdout; no arguments.
    unsafe { ffi::numlirPrintPassHelp() };
    println!("\n{UPSTREAM_HELP}");
}

fn run_python(py: Python<'_>, cli: &Cli, path: &str, name: &str) -> PyResult<String> {
    let function = py.import("numlir._opt")?.getattr("load_function")?.call1((path, name))?;
    let args: Vec<ArgType> = match &cli.signature {
        None => Vec::new(),
        Some(s) => split_type_list(s)
            .into_iter()
            .map(|t| {
                ArgType::parse(t).ok_or_else(|| {
                    pyo3::exceptions::PyValueError::new_err(format!("unknown type '{}' in --signature", t.trim()))
                })
            })
            .collect::<PyResult<_>>()?,
    };
    if cli.target == "cuda" {
        let stage = cli.emit.as_deref().unwrap_or("ptx");
        let options = CompileOptions { fastmath: cli.fastmath.clone().unwrap_or_default(), ..Default::default() };
        return crate::python::cuda::show_kernel(py, &function.unbind(), &args, &options, &cli.arch, stage);
    }
    let stage = cpu_stage(cli).map_err(pyo3::exceptions::PyValueError::new_err)?;
    let options = CompileOptions {
        fastmath: cli.fastmath.clone().unwrap_or_default(),
        boundscheck: cli.boundscheck,
        parallel: cli.parallel,
        numpy_errors: cli.error_model == "numpy",
        keep_object: false,
        cuda_kernel: false,
    };
    let show = ShowOptions { ret: None, options, print_after_all: cli.print_ir_after_all };
    show_python_function(py, &function.unbind(), &args, stage, show)
}

/// The CPU stage --emit names (llvm by default).
fn cpu_stage(cli: &Cli) -> Result<Stage, String> {
    match cli.emit.as_deref() {
        None => Ok(Stage::Llvm),
        Some(name) => Stage::parse(name)
            .ok_or_else(|| format!("--emit {name} is a stage of --target cuda; the CPU's are py, typed, std, llvm, llvm-ir, asm")),
    }
}

fn run_mlir(cli: &Cli) -> Result<String, CompileError> {
    let source = std::fs::read_to_string(&cli.input)
        .map_err(|e| CompileError::compile(format!("cannot read {}: {e}", cli.input)))?;
    let compiler = lock_compiler();
    let context = compiler.context();
    let (module, diagnostics, _) = capture_diagnostics(context, || Module::parse(context, &source));
    let mut module = module.ok_or_else(|| {
        diagnostics_error(&diagnostics, CompileError::compile(format!("cannot parse {}", cli.input)))
    })?;
    if !module.as_operation().verify() {
        return Err(CompileError::compile("the input does not verify"));
    }
    if let Some(pipeline) = &cli.pass_pipeline {
        for note in run_pipeline(context, &mut module, pipeline, cli.print_ir_after_all)? {
            eprintln!("{}", note.plain());
        }
        return Ok(module.as_operation().to_string());
    }
    let stage = cpu_stage(cli).map_err(CompileError::compile)?;
    compiler.lower_and_print(&mut module, Stage::Py, stage, cli.print_ir_after_all)
}
