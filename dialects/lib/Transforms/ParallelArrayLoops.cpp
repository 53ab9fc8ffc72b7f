// numlir-parallel-array-loops: with parallel=True (`py.parallel` on the module), the loops
// numlir makes for array code run on the OpenMP threads, as numba's parfors do: elementwise
// expressions, `a[...] = expr`, creation (linalg ops), reductions to a scalar (read-only
// scf.for nests whose carried values are sums, products, mins, maxes, ands or ors, or an
// argmin's or argmax's position, best value and index) and reductions along an axis (loops
// py-to-std marks `numlir.parallel`).
//
// Each such loop splits its outermost range into one contiguous chunk per thread
// (omp_get_max_threads, the count set_num_threads sets): an scf.parallel over the chunks
// (convert-scf-to-openmp makes it an OpenMP loop) runs the original loop over each chunk,
// so the inner loops vectorize as before. A reduction's chunks start from the identity and
// store their partial results; a loop after combines them in chunk order with the loop's
// own start, so a result depends only on the thread count. An argmin's chunk counts
// positions from its start; the chunks' best elements are taken in order through the
// loop's own test (strictly better, NaN first), so the first of equal elements wins. Below `min-work` iterations, or
// on one thread, the original loop runs: a fork costs microseconds.
//
// Loops inside a prange body stay serial (the prange loop is already parallel). Each loop
// made parallel, and each reduction that stays serial, gets a remark saying so (what
// f.parallel_diagnostics() shows).
#include "numlir/Conversion/PyToStd/LoweringUtils.h"
#include "numlir/Transforms/Passes.h"
#include "numlir/Transforms/ReductionLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::py {
#define GEN_PASS_DEF_PARALLELARRAYLOOPS
#include "numlir/Transforms/Passes.h.inc"
} // namespace mlir::py

using namespace mlir;

namespace {
/// The most chunks a loop splits into (the partial results' stack slots).
constexpr int64_t kMaxChunks = 256;

/// The reduction an op combines with (the kind of its identity), if it is associative and
/// commutative (complex sums and products as float ones: up to rounding).
std::optional<arith::AtomicRMWKind> combinerKind(Operation *op) {
  using K = arith::AtomicRMWKind;
  return llvm::TypeSwitch<Operation *, std::optional<K>>(op)
      .Case([](arith::AddFOp) { return K::addf; })
      .Case([](arith::AddIOp) { return K::addi; })
      .Case([](arith::MulFOp) { return K::mulf; })
      .Case([](arith::MulIOp) { return K::muli; })
      .Case([](arith::MaximumFOp) { return K::maximumf; })
      .Case([](arith::MinimumFOp) { return K::minimumf; })
      .Case([](arith::MaxNumFOp) { return K::maxnumf; })
      .Case([](arith::MinNumFOp) { return K::minnumf; })
      .Case([](arith::MaxSIOp) { return K::maxs; })
      .Case([](arith::MinSIOp) { return K::mins; })
      .Case([](arith::MaxUIOp) { return K::maxu; })
      .Case([](arith::MinUIOp) { return K::minu; })
      .Case([](arith::OrIOp) { return K::ori; })
      .Case([](arith::AndIOp) { return K::andi; })
      .Case([](complex::AddOp) { return K::addf; })
      .Case([](complex::MulOp) { return K::mulf; })
      .Default([](Operation *) { return std::nullopt; });
}

/// The identity of `combiner`'s reduction. nanmax/nanmin (maxnumf/minnumf) start from NaN,
/// which both skip, so that an all-NaN chunk leaves the result NaN.
Value identityOf(OpBuilder &b, Location loc, Operation *combiner) {
  arith::AtomicRMWKind kind = *combinerKind(combiner);
  Type type = combiner->getResult(0).getType();
  if (kind == arith::AtomicRMWKind::maxnumf || kind == arith::AtomicRMWKind::minnumf)
    return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, std::numeric_limits<double>::quiet_NaN()));
  if (auto complexType = llvm::dyn_cast<ComplexType>(type)) {
    Type part = complexType.getElementType();
    double real = kind == arith::AtomicRMWKind::addf ? 0.0 : 1.0;
    return complex::ConstantOp::create(b, loc, type, b.getArrayAttr({b.getFloatAttr(part, real), b.getFloatAttr(part, 0.0)}));
  }
  return arith::getIdentityValue(kind, type, b, loc);
}

/// `omp_get_max_threads()` as an index: the threads a parallel region would get here.
Value maxThreads(OpBuilder &b, Location loc, SymbolTable &symbols) {
  Value count = py::callExternal(b, loc, symbols, "omp_get_max_threads", {}, b.getI32Type());
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), count);
}

/// How a value a loop carries starts in each chunk and how the chunks' results combine.
struct Carry {
  enum Kind {
    Combined, // `acc op x` (combiner): from the identity, then combined
    Counter,  // `pos + 1` (an argmin's position): from its value at the chunk's start
    Best,     // `select(better, x, best)` (an argmin's value): from the loop's start, then
              // the chunks' bests in order, each taken where `better` holds of it
    Index,    // `select(better, pos, index)` beside a Best: from the chunk's start
              // position, then taken with its Best
  } kind;
  Operation *combiner = nullptr;  // Combined
  Value better, raw;              // Best: the test, and the element it takes
  unsigned best = 0, counter = 0; // Index: its Best and its Counter
  SmallVector<Operation *> test;  // Best: the ops computing `better` from raw and best
  Value acc;                      // Best: the best so far, as the test reads it
  // Counter: the inner loops it also counts in (an argmin over several dimensions): each
  // iteration of the split loop adds the product of their trip counts.
  SmallVector<scf::ForOp> innerLoops;
};

/// Whether `v` is computed in `loop` from `leaves` (and values from outside) by ops free
/// of memory effects; `slice` gets those ops.
bool computedFrom(scf::ForOp loop, Value v, ArrayRef<Value> leaves, llvm::SetVector<Operation *> &slice) {
  if (llvm::is_contained(leaves, v) || !loop.getRegion().isAncestor(v.getParentRegion()))
    return true;
  Operation *op = v.getDefiningOp();
  if (!op || op->getNumRegions() != 0 || !isMemoryEffectFree(op))
    return false;
  if (slice.contains(op))
    return true;
  for (Value operand : op->getOperands())
    if (!computedFrom(loop, operand, leaves, slice))
      return false;
  slice.insert(op);
  return true;
}

/// Whether `v` depends on a value `loop` carries (through any ops of its body).
bool dependsOnCarried(scf::ForOp loop, Value v) {
  SmallVector<Value> pending{v};
  llvm::SmallPtrSet<Operation *, 16> seen;
  while (!pending.empty()) {
    Value next = pending.pop_back_val();
    if (auto arg = llvm::dyn_cast<BlockArgument>(next)) {
      if (arg.getOwner() == loop.getBody() && arg.getArgNumber() > 0)
        return true;
      continue;
    }
    Operation *op = next.getDefiningOp();
    if (loop->isAncestor(op) && seen.insert(op).second)
      llvm::append_range(pending, op->getOperands());
  }
  return false;
}

FailureOr<SmallVector<Carry>> chunkedCarries(scf::ForOp loop);

/// Whether `v` is defined outside `loop`.
bool definedAbove(scf::ForOp loop, Value v) { return !loop.getRegion().isAncestor(v.getParentRegion()); }

/// The carries of a loop nest (`loop` around one inner loop, to which it only passes its
/// values on, as an argmin over several dimensions is) that are not combined: the inner
/// loop's, with its counters counting the inner loop's trips per iteration of `loop`.
FailureOr<SmallVector<Carry>> nestedArgCarries(scf::ForOp loop, SmallVector<std::optional<Carry>> carries) {
  Block *body = loop.getBody();
  auto yield = llvm::cast<scf::YieldOp>(body->getTerminator());
  auto inners = body->getOps<scf::ForOp>();
  if (std::next(inners.begin()) != inners.end())
    return failure();
  scf::ForOp inner = *inners.begin();
  // The body: the inner loop (and ops free of effects that it does not carry from), its
  // results yielded in order, its starts this loop's values in order.
  if (!llvm::equal(inner.getInitArgs(), loop.getRegionIterArgs()) || !llvm::equal(yield.getOperands(), inner.getResults()) ||
      !definedAbove(loop, inner.getLowerBound()) || !definedAbove(loop, inner.getUpperBound()))
    return failure();
  FailureOr<SmallVector<Carry>> innerCarries = chunkedCarries(inner);
  if (failed(innerCarries))
    return failure();
  SmallVector<Carry> result;
  for (auto [k, carry] : llvm::enumerate(*innerCarries)) {
    if (carries[k]) {
      result.push_back(*carries[k]);
      continue;
    }
    if (carry.kind == Carry::Combined)
      return failure(); // (the combiner analysis of this loop would have found it)
    // What the chunks' combination clones must not come from inside the nest.
    for (Operation *op : carry.test)
      for (Value operand : op->getOperands())
        if (operand != carry.raw && operand != carry.acc && !llvm::is_contained(carry.test, operand.getDefiningOp()) &&
            !definedAbove(loop, operand))
          return failure();
    if (carry.kind == Carry::Counter) {
      carry.innerLoops.insert(carry.innerLoops.begin(), inner);
      for (scf::ForOp counted : carry.innerLoops)
        if (!definedAbove(loop, counted.getLowerBound()) || !definedAbove(loop, counted.getUpperBound()))
          return failure();
    }
    result.push_back(carry);
  }
  return result;
}

/// How each value `loop` carries reduces in chunks (see Carry), or failure: the
/// associative, commutative reductions, and the argmin and argmax kind (a position counting
/// up, the best element so far and its position) in a loop without inner loops, or in a
/// nest of loops that only pass the values on to the innermost.
FailureOr<SmallVector<Carry>> chunkedCarries(scf::ForOp loop) {
  unsigned n = loop.getNumRegionIterArgs();
  auto yield = llvm::cast<scf::YieldOp>(loop.getBody()->getTerminator());
  SmallVector<Value> iterArgs(loop.getRegionIterArgs());
  SmallVector<std::optional<Carry>> carries(n);
  for (unsigned k = 0; k < n; ++k)
    if (FailureOr<Operation *> combiner = py::reductionCombiner(loop, k); succeeded(combiner) && *combiner)
      carries[k] = Carry{Carry::Combined, *combiner};
  auto all = [&]() -> FailureOr<SmallVector<Carry>> {
    if (!llvm::all_of(carries, [](auto &c) { return c.has_value(); }))
      return failure();
    return llvm::map_to_vector(carries, [](auto &c) { return *c; });
  };
  if (!loop.getBody()->getOps<scf::ForOp>().empty()) {
    if (FailureOr<SmallVector<Carry>> combined = all(); succeeded(combined))
      return combined;
    return nestedArgCarries(loop, std::move(carries));
  }
  for (unsigned k = 0; k < n; ++k) {
    auto add = yield.getOperand(k).getDefiningOp<arith::AddIOp>();
    if (!carries[k] && add && ((add.getLhs() == iterArgs[k] && matchPattern(add.getRhs(), m_One())) ||
                               (add.getRhs() == iterArgs[k] && matchPattern(add.getLhs(), m_One()))))
      carries[k] = Carry{Carry::Counter};
  }
  auto counterOf = [&](Value v) -> std::optional<unsigned> {
    auto at = llvm::find(iterArgs, v);
    if (at == iterArgs.end() || !carries[at - iterArgs.begin()] || carries[at - iterArgs.begin()]->kind != Carry::Counter)
      return std::nullopt;
    return at - iterArgs.begin();
  };
  // Bests first: the value a test `better(x, best)` replaces with the element x.
  for (unsigned k = 0; k < n; ++k) {
    auto select = yield.getOperand(k).getDefiningOp<arith::SelectOp>();
    if (carries[k] || !select || select.getFalseValue() != iterArgs[k] || counterOf(select.getTrueValue()))
      continue;
    Value raw = select.getTrueValue();
    llvm::SetVector<Operation *> slice;
    if (dependsOnCarried(loop, raw) || !computedFrom(loop, select.getCondition(), {raw, iterArgs[k]}, slice))
      return failure();
    carries[k] = Carry{Carry::Best, nullptr, select.getCondition(), raw, 0, 0, SmallVector<Operation *>(slice.getArrayRef()),
                       iterArgs[k]};
  }
  // Then their positions: `select(better, pos, index)` with a Best's test and a Counter.
  for (unsigned k = 0; k < n; ++k) {
    auto select = yield.getOperand(k).getDefiningOp<arith::SelectOp>();
    if (carries[k])
      continue;
    if (!select || select.getFalseValue() != iterArgs[k] || !iterArgs[k].hasOneUse())
      return failure();
    std::optional<unsigned> counter = counterOf(select.getTrueValue());
    auto best = llvm::find_if(llvm::seq(0u, n), [&](unsigned j) {
      return carries[j] && carries[j]->kind == Carry::Best && carries[j]->better == select.getCondition();
    });
    if (!counter || best == llvm::seq(0u, n).end())
      return failure();
    carries[k] = Carry{Carry::Index, nullptr, select.getCondition(), Value(), *best, *counter, {}};
  }
  return all();
}

/// The trip count of a step-1 loop from `from` to `to` (0 where it does not run).
Value tripCount(OpBuilder &b, Location loc, Value from, Value to) {
  return arith::MaxSIOp::create(b, loc, arith::SubIOp::create(b, loc, to, from), arith::ConstantIndexOp::create(b, loc, 0));
}

/// What a counter counts in `iterations` of the split loop (of `type`): one per iteration,
/// times the trips of the inner loops it counts in.
Value counted(OpBuilder &b, Location loc, const Carry &counter, Value iterations, Type type) {
  Value count = iterations;
  for (scf::ForOp inner : counter.innerLoops)
    count = arith::MulIOp::create(b, loc, count, tripCount(b, loc, inner.getLowerBound(), inner.getUpperBound()));
  return arith::IndexCastOp::create(b, loc, type, count);
}

struct ParallelArrayLoopsPass : py::impl::ParallelArrayLoopsBase<ParallelArrayLoopsPass> {
  using ParallelArrayLoopsBase::ParallelArrayLoopsBase;
  unsigned chunkCounter = 0;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (!module->hasAttr("py.parallel"))
      return;
    SymbolTable symbols(module);
    for (auto fn : llvm::to_vector(module.getOps<func::FuncOp>())) {
      if (fn.isExternal() || fn->hasAttr("py.prange_body"))
        continue;
      if (failed(linalgToMarkedLoops(fn)))
        return signalPassFailure();
      // The outermost loops of array code: a user's range loop (numlir-range-for-loops)
      // stays serial, and array code inside it splits as it would elsewhere.
      SmallVector<scf::ForOp> outermost;
      fn.walk([&](scf::ForOp loop) {
        if (loop->hasAttr(py::kRangeLoopMark))
          return;
        for (Operation *parent = loop->getParentOp(); parent; parent = parent->getParentOp())
          if (llvm::isa<LoopLikeOpInterface>(parent) && !parent->hasAttr(py::kRangeLoopMark))
            return;
        outermost.push_back(loop);
      });
      for (scf::ForOp loop : outermost)
        parallelize(symbols, loop);
      fn.walk([](scf::ForOp loop) { loop->removeAttr(py::kParallelMark); });
    }
  }

  /// Linalg ops become scf.for nests here (in serial code convert-linalg-to-loops does it);
  /// the outer loop of an op whose outer dimension is parallel is marked.
  LogicalResult linalgToMarkedLoops(func::FuncOp fn) {
    SmallVector<linalg::LinalgOp> ops;
    fn.walk([&](linalg::LinalgOp op) {
      if (op.hasPureBufferSemantics())
        ops.push_back(op);
    });
    IRRewriter rewriter(fn.getContext());
    for (linalg::LinalgOp op : ops) {
      rewriter.setInsertionPoint(op);
      bool outerParallel = op.getNumLoops() > 0 && op.getIteratorTypesArray()[0] == utils::IteratorType::parallel;
      FailureOr<linalg::LinalgLoops> loops = linalg::linalgOpToLoops(rewriter, op);
      if (failed(loops))
        return op->emitError("cannot lower this array operation to loops");
      if (outerParallel && !loops->empty())
        (*loops)[0]->setAttr(py::kParallelMark, rewriter.getUnitAttr());
      rewriter.eraseOp(op);
    }
    return success();
  }

  /// Runs `loop` over one chunk per thread where that is safe (see the file comment).
  void parallelize(SymbolTable &symbols, scf::ForOp loop) {
    bool marked = loop->hasAttr(py::kParallelMark);
    loop->removeAttr(py::kParallelMark);
    if (!marked && loop.getNumRegionIterArgs() == 0)
      return; // a loop of some other kind (copies, searches): not known to be parallel
    SmallVector<Carry> carries;
    if (!marked) {
      if (py::mayWriteMemory(loop)) {
        loop->emitRemark("runs in order: the loop writes memory and is not known to be parallel");
        return;
      }
      FailureOr<SmallVector<Carry>> found = chunkedCarries(loop);
      if (failed(found)) {
        loop->emitRemark("runs in order: this reduction carries a value other than a sum, product, min, max, "
                         "any, all, argmin or argmax (cumulative reductions run in order)");
        return;
      }
      carries = std::move(*found);
    } else if (loop.getNumRegionIterArgs() != 0) {
      return;
    }
    auto step = loop.getStep().getDefiningOp<arith::ConstantIndexOp>();
    if (!step || step.value() != 1 || !loop.getLowerBound().getType().isIndex())
      return;

    Location loc = loop.getLoc();
    OpBuilder b(loop);
    Value lb = loop.getLowerBound(), ub = loop.getUpperBound();
    Value zero = arith::ConstantIndexOp::create(b, loc, 0), one = arith::ConstantIndexOp::create(b, loc, 1);
    Value trips = tripCount(b, loc, lb, ub);
    // The work: the trips of the loop and of the loops nested first in it whose bounds are
    // known before it (the rows and columns of an elementwise loop nest).
    Value work = trips;
    for (scf::ForOp inner = loop;;) {
      auto nested = inner.getBody()->getOps<scf::ForOp>();
      if (nested.empty())
        break;
      inner = *nested.begin();
      auto above = [&](Value v) { return !loop.getRegion().isAncestor(v.getParentRegion()); };
      if (!above(inner.getLowerBound()) || !above(inner.getUpperBound()))
        break;
      work = arith::MulIOp::create(b, loc, work, tripCount(b, loc, inner.getLowerBound(), inner.getUpperBound()));
    }
    Value threads = maxThreads(b, loc, symbols);
    Value big = arith::AndIOp::create(
        b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, work, arith::ConstantIndexOp::create(b, loc, minWork)),
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, threads, one));
    // Chunk c of P covers [lb + c*n/P, lb + (c+1)*n/P): P threads' worth when the loop is
    // big, else one chunk, the whole range.
    Value manyChunks = arith::MinUIOp::create(b, loc, arith::MinUIOp::create(b, loc, threads, trips),
                                              arith::ConstantIndexOp::create(b, loc, kMaxChunks));
    Value chunks = arith::SelectOp::create(b, loc, big, manyChunks, one);
    // The partial results go to fixed stack slots in the function's entry block (one slot
    // for the whole call, so a reduction inside a user's loop does not grow the stack).
    SmallVector<Value> partials;
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&loop->getParentOfType<func::FuncOp>().getBody().front());
      for (Value init : loop.getInitArgs())
        partials.push_back(memref::AllocaOp::create(b, loc, MemRefType::get({kMaxChunks}, init.getType())));
    }
    auto split = scf::IfOp::create(b, loc, TypeRange{}, big, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard afterSplit(b);
    b.setInsertionPoint(split.thenBlock()->getTerminator());
    auto chunkLoop = scf::ParallelOp::create(b, loc, ValueRange{zero}, ValueRange{chunks}, ValueRange{one});
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(chunkLoop.getBody()->getTerminator());
      Value c = chunkLoop.getInductionVars()[0];
      // (Divided by max(P, 1): LLVM then knows the divisor is not 0, so that it can compute
      // the chunk's trip count where the loop starts, which streaming stores need.)
      Value divisor = arith::MaxUIOp::create(b, loc, chunks, one);
      // Where chunk k starts, counted from lb.
      auto offsetOf = [&](Value k) { return arith::DivUIOp::create(b, loc, arith::MulIOp::create(b, loc, k, trips), divisor).getResult(); };
      Value offset = offsetOf(c);
      Value lo = arith::AddIOp::create(b, loc, lb, offset);
      Value hi = arith::AddIOp::create(b, loc, lb, offsetOf(arith::AddIOp::create(b, loc, c, one)));
      // Each carried value's start in the chunk (see Carry).
      SmallVector<Value> starts(loop.getInitArgs());
      for (auto [k, carry] : llvm::enumerate(carries)) {
        if (carry.kind == Carry::Combined)
          starts[k] = identityOf(b, loc, carry.combiner);
        if (carry.kind == Carry::Counter)
          starts[k] = arith::AddIOp::create(b, loc, starts[k], counted(b, loc, carry, offset, starts[k].getType()));
      }
      for (auto [k, carry] : llvm::enumerate(carries))
        if (carry.kind == Carry::Index)
          starts[k] = starts[carry.counter];
      auto chunk = llvm::cast<scf::ForOp>(b.clone(*loop));
      chunk.getLowerBoundMutable().assign(lo);
      chunk.getUpperBoundMutable().assign(hi);
      for (auto [k, start] : llvm::enumerate(starts)) {
        chunk.getInitArgsMutable()[k].assign(start);
        memref::StoreOp::create(b, loc, chunk.getResult(k), partials[k], ValueRange{c});
      }
    }
    // The chunk's work becomes a function of its own: the parallel loop's body stays one
    // block (convert-scf-to-openmp wraps it in a memref.alloca_scope, which
    // convert-scf-to-cf must not split), and the serial path calls the same code (chunk 0
    // of 1), so LLVM compiles the loop once (the function is not inlined for that).
    // Constants go into the function as they are, not as its arguments: later passes
    // (numlir-block-arg-reductions) read them.
    llvm::SetVector<Value> captured;
    getUsedValuesDefinedAbove(chunkLoop.getRegion(), captured);
    for (Value v : captured)
      if (Operation *def = v.getDefiningOp(); def && def->hasTrait<OpTrait::ConstantLike>()) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(chunkLoop.getBody());
        replaceAllUsesInRegionWith(v, b.clone(*def)->getResult(0), chunkLoop.getRegion());
      }
    auto fn = loop->getParentOfType<func::FuncOp>();
    std::string name = (fn.getSymName() + "__chunk" + Twine(chunkCounter++)).str();
    IRRewriter rewriter(b);
    func::CallOp call;
    FailureOr<func::FuncOp> outlined = outlineSingleBlockRegion(rewriter, loc, chunkLoop.getRegion(), name, &call);
    if (failed(outlined)) {
      split.erase();
      return;
    }
    outlined->setPrivate();
    // Internal and never inlined in LLVM (func-to-llvm passes these attributes on): no
    // packed-call wrapper (Export.cpp wraps external functions), one copy of the loop.
    (*outlined)->setAttr("llvm.linkage", LLVM::LinkageAttr::get(b.getContext(), LLVM::Linkage::Internal));
    (*outlined)->setAttr("passthrough", b.getArrayAttr({b.getStringAttr("noinline")}));
    (*outlined)->setAttr("py.prange_body", rewriter.getUnitAttr());
    b.setInsertionPoint(split.elseBlock()->getTerminator());
    IRMapping serialChunk;
    serialChunk.map(call.getOperand(0), zero);
    b.clone(*call, serialChunk);
    b.setInsertionPointAfter(split);
    // The partial results, in chunk order, after the loop's own start.
    SmallVector<Value> results;
    if (!carries.empty()) {
      auto combine = scf::ForOp::create(b, loc, zero, chunks, one, loop.getInitArgs(),
                                        [&](OpBuilder &cb, Location l, Value c, ValueRange acc) {
                                          SmallVector<Value> next(acc), parts;
                                          for (Value partial : partials)
                                            parts.push_back(memref::LoadOp::create(cb, l, partial, ValueRange{c}));
                                          DenseMap<unsigned, Value> better; // a Best's test of its part
                                          for (auto [k, carry] : llvm::enumerate(carries)) {
                                            IRMapping map;
                                            if (carry.kind == Carry::Combined) {
                                              map.map(carry.combiner->getOperand(0), acc[k]);
                                              map.map(carry.combiner->getOperand(1), parts[k]);
                                              next[k] = cb.clone(*carry.combiner, map)->getResult(0);
                                            } else if (carry.kind == Carry::Best) {
                                              // The loop's own test, of the part against the best so far.
                                              map.map(carry.raw, parts[k]);
                                              map.map(carry.acc, acc[k]);
                                              for (Operation *op : carry.test)
                                                cb.clone(*op, map);
                                              better[k] = map.lookupOrDefault(carry.better);
                                              next[k] = arith::SelectOp::create(cb, l, better[k], parts[k], acc[k]);
                                            }
                                          }
                                          for (auto [k, carry] : llvm::enumerate(carries))
                                            if (carry.kind == Carry::Index)
                                              next[k] = arith::SelectOp::create(cb, l, better[carry.best], parts[k], acc[k]);
                                          scf::YieldOp::create(cb, l, next);
                                        });
      results = SmallVector<Value>(combine.getResults());
      // A counter ends where the whole loop would leave it.
      for (auto [k, carry] : llvm::enumerate(carries))
        if (carry.kind == Carry::Counter)
          results[k] = arith::AddIOp::create(b, loc, loop.getInitArgs()[k], counted(b, loc, carry, trips, loop.getInitArgs()[k].getType()));
    }
    loop->replaceAllUsesWith(results);
    loop.erase();
    split->emitRemark(marked ? "runs in parallel: this array operation's outer loop is split among the threads"
                             : "runs in parallel: this reduction is split among the threads and the parts combined in order");
  }
};
} // namespace

FailureOr<Operation *> mlir::py::reductionCombiner(scf::ForOp loop, unsigned k) {
  Value v = loop.getRegionIterArgs()[k];
  Operation *combiner = nullptr;
  auto sameKind = [&](Operation *other) { return !combiner || !other || combiner->getName() == other->getName(); };
  while (true) {
    if (!v.hasOneUse())
      return failure();
    OpOperand &use = *v.getUses().begin();
    Operation *user = use.getOwner();
    if (llvm::isa<scf::YieldOp>(user)) {
      if (user->getParentOp() != loop || use.getOperandNumber() != k)
        return failure();
      return combiner;
    }
    if (auto inner = llvm::dyn_cast<scf::ForOp>(user)) {
      if (use.getOperandNumber() < inner.getNumControlOperands())
        return failure();
      unsigned j = use.getOperandNumber() - inner.getNumControlOperands();
      FailureOr<Operation *> innerCombiner = reductionCombiner(inner, j);
      if (failed(innerCombiner) || !sameKind(*innerCombiner))
        return failure();
      combiner = combiner ? combiner : *innerCombiner;
      v = inner.getResult(j);
      continue;
    }
    if (user->getNumOperands() != 2 || user->getNumResults() != 1 || user->getOperand(0) == user->getOperand(1) ||
        !combinerKind(user) || !sameKind(user))
      return failure();
    combiner = user;
    v = user->getResult(0);
  }
}

bool mlir::py::reducesInChunks(scf::ForOp loop) { return succeeded(chunkedCarries(loop)); }

std::optional<py::ArgReductionLoop> mlir::py::argReductionLoop(scf::ForOp loop) {
  if (loop.getNumRegionIterArgs() != 3 || !loop.getBody()->getOps<scf::ForOp>().empty())
    return std::nullopt;
  FailureOr<SmallVector<Carry>> carries = chunkedCarries(loop);
  if (failed(carries))
    return std::nullopt;
  auto position = [&](Carry::Kind kind) { return llvm::find_if(*carries, [&](const Carry &c) { return c.kind == kind; }) - carries->begin(); };
  unsigned counter = position(Carry::Counter), best = position(Carry::Best), index = position(Carry::Index);
  if (counter == carries->size() || best == carries->size() || index == carries->size())
    return std::nullopt;
  const Carry &b = (*carries)[best];
  return ArgReductionLoop{counter, best, index, b.raw, b.better, b.acc, b.test};
}
