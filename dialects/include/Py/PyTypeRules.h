// Small shared helpers over the types typed py IR uses (i1, i64, f64, tuple, none, py types).
#ifndef PY_PYTYPERULES_H
#define PY_PYTYPERULES_H

#include "Py/PyDialect.h"

namespace mlir::py {
inline bool isBool(Type t) { return t.isInteger(1); }
inline bool isInt(Type t) { return t.isInteger(64); }
inline bool isFloat(Type t) { return t.isF64(); }
inline bool isIntLike(Type t) { return isBool(t) || isInt(t); }
inline bool isNumber(Type t) { return isIntLike(t) || isFloat(t); }
inline bool isUnknown(Type t) { return llvm::isa<ObjectType>(t); }
/// The Python-level name of a type, for messages ("int", "float", "tuple[int, float]").
std::string pyTypeName(Type t);
} // namespace mlir::py

#endif // PY_PYTYPERULES_H
