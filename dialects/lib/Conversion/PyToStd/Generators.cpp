// py-to-std for generators: the generator object a generator function makes
// (py.make_generator), `yield` (py.yield), and the steps of iterating over a generator.
//
// A generator function stays one function. Its start makes the generator object (a block
// of the runtime, src/runtime/generators.rs, which has the layout), keeps the arguments
// that hold references in it, and suspends: the caller gets the object back without any of
// the body having run. Each `next` resumes the function until its next yield, which stores
// the value in the object's slot (with its own references) and suspends again. The
// suspends are calls of the markers numlir.coro_begin / numlir.coro_suspend, which
// numlir-generator-coroutines (lib/Transforms/GeneratorCoroutines.cpp) turns into LLVM's
// coroutine intrinsics once the function is in the llvm dialect. A generator value is two
// parts: the object, and the coroutine's handle, which the function's start returns.
#include "FunctionLowering.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::py;

namespace {
/// Words of the generator object (src/runtime/generators.rs); word 2, the coroutine's
/// handle, and words 7 and 8 are the coroutine pass's to fill in.
enum GeneratorField : int64_t { Status = 3, Slot = 9 };
/// The status while a value waits in the slot (-2: not started, 0: returned, > 0: raised).
constexpr int64_t kYielded = -1;
} // namespace

namespace mlir::py {

/// The parts of an argument of py type `t` that hold references (lists, strings, arrays,
/// generators, also inside tuples, iterators and closures), which the generator keeps in
/// its object: their py types and parts.
static void heldParts(Type t, ArrayRef<Value> parts, SmallVectorImpl<Type> &types, SmallVectorImpl<Value> &held) {
  auto each = [&](ArrayRef<Type> elements) {
    for (Type e : elements) {
      size_t n = loweredSize(e);
      heldParts(e, parts.take_front(n), types, held);
      parts = parts.drop_front(n);
    }
  };
  if (auto tuple = tupleOf(t))
    return each(tuple.getTypes());
  if (auto iter = llvm::dyn_cast<IterType>(t))
    return each(iter.getState().getTypes());
  if (auto ref = llvm::dyn_cast<FunctionRefType>(t))
    return ref.getCaptures() ? each(ref.getCaptures().getTypes()) : void();
  if (llvm::isa<ListType, DictType, SetType, StrType, GeneratorType, MemRefType>(t)) {
    types.push_back(t);
    held.append(parts.begin(), parts.end());
  }
}

/// The parts of an argument of py type `t` with each range iterator's state (a stack slot
/// of the caller, which may return before the generator runs) copied into the generator's
/// own frame.
void FunctionLowering::privateIterators(Location loc, Type t, ArrayRef<Value> parts, SmallVectorImpl<Value> &out) {
  auto each = [&](ArrayRef<Type> elements) {
    for (Type e : elements) {
      size_t n = loweredSize(e);
      privateIterators(loc, e, parts.take_front(n), out);
      parts = parts.drop_front(n);
    }
  };
  if (auto tuple = tupleOf(t))
    return each(tuple.getTypes());
  if (auto iter = llvm::dyn_cast<IterType>(t))
    return each(iter.getState().getTypes());
  if (llvm::isa<RangeIterType>(t)) {
    Value fields[kRangeStateFields];
    for (int i = 0; i < kRangeStateFields; ++i)
      fields[i] = memref::LoadOp::create(b, loc, parts[0], ValueRange{arith::ConstantIndexOp::create(b, loc, i)});
    out.push_back(rangeIterState(loc, fields[0], fields[1], fields[2], fields[3]));
    return;
  }
  out.append(parts.begin(), parts.end());
}

FailureOr<bool> FunctionLowering::lowerGeneratorOp(Operation &op) {
  Location loc = op.getLoc();
  Value zero = cInt(loc, 0, i64());
  if (auto make = llvm::dyn_cast<MakeGeneratorOp>(op)) {
    Type yieldPy = llvm::cast<GeneratorType>(make.getType()).getYieldType();
    SmallVector<Type> keptTypes;
    SmallVector<Value> keptParts;
    for (BlockArgument arg : old.getArguments()) {
      SmallVector<Value, 1> parts = values.lookup(arg);
      heldParts(arg.getType(), parts, keptTypes, keptParts);
      SmallVector<Value> own;
      privateIterators(loc, arg.getType(), parts, own);
      mapValue(arg, own);
    }
    auto kept = TupleType::get(b.getContext(), keptTypes);
    int64_t argsAt = Slot + itemWords(yieldPy);
    auto newGenerator = declaredFunction("numlir_generator_new", b.getFunctionType({i64(), i64(), ptrType()}, {ptrType()}));
    Value generator = func::CallOp::create(b, loc, newGenerator,
                                           ValueRange{cInt(loc, argsAt + itemWords(kept), i64()), cInt(loc, argsAt, i64()),
                                                      countedTable(loc, kept)})
                          .getResult(0);
    if (!keptTypes.empty()) {
      changeRefcount(loc, kept, keptParts, /*increment=*/true);
      storeItem(loc, wordAddress(loc, generator, cInt(loc, argsAt, i64())), zero, kept, keptParts);
    }
    func::CallOp::create(b, loc, declaredFunction("numlir.coro_begin", b.getFunctionType({ptrType()}, {})),
                         ValueRange{generator});
    // The handle is the coroutine pass's to return (a null stands in until then).
    Value noHandle = LLVM::ZeroOp::create(b, loc, ptrType());
    // Suspended before the body runs; dropped unstarted, it returns at once.
    Value resumed = suspend(loc);
    Block *body = new Block(), *dropped = new Block();
    fn.getBody().push_back(body);
    fn.getBody().push_back(dropped);
    cf::CondBranchOp::create(b, loc, resumed, body, dropped);
    b.setInsertionPointToEnd(dropped);
    func::ReturnOp::create(b, loc, ValueRange{cInt(loc, 0, b.getI32Type()), generator, noHandle});
    b.setInsertionPointToEnd(body);
    mapValue(make, {generator, noHandle}); // the body never resumes itself
    return true;
  }
  if (auto yield = llvm::dyn_cast<YieldValueOp>(op)) {
    Value generator = values.lookup(yield.getGenerator())[0];
    Type valuePy = yield.getValue().getType();
    SmallVector<Value> parts(values.lookup(yield.getValue()));
    Value slot = wordAddress(loc, generator, cInt(loc, Slot, i64()));
    changeRefcount(loc, valuePy, parts, /*increment=*/true); // the slot's references
    storeItem(loc, slot, zero, valuePy, parts);
    setListField(loc, generator, Status, cInt(loc, kYielded, i64()));
    // A GeneratorExit here may be caught, and a yield then reached while the generator is
    // being destroyed: numlir-generator-coroutines checks for that in such functions only.
    if (op.hasAttr("py.generator_exit"))
      fn->setAttr("numlir.generator_exit", b.getUnitAttr());
    Value resumed = suspend(loc);
    // Resumed or dropped, the consumer has taken its own references by now.
    releaseItem(loc, valuePy, loadItem(loc, slot, zero, valuePy));
    mapValue(yield.getResumed(), resumed);
    return true;
  }
  auto call = llvm::dyn_cast<CallBuiltinOp>(op);
  if (call && call.getCallee() == "tuple") { // of a tuple: the same elements, with their references
    SmallVector<Value> parts;
    if (!call.getArgs().empty())
      llvm::append_range(parts, values.lookup(call.getArgs()[0]));
    changeRefcount(loc, call.getType(), parts, /*increment=*/true);
    mapValue(call, parts);
    return true;
  }
  if (call && call.getCallee() == "iter") {
    mapValue(call, makeIterator(loc, call.getArgs()[0], /*reversed=*/false));
    return true;
  }
  if (call && (call.getCallee() == "any" || call.getCallee() == "all") && call.getArgs().size() == 1 &&
      llvm::isa<GeneratorType>(call.getArgs()[0].getType())) {
    mapValue(call, shortCircuit(loc, call.getArgs()[0], call.getCallee() == "all"));
    return true;
  }
  if (!call || call.getCallee() != "next")
    return false;
  // next(iterator[, default]): one step; StopIteration (or the default) once it is over.
  Value iterable = call.getArgs()[0];
  Type iterPy = iteratorOf(iterable.getType());
  SmallVector<Value> parts(values.lookup(iterable));
  SmallVector<Value> value;
  Value valid = nextOf(loc, iterPy, parts, value);
  raiseIfGeneratorRaised(loc, iterPy, parts);
  Type result = call.getType();
  if (call.getArgs().size() == 1) {
    raiseIf(loc, arith::XOrIOp::create(b, loc, valid, cInt(loc, 1, i1())), "StopIteration", "");
  } else {
    Value fallback = call.getArgs()[1];
    SmallVector<Value> other(values.lookup(fallback));
    Type valuePy = iteratorValue(iterPy);
    if (isAnyNumber(result)) {
      value = {convertScalar(loc, widen(loc, value[0], valuePy), result)};
      other = {convertScalar(loc, widen(loc, other[0], fallback.getType()), result)};
    }
    for (auto [v, o] : llvm::zip(value, other))
      v = arith::SelectOp::create(b, loc, valid, v, o);
  }
  changeRefcount(loc, result, value, /*increment=*/true); // the result's own references
  mapValue(call, value);
  return true;
}

/// any(generator) / all(generator): resumes it only until the first true (false) value, as
/// Python does; an infinite generator ends there too.
Value FunctionLowering::shortCircuit(Location loc, Value generatorPy, bool all) {
  SmallVector<Value, 1> generator = values.lookup(generatorPy);
  Type iterPy = iteratorOf(generatorPy.getType());
  Type valuePy = iteratorValue(iterPy);
  SmallVector<Type> valueTypes{i1()};
  lowerType(valuePy, valueTypes);
  // The flag whether the answer is known, and the value, from the before region on.
  auto loop = scf::WhileOp::create(
      b, loc, valueTypes, ValueRange{cInt(loc, 0, i1())},
      [&](OpBuilder &nb, Location nl, ValueRange decided) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(nb.getBlock());
        SmallVector<Value> value;
        Value undecided = arith::XOrIOp::create(b, nl, decided[0], cInt(nl, 1, i1()));
        Value valid = nextOf(nl, iterPy, generator, value, undecided);
        SmallVector<Value> carried{decided[0]};
        carried.append(value);
        scf::ConditionOp::create(b, nl, valid, carried);
      },
      [&](OpBuilder &nb, Location nl, ValueRange carried) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(nb.getBlock());
        Value t = itemTruth(nl, carried[1], valuePy);
        scf::YieldOp::create(b, nl, all ? arith::XOrIOp::create(b, nl, t, cInt(nl, 1, i1())).getResult() : t);
      });
  raiseIfGeneratorRaised(loc, iterPy, generator);
  Value decided = loop.getResult(0);
  return all ? arith::XOrIOp::create(b, loc, decided, cInt(loc, 1, i1())).getResult() : decided;
}

/// The marker numlir-generator-coroutines makes a suspend point: true when resumed, false
/// when the generator is dropped.
Value FunctionLowering::suspend(Location loc) {
  auto marker = declaredFunction("numlir.coro_suspend", b.getFunctionType({}, {i1()}));
  return func::CallOp::create(b, loc, marker, ValueRange{}).getResult(0);
}

/// One step of a generator (parts: its object and its coroutine's handle): resumes it
/// unless it has finished (or `when`, if given, is false); whether it yielded, and the
/// value (its slot, read without taking references; stale when it did not yield). The
/// handle is a value of its own, not a load from the object: where the generator function
/// was called in this function, LLVM then knows which coroutine it resumes, calls its
/// resume function directly and can inline it (CoroElide).
Value FunctionLowering::generatorNext(Location loc, ArrayRef<Value> parts, Type valuePy, SmallVectorImpl<Value> &value,
                                      Value when) {
  Value generator = parts[0], handle = parts[1];
  Value status = listField(loc, generator, Status, i64());
  Value running = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, status, cInt(loc, 0, i64()));
  if (when)
    running = arith::AndIOp::create(b, loc, running, when);
  scf::IfOp::create(b, loc, running, [&](OpBuilder &nb, Location nl) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(scf::YieldOp::create(nb, nl));
    // A declared function named llvm.* is that LLVM intrinsic; a call (unlike the llvm op)
    // has the memory effects buffer deallocation understands.
    auto resume = declaredFunction("llvm.coro.resume", b.getFunctionType({ptrType()}, {}));
    func::CallOp::create(b, nl, resume, ValueRange{handle});
  });
  Value after = listField(loc, generator, Status, i64());
  Value yielded = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, after, cInt(loc, kYielded, i64()));
  if (when)
    yielded = arith::AndIOp::create(b, loc, yielded, when);
  Value slot = wordAddress(loc, generator, cInt(loc, Slot, i64()));
  llvm::append_range(value, loadItem(loc, slot, cInt(loc, 0, i64()), valuePy));
  return yielded;
}

/// After a step of the iterator `iterPy` (parts `parts`): raises what a generator in it
/// raised (once: the generator is over after that).
void FunctionLowering::raiseIfGeneratorRaised(Location loc, Type iterPy, ArrayRef<Value> parts) {
  auto iter = llvm::dyn_cast<IterType>(iterPy);
  if (!iter)
    return;
  ArrayRef<Type> state = iter.getState().getTypes();
  StringRef kind = iter.getKind();
  if (kind == "enumerate")
    return raiseIfGeneratorRaised(loc, state[1], parts.drop_front());
  if (kind == "zip") {
    for (Type inner : state) {
      size_t n = loweredSize(inner);
      raiseIfGeneratorRaised(loc, inner, parts.take_front(n));
      parts = parts.drop_front(n);
    }
    return;
  }
  if (kind != "generator")
    return;
  Value generator = parts[0];
  Value status = listField(loc, generator, Status, i64());
  Value raised = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, status, cInt(loc, 0, i64()));
  Block *raise = new Block(), *cont = new Block();
  fn.getBody().push_back(raise);
  fn.getBody().push_back(cont);
  cf::CondBranchOp::create(b, loc, raised, raise, cont);
  b.setInsertionPointToEnd(raise);
  setListField(loc, generator, Status, cInt(loc, 0, i64()));
  cf::BranchOp::create(b, loc, raiseBlock(loc), ValueRange{arith::TruncIOp::create(b, loc, b.getI32Type(), status).getResult()});
  b.setInsertionPointToEnd(cont);
}

} // namespace mlir::py
