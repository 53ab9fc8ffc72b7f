// py-infer-types: the type inference of numlir.
//
// Input: an entry function with typed arguments (marked `py.instance_of`) and untyped
// template functions (marked `py.template`) whose values are `!py.object`. Types flow
// forward from arguments and constants through every op until nothing changes; where
// control-flow paths meet, block-argument types are joined (bool < int < float,
// tuples elementwise). A `py.call` to a template creates (once per argument types) a
// typed copy of the template; recursive calls see the callee's return type as unknown
// until a base case has given it one, as in numba.
#include "Py/PyDialect.h"
#include "Py/PyPasses.h"
#include "Py/PyTypeRules.h"
#include "InferRules.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Pass/Pass.h"

#include <map>

using namespace mlir;
using namespace mlir::py;

namespace {

/// The least type both `a` and `b` convert to, or null when there is none.
Type joinTypes(Type a, Type b) {
  if (isUnknown(a))
    return b;
  if (isUnknown(b) || a == b)
    return a;
  // NumPy's scalar types meet by NumPy's promotion (int32 and int64 give int64).
  if (isAnyNumber(a) && isAnyNumber(b) && (!isPythonScalar(a) || !isPythonScalar(b)))
    return promoteElements(a, b);
  if (isAnyNumber(a) && isAnyNumber(b) && (isComplex(a) || isComplex(b)))
    return ComplexType::get(Float64Type::get(a.getContext()));
  if (isNumber(a) && isNumber(b)) {
    if (isFloat(a) || isFloat(b))
      return Float64Type::get(a.getContext());
    return IntegerType::get(a.getContext(), 64);
  }
  auto ta = tupleOf(a), tb = tupleOf(b);
  if (ta && tb && ta.size() == tb.size()) {
    SmallVector<Type> elements;
    for (auto [x, y] : llvm::zip(ta.getTypes(), tb.getTypes())) {
      Type j = joinTypes(x, y);
      if (!j)
        return {};
      elements.push_back(j);
    }
    auto tuple = TupleType::get(a.getContext(), elements);
    // Two instances of one namedtuple class stay one; anything else meets as a plain tuple.
    auto na = llvm::dyn_cast<NamedTupleType>(a), nb = llvm::dyn_cast<NamedTupleType>(b);
    if (na && nb && na.getClassName() == nb.getClassName() && na.getFields() == nb.getFields())
      return NamedTupleType::get(a.getContext(), na.getClassName(), na.getFields(), tuple);
    return tuple;
  }
  // Arrays of one dtype and rank but different layouts meet as the general strided layout.
  auto ma = llvm::dyn_cast<MemRefType>(a), mb = llvm::dyn_cast<MemRefType>(b);
  if (ma && mb && ma.getElementType() == mb.getElementType() && ma.getRank() == mb.getRank())
    return arrayType(ma.getElementType(), ma.getRank(), Layout::A);
  return {};
}

/// Whether a value of type `from` can be converted to `to` by py.cast.
bool castable(Type from, Type to) {
  if (from == to || isUnknown(from))
    return true;
  if (isAnyNumber(from) && isAnyNumber(to) && (!isComplex(from) || isComplex(to)))
    return true;
  auto tf = tupleOf(from), tt = tupleOf(to);
  if (tf && tt && tf.size() == tt.size())
    return llvm::all_of(llvm::zip(tf.getTypes(), tt.getTypes()),
                        [](auto p) { return castable(std::get<0>(p), std::get<1>(p)); });
  auto mf = llvm::dyn_cast<MemRefType>(from), mt = llvm::dyn_cast<MemRefType>(to);
  return mf && mt && mf.getElementType() == mt.getElementType() && mf.getRank() == mt.getRank();
}

/// A block argument that only ever received undefined values and is only forwarded to
/// other blocks (a loop variable read after its loop) takes the type of where it flows.
void typeForwardedUndefs(func::FuncOp func) {
  bool progress = true;
  while (progress) {
    progress = false;
    for (Block &block : func.getBody()) {
      for (BlockArgument arg : block.getArguments()) {
        if (!isUnknown(arg.getType()))
          continue;
        Type joined = arg.getType();
        bool onlyForwarded = true;
        for (OpOperand &use : arg.getUses()) {
          auto branch = llvm::dyn_cast<BranchOpInterface>(use.getOwner());
          bool found = false;
          for (unsigned s = 0; branch && s < use.getOwner()->getNumSuccessors(); ++s) {
            OperandRange fwd = branch.getSuccessorOperands(s).getForwardedOperands();
            unsigned begin = fwd.getBeginOperandIndex(), index = use.getOperandNumber();
            if (index >= begin && index < begin + fwd.size()) {
              Type dest = use.getOwner()->getSuccessor(s)->getArgument(index - begin).getType();
              joined = joinTypes(joined, dest);
              found = joined != Type();
            }
          }
          onlyForwarded &= found;
        }
        if (onlyForwarded && joined && !isUnknown(joined)) {
          arg.setType(joined);
          progress = true;
        }
      }
    }
  }
}

/// Whether `v` is an integer constant below zero (`2 ** -1` is a float in Python).
/// Whether `v` is a Python literal (a constant): NEP 50's "weak" scalar, which takes the
/// type of the NumPy scalar beside it (np.float32(x) * 2.0 is a float32).
bool isLiteral(Value v) {
  if (v.getDefiningOp<ConstantOp>())
    return true;
  // A complex literal is complex(re, im) of two constants (the frontend builds it so).
  auto call = v.getDefiningOp<CallBuiltinOp>();
  return call && call.getCallee() == "complex" &&
         llvm::all_of(call.getArgs(), [](Value a) { return a.getDefiningOp<ConstantOp>() != nullptr; });
}

/// The type of `l <kind> r` when either is one of NumPy's narrow scalar types: NumPy 2's
/// promotion (promoteScalars), then the operator's own rule; null when unsupported.
Type numpyBinopType(StringRef k, Type l, bool lWeak, Type r, bool rWeak) {
  Type t = promoteScalars(l, lWeak, r, rWeak);
  MLIRContext *ctx = l.getContext();
  if (isComplex(t))
    return llvm::is_contained({"add", "sub", "mul", "truediv", "pow"}, k) ? t : Type();
  if (k == "truediv")
    return isFloat(t) ? t : Float64Type::get(ctx);
  if (llvm::is_contained({"and", "or", "xor", "lshift", "rshift"}, k))
    return isIntLike(t) ? t : Type();
  return t;
}

bool isNegativeIntConstant(Value v) {
  auto c = v.getDefiningOp<ConstantOp>();
  if (!c)
    return false;
  auto attr = llvm::dyn_cast<IntegerAttr>(c.getValue());
  return attr && attr.getType().isInteger(64) && attr.getInt() < 0;
}

const char *binopSymbol(StringRef kind) {
  return llvm::StringSwitch<const char *>(kind)
      .Case("add", "+").Case("sub", "-").Case("mul", "*").Case("truediv", "/")
      .Case("floordiv", "//").Case("mod", "%").Case("pow", "**").Case("lshift", "<<")
      .Case("rshift", ">>").Case("and", "&").Case("or", "|").Case("xor", "^")
      .Default("?");
}

class Inferencer {
public:
  explicit Inferencer(ModuleOp module) : module(module), symbols(module) {}

  LogicalResult run();

private:
  ModuleOp module;
  SymbolTable symbols;
  /// (template name, argument types) -> its typed copy.
  std::map<std::pair<std::string, std::vector<const void *>>, func::FuncOp> instances;
  std::vector<func::FuncOp> worklist;
  bool hadError = false;

  InFlightDiagnostic typingError(Operation *op) {
    hadError = true;
    return op->emitError("TypingError: ");
  }

  static std::vector<const void *> key(TypeRange types) {
    std::vector<const void *> k;
    for (Type t : types)
      k.push_back(t.getAsOpaquePointer());
    return k;
  }

  func::FuncOp instantiate(func::FuncOp tmpl, TypeRange argTypes);
  bool inferFunction(func::FuncOp func);
  bool setType(Value v, Type t) {
    if (!t || v.getType() == t)
      return false;
    v.setType(t);
    return true;
  }
  /// Joins `incoming` into `arg`; false (and an error) where the types do not meet.
  bool joinInto(Value arg, Value incoming, Operation *where, bool &changed);
  /// Block arguments that have only received Python literals (and other such arguments):
  /// "weak" in NEP 50's sense, like the literals themselves.
  llvm::DenseSet<Value> weakArgs;
  bool isWeak(Value v) { return isLiteral(v) || weakArgs.contains(v); }
  /// Functions whose returns so far were all weak (so their result type may still follow).
  llvm::DenseSet<Operation *> weakReturns;
  Type resultType(Operation *op);
  Type binopType(Operation *op, StringRef kind, Value lhs, Value rhs);
  Type builtinResult(CallBuiltinOp op);
  LogicalResult finalize(func::FuncOp func);
};

func::FuncOp Inferencer::instantiate(func::FuncOp tmpl, TypeRange argTypes) {
  auto k = std::make_pair(tmpl.getSymName().str(), key(argTypes));
  if (auto it = instances.find(k); it != instances.end())
    return it->second;
  func::FuncOp copy = tmpl.clone();
  copy->removeAttr("py.template");
  std::string name = tmpl.getSymName().str();
  if (StringRef(name).ends_with(".generic"))
    name.resize(name.size() - strlen(".generic"));
  for (Type t : argTypes) {
    std::string s;
    llvm::raw_string_ostream os(s);
    t.print(os);
    name += "_";
    for (char c : s)
      name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  }
  copy.setSymName(name);
  for (auto [arg, t] : llvm::zip(copy.getArguments(), argTypes))
    arg.setType(t);
  copy.setType(FunctionType::get(module.getContext(), argTypes,
                                 {ObjectType::get(module.getContext())}));
  symbols.insert(copy); // renames on a clash
  instances[k] = copy;
  worklist.push_back(copy);
  return copy;
}

/// "variable 'x'" when the frontend named the block argument after a local, else "a value".
static std::string describe(Value v) {
  if (auto name = llvm::dyn_cast<NameLoc>(v.getLoc()))
    return ("variable '" + name.getName().strref() + "'").str();
  return "a value";
}

/// Joins `incoming` into `current` where paths meet, with NEP 50's weak literals: a value
/// that has only been Python literals (`s = 0`) takes the type of a NumPy scalar of its kind
/// or higher that joins it later (`s += x` over an int8 array makes s an int8, as NumPy 2
/// does in CPython). `currentWeak` says whether `current` is still weak, and is updated.
/// Null where the types do not meet.
static Type joinWeak(Type current, bool &currentWeak, Type incoming, bool incomingWeak) {
  if (isUnknown(incoming))
    return current;
  if (isUnknown(current)) {
    currentWeak = incomingWeak;
    return incoming;
  }
  if (isAnyNumber(current) && isAnyNumber(incoming)) {
    if (currentWeak && !incomingWeak && !isPythonScalar(incoming)) {
      currentWeak = false;
      return promoteScalars(current, true, incoming, false);
    }
    if (!currentWeak && incomingWeak && !isPythonScalar(current))
      return promoteScalars(current, false, incoming, true);
  }
  currentWeak &= incomingWeak;
  return joinTypes(current, incoming);
}

bool Inferencer::joinInto(Value arg, Value incomingValue, Operation *where, bool &changed) {
  Type current = arg.getType(), incoming = incomingValue.getType();
  bool weak = weakArgs.contains(arg);
  Type joined = joinWeak(current, weak, incoming, isWeak(incomingValue));
  if (weak)
    weakArgs.insert(arg);
  else
    weakArgs.erase(arg);

  if (!joined) {
    typingError(where) << describe(arg) << " is " << pyTypeName(arg.getType())
                       << " on one path and " << pyTypeName(incoming)
                       << " on another; numlir needs one type per variable where paths meet";
    return false;
  }
  changed |= setType(arg, joined);
  return true;
}

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

/// The type of `op`'s (first) result from its operands, or null while an operand is unknown
/// or after a typing error (then `failed` is set).
Type Inferencer::resultType(Operation *op) {
  MLIRContext *ctx = op->getContext();
  Type i64 = IntegerType::get(ctx, 64), f64 = Float64Type::get(ctx), i1 = IntegerType::get(ctx, 1);
  if (llvm::any_of(op->getOperandTypes(), isUnknown))
    return {};
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
    if (!llvm::isa<RangeType>(t)) {
      typingError(op) << "iterating over a '" << pyTypeName(t)
                      << "' is not supported; loop over range(...)";
      return {};
    }
    return RangeIterType::get(ctx);
  }
  if (llvm::isa<IterNextOp>(op))
    return i64; // the value result; `valid` is always i1
  if (auto call = llvm::dyn_cast<CallOp>(op)) {
    auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
    if (!callee) {
      typingError(op) << "call of unknown function @" << call.getCallee();
      return {};
    }
    if (callee->hasAttr("py.template")) {
      callee = instantiate(callee, call.getArgs().getTypes());
      call.setCallee(callee.getSymName());
    } else if (callee.getArgumentTypes() != call.getArgs().getTypes()) {
      typingError(op) << "call of @" << call.getCallee() << " with argument types that differ from its signature";
      return {};
    }
    Type ret = callee.getResultTypes().empty() ? NoneType::get(ctx) : callee.getResultTypes()[0];
    return isUnknown(ret) ? Type() : ret;
  }
  return {};
}

bool Inferencer::inferFunction(func::FuncOp func) {
  bool changedAny = false, changed = true;
  for (int sweep = 0; changed && !hadError; ++sweep) {
    if (sweep > 100) {
      typingError(func) << "types did not settle in '" << func.getSymName()
                        << "' (a tuple that grows in a loop?)";
      return false;
    }
    changed = false;
    for (Block &block : func.getBody()) {
      for (Operation &op : block) {
        if (hadError)
          return changedAny;
        if (auto c = llvm::dyn_cast<ConstantOp>(op))
          changed |= setType(c, c.getValue().getType());
        else if (auto none = llvm::dyn_cast<NoneOp>(op))
          changed |= setType(none, NoneType::get(func.getContext()));
        else if (auto set = llvm::dyn_cast<SetItemOp>(op)) {
          if (!llvm::any_of(op.getOperandTypes(), isUnknown) && failed(checkSetItem(set))) {
            hadError = true;
            return changedAny;
          }
        } else if (op.getNumResults() > 0 && !llvm::isa<UndefOp, CastOp>(op)) {
          Value result = op.getResults().back();
          changed |= setType(result, resultType(&op));
        }
        if (auto branch = llvm::dyn_cast<BranchOpInterface>(op)) {
          for (unsigned s = 0; s < op.getNumSuccessors(); ++s) {
            Block *succ = op.getSuccessor(s);
            OperandRange fwd = branch.getSuccessorOperands(s).getForwardedOperands();
            for (auto [arg, v] : llvm::zip(succ->getArguments(), fwd))
              if (!joinInto(arg, v, &op, changed))
                return changedAny;
          }
        }
        if (auto ret = llvm::dyn_cast<func::ReturnOp>(op)) {
          Type current = func.getResultTypes().empty() ? Type() : func.getResultTypes()[0];
          Type incoming = ret.getOperands().empty() ? NoneType::get(func.getContext())
                                                    : ret.getOperand(0).getType();
          bool weak = weakReturns.contains(func);
          bool incomingWeak = !ret.getOperands().empty() && isWeak(ret.getOperand(0));
          Type joined = current ? joinWeak(current, weak, incoming, incomingWeak) : incoming;
          if (!current)
            weak = incomingWeak;
          if (weak)
            weakReturns.insert(func);
          else
            weakReturns.erase(func);
          if (!joined) {
            typingError(&op) << "'" << func.getSymName() << "' returns "
                             << pyTypeName(current) << " on one path and "
                             << pyTypeName(incoming) << " on another";
            return changedAny;
          }
          if (joined != current) {
            func.setType(FunctionType::get(func.getContext(), func.getArgumentTypes(), {joined}));
            changed = true;
          }
        }
      }
    }
    changedAny |= changed;
  }
  return changedAny;
}

/// Makes the merged types explicit: casts on branch and return operands whose type is
/// narrower than their destination, and typed undefs; reports values left unknown.
LogicalResult Inferencer::finalize(func::FuncOp func) {
  OpBuilder builder(func.getContext());
  Type declared;
  if (auto attr = func->getAttrOfType<TypeAttr>("py.return_type")) {
    declared = attr.getValue();
    func->removeAttr("py.return_type");
    func.setType(FunctionType::get(func.getContext(), func.getArgumentTypes(), {declared}));
  }
  if (!func.getResultTypes().empty() && isUnknown(func.getResultTypes()[0])) {
    // Only reachable through recursion without a base case, or no return at all.
    func.setType(FunctionType::get(func.getContext(), func.getArgumentTypes(),
                                   {NoneType::get(func.getContext())}));
  }
  typeForwardedUndefs(func);
  auto convert = [&](Operation *user, OpOperand &use, Type to) -> LogicalResult {
    Value v = use.get();
    if (v.getType() == to)
      return success();
    builder.setInsertionPoint(user);
    if (v.getDefiningOp<UndefOp>()) {
      use.set(builder.create<UndefOp>(v.getLoc(), to));
      return success();
    }
    if (!castable(v.getType(), to))
      return typingError(user) << "cannot convert " << pyTypeName(v.getType()) << " to "
                               << pyTypeName(to);
    use.set(builder.create<CastOp>(user->getLoc(), to, v));
    return success();
  };
  WalkResult walk = func.walk([&](Operation *op) -> WalkResult {
    for (Value r : op->getResults())
      if (isUnknown(r.getType()) && !llvm::isa<UndefOp>(op)) {
        typingError(op) << "could not infer the type of this value "
                           "(a recursive function needs a base case that returns)";
        return WalkResult::interrupt();
      }
    if (auto branch = llvm::dyn_cast<BranchOpInterface>(op)) {
      for (unsigned s = 0; s < op->getNumSuccessors(); ++s) {
        Block *succ = op->getSuccessor(s);
        MutableOperandRange fwd = branch.getSuccessorOperands(s).getMutableForwardedOperands();
        for (unsigned i = 0; i < fwd.size(); ++i)
          if (failed(convert(op, fwd[i], succ->getArgument(i).getType())))
            return WalkResult::interrupt();
      }
    }
    if (auto ret = llvm::dyn_cast<func::ReturnOp>(op)) {
      Type to = func.getResultTypes()[0];
      if (llvm::isa<NoneType>(to)) {
        if (ret.getNumOperands() && !llvm::isa<NoneType>(ret.getOperand(0).getType()))
          return typingError(op) << "cannot return a value from a function declared to return None", WalkResult::interrupt();
        return WalkResult::advance();
      }
      if (ret.getNumOperands() == 0)
        return typingError(op) << "'" << func.getSymName() << "' returns None on one path and "
                               << pyTypeName(to) << " on another",
               WalkResult::interrupt();
      if (failed(convert(op, ret->getOpOperand(0), to)))
        return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  for (Block &block : func.getBody())
    for (BlockArgument arg : block.getArguments())
      if (isUnknown(arg.getType())) {
        hadError = true;
        Location loc = arg.getLoc();
        if (auto name = llvm::dyn_cast<NameLoc>(loc))
          loc = name.getChildLoc();
        return emitError(loc, "TypingError: ")
               << describe(arg) << " may be used before it is assigned";
      }
  // Undefs that nothing typed: give them a harmless type.
  func.walk([&](UndefOp undef) {
    if (isUnknown(undef.getType()))
      undef.getResult().setType(IntegerType::get(func.getContext(), 64));
  });
  return success();
}

/// The ufuncs with two results, np.divmod, np.modf and np.frexp, as a tuple of two
/// one-result ufuncs (each a fused element expression of its own).
static void rewriteTwoResultUfuncs(func::FuncOp tmpl) {
  MLIRContext *ctx = tmpl.getContext();
  Type object = ObjectType::get(ctx);
  SmallVector<CallBuiltinOp> calls;
  tmpl.walk([&](CallBuiltinOp call) {
    if (llvm::is_contained({"np.divmod", "np.modf", "np.frexp"}, call.getCallee()) && !call.getKwnames())
      calls.push_back(call);
  });
  for (CallBuiltinOp call : calls) {
    StringRef name = call.getCallee();
    auto [first, second] = name == "np.divmod" ? std::pair<StringRef, StringRef>("np.floor_divide", "np.remainder")
                           : name == "np.modf" ? std::pair<StringRef, StringRef>("np._modf_fraction", "np._modf_whole")
                                               : std::pair<StringRef, StringRef>("np._frexp_mantissa", "np._frexp_exponent");
    OpBuilder b(call);
    // np.divmod(x, y, q, r): the two outputs given by position go one to each part.
    size_t inputs = name == "np.divmod" ? 2 : 1;
    auto args = call.getArgs();
    bool outs = args.size() == inputs + 2;
    auto part = [&](StringRef callee, size_t k) -> Value {
      SmallVector<Value> operands(args.take_front(outs ? inputs : args.size()));
      if (outs)
        operands.push_back(args[inputs + k]);
      return b.create<CallBuiltinOp>(call.getLoc(), object, b.getStringAttr(callee), operands, ArrayAttr(),
                                     call.getDtypeAttr());
    };
    Value pair = b.create<MakeTupleOp>(call.getLoc(), object, ValueRange{part(first, 0), part(second, 1)});
    call.replaceAllUsesWith(pair);
    call.erase();
  }
}

/// `np.add(a, b, out)` and `np.sqrt(a, out=r)`: the ufunc's value is stored into `out`, as
/// `out[:] = np.add(a, b)`, and the call's value is `out`,
/// as NumPy returns it. Runs on the untyped templates, before types.
static void rewriteUfuncOut(func::FuncOp tmpl) {
  MLIRContext *ctx = tmpl.getContext();
  rewriteTwoResultUfuncs(tmpl);
  SmallVector<CallBuiltinOp> calls;
  tmpl.walk([&](CallBuiltinOp call) {
    StringRef name = call.getCallee();
    if (name.consume_front("np.") && isUfunc(ctx, name))
      calls.push_back(call);
  });
  Type object = ObjectType::get(ctx);
  for (CallBuiltinOp call : calls) {
    int arity = ufuncArity(ctx, call.getCallee().drop_front(3));
    SmallVector<Value> args(call.getArgs());
    size_t nk = call.getKwnames() ? call.getKwnames()->size() : 0;
    size_t positional = args.size() - nk;
    Value out;
    SmallVector<Value> kept(args.begin(), args.begin() + positional);
    if (positional == static_cast<size_t>(arity) + 1)
      out = kept.pop_back_val();
    SmallVector<Attribute> keptNames;
    for (size_t i = 0; i < nk; ++i) {
      auto kw = llvm::cast<StringAttr>((*call.getKwnames())[i]);
      if (kw.getValue() == "out") {
        out = args[positional + i];
      } else {
        keptNames.push_back(kw);
        kept.push_back(args[positional + i]);
      }
    }
    if (!out)
      continue;
    OpBuilder b(call);
    Location loc = call.getLoc();
    auto value = b.create<CallBuiltinOp>(loc, object, call.getCalleeAttr(), kept,
                                         keptNames.empty() ? ArrayAttr() : b.getArrayAttr(keptNames),
                                         call.getDtypeAttr());
    Value none = b.create<NoneOp>(loc, object);
    Value all = b.create<SliceOp>(loc, object, none, none, none);
    b.create<SetItemOp>(loc, out, all, value);
    call.replaceAllUsesWith(out);
    call.erase();
  }
}

LogicalResult Inferencer::run() {
  for (auto func : module.getOps<func::FuncOp>())
    if (func->hasAttr("py.template"))
      rewriteUfuncOut(func);
  // The entry: module attributes name the template and the argument types of this call.
  auto entryName = module->getAttrOfType<FlatSymbolRefAttr>("py.entry");
  auto entryTypes = module->getAttrOfType<ArrayAttr>("py.entry_types");
  if (!entryName || !entryTypes)
    return module.emitError("py-infer-types needs the module attributes py.entry = @name and "
                            "py.entry_types = [types...]");
  auto tmpl = symbols.lookup<func::FuncOp>(entryName.getValue());
  if (!tmpl || !tmpl->hasAttr("py.template"))
    return module.emitError("py.entry names no template function: ") << entryName;
  SmallVector<Type> argTypes;
  for (Attribute a : entryTypes)
    argTypes.push_back(llvm::cast<TypeAttr>(a).getValue());
  if (argTypes.size() != tmpl.getNumArguments())
    return module.emitError("TypingError: ")
           << tmpl.getSymName() << "() takes " << tmpl.getNumArguments() << " arguments but "
           << argTypes.size() << " were given";
  func::FuncOp entry = instantiate(tmpl, argTypes);
  entry->setAttr("py.entry", UnitAttr::get(module.getContext()));
  if (auto ret = module->getAttrOfType<TypeAttr>("py.return_type"))
    entry->setAttr("py.return_type", ret);
  module->setAttr("py.entry", FlatSymbolRefAttr::get(entry.getSymNameAttr()));
  module->removeAttr("py.entry_types");
  module->removeAttr("py.return_type");
  bool changed = true;
  for (int round = 0; changed; ++round) {
    if (round > 100)
      return module.emitError("TypingError: type inference did not converge");
    changed = false;
    for (size_t i = 0; i < worklist.size(); ++i) {
      changed |= inferFunction(worklist[i]);
      if (hadError)
        return failure();
    }
  }
  for (func::FuncOp func : worklist)
    if (Inferencer::finalize(func).failed())
      return failure();
  for (auto func : llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
    if (func->hasAttr("py.template"))
      func.erase();
  return success();
}

struct InferTypesPass : PassWrapper<InferTypesPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(InferTypesPass)
  StringRef getArgument() const final { return "py-infer-types"; }
  StringRef getDescription() const final {
    return "Infer concrete types for !py.object values, specializing called templates";
  }
  void runOnOperation() override {
    if (Inferencer(getOperation()).run().failed())
      signalPassFailure();
  }
};
} // namespace

std::unique_ptr<Pass> mlir::py::createInferTypesPass() {
  return std::make_unique<InferTypesPass>();
}
