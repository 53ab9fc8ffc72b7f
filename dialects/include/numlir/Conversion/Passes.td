// The conversions out of the py dialect. mlir-tblgen -gen-pass-decls makes their base
// classes, create*() functions and registration (Passes.h).
#ifndef NUMLIR_CONVERSION_PASSES_TD
#define NUMLIR_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertPyToStd : Pass<"py-to-std", "::mlir::ModuleOp"> {
  let summary = "Lower typed py ops to arith/math/cf/func/memref with Python semantics";
  let description = [{
    Lowers typed py IR with Python's semantics made explicit: floor division and modulo,
    negative-index wrap, truthiness, range loops, raise checks. Scalars lower to
    arith/math/cf/func, complex numbers to the complex dialect, arrays to memref views,
    linalg.generic (elementwise operations and ufuncs, with NumPy's broadcasting) and scf
    loops (reductions). Every function returns an i32 status first (0: a normal return,
    n: raise site n); the raise sites go to the module's `py.raise_table`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::cf::ControlFlowDialect",
    "::mlir::func::FuncDialect", "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect", "::mlir::scf::SCFDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::LLVM::LLVMDialect"
  ];
}

def ConvertCudaToGPU : Pass<"numlir-cuda-to-gpu", "::mlir::ModuleOp"> {
  let summary = "Move a CUDA kernel's functions into a gpu.module, with a gpu.func kernel that calls the entry";
  let description = [{
    A `@cuda.jit` kernel after py-to-std is a func.func (the `py.entry`, returning its i32
    status) and its callees, whose cuda builtins are calls of `numlir_cuda_*` functions (the
    simulator's runtime). For the GPU, this pass moves them into `gpu.module @kernels` and
    adds `gpu.func @<entry>_kernel kernel`, which calls the entry and drops the status (a
    device has no exceptions to raise). The `numlir_cuda_*` calls become the gpu dialect's
    thread indices and barrier, and PTX for the rest (warp shuffles and votes, barrier
    reductions, fences, lane masks); shared arrays are views of one workgroup global
    (`py.cuda_shared_bytes` bytes) and of the dynamic shared memory. Calls of the C math
    library become libdevice's (`__nv_sin`), and its complex functions (`cexp`) complex
    dialect ops; the runtime's gcd, lcm and frexp helpers get bodies in the gpu.module, and
    a kernel's print() becomes CUDA's `vprintf` of the format py-to-std made.

    ```mlir
    %0 = func.call @numlir_cuda_index(%c0_i32) : (i32) -> i64
    // becomes
    %0 = gpu.thread_id x
    %1 = arith.index_cast %0 : index to i64
    ```
  }];
  let dependentDialects = [
    "::mlir::gpu::GPUDialect", "::mlir::LLVM::LLVMDialect", "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect", "::mlir::complex::ComplexDialect", "::mlir::cf::ControlFlowDialect",
    "::mlir::math::MathDialect"
  ];
}

#endif // NUMLIR_CONVERSION_PASSES_TD
