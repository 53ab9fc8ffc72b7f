// numlir-block-arg-reductions: argmin and argmax loops run in blocks. py-to-std writes an
// argmax as one loop that keeps the best element and its index in selects:
//     better = (x > best || isnan(x)) && !isnan(best)
//     best = better ? x : best;  index = better ? pos : index;  pos += 1
// Each element's test waits for the previous element's select, a chain of several cycles
// per element (9M float64 took 38 ms, against 3 ms for a.max()). Here the loop runs over
// blocks of a few thousand elements instead: the block's best value is a min/max
// reduction (no chain through the index, so LLVM vectorizes it), the loop's own test
// compares it with the best so far, and only a block that is better is searched for the
// first element equal to its best (or the first NaN, which min/max propagate). The test
// is strict, so the first of equal elements still wins; -0.0 and 0.0 compare equal in
// the search as in the test.
//
// py-to-std marks the loops it makes this way `numlir.arg_reduction` with the min/max kind
// of the block reduction (maximumf, mins, maxu...). The pass runs after
// numlir-parallel-array-loops, which splits the loops in their first form (each chunk a
// copy of the marked loop, blocked here in turn).
#include "numlir/Conversion/PyToStd/LoweringUtils.h"
#include "numlir/Transforms/Passes.h"
#include "numlir/Transforms/ReductionLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/Pass.h"

#include <limits>

namespace mlir::py {
#define GEN_PASS_DEF_BLOCKARGREDUCTIONS
#include "numlir/Transforms/Passes.h.inc"
} // namespace mlir::py

using namespace mlir;

namespace {
/// Clones `loop`'s body (without its yield) at `b` for the iteration `iv`, the carried
/// values read as `carried`; returns the mapping (what the loop's values became).
IRMapping cloneBody(OpBuilder &b, scf::ForOp loop, Value iv, ValueRange carried) {
  IRMapping map;
  map.map(loop.getInductionVar(), iv);
  map.map(loop.getRegionIterArgs(), carried);
  for (Operation &op : loop.getBody()->without_terminator())
    b.clone(op, map);
  return map;
}

/// Erases the ops of `block` whose results are unused and that have no effects (the
/// clones of the body's test and selects where only the element is wanted).
void eraseDeadOps(Block *block) {
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(*block)))
    if (op.use_empty() && isMemoryEffectFree(&op) && !op.hasTrait<OpTrait::IsTerminator>())
      op.erase();
}

/// Whether each element `loop` reads is at the loop's index in the last, unit-stride
/// dimension of its array (the loads vectorize).
bool readsContiguously(scf::ForOp loop) {
  auto loads = loop.getBody()->getOps<memref::LoadOp>();
  return !loads.empty() && llvm::all_of(loads, [&](memref::LoadOp load) {
    auto [strides, offset] = load.getMemRefType().getStridesAndOffset();
    return !load.getIndices().empty() && load.getIndices().back() == loop.getInductionVar() && strides.back() == 1;
  });
}

struct BlockArgReductionsPass : py::impl::BlockArgReductionsBase<BlockArgReductionsPass> {
  using BlockArgReductionsBase::BlockArgReductionsBase;

  void runOnOperation() override {
    SmallVector<scf::ForOp> loops;
    getOperation().walk([&](scf::ForOp loop) {
      if (loop->hasAttr(py::kArgReductionMark))
        loops.push_back(loop);
    });
    for (scf::ForOp loop : loops)
      block(loop);
  }

  void block(scf::ForOp loop) {
    auto kindName = loop->getAttrOfType<StringAttr>(py::kArgReductionMark);
    loop->removeAttr(py::kArgReductionMark);
    std::optional<arith::AtomicRMWKind> kind = kindName ? arith::symbolizeAtomicRMWKind(kindName.getValue()) : std::nullopt;
    std::optional<py::ArgReductionLoop> arg = py::argReductionLoop(loop);
    auto step = loop.getStep().getDefiningOp<arith::ConstantIndexOp>();
    if (!kind || !arg || !step || step.value() != 1 || !loop.getLowerBound().getType().isIndex() ||
        py::mayWriteMemory(loop))
      return;
    // The block's best value: a min/max reduction of its elements, which LLVM vectorizes
    // where they are contiguous. Elsewhere the loop stays scalar, and x86's maximumf (NaN
    // and signed zeros in order) is a chain of several instructions per element: floats
    // take maxnumf/minnumf there, and a separate "any NaN" flag makes the block's best NaN.
    std::optional<arith::AtomicRMWKind> numKind;
    bool scalar = !readsContiguously(loop);
    if (scalar && *kind == arith::AtomicRMWKind::maximumf)
      numKind = arith::AtomicRMWKind::maxnumf;
    if (scalar && *kind == arith::AtomicRMWKind::minimumf)
      numKind = arith::AtomicRMWKind::minnumf;
    Location loc = loop.getLoc();
    OpBuilder b(loop);
    Type elementType = arg->raw.getType();
    bool isFloat = llvm::isa<FloatType>(elementType);
    Value ub = loop.getUpperBound();
    Value blockLength = arith::ConstantIndexOp::create(b, loc, blockSize);
    auto blocks = scf::ForOp::create(
        b, loc, loop.getLowerBound(), ub, blockLength, loop.getInitArgs(),
        [&](OpBuilder &ob, Location l, Value start, ValueRange acc) {
          Value end = arith::MinSIOp::create(ob, l, arith::AddIOp::create(ob, l, start, blockLength), ub);
          Value one = arith::ConstantIndexOp::create(ob, l, 1);
          SmallVector<Value> blockInits{arith::getIdentityValue(*kind, elementType, ob, l)};
          if (numKind)
            blockInits.push_back(arith::ConstantOp::create(ob, l, ob.getI1Type(), ob.getBoolAttr(false)));
          auto blockBest = scf::ForOp::create(ob, l, start, end, one, blockInits,
                                              [&](OpBuilder &ib, Location il, Value i, ValueRange m) {
                                                IRMapping map = cloneBody(ib, loop, i, acc);
                                                Value x = map.lookup(arg->raw);
                                                if (!numKind) {
                                                  scf::YieldOp::create(ib, il, arith::getReductionOp(*kind, ib, il, m[0], x));
                                                  return;
                                                }
                                                Value isNan = arith::CmpFOp::create(ib, il, arith::CmpFPredicate::UNO, x, x);
                                                scf::YieldOp::create(ib, il, ValueRange{arith::getReductionOp(*numKind, ib, il, m[0], x),
                                                                                        arith::OrIOp::create(ib, il, m[1], isNan)});
                                              });
          eraseDeadOps(blockBest.getBody());
          Value m = blockBest.getResult(0);
          if (numKind)
            m = arith::SelectOp::create(ob, l, blockBest.getResult(1),
                                        arith::ConstantOp::create(ob, l, elementType, ob.getFloatAttr(elementType, std::numeric_limits<double>::quiet_NaN())),
                                        m);
          // The loop's own test, of the block's best against the best so far.
          IRMapping testMap;
          testMap.map(arg->raw, m);
          testMap.map(arg->acc, acc[arg->best]);
          for (Operation *op : arg->test)
            ob.clone(*op, testMap);
          Value better = testMap.lookupOrDefault(arg->better);
          Value bestSoFar = acc[arg->best], indexSoFar = acc[arg->index], position = acc[arg->counter];
          Type positionType = position.getType();
          auto taken = scf::IfOp::create(
              ob, l, better,
              [&](OpBuilder &tb, Location tl) {
                // The first element equal to the block's best (the first NaN where it is
                // NaN): the least i where x == m, a min reduction that vectorizes.
                auto search = scf::ForOp::create(
                    tb, tl, start, end, one, ValueRange{end}, [&](OpBuilder &sb, Location sl, Value i, ValueRange first) {
                      IRMapping map = cloneBody(sb, loop, i, acc);
                      Value x = map.lookup(arg->raw);
                      Value found;
                      if (isFloat)
                        found = arith::OrIOp::create(sb, sl, arith::CmpFOp::create(sb, sl, arith::CmpFPredicate::OEQ, x, m),
                                                     arith::CmpFOp::create(sb, sl, arith::CmpFPredicate::UNO, x, x));
                      else
                        found = arith::CmpIOp::create(sb, sl, arith::CmpIPredicate::eq, x, m);
                      Value candidate = arith::SelectOp::create(sb, sl, found, i, end);
                      scf::YieldOp::create(sb, sl, ValueRange{arith::MinSIOp::create(sb, sl, first[0], candidate)});
                    });
                eraseDeadOps(search.getBody());
                Value offset = arith::IndexCastOp::create(tb, tl, positionType, arith::SubIOp::create(tb, tl, search.getResult(0), start));
                scf::YieldOp::create(tb, tl, ValueRange{m, arith::AddIOp::create(tb, tl, position, offset)});
              },
              [&](OpBuilder &eb, Location el) { scf::YieldOp::create(eb, el, ValueRange{bestSoFar, indexSoFar}); });
          SmallVector<Value> next(acc);
          next[arg->best] = taken.getResult(0);
          next[arg->index] = taken.getResult(1);
          Value length = arith::IndexCastOp::create(ob, l, positionType, arith::SubIOp::create(ob, l, end, start));
          next[arg->counter] = arith::AddIOp::create(ob, l, position, length);
          scf::YieldOp::create(ob, l, next);
        });
    loop->replaceAllUsesWith(blocks.getResults());
    loop.erase();
  }
};
} // namespace
