// numlir-hoist-allocas: stack slots that live between a stacksave and its stackrestore
// move to the function's entry block. memref.copy's lowering makes such slots (the two
// arrays' descriptors for the runtime's memrefCopy) where the copy is: for a returned
// array, on a path out of the function. LLVM counts an alloca outside the entry block as
// dynamic, and does not inline a function that has one; the function then stayed a call
// from its packed-call wrapper, with its last arguments on the stack, reloaded inside its
// loops (matmul loops: 3% slower than numba). A slot used only until the stackrestore can
// be one slot for every time the block runs, so moving it changes nothing else.
#include "numlir/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Pass/Pass.h"

namespace mlir::py {
#define GEN_PASS_DEF_HOISTALLOCAS
#include "numlir/Transforms/Passes.h.inc"
} // namespace mlir::py

using namespace mlir;

namespace {
/// Whether `alloca` sits after a stacksave and before a stackrestore in its block.
bool betweenSaveAndRestore(LLVM::AllocaOp alloca) {
  bool saved = false;
  for (Operation &op : *alloca->getBlock()) {
    if (&op == alloca.getOperation())
      break;
    saved |= llvm::isa<LLVM::StackSaveOp>(op);
  }
  if (!saved)
    return false;
  for (Operation *op = alloca->getNextNode(); op; op = op->getNextNode())
    if (llvm::isa<LLVM::StackRestoreOp>(op))
      return true;
  return false;
}

struct HoistAllocasPass : py::impl::HoistAllocasBase<HoistAllocasPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<LLVM::LLVMFuncOp>()) {
      if (func.isExternal())
        continue;
      Block &entry = func.getBody().front();
      SmallVector<LLVM::AllocaOp> slots;
      func.walk([&](LLVM::AllocaOp alloca) {
        if (alloca->getBlock() != &entry && alloca->getParentRegion() == &func.getBody() &&
            matchPattern(alloca.getArraySize(), m_Constant()) && betweenSaveAndRestore(alloca))
          slots.push_back(alloca);
      });
      OpBuilder b(&entry, entry.begin());
      for (LLVM::AllocaOp alloca : slots) {
        Operation *size = b.clone(*alloca.getArraySize().getDefiningOp());
        alloca->moveAfter(size);
        alloca.getArraySizeMutable().assign(size->getResult(0));
        b.setInsertionPointAfter(alloca);
      }
    }
  }
};
} // namespace

