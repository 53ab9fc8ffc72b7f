//! A CUDA kernel's pipeline: its IR after py-to-std (the CPU's py, typed and std stages) as a
//! `gpu.module` (numlir-cuda-to-gpu), then NVVM (convert-gpu-to-nvvm), LLVM IR, and PTX
//! (gpu-module-to-binary, with the NVPTX backend of the LLVM numlir links).
//! `kernel.inspect_ptx()` and `numlir-opt --target cuda` show each stage.
use super::{
    pipeline::{pipeline_between, run_pipeline, Stage},
    Compiler,
};
use crate::{
    dialect::{append_to_string, ffi},
    diagnostics::CompileError,
};
use melior::ir::Module;
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
/// first), integer powers (math.ipowi) as functions (as the CPU's), then the kernel's
/// functions, those too, into a gpu.module.
const TO_GPU: &str = "convert-linalg-to-loops,numlir-free-temporaries,convert-bufferization-to-memref,numlir-bool-bytes,\
                      convert-math-to-funcs{convert-ctlz=false},numlir-cuda-to-gpu";

/// The gpu.module to the llvm dialect with NVVM ops, for `arch`; libdevice (the math
/// functions of device code) is linked where it is found. convert-gpu-to-nvvm adds a C
/// wrapper (`_mlir_ciface_*`) of each function, which nothing calls: symbol-dce drops them.
/// It makes the float math ops libdevice calls; convert-math-to-llvm then takes the integer
/// ones (math.absi) as LLVM intrinsics, which NVPTX has.
fn to_nvvm(arch: &str, libdevice: Option<&str>) -> String {
    let link = libdevice.map(|path| format!(" l={path}")).unwrap_or_default();
    format!(
        "nvvm-attach-target{{chip={arch} O=3{link}}},gpu.module(convert-scf-to-cf,convert-complex-to-standard,\
         expand-strided-metadata,lower-affine,convert-gpu-to-nvvm,convert-math-to-llvm,canonicalize,reconcile-unrealized-casts,symbol-dce)"
    )
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
