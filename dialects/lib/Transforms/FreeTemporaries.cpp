// numlir-free-temporaries: frees the arrays a function allocates, with MLIR's
// ownership-based buffer deallocation. That pass needs structured loops, so the function is
// lifted to scf first; functions that neither allocate nor pass arrays out are left alone
// (their branches stay as they are, which keeps scalar code and its compile time unchanged).
#include "numlir/Conversion/PyToStd/LoweringUtils.h"
#include "numlir/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

namespace mlir::py {
#define GEN_PASS_DEF_FREETEMPORARIES
#include "numlir/Transforms/Passes.h.inc"
} // namespace mlir::py

using namespace mlir;

namespace {
/// Whether `func` owns arrays it must free or hand out: it allocates, receives arrays from
/// calls, or returns arrays (every function returning arrays must hand out owned ones).
bool managesArrays(func::FuncOp func) {
  auto isMemRef = [](Type t) { return llvm::isa<BaseMemRefType>(t); };
  if (llvm::any_of(func.getResultTypes(), isMemRef))
    return true;
  bool found = false;
  func.walk([&](Operation *op) {
    if (llvm::isa<memref::AllocOp>(op) ||
        (llvm::isa<func::CallOp>(op) && llvm::any_of(op->getResultTypes(), isMemRef)))
      found = true;
  });
  return found;
}

/// Replaces `clone` (of a returned memref) by a run-time choice: the memref as it is where
/// `uncopied` holds, else the clone. Returns the choice.
Value cloneUnless(OpBuilder &b, Value uncopied, bufferization::CloneOp clone) {
  Value input = clone.getInput();
  auto choice = scf::IfOp::create(b, 
      clone.getLoc(), uncopied,
      [&](OpBuilder &tb, Location tl) {
        Value same = input.getType() == clone.getType()
                         ? input
                         : memref::CastOp::create(tb, tl, clone.getType(), input).getResult();
        scf::YieldOp::create(tb, tl, same);
      },
      [&](OpBuilder &eb, Location el) {
        Value copy = bufferization::CloneOp::create(eb, el, clone.getType(), input);
        scf::YieldOp::create(eb, el, copy);
      });
  clone.replaceAllUsesWith(choice.getResult(0));
  clone.erase();
  return choice.getResult(0);
}

/// The entry function (the one Python calls) hands out views of its arguments as they are:
/// the caller boxes a result over an argument's buffer as a NumPy view of that argument.
/// Ownership-based deallocation clones every returned memref it does not own, which makes
/// such views copies. Each returned clone becomes a run-time choice: no copy when the value
/// shares an argument's buffer (deallocation never frees those), else the clone. Not when
/// compiled code calls the entry too: its callers there take returned memrefs as owned.
void returnArgumentViewsUncopied(ModuleOp module, func::FuncOp func) {
  auto entry = module->getAttrOfType<FlatSymbolRefAttr>("py.entry");
  if (!entry || entry.getValue() != func.getSymName() || !SymbolTable::symbolKnownUseEmpty(func, module) ||
      llvm::none_of(func.getArgumentTypes(), [](Type t) { return llvm::isa<MemRefType>(t); }))
    return;
  SmallVector<bufferization::CloneOp> returned;
  func.walk([&](bufferization::CloneOp clone) {
    if (llvm::all_of(clone->getUsers(), [](Operation *u) { return llvm::isa<func::ReturnOp, scf::YieldOp>(u); }) &&
        memref::CastOp::areCastCompatible(clone.getInput().getType(), clone.getType()))
      returned.push_back(clone);
  });
  for (bufferization::CloneOp clone : returned) {
    OpBuilder b(clone);
    Location loc = clone.getLoc();
    Value input = clone.getInput();
    Value buffer = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, input);
    Value ofArgument;
    for (BlockArgument arg : func.getArguments())
      if (llvm::isa<MemRefType>(arg.getType())) {
        Value argBuffer = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, arg);
        Value same = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, buffer, argBuffer);
        ofArgument = ofArgument ? arith::OrIOp::create(b, loc, ofArgument, same).getResult() : same;
      }
    cloneUnless(b, ofArgument, clone);
  }
}

/// A returned array that went through loops or several returns has an ownership known only
/// at run time, and ownership-based deallocation then returns a clone of it and frees the
/// original: a function that fills an array in a loop and returns it copied the whole array
/// on every call. Each such clone becomes a run-time choice: where the value's buffer is one
/// that the deallocations before the return would free (owned), it is returned as it is and
/// those deallocations retain it; otherwise it is cloned as before.
void returnOwnedBuffersUncopied(func::FuncOp func) {
  SmallVector<bufferization::CloneOp> returned;
  func.walk([&](bufferization::CloneOp clone) {
    // (A dealloc may name the clone too, retaining it: the returned result of a call, whose
    // ownership a merge with the call's error path lost.)
    if (llvm::all_of(clone->getUsers(), [](Operation *u) { return llvm::isa<func::ReturnOp, bufferization::DeallocOp>(u); }) &&
        memref::CastOp::areCastCompatible(clone.getInput().getType(), clone.getType()))
      returned.push_back(clone);
  });
  for (bufferization::CloneOp clone : returned) {
    SmallVector<bufferization::DeallocOp> deallocs;
    for (Operation *op = clone->getNextNode(); op; op = op->getNextNode())
      if (auto d = llvm::dyn_cast<bufferization::DeallocOp>(op))
        deallocs.push_back(d);
    if (deallocs.empty())
      continue;
    OpBuilder b(deallocs.front());
    Location loc = clone.getLoc();
    Value input = clone.getInput();
    Value buffer = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, input);
    Value owned;
    auto isClone = [&](Value memref) {
      auto meta = memref.getDefiningOp<memref::ExtractStridedMetadataOp>();
      return memref == clone.getResult() || (meta && meta.getSource() == clone.getResult());
    };
    for (bufferization::DeallocOp d : deallocs)
      for (auto [memref, condition] : llvm::zip(d.getMemrefs(), d.getConditions())) {
        if (isClone(memref))
          continue;
        Value same = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, buffer,
                                             memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref));
        same = arith::AndIOp::create(b, loc, same, condition);
        owned = owned ? arith::OrIOp::create(b, loc, owned, same).getResult() : same;
      }
    if (!owned)
      continue;
    Value choice = cloneUnless(b, owned, clone);
    // The deallocations keep the returned buffer: a dealloc frees no memref that aliases
    // one it retains.
    for (bufferization::DeallocOp d : deallocs) {
      OpBuilder db(d);
      SmallVector<Value> retained(d.getRetained());
      // (Where the dealloc retained the clone, it now names the choice already.)
      if (!llvm::is_contained(retained, choice))
        retained.push_back(choice);
      auto kept = bufferization::DeallocOp::create(db, d.getLoc(), d.getMemrefs(), d.getConditions(), retained);
      d.replaceAllUsesWith(kept.getResults().take_front(d.getNumResults()));
      d.erase();
    }
  }
}

/// Lifting to scf passes values that a path does not define as ub.poison. For memrefs that
/// is unsafe under ownership-based deallocation: it compares base pointers, and a poison
/// pointer may compare equal to anything, so a poison memref could be "owned" and freed. An
/// empty stack array is a real pointer that no heap buffer shares.
void replacePoisonMemrefs(func::FuncOp func) {
  SmallVector<ub::PoisonOp> poisons;
  func.walk([&](ub::PoisonOp p) {
    if (llvm::isa<MemRefType>(p.getType()))
      poisons.push_back(p);
  });
  for (ub::PoisonOp p : poisons) {
    OpBuilder b(p);
    p.replaceAllUsesWith(py::emptyArray(b, p.getLoc(), llvm::cast<MemRefType>(p.getType())));
    p.erase();
  }
}

/// The reference counts of lists and strings are llvm.atomicrmw ops, which declare no memory
/// effects; ownership-based deallocation refuses such ops. While it runs, each is a call of
/// an opaque function (which it sees past), and comes back after.
struct HiddenAtomics {
  SmallVector<std::pair<func::CallOp, std::pair<LLVM::AtomicBinOp, LLVM::AtomicOrdering>>> calls;

  void hide(func::FuncOp func) {
    SmallVector<LLVM::AtomicRMWOp> atomics;
    func.walk([&](LLVM::AtomicRMWOp op) { atomics.push_back(op); });
    if (atomics.empty())
      return;
    auto module = func->getParentOfType<ModuleOp>();
    for (LLVM::AtomicRMWOp op : atomics) {
      std::string name = "numlir.hidden_atomicrmw";
      llvm::raw_string_ostream(name) << "." << op.getVal().getType();
      auto type = FunctionType::get(func.getContext(), {op.getPtr().getType(), op.getVal().getType()}, {op.getType()});
      if (!module.lookupSymbol<func::FuncOp>(name)) {
        OpBuilder mb(module.getBodyRegion());
        func::FuncOp::create(mb, module.getLoc(), name, type).setPrivate();
      }
      OpBuilder b(op);
      auto call = func::CallOp::create(b, op.getLoc(), name, TypeRange{op.getType()}, ValueRange{op.getPtr(), op.getVal()});
      op.getResult().replaceAllUsesWith(call.getResult(0));
      calls.push_back({call, {op.getBinOp(), op.getOrdering()}});
      op.erase();
    }
  }

  void restore(ModuleOp module) {
    for (auto &[call, kind] : calls) {
      OpBuilder b(call);
      Value r = LLVM::AtomicRMWOp::create(b, call.getLoc(), kind.first, call.getOperand(0), call.getOperand(1), kind.second);
      call.replaceAllUsesWith(ValueRange{r});
      call.erase();
    }
    for (auto f : llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
      if (f.getSymName().starts_with("numlir.hidden_atomicrmw"))
        f.erase();
  }
};

struct FreeTemporariesPass : py::impl::FreeTemporariesBase<FreeTemporariesPass> {
  void runOnOperation() override {
    bool any = false;
    // Functions other than the entry are private: they then return the ownership of the
    // memrefs they return as extra results, and need not copy a returned view.
    auto entry = getOperation()->getAttrOfType<FlatSymbolRefAttr>("py.entry");
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (!func.isDeclaration() && (!entry || entry.getValue() != func.getSymName()))
        func.setPrivate();
    HiddenAtomics atomics;
    for (auto func : llvm::to_vector(getOperation().getOps<func::FuncOp>())) {
      if (func.isDeclaration() || !managesArrays(func))
        continue;
      any = true;
      atomics.hide(func);
      // The lift threads values that are undefined on some paths as ub.poison; canonicalize
      // drops most (a triple loop writing one array once lost its stores to them), and the
      // memref ones left become empty stack arrays before deallocation.
      OpPassManager lift("func.func"), free("func.func");
      if (failed(parsePassPipeline("lift-cf-to-scf,canonicalize", lift)) || failed(runPipeline(lift, func)))
        return signalPassFailure();
      replacePoisonMemrefs(func);
      if (failed(parsePassPipeline("ownership-based-buffer-deallocation{private-function-dynamic-ownership=true},canonicalize,"
                                   "buffer-deallocation-simplification",
                                   free)) ||
          failed(runPipeline(free, func)))
        return signalPassFailure();
      returnOwnedBuffersUncopied(func);
      returnArgumentViewsUncopied(getOperation(), func);
    }
    atomics.restore(getOperation());
    // Lowering the deallocations may add a helper function: a module-level step.
    OpPassManager lower("builtin.module");
    if (any && (failed(parsePassPipeline("bufferization-lower-deallocations", lower)) ||
                failed(runPipeline(lower, getOperation()))))
      signalPassFailure();
  }
};
} // namespace

