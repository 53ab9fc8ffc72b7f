// What numlir-fuse-reductions and numlir-parallel-array-loops both ask of a reduction's
// scf.for nest: whether it writes memory, and whether its chunks can be reduced apart (with
// parallel=True, numlir-fuse-reductions keeps a loop that can apart from one that cannot).
// numlir-block-arg-reductions asks which values an argmin's loop carries.
// mayWriteMemory is defined in FuseReductions.cpp, the rest in ParallelArrayLoops.cpp.
#ifndef NUMLIR_TRANSFORMS_REDUCTIONLOOPS_H
#define NUMLIR_TRANSFORMS_REDUCTIONLOOPS_H

#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::py {
/// The op that combines values into `loop`'s carried value `k`, when the value only goes
/// through associative, commutative combiners of one kind (`acc + x`, chains, inner loops
/// carrying it on) to the yield; null for a value inner loops only pass on; failure for
/// anything else (an argmax's position, a cumulative sum's store).
FailureOr<Operation *> reductionCombiner(scf::ForOp loop, unsigned k);

/// Whether `op` (or an op nested in it) may write or free memory. Ops that say nothing
/// about their effects (calls) count as writing.
bool mayWriteMemory(Operation *op);

/// Whether the chunks of `loop`'s range can be reduced apart and their results combined:
/// every value it carries has a combiner, or is an argmin's or argmax's position counter,
/// best value or index (in a loop without inner loops).
bool reducesInChunks(scf::ForOp loop);

/// The values an argmin's or argmax's loop (without inner loops) carries: a position
/// counting up (`pos + 1`), the best element so far (`select(better, x, best)`) and its
/// index (`select(better, pos, index)`); with the element x and the ops of the test
/// `better` (computed from x and `acc`, the best as the loop body reads it).
struct ArgReductionLoop {
  unsigned counter, best, index;
  Value raw, better, acc;
  SmallVector<Operation *> test;
};
std::optional<ArgReductionLoop> argReductionLoop(scf::ForOp loop);
} // namespace mlir::py

#endif // NUMLIR_TRANSFORMS_REDUCTIONLOOPS_H
