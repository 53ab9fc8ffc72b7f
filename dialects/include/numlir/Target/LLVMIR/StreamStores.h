// Non-temporal ("streaming") stores for loops that write large arrays without reading them:
// two LLVM IR passes that the JIT's LLVM pipeline runs (see StreamStores.cpp).
#ifndef NUMLIR_TARGET_LLVMIR_STREAMSTORES_H
#define NUMLIR_TARGET_LLVMIR_STREAMSTORES_H

#include <cstdint>

namespace llvm {
class PassBuilder;
class TargetMachine;
} // namespace llvm

namespace numlir {
/// Adds numlir-stream-stores (before LLVM's vectorizer) and numlir-mark-stream-stores (at
/// the end of the optimization pipeline) to `passBuilder`'s default pipelines when
/// `machine` is x86 (other targets keep plain stores). Loop nests that store fewer than
/// `minBytes` keep plain stores at run time (their lines stay in the cache).
void addStreamStorePasses(llvm::PassBuilder &passBuilder, const llvm::TargetMachine &machine,
                          uint64_t minBytes);
} // namespace numlir

#endif // NUMLIR_TARGET_LLVMIR_STREAMSTORES_H
