// Small shared helpers over the types typed py IR uses: i1, i64, f64, tuple, none, py types,
// and arrays (strided memrefs of a NumPy dtype).
#ifndef NUMLIR_DIALECT_PY_IR_PYTYPERULES_H
#define NUMLIR_DIALECT_PY_IR_PYTYPERULES_H

#include "numlir/Dialect/Py/IR/PyDialect.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::py {
inline bool isBool(Type t) { return t.isInteger(1); }
/// An integer of any NumPy width and signedness: int8-int64 (signless) or uint8-uint64.
inline bool isInt(Type t) {
  auto i = llvm::dyn_cast<IntegerType>(t);
  return i && i.getWidth() > 1 && !i.isSigned();
}
/// float32 or float64.
inline bool isFloat(Type t) { return t.isF32() || t.isF64(); }
inline bool isIntLike(Type t) { return isBool(t) || isInt(t); }
inline bool isNumber(Type t) { return isIntLike(t) || isFloat(t); }
/// complex64 or complex128.
inline bool isComplex(Type t) {
  auto c = llvm::dyn_cast<ComplexType>(t);
  return c && (c.getElementType().isF32() || c.getElementType().isF64());
}
/// A number of any kind: bool, int, float or complex, of any NumPy width.
inline bool isAnyNumber(Type t) { return isNumber(t) || isComplex(t); }
/// A scalar of one of Python's own types (bool, int as int64, float, complex), as opposed
/// to NumPy's other scalar types (int8-int32, uint8-uint64, float32, complex64).
inline bool isPythonScalar(Type t) {
  return isBool(t) || (t.isInteger(64) && t.isSignlessInteger()) || t.isF64() ||
         (isComplex(t) && llvm::cast<ComplexType>(t).getElementType().isF64());
}
inline bool isUnsigned64(Type t) { return t.isUnsignedInteger(64); }
inline bool isUnknown(Type t) { return llvm::isa<ObjectType>(t); }
inline bool isArray(Type t) { return llvm::isa<MemRefType>(t); }
/// A value that holds references counted at run time (py-insert-refcounts): a list, or
/// a tuple with one inside.
bool isCounted(Type t);
/// A str method compiled code has: its parameters after self, one letter each ('S' a
/// str, 's' a str or None, 'i' an int, 'L' a list of str), how many are required, what it
/// returns ('S' str, 'i' int, 'b' bool, 'L' list of str), and the runtime function and
/// selector py-to-std calls (src/runtime/strings.rs).
struct StrMethod {
  const char *name, *params;
  unsigned required;
  char result;
  const char *runtime;
  int64_t selector;
};
/// The str method `name` ("upper", "split", ...), or null.
const StrMethod *strMethod(StringRef name);

/// A builtin `bitgen.<name>` (python/numlir/_numpy/bitgen.py): one of NumPy's distribution
/// functions, called on a bit generator (an int: a `bitgen_t` address) and then `params`,
/// one letter each ('f' a double, 'i' an int64); it returns an int64 or a double.
/// py-to-std calls the runtime's numlir_bitgen_<name> (src/runtime/bitgen.rs).
struct BitgenBuiltin {
  const char *name, *params;
  bool returnsInt;
};
/// The bitgen builtin `name` ("poisson", without "bitgen."), or null.
const BitgenBuiltin *bitgenBuiltin(StringRef name);

/// The tuple `t` is: a tuple itself, or a namedtuple's elements; null for anything else.
/// Everything that takes a tuple goes through it, so namedtuples work wherever tuples do.
inline TupleType tupleOf(Type t) {
  if (auto named = llvm::dyn_cast<NamedTupleType>(t))
    return named.getTuple();
  return llvm::dyn_cast<TupleType>(t);
}
/// The Python-level name of a type, for messages ("int", "float", "tuple[int, float]",
/// "array(float64, 2d, C)").
std::string pyTypeName(Type t);

/// Array memory layouts the dispatcher keys on: C (last stride 1), F (first stride 1), A.
enum class Layout { C, F, A };

/// The NumPy name of an array element type ("float64", "int32", "uint8", "bool").
std::string dtypeName(Type element);
/// The element type of a NumPy dtype name, or null.
Type dtypeFromName(MLIRContext *ctx, StringRef name);
/// The scalar an element is read as: its own NumPy type (a float32 element is a float32).
Type scalarOf(Type element);
/// The Python type a NumPy scalar computes in: int8-uint32 as int64, float32 as float64,
/// complex64 as complex128 (uint64 and Python's own types are unchanged).
Type pythonWide(Type scalar);
/// NumPy 2's type for a binary operation on two scalars (NEP 50): a `weak` operand is a
/// Python literal, which takes the other operand's type where that is of its kind or higher.
Type promoteScalars(Type a, bool aWeak, Type b, bool bWeak);
/// A strided memref of `ndim` dynamic sizes with the strides of `layout` and a dynamic offset.
MemRefType arrayType(Type element, int64_t ndim, Layout layout);
Layout layoutOf(MemRefType array);
/// The NumPy result dtype of combining two element types (NumPy's promotion rules).
Type promoteElements(Type a, Type b);
/// The element type a Python scalar (i1, i64, f64) has inside an array expression.
Type elementOfScalar(Type scalar);
/// The type of iter(x) for `iterable`: a range's !py.range_iter, an !py.iter over an array
/// or a tuple of one element type, or an iterator itself; null when it is not iterable.
Type iteratorOf(Type iterable);
/// The one type the elements of a tuple are as loop values: their type when they all have
/// it, an A-layout array for arrays of one dtype and rank; null otherwise.
Type tupleElementJoin(TupleType tuple);
/// The type of the values an iterator gives (a row of a 2-D array, an (index, value)
/// tuple of enumerate, a tuple of zip); none for an empty tuple's.
Type iteratorValue(Type iterator);
/// Whether `call` is sum/min/max/sorted/any/all of one iterable that is not a list, array or
/// tuple (a set, dict, view, range or iterator): typed and lowered as over list(x).
bool takesValuesAsList(CallBuiltinOp call);
/// The identity of a prange reduction ("add", "mul", "min", "max") in `type`, an int or
/// float type (`isUnsigned` gives an int's range where `type` is signless); null otherwise.
/// py-parallel-loops starts an iteration's contribution from it, and py-to-std makes it
/// the contribution of an iteration that raised.
TypedAttr reductionIdentity(Type type, StringRef kind, bool isUnsigned);
} // namespace mlir::py

#endif // NUMLIR_DIALECT_PY_IR_PYTYPERULES_H
