// Type rules of array code: indexing, attributes, elementwise operators and ufuncs with
// NumPy's promotion. np.* calls and ndarray methods (creation, reductions, linear algebra)
// are in NumpyCallRules.cpp. py-infer-types asks these rules first; the scalar rules in
// ScalarTypeRules.cpp handle everything else.
#include "ArrayRules.h"

#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::py;
using namespace mlir::py::rules;

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
  int64_t newAxes = llvm::count_if(parts, [](Value p) { return llvm::isa<NoneType>(p.getType()); });
  if (static_cast<int64_t>(parts.size()) - newAxes > base.getRank()) {
    typingError(op) << "too many indices for " << pyTypeName(base) << ": "
                    << parts.size() - newAxes << " given";
    return failure();
  }
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(base.getStridesAndOffset(strides, offset)))
    return failure();
  // Each int drops an axis; each slice keeps one, with a static unit stride only where the
  // base has one and the step is 1; None (np.newaxis) adds an axis of length 1, static unit
  // stride only last (py-to-std gives it the stride of a C array). Missing trailing indices
  // are whole slices.
  SmallVector<int64_t> kept;
  size_t p = 0;
  for (int64_t d = 0; d < base.getRank() || p < parts.size();) {
    if (p < parts.size() && llvm::isa<NoneType>(parts[p].getType())) {
      kept.push_back(p + 1 == parts.size() && d == base.getRank() ? 1 : ShapedType::kDynamic);
      ++p;
      continue;
    }
    if (p >= parts.size()) {
      kept.push_back(strides[d++]);
      continue;
    }
    Value part = parts[p++];
    Type t = part.getType();
    int64_t axis = d++;
    if (isInt(t))
      continue;
    if (llvm::isa<SliceType>(t)) {
      kept.push_back(strides[axis] == 1 && hasUnitStep(part) ? 1 : ShapedType::kDynamic);
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

/// Whether `v` is a global array frozen into the code (py.array_constant), or a view of one
/// made by indexing (`G[1:]`, `G[0]`).
static bool isFrozenArray(Value v) {
  while (auto get = v.getDefiningOp<GetItemOp>())
    v = get.getBase();
  return v.getDefiningOp<ArrayConstantOp>() != nullptr;
}

LogicalResult mlir::py::checkSetItem(SetItemOp op) {
  auto base = llvm::dyn_cast<MemRefType>(op.getBase().getType());
  if (!base)
    return typingError(op) << "item assignment needs an array, not " << pyTypeName(op.getBase().getType());
  if (isFrozenArray(op.getBase()))
    return typingError(op) << "cannot assign to an element of a global array: compiled code reads a copy frozen "
                              "at compile time (numba's read-only arrays); pass the array as an argument to "
                              "change it";
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
    if (name.starts_with("lapack.")) {
      // np.linalg's LAPACK calls (python/numlir/_numpy/linalg.py): arrays and numbers,
      // the first array a float32, float64 or complex matrix (its dtype picks the
      // routine); LAPACK's info back.
      auto firstArray = llvm::find_if(args.positional, [](Value a) { return isArray(a.getType()); });
      Type e = firstArray != args.positional.end() ? llvm::cast<MemRefType>(firstArray->getType()).getElementType() : Type();
      if (!e || !(e.isF32() || e.isF64() || llvm::isa<ComplexType>(e))) {
        typingError(op) << name << "() takes a float32, float64, complex64 or complex128 matrix";
        return FailureOr<Type>(failure());
      }
      for (Value a : args.positional)
        if (!isArray(a.getType()) && !isNumber(a.getType())) {
          typingError(op) << name << "() takes arrays and numbers, not " << pyTypeName(a.getType());
          return FailureOr<Type>(failure());
        }
      return i64(ctx);
    }
    if (name.consume_front("cuda."))
      return cudaCall(call, name, args);
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
