// Helpers of the py-to-std lowering that other passes use too: constants, element
// conversions, external calls (lib/Conversion/PyToStd/LoweringUtils.cpp).
#ifndef NUMLIR_CONVERSION_PYTOSTD_LOWERINGUTILS_H
#define NUMLIR_CONVERSION_PYTOSTD_LOWERINGUTILS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::py {
/// Marks py-to-std's stack slot of a range iterator (makeRangeIter), which
/// numlir-range-for-loops looks for.
inline constexpr llvm::StringLiteral kRangeSlotMark = "numlir.range";
/// Marks the scf.for numlir-range-for-loops makes of a user's range loop: it runs serially
/// (numlir-parallel-array-loops splits only numlir's own array loops).
inline constexpr llvm::StringLiteral kRangeLoopMark = "numlir.range_loop";
/// Marks py-to-std's argmin/argmax loop with its min/max kind: numlir-block-arg-reductions
/// runs it in blocks, and numlir-fuse-reductions merges it with no other loop.
inline constexpr llvm::StringLiteral kArgReductionMark = "numlir.arg_reduction";
/// Marks py-to-std's loop of a reduction along an axis, which numlir-parallel-array-loops
/// splits among threads with parallel=True.
inline constexpr llvm::StringLiteral kParallelMark = "numlir.parallel";

/// The signless type memory holds for a py element type (ui8 -> i8).
Type storageType(Type pyElement);
/// The constant `v` of a std type: any integer or float width, index, or a complex (v + 0j).
/// Every constant of an element or scalar type goes through here, so no type is left out.
Value numberConstant(OpBuilder &b, Location loc, Type std, double v);
/// The private declaration of the external function `name` of `type`, added to the module
/// through `symbols` where it is not there yet.
func::FuncOp declareExternal(SymbolTable &symbols, Location loc, StringRef name, FunctionType type);
/// A call of the external function `name` (libm, or numlir's runtime in src/runtime/math.rs),
/// declared in the module through `symbols` on first use: every declaration goes through the
/// one table, so the scalar and the array lowering never declare a name twice.
Value callExternal(OpBuilder &b, Location loc, SymbolTable &symbols, StringRef name, ValueRange args,
                   Type result);
/// callExternal of a function with several results (a C complex result is two doubles).
ValueRange callExternal(OpBuilder &b, Location loc, SymbolTable &symbols, StringRef name, ValueRange args,
                        TypeRange results);
/// Converts an element or scalar between py types (i1, signed/unsigned ints, f32, f64,
/// complex).
Value convertElement(OpBuilder &b, Location loc, Value v, Type fromPy, Type toPy);

/// The element kind BLAS and LAPACK routines are chosen by, as the runtime numbers it
/// (src/runtime/linalg.rs): 0-3 for float32, float64, complex64, complex128; -1 for others.
int64_t blasKind(Type element);

/// An array of `type` with every size 0, on the stack: a harmless stand-in where a value of
/// array type is needed but never read (a raising path, a path lifting left undefined).
Value emptyArray(OpBuilder &b, Location loc, MemRefType type);

/// `to[...] = from[...]` for two arrays of one shape: a linalg.generic with no checks (for
/// code that has checked the shapes or made them equal).
void copyElements(OpBuilder &b, Location loc, Value from, Value to);
/// The buffer the array `v` views: the allocation or argument its casts and views start
/// from, as far as defining ops show it.
Value bufferRoot(Value v);
/// Whether arrays `x` and `y` are certainly in different buffers, known when compiling:
/// one is an allocation of this function, the other another allocation or an argument.
bool separateBuffers(Value x, Value y);
/// Whether arrays `x` and `y` are the same elements in the same order, at run time: the
/// same aligned pointer, offset, sizes and strides (false where the ranks differ).
Value sameView(OpBuilder &b, Location loc, Value x, Value y);
} // namespace mlir::py

#endif // NUMLIR_CONVERSION_PYTOSTD_LOWERINGUTILS_H
