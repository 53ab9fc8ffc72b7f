// The passes of the py dialect. Each is registered by name (see registerPyPasses).
#ifndef PY_PYPASSES_H
#define PY_PYPASSES_H

#include "mlir/Pass/Pass.h"
#include <memory>

namespace mlir::py {
/// py-infer-types: gives every !py.object value a concrete type, specializing
/// called templates per argument types and inserting py.cast where paths meet.
std::unique_ptr<Pass> createInferTypesPass();
/// py-to-std: lowers typed py ops to arith/math/cf/func/memref with Python semantics;
/// every function returns an i32 status first (0 = ok, n = raise site n).
std::unique_ptr<Pass> createPyToStdPass();
/// numlir-free-temporaries: frees the arrays a function allocates (ownership-based
/// buffer deallocation on the function lifted to scf); leaves array-free functions alone.
std::unique_ptr<Pass> createFreeTemporariesPass();
/// numlir-fuse-reductions: a reduction of an elementwise expression computes it in its loop
/// (no temporary array), and read-only scf.for nests over one array and iteration space
/// (reductions) become one nest, so the array is read once; identical nests are computed once.
std::unique_ptr<Pass> createFuseReductionsPass();
/// numlir-sink-int-checks: int(float)'s fit check moves below a following range test of
/// the result that already rules out its failure value (`0 <= k < n`), off the common path.
std::unique_ptr<Pass> createSinkIntChecksPass();
/// numlir-lower-matmul: linalg matmul/matvec/vecmat on memrefs as blocked loops whose
/// inner loop walks rows (it vectorizes); each element sums over k in order.
std::unique_ptr<Pass> createLowerMatmulPass();
/// numlir-bool-bytes: bool arrays as byte arrays in memory (memref i1 -> i8), so that
/// loops over them vectorize; runs once arrays are plain loads and stores.
std::unique_ptr<Pass> createBoolBytesPass();
/// numlir-loop-hints: loop metadata on the llvm dialect's loops (innermost straight-line
/// loops over memory, the vectorizable kind, are not unrolled at run time).
std::unique_ptr<Pass> createLoopHintsPass();
/// numlir-hoist-allocas: fixed-size stack slots used between a stacksave and its
/// stackrestore move to the entry block (LLVM does not inline functions with other allocas).
std::unique_ptr<Pass> createHoistAllocasPass();
/// Registers the py passes and the upstream passes numlir pipelines use.
void registerPyPasses();
} // namespace mlir::py

#endif // PY_PYPASSES_H
