//! The CUDA backend: a kernel's IR after py-to-std (the same typed py and std stages as the
//! CPU's) as a `gpu.module` (numlir-cuda-to-gpu), then NVVM (convert-gpu-to-nvvm), then PTX
//! (gpu-module-to-binary, the NVPTX backend of the LLVM numlir links). `kernel.inspect_ptx()`
//! and `numlir-opt --target cuda` show each stage.
pub mod driver;

use crate::{
    compiler::{
        pipeline::{pipeline_between, run_pipeline, Stage},
        CompileOptions, Compiler,
    },
    dialect::{append_to_string, ffi},
    diagnostics::CompileError,
    python::compile::with_built_module,
    types::ArgType,
};
use melior::ir::{attribute::StringAttribute, operation::OperationMutLike, Module};
use pyo3::prelude::*;
use std::ffi::c_void;

/// A stage of a kernel's pipeline that can be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum KernelStage {
    /// Untyped py dialect.
    Py,
    /// py dialect after py-infer-types.
    Typed,
    /// arith/scf/memref with the cuda builtins as `numlir_cuda_*` calls (what the simulator runs).
    Std,
    /// A `gpu.module` with the kernel as a `gpu.func`.
    Gpu,
    /// The llvm dialect with NVVM ops, inside the gpu.module.
    Nvvm,
    /// The gpu.module's LLVM IR, as the NVPTX backend gets it (before its optimization).
    LlvmIr,
    /// PTX assembly.
    Ptx,
}

impl KernelStage {
    pub fn parse(name: &str) -> Option<Self> {
        <Self as clap::ValueEnum>::from_str(name, true).ok()
    }
}

/// The architecture PTX is made for where no device says: sm_90 (H100).
pub const DEFAULT_ARCH: &str = "sm_90";

/// After py-to-std: array code as loops and bool arrays as bytes (as the CPU pipeline does
/// first), then the kernel's functions into a gpu.module.
const TO_GPU: &str = "convert-linalg-to-loops,numlir-free-temporaries,convert-bufferization-to-memref,numlir-bool-bytes,numlir-cuda-to-gpu";

/// The gpu.module to the llvm dialect with NVVM ops, for `arch`; libdevice (the math
/// functions of device code) is linked where it is found. convert-gpu-to-nvvm adds a C
/// wrapper (`_mlir_ciface_*`) of each function, which nothing calls: symbol-dce drops them.
fn to_nvvm(arch: &str, libdevice: Option<&str>) -> String {
    let link = libdevice.map(|path| format!(" l={path}")).unwrap_or_default();
    format!(
        "nvvm-attach-target{{chip={arch} O=3{link}}},gpu.module(convert-scf-to-cf,convert-complex-to-standard,\
         expand-strided-metadata,lower-affine,convert-gpu-to-nvvm,canonicalize,reconcile-unrealized-casts,symbol-dce)"
    )
}

/// libdevice.10.bc: $NUMLIR_LIBDEVICE, the `nvidia-cuda-nvcc-cu12` wheel's copy, or a CUDA
/// toolkit's ($CUDA_HOME, /usr/local/cuda).
pub fn libdevice_path(py: Python<'_>) -> Option<String> {
    if let Ok(path) = std::env::var("NUMLIR_LIBDEVICE") {
        return Some(path);
    }
    let wheel = py
        .import("importlib.util")
        .and_then(|m| m.getattr("find_spec")?.call1(("nvidia.cuda_nvcc",)))
        .and_then(|spec| spec.getattr("submodule_search_locations")?.get_item(0)?.extract::<String>())
        .ok();
    let homes = [wheel, std::env::var("CUDA_HOME").ok(), Some("/usr/local/cuda".to_string())];
    homes
        .into_iter()
        .flatten()
        .map(|home| format!("{home}/nvvm/libdevice/libdevice.10.bc"))
        .find(|path| std::path::Path::new(path).exists())
}

/// Runs a kernel's module (untyped py, as the frontend built it) to `stage` and returns the
/// IR there (the PTX text for `Ptx`).
pub fn lower_kernel(compiler: &Compiler, module: &mut Module, arch: &str, libdevice: Option<&str>, stage: KernelStage) -> Result<String, CompileError> {
    let context = compiler.context();
    let std = match stage {
        KernelStage::Py => Stage::Py,
        KernelStage::Typed => Stage::Typed,
        _ => Stage::Std,
    };
    run_pipeline(context, module, &pipeline_between(Stage::Py, std), false)?;
    let passes = match stage {
        KernelStage::Py | KernelStage::Typed | KernelStage::Std => Vec::new(),
        KernelStage::Gpu => vec![TO_GPU.to_string()],
        KernelStage::Nvvm | KernelStage::LlvmIr => vec![TO_GPU.to_string(), to_nvvm(arch, libdevice)],
        KernelStage::Ptx => vec![TO_GPU.to_string(), to_nvvm(arch, libdevice), "gpu-module-to-binary{format=isa}".to_string()],
    };
    if !passes.is_empty() {
        run_pipeline(context, module, &format!("builtin.module({})", passes.join(",")), false)?;
    }
    if stage == KernelStage::LlvmIr {
        let mut text = String::new();
        // SAFETY: the module is live; the callback appends to `text` during the call.
        let ok = unsafe { ffi::numlirGpuModuleLLVMIR(module.to_raw(), Some(append_to_string), &mut text as *mut String as *mut c_void) };
        return if ok { Ok(text) } else { Err(CompileError::compile("the gpu.module does not translate to LLVM IR")) };
    }
    if stage != KernelStage::Ptx {
        return Ok(module.as_operation().to_string());
    }
    let mut ptx = String::new();
    // SAFETY: the module is live; the callback appends to `ptx` during the call.
    let found = unsafe { ffi::numlirGpuBinaryObject(module.to_raw(), Some(append_to_string), &mut ptx as *mut String as *mut c_void) };
    if !found {
        return Err(CompileError::compile("gpu-module-to-binary made no PTX"));
    }
    Ok(ptx)
}

/// A kernel's IR at `stage` for `args` and `arch` ("sm_90"): `kernel.inspect_ptx()`.
pub fn show_kernel(py: Python<'_>, function: &Py<PyAny>, args: &[ArgType], options: &CompileOptions, arch: &str, stage: &str) -> PyResult<String> {
    let stage = KernelStage::parse(stage).ok_or_else(|| {
        pyo3::exceptions::PyValueError::new_err(format!("unknown kernel stage '{stage}'; use py, typed, std, gpu, nvvm, llvm-ir or ptx"))
    })?;
    // Device code is not bounds-checked (as numba's kernels without debug=True).
    let options = CompileOptions { boundscheck: false, cuda_kernel: true, ..options.clone() };
    let libdevice = libdevice_path(py);
    let name: String = function.bind(py).getattr("__name__")?.extract()?;
    let name: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    with_built_module(py, function, args, None, &options, |compiler, mut module, _| {
        let attribute = StringAttribute::new(compiler.context(), &name);
        module.as_operation_mut().set_attribute("py.cuda_name", attribute.into());
        lower_kernel(compiler, &mut module, arch, libdevice.as_deref(), stage)
    })
}
