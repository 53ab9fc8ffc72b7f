// numlir-fuse-reductions: reductions read their arrays once.
//
// First, a reduction of an elementwise expression (`np.sum(a * b)`) computes the
// expression in its own loop instead of reading a temporary array the expression filled
// (`foldIntoReadingLoops`).
//
// Then reductions of one array share one loop. py-to-std lowers each reduction (a.sum(),
// a.min(), a.mean(), ...) to its own scf.for nest over the array, so `a.sum(), a.min(),
// a.max()` reads a memory-bound array three times; numba does the same. Sibling nests that
// only read memory and run over the same iteration space merge into one nest (each result
// keeps its own order of operations, so results are unchanged), and a nest identical to an
// earlier one goes (a.sum() and a.mean() share their sum). A later nest moves up to an
// earlier one only where that is safe whatever path is taken: nothing on the way writes
// memory, everything it uses is already defined, and every load it makes is in bounds (an
// induction variable from 0 to the array's size), so running it early, or where the
// original would have raised first, cannot fault. With parallel=True, a reduction that
// numlir-parallel-array-loops can split among threads does not merge with one it cannot,
// and an argmin/argmax (run in blocks by numlir-block-arg-reductions) merges with none.
#include "numlir/Conversion/PyToStd/LoweringUtils.h"
#include "numlir/Transforms/Passes.h"
#include "numlir/Transforms/ReductionLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::py {
#define GEN_PASS_DEF_FUSEREDUCTIONS
#include "numlir/Transforms/Passes.h.inc"
} // namespace mlir::py

using namespace mlir;

namespace {
/// The array `v` is a view of (through casts and views), or `v`.
Value rootArray(Value v) {
  for (;;) {
    if (auto view = v.getDefiningOp<ViewLikeOpInterface>())
      v = view.getViewSource();
    else if (auto cast = v.getDefiningOp<memref::CastOp>())
      v = cast.getSource();
    else
      return v;
  }
}

/// Whether `n` is the size of `array` along `axis`: a memref.dim of it, or the size the
/// view or allocation that made it was given (py-to-std's broadcast views).
bool isSizeOf(Value n, Value array, unsigned axis) {
  if (auto dim = n.getDefiningOp<memref::DimOp>())
    return dim.getSource() == array && dim.getConstantIndex() == static_cast<int64_t>(axis);
  SmallVector<OpFoldResult> sizes;
  if (auto view = array.getDefiningOp<memref::ReinterpretCastOp>())
    sizes = view.getMixedSizes();
  else if (auto alloc = array.getDefiningOp<memref::AllocOp>())
    sizes = alloc.getMixedSizes();
  return axis < sizes.size() && llvm::dyn_cast_if_present<Value>(sizes[axis]) == n;
}

/// Whether the load's index at `position` is the induction variable of a loop around it
/// that runs from a constant >= 0 upwards, below the loaded array's size on that axis.
/// (A loop around the nest counts too: it also encloses wherever the nest may move.)
bool indexInBounds(memref::LoadOp load, unsigned position) {
  auto iv = llvm::dyn_cast<BlockArgument>(load.getIndices()[position]);
  auto loop = iv ? llvm::dyn_cast<scf::ForOp>(iv.getOwner()->getParentOp()) : scf::ForOp();
  if (!loop || loop.getInductionVar() != iv)
    return false;
  std::optional<int64_t> lower = getConstantIntValue(loop.getLowerBound());
  std::optional<int64_t> step = getConstantIntValue(loop.getStep());
  return lower && *lower >= 0 && step && *step > 0 && isSizeOf(loop.getUpperBound(), load.getMemRef(), position);
}

/// The arrays a loop nest reads, if it only reads memory (nested scf.for loops, loads
/// and side-effect-free ops); `speculatable` also asks that every load be in bounds and
/// every other op safe to run anywhere, so that the nest may run earlier than written.
std::optional<SmallVector<Value>> readOnlyNest(scf::ForOp nest, bool speculatable) {
  SmallVector<Value> arrays;
  WalkResult walk = nest.getBody()->walk([&](Operation *op) {
    if (auto loop = llvm::dyn_cast<scf::ForOp>(op)) {
      // A loop that may run early must end: a constant step above 0.
      std::optional<int64_t> step = getConstantIntValue(loop.getStep());
      return !speculatable || (step && *step > 0) ? WalkResult::advance() : WalkResult::interrupt();
    }
    if (llvm::isa<scf::YieldOp>(op))
      return WalkResult::advance();
    if (auto load = llvm::dyn_cast<memref::LoadOp>(op)) {
      for (unsigned d = 0; speculatable && d < load.getIndices().size(); ++d)
        if (!indexInBounds(load, d))
          return WalkResult::interrupt();
      arrays.push_back(rootArray(load.getMemRef())); // (views of one array share its memory)
      return WalkResult::advance();
    }
    if (op->getNumRegions() != 0 || !isMemoryEffectFree(op) || (speculatable && !isSpeculatable(op)))
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return std::nullopt;
  return arrays;
}

/// Whether anything that runs after `first` and before `second` (which `first`
/// dominates, in the same region) may write memory: the rest of `first`'s block, the
/// blocks on paths between them, and the start of `second`'s block. A path that comes
/// back to `first` runs it again, and only what follows its last run matters; one that
/// reaches `second`'s block has reached `second`. So paths stop at either block, and a
/// loop around both (a Python loop) does not count the rest of its body.
bool writesBetween(Operation *first, Operation *second) {
  Block *from = first->getBlock(), *to = second->getBlock();
  auto anyWrite = [](Block::iterator begin, Block::iterator end) {
    return std::any_of(begin, end, [](Operation &op) { return py::mayWriteMemory(&op); });
  };
  if (from == to)
    return anyWrite(std::next(first->getIterator()), second->getIterator());
  // The blocks a path from `start` passes before it meets `from` or `to`.
  auto passed = [&](Block *start, bool forward) {
    llvm::SetVector<Block *> seen;
    SmallVector<Block *> work{start};
    while (!work.empty()) {
      Block *block = work.pop_back_val();
      for (Block *next : forward ? SmallVector<Block *>(block->getSuccessors()) : SmallVector<Block *>(block->getPredecessors()))
        if (next != from && next != to && seen.insert(next))
          work.push_back(next);
    }
    return seen;
  };
  llvm::SetVector<Block *> after = passed(from, true), before = passed(to, false);
  for (Block *block : after)
    if (before.contains(block) && anyWrite(block->begin(), block->end()))
      return true;
  return anyWrite(std::next(first->getIterator()), from->end()) || anyWrite(to->begin(), second->getIterator());
}

/// Whether `nest` is an argmin/argmax that numlir-block-arg-reductions runs in blocks.
bool runsInBlocks(scf::ForOp nest) {
  return nest->walk([](scf::ForOp loop) {
               return loop->hasAttr(py::kArgReductionMark) ? WalkResult::interrupt() : WalkResult::advance();
             }).wasInterrupted();
}

/// Whether `first` and `second` iterate over the same values.
bool sameIterations(scf::ForOp first, scf::ForOp second) {
  auto same = [](Value x, Value y) {
    std::optional<int64_t> cx = getConstantIntValue(x), cy = getConstantIntValue(y);
    return x == y || (cx && cy && *cx == *cy);
  };
  return same(first.getLowerBound(), second.getLowerBound()) && same(first.getUpperBound(), second.getUpperBound()) &&
         same(first.getStep(), second.getStep());
}

/// Whether every value `nest` uses from outside it is defined before `point`.
bool inputsDefinedBefore(scf::ForOp nest, Operation *point, DominanceInfo &dominance) {
  llvm::SetVector<Value> used;
  getUsedValuesDefinedAbove(nest.getRegion(), used);
  used.insert(nest->getOperands().begin(), nest->getOperands().end());
  return llvm::all_of(used, [&](Value v) { return dominance.properlyDominates(v, point); });
}

/// The outermost scf.for around `op` that sits in `region`, if any.
scf::ForOp outermostLoopIn(Operation *op, Region *region) {
  scf::ForOp outer;
  for (Operation *p = op->getParentOp(); p; p = p->getParentOp()) {
    if (auto loop = llvm::dyn_cast<scf::ForOp>(p))
      outer = loop;
    if (p->getParentRegion() == region)
      return outer && outer->getParentRegion() == region ? outer : scf::ForOp();
  }
  return scf::ForOp();
}

/// Whether `nest` writes nothing but arrays it allocated fresh in this function that are
/// none of `inputs` (so that it cannot change what `inputs` hold).
bool writesOnlyOtherFreshArrays(scf::ForOp nest, ArrayRef<Value> inputs) {
  WalkResult walk = nest.getBody()->walk([&](Operation *op) {
    if (auto store = llvm::dyn_cast<memref::StoreOp>(op)) {
      Value target = rootArray(store.getMemRef());
      bool fresh = target.getDefiningOp<memref::AllocOp>() &&
                   llvm::none_of(inputs, [&](Value in) { return rootArray(in) == target; });
      return fresh ? WalkResult::advance() : WalkResult::interrupt();
    }
    if (llvm::isa<scf::ForOp>(op) || op->getNumRegions() == 0)
      return py::mayWriteMemory(op) ? WalkResult::interrupt() : WalkResult::advance();
    return WalkResult::interrupt();
  });
  return !walk.wasInterrupted();
}

/// `np.sum(a * b)`: the elementwise expression fills a temporary array that loops then
/// read. Where loops are all that reads it, each load of an element becomes the
/// expression computed from the operands' elements at the same place, and the temporary
/// goes: the operands are read once, nothing is written. The expression is a
/// linalg.generic over the whole array (identity maps: py-to-std broadcasts through zero
/// strides), its operands unchanged between it and the loops.
bool foldIntoReadingLoops(memref::AllocOp alloc, DominanceInfo &dominance) {
  linalg::GenericOp producer;
  SmallVector<memref::LoadOp> loads;
  SmallVector<memref::DimOp> dims;
  for (Operation *user : alloc->getUsers()) {
    if (auto load = llvm::dyn_cast<memref::LoadOp>(user))
      loads.push_back(load);
    else if (auto dim = llvm::dyn_cast<memref::DimOp>(user))
      dims.push_back(dim);
    else if (auto generic = llvm::dyn_cast<linalg::GenericOp>(user); generic && !producer)
      producer = generic;
    else
      return false;
  }
  if (!producer || loads.empty() || producer.getNumDpsInits() != 1 || producer.getDpsInits()[0] != alloc.getResult() ||
      producer.getNumResults() != 0 || producer.getNumParallelLoops() != producer.getNumLoops() ||
      !llvm::all_of(producer.getIndexingMapsArray(), [](AffineMap m) { return m.isIdentity(); }))
    return false;
  Block &body = producer.getRegion().front();
  if (!body.getArguments().back().use_empty() ||
      !llvm::all_of(body.without_terminator(), [](Operation &op) { return isPure(&op) && !llvm::isa<linalg::IndexOp>(op); }))
    return false;
  // Each load computes the expression anew: where several loads (a mean, then a
  // variance) read it, only arithmetic is cheaper than a temporary; np.exp is not.
  bool arithmetic = llvm::all_of(body.without_terminator(), [](Operation &op) { return llvm::isa<arith::ArithDialect>(op.getDialect()); });
  if (loads.size() > 1 && !arithmetic)
    return false;
  SmallVector<Value> inputs(producer.getDpsInputs());
  for (memref::LoadOp load : loads) {
    scf::ForOp nest = outermostLoopIn(load, producer->getParentRegion());
    if (!nest || !dominance.properlyDominates(producer.getOperation(), nest.getOperation()) ||
        !writesOnlyOtherFreshArrays(nest, inputs) || writesBetween(producer, nest))
      return false;
  }
  for (memref::LoadOp load : loads) {
    OpBuilder b(load);
    IRMapping mapping;
    for (auto [input, arg] : llvm::zip(inputs, body.getArguments()))
      mapping.map(arg, memref::LoadOp::create(b, load.getLoc(), input, load.getIndices()));
    for (Operation &op : body.without_terminator())
      b.clone(op, mapping);
    load.replaceAllUsesWith(mapping.lookup(body.getTerminator()->getOperand(0)));
    load.erase();
  }
  for (memref::DimOp dim : dims) {
    OpBuilder b(dim);
    std::optional<int64_t> axis = dim.getConstantIndex();
    if (!axis)
      return true; // (the temporary stays; only its loads went)
    dim.replaceAllUsesWith(getValueOrCreateConstantIndexOp(b, dim.getLoc(), alloc.getMixedSizes()[*axis]));
    dim.erase();
  }
  producer.erase();
  alloc.erase();
  return true;
}

struct FuseReductionsPass : py::impl::FuseReductionsBase<FuseReductionsPass> {

  /// Merges one pair of loops, if any pair qualifies; a loop identical to an earlier one
  /// is dropped first, so that shared reductions are not computed twice.
  bool mergeOnePair(func::FuncOp func, bool identicalOnly) {
    SmallVector<scf::ForOp> loops;
    func.walk<WalkOrder::PreOrder>([&](scf::ForOp loop) { loops.push_back(loop); });
    // What each loop reads, if it only reads and may merge (once per loop, not per pair).
    // An argmin/argmax merges with no other loop (numlir-block-arg-reductions runs it in
    // blocks: a vectorized pass of its own, where merged its select chain runs per element).
    SmallVector<std::optional<SmallVector<Value>>> reads;
    for (scf::ForOp loop : loops)
      reads.push_back(!identicalOnly && runsInBlocks(loop) ? std::nullopt : readOnlyNest(loop, false));
    DominanceInfo dominance(func);
    IRRewriter rewriter(func.getContext());
    for (auto [second, mayMerge] : llvm::zip(loops, reads)) {
      if (!mayMerge)
        continue;
      std::optional<SmallVector<Value>> secondReads = readOnlyNest(second, !identicalOnly);
      if (!secondReads || secondReads->empty())
        continue;
      for (auto [first, firstReads] : llvm::zip(loops, reads)) {
        if (first == second || first->getParentRegion() != second->getParentRegion() || !sameIterations(first, second) ||
            !dominance.properlyDominates(first.getOperation(), second.getOperation()))
          continue;
        if (!firstReads || writesBetween(first, second))
          continue;
        if (identicalOnly) {
          if (!OperationEquivalence::isEquivalentTo(first, second, OperationEquivalence::IgnoreLocations))
            continue;
          rewriter.replaceOp(second, first.getResults());
          return true;
        }
        // Only loops that share an array gain from reading it together.
        bool shareAnArray = llvm::any_of(*secondReads, [&](Value a) { return llvm::is_contained(*firstReads, a); });
        if (!shareAnArray || !inputsDefinedBefore(second, first, dominance))
          continue;
        // With parallel=True, a reduction the threads can split (a sum) stays apart from
        // one they cannot (an argmax): together, both would run in order.
        if (parallel && py::reducesInChunks(first) != py::reducesInChunks(second))
          continue;
        second->moveAfter(first);
        fuseIndependentSiblingForLoops(first, second, rewriter);
        return true;
      }
    }
    return false;
  }

  bool parallel = false;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    auto module = func->getParentOfType<ModuleOp>();
    parallel = module && module->hasAttr("py.parallel");
    SmallVector<memref::AllocOp> allocs;
    func.walk([&](memref::AllocOp alloc) { allocs.push_back(alloc); });
    DominanceInfo dominance(func);
    for (memref::AllocOp alloc : allocs)
      foldIntoReadingLoops(alloc, dominance);
    // Each merge makes one loop of two, so this ends.
    while (mergeOnePair(func, true) || mergeOnePair(func, false)) {
    }
  }
};
} // namespace

bool mlir::py::mayWriteMemory(Operation *op) {
  if (auto effects = llvm::dyn_cast<MemoryEffectOpInterface>(op)) {
    if (effects.hasEffect<MemoryEffects::Write>() || effects.hasEffect<MemoryEffects::Free>())
      return true;
  } else if (!op->hasTrait<OpTrait::HasRecursiveMemoryEffects>()) {
    return true;
  }
  for (Region &region : op->getRegions())
    for (Operation &nested : region.getOps())
      if (mayWriteMemory(&nested))
        return true;
  return false;
}
