// py-to-std for complex numbers: Python's complex (complex<f64>) and NumPy's complex64 and
// complex128 elements become complex dialect ops (convert-complex-to-standard lowers them
// later); cmath functions the complex dialect lacks are composed from those it has.
#include "Lowering.h"
#include "llvm/ADT/StringSwitch.h"

#include <numbers>

#include "mlir/Dialect/Complex/IR/Complex.h"

using namespace mlir;
using namespace mlir::py;

namespace {
Value floatConstant(OpBuilder &b, Location loc, Type t, double v) {
  return b.create<arith::ConstantOp>(loc, t, b.getFloatAttr(t, v));
}
} // namespace

Value mlir::py::complexFrom(OpBuilder &b, Location loc, Value x, Type fromPy, ComplexType to) {
  Type part = to.getElementType();
  if (auto from = llvm::dyn_cast<ComplexType>(fromPy)) {
    if (from == to)
      return x;
    Value re = b.create<complex::ReOp>(loc, x), im = b.create<complex::ImOp>(loc, x);
    return b.create<complex::CreateOp>(loc, to, convertElement(b, loc, re, from.getElementType(), part),
                                       convertElement(b, loc, im, from.getElementType(), part));
  }
  return b.create<complex::CreateOp>(loc, to, convertElement(b, loc, x, fromPy, part),
                                     floatConstant(b, loc, part, 0.0));
}

Value mlir::py::complexTruth(OpBuilder &b, Location loc, Value z) {
  Type part = llvm::cast<ComplexType>(z.getType()).getElementType();
  Value zero = floatConstant(b, loc, part, 0.0);
  auto nonzero = [&](Value v) { return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNE, v, zero); };
  return b.create<arith::OrIOp>(loc, nonzero(b.create<complex::ReOp>(loc, z)), nonzero(b.create<complex::ImOp>(loc, z)));
}

Value mlir::py::complexBinary(OpBuilder &b, Location loc, StringRef kind, Value x, Value y) {
  if (kind == "add")
    return b.create<complex::AddOp>(loc, x, y);
  if (kind == "sub")
    return b.create<complex::SubOp>(loc, x, y);
  if (kind == "mul")
    return b.create<complex::MulOp>(loc, x, y);
  if (kind == "truediv")
    return b.create<complex::DivOp>(loc, x, y);
  return b.create<complex::PowOp>(loc, x, y); // pow
}

Value mlir::py::pythonComplexDivide(OpBuilder &b, Location loc, Value x, Value y) {
  // CPython's complex division (Smith's method, no recovery of infinities: what it gives at
  // inf and nan operands is what Python code sees). y is nonzero (checked by the caller).
  auto type = llvm::cast<ComplexType>(x.getType());
  Value a = b.create<complex::ReOp>(loc, x), c = b.create<complex::ImOp>(loc, x);
  Value re = b.create<complex::ReOp>(loc, y), im = b.create<complex::ImOp>(loc, y);
  auto mul = [&](Value p, Value q) { return b.create<arith::MulFOp>(loc, p, q).getResult(); };
  auto add = [&](Value p, Value q) { return b.create<arith::AddFOp>(loc, p, q).getResult(); };
  auto sub = [&](Value p, Value q) { return b.create<arith::SubFOp>(loc, p, q).getResult(); };
  auto div = [&](Value p, Value q) { return b.create<arith::DivFOp>(loc, p, q).getResult(); };
  Value absRe = b.create<math::AbsFOp>(loc, re), absIm = b.create<math::AbsFOp>(loc, im);
  // |re| >= |im|: divide through by re
  Value r1 = div(im, re), d1 = add(re, mul(im, r1));
  Value x1 = div(add(a, mul(c, r1)), d1), y1 = div(sub(c, mul(a, r1)), d1);
  // |im| > |re|: divide through by im
  Value r2 = div(re, im), d2 = add(mul(re, r2), im);
  Value x2 = div(add(mul(a, r2), c), d2), y2 = div(sub(mul(c, r2), a), d2);
  Value byRe = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGE, absRe, absIm);
  Value byIm = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGE, absIm, absRe);
  Value nan = floatConstant(b, loc, type.getElementType(), std::nan(""));
  Value outRe = b.create<arith::SelectOp>(loc, byRe, x1, b.create<arith::SelectOp>(loc, byIm, x2, nan));
  Value outIm = b.create<arith::SelectOp>(loc, byRe, y1, b.create<arith::SelectOp>(loc, byIm, y2, nan));
  return b.create<complex::CreateOp>(loc, type, outRe, outIm);
}

Value mlir::py::complexCompare(OpBuilder &b, Location loc, StringRef predicate, Value x, Value y) {
  if (predicate == "eq")
    return b.create<complex::EqualOp>(loc, x, y);
  if (predicate == "ne")
    return b.create<complex::NotEqualOp>(loc, x, y);
  // NumPy orders complex numbers by their real parts, then their imaginary parts (ordered
  // float comparisons: a nan part compares false).
  bool less = predicate == "lt" || predicate == "le";
  Value xr = b.create<complex::ReOp>(loc, x), xi = b.create<complex::ImOp>(loc, x);
  Value yr = b.create<complex::ReOp>(loc, y), yi = b.create<complex::ImOp>(loc, y);
  auto cmp = [&](arith::CmpFPredicate p, Value l, Value r) { return b.create<arith::CmpFOp>(loc, p, l, r).getResult(); };
  Value realFirst = cmp(less ? arith::CmpFPredicate::OLT : arith::CmpFPredicate::OGT, xr, yr);
  arith::CmpFPredicate onImag = predicate == "lt"   ? arith::CmpFPredicate::OLT
                                : predicate == "le" ? arith::CmpFPredicate::OLE
                                : predicate == "gt" ? arith::CmpFPredicate::OGT
                                                    : arith::CmpFPredicate::OGE;
  Value tie = b.create<arith::AndIOp>(loc, cmp(arith::CmpFPredicate::OEQ, xr, yr), cmp(onImag, xi, yi));
  return b.create<arith::OrIOp>(loc, realFirst, tie);
}

Value mlir::py::complexUnary(OpBuilder &b, Location loc, StringRef name, Value z) {
  auto type = llvm::cast<ComplexType>(z.getType());
  Type part = type.getElementType();
  auto re = [&]() -> Value { return b.create<complex::ReOp>(loc, z); };
  auto im = [&]() -> Value { return b.create<complex::ImOp>(loc, z); };
  // NumPy's names of the inverse functions are cmath's with "arc".
  name = llvm::StringSwitch<StringRef>(name)
             .Case("arcsin", "asin").Case("arccos", "acos").Case("arctan", "atan")
             .Case("arcsinh", "asinh").Case("arccosh", "acosh").Case("arctanh", "atanh")
             .Default(name);
  auto scalar = [&](double v) { return numberConstant(b, loc, type, v); }; // v + 0j
  if (name == "logical_not")
    return b.create<arith::XOrIOp>(loc, complexTruth(b, loc, z), b.create<arith::ConstantOp>(loc, b.getI1Type(), b.getBoolAttr(true)));
  if (name == "sinh" || name == "cosh") { // (e^z -+ e^-z) / 2
    Value up = b.create<complex::ExpOp>(loc, z), down = b.create<complex::ExpOp>(loc, b.create<complex::NegOp>(loc, z));
    Value sum = name == "sinh" ? b.create<complex::SubOp>(loc, up, down).getResult()
                               : b.create<complex::AddOp>(loc, up, down).getResult();
    return b.create<complex::MulOp>(loc, sum, scalar(0.5));
  }
  if (name == "exp2")
    return b.create<complex::ExpOp>(loc, b.create<complex::MulOp>(loc, z, scalar(std::numbers::ln2)));
  if (name == "expm1")
    return b.create<complex::Expm1Op>(loc, z);
  if (name == "log1p")
    return b.create<complex::Log1pOp>(loc, z);
  if (name == "log2")
    return b.create<complex::DivOp>(loc, b.create<complex::LogOp>(loc, z), scalar(std::numbers::ln2));
  if (name == "isnan" || name == "isinf" || name == "isfinite") {
    auto test = [&](Value v) -> Value {
      if (name == "isnan")
        return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNO, v, v);
      Value mag = b.create<math::AbsFOp>(loc, v);
      Value inf = floatConstant(b, loc, part, std::numeric_limits<double>::infinity());
      return b.create<arith::CmpFOp>(loc, name == "isinf" ? arith::CmpFPredicate::OEQ : arith::CmpFPredicate::OLT, mag, inf);
    };
    if (name == "isfinite")
      return b.create<arith::AndIOp>(loc, test(re()), test(im()));
    return b.create<arith::OrIOp>(loc, test(re()), test(im()));
  }
  if (name == "abs" || name == "absolute")
    return b.create<complex::AbsOp>(loc, z);
  if (name == "phase")
    return b.create<complex::AngleOp>(loc, z);
  if (name == "real")
    return re();
  if (name == "imag")
    return im();
  if (name == "negative" || name == "neg")
    return b.create<complex::NegOp>(loc, z);
  if (name == "positive" || name == "pos")
    return z;
  if (name == "conj" || name == "conjugate")
    return b.create<complex::ConjOp>(loc, z);
  if (name == "square")
    return b.create<complex::MulOp>(loc, z, z);
  if (name == "reciprocal")
    return b.create<complex::DivOp>(loc, scalar(1.0), z);
  if (name == "sqrt")
    return b.create<complex::SqrtOp>(loc, z);
  // Inverse trigonometric and hyperbolic functions by their logarithm forms (the principal
  // branches, as cmath's): asinh z = log(z + sqrt(z^2 + 1)), acosh z = log(z + sqrt(z + 1)
  // sqrt(z - 1)), atanh z = (log(1 + z) - log(1 - z)) / 2, asin z = -i asinh(iz),
  // atan z = -i atanh(iz), acos z = pi/2 - asin z.
  if (llvm::is_contained({"asinh", "acosh", "atanh", "asin", "acos", "atan"}, name)) {
    auto constant = [&](double re, double im) -> Value {
      return b.create<complex::CreateOp>(loc, type, floatConstant(b, loc, part, re), floatConstant(b, loc, part, im));
    };
    Value one = constant(1.0, 0.0), i = constant(0.0, 1.0), minusI = constant(0.0, -1.0);
    auto asinh = [&](Value w) -> Value {
      Value root = b.create<complex::SqrtOp>(loc, b.create<complex::AddOp>(loc, b.create<complex::MulOp>(loc, w, w), one));
      return b.create<complex::LogOp>(loc, b.create<complex::AddOp>(loc, w, root));
    };
    auto atanh = [&](Value w) -> Value {
      Value up = b.create<complex::LogOp>(loc, b.create<complex::AddOp>(loc, one, w));
      Value down = b.create<complex::LogOp>(loc, b.create<complex::SubOp>(loc, one, w));
      return b.create<complex::MulOp>(loc, b.create<complex::SubOp>(loc, up, down), constant(0.5, 0.0));
    };
    if (name == "asinh")
      return asinh(z);
    if (name == "atanh")
      return atanh(z);
    if (name == "acosh") {
      Value root = b.create<complex::MulOp>(loc, b.create<complex::SqrtOp>(loc, b.create<complex::AddOp>(loc, z, one)),
                                            b.create<complex::SqrtOp>(loc, b.create<complex::SubOp>(loc, z, one)));
      return b.create<complex::LogOp>(loc, b.create<complex::AddOp>(loc, z, root));
    }
    Value iz = b.create<complex::MulOp>(loc, i, z);
    if (name == "atan")
      return b.create<complex::MulOp>(loc, minusI, atanh(iz));
    Value asin = b.create<complex::MulOp>(loc, minusI, asinh(iz));
    if (name == "asin")
      return asin;
    return b.create<complex::SubOp>(loc, constant(std::numbers::pi / 2, 0.0), asin);
  }
  if (name == "exp")
    return b.create<complex::ExpOp>(loc, z);
  if (name == "log")
    return b.create<complex::LogOp>(loc, z);
  if (name == "log10") {
    Value ln10 = b.create<complex::CreateOp>(loc, type, floatConstant(b, loc, part, std::log(10.0)), floatConstant(b, loc, part, 0.0));
    return b.create<complex::DivOp>(loc, b.create<complex::LogOp>(loc, z), ln10);
  }
  if (name == "sin")
    return b.create<complex::SinOp>(loc, z);
  if (name == "cos")
    return b.create<complex::CosOp>(loc, z);
  if (name == "tan")
    return b.create<complex::TanOp>(loc, z);
  if (name == "tanh")
    return b.create<complex::TanhOp>(loc, z);
  // sinh z = -i sin(iz), cosh z = cos(iz): exact rotations, no cancellation.
  Value iz = b.create<complex::CreateOp>(loc, type, b.create<arith::NegFOp>(loc, im()), re());
  if (name == "cosh")
    return b.create<complex::CosOp>(loc, iz);
  Value s = b.create<complex::SinOp>(loc, iz); // sinh
  Value sre = b.create<complex::ReOp>(loc, s), sim = b.create<complex::ImOp>(loc, s);
  return b.create<complex::CreateOp>(loc, type, sim, b.create<arith::NegFOp>(loc, sre));
}

/// abs(z) of a scalar as CPython's: hypot, which is inf where either part is (MLIR's
/// complex.abs gives nan there).
Value FunctionLowering::complexModulus(Location loc, Value z) {
  Value parts[2] = {b.create<complex::ReOp>(loc, z), b.create<complex::ImOp>(loc, z)};
  return callExternal(b, loc, symbols, "hypot", parts, f64());
}

/// complex(...) and cmath.* on scalars: the lowered result values.
FailureOr<SmallVector<Value>> FunctionLowering::lowerComplexCall(CallBuiltinOp op) {
  Location loc = op.getLoc();
  StringRef name = op.getCallee();
  SmallVector<Value> args = lowered(op.getArgs());
  SmallVector<Type> argPy(op.getArgs().getTypes());
  auto c128 = ComplexType::get(f64());
  auto asComplex = [&](size_t i) { return complexFrom(b, loc, args[i], argPy[i], c128); };
  if (name == "complex" && llvm::any_of(argPy, isComplex)) {
    // complex(z, w) = z + w * 1j, as Python computes it for complex arguments
    Value z = asComplex(0);
    if (args.size() == 1)
      return SmallVector<Value>{z};
    Value w = asComplex(1);
    Value re = b.create<arith::SubFOp>(loc, b.create<complex::ReOp>(loc, z), b.create<complex::ImOp>(loc, w));
    Value im = b.create<arith::AddFOp>(loc, b.create<complex::ImOp>(loc, z), b.create<complex::ReOp>(loc, w));
    return SmallVector<Value>{b.create<complex::CreateOp>(loc, c128, re, im)};
  }
  if (name == "complex") {
    Value re = args.size() > 0 ? convertElement(b, loc, args[0], argPy[0], f64()) : cF64(loc, 0.0);
    Value im = args.size() > 1 ? convertElement(b, loc, args[1], argPy[1], f64()) : cF64(loc, 0.0);
    return SmallVector<Value>{b.create<complex::CreateOp>(loc, c128, re, im)};
  }
  name.consume_front("cmath.");
  if (name == "isclose")
    return SmallVector<Value>{isClose(op, args)};
  if (name == "rect") {
    Value r = convertElement(b, loc, args[0], argPy[0], f64()), phi = convertElement(b, loc, args[1], argPy[1], f64());
    return SmallVector<Value>{b.create<complex::CreateOp>(loc, c128, b.create<arith::MulFOp>(loc, r, b.create<math::CosOp>(loc, phi)),
                                                          b.create<arith::MulFOp>(loc, r, b.create<math::SinOp>(loc, phi)))};
  }
  Value z = asComplex(0);
  // C99's complex functions (glibc's follow its Annex G at infinities, nans and signed
  // zeros, as CPython's cmath does; MLIR's complex lowering does not). A C complex is
  // two doubles in, two out.
  auto c99 = [&](StringRef f, Value w) -> Value {
    Value parts[2] = {b.create<complex::ReOp>(loc, w), b.create<complex::ImOp>(loc, w)};
    ValueRange out = callExternal(b, loc, symbols, f, parts, TypeRange{f64(), f64()});
    return b.create<complex::CreateOp>(loc, c128, out[0], out[1]);
  };
  if (llvm::is_contained({"sqrt", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "asin", "acos", "atan",
                          "asinh", "acosh", "atanh"},
                         name))
    return SmallVector<Value>{c99(("c" + name).str(), z)};
  if (name == "polar")
    return SmallVector<Value>{complexModulus(loc, z), b.create<complex::AngleOp>(loc, z)};
  if (name == "log" || name == "log10") {
    // log(z, base) = log(z) / log(base); log10 divides each part by ln 10, as CPython does
    Value log = c99("clog", z);
    if (args.size() == 2)
      return SmallVector<Value>{complexBinary(b, loc, "truediv", log, c99("clog", asComplex(1)))};
    if (name == "log")
      return SmallVector<Value>{log};
    Value ln10 = cF64(loc, std::log(10.0));
    return SmallVector<Value>{b.create<complex::CreateOp>(
        loc, c128, b.create<arith::DivFOp>(loc, b.create<complex::ReOp>(loc, log), ln10),
        b.create<arith::DivFOp>(loc, b.create<complex::ImOp>(loc, log), ln10))};
  }
  return SmallVector<Value>{complexUnary(b, loc, name, z)};
}
