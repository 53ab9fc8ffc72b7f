// numlir-sink-int-checks: the check that `int(x)` of a float fits (NaN, infinities and
// values beyond int64 raise, as in CPython) moves below a range test of the result that
// already rules out its failure value. On x86 py-to-std checks the conversion's result:
// cvttsd2si gives INT64_MIN for every x that does not fit, so the check is
// `k == INT64_MIN`, a compare and branch before anything uses k. In a histogram
//     k = int(v * bins)
//     if 0 <= k < bins: counts[k] += 1
// the test `0 <= k` already excludes INT64_MIN. So the check runs only where the range
// test fails, and the common path has one compare (LLVM makes `0 <= k < bins` one
// unsigned compare), as in numba, which does not check at all. The blocks between the
// check and the test must not touch memory, so nothing observable happens before a raise
// that is now later than written, and nothing that may trap.
//
// The shape py-to-std makes (`floatToInt`), after canonicalize:
//   %m = arith.cmpi eq, %k, INT64_MIN ; %e = llvm.intr.expect %m, false
//   %site = scf.if %e -> i32 {...}    ; %r = arith.cmpi ne, %site, 0
//   cf.cond_br %r, ^raise, ^cont
// with ^cont reached from here only and ending in a test of %k against a constant.
#include "numlir/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/Pass.h"

#include <limits>

namespace mlir::py {
#define GEN_PASS_DEF_SINKINTCHECKS
#include "numlir/Transforms/Passes.h.inc"
} // namespace mlir::py

using namespace mlir;

namespace {
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

/// The ops of one conversion check, in order, and the value it checks.
struct IntCheck {
  Value k;
  arith::CmpIOp isMin;
  LLVM::ExpectOp expect;
  scf::IfOp site;
  arith::CmpIOp raises;
  cf::CondBranchOp branch;
};

/// The check that ends `block`, if the block ends in one.
std::optional<IntCheck> checkEnding(Block &block) {
  auto branch = llvm::dyn_cast<cf::CondBranchOp>(block.getTerminator());
  auto raises = branch ? branch.getCondition().getDefiningOp<arith::CmpIOp>() : arith::CmpIOp();
  if (!raises || raises.getPredicate() != arith::CmpIPredicate::ne || !matchPattern(raises.getRhs(), m_Zero()))
    return std::nullopt;
  auto site = raises.getLhs().getDefiningOp<scf::IfOp>();
  auto expect = site ? site.getCondition().getDefiningOp<LLVM::ExpectOp>() : LLVM::ExpectOp();
  auto isMin = expect ? expect.getVal().getDefiningOp<arith::CmpIOp>() : arith::CmpIOp();
  APInt min;
  if (!isMin || isMin.getPredicate() != arith::CmpIPredicate::eq || !matchPattern(isMin.getRhs(), m_ConstantInt(&min)) ||
      min.getBitWidth() != 64 || min.getSExtValue() != kMin)
    return std::nullopt;
  // All four in this block, used only by the next (the site also by the raise path).
  for (Operation *op : {isMin.getOperation(), expect.getOperation(), site.getOperation(), raises.getOperation()})
    if (op->getBlock() != &block)
      return std::nullopt;
  if (!isMin->hasOneUse() || !expect->hasOneUse() || !raises->hasOneUse())
    return std::nullopt;
  return IntCheck{isMin.getLhs(), isMin, expect, site, raises, branch};
}

/// Whether `condition` being `when` rules out k == INT64_MIN.
bool excludesMin(Value condition, bool when, Value k) {
  auto cmp = condition.getDefiningOp<arith::CmpIOp>();
  APInt c;
  if (!cmp || cmp.getLhs() != k || !matchPattern(cmp.getRhs(), m_ConstantInt(&c)) || c.getBitWidth() != 64)
    return false;
  arith::CmpIPredicate p = when ? cmp.getPredicate() : arith::invertPredicate(cmp.getPredicate());
  int64_t s = c.getSExtValue();
  uint64_t u = c.getZExtValue(), minAsUnsigned = uint64_t(1) << 63;
  switch (p) {
  case arith::CmpIPredicate::sgt: return true;
  case arith::CmpIPredicate::sge: return s != kMin;
  case arith::CmpIPredicate::ne: return s == kMin;
  case arith::CmpIPredicate::eq: return s != kMin;
  case arith::CmpIPredicate::ult: return u <= minAsUnsigned;
  case arith::CmpIPredicate::ule: return u < minAsUnsigned;
  default: return false;
  }
}

/// Whether `block` is entered only from `from` and, before its end, touches no memory and
/// does nothing that may trap (a division may: it now runs before the check, on a k the
/// check would have refused).
bool pureStep(Block *block, Block *from) {
  return block->getSinglePredecessor() == from &&
         llvm::all_of(block->without_terminator(), [](Operation &op) { return isPure(&op); });
}

/// Moves `check` below the range test after it, if there is one; returns whether it did.
bool sink(IntCheck &check) {
  Block *checked = check.branch->getBlock();
  Block *cont = check.branch.getFalseDest();
  if (!cont->getArguments().empty() || !pureStep(cont, checked))
    return false;
  auto test = llvm::dyn_cast<cf::CondBranchOp>(cont->getTerminator());
  if (!test)
    return false;
  // `safe`: the successor the test sends k to when k is not INT64_MIN; the other one
  // (`fails`) gets the check.
  bool whenTrue = excludesMin(test.getCondition(), true, check.k);
  if (!whenTrue && !excludesMin(test.getCondition(), false, check.k))
    return false;
  Block *fails = whenTrue ? test.getFalseDest() : test.getTrueDest();
  Block *raise = check.branch.getTrueDest();
  if (fails == raise || fails == cont || (whenTrue ? test.getTrueDest() : test.getFalseDest()) == fails)
    return false;
  // The test's blocks: the first, then (along the safe edge) any more pure tests that
  // also fail to `fails`, as in `0 <= k < n`. Their failing edges all take the check,
  // so that LLVM can still merge the tests into one compare.
  SmallVector<std::pair<cf::CondBranchOp, bool>> tests{{test, whenTrue}};
  for (;;) {
    auto [last, lastTrue] = tests.back();
    Block *next = lastTrue ? last.getTrueDest() : last.getFalseDest();
    auto nextTest = llvm::dyn_cast<cf::CondBranchOp>(next->getTerminator());
    if (!nextTest || !pureStep(next, last->getBlock()) || next == fails)
      break;
    if (nextTest.getFalseDest() == fails && nextTest.getTrueDest() != fails)
      tests.push_back({nextTest, true});
    else if (nextTest.getTrueDest() == fails && nextTest.getFalseDest() != fails)
      tests.push_back({nextTest, false});
    else
      break;
  }
  // The site's other uses must be where the check now goes: the raise path.
  for (Operation *user : check.site->getUsers())
    if (user != check.raises && user != check.branch &&
        !(user->getBlock() == raise && raise->getSinglePredecessor() == checked))
      return false;
  // A new block on the failing edges: the check, then on to `fails`.
  OpBuilder b(check.branch);
  Block *checkBlock = new Block();
  cont->getParent()->getBlocks().insertAfter(Region::iterator(cont), checkBlock);
  SmallVector<Location> locs(fails->getNumArguments(), check.branch.getLoc());
  checkBlock->addArguments(fails->getArgumentTypes(), locs);
  for (Operation *op : {check.isMin.getOperation(), check.expect.getOperation(), check.site.getOperation(),
                        check.raises.getOperation()})
    op->moveBefore(checkBlock, checkBlock->end());
  b.setInsertionPointToEnd(checkBlock);
  cf::CondBranchOp::create(b, check.branch.getLoc(), check.raises, raise, check.branch.getTrueDestOperands(), fails,
                             checkBlock->getArguments());
  b.setInsertionPoint(check.branch);
  cf::BranchOp::create(b, check.branch.getLoc(), cont, ValueRange{});
  check.branch.erase();
  for (auto [branch, safeWhenTrue] : tests)
    branch->setSuccessor(checkBlock, safeWhenTrue ? 1 : 0);
  return true;
}

struct SinkIntChecksPass : py::impl::SinkIntChecksBase<SinkIntChecksPass> {
  void runOnOperation() override {
    SmallVector<IntCheck> checks;
    for (Block &block : getOperation().getBody())
      if (std::optional<IntCheck> check = checkEnding(block))
        checks.push_back(*check);
    for (IntCheck &check : checks)
      sink(check);
  }
};
} // namespace

