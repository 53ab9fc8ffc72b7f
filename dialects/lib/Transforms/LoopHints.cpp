// numlir-loop-hints: loop metadata for LLVM on the llvm dialect's loops. An innermost loop
// of straight-line code over memory (a header and a body) is the kind LLVM vectorizes; it
// then keeps the original loop for the last few iterations (and for arrays that overlap)
// and may unroll that copy at run time, which adds little speed but much code and code
// generation time: LLVM's loop strength reduction over the unrolled copy was half of the
// 2-D stencil's compile. So such loops are not runtime-unrolled (the vector loop LLVM makes
// is not either, by LLVM's own default). Loops with branches inside (raise checks, ifs) or
// libm calls rarely vectorize and keep runtime unrolling, which pays off there.
//
// First, each loop gets one latch (`oneLatchPerLoop`): CPython's bytecode jumps to a
// loop's header straight from an `if` at the end of its body or a `continue`, and a header
// with several back edges is a loop LLVM's vectorizer does not take.
#include "numlir/Transforms/Passes.h"

#include "mlir/Analysis/CFGLoopInfo.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Dominance.h"
#include "mlir/Pass/Pass.h"

namespace mlir::py {
#define GEN_PASS_DEF_LOOPHINTS
#include "numlir/Transforms/Passes.h.inc"
} // namespace mlir::py

using namespace mlir;

namespace {
/// A call, or a math function that becomes a libm call: LLVM does not vectorize those
/// (no vector math library), and unrolling such loops at run time still pays.
bool callsOut(Operation &op) {
  return llvm::isa<LLVM::CallOp, LLVM::SinOp, LLVM::CosOp, LLVM::TanOp, LLVM::ASinOp, LLVM::ACosOp,
                   LLVM::ATanOp, LLVM::ATan2Op, LLVM::SinhOp, LLVM::CoshOp, LLVM::TanhOp, LLVM::ExpOp,
                   LLVM::Exp2Op, LLVM::Exp10Op, LLVM::LogOp, LLVM::Log2Op, LLVM::Log10Op, LLVM::PowOp,
                   LLVM::PowIOp>(op);
}

/// Whether `loop` is the kind LLVM vectorizes: innermost, a header and a body with one
/// exit, memory accesses and no calls.
bool looksVectorizable(CFGLoop *loop) {
  SmallVector<Block *> exiting;
  loop->getExitingBlocks(exiting);
  if (exiting.size() != 1 || !loop->isInnermost() || loop->getNumBlocks() > 2)
    return false;
  auto accessesMemory = [](Block *block) {
    return !block->getOps<LLVM::LoadOp>().empty() || !block->getOps<LLVM::StoreOp>().empty();
  };
  auto calls = [](Block *block) { return llvm::any_of(*block, callsOut); };
  return llvm::any_of(loop->getBlocks(), accessesMemory) && llvm::none_of(loop->getBlocks(), calls);
}

/// Gives each loop of `func` with several back edges one latch: a block that only
/// branches to the header, which the back edges go through. Python's `continue`, and an
/// `if` at the end of a loop body, jump to the loop's header straight from where they are
/// (as CPython's bytecode does); a header reached from several latches is a loop LLVM
/// neither if-converts nor vectorizes (`if x < t: count += 1` stayed a branch per element).
void oneLatchPerLoop(LLVM::LLVMFuncOp func) {
  DominanceInfo dominance(func);
  CFGLoopInfo loops(dominance.getDomTree(&func.getBody()));
  for (CFGLoop *loop : loops.getLoopsInPreorder()) {
    SmallVector<Block *> latches;
    loop->getLoopLatches(latches);
    if (latches.size() < 2)
      continue;
    Block *header = loop->getHeader();
    auto *latch = new Block();
    func.getBody().getBlocks().insertAfter(Region::iterator(latches.back()), latch);
    SmallVector<Location> locs;
    for (BlockArgument arg : header->getArguments())
      locs.push_back(arg.getLoc());
    latch->addArguments(header->getArgumentTypes(), locs);
    for (Block *from : latches) {
      Operation *branch = from->getTerminator();
      for (unsigned i = 0; i < branch->getNumSuccessors(); ++i)
        if (branch->getSuccessor(i) == header)
          branch->setSuccessor(latch, i);
    }
    OpBuilder b = OpBuilder::atBlockEnd(latch);
    LLVM::BrOp::create(b, header->getTerminator()->getLoc(), latch->getArguments(), header);
  }
}

struct LoopHintsPass : py::impl::LoopHintsBase<LoopHintsPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    auto noRuntimeUnroll = LLVM::LoopAnnotationAttr::get(
        ctx, {}, {}, {}, LLVM::LoopUnrollAttr::get(ctx, {}, {}, BoolAttr::get(ctx, true), {}, {}, {}, {}),
        {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {});
    for (auto func : getOperation().getOps<LLVM::LLVMFuncOp>()) {
      if (func.isExternal() || func.getBody().hasOneBlock()) // (no dominator tree, no loop)
        continue;
      oneLatchPerLoop(func);
      DominanceInfo dominance(func);
      CFGLoopInfo loops(dominance.getDomTree(&func.getBody()));
      for (CFGLoop *loop : loops.getLoopsInPreorder()) {
        if (!looksVectorizable(loop))
          continue;
        SmallVector<Block *> latches;
        loop->getLoopLatches(latches);
        for (Block *latch : latches) {
          Operation *branch = latch->getTerminator();
          if (auto br = llvm::dyn_cast<LLVM::BrOp>(branch))
            br.setLoopAnnotationAttr(noRuntimeUnroll);
          else if (auto condBr = llvm::dyn_cast<LLVM::CondBrOp>(branch))
            condBr.setLoopAnnotationAttr(noRuntimeUnroll);
        }
      }
    }
  }
};
} // namespace

