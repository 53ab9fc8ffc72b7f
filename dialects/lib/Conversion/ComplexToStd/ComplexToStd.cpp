// py-to-std for complex numbers: Python's complex (complex<f64>) and NumPy's complex64 and
// complex128 elements become complex dialect ops (convert-complex-to-standard lowers them
// later); cmath functions the complex dialect lacks are composed from those it has.
#include "numlir/Conversion/ComplexToStd/ComplexToStd.h"
#include "numlir/Conversion/PyToStd/LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/StringSwitch.h"

#include <numbers>

using namespace mlir;
using namespace mlir::py;

namespace {
Value floatConstant(OpBuilder &b, Location loc, Type t, double v) {
  return arith::ConstantOp::create(b, loc, t, b.getFloatAttr(t, v));
}
} // namespace

Value mlir::py::complexFrom(OpBuilder &b, Location loc, Value x, Type fromPy, ComplexType to) {
  Type part = to.getElementType();
  if (auto from = llvm::dyn_cast<ComplexType>(fromPy)) {
    if (from == to)
      return x;
    Value re = complex::ReOp::create(b, loc, x), im = complex::ImOp::create(b, loc, x);
    return complex::CreateOp::create(b, loc, to, convertElement(b, loc, re, from.getElementType(), part),
                                       convertElement(b, loc, im, from.getElementType(), part));
  }
  return complex::CreateOp::create(b, loc, to, convertElement(b, loc, x, fromPy, part),
                                     floatConstant(b, loc, part, 0.0));
}

Value mlir::py::complexTruth(OpBuilder &b, Location loc, Value z) {
  Type part = llvm::cast<ComplexType>(z.getType()).getElementType();
  Value zero = floatConstant(b, loc, part, 0.0);
  auto nonzero = [&](Value v) { return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v, zero); };
  return arith::OrIOp::create(b, loc, nonzero(complex::ReOp::create(b, loc, z)), nonzero(complex::ImOp::create(b, loc, z)));
}

Value mlir::py::complexBinary(OpBuilder &b, Location loc, StringRef kind, Value x, Value y) {
  if (kind == "add")
    return complex::AddOp::create(b, loc, x, y);
  if (kind == "sub")
    return complex::SubOp::create(b, loc, x, y);
  if (kind == "mul")
    return complex::MulOp::create(b, loc, x, y);
  if (kind == "truediv")
    return complex::DivOp::create(b, loc, x, y);
  return complex::PowOp::create(b, loc, x, y); // pow
}

Value mlir::py::pythonComplexDivide(OpBuilder &b, Location loc, Value x, Value y) {
  // CPython's complex division (Smith's method, no recovery of infinities: what it gives at
  // inf and nan operands is what Python code sees). y is nonzero (checked by the caller).
  auto type = llvm::cast<ComplexType>(x.getType());
  Value a = complex::ReOp::create(b, loc, x), c = complex::ImOp::create(b, loc, x);
  Value re = complex::ReOp::create(b, loc, y), im = complex::ImOp::create(b, loc, y);
  auto mul = [&](Value p, Value q) { return arith::MulFOp::create(b, loc, p, q).getResult(); };
  auto add = [&](Value p, Value q) { return arith::AddFOp::create(b, loc, p, q).getResult(); };
  auto sub = [&](Value p, Value q) { return arith::SubFOp::create(b, loc, p, q).getResult(); };
  auto div = [&](Value p, Value q) { return arith::DivFOp::create(b, loc, p, q).getResult(); };
  Value absRe = math::AbsFOp::create(b, loc, re), absIm = math::AbsFOp::create(b, loc, im);
  // |re| >= |im|: divide through by re
  Value r1 = div(im, re), d1 = add(re, mul(im, r1));
  Value x1 = div(add(a, mul(c, r1)), d1), y1 = div(sub(c, mul(a, r1)), d1);
  // |im| > |re|: divide through by im
  Value r2 = div(re, im), d2 = add(mul(re, r2), im);
  Value x2 = div(add(mul(a, r2), c), d2), y2 = div(sub(mul(c, r2), a), d2);
  Value byRe = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, absRe, absIm);
  Value byIm = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, absIm, absRe);
  Value nan = floatConstant(b, loc, type.getElementType(), std::nan(""));
  Value outRe = arith::SelectOp::create(b, loc, byRe, x1, arith::SelectOp::create(b, loc, byIm, x2, nan));
  Value outIm = arith::SelectOp::create(b, loc, byRe, y1, arith::SelectOp::create(b, loc, byIm, y2, nan));
  return complex::CreateOp::create(b, loc, type, outRe, outIm);
}

Value mlir::py::complexCompare(OpBuilder &b, Location loc, StringRef predicate, Value x, Value y) {
  if (predicate == "eq")
    return complex::EqualOp::create(b, loc, x, y);
  if (predicate == "ne")
    return complex::NotEqualOp::create(b, loc, x, y);
  // NumPy orders complex numbers by their real parts, then their imaginary parts (ordered
  // float comparisons: a nan part compares false).
  bool less = predicate == "lt" || predicate == "le";
  Value xr = complex::ReOp::create(b, loc, x), xi = complex::ImOp::create(b, loc, x);
  Value yr = complex::ReOp::create(b, loc, y), yi = complex::ImOp::create(b, loc, y);
  auto cmp = [&](arith::CmpFPredicate p, Value l, Value r) { return arith::CmpFOp::create(b, loc, p, l, r).getResult(); };
  Value realFirst = cmp(less ? arith::CmpFPredicate::OLT : arith::CmpFPredicate::OGT, xr, yr);
  arith::CmpFPredicate onImag = predicate == "lt"   ? arith::CmpFPredicate::OLT
                                : predicate == "le" ? arith::CmpFPredicate::OLE
                                : predicate == "gt" ? arith::CmpFPredicate::OGT
                                                    : arith::CmpFPredicate::OGE;
  Value tie = arith::AndIOp::create(b, loc, cmp(arith::CmpFPredicate::OEQ, xr, yr), cmp(onImag, xi, yi));
  return arith::OrIOp::create(b, loc, realFirst, tie);
}

Value mlir::py::complexUnary(OpBuilder &b, Location loc, StringRef name, Value z) {
  auto type = llvm::cast<ComplexType>(z.getType());
  Type part = type.getElementType();
  auto re = [&]() -> Value { return complex::ReOp::create(b, loc, z); };
  auto im = [&]() -> Value { return complex::ImOp::create(b, loc, z); };
  // NumPy's names of the inverse functions are cmath's with "arc".
  name = llvm::StringSwitch<StringRef>(name)
             .Case("arcsin", "asin").Case("arccos", "acos").Case("arctan", "atan")
             .Case("arcsinh", "asinh").Case("arccosh", "acosh").Case("arctanh", "atanh")
             .Default(name);
  auto scalar = [&](double v) { return numberConstant(b, loc, type, v); }; // v + 0j
  if (name == "logical_not")
    return arith::XOrIOp::create(b, loc, complexTruth(b, loc, z), arith::ConstantOp::create(b, loc, b.getI1Type(), b.getBoolAttr(true)));
  if (name == "sinh" || name == "cosh") { // (e^z -+ e^-z) / 2
    Value up = complex::ExpOp::create(b, loc, z), down = complex::ExpOp::create(b, loc, complex::NegOp::create(b, loc, z));
    Value sum = name == "sinh" ? complex::SubOp::create(b, loc, up, down).getResult()
                               : complex::AddOp::create(b, loc, up, down).getResult();
    return complex::MulOp::create(b, loc, sum, scalar(0.5));
  }
  if (name == "exp2")
    return complex::ExpOp::create(b, loc, complex::MulOp::create(b, loc, z, scalar(std::numbers::ln2)));
  if (name == "expm1")
    return complex::Expm1Op::create(b, loc, z);
  if (name == "log1p")
    return complex::Log1pOp::create(b, loc, z);
  if (name == "log2")
    return complex::DivOp::create(b, loc, complex::LogOp::create(b, loc, z), scalar(std::numbers::ln2));
  if (name == "isnan" || name == "isinf" || name == "isfinite") {
    auto test = [&](Value v) -> Value {
      if (name == "isnan")
        return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, v, v);
      Value mag = math::AbsFOp::create(b, loc, v);
      Value inf = floatConstant(b, loc, part, std::numeric_limits<double>::infinity());
      return arith::CmpFOp::create(b, loc, name == "isinf" ? arith::CmpFPredicate::OEQ : arith::CmpFPredicate::OLT, mag, inf);
    };
    if (name == "isfinite")
      return arith::AndIOp::create(b, loc, test(re()), test(im()));
    return arith::OrIOp::create(b, loc, test(re()), test(im()));
  }
  if (name == "abs" || name == "absolute")
    return complex::AbsOp::create(b, loc, z);
  if (name == "phase")
    return complex::AngleOp::create(b, loc, z);
  if (name == "real")
    return re();
  if (name == "imag")
    return im();
  if (name == "negative" || name == "neg")
    return complex::NegOp::create(b, loc, z);
  if (name == "positive" || name == "pos")
    return z;
  if (name == "conj" || name == "conjugate")
    return complex::ConjOp::create(b, loc, z);
  if (name == "square")
    return complex::MulOp::create(b, loc, z, z);
  if (name == "reciprocal")
    return complex::DivOp::create(b, loc, scalar(1.0), z);
  if (name == "sqrt")
    return complex::SqrtOp::create(b, loc, z);
  // Inverse trigonometric and hyperbolic functions by their logarithm forms (the principal
  // branches, as cmath's): asinh z = log(z + sqrt(z^2 + 1)), acosh z = log(z + sqrt(z + 1)
  // sqrt(z - 1)), atanh z = (log(1 + z) - log(1 - z)) / 2, asin z = -i asinh(iz),
  // atan z = -i atanh(iz), acos z = pi/2 - asin z.
  if (llvm::is_contained({"asinh", "acosh", "atanh", "asin", "acos", "atan"}, name)) {
    auto constant = [&](double re, double im) -> Value {
      return complex::CreateOp::create(b, loc, type, floatConstant(b, loc, part, re), floatConstant(b, loc, part, im));
    };
    Value one = constant(1.0, 0.0), i = constant(0.0, 1.0), minusI = constant(0.0, -1.0);
    auto asinh = [&](Value w) -> Value {
      Value root = complex::SqrtOp::create(b, loc, complex::AddOp::create(b, loc, complex::MulOp::create(b, loc, w, w), one));
      return complex::LogOp::create(b, loc, complex::AddOp::create(b, loc, w, root));
    };
    auto atanh = [&](Value w) -> Value {
      Value up = complex::LogOp::create(b, loc, complex::AddOp::create(b, loc, one, w));
      Value down = complex::LogOp::create(b, loc, complex::SubOp::create(b, loc, one, w));
      return complex::MulOp::create(b, loc, complex::SubOp::create(b, loc, up, down), constant(0.5, 0.0));
    };
    if (name == "asinh")
      return asinh(z);
    if (name == "atanh")
      return atanh(z);
    if (name == "acosh") {
      Value root = complex::MulOp::create(b, loc, complex::SqrtOp::create(b, loc, complex::AddOp::create(b, loc, z, one)),
                                            complex::SqrtOp::create(b, loc, complex::SubOp::create(b, loc, z, one)));
      return complex::LogOp::create(b, loc, complex::AddOp::create(b, loc, z, root));
    }
    Value iz = complex::MulOp::create(b, loc, i, z);
    if (name == "atan")
      return complex::MulOp::create(b, loc, minusI, atanh(iz));
    Value asin = complex::MulOp::create(b, loc, minusI, asinh(iz));
    if (name == "asin")
      return asin;
    return complex::SubOp::create(b, loc, constant(std::numbers::pi / 2, 0.0), asin);
  }
  if (name == "exp")
    return complex::ExpOp::create(b, loc, z);
  if (name == "log")
    return complex::LogOp::create(b, loc, z);
  if (name == "log10") {
    Value ln10 = complex::CreateOp::create(b, loc, type, floatConstant(b, loc, part, std::log(10.0)), floatConstant(b, loc, part, 0.0));
    return complex::DivOp::create(b, loc, complex::LogOp::create(b, loc, z), ln10);
  }
  if (name == "sin")
    return complex::SinOp::create(b, loc, z);
  if (name == "cos")
    return complex::CosOp::create(b, loc, z);
  if (name == "tan")
    return complex::TanOp::create(b, loc, z);
  if (name == "tanh")
    return complex::TanhOp::create(b, loc, z);
  // sinh z = -i sin(iz), cosh z = cos(iz): exact rotations, no cancellation.
  Value iz = complex::CreateOp::create(b, loc, type, arith::NegFOp::create(b, loc, im()), re());
  if (name == "cosh")
    return complex::CosOp::create(b, loc, iz);
  Value s = complex::SinOp::create(b, loc, iz); // sinh
  Value sre = complex::ReOp::create(b, loc, s), sim = complex::ImOp::create(b, loc, s);
  return complex::CreateOp::create(b, loc, type, sim, arith::NegFOp::create(b, loc, sre));
}
