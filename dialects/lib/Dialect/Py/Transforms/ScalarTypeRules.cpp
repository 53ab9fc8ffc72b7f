// py-infer-types' rules for scalar code: the result type of each py op from its operands'
// types (Python's numeric tower, NumPy 2's promotion of its scalar types, tuples, ranges,
// builtins and math/cmath calls), with a TypingError that names the operation where no
// rule applies. Array code asks the rules of InferArrayTypes.cpp first.
#include "Inferencer.h"
#include "numlir/Dialect/Py/Transforms/ArrayTypeRules.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "llvm/ADT/StringSwitch.h"

#include <functional>

using namespace mlir;
using namespace mlir::py;

namespace mlir::py {
Type Inferencer::builtinResult(CallBuiltinOp op) {
  MLIRContext *ctx = op.getContext();
  Type i64 = IntegerType::get(ctx, 64), f64 = Float64Type::get(ctx), i1 = IntegerType::get(ctx, 1);
  StringRef name = op.getCallee();
  SmallVector<Type> args(op.getArgs().getTypes());
  auto expectArgs = [&](size_t lo, size_t hi) {
    if (args.size() < lo || args.size() > hi) {
      auto d = typingError(op) << name << "() takes ";
      if (lo == hi)
        d << lo;
      else if (hi == SIZE_MAX)
        d << "at least " << lo;
      else
        d << lo << " to " << hi;
      d << " argument" << (hi == 1 && lo == 1 ? "" : "s") << " but " << args.size()
        << " were given";
      return false;
    }
    for (Type t : args)
      if (!isNumber(t)) {
        typingError(op) << name << "() does not accept an argument of type " << pyTypeName(t)
                        << "; numlir supports int, float and bool here";
        return false;
      }
    return true;
  };
  if (name == "enumerate" || name == "zip" || name == "reversed")
    return iterationBuiltin(op);
  if (name == "is") { // `x is None`: numlir's `is` compares with None
    Type a = args[0], c = args[1];
    bool aNone = llvm::isa<NoneType>(a), cNone = llvm::isa<NoneType>(c);
    if (!aNone && !cNone) {
      op->emitError("UnsupportedError: `is` compares a value with None in compiled code; use == to compare values");
      hadError = true;
      return {};
    }
    // Known where neither side may be both: None is None, a number is not None. Branches
    // on a known answer are pruned before typing (a None argument's other branch).
    bool maybe = llvm::isa<OptionalType>(aNone ? c : a);
    if (maybe)
      op->removeAttr("py.known");
    else
      op->setAttr("py.known", BoolAttr::get(ctx, aNone && cNone));
    return i1;
  }
  if (name.starts_with("mt19937.")) {
    // np.random's legacy generator (python/numlir/_numpy/mt19937.py): draws of this
    // thread's MT19937 (src/runtime/random.rs), and seeding it.
    StringRef what = name.drop_front(strlen("mt19937."));
    if (what == "seed") {
      if (!expectArgs(1, 1))
        return {};
      if (!llvm::isa<IntegerType>(args[0]) || args[0].isInteger(1)) {
        typingError(op) << "np.random.seed() takes an int in compiled code, not " << pyTypeName(args[0]);
        return {};
      }
      return NoneType::get(ctx);
    }
    if (!expectArgs(0, 0))
      return {};
    if (what == "reseed")
      return NoneType::get(ctx);
    return what == "next_u32" || what == "bitgen" ? i64 : f64;
  }
  if (name.starts_with("bitgen.")) {
    // NumPy's distribution functions on a bit generator (python/numlir/_numpy/bitgen.py).
    const BitgenBuiltin *builtin = bitgenBuiltin(name.drop_front(strlen("bitgen.")));
    if (!builtin) {
      typingError(op) << name << " is not a numlir builtin";
      return {};
    }
    size_t count = 1 + strlen(builtin->params);
    if (!expectArgs(count, count))
      return {};
    if (!args[0].isInteger(64)) {
      typingError(op) << name << "() takes a bit generator's address first, not " << pyTypeName(args[0]);
      return {};
    }
    for (auto [t, kind] : llvm::zip(ArrayRef(args).drop_front(), StringRef(builtin->params)))
      if (kind == 'i' ? !isIntLike(t) : !isNumber(t)) {
        typingError(op) << name << "() does not accept an argument of type " << pyTypeName(t);
        return {};
      }
    return builtin->returnsInt ? i64 : f64;
  }
  if (name == "numlir.float_bits") { // a float's bits as an int64 (python/numlir/_numpy/bits.py)
    if (!expectArgs(1, 1))
      return {};
    if (!llvm::isa<FloatType>(args[0])) {
      typingError(op) << "float_bits() takes a float, not " << pyTypeName(args[0]);
      return {};
    }
    return i64;
  }
  if (name == "numlir.get_thread_id") { // numba's get_thread_id(): an int
    if (!args.empty()) {
      typingError(op) << "get_thread_id() takes no arguments";
      return {};
    }
    return i64;
  }
  if (name.starts_with("numlir.is_")) {
    // numlir's NumPy implementations choose code by type (python/numlir/_numpy/typing.py):
    // the answer is known here, and branches on it are pruned before typing, as `is None`.
    if (args.size() != 1) {
      typingError(op) << name << "() takes 1 argument";
      return {};
    }
    Type t = args[0];
    Type e = isArray(t) ? llvm::cast<MemRefType>(t).getElementType() : t;
    bool known = llvm::StringSwitch<bool>(name.drop_front(strlen("numlir.is_")))
                     .Case("array", isArray(t))
                     .Case("tuple", llvm::isa<TupleType>(t))
                     .Case("sequence", llvm::isa<TupleType, ListType>(t))
                     .Case("bool", e.isInteger(1))
                     .Case("integer", llvm::isa<IntegerType>(e) && !e.isInteger(1))
                     .Case("unsigned", llvm::isa<IntegerType>(e) && llvm::cast<IntegerType>(e).isUnsigned())
                     .Case("float", llvm::isa<FloatType>(e))
                     .Case("complex", llvm::isa<ComplexType>(e))
                     .Case("single", e.isF32() || (llvm::isa<ComplexType>(e) && llvm::cast<ComplexType>(e).getElementType().isF32()))
                     .Default(false);
    op->setAttr("py.known", BoolAttr::get(ctx, known));
    return i1;
  }
  if (name == "print") {
    // Numbers of every type, arrays and (nested) tuples of them; constant pieces are attributes.
    std::function<bool(Type)> printable = [&](Type t) {
      if (llvm::isa<NamedTupleType>(t))
        return false;
      if (auto tuple = llvm::dyn_cast<TupleType>(t))
        return llvm::all_of(tuple.getTypes(), printable);
      if (auto list = llvm::dyn_cast<ListType>(t))
        return printable(list.getElementType());
      if (auto set = llvm::dyn_cast<SetType>(t))
        return printable(set.getElementType());
      if (auto dict = llvm::dyn_cast<DictType>(t))
        return printable(dict.getKeyType()) && printable(dict.getValueType());
      return isAnyNumber(t) || isArray(t) || llvm::isa<NoneType, StrType, ExceptionType>(t);
    };
    for (Type t : args)
      if (!printable(t)) {
        typingError(op) << "print() of a '" << pyTypeName(t)
                        << "' is not supported yet; it prints numbers, bools, strings, None, arrays, tuples, lists, dicts and sets";
        return {};
      }
    return NoneType::get(ctx);
  }
  if (name == "contains") { // `item in container`: args are (container, item)
    Type container = args[0], item = args[1];
    if (auto tuple = tupleOf(container)) {
      for (Type e : tuple.getTypes())
        if (!isAnyNumber(e) || !isAnyNumber(item)) {
          typingError(op) << "`in` compares numbers with the numbers of a tuple; this is a '"
                          << pyTypeName(item) << "' in a '" << pyTypeName(container) << "'";
          return {};
        }
      return i1;
    }
    if (llvm::isa<RangeType>(container) && isIntLike(item))
      return i1;
    typingError(op) << "`in` is supported for a number in a tuple and an int in a range, not a '"
                    << pyTypeName(item) << "' in a '" << pyTypeName(container) << "'"
                    << (isArray(container) ? "; use (a == x).any()" : "");
    return {};
  }
  Type c128 = ComplexType::get(f64);
  if (name == "abs" && args.size() == 1 && isComplex(args[0]))
    return llvm::cast<ComplexType>(args[0]).getElementType();
  if (name == "abs" && args.size() == 1 && isNumber(args[0]) && !isPythonScalar(args[0]))
    return args[0]; // abs(np.int8(x)) is an int8, as NumPy's
  if (name == "bool" && args.size() == 1 && isComplex(args[0]))
    return i1;
  if (name == "abs")
    return expectArgs(1, 1) ? (isFloat(args[0]) ? f64 : i64) : Type();
  if (name == "complex" && args.size() <= 2 && llvm::any_of(args, isComplex) && llvm::all_of(args, isAnyNumber))
    return c128; // complex(z), complex(z, w) = z + w * 1j
  if (name == "complex")
    return expectArgs(0, 2) ? c128 : Type();
  if (name == "divmod") {
    if (!expectArgs(2, 2))
      return {};
    Type t = binopType(op, "floordiv", op.getArgs()[0], op.getArgs()[1]); // as // and %
    return t ? Type(TupleType::get(ctx, {t, t})) : Type();
  }
  if (name == "pow" && args.size() == 3) {
    if (!expectArgs(3, 3))
      return {};
    if (!llvm::all_of(args, isIntLike)) {
      typingError(op) << "pow() 3rd argument not allowed unless all arguments are integers";
      return {};
    }
    return i64;
  }
  if (name == "pow") {
    if (args.size() != 2 || !llvm::all_of(args, isAnyNumber)) {
      typingError(op) << "pow() takes 2 or 3 numbers";
      return {};
    }
    return binopType(op, "pow", op.getArgs()[0], op.getArgs()[1]); // as **
  }
  if (name == "math.isclose" || name == "cmath.isclose") {
    // isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0)
    auto kw = op.getKwnames();
    size_t nk = kw ? kw->size() : 0;
    bool complexOk = name.starts_with("cmath");
    if (args.size() - nk != 2 || args.size() > 4 ||
        !llvm::all_of(args, [&](Type t) { return complexOk ? isAnyNumber(t) : isNumber(t); })) {
      typingError(op) << name << "() takes two numbers and the keywords rel_tol and abs_tol";
      return {};
    }
    for (size_t i = 0; i < nk; ++i) {
      StringRef k = llvm::cast<StringAttr>((*kw)[i]).getValue();
      if (k != "rel_tol" && k != "abs_tol") {
        typingError(op) << name << "() got an unexpected keyword argument '" << k << "'";
        return {};
      }
    }
    return i1;
  }
  if (name.consume_front("cmath.")) {
    // cmath takes int, float and complex numbers.
    size_t want = name == "rect" ? 2 : (name == "log" ? (args.size() == 2 ? 2 : 1) : 1);
    if (args.size() != want || !llvm::all_of(args, isAnyNumber)) {
      typingError(op) << "cmath." << name << "() takes " << want << " number" << (want == 1 ? "" : "s");
      return {};
    }
    if (name == "phase")
      return f64;
    if (name == "polar")
      return TupleType::get(ctx, {f64, f64});
    if (llvm::is_contained({"isnan", "isinf", "isfinite"}, name))
      return i1;
    if (llvm::is_contained({"sqrt", "exp", "log", "log10", "sin", "cos", "tan", "sinh", "cosh", "tanh", "rect",
                            "acos", "asin", "atan", "acosh", "asinh", "atanh"},
                           name))
      return c128;
    op->emitError("UnsupportedError: cmath.") << name << " is not supported in compiled code";
    return {};
  }
  if ((name == "min" || name == "max") && args.size() == 1 && tupleOf(args[0])) {
    // min(t) of a tuple of numbers: of its elements (lowered as min(t[0], t[1], ...))
    auto elements = tupleOf(args[0]).getTypes();
    if (elements.empty()) {
      typingError(op) << name << "() arg is an empty sequence";
      return {};
    }
    args.assign(elements.begin(), elements.end());
    if (args.size() == 1)
      return isNumber(args[0]) ? args[0] : Type();
  }
  if (name == "min" || name == "max") {
    if (args.size() < 2) {
      typingError(op) << name
                      << "() of a single iterable is not supported yet; pass two or more numbers";
      return {};
    }
    if (!expectArgs(2, SIZE_MAX))
      return {};
    Type t = args[0];
    for (Type a : args)
      t = joinTypes(t, a);
    return t;
  }
  if (name == "int")
    return expectArgs(1, 1) ? i64 : Type();
  if (name == "float")
    return expectArgs(1, 1) ? f64 : Type();
  if (name == "bool")
    return expectArgs(1, 1) ? i1 : Type();
  if (name == "round") {
    if (!expectArgs(1, 2))
      return {};
    if (args.size() == 2 && !isIntLike(args[1])) {
      typingError(op) << "round() needs an int number of digits, got " << pyTypeName(args[1]);
      return {};
    }
    if (args.size() == 1)
      return i64;
    return isPythonScalar(args[0]) ? (isFloat(args[0]) ? f64 : i64) : args[0];
  }
  if (!name.consume_front("math.")) {
    typingError(op) << "unknown builtin '" << name << "'";
    return {};
  }
  if (llvm::is_contained({"floor", "ceil", "trunc"}, name))
    return expectArgs(1, 1) ? i64 : Type(); // math.floor & co. return int in Python
  if (llvm::is_contained({"isnan", "isinf", "isfinite"}, name))
    return expectArgs(1, 1) ? i1 : Type();
  if (llvm::is_contained({"atan2", "pow", "copysign", "hypot", "fmod", "remainder", "nextafter"}, name))
    return expectArgs(2, 2) ? f64 : Type();
  if (name == "ldexp") {
    if (!expectArgs(2, 2))
      return {};
    if (!isIntLike(args[1])) {
      typingError(op) << "math.ldexp() needs an int exponent, not " << pyTypeName(args[1]);
      return {};
    }
    return f64;
  }
  if (name == "frexp")
    return expectArgs(1, 1) ? Type(TupleType::get(ctx, {f64, i64})) : Type();
  if (name == "modf")
    return expectArgs(1, 1) ? Type(TupleType::get(ctx, {f64, f64})) : Type();
  if (name == "gcd" || name == "lcm") {
    if (!expectArgs(0, SIZE_MAX))
      return {};
    if (!llvm::all_of(args, isIntLike)) {
      typingError(op) << "math." << name << "() takes ints";
      return {};
    }
    return i64;
  }
  if (name == "log")
    return expectArgs(1, 2) ? f64 : Type();
  return expectArgs(1, 1) ? f64 : Type();
}

/// The type of `lhs <k> rhs` (a py.binop, or the builtin pow/divmod that means the same).
Type Inferencer::binopType(Operation *op, StringRef k, Value lhs, Value rhs) {
  MLIRContext *ctx = op->getContext();
  Type i64 = IntegerType::get(ctx, 64), f64 = Float64Type::get(ctx), i1 = IntegerType::get(ctx, 1);
  Type l = lhs.getType(), r = rhs.getType();
  auto unsupported = [&]() {
    typingError(op) << "unsupported operand types for " << binopSymbol(k) << ": '"
                    << pyTypeName(l) << "' and '" << pyTypeName(r) << "'";
    return Type();
  };
  if (k == "matmul") {
    op->emitError("UnsupportedError: the @ operator multiplies arrays, not '")
        << pyTypeName(l) << "' and '" << pyTypeName(r) << "'";
    hadError = true;
    return {};
  }
  if (isAnyNumber(l) && isAnyNumber(r) && (!isPythonScalar(l) || !isPythonScalar(r))) {
    Type t = numpyBinopType(k, l, isWeak(lhs), r, isWeak(rhs));
    return t ? t : unsupported();
  }
  if ((isComplex(l) || isComplex(r)) && isAnyNumber(l) && isAnyNumber(r)) {
    if (k == "add" || k == "sub" || k == "mul" || k == "truediv" || k == "pow")
      return ComplexType::get(f64);
    return unsupported();
  }
  if (!isNumber(l) || !isNumber(r))
    return unsupported();
  bool anyFloat = isFloat(l) || isFloat(r);
  if (k == "truediv")
    return f64;
  if (k == "pow")
    return anyFloat || isNegativeIntConstant(rhs) ? f64 : i64;
  if (k == "and" || k == "or" || k == "xor") {
    if (anyFloat)
      return unsupported();
    return isBool(l) && isBool(r) ? i1 : i64;
  }
  if (k == "lshift" || k == "rshift")
    return anyFloat ? unsupported() : i64;
  return anyFloat ? f64 : i64;
}

/// Puts a py.call of `callee` in `op`'s place, built by `b` after it (so that this sweep types
/// it next); `op` is marked replaced and goes at finalize. Returns the type `op` keeps.
static Type replaceByCall(OpBuilder &b, Operation *op, FlatSymbolRefAttr callee, ValueRange args) {
  MLIRContext *ctx = op->getContext();
  auto direct = CallOp::create(b, op->getLoc(), ObjectType::get(ctx), callee, args);
  op->getResult(0).replaceAllUsesWith(direct.getResult());
  op->setAttr("py.replaced", UnitAttr::get(ctx));
  return NoneType::get(ctx);
}

/// An index NumPy reads as advanced indexing: an array of ints or bools, or a list of them.
bool isAdvancedIndex(Type t) {
  if (auto list = llvm::dyn_cast<ListType>(t))
    return isIntLike(list.getElementType());
  return isArray(t) && llvm::cast<MemRefType>(t).getRank() >= 1;
}

/// The type of `op`'s (first) result from its operands, or null while an operand is unknown
/// or after a typing error (then `failed` is set).
Type Inferencer::resultType(Operation *op) {
  MLIRContext *ctx = op->getContext();
  Type i64 = IntegerType::get(ctx, 64), f64 = Float64Type::get(ctx), i1 = IntegerType::get(ctx, 1);
  if (llvm::any_of(op->getOperandTypes(), isUnknown))
    return {};
  // A function as a value, and calls of one: a py.call of that function takes the call's
  // place (made after it, so that this sweep types it next); the old op goes at finalize.
  if (auto ref = llvm::dyn_cast<FunctionRefOp>(op))
    return FunctionRefType::get(ctx, ref.getCalleeAttr().getAttr(),
                                ref.getCaptured() ? tupleOf(ref.getCaptured().getType()) : TupleType());
  if (auto env = llvm::dyn_cast<FunctionCapturesOp>(op))
    return llvm::cast<FunctionRefType>(env.getFunction().getType()).getCaptures();
  // `t1 + t2`: the tuple of both's elements (not a namedtuple).
  if (auto bin = llvm::dyn_cast<BinOp>(op); bin && bin.getKind() == "add") {
    auto l = tupleOf(bin.getLhs().getType()), r = tupleOf(bin.getRhs().getType());
    if (l && r) {
      SmallVector<Type> elements(l.getTypes());
      elements.append(r.getTypes().begin(), r.getTypes().end());
      return TupleType::get(ctx, elements);
    }
  }
  // `a[idx]`, `a[mask]`: numlir's Python implementation of NumPy's advanced indexing
  // (python/numlir/_numpy/indexing.py), called in the subscript's place. Only a module built
  // again after the marked error below names it on its subscripts (`py.advanced`).
  if (auto get = llvm::dyn_cast<GetItemOp>(op)) {
    if (op->hasAttr("py.replaced"))
      return NoneType::get(ctx);
    if (isArray(get.getBase().getType()) && isAdvancedIndex(get.getIndex().getType())) {
      auto helper = op->getAttrOfType<FlatSymbolRefAttr>("py.advanced");
      if (!helper) {
        typingError(op) << kAdvancedIndexingMarker;
        return {};
      }
      OpBuilder b(ctx);
      b.setInsertionPointAfter(op);
      return replaceByCall(b, op, helper, {get.getBase(), get.getIndex()});
    }
  }
  // numlir.extending.overload: a py.call of the implementation for these types, once the
  // compiler has asked the typing function for it (see Py_CallOverloadOp).
  if (auto call = llvm::dyn_cast<CallOverloadOp>(op)) {
    if (op->hasAttr("py.replaced"))
      return NoneType::get(ctx);
    std::string types;
    llvm::raw_string_ostream os(types);
    llvm::interleave(call.getArgs().getTypes(), os, ";");
    auto module = op->getParentOfType<ModuleOp>();
    if (auto table = module->getAttrOfType<ArrayAttr>("py.overload_resolutions"))
      for (Attribute r : table) {
        auto entry = llvm::cast<ArrayAttr>(r);
        if (llvm::cast<IntegerAttr>(entry[0]).getInt() != call.getOverload() ||
            llvm::cast<StringAttr>(entry[1]).getValue() != types)
          continue;
        OpBuilder b(ctx);
        b.setInsertionPointAfter(op);
        return replaceByCall(b, op, llvm::cast<FlatSymbolRefAttr>(entry[2]), call.getArgs());
      }
    std::string pending = std::to_string(call.getOverload()) + "|" + types;
    SmallVector<Attribute> list;
    if (auto old = module->getAttrOfType<ArrayAttr>("py.overloads_pending"))
      list.append(old.begin(), old.end());
    if (!llvm::is_contained(list, StringAttr::get(ctx, pending))) {
      list.push_back(StringAttr::get(ctx, pending));
      module->setAttr("py.overloads_pending", ArrayAttr::get(ctx, list));
    }
    return {};
  }
  // literal_unroll(t) left after instantiation (LiteralUnroll.cpp): of a tuple of one element
  // type, or of anything else iterable, the value itself.
  if (auto call = llvm::dyn_cast<CallBuiltinOp>(op); call && call.getCallee() == "literal_unroll") {
    Type t = call.getArgs().empty() ? Type() : call.getArgs()[0].getType();
    auto tuple = t ? tupleOf(t) : TupleType();
    if (t && (!tuple || tuple.size() == 0 || llvm::all_equal(tuple.getTypes())))
      return t;
    typingError(op) << "literal_unroll() over a '" << (t ? pyTypeName(t) : std::string("value"))
                    << "' whose length is not known where the function starts; pass the tuple as an "
                       "argument or build it in the function";
    return {};
  }
  // `with objmode(...)`: the tuple of the block's declared results; what it reads is boxed.
  if (auto objmode = llvm::dyn_cast<ObjModeCallOp>(op)) {
    std::function<bool(Type)> boxable = [&](Type t) {
      if (auto tuple = tupleOf(t))
        return llvm::all_of(tuple.getTypes(), boxable);
      return isAnyNumber(t) || isArray(t) || llvm::isa<NoneType, StrType, ListType, DictType, SetType>(t);
    };
    for (Type t : objmode.getArgs().getTypes())
      if (!boxable(t)) {
        typingError(op) << "an objmode block cannot read a value of type '" << pyTypeName(t)
                        << "'; it reads numbers, arrays, str, lists, dicts, sets and tuples of them";
        return {};
      }
    SmallVector<Type> outputs;
    for (Attribute t : objmode.getOutputs())
      outputs.push_back(llvm::cast<TypeAttr>(t).getValue());
    return TupleType::get(ctx, outputs);
  }
  // try/except: an exception is a value of its own type; `e.args` is (str(e),).
  if (llvm::isa<CaughtOp, MakeExceptionOp>(op))
    return ExceptionType::get(ctx);
  if (llvm::isa<ExcMatchOp>(op))
    return i1;
  if (auto get = llvm::dyn_cast<GetAttrOp>(op); get && llvm::isa<ExceptionType>(get.getObject().getType())) {
    if (get.getField() == "args")
      return TupleType::get(ctx, {StrType::get(ctx)});
    typingError(op) << "an exception in compiled code has .args and str(e), not '." << get.getField() << "'";
    return {};
  }
  if (auto call = llvm::dyn_cast<CallBuiltinOp>(op); call && call.getCallee() == "call_value") {
    if (op->hasAttr("py.replaced"))
      return NoneType::get(ctx);
    auto ref = llvm::dyn_cast<FunctionRefType>(call.getArgs()[0].getType());
    if (!ref) {
      typingError(op) << "'" << pyTypeName(call.getArgs()[0].getType()) << "' object is not callable";
      return {};
    }
    OpBuilder b(ctx);
    b.setInsertionPointAfter(op);
    SmallVector<Value> args(call.getArgs().drop_front());
    if (op->hasAttr("py.star")) {
      // `f(*t)`: the tuple's elements are the arguments.
      Value tuple = args.pop_back_val();
      auto type = tupleOf(tuple.getType());
      if (!type) {
        typingError(op) << "`f(*x)` spreads a tuple, not a '" << pyTypeName(tuple.getType()) << "'";
        return {};
      }
      // A callee with *args takes `py.star_fixed` elements by position and the rest as a tuple.
      auto fixedAttr = op->getAttrOfType<IntegerAttr>("py.star_fixed");
      size_t fixed = fixedAttr ? fixedAttr.getInt() : type.size();
      if (fixed > type.size()) {
        typingError(op) << "`f(*x)` passes " << type.size() << " arguments where the function takes at least " << fixed;
        return {};
      }
      SmallVector<Value> rest;
      for (auto [i, t] : llvm::enumerate(type.getTypes())) {
        Value element = TupleGetOp::create(b, op->getLoc(), t, tuple, b.getI64IntegerAttr(i));
        (i < fixed ? args : rest).push_back(element);
      }
      if (fixedAttr)
        args.push_back(MakeTupleOp::create(b, op->getLoc(), TupleType::get(ctx, ValueRange(rest).getTypes()), rest));
      auto callee = op->getParentOfType<ModuleOp>().lookupSymbol<func::FuncOp>(ref.getCallee());
      if (callee && callee.getNumArguments() != args.size()) {
        typingError(op) << ref.getCallee().getValue() << "() takes " << callee.getNumArguments() << " arguments but `*` gave "
                        << args.size();
        return {};
      }
    }
    // A closure's captured values: its callee's last argument.
    TupleType captures = ref.getCaptures();
    auto callee = op->getParentOfType<ModuleOp>().lookupSymbol<func::FuncOp>(ref.getCallee());
    if (callee && callee.getNumArguments() != args.size() + (captures ? 1 : 0)) {
      typingError(op) << ref.getCallee().getValue() << "() takes " << callee.getNumArguments() - (captures ? 1 : 0)
                      << " arguments but " << args.size()
                      << " were given (a call of a function value passes every argument, by position)";
      return {};
    }
    if (captures)
      args.push_back(FunctionCapturesOp::create(b, op->getLoc(), captures, call.getArgs()[0]));
    return replaceByCall(b, op, FlatSymbolRefAttr::get(ref.getCallee()), args);
  }
  if (std::optional<Type> str = inferStrOp(op))
    return *str;
  if (std::optional<Type> list = inferListOp(op))
    return *list;
  if (std::optional<Type> dict = inferDictOp(op))
    return *dict;
  if (std::optional<Type> set = inferSetOp(op))
    return *set;
  if (std::optional<FailureOr<Type>> array = inferArrayOp(op)) {
    if (failed(*array)) {
      hadError = true;
      return {};
    }
    return **array;
  }

  if (auto bin = llvm::dyn_cast<BinOp>(op))
    return binopType(op, bin.getKind(), bin.getLhs(), bin.getRhs());
  if (auto un = llvm::dyn_cast<UnOp>(op)) {
    Type t = un.getOperand().getType();
    StringRef k = un.getKind();
    if (k == "not")
      return isAnyNumber(t) ? i1 : Type();
    if (isComplex(t) && (k == "neg" || k == "pos"))
      return t;
    if (isAnyNumber(t) && !isPythonScalar(t) && !(k == "invert" && isFloat(t)))
      return t; // NumPy's scalars keep their type
    if (!isNumber(t) || (k == "invert" && isFloat(t))) {
      typingError(op) << "bad operand type for unary "
                      << (k == "neg" ? "-" : k == "pos" ? "+" : "~") << ": '" << pyTypeName(t)
                      << "'";
      return {};
    }
    return isFloat(t) ? f64 : i64;
  }
  if (auto cmp = llvm::dyn_cast<CmpOp>(op)) {
    Type l = cmp.getLhs().getType(), r = cmp.getRhs().getType();
    if ((isComplex(l) || isComplex(r)) && isAnyNumber(l) && isAnyNumber(r)) {
      StringRef p = cmp.getPredicate();
      if (p == "eq" || p == "ne")
        return i1;
      typingError(op) << "'" << p << "' is not supported between '" << pyTypeName(l) << "' and '"
                      << pyTypeName(r) << "': complex numbers are not ordered";
      return {};
    }
    auto tl = tupleOf(l), tr = tupleOf(r);
    if (tl && tr) {
      // Tuples of numbers compare element by element, as Python's (complex ones only by == and !=).
      StringRef p = cmp.getPredicate();
      auto comparable = [&](Type t) { return isNumber(t) || (isComplex(t) && (p == "eq" || p == "ne")); };
      if (llvm::all_of(tl.getTypes(), comparable) && llvm::all_of(tr.getTypes(), comparable))
        return i1;
      typingError(op) << "comparison between '" << pyTypeName(l) << "' and '" << pyTypeName(r)
                      << "' is not supported; numlir compares tuples of numbers";
      return {};
    }
    if (!isNumber(l) || !isNumber(r)) {
      typingError(op) << "comparison between '" << pyTypeName(l) << "' and '" << pyTypeName(r)
                      << "' is not supported; numlir compares int, float and bool";
      return {};
    }
    return i1;
  }
  if (auto truth = llvm::dyn_cast<TruthOp>(op)) {
    Type t = truth.getOperand().getType();
    if (auto opt = llvm::dyn_cast<OptionalType>(t))
      t = opt.getValueType(); // None is false, else the value's truth
    if (llvm::isa<NoneType>(t) || llvm::isa<StrType, ListType, DictType, SetType>(t))
      return i1;
    if (!isAnyNumber(t) && !tupleOf(t)) {
      typingError(op) << "the truth value of a '" << pyTypeName(t)
                      << "' is not supported; test an int, float or bool";
      return {};
    }
    return i1;
  }
  if (auto call = llvm::dyn_cast<CallBuiltinOp>(op)) {
    Type r = builtinResult(call);
    // np.int8(x), np.float32(x), np.complex64(x): int(), float() or complex() of x, as
    // that NumPy type (ints wrap, floats round).
    if (auto dtype = call.getDtypeAttr(); r && dtype && isAnyNumber(r))
      if (Type element = dtypeFromName(ctx, dtype.getValue()))
        return scalarOf(element);
    return r;
  }
  if (auto make = llvm::dyn_cast<MakeTupleOp>(op)) {
    auto tuple = TupleType::get(ctx, SmallVector<Type>(make.getElements().getTypes()));
    if (auto name = make.getClassNameAttr())
      return NamedTupleType::get(ctx, name, make.getFieldsAttr(), tuple);
    return tuple;
  }
  if (auto get = llvm::dyn_cast<TupleGetOp>(op)) {
    auto tuple = tupleOf(get.getTuple().getType());
    if (!tuple) {
      typingError(op) << "cannot unpack a value of type '" << pyTypeName(get.getTuple().getType())
                      << "'; only tuples unpack";
      return {};
    }
    if (static_cast<size_t>(get.getIndex()) >= tuple.size()) {
      typingError(op) << "cannot unpack a tuple of " << tuple.size() << " elements into more";
      return {};
    }
    return tuple.getType(get.getIndex());
  }
  if (auto range = llvm::dyn_cast<RangeOp>(op)) {
    for (Type t : range->getOperandTypes())
      if (!isIntLike(t)) {
        typingError(op) << "range() arguments must be int, not '" << pyTypeName(t) << "'";
        return {};
      }
    return RangeType::get(ctx);
  }
  if (auto iter = llvm::dyn_cast<GetIterOp>(op)) {
    Type t = iter.getIterable().getType();
    if (Type iterator = iteratorOf(t))
      return iterator;
    if (tupleOf(t))
      typingError(op) << "iterating over a tuple of different types, " << pyTypeName(t)
                      << ", is not supported; numlir iterates over tuples whose elements have one type";
    else
      typingError(op) << "iterating over a '" << pyTypeName(t)
                      << "' is not supported; loop over a range, an array, a list or a tuple";
    return {};
  }
  if (auto next = llvm::dyn_cast<IterNextOp>(op))
    return iteratorValue(next.getIterator().getType()); // the value result; `valid` is i1
  if (auto call = llvm::dyn_cast<CallOp>(op)) {
    auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
    if (!callee) {
      typingError(op) << "call of unknown function @" << call.getCallee();
      return {};
    }
    if (llvm::any_of(call.getArgs().getTypes(), hasUnknown))
      return {}; // an empty list whose element type later uses give
    if (callee->hasAttr("py.template")) {
      // The template stays named on the call: an argument type that widens in a later
      // sweep (a callee's result joined with another return) takes a new instance.
      call->setAttr("py.template_of", FlatSymbolRefAttr::get(callee.getSymNameAttr()));
      callee = instantiate(callee, call.getArgs().getTypes());
      call.setCallee(callee.getSymName());
    } else if (callee.getArgumentTypes() != call.getArgs().getTypes()) {
      auto tmpl = call->getAttrOfType<FlatSymbolRefAttr>("py.template_of");
      auto original = tmpl ? symbols.lookup<func::FuncOp>(tmpl.getValue()) : func::FuncOp();
      if (!original) {
        typingError(op) << "call of @" << call.getCallee() << " with argument types that differ from its signature";
        return {};
      }
      callee = instantiate(original, call.getArgs().getTypes());
      call.setCallee(callee.getSymName());
    }
    Type ret = callee.getResultTypes().empty() ? NoneType::get(ctx) : callee.getResultTypes()[0];
    // A generator whose yields are not typed yet: its type comes in a later sweep.
    if (auto generator = llvm::dyn_cast<GeneratorType>(ret); generator && hasUnknown(generator.getYieldType()))
      return {};
    return isUnknown(ret) ? Type() : ret;
  }
  return {};
}
} // namespace mlir::py

/// enumerate(x, start=0), zip(a, b, ...) and reversed(x): an iterator (!py.iter or
/// !py.range_iter) over the iterators of their arguments.
Type Inferencer::iterationBuiltin(CallBuiltinOp op) {
  MLIRContext *ctx = op.getContext();
  StringRef name = op.getCallee();
  SmallVector<Type> args(op.getArgs().getTypes());
  size_t keywords = op.getKwnames() ? op.getKwnames()->size() : 0;
  bool startKeyword = keywords == 1 && llvm::cast<StringAttr>((*op.getKwnames())[0]).getValue() == "start";
  if (keywords > (name == "enumerate" && startKeyword ? 1 : 0)) {
    typingError(op) << name << "() does not take these keyword arguments";
    return {};
  }
  size_t iterables = name == "zip" ? args.size() : 1;
  if (args.empty() || (name == "reversed" && args.size() != 1) ||
      (name == "enumerate" && (args.size() > 2 || (args.size() == 2 && !isIntLike(args[1]))))) {
    typingError(op) << (name == "enumerate" ? "enumerate() takes an iterable and an int start"
                        : name == "zip"     ? "zip() takes one or more iterables"
                                            : "reversed() takes one range, array, list or tuple");
    return {};
  }
  SmallVector<Type> iterators;
  for (Type t : ArrayRef<Type>(args).take_front(iterables)) {
    Type iterator = iteratorOf(t);
    bool reversible = llvm::isa<RangeType, MemRefType, ListType>(t) || tupleOf(t);
    if (!iterator || (name == "reversed" && !reversible)) {
      typingError(op) << name << "() of a '" << pyTypeName(t) << "' is not supported; it takes "
                      << (name == "reversed" ? "a range, an array, a list or a tuple"
                                             : "ranges, arrays, lists, tuples of one element type and iterators");
      return {};
    }
    iterators.push_back(iterator);
  }
  if (name == "reversed")
    return iterators[0]; // the same iterator, its range running backwards
  if (name == "enumerate")
    return IterType::get(ctx, "enumerate", TupleType::get(ctx, {RangeIterType::get(ctx), iterators[0]}));
  return IterType::get(ctx, "zip", TupleType::get(ctx, iterators));
}
