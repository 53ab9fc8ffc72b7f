// Helpers of the array type rules (InferArrayTypes.cpp: indexing, attributes, operators;
// NumpyCallRules.cpp: np.* calls and ndarray methods).
#ifndef NUMLIR_DIALECT_PY_TRANSFORMS_ARRAYRULES_H
#define NUMLIR_DIALECT_PY_TRANSFORMS_ARRAYRULES_H

#include "numlir/Dialect/Py/IR/PyDialect.h"
#include "numlir/Dialect/Py/IR/PyTypeRules.h"
#include "numlir/Dialect/Py/Transforms/ArrayTypeRules.h"

#include <optional>

namespace mlir::py::rules {
inline InFlightDiagnostic typingError(Operation *op) { return op->emitError("TypingError: "); }

inline Type i64(MLIRContext *ctx) { return IntegerType::get(ctx, 64); }
inline Type f64(MLIRContext *ctx) { return Float64Type::get(ctx); }
inline Type i1(MLIRContext *ctx) { return IntegerType::get(ctx, 1); }

/// The element type an array of `t` or a scalar `t` contributes to an elementwise op.
inline Type elementOf(Type t) {
  if (auto array = llvm::dyn_cast<MemRefType>(t))
    return array.getElementType();
  return t;
}
inline int64_t rankOf(Type t) {
  auto array = llvm::dyn_cast<MemRefType>(t);
  return array ? array.getRank() : 0;
}
inline bool isFloatElement(Type e) { return llvm::isa<FloatType>(e); }

/// The result of an elementwise op: a C-layout array of the broadcast rank, or a scalar
/// when no operand is an array.
inline Type shaped(ArrayRef<Type> operands, Type element) {
  int64_t rank = -1;
  for (Type t : operands)
    if (isArray(t))
      rank = std::max(rank, rankOf(t));
  if (rank < 0)
    return scalarOf(element);
  return arrayType(element, rank, Layout::C);
}

/// The type of `a.T`: reversed axes swap the C and F layouts.
inline Type transposedType(MemRefType array) {
  Layout l = layoutOf(array);
  Layout t = array.getRank() < 2 ? l : l == Layout::C ? Layout::F : l == Layout::F ? Layout::C : Layout::A;
  return arrayType(array.getElementType(), array.getRank(), t);
}

/// The float type a float ufunc computes in for an element type (ints become float64).
inline Type floatOf(Type e) { return isFloatElement(e) || llvm::isa<ComplexType>(e) ? e : f64(e.getContext()); }

/// The value of a constant int operand, if it is one.
inline std::optional<int64_t> constantInt(Value v) {
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

/// The result dtype of the unary ufunc np.<n> on elements of type `e`; null if none.
Type unaryUfunc(StringRef n, Type e);
/// The result dtype of the binary ufunc np.<n> on elements of types `a` and `b`; null if none.
Type binaryUfunc(StringRef n, Type a, Type b);
/// The result type of np.<name>(args); failure after a TypingError, null while unknown.
FailureOr<Type> numpyCall(CallBuiltinOp op, StringRef name, const CallArgs &args);
/// The result type of the ndarray method <name>(args), as numpyCall.
FailureOr<Type> methodCall(CallBuiltinOp op, StringRef name, const CallArgs &args);
/// The result type of the CUDA kernel builtin cuda.<name>(args) (CudaTypeRules.cpp), as numpyCall.
FailureOr<Type> cudaCall(CallBuiltinOp op, StringRef name, const CallArgs &args);
/// Moves a call's `dtype=` argument (a NumPy type given as a value) into its dtype attribute.
void absorbDtypeArguments(CallBuiltinOp call);
} // namespace mlir::py::rules

#endif // NUMLIR_DIALECT_PY_TRANSFORMS_ARRAYRULES_H
