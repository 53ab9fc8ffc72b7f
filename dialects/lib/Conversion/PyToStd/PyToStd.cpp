// py-to-std: lowers typed py IR to arith/math/cf/func/memref with Python's semantics.
//
// Each function is translated into a new one op by op (a value map from each py value to
// the list of std values it becomes: tuples and ranges flatten to their parts, None to
// nothing). Checks that raise (division by zero, negative shifts, ...) split the current
// block. Every lowered function returns an i32 status first: 0 for a normal return, n for
// raise site n; callers propagate a nonzero status. The table of raise sites is left on the
// module as `py.raise_table` = [[exception, message], ...] for the dispatcher.
//
// This file holds the pass and the op-by-op walk (lowerOp); the rest of the folder lowers
// by family: ScalarOps.cpp (operators), Builtins.cpp (builtins, math, ranges),
// ComplexCalls.cpp (complex(), cmath), ArrayToStd.cpp and the Array*.cpp beside it (arrays).
#include "FunctionLowering.h"
#include "numlir/Conversion/Passes.h"
#include "numlir/Dialect/Py/IR/PyDialect.h"
#include "numlir/Dialect/Py/IR/PyTypeRules.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/Pass.h"

#include <limits>
#include <numbers>

namespace mlir::py {
#define GEN_PASS_DEF_CONVERTPYTOSTD
#include "numlir/Conversion/Passes.h.inc"
} // namespace mlir::py

using namespace mlir;
using namespace mlir::py;

namespace mlir::py {

LogicalResult FunctionLowering::lowerOp(Operation &op) {
  Location loc = op.getLoc();
  FailureOr<bool> exception = lowerExceptionOp(op);
  if (failed(exception))
    return failure();
  if (*exception)
    return success();
  if (auto objmode = llvm::dyn_cast<ObjModeCallOp>(op))
    return lowerObjModeCall(objmode);
  FailureOr<bool> str = lowerStrOp(op);
  if (failed(str))
    return failure();
  if (*str)
    return success();
  FailureOr<bool> generator = lowerGeneratorOp(op);
  if (failed(generator))
    return failure();
  if (*generator)
    return success();
  FailureOr<bool> list = lowerListOp(op);
  if (failed(list))
    return failure();
  if (*list)
    return success();
  FailureOr<bool> dict = lowerDictOp(op);
  if (failed(dict))
    return failure();
  if (*dict)
    return success();
  FailureOr<bool> set = lowerSetOp(op);
  if (failed(set))
    return failure();
  if (*set)
    return success();
  if (auto loop = llvm::dyn_cast<ParallelForOp>(op)) { // (its captures may be arrays)
    lowerParallelFor(loop);
    return success();
  }
  FailureOr<bool> array = lowerArrayOp(op);
  if (failed(array))
    return failure();
  if (*array)
    return success();
  if (auto c = llvm::dyn_cast<ConstantOp>(op)) {
    mapValue(c, arith::ConstantOp::create(b, loc, c.getValue())->getResults());
  } else if (auto none = llvm::dyn_cast<NoneOp>(op)) {
    mapValue(none, {});
  } else if (auto u = llvm::dyn_cast<UndefOp>(op)) {
    SmallVector<Type> parts;
    lowerType(u.getType(), parts);
    SmallVector<Value> zeros;
    for (Type t : parts)
      zeros.push_back(zeroOf(loc, t));
    mapValue(u, zeros);
  } else if (auto cast = llvm::dyn_cast<CastOp>(op)) {
    SmallVector<Value> out;
    SmallVector<Value, 1> in = values.lookup(cast.getOperand());
    if (llvm::isa<OptionalType>(cast.getOperand().getType()) && !llvm::isa<OptionalType>(cast.getType())) {
      // The value of an Optional: None is a TypeError, as an operation on None is in Python.
      Value none = arith::XOrIOp::create(b, loc, in[0], cInt(loc, 1, i1()));
      raiseIf(loc, none, "TypeError", "a value that may be None (here it is None) is used as " + pyTypeName(cast.getType()));
    }
    convertParts(loc, cast.getOperand().getType(), cast.getType(), in, out);
    // A new value owns its references (py-insert-refcounts): the list an Optional holds.
    if (isCounted(cast.getType()))
      changeRefcount(loc, cast.getType(), out, /*increment=*/true);
    mapValue(cast, out);
  } else if (auto bin = llvm::dyn_cast<BinOp>(op); bin && tupleOf(bin.getType())) {
    // `t1 + t2`: both's parts; a new tuple owns references to the lists in it.
    SmallVector<Value> parts = lowered(ValueRange{bin.getLhs(), bin.getRhs()});
    changeRefcount(loc, bin.getType(), parts, /*increment=*/true);
    mapValue(bin, parts);
  } else if (auto bin = llvm::dyn_cast<BinOp>(op)) {
    mapValue(bin, lowerScalarBinOp(bin));
  } else if (auto un = llvm::dyn_cast<UnOp>(op)) {
    Value x = widen(loc, one(un.getOperand()), un.getOperand().getType());
    StringRef k = un.getKind();
    Value r;
    if (k == "not")
      r = arith::XOrIOp::create(b, loc, truth(loc, x), cInt(loc, 1, i1()));
    else if (isComplex(x.getType()))
      r = complexUnary(b, loc, k, x);
    else if (isFloat(x.getType()))
      r = k == "neg" ? arith::NegFOp::create(b, loc, x).getResult() : x;
    else if (k == "neg")
      r = arith::SubIOp::create(b, loc, cInt(loc, 0, i64()), toI64(loc, x));
    else if (k == "invert")
      r = arith::XOrIOp::create(b, loc, toI64(loc, x), cInt(loc, -1, i64()));
    else
      r = toI64(loc, x);
    mapValue(un, narrow(loc, r, un.getType()));
  } else if (auto cmp = llvm::dyn_cast<CmpOp>(op)) {
    mapValue(cmp, lowerCmp(cmp));
  } else if (auto ref = llvm::dyn_cast<FunctionRefOp>(op)) {
    // Which function is in the type; a closure's parts are its captured values (its own
    // references to them).
    SmallVector<Value> parts;
    if (Value captured = ref.getCaptured()) {
      llvm::append_range(parts, values.lookup(captured));
      changeRefcount(loc, captured.getType(), parts, /*increment=*/true);
    }
    mapValue(ref, parts);
  } else if (auto env = llvm::dyn_cast<FunctionCapturesOp>(op)) {
    SmallVector<Value> parts(values.lookup(env.getFunction()));
    changeRefcount(loc, env.getType(), parts, /*increment=*/true);
    mapValue(env, parts);
  } else if (auto call = llvm::dyn_cast<CallBuiltinOp>(op); call && call.getCallee().starts_with("numlir.is_")) {
    mapValue(call, cInt(loc, call->getAttrOfType<BoolAttr>("py.known").getValue(), i1()));
  } else if (auto call = llvm::dyn_cast<CallBuiltinOp>(op); call && call.getCallee() == "numlir.float_bits") {
    // The float as float64 (exact from float32), its bits as an int64.
    Value x = values.lookup(call.getArgs()[0])[0];
    if (!x.getType().isF64())
      x = arith::ExtFOp::create(b, loc, b.getF64Type(), x);
    mapValue(call, arith::BitcastOp::create(b, loc, i64(), x).getResult());
  } else if (auto call = llvm::dyn_cast<CallBuiltinOp>(op); call && call.getCallee() == "numlir.get_thread_id") {
    // The OpenMP thread running this code: 0 outside a prange loop (src/runtime/openmp.rs
    // loads the runtime for code that calls it).
    Value id = callExternal(b, loc, symbols, "omp_get_thread_num", {}, b.getI32Type());
    mapValue(call, arith::ExtSIOp::create(b, loc, i64(), id).getResult());
  } else if (auto call = llvm::dyn_cast<CallBuiltinOp>(op); call && call.getCallee() == "is") {
    // `x is None`: known from the types, or an Optional's flag.
    if (auto known = call->getAttrOfType<BoolAttr>("py.known")) {
      mapValue(call, cInt(loc, known.getValue(), i1()));
    } else {
      Value maybe = llvm::isa<OptionalType>(call.getArgs()[0].getType()) ? call.getArgs()[0] : call.getArgs()[1];
      mapValue(call, arith::XOrIOp::create(b, loc, values.lookup(maybe)[0], cInt(loc, 1, i1())).getResult());
    }
  } else if (auto t = llvm::dyn_cast<TruthOp>(op); t && llvm::isa<NoneType>(t.getOperand().getType())) {
    mapValue(t, cInt(loc, 0, i1()));
  } else if (auto t = llvm::dyn_cast<TruthOp>(op); t && llvm::isa<OptionalType>(t.getOperand().getType())) {
    // None is false; else the value's truth (read only when there is a value).
    auto opt = llvm::cast<OptionalType>(t.getOperand().getType());
    SmallVector<Value, 1> parts = values.lookup(t.getOperand());
    auto ifOp = scf::IfOp::create(b, loc, TypeRange{i1()}, parts[0], /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifOp.thenBlock());
      Type inner = opt.getValueType();
      Value v = parts[1];
      Value truthValue = llvm::isa<StrType, ListType, DictType, SetType>(inner)
                             ? arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, listLength(loc, v), cInt(loc, 0, i64())).getResult()
                         : tupleOf(inner) ? cInt(loc, tupleOf(inner).size() > 0, i1())
                                          : truth(loc, widen(loc, v, inner));
      scf::YieldOp::create(b, loc, truthValue);
      b.setInsertionPointToStart(ifOp.elseBlock());
      scf::YieldOp::create(b, loc, cInt(loc, 0, i1()));
    }
    mapValue(t, ifOp.getResult(0));
  } else if (auto t = llvm::dyn_cast<TruthOp>(op)) {
    if (auto tuple = tupleOf(t.getOperand().getType())) // a tuple is true when not empty
      mapValue(t, cInt(loc, tuple.size() > 0, i1()));
    else
      mapValue(t, truth(loc, widen(loc, one(t.getOperand()), t.getOperand().getType())));
  } else if (auto call = llvm::dyn_cast<CallBuiltinOp>(op); call && call.getCallee().starts_with("mt19937.")) {
    // np.random's generator: the runtime's numlir_random_<name> (src/runtime/random.rs).
    std::string routine = ("numlir_random_" + call.getCallee().drop_front(strlen("mt19937."))).str();
    if (call.getCallee() == "mt19937.seed") {
      callExternal(b, loc, symbols, routine, ValueRange{toI64(loc, widen(loc, one(call.getArgs()[0]), call.getArgs()[0].getType()))}, TypeRange{});
      mapValue(call, {});
    } else if (call.getCallee() == "mt19937.reseed") {
      callExternal(b, loc, symbols, routine, ValueRange{}, TypeRange{});
      mapValue(call, {});
    } else {
      mapValue(call, callExternal(b, loc, symbols, routine, ValueRange{}, call.getType()));
    }
  } else if (auto call = llvm::dyn_cast<CallBuiltinOp>(op); call && call.getCallee().starts_with("bitgen.")) {
    // NumPy's distribution functions: the runtime's numlir_bitgen_<name> (src/runtime/bitgen.rs),
    // with the bit generator and each parameter as the builtin's signature says.
    StringRef name = call.getCallee().drop_front(strlen("bitgen."));
    const BitgenBuiltin *builtin = bitgenBuiltin(name);
    SmallVector<Value> args{toI64(loc, one(call.getArgs()[0]))};
    // A uniform double and raw bits: the bit generator's own function, through its pointer
    // in the bitgen_t {state, next_uint64, next_uint32, next_double, next_raw}, as NumPy's
    // random_standard_uniform calls it (one call a draw, not two).
    using DirectCall = std::optional<std::pair<int32_t, Type>>; // the field, its result
    DirectCall direct = llvm::StringSwitch<DirectCall>(name)
                            .Case("next_uint64", std::pair<int32_t, Type>{1, i64()})
                            .Case("next_uint32", std::pair<int32_t, Type>{2, b.getI32Type()})
                            .Case("standard_uniform", std::pair<int32_t, Type>{3, b.getF64Type()})
                            .Default(std::nullopt);
    if (direct) {
      auto [field, result] = *direct;
      Value g = LLVM::IntToPtrOp::create(b, loc, ptrType(), args[0]);
      Value slot = LLVM::GEPOp::create(b, loc, ptrType(), ptrType(), g, ArrayRef<LLVM::GEPArg>{field});
      // (Invariant: a bitgen_t's fields stay as they are, so LLVM loads them once per loop.)
      auto function = LLVM::LoadOp::create(b, loc, ptrType(), slot);
      auto state = LLVM::LoadOp::create(b, loc, ptrType(), g);
      function.setInvariant(true);
      state.setInvariant(true);
      auto draw = LLVM::CallOp::create(b, loc, LLVM::LLVMFunctionType::get(result, {ptrType()}), ValueRange{function, state});
      Value value = draw.getResult();
      if (result != i64() && llvm::isa<IntegerType>(result)) // next_uint32's bits, zero-extended
        value = arith::ExtUIOp::create(b, loc, i64(), value);
      mapValue(call, value);
      return success();
    }
    for (auto [arg, kind] : llvm::zip(call.getArgs().drop_front(), StringRef(builtin->params))) {
      Value v = widen(loc, one(arg), arg.getType());
      args.push_back(kind == 'i' ? toI64(loc, v) : toF64(loc, v));
    }
    mapValue(call, callExternal(b, loc, symbols, ("numlir_bitgen_" + name).str(), args, call.getType()));
  } else if (auto call = llvm::dyn_cast<CallBuiltinOp>(op); call && call.getCallee().starts_with("cuda.")) {
    FailureOr<SmallVector<Value>> r = lowerCudaCall(call);
    if (failed(r))
      return failure();
    mapValue(call, *r);
  } else if (auto call = llvm::dyn_cast<CallBuiltinOp>(op); call && call.getCallee() == "print") {
    if (failed(lowerPrint(call)))
      return failure();
    mapValue(call, {});
  } else if (auto call = llvm::dyn_cast<CallBuiltinOp>(op);
             call && llvm::is_contained({"enumerate", "zip", "reversed", "contains"}, call.getCallee())) {
    mapValue(call, lowerIterationBuiltin(call));
  } else if (auto call = llvm::dyn_cast<CallBuiltinOp>(op);
             call && (call.getCallee() == "complex" || call.getCallee().starts_with("cmath."))) {
    FailureOr<SmallVector<Value>> r = lowerComplexCall(call);
    if (failed(r))
      return failure();
    if (r->size() == 1 && isAnyNumber(call.getType())) // np.complex64(x): complex(x), narrowed
      (*r)[0] = narrow(loc, (*r)[0], call.getType());
    mapValue(call, *r);
  } else if (auto call = llvm::dyn_cast<CallBuiltinOp>(op)) {
    // int(), abs() and min()/max() of a uint64 keep its bits; math functions take it as a float.
    bool keepsBits = llvm::is_contained({"int", "abs", "min", "max", "bool"}, call.getCallee());
    SmallVector<Value> args;
    for (Value a : call.getArgs()) {
      if (tupleOf(a.getType())) { // min(t), max(t): over the tuple's elements
        SmallVector<Type> leaves;
        pyLeaves(a.getType(), leaves);
        for (auto [part, leaf] : llvm::zip(values.lookup(a), leaves))
          args.push_back(widen(loc, part, leaf));
        continue;
      }
      Type t = a.getType();
      args.push_back(isUnsigned64(t) && !keepsBits ? convertElement(b, loc, one(a), t, f64()) : widen(loc, one(a), t));
    }
    if (auto tuple = llvm::dyn_cast<TupleType>(call.getType())) {
      // divmod, math.frexp and math.modf: two results
      SmallVector<Value> parts = lowerPairBuiltin(call, args);
      for (auto [i, t] : llvm::enumerate(tuple.getTypes()))
        parts[i] = narrow(loc, parts[i], t);
      mapValue(call, parts);
      return success();
    }
    Type result = pythonWide(call.getType());
    FailureOr<Value> r = lowerBuiltin(call, args, result);
    if (failed(r))
      return failure();
    mapValue(call, narrow(loc, convertScalar(loc, *r, result), call.getType()));
  } else if (auto make = llvm::dyn_cast<MakeTupleOp>(op)) {
    // A tuple owns references to the lists in it, and so does an element taken out.
    mapValue(make, lowered(make.getElements()));
    changeRefcount(loc, make.getType(), values.lookup(make), /*increment=*/true);
  } else if (auto get = llvm::dyn_cast<TupleGetOp>(op)) {
    mapTupleElement(get, get.getTuple(), get.getIndex());
    changeRefcount(loc, get.getType(), values.lookup(get), /*increment=*/true);
  } else if (auto range = llvm::dyn_cast<RangeOp>(op)) {
    auto bound = [&](Value v) { return toI64(loc, i64Parts(loc, v)[0]); };
    Value step = bound(range.getStep());
    raiseIf(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, step, cInt(loc, 0, i64())),
            "ValueError", "range() arg 3 must not be zero");
    mapValue(range, {bound(range.getStart()), bound(range.getStop()), step});
  } else if (auto iter = llvm::dyn_cast<GetIterOp>(op)) {
    mapValue(iter, makeIterator(loc, iter.getIterable(), /*reversed=*/false));
  } else if (auto next = llvm::dyn_cast<IterNextOp>(op)) {
    SmallVector<Value> value;
    Value valid = nextOf(loc, next.getIterator().getType(), values.lookup(next.getIterator()), value);
    Type valuePy = next.getValue().getType();
    if (isCounted(valuePy)) {
      // The loop value owns a reference (py-insert-refcounts); once the iterator is over it
      // holds null pointers, which dropping it skips.
      Value null = LLVM::ZeroOp::create(b, loc, ptrType());
      for (Value &part : value)
        if (llvm::isa<LLVM::LLVMPointerType>(part.getType()))
          part = arith::SelectOp::create(b, loc, valid, part, null);
      changeRefcount(loc, valuePy, value, /*increment=*/true);
    }
    mapValue(next.getValid(), valid);
    mapValue(next.getValue(), value);
    raiseIfGeneratorRaised(loc, next.getIterator().getType(), values.lookup(next.getIterator()));
  } else if (auto call = llvm::dyn_cast<CallOp>(op)) {
    auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
    SmallVector<Type> results{b.getI32Type()};
    for (Type t : callee.getResultTypes())
      lowerType(t, results);
    auto newCall = func::CallOp::create(b, loc, call.getCallee(), results, lowered(call.getArgs()));
    Value status = newCall.getResult(0);
    Value failedCall = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, status,
                                               cInt(loc, 0, b.getI32Type()));
    Block *cont = new Block();
    fn.getBody().push_back(cont);
    cf::CondBranchOp::create(b, loc, failedCall, raiseBlock(loc), ValueRange{status}, cont, ValueRange{});
    b.setInsertionPointToEnd(cont);
    mapValue(call, newCall.getResults().drop_front());
  } else if (auto raise = llvm::dyn_cast<RaiseOp>(op)) {
    // With a text, the runtime records the exception; the site raises what it recorded.
    Value status = exceptionStatus(loc, raise.getException(), raise.getMessage(), raise.getText());
    if (Value text = raise.getText())
      changeRefcount(loc, text.getType(), values.lookup(text), /*increment=*/false);
    returnStatus(loc, status);
  } else if (auto br = llvm::dyn_cast<cf::BranchOp>(op)) {
    cf::BranchOp::create(b, loc, blocks[br.getDest()], lowered(br.getDestOperands()));
  } else if (auto cbr = llvm::dyn_cast<cf::CondBranchOp>(op)) {
    cf::CondBranchOp::create(b, loc, one(cbr.getCondition()), blocks[cbr.getTrueDest()],
                               lowered(cbr.getTrueDestOperands()), blocks[cbr.getFalseDest()],
                               lowered(cbr.getFalseDestOperands()));
  } else if (auto ret = llvm::dyn_cast<func::ReturnOp>(op)) {
    SmallVector<Value> results{cInt(loc, 0, b.getI32Type())};
    results.append(lowered(ret.getOperands()));
    func::ReturnOp::create(b, loc, results);
  } else if (llvm::isa<arith::ArithDialect>(op.getDialect())) {
    if (Value v = lowerStdOp(op))
      mapValue(op.getResult(0), v);
  } else {
    return op.emitError("UnsupportedError: no lowering for ") << op.getName();
  }
  return success();
}

/// An arith op that canonicalization made in typed py IR (a select of two merged values,
/// say): selects apply per flattened part; other ops take their operands' new values.
Value FunctionLowering::lowerStdOp(Operation &op) {
  if (auto select = llvm::dyn_cast<arith::SelectOp>(op)) {
    SmallVector<Value, 1> t = values.lookup(select.getTrueValue());
    SmallVector<Value, 1> f = values.lookup(select.getFalseValue());
    SmallVector<Value> parts;
    for (auto [x, y] : llvm::zip(t, f))
      parts.push_back(arith::SelectOp::create(b, op.getLoc(), one(select.getCondition()), x, y));
    // A new owner of the list it picks (py-insert-refcounts sees a result of its own).
    changeRefcount(op.getLoc(), select.getType(), parts, /*increment=*/true);
    // One value per py value: a tuple is rebuilt by make_tuple users through the map.
    if (parts.size() == 1)
      return parts[0];
    mapValue(op.getResult(0), parts);
    return {};
  }
  IRMapping mapping;
  for (Value operand : op.getOperands())
    mapping.map(operand, one(operand));
  return b.clone(op, mapping)->getResult(0);
}

LogicalResult FunctionLowering::run() {
  SmallVector<Type> argTypes;
  for (Type t : old.getArgumentTypes())
    lowerType(t, argTypes);
  for (Type t : old.getResultTypes())
    lowerType(t, resultTypes);
  SmallVector<Type> allResults{b.getI32Type()};
  allResults.append(resultTypes);
  b.setInsertionPoint(old);
  fn = func::FuncOp::create(b, old.getLoc(), (old.getSymName() + ".lowered").str(),
                              b.getFunctionType(argTypes, allResults));
  for (Block &block : old.getBody()) {
    Block *nb = new Block();
    fn.getBody().push_back(nb);
    blocks[&block] = nb;
    for (BlockArgument arg : block.getArguments()) {
      SmallVector<Type> parts;
      lowerType(arg.getType(), parts);
      SmallVector<Value> newArgs;
      for (Type t : parts)
        newArgs.push_back(nb->addArgument(t, arg.getLoc()));
      mapValue(arg, newArgs);
    }
  }
  propagate = new Block();
  fn.getBody().push_back(propagate);
  Value status = propagate->addArgument(b.getI32Type(), old.getLoc());
  b.setInsertionPointToEnd(propagate);
  returnStatus(old.getLoc(), status);

  for (Block &block : old.getBody()) {
    b.setInsertionPointToEnd(blocks[&block]);
    handler = nullptr; // a try body's ops start at py.exc_begin
    for (Operation &op : block)
      if (failed(lowerOp(op)))
        return failure();
  }
  if (propagate->use_empty())
    propagate->erase();
  return success();
}

} // namespace mlir::py

namespace {
/// The raise sites as the runtime reads them (errors.rs, `numlir_exc_matches`): each
/// site's class and message, each ended by a NUL, in the order of their statuses.
void addRaiseSitesGlobal(ModuleOp module, const RaiseTable &table) {
  std::string bytes;
  for (auto &[exception, message] : table.sites) {
    bytes += exception + '\0';
    bytes += message + '\0';
  }
  bytes += '\0';
  OpBuilder b(module.getContext());
  b.setInsertionPointToStart(module.getBody());
  auto type = LLVM::LLVMArrayType::get(b.getI8Type(), bytes.size());
  LLVM::GlobalOp::create(b, module.getLoc(), type, /*isConstant=*/true, LLVM::Linkage::Internal,
                         "numlir_raise_sites", b.getStringAttr(bytes));
}

struct PyToStdPass : py::impl::ConvertPyToStdBase<PyToStdPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    RaiseTable table;
    SmallVector<func::FuncOp> funcs;
    for (auto f : module.getOps<func::FuncOp>())
      if (!f.isDeclaration())
        funcs.push_back(f);
    SmallVector<func::FuncOp> loweredFuncs;
    for (func::FuncOp f : funcs) {
      FunctionLowering lowering(f, table, symbols);
      if (lowering.run().failed())
        return signalPassFailure();
      loweredFuncs.push_back(lowering.result());
    }
    for (auto [f, lowered] : llvm::zip(funcs, loweredFuncs)) {
      std::string name = f.getSymName().str();
      bool entry = f->hasAttr("py.entry");
      symbols.erase(f);
      lowered.setSymName(name);
      if (!entry) {
        // Private, and internal to LLVM: it inlines and drops it, with no packed-call
        // wrapper (Export.cpp wraps external functions); the entry stays callable.
        lowered.setPrivate();
        lowered->setAttr("llvm.linkage", LLVM::LinkageAttr::get(lowered.getContext(), LLVM::Linkage::Internal));
      }
    }
    // fastmath: "fast" or a comma list of LLVM's flag names (numba's fastmath={...}).
    if (auto flags = module->getAttrOfType<StringAttr>("py.fastmath")) {
      std::optional<arith::FastMathFlags> parsed = arith::symbolizeFastMathFlags(flags.getValue());
      if (!parsed) {
        module.emitError() << "unknown fastmath flags '" << flags.getValue() << "'";
        return signalPassFailure();
      }
      module.walk([&](arith::ArithFastMathInterface op) {
        op->setAttr("fastmath", arith::FastMathFlagsAttr::get(&getContext(), *parsed));
      });
    }
    SmallVector<Attribute> sites;
    Builder builder(&getContext());
    for (auto &[exc, msg] : table.sites)
      sites.push_back(builder.getStrArrayAttr({exc, msg}));
    module->setAttr("py.raise_table", builder.getArrayAttr(sites));
    if (table.read)
      addRaiseSitesGlobal(module, table);
    module->removeAttr("py.fastmath");
    module->removeAttr("py.error_model");
  }
};
} // namespace


namespace mlir::py {
/// A prange loop (py-parallel-loops made it): scf.parallel over the range's length, each
/// iteration a call of the outlined body with its index; each reduction's contributions
/// combined by scf.reduce (a compare and select for min/max, the form convert-scf-to-openmp
/// knows). The status is one more reduction, the largest: a body that raises contributes
/// its status (iterations go on, as OpenMP's loops cannot stop early; its other
/// contributions are the identity), which is raised after the loop. The loop's body writes
/// no memory of its own and stays one block (convert-scf-to-openmp puts it in a
/// memref.alloca_scope, which convert-scf-to-cf must not split). A variable the loop only
/// assigns ("last", with a warning from py-parallel-loops) keeps the last iteration's value:
/// that iteration runs on its own after the parallel loop.
void FunctionLowering::lowerParallelFor(ParallelForOp loop) {
  Location loc = loop.getLoc();
  auto callee = symbols.lookup<func::FuncOp>(loop.getBody());
  SmallVector<Type> results{b.getI32Type()};
  for (Type t : callee.getResultTypes())
    lowerType(t, results);
  OperandRange operands = loop.getOperands();
  Value start = toI64(loc, i64Parts(loc, operands[0])[0]), stop = toI64(loc, i64Parts(loc, operands[1])[0]);
  Value step = toI64(loc, i64Parts(loc, operands[2])[0]);
  raiseIf(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, step, cInt(loc, 0, i64())), "ValueError",
          "range() arg 3 must not be zero");
  int64_t captureCount = loop.getCaptureCount();
  SmallVector<Value> captures = lowered(operands.slice(3, captureCount));
  OperandRange initsPy = operands.drop_front(3 + captureCount);
  // What the body returns besides its status: a contribution to each reduction, or a
  // variable's value ("last": kept from the last iteration, which runs after the others).
  SmallVector<Value> starts = lowered(initsPy);
  SmallVector<StringRef> kinds;
  SmallVector<bool> unsignedInts;
  for (auto [kind, init] : llvm::zip(loop.getReductions(), initsPy)) {
    kinds.push_back(llvm::cast<StringAttr>(kind).getValue());
    unsignedInts.push_back(init.getType().isUnsignedInteger());
  }
  bool keepsLast = llvm::is_contained(kinds, "last");
  // The parallel loop's reductions: each true reduction's, then the status, the largest
  // (0 where nothing raised).
  SmallVector<unsigned> reduced;
  SmallVector<Value> inits;
  for (auto [r, kind] : llvm::enumerate(kinds))
    if (kind != "last") {
      reduced.push_back(r);
      inits.push_back(starts[r]);
    }
  inits.push_back(cInt(loc, 0, b.getI32Type()));
  // x and y combined by a reduction: compare and select for min/max.
  auto combine = [](OpBuilder &cb, Location nl, StringRef kind, bool isUnsigned, Value x, Value y) -> Value {
    bool isFloat = llvm::isa<FloatType>(x.getType());
    if (kind == "add")
      return isFloat ? arith::AddFOp::create(cb, nl, x, y).getResult() : arith::AddIOp::create(cb, nl, x, y).getResult();
    if (kind == "mul")
      return isFloat ? arith::MulFOp::create(cb, nl, x, y).getResult() : arith::MulIOp::create(cb, nl, x, y).getResult();
    bool min = kind == "min";
    Value first = isFloat ? arith::CmpFOp::create(cb, nl, min ? arith::CmpFPredicate::OLT : arith::CmpFPredicate::OGT, x, y).getResult()
                          : arith::CmpIOp::create(cb, nl, min ? (isUnsigned ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt)
                                                              : (isUnsigned ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt),
                                                  x, y).getResult();
    return arith::SelectOp::create(cb, nl, first, x, y);
  };
  auto identityOf = [&](OpBuilder &nb, Location nl, unsigned r) -> Value {
    return arith::ConstantOp::create(nb, nl, reductionIdentity(starts[r].getType(), kinds[r], unsignedInts[r]));
  };
  // One iteration: the body called with k's index, as (status, contributions...).
  auto iteration = [&](OpBuilder &nb, Location nl, Value k) {
    Value i = arith::AddIOp::create(nb, nl, start, arith::MulIOp::create(nb, nl, k, step));
    SmallVector<Value> args{i};
    llvm::append_range(args, captures);
    return func::CallOp::create(nb, nl, loop.getBody(), results, args);
  };
  Value count = arith::IndexCastOp::create(b, loc, b.getIndexType(), rangeLength(loc, start, stop, step));
  Value zero = arith::ConstantIndexOp::create(b, loc, 0), one = arith::ConstantIndexOp::create(b, loc, 1);
  Value parallelCount = keepsLast ? arith::MaxSIOp::create(b, loc, arith::SubIOp::create(b, loc, count, one), zero).getResult() : count;
  auto parallel = scf::ParallelOp::create(b, loc, ValueRange{zero}, ValueRange{parallelCount}, ValueRange{one}, inits,
      [&](OpBuilder &nb, Location nl, ValueRange ivs, ValueRange) {
        // k counts from 0, which LLVM cannot see once OpenMP hands out the bounds; with its
        // sign bit cleared (a no-op) it can: `a[i]` of `prange(n)` then needs no wrap of
        // negative indices, and the loop vectorizes. (An llvm.assume would say the same,
        // but ownership-based deallocation rejects ops of unknown memory effects.)
        Value k = arith::AndIOp::create(nb, nl, arith::IndexCastOp::create(nb, nl, nb.getI64Type(), ivs[0]),
                                        arith::ConstantIntOp::create(nb, nl, nb.getI64Type(), std::numeric_limits<int64_t>::max()));
        auto call = iteration(nb, nl, k);
        Value status = call.getResult(0);
        Value ok = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq, status, arith::ConstantIntOp::create(nb, nl, nb.getI32Type(), 0));
        // An iteration that raised contributes each reduction's identity.
        SmallVector<Value> contributions;
        for (unsigned r : reduced)
          contributions.push_back(arith::SelectOp::create(nb, nl, ok, call.getResult(r + 1), identityOf(nb, nl, r)));
        contributions.push_back(status);
        auto reduce = scf::ReduceOp::create(nb, nl, contributions);
        for (unsigned m = 0; m < contributions.size(); ++m) {
          Block &combiner = reduce.getReductions()[m].front();
          OpBuilder cb = OpBuilder::atBlockEnd(&combiner);
          bool isStatus = m + 1 == contributions.size();
          scf::ReduceReturnOp::create(cb, nl, combine(cb, nl, isStatus ? "max" : kinds[reduced[m]], isStatus ? false : unsignedInts[reduced[m]],
                                                      combiner.getArgument(0), combiner.getArgument(1)));
        }
      });
  auto raiseOnStatus = [&](Value status) {
    Value failed = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, status, cInt(loc, 0, b.getI32Type()));
    Block *cont = new Block();
    fn.getBody().push_back(cont);
    cf::CondBranchOp::create(b, loc, failed, raiseBlock(loc), ValueRange{status}, cont, ValueRange{});
    b.setInsertionPointToEnd(cont);
  };
  raiseOnStatus(parallel.getResults().back());
  SmallVector<Value> finals(kinds.size());
  for (auto [m, r] : llvm::enumerate(reduced))
    finals[r] = parallel.getResult(m);
  if (keepsLast) {
    // The last iteration, after the others (none when the range is empty: the variables
    // keep their values from before the loop).
    Value any = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, count, zero);
    auto last = scf::IfOp::create(b, loc, any,
        [&](OpBuilder &nb, Location nl) {
          Value k = arith::IndexCastOp::create(nb, nl, nb.getI64Type(), arith::SubIOp::create(nb, nl, count, one));
          scf::YieldOp::create(nb, nl, iteration(nb, nl, k).getResults());
        },
        [&](OpBuilder &nb, Location nl) {
          SmallVector<Value> none{arith::ConstantIntOp::create(nb, nl, nb.getI32Type(), 0)};
          for (unsigned r = 0; r < kinds.size(); ++r)
            none.push_back(kinds[r] == "last" ? starts[r] : identityOf(nb, nl, r));
          scf::YieldOp::create(nb, nl, none);
        });
    raiseOnStatus(last.getResult(0));
    for (unsigned r = 0; r < kinds.size(); ++r)
      finals[r] = kinds[r] == "last" ? last.getResult(r + 1) : combine(b, loc, kinds[r], unsignedInts[r], finals[r], last.getResult(r + 1));
  }
  mapValue(loop, finals);
}
} // namespace mlir::py
