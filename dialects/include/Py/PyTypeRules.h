// Small shared helpers over the types typed py IR uses: i1, i64, f64, tuple, none, py types,
// and arrays (strided memrefs of a NumPy dtype).
#ifndef PY_PYTYPERULES_H
#define PY_PYTYPERULES_H

#include "Py/PyDialect.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::py {
inline bool isBool(Type t) { return t.isInteger(1); }
inline bool isInt(Type t) { return t.isInteger(64) && t.isSignlessInteger(); }
inline bool isFloat(Type t) { return t.isF64(); }
inline bool isIntLike(Type t) { return isBool(t) || isInt(t); }
inline bool isNumber(Type t) { return isIntLike(t) || isFloat(t); }
/// Python's complex: a complex<f64> value.
inline bool isComplex(Type t) {
  auto c = llvm::dyn_cast<ComplexType>(t);
  return c && c.getElementType().isF64();
}
/// A number of any Python kind: bool, int, float or complex.
inline bool isAnyNumber(Type t) { return isNumber(t) || isComplex(t); }
inline bool isUnknown(Type t) { return llvm::isa<ObjectType>(t); }
inline bool isArray(Type t) { return llvm::isa<MemRefType>(t); }
/// The Python-level name of a type, for messages ("int", "float", "tuple[int, float]",
/// "array(float64, 2d, C)").
std::string pyTypeName(Type t);

/// Array memory layouts the dispatcher keys on: C (last stride 1), F (first stride 1), A.
enum class Layout { C, F, A };

/// The NumPy name of an array element type ("float64", "int32", "uint8", "bool").
std::string dtypeName(Type element);
/// The element type of a NumPy dtype name, or null.
Type dtypeFromName(MLIRContext *ctx, StringRef name);
/// The Python scalar an element is read as: bool, int (i64), float (f64) or complex.
Type scalarOf(Type element);
/// A strided memref of `ndim` dynamic sizes with the strides of `layout` and a dynamic offset.
MemRefType arrayType(Type element, int64_t ndim, Layout layout);
Layout layoutOf(MemRefType array);
/// The NumPy result dtype of combining two element types (NumPy's promotion rules).
Type promoteElements(Type a, Type b);
/// The element type a Python scalar (i1, i64, f64) has inside an array expression.
Type elementOfScalar(Type scalar);
} // namespace mlir::py

#endif // PY_PYTYPERULES_H
