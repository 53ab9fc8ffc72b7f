// What numlir-parallel-array-loops knows about a reduction's scf.for nest, shared with
// numlir-fuse-reductions (which, with parallel=True, keeps a loop it can split apart from
// one it cannot).
#ifndef NUMLIR_TRANSFORMS_REDUCTIONLOOPS_H
#define NUMLIR_TRANSFORMS_REDUCTIONLOOPS_H

#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::py {
/// The op that combines values into `loop`'s carried value `k`, when the value only goes
/// through associative, commutative combiners of one kind (`acc + x`, chains, inner loops
/// carrying it on) to the yield; null for a value inner loops only pass on; failure for
/// anything else (an argmax's position, a cumulative sum's store).
FailureOr<Operation *> reductionCombiner(scf::ForOp loop, unsigned k);

/// Whether every value `loop` carries has a combiner: the chunks of its range can then be
/// reduced apart and their results combined.
bool reducesInChunks(scf::ForOp loop);
} // namespace mlir::py

#endif // NUMLIR_TRANSFORMS_REDUCTIONLOOPS_H
