// Type rules of array code: indexing, attributes, elementwise operators and ufuncs with
// NumPy's promotion, array creation, reductions and linear algebra. py-infer-types asks
// these rules first; the scalar rules in InferTypes.cpp handle everything else.
#include "InferRules.h"

#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::py;

namespace {
InFlightDiagnostic typingError(Operation *op) { return op->emitError("TypingError: "); }

Type i64(MLIRContext *ctx) { return IntegerType::get(ctx, 64); }
Type f64(MLIRContext *ctx) { return Float64Type::get(ctx); }
Type i1(MLIRContext *ctx) { return IntegerType::get(ctx, 1); }

/// The element type an array of `t` or a scalar `t` contributes to an elementwise op.
Type elementOf(Type t) {
  if (auto array = llvm::dyn_cast<MemRefType>(t))
    return array.getElementType();
  return t;
}
int64_t rankOf(Type t) {
  auto array = llvm::dyn_cast<MemRefType>(t);
  return array ? array.getRank() : 0;
}
bool isFloatElement(Type e) { return llvm::isa<FloatType>(e); }

/// The result of an elementwise op: a C-layout array of the broadcast rank, or a scalar
/// when no operand is an array.
Type shaped(ArrayRef<Type> operands, Type element) {
  int64_t rank = -1;
  for (Type t : operands)
    if (isArray(t))
      rank = std::max(rank, rankOf(t));
  if (rank < 0)
    return scalarOf(element);
  return arrayType(element, rank, Layout::C);
}

/// The type of `a.T`: reversed axes swap the C and F layouts.
Type transposedType(MemRefType array) {
  Layout l = layoutOf(array);
  Layout t = array.getRank() < 2 ? l : l == Layout::C ? Layout::F : l == Layout::F ? Layout::C : Layout::A;
  return arrayType(array.getElementType(), array.getRank(), t);
}

/// The float type a float ufunc computes in for an element type (ints become float64).
Type floatOf(Type e) { return isFloatElement(e) || llvm::isa<ComplexType>(e) ? e : f64(e.getContext()); }

/// The value of a constant int operand, if it is one.
std::optional<int64_t> constantInt(Value v) {
  if (auto c = v.getDefiningOp<ConstantOp>())
    if (auto attr = llvm::dyn_cast<IntegerAttr>(c.getValue()))
      return attr.getInt();
  return std::nullopt;
}

/// Positional and keyword arguments of a call (keywords are the trailing `kwnames`).
struct CallArgs {
  SmallVector<Value> positional;
  SmallVector<std::pair<StringRef, Value>> keywords;
  explicit CallArgs(CallBuiltinOp op) {
    size_t nk = op.getKwnames() ? op.getKwnames()->size() : 0;
    auto args = op.getArgs();
    positional.assign(args.begin(), args.begin() + (args.size() - nk));
    for (size_t i = 0; i < nk; ++i)
      keywords.push_back({llvm::cast<StringAttr>((*op.getKwnames())[i]).getValue(),
                          args[args.size() - nk + i]});
  }
  Value keyword(StringRef name) const {
    for (auto [k, v] : keywords)
      if (k == name)
        return v;
    return {};
  }
};
} // namespace

bool mlir::py::hasUnitStep(Value slice) {
  auto s = slice.getDefiningOp<SliceOp>();
  if (!s)
    return false;
  if (llvm::isa<NoneType>(s.getStep().getType()))
    return true;
  auto step = constantInt(s.getStep());
  return step && *step == 1;
}

Type mlir::py::elementwiseElement(Type a, Type b) {
  bool arrayA = isArray(a), arrayB = isArray(b);
  Type ea = elementOf(a), eb = elementOf(b);
  if (arrayA == arrayB)
    return promoteElements(ea, eb);
  // A Python scalar is "weak" (NEP 50): it keeps the array's dtype unless its kind is higher.
  Type array = arrayA ? ea : eb, scalar = arrayA ? eb : ea;
  if (!isPythonScalar(scalar)) // NumPy's own scalar types are strong: np.float64 widens float32
    return promoteElements(array, scalar);
  if (isBool(scalar))
    return array;
  if (isInt(scalar))
    return array.isInteger(1) ? i64(a.getContext()) : array;
  bool complexArray = llvm::isa<ComplexType>(array);
  if (isFloat(scalar))
    return isFloatElement(array) || complexArray ? array : f64(a.getContext());
  // A complex scalar: complex64 with complex64 and float32 arrays, else complex128.
  if (complexArray)
    return array;
  return ComplexType::get(array.isF32() ? Type(Float32Type::get(a.getContext())) : f64(a.getContext()));
}

FailureOr<Type> mlir::py::indexResult(Operation *op, MemRefType base, Value index) {
  SmallVector<Value> parts;
  if (auto tuple = llvm::dyn_cast<TupleType>(index.getType())) {
    auto make = index.getDefiningOp<MakeTupleOp>();
    if (!make) {
      typingError(op) << "index with a tuple built where it is used, like a[i, j]";
      return failure();
    }
    parts.assign(make.getElements().begin(), make.getElements().end());
  } else {
    parts.push_back(index);
  }
  if (static_cast<int64_t>(parts.size()) > base.getRank()) {
    typingError(op) << "too many indices for " << pyTypeName(base) << ": " << parts.size()
                    << " given";
    return failure();
  }
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(base.getStridesAndOffset(strides, offset)))
    return failure();
  // Each int drops an axis; each slice keeps one, with a static unit stride only where the
  // base has one and the step is 1. Missing trailing indices are whole slices.
  SmallVector<int64_t> kept;
  for (int64_t d = 0; d < base.getRank(); ++d) {
    if (d >= static_cast<int64_t>(parts.size())) {
      kept.push_back(strides[d]);
      continue;
    }
    Type t = parts[d].getType();
    if (isInt(t))
      continue;
    if (llvm::isa<SliceType>(t)) {
      kept.push_back(strides[d] == 1 && hasUnitStep(parts[d]) ? 1 : ShapedType::kDynamic);
      continue;
    }
    typingError(op) << "arrays are indexed by int and slice, not by " << pyTypeName(t)
                    << (isBool(t) ? " (boolean masks are not supported)" : "");
    return failure();
  }
  if (kept.empty())
    return scalarOf(base.getElementType());
  Layout layout = kept.back() == 1 ? Layout::C
                  : kept.size() > 1 && kept.front() == 1 ? Layout::F
                                                          : Layout::A;
  return Type(arrayType(base.getElementType(), kept.size(), layout));
}

LogicalResult mlir::py::checkSetItem(SetItemOp op) {
  auto base = llvm::dyn_cast<MemRefType>(op.getBase().getType());
  if (!base)
    return typingError(op) << "item assignment needs an array, not " << pyTypeName(op.getBase().getType());
  FailureOr<Type> target = indexResult(op, base, op.getIndex());
  if (failed(target))
    return failure();
  Type value = op.getValue().getType();
  if (!isAnyNumber(value) && !isArray(value))
    return typingError(op) << "cannot assign " << pyTypeName(value) << " to an element of "
                           << pyTypeName(base);
  if (isArray(value) && rankOf(value) > rankOf(*target))
    return typingError(op) << "cannot assign " << pyTypeName(value) << " to "
                           << (isArray(*target) ? pyTypeName(*target) : "one element");
  return success();
}

namespace {
/// The element dtype named by a call's `dtype`, or `fallback`.
Type dtypeOr(CallBuiltinOp op, Type fallback, bool &bad) {
  if (auto name = op.getDtype()) {
    Type t = dtypeFromName(op.getContext(), *name);
    if (!t) {
      typingError(op) << "dtype '" << *name << "' is not supported; use bool, int8-64, "
                      << "uint8-64, float32 or float64";
      bad = true;
    }
    return t;
  }
  return fallback;
}

/// The rank a shape argument gives (an int or a tuple of ints), or -1.
int64_t shapeRank(Type t) {
  if (isIntLike(t))
    return 1;
  if (auto tuple = tupleOf(t)) {
    if (!llvm::all_of(tuple.getTypes(), isIntLike))
      return -1;
    return tuple.size();
  }
  return -1;
}

/// A reduction's element type for a sum or product (NumPy widens small ints).
Type accumulateElement(Type e) {
  MLIRContext *ctx = e.getContext();
  if (e.isInteger(1))
    return i64(ctx);
  if (auto i = llvm::dyn_cast<IntegerType>(e))
    return i.isUnsigned() ? IntegerType::get(ctx, 64, IntegerType::Unsigned) : i64(ctx);
  return e;
}

FailureOr<Type> reductionResult(CallBuiltinOp op, StringRef name, MemRefType array, const CallArgs &args) {
  MLIRContext *ctx = op.getContext();
  Value axisValue = args.keyword("axis");
  if (!axisValue && args.positional.size() > 1)
    axisValue = args.positional[1];
  Type e = array.getElementType();
  if (llvm::isa<ComplexType>(e) && !llvm::is_contained({"sum", "prod", "mean", "cumsum", "cumprod", "any", "all"}, name)) {
    typingError(op) << name << "() of a complex array is not supported";
    return failure();
  }
  Type element;
  if (name == "sum" || name == "prod" || name == "cumsum" || name == "cumprod")
    element = accumulateElement(e);
  else if (name == "min" || name == "max" || name == "nanmin" || name == "nanmax")
    element = e;
  else if (name == "mean" || name == "std" || name == "var")
    element = floatOf(e);
  else if (name == "argmin" || name == "argmax")
    element = i64(ctx);
  else
    element = i1(ctx); // any, all
  bool cumulative = name.starts_with("cum");
  if (!axisValue) {
    if (cumulative)
      return Type(arrayType(element, 1, Layout::C));
    return scalarOf(element);
  }
  auto axis = constantInt(axisValue);
  if (!axis) {
    typingError(op) << name << "(axis=...) needs a constant int axis";
    return failure();
  }
  int64_t rank = array.getRank();
  if (*axis < -rank || *axis >= rank) {
    typingError(op) << "axis " << *axis << " is out of bounds for " << pyTypeName(array);
    return failure();
  }
  if (cumulative)
    return Type(arrayType(element, rank, Layout::C));
  if (rank == 1)
    return scalarOf(element);
  return Type(arrayType(element, rank - 1, Layout::C));
}

bool isReduction(StringRef n) {
  return llvm::is_contained({"sum", "prod", "min", "max", "mean", "std", "var", "argmin",
                             "argmax", "any", "all", "cumsum", "cumprod", "nanmin", "nanmax"},
                            n);
}

/// Unary ufuncs and the element type they give for element type `e`.
Type unaryUfunc(StringRef n, Type e) {
  MLIRContext *ctx = e.getContext();
  if (auto c = llvm::dyn_cast<ComplexType>(e)) {
    // Complex elements: the ufuncs with a complex meaning.
    if (llvm::is_contained({"sqrt", "exp", "log", "log10", "sin", "cos", "tan", "tanh",
                            "negative", "positive", "square", "conj", "conjugate", "reciprocal",
                            "arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh", "sinh",
                            "cosh", "exp2", "expm1", "log1p", "log2"},
                           n))
      return e;
    if (llvm::is_contained({"abs", "absolute", "real", "imag"}, n))
      return c.getElementType();
    if (llvm::is_contained({"isnan", "isinf", "isfinite", "logical_not"}, n))
      return i1(ctx);
    return {};
  }
  if (llvm::is_contained({"real", "conj", "conjugate"}, n))
    return e;
  if (n == "imag")
    return e;
  if (e.isInteger(1) && (n == "negative" || n == "sign")) // NumPy has no bool loop for these
    return {};
  if (n == "reciprocal" && llvm::isa<IntegerType>(e)) // NumPy keeps ints (bools as int8): 1/x truncated
    return e.isInteger(1) ? IntegerType::get(ctx, 8) : e;
  if (llvm::is_contained({"exp2", "cbrt", "arcsinh", "arccosh", "arctanh", "deg2rad", "rad2deg",
                          "degrees", "radians", "fabs", "reciprocal", "spacing", "_modf_fraction",
                          "_modf_whole", "_frexp_mantissa"},
                         n))
    return floatOf(e);
  if (n == "_frexp_exponent")
    return IntegerType::get(ctx, 32);
  if (n == "signbit")
    return i1(ctx);
  if (n == "invert" || n == "bitwise_not")
    return llvm::isa<IntegerType>(e) ? e : Type();
  if (llvm::is_contained({"sqrt", "exp", "log", "log2", "log10", "expm1", "log1p", "sin", "cos",
                          "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh"},
                         n))
    return floatOf(e);
  if (llvm::is_contained({"floor", "ceil", "trunc", "rint", "abs", "absolute", "negative", "sign",
                          "positive"},
                         n))
    return e;
  if (n == "square")
    return e.isInteger(1) ? IntegerType::get(ctx, 8) : e;
  if (llvm::is_contained({"isnan", "isinf", "isfinite", "logical_not"}, n))
    return i1(ctx);
  return {};
}

/// Binary ufuncs: the element type for operand types `a` and `b`.
Type binaryUfunc(StringRef n, Type a, Type b) {
  Type e = elementwiseElement(a, b);
  if (llvm::isa<ComplexType>(e) &&
      !llvm::is_contained({"power", "add", "subtract", "multiply", "divide", "true_divide", "greater",
                           "greater_equal", "less", "less_equal", "equal", "not_equal", "logical_and",
                           "logical_or", "logical_xor", "maximum", "minimum", "fmax", "fmin"},
                          n))
    return {};
  if (llvm::is_contained({"arctan2", "hypot", "logaddexp", "logaddexp2", "copysign", "nextafter",
                          "heaviside"},
                         n))
    return floatOf(e);
  if (n == "float_power")
    return llvm::isa<ComplexType>(e) ? e : f64(a.getContext());
  if (n == "ldexp") // a float times 2 to an int power: the float's type
    return llvm::isa<IntegerType>(elementOf(b)) ? floatOf(elementOf(a)) : Type();
  if (llvm::is_contained({"greater", "greater_equal", "less", "less_equal", "equal", "not_equal"}, n))
    return i1(a.getContext());
  bool integers = llvm::isa<IntegerType>(e);
  if (llvm::is_contained({"bitwise_and", "bitwise_or", "bitwise_xor"}, n))
    return integers ? e : Type();
  if (llvm::is_contained({"left_shift", "right_shift", "gcd", "lcm"}, n))
    return !integers ? Type() : e.isInteger(1) ? IntegerType::get(a.getContext(), 8) : e;
  if (llvm::is_contained({"floor_divide", "remainder", "mod", "fmod"}, n))
    return e.isInteger(1) ? IntegerType::get(a.getContext(), 8) : e;
  if (llvm::is_contained({"power", "minimum", "maximum", "fmin", "fmax", "add", "subtract",
                          "multiply"},
                         n))
    return e;
  if (n == "logical_and" || n == "logical_or" || n == "logical_xor")
    return i1(a.getContext());
  if (n == "divide" || n == "true_divide")
    return floatOf(e);
  return {};
}

FailureOr<Type> numpyCall(CallBuiltinOp op, StringRef name, const CallArgs &args) {
  MLIRContext *ctx = op.getContext();
  SmallVector<Type> types;
  for (Value v : args.positional)
    types.push_back(v.getType());
  auto need = [&](size_t lo, size_t hi) -> bool {
    if (types.size() < lo || types.size() > hi) {
      auto d = typingError(op) << "np." << name << "() takes ";
      if (lo == hi)
        d << lo;
      else
        d << lo << " to " << hi;
      d << " positional arguments but " << types.size() << " were given";
      return false;
    }
    return true;
  };
  bool bad = false;
  if (llvm::is_contained({"empty", "zeros", "ones"}, name)) {
    if (!need(1, 1))
      return failure();
    int64_t rank = shapeRank(types[0]);
    if (rank < 0) {
      typingError(op) << "np." << name << "() takes a shape: an int or a tuple of ints, not "
                      << pyTypeName(types[0]);
      return failure();
    }
    Type e = dtypeOr(op, f64(ctx), bad);
    return bad ? FailureOr<Type>(failure()) : Type(arrayType(e, rank, Layout::C));
  }
  if (name == "full") {
    if (!need(2, 2))
      return failure();
    int64_t rank = shapeRank(types[0]);
    if (rank < 0 || !isAnyNumber(types[1])) {
      typingError(op) << "np.full() takes a shape and a number";
      return failure();
    }
    Type e = dtypeOr(op, types[1], bad);
    return bad ? FailureOr<Type>(failure()) : Type(arrayType(e, rank, Layout::C));
  }
  if (llvm::is_contained({"empty_like", "zeros_like", "ones_like", "full_like", "copy"}, name)) {
    if (!need(name == "full_like" ? 2 : 1, name == "full_like" ? 2 : 1))
      return failure();
    auto array = llvm::dyn_cast<MemRefType>(types[0]);
    if (!array) {
      typingError(op) << "np." << name << "() takes an array, not " << pyTypeName(types[0]);
      return failure();
    }
    Type e = dtypeOr(op, array.getElementType(), bad);
    return bad ? FailureOr<Type>(failure()) : Type(arrayType(e, array.getRank(), Layout::C));
  }
  if (name == "arange") {
    if (!need(1, 3))
      return failure();
    bool anyFloat = false;
    for (Type t : types) {
      if (!isNumber(t)) {
        typingError(op) << "np.arange() takes numbers, not " << pyTypeName(t);
        return failure();
      }
      anyFloat |= isFloat(t);
    }
    Type e = dtypeOr(op, anyFloat ? f64(ctx) : i64(ctx), bad);
    return bad ? FailureOr<Type>(failure()) : Type(arrayType(e, 1, Layout::C));
  }
  if (name == "linspace") {
    if (!need(2, 3))
      return failure();
    return Type(arrayType(dtypeOr(op, f64(ctx), bad), 1, Layout::C));
  }
  if (name == "eye" || name == "identity") {
    if (!need(1, 1))
      return failure();
    return Type(arrayType(dtypeOr(op, f64(ctx), bad), 2, Layout::C));
  }
  if (name == "where") {
    if (!need(3, 3))
      return failure();
    Type e = elementwiseElement(types[1], types[2]);
    return shaped(types, e);
  }
  if (name == "clip") {
    if (!need(3, 3))
      return failure();
    Type e = elementwiseElement(elementwiseElement(types[0], types[1]), types[2]);
    if (isArray(types[0]) && !isArray(types[1]) && !isArray(types[2]))
      e = elementwiseElement(types[0], elementwiseElement(types[1], types[2]));
    return shaped(types, e);
  }
  if (isReduction(name)) {
    auto array = types.empty() ? MemRefType() : llvm::dyn_cast<MemRefType>(types[0]);
    if (!array) {
      typingError(op) << "np." << name << "() takes an array";
      return failure();
    }
    return reductionResult(op, name, array, args);
  }
  if (name == "dot" || name == "vdot" || name == "outer" || name == "trace" || name == "matmul") {
    for (Type t : types)
      if (!isArray(t)) {
        typingError(op) << "np." << name << "() takes arrays, not " << pyTypeName(t);
        return failure();
      }
    if (!need(name == "trace" ? 1 : 2, name == "trace" ? 1 : 2))
      return failure();
    Type e = types.size() == 2 ? elementwiseElement(types[0], types[1]) : elementOf(types[0]);
    if (name == "trace") {
      if (rankOf(types[0]) != 2) {
        typingError(op) << "np.trace() takes a 2-D array";
        return failure();
      }
      return scalarOf(accumulateElement(e));
    }
    if (name == "vdot")
      return scalarOf(e);
    if (name == "outer")
      return Type(arrayType(e, 2, Layout::C));
    int64_t ra = rankOf(types[0]), rb = rankOf(types[1]);
    if (ra < 1 || ra > 2 || rb < 1 || rb > 2) {
      typingError(op) << "np." << name << "() takes 1-D and 2-D arrays";
      return failure();
    }
    int64_t rank = ra + rb - 2;
    return rank == 0 ? scalarOf(e) : Type(arrayType(e, rank, Layout::C));
  }
  // dtype= on a ufunc: the inputs convert to it and the loop computes in it, as NumPy's
  // (not for the ufuncs that give bools, whose dtype= means something else).
  auto withDtype = [&](Type e) -> FailureOr<Type> {
    if (!op.getDtype() || e.isInteger(1))
      return e;
    Type forced = dtypeFromName(ctx, *op.getDtype());
    // NumPy has no bool loops for arithmetic, and no integer loops for the float ufuncs.
    bool floatOnly = types.size() == 1 && isFloatElement(unaryUfunc(name, i64(ctx)));
    if (!forced || forced.isInteger(1) || (floatOnly && llvm::isa<IntegerType>(forced))) {
      typingError(op) << "np." << name << "() does not take dtype=" << *op.getDtype();
      return failure();
    }
    return forced;
  };
  if (Type e = types.size() == 1 ? unaryUfunc(name, elementOf(types[0])) : Type()) {
    if (!isAnyNumber(types[0]) && !isArray(types[0])) {
      typingError(op) << "np." << name << "() takes a number or an array, not " << pyTypeName(types[0]);
      return failure();
    }
    FailureOr<Type> d = withDtype(e);
    return failed(d) ? FailureOr<Type>(failure()) : FailureOr<Type>(shaped(types, *d));
  }
  if (types.size() == 2)
    if (Type e = binaryUfunc(name, types[0], types[1])) {
      FailureOr<Type> d = withDtype(e);
      return failed(d) ? FailureOr<Type>(failure()) : FailureOr<Type>(shaped(types, *d));
    }
  if (int arity = ufuncArity(ctx, name)) {
    // np.modf and np.frexp run as two internal ufuncs (_modf_fraction, ...): name the public one.
    StringRef shown = name.starts_with("_modf") ? "modf" : name.starts_with("_frexp") ? "frexp" : name;
    auto d = typingError(op) << "np." << shown << "() ";
    if (static_cast<size_t>(arity) != types.size()) {
      d << "takes " << arity << " input" << (arity == 1 ? "" : "s") << " but got " << types.size();
    } else {
      d << "is not supported for the input types (";
      for (auto [i, t] : llvm::enumerate(types))
        d << (i ? ", " : "") << pyTypeName(t);
      d << "), as in NumPy";
    }
    return failure();
  }
  if (llvm::is_contained({"divmod", "modf", "frexp"}, name)) {
    op.emitError("UnsupportedError: np.") << name << "() takes its inputs only: out= and other keywords are "
                                         << "not supported for the ufuncs with two results";
    return failure();
  }
  op.emitError("UnsupportedError: np.") << name << " is not supported in compiled code";
  return failure();
}

FailureOr<Type> methodCall(CallBuiltinOp op, StringRef name, const CallArgs &args) {
  MLIRContext *ctx = op.getContext();
  auto array = llvm::dyn_cast<MemRefType>(args.positional[0].getType());
  if (!array) {
    op.emitError("UnsupportedError: ") << pyTypeName(args.positional[0].getType())
                                        << " has no method '" << name << "' in compiled code";
    return failure();
  }
  bool bad = false;
  if (isReduction(name))
    return reductionResult(op, name, array, args);
  if (name == "copy" || name == "flatten" || name == "ravel")
    return Type(arrayType(array.getElementType(), name == "copy" ? array.getRank() : 1, Layout::C));
  if (name == "astype") {
    if (!op.getDtype()) {
      typingError(op) << "astype() needs a dtype known at compile time, like np.float32";
      return failure();
    }
    Type e = dtypeOr(op, {}, bad);
    return bad ? FailureOr<Type>(failure()) : Type(arrayType(e, array.getRank(), Layout::C));
  }
  if (name == "fill") {
    if (args.positional.size() != 2 || !isAnyNumber(args.positional[1].getType())) {
      typingError(op) << "fill() takes one number";
      return failure();
    }
    return Type(NoneType::get(ctx));
  }
  if (name == "reshape") {
    int64_t rank = 0;
    for (Value v : ArrayRef<Value>(args.positional).drop_front()) {
      int64_t r = shapeRank(v.getType());
      if (r < 0) {
        typingError(op) << "reshape() takes ints or a tuple of ints";
        return failure();
      }
      rank += r;
    }
    if (rank == 0) {
      typingError(op) << "reshape() needs a shape";
      return failure();
    }
    return Type(arrayType(array.getElementType(), rank, Layout::C));
  }
  if (name == "transpose") {
    if (args.positional.size() != 1) {
      typingError(op) << "transpose() with axes is not supported; use .T or transpose()";
      return failure();
    }
    return transposedType(array);
  }
  op.emitError("UnsupportedError: the array method '") << name << "' is not supported in compiled code";
  return failure();
}
/// `a.dtype` passed to a NumPy call (positionally or as dtype=) becomes the call's `dtype`
/// attribute, as a dtype class like np.float32 does in the frontend.
void absorbDtypeArguments(CallBuiltinOp call) {
  MLIRContext *ctx = call.getContext();
  for (unsigned i = 0; i < call.getArgs().size(); ++i) {
    auto attr = call.getArgs()[i].getDefiningOp<GetAttrOp>();
    auto array = attr ? llvm::dyn_cast<MemRefType>(attr.getObject().getType()) : MemRefType();
    if (!array || attr.getField() != "dtype")
      continue;
    call.setDtypeAttr(StringAttr::get(ctx, dtypeName(array.getElementType())));
    if (auto kw = call.getKwnames()) {
      size_t firstKeyword = call.getArgs().size() - kw->size();
      if (i >= firstKeyword) {
        SmallVector<Attribute> names(kw->begin(), kw->end());
        names.erase(names.begin() + (i - firstKeyword));
        if (names.empty())
          call.removeKwnamesAttr();
        else
          call.setKwnamesAttr(ArrayAttr::get(ctx, names));
      }
    }
    call.getArgsMutable().erase(i--);
  }
}
} // namespace

std::optional<SmallVector<int64_t>> mlir::py::constantSlice(Value index, int64_t n) {
  auto slice = index.getDefiningOp<SliceOp>();
  if (!slice)
    return std::nullopt;
  // Each part a constant int or None, as Python's slice.indices(n) reads them.
  std::optional<int64_t> parts[3];
  Value values[3] = {slice.getStart(), slice.getStop(), slice.getStep()};
  for (int i = 0; i < 3; ++i) {
    if (llvm::isa<NoneType>(values[i].getType()))
      continue;
    if (!(parts[i] = constantInt(values[i])))
      return std::nullopt;
  }
  int64_t step = parts[2].value_or(1);
  if (step == 0)
    return std::nullopt;
  auto clamp = [&](std::optional<int64_t> v, int64_t missing) {
    if (!v)
      return missing;
    int64_t i = *v < 0 ? *v + n : *v;
    return step > 0 ? std::clamp<int64_t>(i, 0, n) : std::clamp<int64_t>(i, -1, n - 1);
  };
  int64_t start = clamp(parts[0], step > 0 ? 0 : n - 1), stop = clamp(parts[1], step > 0 ? n : -1);
  SmallVector<int64_t> picked;
  for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step)
    picked.push_back(i);
  return picked;
}

bool mlir::py::isUfunc(MLIRContext *ctx, StringRef name) { return ufuncArity(ctx, name) > 0; }

int mlir::py::ufuncArity(MLIRContext *ctx, StringRef name) {
  // Probed with the types every ufunc takes: float64, and int64 for the integer-only ones.
  for (Type t : {f64(ctx), i64(ctx)}) {
    if (unaryUfunc(name, t))
      return 1;
    if (binaryUfunc(name, t, t))
      return 2;
  }
  return 0;
}

std::optional<FailureOr<Type>> mlir::py::inferArrayOp(Operation *op) {
  MLIRContext *ctx = op->getContext();
  bool anyArray = llvm::any_of(op->getOperandTypes(), isArray);
  if (auto get = llvm::dyn_cast<GetItemOp>(op)) {
    Type base = get.getBase().getType();
    if (auto array = llvm::dyn_cast<MemRefType>(base))
      return indexResult(op, array, get.getIndex());
    if (auto tuple = tupleOf(base)) {
      auto i = constantInt(get.getIndex());
      int64_t n = tuple.size();
      if (auto picked = constantSlice(get.getIndex(), n)) { // t[1:-1]: a tuple of those elements
        SmallVector<Type> elements;
        for (int64_t k : *picked)
          elements.push_back(tuple.getType(k));
        return Type(TupleType::get(ctx, elements));
      }
      if (llvm::isa<SliceType>(get.getIndex().getType())) {
        typingError(op) << "a tuple is sliced by constants (t[1:], t[::-1]), not run-time values";
        return FailureOr<Type>(failure());
      }
      if (i && *i >= -n && *i < n)
        return tuple.getType(*i < 0 ? *i + n : *i);
      // A run-time index picks from elements of one type (checked against the length then).
      bool uniform = n > 0 && llvm::all_equal(tuple.getTypes());
      if (!i && uniform && isIntLike(get.getIndex().getType()))
        return tuple.getType(0);
      if (i)
        typingError(op) << "tuple index " << *i << " is out of range for a tuple of " << n << " elements";
      else
        typingError(op) << "a tuple of '" << pyTypeName(base)
                        << "' is indexed by a constant int; a run-time index needs elements of one type";
      return FailureOr<Type>(failure());
    }
    typingError(op) << "'" << pyTypeName(base) << "' object is not subscriptable";
    return FailureOr<Type>(failure());
  }
  if (auto attr = llvm::dyn_cast<GetAttrOp>(op)) {
    auto array = llvm::dyn_cast<MemRefType>(attr.getObject().getType());
    StringRef name = attr.getField();
    if (llvm::isa<RangeType>(attr.getObject().getType()) && llvm::is_contained({"start", "stop", "step"}, name))
      return i64(ctx);
    if (auto named = llvm::dyn_cast<NamedTupleType>(attr.getObject().getType())) {
      int64_t i = named.fieldIndex(name);
      if (i >= 0)
        return named.getTuple().getType(i);
      typingError(op) << "'" << pyTypeName(named) << "' has no field '" << name << "'";
      return FailureOr<Type>(failure());
    }
    Type object = attr.getObject().getType();
    if (isComplex(object) && (name == "real" || name == "imag"))
      return llvm::cast<ComplexType>(object).getElementType();
    // A real number's .real is itself and its .imag a zero of its type (a bool's are ints).
    if (isNumber(object) && (name == "real" || name == "imag"))
      return isBool(object) ? i64(ctx) : object;
    if (!array) {
      op->emitError("UnsupportedError: ") << "the attribute '" << name << "' of a '"
                                          << pyTypeName(attr.getObject().getType())
                                          << "' is not supported in compiled code";
      return FailureOr<Type>(failure());
    }
    if (name == "shape" || name == "strides")
      return Type(TupleType::get(ctx, SmallVector<Type>(array.getRank(), i64(ctx))));
    if (name == "size" || name == "ndim" || name == "itemsize" || name == "nbytes")
      return i64(ctx);
    if (name == "T") {
      return transposedType(array);
    }
    if (name == "dtype") {
      // Known at compile time: NumPy calls take it as their dtype (see absorbDtypeArguments).
      for (Operation *user : op->getUsers()) {
        auto call = llvm::dyn_cast<CallBuiltinOp>(user);
        if (!call || !(call.getCallee().starts_with("np.") || call.getCallee().starts_with("ndarray."))) {
          typingError(user) << "a.dtype can only be passed to NumPy functions and methods, like "
                               "np.zeros(n, dtype=a.dtype) or b.astype(a.dtype)";
          return FailureOr<Type>(failure());
        }
      }
      return Type(NoneType::get(ctx));
    }
    op->emitError("UnsupportedError: the array attribute '") << name << "' is not supported in compiled code";
    return FailureOr<Type>(failure());
  }
  if (auto slice = llvm::dyn_cast<SliceOp>(op)) {
    for (Type t : op->getOperandTypes())
      if (!isIntLike(t) && !llvm::isa<NoneType>(t)) {
        typingError(op) << "slice indices must be int or None, not " << pyTypeName(t);
        return FailureOr<Type>(failure());
      }
    return Type(SliceType::get(ctx));
  }
  if (auto iter = llvm::dyn_cast<GetIterOp>(op)) {
    if (!anyArray)
      return std::nullopt;
    // An array iterator is the array and a range iterator over its first axis.
    return Type(TupleType::get(ctx, {iter.getIterable().getType(), RangeIterType::get(ctx)}));
  }
  if (auto next = llvm::dyn_cast<IterNextOp>(op)) {
    auto tuple = llvm::dyn_cast<TupleType>(next.getIterator().getType());
    if (!tuple)
      return std::nullopt;
    auto array = llvm::cast<MemRefType>(tuple.getType(0));
    if (array.getRank() == 1)
      return scalarOf(array.getElementType());
    return Type(arrayType(array.getElementType(), array.getRank() - 1,
                          layoutOf(array) == Layout::C ? Layout::C : Layout::A));
  }
  if (auto bin = llvm::dyn_cast<BinOp>(op)) {
    if (!anyArray)
      return std::nullopt;
    Type l = bin.getLhs().getType(), r = bin.getRhs().getType();
    StringRef k = bin.getKind();
    for (Type t : {l, r})
      if (!isArray(t) && !isAnyNumber(t)) {
        typingError(op) << "unsupported operand types for an array operation: '" << pyTypeName(l)
                        << "' and '" << pyTypeName(r) << "'";
        return FailureOr<Type>(failure());
      }
    Type e = elementwiseElement(l, r);
    if (k == "matmul") {
      int64_t ra = rankOf(l), rb = rankOf(r);
      if (!isArray(l) || !isArray(r) || ra > 2 || rb > 2) {
        typingError(op) << "@ takes 1-D and 2-D arrays";
        return FailureOr<Type>(failure());
      }
      int64_t rank = ra + rb - 2;
      return rank == 0 ? scalarOf(e) : Type(arrayType(e, rank, Layout::C));
    }
    if (k == "truediv")
      e = floatOf(e);
    if (llvm::isa<ComplexType>(e) && k != "add" && k != "sub" && k != "mul" && k != "truediv" && k != "pow") {
      typingError(op) << "unsupported operand types for " << k << " on complex arrays: '" << pyTypeName(l)
                      << "' and '" << pyTypeName(r) << "'";
      return FailureOr<Type>(failure());
    }
    if ((k == "and" || k == "or" || k == "xor" || k == "lshift" || k == "rshift") && isFloatElement(e)) {
      typingError(op) << "bitwise operators need int or bool arrays, not " << pyTypeName(l)
                      << " and " << pyTypeName(r);
      return FailureOr<Type>(failure());
    }
    if (bin.getInplace() && isArray(l)) {
      // `a += b` writes into a: the result must cast to a's dtype of the same kind (NumPy's
      // same_kind rule: bool < unsigned < signed < float < complex).
      auto kindRank = [](Type t) {
        if (t.isInteger(1))
          return 0;
        if (auto i = llvm::dyn_cast<IntegerType>(t))
          return i.isUnsigned() ? 1 : 2;
        return llvm::isa<FloatType>(t) ? 3 : 4;
      };
      Type target = elementOf(l);
      if (kindRank(e) > kindRank(target)) {
        typingError(op) << "cannot write the " << dtypeName(e) << " result of an augmented assignment into "
                        << pyTypeName(l) << " (NumPy's same_kind casting)";
        return FailureOr<Type>(failure());
      }
      if (rankOf(r) > rankOf(l)) {
        typingError(op) << "an augmented assignment cannot broadcast " << pyTypeName(l) << " to the rank of "
                        << pyTypeName(r);
        return FailureOr<Type>(failure());
      }
      return l;
    }
    return shaped({l, r}, e);
  }
  if (auto cmp = llvm::dyn_cast<CmpOp>(op)) {
    if (!anyArray)
      return std::nullopt;
    Type l = cmp.getLhs().getType(), r = cmp.getRhs().getType();
    if (llvm::isa<ComplexType>(elementwiseElement(l, r)) && cmp.getPredicate() != "eq" && cmp.getPredicate() != "ne") {
      typingError(op) << "complex arrays compare only with == and !=";
      return FailureOr<Type>(failure());
    }
    return shaped({l, r}, i1(ctx));
  }
  if (auto un = llvm::dyn_cast<UnOp>(op)) {
    if (!anyArray)
      return std::nullopt;
    Type t = un.getOperand().getType();
    if (un.getKind() == "not") {
      typingError(op) << "the truth value of an array is ambiguous; use np.logical_not(a), "
                         "a.any() or a.all()";
      return FailureOr<Type>(failure());
    }
    if (un.getKind() == "neg" && llvm::cast<MemRefType>(t).getElementType().isInteger(1)) {
      typingError(op) << "the numpy boolean negative, the `-` operator, is not supported, use the "
                         "`~` operator or the logical_not function instead";
      return FailureOr<Type>(failure());
    }
    return t;
  }
  if (auto truth = llvm::dyn_cast<TruthOp>(op)) {
    if (!anyArray)
      return std::nullopt;
    typingError(op) << "the truth value of an array is ambiguous; use a.any() or a.all()";
    return FailureOr<Type>(failure());
  }
  if (auto call = llvm::dyn_cast<CallBuiltinOp>(op)) {
    absorbDtypeArguments(call);
    StringRef name = call.getCallee();
    CallArgs args(call);
    if (name == "len") {
      if (args.positional.size() == 1) {
        Type t = args.positional[0].getType();
        if (isArray(t) || tupleOf(t) || llvm::isa<RangeType>(t))
          return i64(ctx);
      }
      typingError(op) << "len() takes one array, tuple or range";
      return FailureOr<Type>(failure());
    }
    if (name.consume_front("np."))
      return numpyCall(call, name, args);
    if (name.consume_front("ndarray.")) {
      if ((name == "conjugate" || name == "conj") && args.positional.size() == 1 &&
          isAnyNumber(args.positional[0].getType())) {
        Type t = args.positional[0].getType(); // a real number's conjugate is itself
        return isBool(t) ? i64(ctx) : t;
      }
      return methodCall(call, name, args);
    }
    if (anyArray && (name.starts_with("math.") || name == "abs" || name == "min" || name == "max")) {
      if (name == "abs" && args.positional.size() == 1)
        return args.positional[0].getType();
      typingError(op) << name << "() takes numbers, not arrays; use the np. function";
      return FailureOr<Type>(failure());
    }
    if (anyArray && (name == "int" || name == "float" || name == "bool")) {
      typingError(op) << name << "() of an array is not supported; index an element first";
      return FailureOr<Type>(failure());
    }
  }
  return std::nullopt;
}
