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

#endif // NUMLIR_CONVERSION_PASSES_TD
