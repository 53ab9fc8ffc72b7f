// numlir's loop-level optimizations (Passes.td): create*() and register*() come from mlir-tblgen -gen-pass-decls.
#ifndef NUMLIR_TRANSFORMS_PASSES_H
#define NUMLIR_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"
#include <memory>

namespace mlir::py {
#define GEN_PASS_DECL
#include "numlir/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "numlir/Transforms/Passes.h.inc"
} // namespace mlir::py

#endif // NUMLIR_TRANSFORMS_PASSES_H
