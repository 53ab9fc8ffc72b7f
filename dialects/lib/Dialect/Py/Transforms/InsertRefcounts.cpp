// py-insert-refcounts: explicit ownership of counted values (lists, and tuples and
// iterators that hold them), from liveness. The ownership rules are in Passes.td.
#include "numlir/Dialect/Py/IR/PyDialect.h"
#include "numlir/Dialect/Py/IR/PyTypeRules.h"
#include "numlir/Dialect/Py/Transforms/Passes.h"

#include "mlir/Analysis/Liveness.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::py {
#define GEN_PASS_DEF_INSERTREFCOUNTS
#include "numlir/Dialect/Py/Transforms/Passes.h.inc"
} // namespace mlir::py

using namespace mlir;
using namespace mlir::py;

namespace {

bool hasCountedValues(func::FuncOp func) {
  bool found = false;
  func.walk([&](Block *block) {
    for (BlockArgument arg : block->getArguments())
      found |= isCounted(arg.getType());
    for (Operation &op : *block)
      for (Value r : op.getResults())
        found |= isCounted(r.getType());
  });
  return found;
}

/// Gives every edge out of a conditional branch a block of its own, which forwards the
/// edge's operands: each edge can then drop what dies on it, and only unconditional
/// branches pass values on.
void splitConditionalEdges(func::FuncOp func) {
  SmallVector<Operation *> branches;
  for (Block &block : func.getBody())
    if (block.getTerminator()->getNumSuccessors() > 1)
      branches.push_back(block.getTerminator());
  OpBuilder b(func.getContext());
  for (Operation *term : branches) {
    auto branch = llvm::cast<BranchOpInterface>(term);
    Block *after = term->getBlock();
    for (unsigned s = 0; s < term->getNumSuccessors(); ++s) {
      Block *dest = term->getSuccessor(s);
      MutableOperandRange operands = branch.getSuccessorOperands(s).getMutableForwardedOperands();
      SmallVector<Value> forwarded(operands.getAsOperandRange());
      // Right after the branch's block, in successor order: py-to-std lowers blocks in
      // order, and the edge's operands are defined by then.
      Block *edge = b.createBlock(after->getParent(), std::next(Region::iterator(after)));
      after = edge;
      cf::BranchOp::create(b, term->getLoc(), dest, forwarded);
      operands.clear();
      term->setSuccessor(edge, s);
    }
  }
}

class RefcountInserter {
public:
  explicit RefcountInserter(func::FuncOp func) : func(func), builder(func.getContext()) {}

  void run() {
    splitConditionalEdges(func);
    Liveness liveness(func);
    for (Block &block : func.getBody())
      insertInBlock(block, liveness);
  }

private:
  func::FuncOp func;
  OpBuilder builder;

  /// A function's arguments are its caller's: never dropped here.
  bool isBorrowed(Value v) {
    auto arg = llvm::dyn_cast<BlockArgument>(v);
    return arg && arg.getOwner()->isEntryBlock();
  }

  /// A counted value whose references this function changes. A generator function's own
  /// generator object is not one: its caller holds the one reference from the start on
  /// (a yield or a raise runs inside the object's own coroutine).
  static bool isTracked(Value v) { return isCounted(v.getType()) && !v.getDefiningOp<MakeGeneratorOp>(); }

  void incref(Value v, Operation *before) {
    builder.setInsertionPoint(before);
    IncRefOp::create(builder, before->getLoc(), v);
  }

  void decrefAfter(Value v, Operation *after) {
    builder.setInsertionPointAfter(after);
    DecRefOp::create(builder, after->getLoc(), v);
  }

  void decrefAtStart(Value v, Block &block) {
    builder.setInsertionPointToStart(&block);
    DecRefOp::create(builder, v.getLoc(), v);
  }

  /// The values `pred` holds on its edge to `succ`: those live out of it, except on the
  /// handler edge of a try body's `py.exc_point`, which leaves from where `py.exc_begin`
  /// is (an op after it raised): what was live there, not the results made after it.
  SmallVector<Value> heldOnEdge(Block *pred, Block *succ, Liveness &liveness) {
    const auto &out = liveness.getLiveness(pred)->out();
    SmallVector<Value> held(out.begin(), out.end());
    auto point = llvm::dyn_cast<ExcPointOp>(pred->getTerminator());
    if (!point || point.getHandler() != succ)
      return held;
    llvm::SetVector<Value> live(held.begin(), held.end());
    for (Operation &op : llvm::reverse(*pred)) {
      if (llvm::isa<ExcBeginOp>(op))
        break;
      if (llvm::isa<IncRefOp, DecRefOp>(op))
        continue;
      for (Value r : op.getResults())
        live.remove(r);
      for (Value v : op.getOperands())
        live.insert(v);
    }
    return SmallVector<Value>(live.begin(), live.end());
  }

  void insertInBlock(Block &block, Liveness &liveness) {
    const LivenessBlockInfo *info = liveness.getLiveness(&block);
    llvm::SmallPtrSet<Value, 8> live;
    for (Value v : info->out())
      if (isTracked(v))
        live.insert(v);
    // Walk backwards: a value not yet live below its use is at its last use there.
    for (Operation &op : llvm::make_early_inc_range(llvm::reverse(block))) {
      if (llvm::isa<IncRefOp, DecRefOp>(op))
        continue;
      for (Value r : op.getResults()) {
        if (isTracked(r) && !live.contains(r))
          decrefAfter(r, &op); // never used
        live.erase(r);
      }
      bool passesOn = llvm::isa<cf::BranchOp, func::ReturnOp, RaiseOp>(op);
      llvm::SmallPtrSet<Value, 4> seenHere;
      for (Value v : op.getOperands()) {
        if (!isTracked(v))
          continue;
        bool first = seenHere.insert(v).second;
        if (passesOn) {
          // The destination takes a reference: this one, when this is the last use.
          if (!first || live.contains(v) || isBorrowed(v))
            incref(v, &op);
        } else if (first && !live.contains(v) && !isBorrowed(v)) {
          decrefAfter(v, &op);
        }
        live.insert(v);
      }
    }
    // Block arguments never used, and what died on the edge from the one predecessor.
    for (BlockArgument arg : block.getArguments())
      if (isCounted(arg.getType()) && !live.contains(arg) && !isBorrowed(arg))
        decrefAtStart(arg, block);
    if (Block *pred = block.getSinglePredecessor()) {
      for (Value v : heldOnEdge(pred, &block, liveness))
        if (isTracked(v) && !live.contains(v) && !isBorrowed(v) &&
            !llvm::is_contained(block.getArguments(), v))
          decrefAtStart(v, block);
    }
  }
};

struct InsertRefcountsPass : py::impl::InsertRefcountsBase<InsertRefcountsPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (!func.isDeclaration() && hasCountedValues(func))
        RefcountInserter(func).run();
  }
};
} // namespace
