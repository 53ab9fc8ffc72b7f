// Complex numbers in py-to-std: complex dialect ops with CPython's and NumPy's semantics
// (lib/Conversion/ComplexToStd/ComplexToStd.cpp).
#ifndef NUMLIR_CONVERSION_COMPLEXTOSTD_COMPLEXTOSTD_H
#define NUMLIR_CONVERSION_COMPLEXTOSTD_COMPLEXTOSTD_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::py {
/// `x` of py type `fromPy` (a real number or another complex) as a complex of type `to`.
Value complexFrom(OpBuilder &b, Location loc, Value x, Type fromPy, ComplexType to);
/// Whether a complex value is nonzero.
Value complexTruth(OpBuilder &b, Location loc, Value z);
/// add, sub, mul, truediv, pow of two complex values.
Value complexBinary(OpBuilder &b, Location loc, StringRef kind, Value x, Value y);
/// x / y as CPython divides complex numbers (y nonzero).
Value pythonComplexDivide(OpBuilder &b, Location loc, Value x, Value y);
/// eq / ne of two complex values.
Value complexCompare(OpBuilder &b, Location loc, StringRef predicate, Value x, Value y);
/// A ufunc or cmath function of one complex value (abs, phase, real and imag give its part
/// type; isnan & co. give i1).
Value complexUnary(OpBuilder &b, Location loc, StringRef name, Value z);
} // namespace mlir::py

#endif // NUMLIR_CONVERSION_COMPLEXTOSTD_COMPLEXTOSTD_H
