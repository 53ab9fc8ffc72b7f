// Type rules of array code (lib/Dialect/Py/Transforms/InferArrayTypes.cpp): py-infer-types asks
// them, and py-to-std reads the same rules where a lowering depends on them.
#ifndef NUMLIR_DIALECT_PY_TRANSFORMS_ARRAYTYPERULES_H
#define NUMLIR_DIALECT_PY_TRANSFORMS_ARRAYTYPERULES_H

#include "numlir/Dialect/Py/IR/PyDialect.h"
#include "numlir/Dialect/Py/IR/PyTypeRules.h"

#include <optional>

namespace mlir::py {
/// The result type of `op` when arrays, slices, NumPy calls or array methods are involved:
/// std::nullopt when these rules do not apply (the scalar rules do), a null type while an
/// operand is still unknown, or failure after reporting a TypingError.
std::optional<FailureOr<Type>> inferArrayOp(Operation *op);
/// Checks `base[index] = value`; reports a TypingError and fails when it cannot work.
LogicalResult checkSetItem(SetItemOp op);
/// The element type an elementwise operation gives for these operand types (arrays and
/// Python scalars), NumPy 2 style: Python scalars do not widen an array's dtype.
Type elementwiseElement(Type a, Type b);
/// The type of indexing `base` with `index` (an int, slice or tuple of them).
FailureOr<Type> indexResult(Operation *op, MemRefType base, Value index);
/// Whether np.<name> is a ufunc (unary or binary).
bool isUfunc(MLIRContext *ctx, StringRef name);
/// How many inputs the ufunc np.<name> takes: 1 or 2 (0 when it is not a ufunc).
int ufuncArity(MLIRContext *ctx, StringRef name);
/// The indices a slice of constant ints and Nones picks from a tuple of `n` elements (as
/// Python's slice.indices), or nullopt when the slice is not made of constants.
std::optional<SmallVector<int64_t>> constantSlice(Value index, int64_t n);
/// The sizes of a shape written as constants (an int or a tuple of ints, as
/// cuda.shared.array takes), or nothing.
std::optional<SmallVector<int64_t>> constantShape(Value shape);
/// Whether the slice value has no step or a constant step of 1.
bool hasUnitStep(Value slice);
} // namespace mlir::py

#endif // NUMLIR_DIALECT_PY_TRANSFORMS_ARRAYTYPERULES_H
