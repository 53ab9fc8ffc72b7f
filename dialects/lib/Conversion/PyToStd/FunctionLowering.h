// The per-function lowering of py-to-std (FunctionLowering), shared by the files of this
// folder: scalars (PyToStd.cpp and its neighbours) and arrays (Array*.cpp).
#ifndef NUMLIR_CONVERSION_PYTOSTD_FUNCTIONLOWERING_H
#define NUMLIR_CONVERSION_PYTOSTD_FUNCTIONLOWERING_H

#include "numlir/Conversion/ComplexToStd/ComplexToStd.h"
#include "numlir/Conversion/PyToStd/LoweringUtils.h"
#include "numlir/Dialect/Py/IR/PyDialect.h"
#include "numlir/Dialect/Py/IR/PyTypeRules.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"
#include <functional>
#include <optional>

namespace mlir::py {
/// A range iterator's state (makeRangeIter): [current, items left, step, lowest].
constexpr int64_t kRangeStateFields = 4;
/// The field with a lower bound of the range's values (wrapIndex reads it).
constexpr int64_t kRangeLowestField = 3;

/// Raise sites of a module, numbered from 1 in the order they are lowered.
struct RaiseTable {
  SmallVector<std::pair<std::string, std::string>> sites;
  /// Whether compiled code reads the sites (`except`, `str(e)`): the pass then leaves them
  /// in the module as the global `numlir_raise_sites`.
  bool read = false;
  int add(StringRef exception, StringRef message) {
    sites.push_back({exception.str(), message.str()});
    return static_cast<int>(sites.size());
  }
};

/// The exception class the CUDA simulator reports misused barriers with ("module:qualname").
inline constexpr llvm::StringLiteral kCudaMisuseError = "numlir.cuda.driver:CudaSimulatorError";
/// The module attribute with the bytes of a kernel's `cuda.shared.array`s (Cuda.cpp).
inline constexpr llvm::StringLiteral kCudaSharedBytes = "py.cuda_shared_bytes";
/// The module attribute of a kernel whose threads meet (barriers, warp intrinsics).
inline constexpr llvm::StringLiteral kCudaMeets = "py.cuda_meets";

/// The LLVM struct of a memref descriptor of `array`'s rank (as MLIR lowers memrefs).
inline LLVM::LLVMStructType descriptorStruct(MemRefType array) {
  MLIRContext *ctx = array.getContext();
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  auto i64 = IntegerType::get(ctx, 64);
  SmallVector<Type> fields{ptr, ptr, i64};
  if (array.getRank() > 0) {
    auto dims = LLVM::LLVMArrayType::get(i64, array.getRank());
    fields.append({dims, dims});
  }
  return LLVM::LLVMStructType::getLiteral(ctx, fields);
}

/// The std types a py type becomes (tuples and ranges flatten, None vanishes).
inline void lowerType(Type t, SmallVectorImpl<Type> &out) {
  MLIRContext *ctx = t.getContext();
  if (auto tuple = tupleOf(t)) {
    for (Type e : tuple.getTypes())
      lowerType(e, out);
  } else if (auto ref = llvm::dyn_cast<FunctionRefType>(t)) { // what a closure captured
    if (ref.getCaptures())
      lowerType(ref.getCaptures(), out);
  } else if (llvm::isa<NoneType>(t)) { // nothing at run time
  } else if (llvm::isa<RangeType>(t)) {
    out.append(3, IntegerType::get(ctx, 64));
  } else if (llvm::isa<RangeIterType>(t)) {
    out.push_back(MemRefType::get({kRangeStateFields}, IntegerType::get(ctx, 64)));
  } else if (auto iter = llvm::dyn_cast<IterType>(t)) {
    lowerType(iter.getState(), out);
  } else if (auto opt = llvm::dyn_cast<OptionalType>(t)) {
    out.push_back(IntegerType::get(ctx, 1)); // there is a value
    lowerType(opt.getValueType(), out);
  } else if (llvm::isa<ExceptionType>(t)) {
    out.push_back(IntegerType::get(ctx, 32)); // its raise status
  } else if (llvm::isa<ListType, DictType, SetType, StrType>(t)) {
    out.push_back(LLVM::LLVMPointerType::get(ctx)); // the runtime's block (Lists.cpp, Dicts.cpp)
  } else if (llvm::isa<GeneratorType>(t)) {
    out.append(2, LLVM::LLVMPointerType::get(ctx)); // its block and its coroutine (Generators.cpp)
  } else if (llvm::isa<SliceType>(t)) {
    // start, stop, step, whether start and stop were given
    out.append(3, IntegerType::get(ctx, 64));
    out.append(2, IntegerType::get(ctx, 1));
  } else if (auto array = llvm::dyn_cast<MemRefType>(t)) {
    out.push_back(MemRefType::get(array.getShape(), storageType(array.getElementType()),
                                  array.getLayout()));
  } else {
    out.push_back(storageType(t)); // uint scalars are signless in std
  }
}

/// The 64-bit words one list item or dict key or value of py type `t` takes (Lists.cpp).
int64_t itemWords(Type t);
/// The kinds of those words, two bits each, first word lowest: 0 a signed int, 1 a float,
/// 2 an unsigned int, 3 a str (how the runtime orders and hashes them).
int64_t wordKinds(Type t);
inline size_t loweredSize(Type t) {
  SmallVector<Type> parts;
  lowerType(t, parts);
  return parts.size();
}

/// The signed-integer and ordered-float (NaN compares unequal) forms of a py.cmp predicate.
inline arith::CmpIPredicate intPredicate(StringRef p) {
  return llvm::StringSwitch<arith::CmpIPredicate>(p)
      .Case("lt", arith::CmpIPredicate::slt).Case("le", arith::CmpIPredicate::sle)
      .Case("eq", arith::CmpIPredicate::eq).Case("ne", arith::CmpIPredicate::ne)
      .Case("gt", arith::CmpIPredicate::sgt).Default(arith::CmpIPredicate::sge);
}
inline arith::CmpFPredicate floatPredicate(StringRef p) {
  return llvm::StringSwitch<arith::CmpFPredicate>(p)
      .Case("lt", arith::CmpFPredicate::OLT).Case("le", arith::CmpFPredicate::OLE)
      .Case("eq", arith::CmpFPredicate::OEQ).Case("ne", arith::CmpFPredicate::UNE)
      .Case("gt", arith::CmpFPredicate::OGT).Default(arith::CmpFPredicate::OGE);
}

class FunctionLowering {
public:
  FunctionLowering(func::FuncOp old, RaiseTable &table, SymbolTable &symbols)
      : old(old), b(old.getContext()), table(table), symbols(symbols),
        numpyErrors(old->getParentOfType<ModuleOp>()->hasAttr("py.error_model")),
        cudaKernel(old->getParentOfType<ModuleOp>()->hasAttr("py.cuda_kernel")) {}
  LogicalResult run();
  func::FuncOp result() { return fn; }

private:
  func::FuncOp old, fn;
  OpBuilder b;
  RaiseTable &table;
  SymbolTable &symbols;
  /// error_model="numpy": division by zero gives inf/nan (0 for integers), no exception.
  bool numpyErrors;
  /// A CUDA kernel (`py.cuda_kernel`): its raise sites name their source line (a kernel's
  /// exception reaches Python from the simulator, far from the line that raised it), its
  /// print() also takes printf's form, and, as its code also runs on a GPU, it takes no
  /// host-specific instructions.
  bool cudaKernel;
  DenseMap<Value, SmallVector<Value, 1>> values;
  DenseMap<Block *, Block *> blocks;
  SmallVector<Type> resultTypes; // after the status
  Block *propagate = nullptr;    // returns a callee's nonzero status
  /// In a try body, between `py.exc_begin` and its block's `py.exc_point`: where raise
  /// paths go instead of the caller (the lowered handler edge), its operands, and a block
  /// that takes a callee's status there. The status travels in `caughtSlot`.
  Block *handler = nullptr;
  SmallVector<Value> handlerArgs;
  Block *handlerFromCall = nullptr;
  Value caughtSlot;

  Type i1() { return b.getI1Type(); }
  Type i64() { return b.getI64Type(); }
  Type f64() { return b.getF64Type(); }
  Value cInt(Location loc, int64_t v, Type t) {
    return arith::ConstantOp::create(b, loc, t, b.getIntegerAttr(t, v));
  }
  Value cF64(Location loc, double v) {
    return arith::ConstantOp::create(b, loc, f64(), b.getF64FloatAttr(v));
  }
  Value zeroOf(Location loc, Type t) {
    if (auto mem = llvm::dyn_cast<MemRefType>(t))
      return emptyArray(b, loc, mem); // an array result on a path that raises
    if (llvm::isa<LLVM::LLVMPointerType>(t))
      return LLVM::ZeroOp::create(b, loc, t); // a list result on a path that raises
    return numberConstant(b, loc, t, 0.0);
  }
  Value one(Value v) { return values.lookup(v)[0]; }

  void mapValue(Value from, ValueRange to) { values[from] = SmallVector<Value, 1>(to); }
  SmallVector<Value> lowered(ValueRange vs) {
    SmallVector<Value> out;
    for (Value v : vs) {
      SmallVector<Value, 1> parts = values.lookup(v);
      out.append(parts.begin(), parts.end());
    }
    return out;
  }

  /// Raises the exception of `status`: to the handler in a try body, else to the caller.
  void returnStatus(Location loc, Value status) {
    if (handler) {
      memref::StoreOp::create(b, loc, status, exceptionSlot(loc));
      cf::BranchOp::create(b, loc, handler, handlerArgs);
      return;
    }
    SmallVector<Value> results{status};
    for (Type t : resultTypes)
      results.push_back(zeroOf(loc, t));
    func::ReturnOp::create(b, loc, results);
  }
  /// The block a failed call branches to with the callee's status.
  Block *raiseBlock(Location loc) {
    if (!handler)
      return propagate;
    if (!handlerFromCall) {
      OpBuilder::InsertionGuard guard(b);
      handlerFromCall = new Block();
      fn.getBody().push_back(handlerFromCall);
      Value status = handlerFromCall->addArgument(b.getI32Type(), loc);
      b.setInsertionPointToEnd(handlerFromCall);
      returnStatus(loc, status);
    }
    return handlerFromCall;
  }
  /// The function's slot for the status of the exception a handler is entered with.
  Value exceptionSlot(Location loc) {
    if (!caughtSlot) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&fn.getBody().front());
      caughtSlot = memref::AllocaOp::create(b, loc, MemRefType::get({}, b.getI32Type()));
    }
    return caughtSlot;
  }
  /// The address of the module's table of raise sites (made at the end of the pass).
  Value raiseSites(Location loc) {
    table.read = true;
    return LLVM::AddressOfOp::create(b, loc, LLVM::LLVMPointerType::get(b.getContext()), "numlir_raise_sites");
  }
  /// Branches to a new block that raises `exception(message)` when `cond` holds, and
  /// continues building in the fall-through block. `message` may name up to two run-time
  /// integers as {0} and {1}: the raise path hands `details` to the runtime
  /// (numlir_raise_detail), and the dispatcher fills them in.
  void raiseIf(Location loc, Value cond, StringRef exception, const Twine &message,
               ValueRange details = {}) {
    Block *raise = new Block(), *cont = new Block();
    fn.getBody().push_back(raise);
    fn.getBody().push_back(cont);
    cf::CondBranchOp::create(b, loc, cond, raise, cont);
    b.setInsertionPointToEnd(raise);
    if (!details.empty()) {
      SmallVector<Value, 2> values;
      for (Value v : details)
        values.push_back(llvm::isa<IndexType>(v.getType()) ? arith::IndexCastOp::create(b, loc, i64(), v).getResult() : v);
      while (values.size() < 2)
        values.push_back(cInt(loc, 0, i64()));
      func::CallOp::create(b, loc, raiseDetailFunction(), ValueRange(values));
    }
    std::string text = message.str() + (cudaKernel ? atLine(loc) : "");
    returnStatus(loc, cInt(loc, table.add(exception, text), b.getI32Type()));
    b.setInsertionPointToEnd(cont);
  }
  /// The runtime's `numlir_raise_detail(i64, i64)`, declared in the module on first use.
  func::FuncOp raiseDetailFunction() {
    return declaredFunction("numlir_raise_detail", b.getFunctionType({i64(), i64()}, {}));
  }
  /// The function `name` of type `type`, declared in the module on first use.
  func::FuncOp declaredFunction(StringRef name, FunctionType type) {
    if (auto f = symbols.lookup<func::FuncOp>(name))
      return f;
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(old->getParentOfType<ModuleOp>().getBody());
    auto f = func::FuncOp::create(b, old.getLoc(), name, type);
    f.setPrivate();
    symbols.insert(f);
    return f;
  }

  Value toI64(Location loc, Value v) {
    return isBool(v.getType()) ? arith::ExtUIOp::create(b, loc, i64(), v).getResult() : v;
  }
  Value toF64(Location loc, Value v) {
    if (isBool(v.getType()))
      return arith::UIToFPOp::create(b, loc, f64(), v);
    if (isInt(v.getType()))
      return arith::SIToFPOp::create(b, loc, f64(), v);
    return v;
  }
  Value truth(Location loc, Value v) {
    if (isBool(v.getType()))
      return v;
    if (isComplex(v.getType()))
      return complexTruth(b, loc, v);
    if (isInt(v.getType()))
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, v, cInt(loc, 0, i64()));
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v, cF64(loc, 0.0));
  }
  /// float -> int as Python's int(): NaN and infinities raise, and so do finite values
  /// beyond int64 (CPython would make a big int). The common path is the conversion and
  /// one compare; only the raise path tells the three errors apart.
  Value floatToInt(Location loc, Value x) {
    // On x86, cvttsd2si gives INT64_MIN for every x that does not fit, so the check is on
    // its result: one compare, and no second move of x from the vector unit to the
    // integer unit, which bounds loops like a histogram's. Elsewhere it is |x| < 2^63.
    Value k, maybe;
    if (hostIsX86() && !cudaKernel) { // (a kernel's code also runs on a GPU)
      // A declared function named llvm.* is the LLVM intrinsic of that name.
      auto vecType = VectorType::get({2}, f64());
      Value vec = LLVM::PoisonOp::create(b, loc, vecType);
      vec = LLVM::InsertElementOp::create(b, loc, vec, x, cInt(loc, 0, i64()));
      auto cvtt = declaredFunction("llvm.x86.sse2.cvttsd2si64", b.getFunctionType({vecType}, {i64()}));
      k = func::CallOp::create(b, loc, cvtt, ValueRange{vec}).getResult(0);
      maybe = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, k,
                                      cInt(loc, std::numeric_limits<int64_t>::min(), i64()));
    } else {
      k = arith::FPToSIOp::create(b, loc, i64(), x); // poison where it fails; then unused
      maybe = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UGE, math::AbsFOp::create(b, loc, x),
                                      cF64(loc, 9223372036854775808.0));
    }
    // Both checks also catch -2^63, which converts exactly. The rare path tells the cases
    // apart in an scf.if that yields the raise site (0: none): not a second branch into
    // the continuation, which keeps the deallocation of live arrays simple, and enough
    // work that LLVM keeps it a branch instead of computing it on every iteration.
    // llvm.expect lays it out of line. numlir-sink-int-checks (SinkIntChecks.cpp) matches
    // this shape to move the check below a range test of k: keep the two in step.
    Type i32 = b.getI32Type();
    maybe = LLVM::ExpectOp::create(b, loc, maybe, arith::ConstantOp::create(b, loc, b.getBoolAttr(false)));
    auto rare = scf::IfOp::create(b, loc, TypeRange{i32}, maybe, /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(rare.thenBlock());
      Value isNan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
      Value isInf = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, math::AbsFOp::create(b, loc, x),
                                            cF64(loc, std::numeric_limits<double>::infinity()));
      Value exact = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x, cF64(loc, -9223372036854775808.0));
      Value nanSite = cInt(loc, table.add("ValueError", "cannot convert float NaN to integer"), i32);
      Value infSite = cInt(loc, table.add("OverflowError", "cannot convert float infinity to integer"), i32);
      Value bigSite = cInt(loc, table.add("OverflowError", "float too large to convert to int64"), i32);
      Value error = arith::SelectOp::create(b, loc, isNan, nanSite,
                                              arith::SelectOp::create(b, loc, isInf, infSite, bigSite));
      scf::YieldOp::create(b, loc, arith::SelectOp::create(b, loc, exact, cInt(loc, 0, i32), error).getResult());
      b.setInsertionPointToStart(rare.elseBlock());
      scf::YieldOp::create(b, loc, cInt(loc, 0, i32));
    }
    Value site = rare.getResult(0);
    Block *raise = new Block(), *cont = new Block();
    fn.getBody().push_back(raise);
    fn.getBody().push_back(cont);
    cf::CondBranchOp::create(b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, site, cInt(loc, 0, i32)),
                               raise, cont);
    b.setInsertionPointToEnd(raise);
    returnStatus(loc, site);
    b.setInsertionPointToEnd(cont);
    return k;
  }
  static bool hostIsX86() {
    static const bool x86 = llvm::Triple(llvm::sys::getProcessTriple()).isX86();
    return x86;
  }
  /// Converts one scalar value between i1, i64 and f64.
  Value convertScalar(Location loc, Value v, Type to) {
    Type from = v.getType();
    if (from == to)
      return v;
    if (llvm::isa<MemRefType>(from)) {
      SmallVector<Type> parts;
      lowerType(to, parts);
      return memref::CastOp::create(b, loc, parts[0], v);
    }
    if (isComplex(to) || isComplex(from))
      return convertElement(b, loc, v, from, to);
    if (isBool(to))
      return truth(loc, v);
    if (isFloat(to))
      return toF64(loc, v);
    if (isFloat(from))
      return arith::FPToSIOp::create(b, loc, i64(), v); // numba-style truncation on casts
    return toI64(loc, v);
  }
  /// Converts the flattened parts of a `from` value to the parts of a `to` value.
  void convertParts(Location loc, Type from, Type to, ArrayRef<Value> in,
                    SmallVectorImpl<Value> &out) {
    if (from == to) {
      out.append(in.begin(), in.end());
      return;
    }
    // Into an Optional: None (no value, zero parts), a value, or another Optional's parts.
    // Out of one: its value's parts (py.cast checks the flag first).
    auto of = llvm::dyn_cast<OptionalType>(from), ot = llvm::dyn_cast<OptionalType>(to);
    if (ot) {
      if (llvm::isa<NoneType>(from)) {
        out.push_back(cInt(loc, 0, i1()));
        SmallVector<Type> parts;
        lowerType(ot.getValueType(), parts);
        for (Type p : parts)
          out.push_back(zeroOf(loc, p));
        return;
      }
      out.push_back(of ? in[0] : cInt(loc, 1, i1()));
      convertParts(loc, of ? of.getValueType() : from, ot.getValueType(), of ? in.drop_front() : in, out);
      return;
    }
    if (of)
      return convertParts(loc, of.getValueType(), to, in.drop_front(), out);
    auto tf = tupleOf(from), tt = tupleOf(to);
    if (tf && tt) {
      size_t pos = 0;
      for (auto [ef, et] : llvm::zip(tf.getTypes(), tt.getTypes())) {
        size_t n = loweredSize(ef);
        convertParts(loc, ef, et, in.slice(pos, n), out);
        pos += n;
      }
      return;
    }
    if (in.empty())
      return;
    if (isAnyNumber(from) && isAnyNumber(to))
      out.push_back(convertElement(b, loc, in[0], from, to));
    else
      out.push_back(convertScalar(loc, in[0], to));
  }

  /// `v`, a lowered scalar of py type `t`, in the Python type it computes in (pythonWide):
  /// NumPy's int8-uint32 as int64, float32 as float64, complex64 as complex128. Scalar ops
  /// on NumPy's narrow types widen their operands exactly, compute as Python's types do, and
  /// narrow the result to the op's type: integers wrap and floats round once, as NumPy's
  /// own loops give (+ - * / and sqrt of float32 computed in float64 round to the same float32).
  Value widen(Location loc, Value v, Type t) {
    Type w = pythonWide(t);
    return w == t ? v : convertElement(b, loc, v, t, w);
  }
  /// A wide result (i1, i64, f64 or complex) as a value of py type `to`.
  Value narrow(Location loc, Value v, Type to) {
    return v.getType() == to ? v : convertElement(b, loc, v, v.getType(), to);
  }
  /// The lowered parts of `pyValue`, narrow integers widened to int64: the indices, sizes
  /// and bounds that compute in int64.
  SmallVector<Value> i64Parts(Location loc, Value pyValue) {
    SmallVector<Type> leaves;
    pyLeaves(pyValue.getType(), leaves);
    SmallVector<Value> parts(values.lookup(pyValue));
    for (auto [part, leaf] : llvm::zip(parts, leaves))
      if (isInt(leaf) && !isUnsigned64(leaf))
        part = convertElement(b, loc, part, leaf, i64());
    return parts;
  }
  /// Maps `result` to the parts of element `i` of `tuple` (a tuple or namedtuple value):
  /// t[i], a, b = t, p.x.
  void mapTupleElement(Value result, Value tuple, int64_t i) { mapValue(result, tupleElementParts(tuple, i)); }
  /// The lowered parts of element `i` of `tuple` (a tuple or namedtuple value).
  SmallVector<Value> tupleElementParts(Value tuple, int64_t i) {
    TupleType type = tupleOf(tuple.getType());
    size_t start = 0;
    for (int64_t k = 0; k < i; ++k)
      start += loweredSize(type.getType(k));
    return SmallVector<Value>(ArrayRef<Value>(values.lookup(tuple)).slice(start, loweredSize(type.getType(i))));
  }
  /// The py type of each part lowerType makes of `t`.
  static void pyLeaves(Type t, SmallVectorImpl<Type> &out) {
    if (auto tuple = tupleOf(t)) {
      for (Type e : tuple.getTypes())
        pyLeaves(e, out);
      return;
    }
    SmallVector<Type> parts; // a range or slice: std parts that are their own py types
    lowerType(t, parts);
    if (parts.size() == 1)
      out.push_back(t);
    else
      out.append(parts.begin(), parts.end());
  }

  LogicalResult lowerOp(Operation &op);
  Value lowerBinOp(Location loc, StringRef kind, Type result, Value l, Value r);
  Value lowerIntBinOp(Location loc, StringRef kind, Value a, Value c);
  Value lowerFloatBinOp(Location loc, StringRef kind, Value a, Value c);
  Value lowerPythonFloatDivision(Location loc, bool div, Value a, Value c);
  Value lowerScalarBinOp(BinOp op);
  Value lowerUnsigned64BinOp(Location loc, StringRef kind, Value a, Value c);
  Value lowerCmp(CmpOp op);
  Value compareScalars(Location loc, StringRef predicate, Value l, Type lt, Value r, Type rt);
  Value compareTuples(Location loc, StringRef predicate, ArrayRef<Value> l, TupleType lt, ArrayRef<Value> r,
                      TupleType rt);
  Value compareUnsigned64(Location loc, StringRef predicate, Value l, Type lt, Value r, Type rt);
  FailureOr<Value> lowerBuiltin(CallBuiltinOp op, ArrayRef<Value> args, Type result);
  SmallVector<Value> lowerPairBuiltin(CallBuiltinOp op, ArrayRef<Value> args);
  Value isClose(CallBuiltinOp op, ArrayRef<Value> args);
  FailureOr<SmallVector<Value>> lowerComplexCall(CallBuiltinOp op);
  Value complexModulus(Location loc, Value z);
  Value callLibm(Location loc, StringRef name, ValueRange args);
  Value roundIntDigits(Location loc, Value x, Value n);
  Value compareIntFloat(Location loc, StringRef predicate, Value i, Value f);
  Value makeRangeIter(Location loc, Value start, Value stop, Value step);
  Value rangeIterState(Location loc, Value current, Value count, Value step, Value lowest, bool ofRange = false);
  // Generators (Generators.cpp).
  FailureOr<bool> lowerGeneratorOp(Operation &op);
  Value suspend(Location loc);
  Value shortCircuit(Location loc, Value generatorPy, bool all);
  void privateIterators(Location loc, Type t, ArrayRef<Value> parts, SmallVectorImpl<Value> &out);
  Value generatorNext(Location loc, ArrayRef<Value> parts, Type valuePy, SmallVectorImpl<Value> &value, Value when = {});
  void raiseIfGeneratorRaised(Location loc, Type iterPy, ArrayRef<Value> parts);
  // Iterators (Iterators.cpp).
  SmallVector<Value> makeIterator(Location loc, Value iterable, bool reversed);
  Value nextOf(Location loc, Type iterPy, ArrayRef<Value> parts, SmallVectorImpl<Value> &value, Value when = {});
  SmallVector<Value> lowerIterationBuiltin(CallBuiltinOp op);
  using ValueBody = llvm::function_ref<void(ArrayRef<Value>, Type)>;
  void forEachValue(Location loc, Value iterable, ValueBody body);
  SmallVector<Value> selectTupleElement(Location loc, ArrayRef<Value> parts, int64_t n, Value i, Type elementPy);
  // Lists (Lists.cpp).
  using ItemBody = llvm::function_ref<SmallVector<Value>(Value, ArrayRef<Value>, ValueRange)>;
  FailureOr<bool> lowerListOp(Operation &op);
  FailureOr<bool> lowerListBuiltin(CallBuiltinOp call, Value list, ListType listPy);
  Type ptrType();
  Value wordAddress(Location loc, Value base, Value index);
  Value listField(Location loc, Value list, int64_t field, Type type);
  void setListField(Location loc, Value list, int64_t field, Value v);
  Value listLength(Location loc, Value list);
  SmallVector<Value> loadItem(Location loc, Value items, Value i, Type element);
  void storeItem(Location loc, Value items, Value i, Type element, ArrayRef<Value> parts);
  void changeRefcount(Location loc, Type t, ArrayRef<Value> parts, bool increment);
  void changeBlockCount(Location loc, Value block, bool increment);
  void dropItemArrays(Location loc, Type element, ArrayRef<Value> parts);
  void releaseItem(Location loc, Type element, ArrayRef<Value> parts);
  Value itemTruth(Location loc, Value item, Type element);
  void dropWordArrays(Location loc, Value buffer, Type t, Value when = {});
  Value countedTable(Location loc, Type element);
  Value newList(Location loc, Type element, Value length);
  Value callListRuntime(Location loc, StringRef name, ValueRange args, Type result);
  Value callSliceRuntime(Location loc, StringRef name, Value base, Value pySlice);
  void appendItem(Location loc, Value list, Type element, ArrayRef<Value> parts);
  Value listIndex(Location loc, Value i, Value length, StringRef message);
  SmallVector<Value> forEachItem(Location loc, Value list, Type element, ValueRange init, ItemBody body);
  Value findItem(Location loc, Value list, Type element, ArrayRef<Value> xParts, Type xPy, Value start, Value stop);
  Value equalValues(Location loc, ArrayRef<Value> a, Type aPy, ArrayRef<Value> c, Type cPy);
  Value listsEqual(Location loc, Value l, ListType lPy, Value r, ListType rPy);
  Value lessThan(Location loc, ArrayRef<Value> a, ArrayRef<Value> c, Type t);
  void sortList(Location loc, Value list, Type element, Value reverse);
  void extendList(Location loc, Value list, Type element, Value iterable);
  Value wordBuffer(Location loc, int64_t words);
  // Dicts (Dicts.cpp).
  FailureOr<bool> lowerDictOp(Operation &op);
  Value newDict(Location loc, DictType type);
  Value toWords(Location loc, Value v, Type as);
  Value dictNext(Location loc, Type keyPy, Type valuePy, Value d, Value cursorState, StringRef kind,
                 SmallVectorImpl<Value> &value);
  // Sets (Dicts.cpp: a set is a dict without values).
  FailureOr<bool> lowerSetOp(Operation &op);
  Value newSet(Location loc, Type element);
  void addAll(Location loc, Value set, Type element, Value iterable);
  Value setRelation(Location loc, StringRef relation, Value a, Value c);
  void raiseKeyError(Location loc, Value missing, Value key, StringRef otherwise);
  // Strings (Strings.cpp).
  FailureOr<bool> lowerStrOp(Operation &op);
  Value strConstant(Location loc, StringRef text);
  Value strLength(Location loc, Value s);
  void raiseRecordedIf(Location loc, Value failed);
  Value callStrRuntime(Location loc, StringRef name, ValueRange args);
  Value strEqual(Location loc, Value a, Value c);
  Value strCompare(Location loc, StringRef predicate, Value a, Value c);
  Value formatValue(Location loc, StringRef how, Value x, Value spec);
  Value lowerStrMethod(Location loc, const StrMethod &method, ArrayRef<Value> args);
  // print() (Print.cpp).
  Value textAddress(Location loc, StringRef text);
  LLVM::GlobalOp uniqueGlobal(Location loc, StringRef prefix, llvm::hash_code hash, Type type, Attribute value,
                              bool constant, uint64_t alignment);
  SmallVector<Value> descriptorWords(Location loc, Value memref);
  /// `with objmode(...)` blocks (ObjMode.cpp).
  LogicalResult lowerObjModeCall(ObjModeCallOp op);
  LogicalResult objmodeArgWords(Location loc, Type t, ArrayRef<Value> parts, SmallVectorImpl<Value> &words);
  void objmodeResults(Location loc, Type t, Value out, int64_t &at, SmallVectorImpl<Value> &parts);
  /// try/except (Exceptions.cpp): the exception ops, and str(e) / repr(e) / e.args.
  FailureOr<bool> lowerExceptionOp(Operation &op);
  Value exceptionStatus(Location loc, StringRef exception, StringRef message, Value text);
  Value exceptionText(Location loc, Value status, bool repr);
  void printItems(Location loc, Type t, ArrayRef<Value> parts, SmallVectorImpl<Value> &words);
  LogicalResult lowerPrint(CallBuiltinOp op);
  FailureOr<std::pair<Value, Value>> kernelPrintf(CallBuiltinOp op);
  Value rangeLength(Location loc, Value start, Value stop, Value step);
  std::pair<Value, Value> nextInRange(Location loc, Value state);
  Value lowerStdOp(Operation &op);

  // Arrays (Array*.cpp, ElementOps.cpp).
public:
  /// Per-element computation of an elementwise op: element values in, result out.
  using ElementFn = std::function<Value(OpBuilder &, Location, ValueRange)>;
  /// An elementwise operation (operator, ufunc, np.where/clip) before it is built: its py
  /// operands and how its result element comes from theirs.
  struct ElementExpr {
    SmallVector<Value> operands;
    SmallVector<Type> operandPy;
    ElementFn body;
    MemRefType resultPy;
  };
private:
  /// Elementwise results that are built inside their single elementwise user's loop: an
  /// expression like `a * b + c` becomes one linalg.generic with no temporary array.
  DenseMap<Value, ElementExpr> pending;
  std::optional<ElementExpr> elementExpr(Operation &op);
  bool fusesIntoUser(Operation &op);
  Value materialize(Location loc, const ElementExpr &expr, Value into = {});
  Value inplace(BinOp op);
  Value unaliased(Location loc, Value target, Value source, Type &sourcePy);
  FailureOr<bool> lowerArrayOp(Operation &op);
  Value frozenArray(ArrayConstantOp frozen);
  void lowerParallelFor(ParallelForOp loop);
  Value index(Location loc, Value i64Value);
  Value wrapIndex(Location loc, Value i, Value size, int64_t axis, Value pyIndex = {});
  std::optional<std::pair<Value, int64_t>> rangeOrigin(Value pyIndex);
  FailureOr<Value> lowerGetItem(GetItemOp op);
  LogicalResult lowerSetItem(SetItemOp op);
  FailureOr<Value> lowerGetAttr(GetAttrOp op);
  FailureOr<SmallVector<Value>> lowerArrayCall(CallBuiltinOp op);
  Value lowerLapackCall(CallBuiltinOp op);
  Value view(Location loc, Value array, Type arrayPyType, Value indexValue, Type indexPyType,
             Type resultPyType, Value *scalarOut);
  Value allocArray(Location loc, MemRefType pyType, ValueRange sizes);
  // CUDA kernels' builtins (Cuda.cpp).
  FailureOr<SmallVector<Value>> lowerCudaCall(CallBuiltinOp op);
  Value arrayAt(Location loc, Value ptr, MemRefType arrayPy, ArrayRef<Value> sizes);
  int cudaMisuseSite(Location loc, StringRef what);
  /// " (at file.py:12)" for a raise site's message.
  static std::string atLine(Location loc);
  SmallVector<Value> sizesOf(Location loc, Value array);
  Value elementwise(Location loc, MemRefType resultPy, ArrayRef<Value> operands,
                    ArrayRef<Type> operandPy, ElementFn body, Value into = {});
  void fillArray(Location loc, Value array, Value scalar);
  Value subviewAs(Location loc, Value array, ArrayRef<OpFoldResult> offsets,
                  ArrayRef<OpFoldResult> sizes, ArrayRef<OpFoldResult> strides, Type resultPy);
  Value transposed(Location loc, Value array, Type resultPy);
  Value dot(Location loc, Value a, MemRefType aPy, Value c, MemRefType cPy, Type resultPy);
  Value flat(Location loc, Value array, MemRefType arrayPy, bool alwaysCopy);
  Value copyOf(Location loc, Value array, MemRefType arrayPy);
  Value copyUnless(Location loc, Value keep, Value array, MemRefType arrayPy, Type joined,
                   llvm::function_ref<Value(Value)> adapt);
  Value reshape(Location loc, Value array, MemRefType arrayPy, ValueRange shape, MemRefType resultPy);
  Value outer(Location loc, Value a, MemRefType aPy, Value c, MemRefType cPy, MemRefType resultPy);
  Value trace(Location loc, Value array, MemRefType arrayPy, Type resultPy);
  Value cumulative(Location loc, StringRef name, Value array, MemRefType arrayPy,
                   std::optional<int64_t> axis, MemRefType resultPy);
  std::optional<int64_t> axisOf(CallBuiltinOp op, int64_t rank);
  Value reduce(Location loc, CallBuiltinOp op, StringRef name, Value array, MemRefType arrayPy,
               Type resultPy);
};


} // namespace mlir::py

#endif // NUMLIR_CONVERSION_PYTOSTD_FUNCTIONLOWERING_H
