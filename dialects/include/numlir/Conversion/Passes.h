// The conversions out of the py dialect (Passes.td): create*() and register*() come from mlir-tblgen -gen-pass-decls.
#ifndef NUMLIR_CONVERSION_PASSES_H
#define NUMLIR_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"
#include <memory>

namespace mlir::py {
#define GEN_PASS_DECL
#include "numlir/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "numlir/Conversion/Passes.h.inc"
} // namespace mlir::py

#endif // NUMLIR_CONVERSION_PASSES_H
