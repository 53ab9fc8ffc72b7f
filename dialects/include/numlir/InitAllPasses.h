// Every numlir pass, in one list: registerAllNumlirPasses registers them by name (the
// JIT's textual pipelines and numlir-opt find them in MLIR's pass registry), and
// numlir-opt --help lists them (lib/CAPI/CAPI.cpp). A pass is declared in its folder's
// Passes.td; mlir-tblgen -gen-pass-decls makes its base class and create*() function.
#ifndef NUMLIR_INITALLPASSES_H
#define NUMLIR_INITALLPASSES_H

#include "numlir/Conversion/Passes.h"
#include "numlir/Dialect/Py/Transforms/Passes.h"
#include "numlir/Transforms/Passes.h"

#include <array>

namespace mlir::py {
using PassConstructor = std::unique_ptr<Pass> (*)();

/// The constructors of numlir's passes, in pipeline order.
inline constexpr std::array<PassConstructor, 16> numlirPassConstructors = {
    createInferTypes,         createParallelLoops,       createInsertRefcounts, createConvertPyToStd,
    createFuseReductions,     createSinkIntChecks,       createRangeForLoops,   createLowerMatmul,
    createParallelArrayLoops, createBlockArgReductions,  createFreeTemporaries, createBoolBytes,
    createLoopHints,          createHoistAllocas,        createGeneratorCoroutines, createConvertCudaToGPU,
};

inline void registerAllNumlirPasses() {
  for (PassConstructor create : numlirPassConstructors)
    registerPass(create);
}
} // namespace mlir::py

#endif // NUMLIR_INITALLPASSES_H
