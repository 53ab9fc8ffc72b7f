// The per-element computations of py-to-std's array lowering (ElementOps.cpp), shared by
// the Array*.cpp files.
#ifndef NUMLIR_CONVERSION_PYTOSTD_ELEMENTOPS_H
#define NUMLIR_CONVERSION_PYTOSTD_ELEMENTOPS_H

#include "FunctionLowering.h"

namespace mlir::py {
using ElementFn = FunctionLowering::ElementFn;

/// The symbol table of the module being lowered: element bodies are built inside ops that
/// do not exist yet (a linalg.generic's region), so they cannot find it through their
/// parents, and the scalar lowering declares into the same table.
extern SymbolTable *currentSymbols;

/// The constant `v` as an element of py type `t`.
Value elementConstant(OpBuilder &b, Location loc, int64_t v, Type t);
/// Whether `e` is an unsigned integer element type.
bool isUnsignedElement(Type e);
/// A comparison (py.cmp predicate `p`) of two elements already converted to py type `t`.
Value elementCompare(OpBuilder &b, Location loc, StringRef p, Value x, Value y, Type t);
/// The element type of an array type, or the type itself for a scalar.
Type elemOf(Type t);

// Element functions of the elementwise operations. They capture types by value: a fused
// expression builds them later, inside its user's loop.
/// A binary operator `kind` on elements of py types `lt` and `rt`, giving `out`.
ElementFn binOpBody(StringRef kind, Type lt, Type rt, Type out);
/// A comparison on elements of py types `lt` and `rt`.
ElementFn cmpBody(StringRef predicate, Type lt, Type rt);
/// A unary operator (neg, invert, pos) on an element of py type `e`.
ElementFn unOpBody(StringRef kind, Type e);
/// np.<name> for ufuncs, np.where and np.clip, on operands of py types `argPy`.
ElementFn numpyElementBody(StringRef name, ArrayRef<Type> argPy, Type out);

/// Whether `op` may write array memory (a deferred elementwise result cannot move past it).
bool mayWriteArrays(Operation &op);
/// The bytes one element of py element type `e` takes.
int64_t itemBytes(Type e);
/// x + y or x * y for two values of one element type (float, int or complex). With
/// `reassociate`, float adds and multiplies may be regrouped: LLVM then keeps several
/// partial results and vectorizes, as NumPy's pairwise sum regroups too.
Value accumulate(OpBuilder &b, Location loc, StringRef kind, Value x, Value y, bool reassociate = false);
} // namespace mlir::py

#endif // NUMLIR_CONVERSION_PYTOSTD_ELEMENTOPS_H
