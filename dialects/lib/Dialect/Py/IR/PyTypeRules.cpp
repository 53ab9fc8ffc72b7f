// Type rules shared by the py passes: names for messages, NumPy dtypes and array layouts.
#include "numlir/Dialect/Py/IR/PyTypeRules.h"

#include "llvm/ADT/StringSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::py;

std::string mlir::py::dtypeName(Type e) {
  if (e.isInteger(1))
    return "bool";
  if (auto i = llvm::dyn_cast<IntegerType>(e))
    return (i.isUnsigned() ? "uint" : "int") + std::to_string(i.getWidth());
  if (e.isF32())
    return "float32";
  if (e.isF64())
    return "float64";
  if (auto c = llvm::dyn_cast<ComplexType>(e))
    return c.getElementType().isF32() ? "complex64" : "complex128";
  return "?";
}

Type mlir::py::dtypeFromName(MLIRContext *ctx, StringRef name) {
  auto i = [&](unsigned w) { return IntegerType::get(ctx, w); };
  auto u = [&](unsigned w) { return IntegerType::get(ctx, w, IntegerType::Unsigned); };
  return llvm::StringSwitch<std::function<Type()>>(name)
      .Cases({"bool", "bool_"}, [&] { return Type(i(1)); })
      .Case("int8", [&] { return Type(i(8)); })
      .Case("int16", [&] { return Type(i(16)); })
      .Case("int32", [&] { return Type(i(32)); })
      .Cases({"int64", "int", "intp"}, [&] { return Type(i(64)); })
      .Case("uint8", [&] { return Type(u(8)); })
      .Case("uint16", [&] { return Type(u(16)); })
      .Case("uint32", [&] { return Type(u(32)); })
      .Case("uint64", [&] { return Type(u(64)); })
      .Case("float32", [&] { return Type(Float32Type::get(ctx)); })
      .Cases({"float64", "float", "double"}, [&] { return Type(Float64Type::get(ctx)); })
      .Case("complex64", [&] { return Type(ComplexType::get(Float32Type::get(ctx))); })
      .Cases({"complex128", "complex"}, [&] { return Type(ComplexType::get(Float64Type::get(ctx))); })
      .Default([] { return Type(); })();
}

Type mlir::py::scalarOf(Type e) { return e; }

Type mlir::py::pythonWide(Type t) {
  MLIRContext *ctx = t.getContext();
  if (isBool(t) || isUnsigned64(t))
    return t;
  if (isInt(t))
    return IntegerType::get(ctx, 64);
  if (isFloat(t))
    return Float64Type::get(ctx);
  if (isComplex(t))
    return ComplexType::get(Float64Type::get(ctx));
  return t;
}

/// 0 bool, 1 int, 2 float, 3 complex.
static int kindOf(Type t) { return isBool(t) ? 0 : isInt(t) ? 1 : isFloat(t) ? 2 : 3; }

Type mlir::py::promoteScalars(Type a, bool aWeak, Type b, bool bWeak) {
  if (aWeak == bWeak)
    return promoteElements(a, b);
  Type strong = aWeak ? b : a, weak = aWeak ? a : b;
  MLIRContext *ctx = a.getContext();
  int ks = kindOf(strong), kw = kindOf(weak);
  if (kw <= ks)
    return strong;
  if (kw == 3) // a complex literal: complex64 beside float32, else complex128
    return ComplexType::get(strong.isF32() ? Type(Float32Type::get(ctx)) : Type(Float64Type::get(ctx)));
  return weak; // a float literal beside an integer (or an int literal beside a bool)
}

Type mlir::py::elementOfScalar(Type scalar) {
  if (isAnyNumber(scalar))
    return scalar;
  return {};
}

MemRefType mlir::py::arrayType(Type element, int64_t ndim, Layout layout) {
  SmallVector<int64_t> shape(ndim, ShapedType::kDynamic), strides(ndim, ShapedType::kDynamic);
  if (ndim > 0 && layout == Layout::C)
    strides.back() = 1;
  if (ndim > 0 && layout == Layout::F)
    strides.front() = 1;
  auto strided = StridedLayoutAttr::get(element.getContext(), ShapedType::kDynamic, strides);
  return MemRefType::get(shape, element, strided);
}

Layout mlir::py::layoutOf(MemRefType array) {
  auto strided = llvm::dyn_cast<StridedLayoutAttr>(array.getLayout());
  if (!strided || array.getRank() == 0)
    return Layout::C;
  ArrayRef<int64_t> strides = strided.getStrides();
  if (strides.back() == 1)
    return Layout::C;
  if (strides.front() == 1)
    return Layout::F;
  return Layout::A;
}

/// NumPy's promotion on the kinds numlir has: bool < ints < floats; mixed signedness
/// widens (int64 with uint64 gives float64, as in NumPy).
Type mlir::py::promoteElements(Type a, Type b) {
  if (a == b)
    return a;
  MLIRContext *ctx = a.getContext();
  if (a.isInteger(1))
    return b;
  if (b.isInteger(1))
    return a;
  // Complex: complex64 holds what float32 holds; anything wider needs complex128.
  auto ca = llvm::dyn_cast<ComplexType>(a), cb = llvm::dyn_cast<ComplexType>(b);
  if (ca || cb) {
    Type ra = ca ? ca.getElementType() : a, rb = cb ? cb.getElementType() : b;
    return ComplexType::get(promoteElements(ra, rb).isF32() ? Type(Float32Type::get(ctx)) : Type(Float64Type::get(ctx)));
  }
  auto fa = llvm::dyn_cast<FloatType>(a), fb = llvm::dyn_cast<FloatType>(b);
  if (fa && fb)
    return fa.getWidth() >= fb.getWidth() ? a : b;
  if (fa || fb) {
    // float32 holds int8/int16/uint8/uint16 exactly; wider ints go to float64.
    FloatType f = fa ? fa : fb;
    auto i = llvm::cast<IntegerType>(fa ? b : a);
    if (f.getWidth() == 32 && i.getWidth() <= 16)
      return f;
    return Float64Type::get(ctx);
  }
  auto ia = llvm::cast<IntegerType>(a), ib = llvm::cast<IntegerType>(b);
  if (ia.isUnsigned() == ib.isUnsigned())
    return ia.getWidth() >= ib.getWidth() ? a : b;
  IntegerType s = ia.isUnsigned() ? ib : ia, u = ia.isUnsigned() ? ia : ib;
  if (s.getWidth() > u.getWidth())
    return s;
  if (u.getWidth() == 64)
    return Float64Type::get(ctx);
  return IntegerType::get(ctx, u.getWidth() * 2);
}

bool mlir::py::isCounted(Type t) {
  if (llvm::isa<ListType, DictType, SetType, StrType, GeneratorType>(t))
    return true;
  if (auto tuple = tupleOf(t))
    return llvm::any_of(tuple.getTypes(), isCounted);
  if (auto iter = llvm::dyn_cast<IterType>(t)) // an iterator holds what it iterates over
    return isCounted(iter.getState());
  if (auto opt = llvm::dyn_cast<OptionalType>(t))
    return isCounted(opt.getValueType());
  if (auto ref = llvm::dyn_cast<FunctionRefType>(t)) // a closure holds what it captured
    return ref.getCaptures() && isCounted(ref.getCaptures());
  return false;
}

Type mlir::py::iteratorOf(Type t) {
  MLIRContext *ctx = t.getContext();
  if (llvm::isa<RangeType>(t))
    return RangeIterType::get(ctx);
  if (llvm::isa<RangeIterType, IterType>(t))
    return t;
  Type counter = RangeIterType::get(ctx);
  if (auto array = llvm::dyn_cast<MemRefType>(t))
    return IterType::get(ctx, "array", TupleType::get(ctx, {array, counter}));
  if (auto list = llvm::dyn_cast<ListType>(t))
    return IterType::get(ctx, "list", TupleType::get(ctx, {list, counter}));
  if (auto dict = llvm::dyn_cast<DictType>(t))
    return IterType::get(ctx, "dict_keys", TupleType::get(ctx, {dict, counter}));
  if (auto set = llvm::dyn_cast<SetType>(t))
    return IterType::get(ctx, "set", TupleType::get(ctx, {set, counter}));
  if (auto str = llvm::dyn_cast<StrType>(t))
    return IterType::get(ctx, "str", TupleType::get(ctx, {str, counter}));
  if (auto generator = llvm::dyn_cast<GeneratorType>(t)) // resumed by each step
    return IterType::get(ctx, "generator", TupleType::get(ctx, {generator}));
  if (auto tuple = tupleOf(t)) {
    if (tuple.size() && !tupleElementJoin(tuple))
      return {};
    return IterType::get(ctx, "tuple", TupleType::get(ctx, {tuple, counter}));
  }
  return {};
}

Type mlir::py::tupleElementJoin(TupleType tuple) {
  ArrayRef<Type> types = tuple.getTypes();
  if (types.empty() || llvm::all_equal(types))
    return types.empty() ? Type() : types[0];
  // Arrays of one dtype and rank in different layouts: each is a view of any layout (A).
  auto first = llvm::dyn_cast<MemRefType>(types[0]);
  if (!first)
    return {};
  for (Type t : types) {
    auto array = llvm::dyn_cast<MemRefType>(t);
    if (!array || array.getElementType() != first.getElementType() || array.getRank() != first.getRank())
      return {};
  }
  return arrayType(first.getElementType(), first.getRank(), Layout::A);
}

Type mlir::py::iteratorValue(Type iterator) {
  MLIRContext *ctx = iterator.getContext();
  if (llvm::isa<RangeIterType>(iterator))
    return IntegerType::get(ctx, 64);
  auto iter = llvm::cast<IterType>(iterator);
  ArrayRef<Type> state = iter.getState().getTypes();
  StringRef kind = iter.getKind();
  if (kind == "array") {
    auto array = llvm::cast<MemRefType>(state[0]);
    if (array.getRank() == 1)
      return scalarOf(array.getElementType());
    return arrayType(array.getElementType(), array.getRank() - 1,
                     layoutOf(array) == Layout::C ? Layout::C : Layout::A);
  }
  if (kind == "list")
    return llvm::cast<ListType>(state[0]).getElementType();
  if (kind == "set")
    return llvm::cast<SetType>(state[0]).getElementType();
  if (kind == "str")
    return state[0]; // one-character strings
  if (kind == "generator")
    return llvm::cast<GeneratorType>(state[0]).getYieldType();
  if (kind.starts_with("dict_")) {
    auto dict = llvm::cast<DictType>(state[0]);
    if (kind == "dict_keys")
      return dict.getKeyType();
    if (kind == "dict_values")
      return dict.getValueType();
    return TupleType::get(ctx, {dict.getKeyType(), dict.getValueType()});
  }
  if (kind == "tuple") {
    TupleType tuple = tupleOf(state[0]);
    return tuple.size() ? tupleElementJoin(tuple) : Type(NoneType::get(ctx));
  }
  SmallVector<Type> values;
  if (kind == "enumerate")
    values = {IntegerType::get(ctx, 64), iteratorValue(state[1])};
  else // zip
    for (Type inner : state)
      values.push_back(iteratorValue(inner));
  return TupleType::get(ctx, values);
}

bool mlir::py::takesValuesAsList(CallBuiltinOp call) {
  StringRef name = call.getCallee();
  OperandRange args = call.getArgs();
  size_t keywords = call.getKwnames() ? call.getKwnames()->size() : 0;
  if (!llvm::is_contained({"sum", "min", "max", "sorted", "any", "all"}, name) || args.size() - keywords != 1)
    return false;
  Type t = args[0].getType();
  if (llvm::isa<ListType, MemRefType>(t) || (tupleOf(t) && (name == "min" || name == "max")))
    return false; // a list itself; arrays, and min and max of tuples, have rules of their own
  Type iter = iteratorOf(t);
  return iter && !isUnknown(iteratorValue(iter));
}

const BitgenBuiltin *mlir::py::bitgenBuiltin(StringRef name) {
  static const BitgenBuiltin builtins[] = {
      {"standard_uniform", "", false},    {"standard_normal", "", false},     {"standard_exponential", "", false},
      {"standard_gamma", "f", false},     {"standard_cauchy", "", false},     {"standard_t", "f", false},
      {"normal", "ff", false},            {"exponential", "f", false},        {"uniform", "ff", false},
      {"gamma", "ff", false},             {"beta", "ff", false},              {"chisquare", "f", false},
      {"f", "ff", false},                 {"noncentral_chisquare", "ff", false}, {"noncentral_f", "fff", false},
      {"pareto", "f", false},             {"weibull", "f", false},            {"power", "f", false},
      {"laplace", "ff", false},           {"gumbel", "ff", false},            {"logistic", "ff", false},
      {"lognormal", "ff", false},         {"rayleigh", "f", false},           {"wald", "ff", false},
      {"vonmises", "ff", false},          {"triangular", "fff", false},       {"poisson", "f", true},
      {"binomial", "if", true},           {"legacy_binomial", "if", true},    {"negative_binomial", "ff", true},
      {"geometric", "f", true},           {"zipf", "f", true},                {"logseries", "f", true},
      {"hypergeometric", "iii", true},    {"interval", "i", true},            {"bounded", "iii", true},
      {"next_uint32", "", true},          {"next_uint64", "", true},
  };
  for (const BitgenBuiltin &b : builtins)
    if (name == b.name)
      return &b;
  return nullptr;
}

const StrMethod *mlir::py::strMethod(StringRef name) {
  static const StrMethod methods[] = {
      {"upper", "", 0, 'S', "numlir_str_case", 0},       {"lower", "", 0, 'S', "numlir_str_case", 1},
      {"capitalize", "", 0, 'S', "numlir_str_case", 2},  {"title", "", 0, 'S', "numlir_str_case", 3},
      {"swapcase", "", 0, 'S', "numlir_str_case", 4},    {"strip", "s", 0, 'S', "numlir_str_strip", 0},
      {"lstrip", "s", 0, 'S', "numlir_str_strip", 1},    {"rstrip", "s", 0, 'S', "numlir_str_strip", 2},
      {"split", "si", 0, 'L', "numlir_str_split", 0},    {"rsplit", "si", 0, 'L', "numlir_str_split", 1},
      {"join", "L", 1, 'S', "numlir_str_join", -1},      {"startswith", "Sii", 1, 'b', "numlir_str_affix", 0},
      {"endswith", "Sii", 1, 'b', "numlir_str_affix", 1}, {"find", "Sii", 1, 'i', "numlir_str_find", 0},
      {"rfind", "Sii", 1, 'i', "numlir_str_find", 1},    {"index", "Sii", 1, 'i', "numlir_str_find", 2},
      {"rindex", "Sii", 1, 'i', "numlir_str_find", 3},   {"count", "Sii", 1, 'i', "numlir_str_count", -1},
      {"replace", "SSi", 2, 'S', "numlir_str_replace", -1}, {"isdigit", "", 0, 'b', "numlir_str_is", 0},
      {"isalpha", "", 0, 'b', "numlir_str_is", 1},       {"isspace", "", 0, 'b', "numlir_str_is", 2},
      {"isalnum", "", 0, 'b', "numlir_str_is", 3},       {"isupper", "", 0, 'b', "numlir_str_is", 4},
      {"islower", "", 0, 'b', "numlir_str_is", 5},       {"isdecimal", "", 0, 'b', "numlir_str_is", 6},
      {"isnumeric", "", 0, 'b', "numlir_str_is", 7},     {"zfill", "i", 1, 'S', "numlir_str_zfill", -1},
      {"ljust", "iS", 1, 'S', "numlir_str_pad", 1},      {"rjust", "iS", 1, 'S', "numlir_str_pad", 2},
      {"center", "iS", 1, 'S', "numlir_str_pad", 3},
  };
  for (const StrMethod &m : methods)
    if (name == m.name)
      return &m;
  return nullptr;
}

TypedAttr mlir::py::reductionIdentity(Type type, StringRef kind, bool isUnsigned) {
  if (auto f = llvm::dyn_cast<FloatType>(type)) {
    double v = kind == "add" ? 0.0 : kind == "mul" ? 1.0 : kind == "min" ? INFINITY : -INFINITY;
    return FloatAttr::get(f, v);
  }
  auto i = llvm::dyn_cast<IntegerType>(type);
  if (!i || i.getWidth() == 1)
    return {};
  unsigned width = i.getWidth();
  APInt v = kind == "add" ? APInt(width, 0)
            : kind == "mul" ? APInt(width, 1)
            : kind == "min" ? (isUnsigned ? APInt::getMaxValue(width) : APInt::getSignedMaxValue(width))
                            : (isUnsigned ? APInt::getMinValue(width) : APInt::getSignedMinValue(width));
  return IntegerAttr::get(i, v);
}
