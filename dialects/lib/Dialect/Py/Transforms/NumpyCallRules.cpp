// Type rules of np.* calls and ndarray methods: array creation (dtype=, shapes), ufuncs
// with NumPy 2's promotion, reductions (axis=, dtype=), cumulative sums, reshape, dot and
// the rest of linear algebra.
#include "ArrayRules.h"

#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::py;

namespace mlir::py::rules {
/// The element dtype named by a call's `dtype`, or `fallback`.
static Type dtypeOr(CallBuiltinOp op, Type fallback, bool &bad) {
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
static int64_t shapeRank(Type t) {
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
static Type accumulateElement(Type e) {
  MLIRContext *ctx = e.getContext();
  if (e.isInteger(1))
    return i64(ctx);
  if (auto i = llvm::dyn_cast<IntegerType>(e))
    return i.isUnsigned() ? IntegerType::get(ctx, 64, IntegerType::Unsigned) : i64(ctx);
  return e;
}

static FailureOr<Type> reductionResult(CallBuiltinOp op, StringRef name, MemRefType array, const CallArgs &args) {
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
  // dtype= sets the type sums and products accumulate in, and means' result type.
  bool badDtype = false;
  if (llvm::is_contained({"sum", "prod", "cumsum", "cumprod", "mean", "std", "var"}, name))
    element = dtypeOr(op, element, badDtype);
  if (badDtype)
    return failure();
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

static bool isReduction(StringRef n) {
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
} // namespace mlir::py::rules
