// numlir-range-for-loops: `for x in range(...)` loops become scf.for, with one induction
// variable.
//
// py-to-std lowers a range iterator to a stack slot [current, left, step, lowest]
// (makeRangeIter, marked `numlir.range`) that the loop header advances: two values change
// each iteration, and the loop is a cycle of blocks. Where the loop is left only through
// its header (no break, return or raise inside; those loops stay as they are), it becomes
// an scf.for:
//   - step the constant 1: the induction variable is the value itself, from start to
//     start + count (which is the stop, or the start for an empty range);
//   - any other constant step: an index k from 0 to the count (compared unsigned, as the
//     count is), and the value start + k * step;
//   - a step known only at run time: the same k, and the value carried as an iter_arg that
//     adds the step each iteration (see rewrite).
// The body's blocks move into the scf.for (inside an scf.execute_region when there are
// several), the values the header carries become iter_args, and loads of the slot's step
// and lowest fields (wrapIndex reads `lowest`) become the values stored there. The scf.for
// is marked `numlir.range_loop`: numlir-parallel-array-loops never splits one (a plain
// range loop runs serially, as in numba; prange is the parallel loop).
//
// The shape matched (after canonicalize and cse):
//   ^pre:  memref.store %start, %slot[0] ... %lowest, %slot[3]; cf.br ^head(%init...)
//   ^head(%carried...):
//     %cur = load %slot[0]; %left = load %slot[1]; %step = load %slot[2]
//     %more = cmpi ne, %left, 0; store %cur + %step, %slot[0]; store %left - 1, %slot[1]
//     cf.cond_br %more, ^body(...), ^exit(...)
// The py iterator is an SSA value, so the slot first reaches the header through block
// arguments; those that can only be the slot itself are replaced by it (forwardSlot).
// Inner loops go first, so an outer loop's body is usually one block holding the inner
// scf.for.
#include "numlir/Conversion/PyToStd/LoweringUtils.h"
#include "numlir/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::py {
#define GEN_PASS_DEF_RANGEFORLOOPS
#include "numlir/Transforms/Passes.h.inc"
} // namespace mlir::py

using namespace mlir;

namespace {
enum Field { kCurrent = 0, kLeft = 1, kStep = 2, kLowest = 3, kFields = 4 };

/// The constant index of a load or store of the slot, or -1.
int64_t fieldOf(ValueRange indices) {
  APInt i;
  if (indices.size() != 1 || !matchPattern(indices[0], m_ConstantInt(&i)))
    return -1;
  return i.getSExtValue() >= 0 && i.getSExtValue() < kFields ? i.getSExtValue() : -1;
}

/// Replaces the block arguments that carry `slot` by the slot itself, where each of them
/// receives the slot or another of them on every edge (the py iterator passed along
/// unchanged). Whether the slot now reaches no block argument.
bool forwardSlot(Value slot) {
  llvm::SetVector<Value> aliases;
  aliases.insert(slot);
  for (size_t i = 0; i < aliases.size(); ++i)
    for (OpOperand &use : aliases[i].getUses()) {
      auto branch = llvm::dyn_cast<BranchOpInterface>(use.getOwner());
      if (!branch)
        continue;
      if (std::optional<BlockArgument> arg = branch.getSuccessorBlockArgument(use.getOperandNumber()))
        aliases.insert(*arg);
    }
  if (aliases.size() == 1)
    return true;
  // Every incoming value of every alias must itself be an alias.
  for (Value alias : aliases.getArrayRef().drop_front()) {
    auto arg = llvm::cast<BlockArgument>(alias);
    Block *owner = arg.getOwner();
    for (Block *pred : owner->getPredecessors()) {
      auto branch = llvm::dyn_cast<BranchOpInterface>(pred->getTerminator());
      if (!branch)
        return false;
      for (unsigned s = 0; s < branch->getNumSuccessors(); ++s)
        if (branch->getSuccessor(s) == owner) {
          SuccessorOperands operands = branch.getSuccessorOperands(s);
          if (arg.getArgNumber() < operands.getProducedOperandCount() ||
              !aliases.contains(operands[arg.getArgNumber()]))
            return false;
        }
    }
  }
  // Replace, then drop the arguments (highest position first) and their operands.
  SmallVector<BlockArgument> args;
  for (Value alias : aliases.getArrayRef().drop_front()) {
    alias.replaceAllUsesWith(slot);
    args.push_back(llvm::cast<BlockArgument>(alias));
  }
  llvm::sort(args, [](BlockArgument a, BlockArgument b) { return a.getArgNumber() > b.getArgNumber(); });
  for (BlockArgument arg : args) {
    Block *owner = arg.getOwner();
    unsigned position = arg.getArgNumber();
    for (Block *pred : llvm::SetVector<Block *>(owner->pred_begin(), owner->pred_end())) {
      auto branch = llvm::cast<BranchOpInterface>(pred->getTerminator());
      for (unsigned s = 0; s < branch->getNumSuccessors(); ++s)
        if (branch->getSuccessor(s) == owner)
          branch.getSuccessorOperands(s).erase(position);
    }
    owner->eraseArgument(position);
  }
  return true;
}

/// A range loop this pass can make an scf.for.
struct RangeLoop {
  memref::AllocaOp slot;
  Block *pre = nullptr, *head = nullptr;
  cf::CondBranchOp test;
  Value fields[kFields];                      // the values stored in ^pre
  SmallVector<Operation *> initStores;        // ^pre's stores
  Value cur;                                  // the header's load of the value
  SmallVector<memref::LoadOp> invariantLoads; // of step and lowest, in the body
  llvm::SetVector<Block *> body;              // the loop's blocks but the header
};

/// Whether `v` is `op(lhs, rhs)` (either order where `commutes`), in `block`, used once.
template <typename OpTy> bool isOp(Value v, Value lhs, Value rhs, Block *block, bool commutes) {
  auto op = v.getDefiningOp<OpTy>();
  return op && op->getBlock() == block && op->hasOneUse() &&
         ((op.getLhs() == lhs && op.getRhs() == rhs) || (commutes && op.getLhs() == rhs && op.getRhs() == lhs));
}

/// The range loop `slot` drives, if it has the shape above and is left only through the
/// header's test.
std::optional<RangeLoop> matchLoop(memref::AllocaOp slot) {
  RangeLoop loop;
  loop.slot = slot;
  // The header is the one block that reads how many values are left.
  for (Operation *user : slot->getUsers())
    if (auto load = llvm::dyn_cast<memref::LoadOp>(user); load && fieldOf(load.getIndices()) == kLeft) {
      if (loop.head)
        return std::nullopt; // advanced in two places (next() inside the loop)
      loop.head = load->getBlock();
    }
  if (!loop.head)
    return std::nullopt;
  // Uses of the slot: the header's three loads and two stores, four stores in one block
  // (^pre), and loads of the step or lowest elsewhere (checked to be in the loop below).
  memref::LoadOp headLoad[3];
  memref::StoreOp headStore[2];
  Operation *initStore[kFields] = {};
  for (Operation *user : slot->getUsers()) {
    bool inHead = user->getBlock() == loop.head;
    if (auto store = llvm::dyn_cast<memref::StoreOp>(user)) {
      int64_t f = fieldOf(store.getIndices());
      if (f < 0 || store.getValueToStore() == slot.getResult())
        return std::nullopt;
      if (inHead) {
        if (f > kLeft || headStore[f])
          return std::nullopt;
        headStore[f] = store;
        continue;
      }
      if (initStore[f] || (loop.pre && loop.pre != store->getBlock()))
        return std::nullopt;
      initStore[f] = store;
      loop.pre = store->getBlock();
      loop.fields[f] = store.getValueToStore();
      continue;
    }
    auto load = llvm::dyn_cast<memref::LoadOp>(user);
    int64_t f = load ? fieldOf(load.getIndices()) : -1;
    if (inHead && f >= 0 && f <= kStep && !headLoad[f])
      headLoad[f] = load;
    else if (!inHead && (f == kStep || f == kLowest))
      loop.invariantLoads.push_back(load);
    else
      return std::nullopt;
  }
  if (llvm::is_contained(initStore, nullptr) || !headLoad[0] || !headLoad[1] || !headLoad[2] || !headStore[0] ||
      !headStore[1])
    return std::nullopt;
  loop.initStores.assign(std::begin(initStore), std::end(initStore));
  loop.cur = headLoad[kCurrent];

  // ^pre branches to the header, which holds exactly the advance and the test: 3 loads,
  // cur + step and left - 1 stored back, left != 0 tested.
  auto enter = llvm::dyn_cast<cf::BranchOp>(loop.pre->getTerminator());
  if (!enter || enter.getDest() != loop.head || loop.head == loop.pre)
    return std::nullopt;
  loop.test = llvm::dyn_cast<cf::CondBranchOp>(loop.head->getTerminator());
  Value left = headLoad[kLeft];
  APInt one;
  auto decrement = headStore[kLeft].getValueToStore().getDefiningOp<arith::SubIOp>();
  if (!loop.test || loop.head->getOperations().size() != 9 ||
      !isOp<arith::AddIOp>(headStore[kCurrent].getValueToStore(), loop.cur, headLoad[kStep], loop.head, true) ||
      !decrement || !isOp<arith::SubIOp>(decrement, left, decrement.getRhs(), loop.head, false) ||
      !matchPattern(decrement.getRhs(), m_ConstantInt(&one)) || !one.isOne())
    return std::nullopt;
  auto more = loop.test.getCondition().getDefiningOp<arith::CmpIOp>();
  if (!more || more->getBlock() != loop.head || more.getPredicate() != arith::CmpIPredicate::ne ||
      more.getLhs() != left || !matchPattern(more.getRhs(), m_Zero()) || !more->hasOneUse())
    return std::nullopt;
  for (Value v : {headLoad[kLeft].getResult(), headLoad[kStep].getResult()})
    for (Operation *u : v.getUsers())
      if (u->getBlock() != loop.head)
        return std::nullopt;
  // The edges out of the header carry no value it computes but the value itself.
  for (Value v : loop.test->getOperands().drop_front())
    if (v.getParentBlock() == loop.head && !llvm::isa<BlockArgument>(v) && v != loop.cur)
      return std::nullopt;
  if (llvm::is_contained(loop.test.getFalseDestOperands(), loop.cur))
    return std::nullopt;
  Block *entry = loop.test.getTrueDest(), *exit = loop.test.getFalseDest();
  if (entry == loop.head || exit == loop.head)
    return std::nullopt;

  // The loop's blocks: from the body's entry to the header, never leaving otherwise.
  Region *region = loop.head->getParent();
  SmallVector<Block *> work{entry};
  loop.body.insert(entry);
  while (!work.empty()) {
    Block *block = work.pop_back_val();
    Operation *term = block->getTerminator();
    if (!llvm::isa<BranchOpInterface>(term) || term->getNumSuccessors() == 0)
      return std::nullopt; // a return or raise inside
    for (Block *succ : term->getSuccessors()) {
      if (succ == loop.head)
        continue;
      if (succ == exit || succ == loop.pre)
        return std::nullopt;
      if (loop.body.insert(succ))
        work.push_back(succ);
    }
  }
  auto inLoop = [&](Operation *op) {
    Block *block = region->findAncestorBlockInRegion(*op->getBlock());
    return block && (block == loop.head || loop.body.contains(block));
  };
  // The header is entered only from ^pre and the loop's own blocks.
  for (Block *pred : loop.head->getPredecessors())
    if (pred != loop.pre && !loop.body.contains(pred))
      return std::nullopt;
  // Nothing outside uses what the body defines, or the value.
  for (Block *block : loop.body) {
    for (Block *pred : block->getPredecessors())
      if (pred != loop.head && !loop.body.contains(pred))
        return std::nullopt;
    WalkResult escapes = block->walk([&](Operation *op) {
      for (Value v : op->getResults())
        for (Operation *u : v.getUsers())
          if (!inLoop(u))
            return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (escapes.wasInterrupted())
      return std::nullopt;
    for (Value arg : block->getArguments())
      for (Operation *u : arg.getUsers())
        if (!inLoop(u))
          return std::nullopt;
  }
  for (Operation *u : loop.cur.getUsers())
    if (!inLoop(u))
      return std::nullopt;
  for (memref::LoadOp load : loop.invariantLoads)
    if (!inLoop(load) || load->getBlock() == loop.head)
      return std::nullopt;
  return loop;
}

/// Makes `loop` an scf.for in ^pre, which then branches to the exit.
void rewrite(RangeLoop &loop) {
  Location loc = loop.test.getLoc();
  auto enter = llvm::cast<cf::BranchOp>(loop.pre->getTerminator());
  OpBuilder b(enter);
  Value start = loop.fields[kCurrent], count = loop.fields[kLeft], step = loop.fields[kStep];
  Type i64 = b.getI64Type();
  APInt constStep;
  bool constantStep = matchPattern(step, m_ConstantInt(&constStep));
  bool unitStep = constantStep && constStep.isOne();
  Value one = arith::ConstantIntOp::create(b, loc, i64, 1);
  Value lb = unitStep ? start : arith::ConstantIntOp::create(b, loc, i64, 0).getResult();
  Value ub = unitStep ? arith::AddIOp::create(b, loc, start, count).getResult() : count;
  // A step known only at run time (a sieve's `range(i * i, n, i)`) carries the value as
  // well, added to each iteration: with start + k * step instead, LLVM vectorizes such a
  // loop into a scatter of scalar stores, slower than the plain loop.
  SmallVector<Value> init(enter.getDestOperands());
  if (!constantStep)
    init.push_back(start);
  auto forOp = scf::ForOp::create(b, loc, lb, ub, one, init, nullptr, /*unsignedCmp=*/!unitStep);
  forOp->setAttr(py::kRangeLoopMark, b.getUnitAttr());
  Block *forBody = forOp.getBody();
  b.setInsertionPointToStart(forBody);
  Value iv = forOp.getInductionVar();
  Value cur = unitStep       ? iv
              : constantStep ? arith::AddIOp::create(b, loc, start, arith::MulIOp::create(b, loc, iv, step)).getResult()
                             : forOp.getRegionIterArgs().back();
  SmallVector<Value> carriedNext;
  if (!constantStep)
    carriedNext.push_back(arith::AddIOp::create(b, loc, cur, step));
  ValueRange iterArgs = forOp.getRegionIterArgs();

  // The header's arguments inside the loop are the iter_args; its value is `cur`.
  auto mapped = [&](Value v) -> Value {
    if (auto arg = llvm::dyn_cast<BlockArgument>(v); arg && arg.getOwner() == loop.head)
      return iterArgs[arg.getArgNumber()];
    return v == loop.cur ? cur : v;
  };
  SmallVector<Value> entryOperands = llvm::map_to_vector(loop.test.getTrueDestOperands(), mapped);
  Block *entry = loop.test.getTrueDest();
  Operation *latch = entry->getTerminator();
  bool oneBlock = loop.body.size() == 1 && llvm::isa<cf::BranchOp>(latch);
  if (oneBlock) {
    // One block: its operations go straight into the scf.for.
    SmallVector<Value> yielded(llvm::cast<cf::BranchOp>(latch).getDestOperands());
    yielded.append(carriedNext);
    forBody->getOperations().splice(forBody->end(), entry->getOperations(), entry->begin(), std::prev(entry->end()));
    b.setInsertionPointToEnd(forBody);
    scf::YieldOp::create(b, loc, yielded);
    for (auto [arg, v] : llvm::zip(entry->getArguments(), entryOperands))
      arg.replaceAllUsesWith(v);
    latch->erase(); // the block goes with the header's branch to it, below
  } else {
    // Several: they keep their branches inside an scf.execute_region, whose edges back to
    // the header go to a block that yields.
    auto region = scf::ExecuteRegionOp::create(b, loc, loop.head->getArgumentTypes());
    Region &blocks = region.getRegion();
    Block *start = new Block();
    blocks.push_back(start);
    for (Block *block : loop.body)
      block->moveBefore(&blocks, blocks.end());
    Block *yieldBlock = new Block();
    blocks.push_back(yieldBlock);
    for (Type t : loop.head->getArgumentTypes())
      yieldBlock->addArgument(t, loc);
    OpBuilder inRegion = OpBuilder::atBlockEnd(yieldBlock);
    scf::YieldOp::create(inRegion, loc, yieldBlock->getArguments());
    inRegion.setInsertionPointToEnd(start);
    cf::BranchOp::create(inRegion, loc, entry, entryOperands);
    for (Block *block : loop.body)
      for (unsigned s = 0; s < block->getTerminator()->getNumSuccessors(); ++s)
        if (block->getTerminator()->getSuccessor(s) == loop.head)
          block->getTerminator()->setSuccessor(yieldBlock, s);
    SmallVector<Value> yielded(region.getResults());
    yielded.append(carriedNext);
    scf::YieldOp::create(b, loc, yielded);
  }
  // Uses inside the scf.for see the iteration's values; uses after it, the final ones.
  for (BlockArgument arg : loop.head->getArguments()) {
    arg.replaceUsesWithIf(iterArgs[arg.getArgNumber()],
                          [&](OpOperand &use) { return forOp->isProperAncestor(use.getOwner()); });
  }
  loop.cur.replaceUsesWithIf(cur, [&](OpOperand &use) { return forOp->isProperAncestor(use.getOwner()); });
  for (memref::LoadOp load : loop.invariantLoads) {
    load.getResult().replaceAllUsesWith(loop.fields[fieldOf(load.getIndices())]);
    load.erase();
  }
  b.setInsertionPoint(enter);
  SmallVector<Value> exitOperands;
  for (Value v : loop.test.getFalseDestOperands()) {
    auto arg = llvm::dyn_cast<BlockArgument>(v);
    exitOperands.push_back(arg && arg.getOwner() == loop.head ? forOp.getResult(arg.getArgNumber()) : v);
  }
  cf::BranchOp::create(b, loc, loop.test.getFalseDest(), exitOperands);
  enter.erase();
  for (BlockArgument arg : loop.head->getArguments())
    arg.replaceAllUsesWith(forOp.getResult(arg.getArgNumber()));
  // The header, then the slot, go.
  loop.test.erase();
  while (!loop.head->empty())
    loop.head->back().erase();
  loop.head->erase();
  if (oneBlock)
    entry->erase();
  for (Operation *store : loop.initStores)
    store->erase();
  if (loop.slot->use_empty())
    loop.slot.erase();
}

/// Whether `fn` is a generator (its body suspends): its loops stay as they are.
bool isGenerator(func::FuncOp fn) {
  return fn
      .walk([](LLVM::CallOp call) {
        auto callee = call.getCallee();
        return callee && *callee == "numlir.coro_suspend" ? WalkResult::interrupt() : WalkResult::advance();
      })
      .wasInterrupted();
}

struct RangeForLoopsPass : py::impl::RangeForLoopsBase<RangeForLoopsPass> {
  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    if (fn.isExternal() || isGenerator(fn))
      return;
    SmallVector<memref::AllocaOp> slots;
    // py-to-std makes the slots in the entry block, so they dominate every use made of them.
    fn.walk([&](memref::AllocaOp slot) {
      if (slot->removeAttr(py::kRangeSlotMark) && slot->getBlock() == &fn.getBody().front() && forwardSlot(slot))
        slots.push_back(slot);
    });
    // Innermost first: a loop has more blocks than any loop inside it. Each is matched
    // again right before its rewrite, since rewriting an inner loop changes the outer one.
    SmallVector<std::pair<size_t, memref::AllocaOp>> order;
    for (memref::AllocaOp slot : slots)
      if (std::optional<RangeLoop> loop = matchLoop(slot))
        order.emplace_back(loop->body.size(), slot);
    llvm::stable_sort(order, [](auto &x, auto &y) { return x.first < y.first; });
    for (auto &[size, slot] : order)
      if (std::optional<RangeLoop> loop = matchLoop(slot))
        rewrite(*loop);
  }
};
} // namespace
