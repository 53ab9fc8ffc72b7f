// py-to-std, one element at a time: NumPy's operators, comparisons and ufuncs on single
// elements of every dtype (the bodies of linalg.generic ops and of reduction loops), as
// functions that build them later (ElementFn), inside whatever loop computes them.
#include "FunctionLowering.h"
#include "ElementOps.h"
#include "numlir/Dialect/Py/Transforms/ArrayTypeRules.h"

#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;
using namespace mlir::py;

namespace mlir::py {
/// The symbol table of the module being lowered: element bodies are built inside ops that
/// do not exist yet (a linalg.generic's region), so they cannot find it through their
/// parents, and the scalar lowering declares into the same table.
SymbolTable *currentSymbols = nullptr;

/// The constant `v` as an element of py type `t`.
Value elementConstant(OpBuilder &b, Location loc, int64_t v, Type t) {
  Value i = arith::ConstantOp::create(b, loc, b.getI64Type(), b.getI64IntegerAttr(v));
  return convertElement(b, loc, i, b.getI64Type(), t);
}

bool isUnsignedElement(Type e) {
  auto i = llvm::dyn_cast<IntegerType>(e);
  return i && i.isUnsigned();
}

/// A binary operator on two elements of py element type `t` (already converted), NumPy style.
static Value elementBinary(OpBuilder &b, Location loc, StringRef kind, Value x, Value y, Type t) {
  Type st = storageType(t);
  if (llvm::isa<ComplexType>(t))
    return complexBinary(b, loc, kind, x, y);
  if (llvm::isa<FloatType>(t)) {
    if (kind == "add") return arith::AddFOp::create(b, loc, x, y);
    if (kind == "sub") return arith::SubFOp::create(b, loc, x, y);
    if (kind == "mul") return arith::MulFOp::create(b, loc, x, y);
    if (kind == "truediv") return arith::DivFOp::create(b, loc, x, y);
    if (kind == "pow") return math::PowFOp::create(b, loc, x, y);
    Value zero = arith::ConstantOp::create(b, loc, st, b.getFloatAttr(st, 0.0));
    Value r = arith::RemFOp::create(b, loc, x, y);
    // The remainder takes the divisor's sign (Python and NumPy).
    Value rNeg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, r, zero);
    Value yNeg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, y, zero);
    Value rNonzero = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, r, zero);
    Value fix = arith::AndIOp::create(b, loc, rNonzero, arith::XOrIOp::create(b, loc, rNeg, yNeg));
    if (kind == "mod")
      return arith::SelectOp::create(b, loc, fix, arith::AddFOp::create(b, loc, r, y), r);
    // floordiv: (x - mod) / y, rounded
    Value mod = arith::SelectOp::create(b, loc, fix, arith::AddFOp::create(b, loc, r, y), r);
    Value q = arith::DivFOp::create(b, loc, arith::SubFOp::create(b, loc, x, mod), y);
    Value fl = math::RoundOp::create(b, loc, q);
    Value yZero = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, y, zero);
    return arith::SelectOp::create(b, loc, yZero, arith::DivFOp::create(b, loc, x, y), fl);
  }
  bool isBoolT = t.isInteger(1), uns = isUnsignedElement(t);
  if (kind == "and" || (isBoolT && kind == "mul")) return arith::AndIOp::create(b, loc, x, y);
  if (kind == "or" || (isBoolT && kind == "add")) return arith::OrIOp::create(b, loc, x, y);
  if (kind == "xor") return arith::XOrIOp::create(b, loc, x, y);
  if (kind == "add") return arith::AddIOp::create(b, loc, x, y);
  if (kind == "sub") return arith::SubIOp::create(b, loc, x, y);
  if (kind == "mul") return arith::MulIOp::create(b, loc, x, y);
  if (kind == "pow") return math::IPowIOp::create(b, loc, x, y);
  if (kind == "lshift" || kind == "rshift") {
    // Shifts by the width or more, or by a negative amount, are NumPy's 0 (or -1 for a
    // negative signed value shifted right), not LLVM's poison.
    Value width = arith::ConstantOp::create(b, loc, st, b.getIntegerAttr(st, st.getIntOrFloatBitWidth()));
    Value zero = arith::ConstantOp::create(b, loc, st, b.getIntegerAttr(st, 0));
    Value outside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, y, width);
    Value safe = arith::SelectOp::create(b, loc, outside, zero, y);
    if (kind == "lshift")
      return arith::SelectOp::create(b, loc, outside, zero, arith::ShLIOp::create(b, loc, x, safe));
    if (uns)
      return arith::SelectOp::create(b, loc, outside, zero, arith::ShRUIOp::create(b, loc, x, safe));
    Value fill = arith::ShRSIOp::create(b, loc, x, arith::SubIOp::create(b, loc, width, arith::ConstantOp::create(b, loc, st, b.getIntegerAttr(st, 1))));
    return arith::SelectOp::create(b, loc, outside, fill, arith::ShRSIOp::create(b, loc, x, safe));
  }
  // floordiv and mod: NumPy gives 0 for a zero divisor; a safe divisor avoids the trap.
  Value zero = arith::ConstantOp::create(b, loc, st, b.getIntegerAttr(st, 0));
  Value one = arith::ConstantOp::create(b, loc, st, b.getIntegerAttr(st, 1));
  Value yZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, y, zero);
  Value safe = arith::SelectOp::create(b, loc, yZero, one, y);
  Value r;
  if (uns)
    r = kind == "floordiv" ? arith::DivUIOp::create(b, loc, x, safe).getResult()
                           : arith::RemUIOp::create(b, loc, x, safe).getResult();
  else
    r = kind == "floordiv" ? arith::FloorDivSIOp::create(b, loc, x, safe).getResult()
                           : [&]() -> Value {
                               Value rem = arith::RemSIOp::create(b, loc, x, safe);
                               Value fix = arith::AndIOp::create(b, 
                                   loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, rem, zero),
                                   arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                                           arith::XOrIOp::create(b, loc, rem, safe), zero));
                               return arith::SelectOp::create(b, loc, fix, arith::AddIOp::create(b, loc, rem, safe), rem);
                             }();
  return arith::SelectOp::create(b, loc, yZero, zero, r);
}

Value elementCompare(OpBuilder &b, Location loc, StringRef p, Value x, Value y, Type t) {
  if (llvm::isa<ComplexType>(t))
    return complexCompare(b, loc, p, x, y);
  if (llvm::isa<FloatType>(t))
    return arith::CmpFOp::create(b, loc, floatPredicate(p), x, y);
  arith::CmpIPredicate pred = intPredicate(p);
  if (isUnsignedElement(t) || t.isInteger(1)) {
    pred = llvm::StringSwitch<arith::CmpIPredicate>(p)
               .Case("lt", arith::CmpIPredicate::ult).Case("le", arith::CmpIPredicate::ule)
               .Case("gt", arith::CmpIPredicate::ugt).Case("ge", arith::CmpIPredicate::uge)
               .Default(pred);
  }
  return arith::CmpIOp::create(b, loc, pred, x, y);
}

/// A unary ufunc on an element of py type `t` giving py type `r`.
static Value elementUnary(OpBuilder &b, Location loc, StringRef name, Value x, Type t, Type r) {
  Type st = storageType(r);
  if (llvm::isa<ComplexType>(t))
    return complexUnary(b, loc, name, x);
  // The complex ufuncs on real elements: the value itself, or a zero imaginary part.
  if (name == "real" || name == "conj" || name == "conjugate")
    return x;
  if (name == "imag")
    return elementConstant(b, loc, 0, r);
  if (name == "isnan" || name == "isinf" || name == "isfinite") {
    if (!llvm::isa<FloatType>(t))
      return arith::ConstantOp::create(b, loc, b.getI1Type(), b.getBoolAttr(name == "isfinite"));
    if (name == "isnan")
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
    Value inf = arith::ConstantOp::create(b, loc, x.getType(),
                                            b.getFloatAttr(x.getType(), std::numeric_limits<double>::infinity()));
    Value mag = math::AbsFOp::create(b, loc, x);
    return arith::CmpFOp::create(b, loc, name == "isinf" ? arith::CmpFPredicate::OEQ : arith::CmpFPredicate::OLT, mag, inf);
  }
  if (name == "signbit") {
    if (!llvm::isa<FloatType>(t)) // ints: below zero
      return isUnsignedElement(t) || t.isInteger(1)
                 ? arith::ConstantOp::create(b, loc, b.getI1Type(), b.getBoolAttr(false)).getResult()
                 : arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, elementConstant(b, loc, 0, t)).getResult();
    // the sign bit itself: true for -0.0 and negative NaNs too
    auto bits = IntegerType::get(b.getContext(), x.getType().getIntOrFloatBitWidth());
    Value asInt = arith::BitcastOp::create(b, loc, bits, x);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, asInt,
                                   arith::ConstantOp::create(b, loc, bits, b.getIntegerAttr(bits, 0)));
  }
  if (name == "_frexp_mantissa" || name == "_frexp_exponent") { // np.frexp's two results
    Value wide = convertElement(b, loc, x, t, b.getF64Type());
    Value e = callExternal(b, loc, *currentSymbols, "numlir_frexp_exponent", {wide}, b.getI64Type());
    if (name == "_frexp_exponent")
      return arith::TruncIOp::create(b, loc, b.getI32Type(), e);
    Value minusE = arith::SubIOp::create(b, loc, arith::ConstantOp::create(b, loc, b.getI64Type(), b.getI64IntegerAttr(0)), e);
    Value m = callExternal(b, loc, *currentSymbols, "ldexp", {wide, arith::TruncIOp::create(b, loc, b.getI32Type(), minusE)}, b.getF64Type());
    return convertElement(b, loc, m, b.getF64Type(), r);
  }
  if (name == "logical_not")
    return arith::XOrIOp::create(b, loc, convertElement(b, loc, x, t, b.getI1Type()),
                                   arith::ConstantOp::create(b, loc, b.getI1Type(), b.getBoolAttr(true)));
  x = convertElement(b, loc, x, t, r);
  if (llvm::isa<ComplexType>(r)) // a real input computed as complex (dtype=complex64)
    return complexUnary(b, loc, name, x);
  bool fl = llvm::isa<FloatType>(r);
  if (name == "reciprocal" && !fl) {
    // NumPy computes 1.0 / x and converts it: 1, -1 or 0, and for 0 the conversion of inf,
    // which x86 makes the minimum of int32 and int64 (0 in the types converted through a
    // wider one and truncated).
    bool isSigned = !isUnsignedElement(r);
    Value one = arith::ConstantOp::create(b, loc, st, b.getIntegerAttr(st, 1));
    Value zero = arith::ConstantOp::create(b, loc, st, b.getIntegerAttr(st, 0));
    Value isZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, zero);
    Value safe = arith::SelectOp::create(b, loc, isZero, one, x);
    Value q = isSigned ? arith::DivSIOp::create(b, loc, one, safe).getResult() : arith::DivUIOp::create(b, loc, one, safe).getResult();
    unsigned width = st.getIntOrFloatBitWidth();
    APInt atZero = isSigned && width >= 32 ? APInt::getSignedMinValue(width) : APInt(width, 0);
    return arith::SelectOp::create(b, loc, isZero, arith::ConstantOp::create(b, loc, st, b.getIntegerAttr(st, atZero)), q);
  }
  if (name == "negative")
    return fl ? arith::NegFOp::create(b, loc, x).getResult()
              : arith::SubIOp::create(b, loc, arith::ConstantOp::create(b, loc, st, b.getIntegerAttr(st, 0)), x).getResult();
  if (name == "positive")
    return x;
  if (name == "square")
    return fl ? arith::MulFOp::create(b, loc, x, x).getResult() : arith::MulIOp::create(b, loc, x, x).getResult();
  if (name == "abs" || name == "absolute") {
    if (fl)
      return math::AbsFOp::create(b, loc, x);
    return isUnsignedElement(r) || r.isInteger(1) ? x : math::AbsIOp::create(b, loc, x).getResult();
  }
  if (name == "sign") {
    if (fl) {
      Value zero = arith::ConstantOp::create(b, loc, st, b.getFloatAttr(st, 0.0));
      Value pos = arith::UIToFPOp::create(b, loc, st, arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, zero));
      Value neg = arith::UIToFPOp::create(b, loc, st, arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, zero));
      Value s = arith::SubFOp::create(b, loc, pos, neg);
      Value nan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
      return arith::SelectOp::create(b, loc, nan, x, s);
    }
    Value zero = arith::ConstantOp::create(b, loc, st, b.getIntegerAttr(st, 0));
    Value pos = arith::ExtUIOp::create(b, loc, st, arith::CmpIOp::create(b, loc, isUnsignedElement(r) ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt, x, zero));
    Value neg = arith::ExtUIOp::create(b, loc, st, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, zero));
    return arith::SubIOp::create(b, loc, pos, isUnsignedElement(r) ? zero : neg);
  }
  if (name == "invert" || name == "bitwise_not")
    return arith::XOrIOp::create(b, loc, x, arith::ConstantOp::create(b, loc, st, b.getIntegerAttr(st, -1)));
  if (!fl)
    return x; // floor/ceil/trunc/rint of ints
#define UNARY(pyname, Op)                                                                        \
  if (name == pyname)                                                                            \
    return math::Op::create(b, loc, x).getResult();
  if (name == "expm1" || name == "log1p") // libm: LLVM lowers these as exp(x)-1 / log(1+x), inexact near 0
    return callExternal(b, loc, *currentSymbols, name.str() + (x.getType().isF32() ? "f" : ""), {x}, x.getType());
  if (name == "spacing") { // the distance to the next float away from zero, signed like x
    Value inf = arith::ConstantOp::create(b, loc, st, b.getFloatAttr(st, std::numeric_limits<double>::infinity()));
    Value zero = arith::ConstantOp::create(b, loc, st, b.getFloatAttr(st, 0.0));
    Value isZero = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x, zero); // -0.0 too: up, as NumPy
    Value away = arith::SelectOp::create(b, loc, isZero, inf, math::CopySignOp::create(b, loc, inf, x));
    Value next = callExternal(b, loc, *currentSymbols, x.getType().isF32() ? "nextafterf" : "nextafter", {x, away}, x.getType());
    return arith::SubFOp::create(b, loc, next, x);
  }
  if (name == "_modf_whole") // np.modf's second result
    return math::TruncOp::create(b, loc, x);
  if (name == "_modf_fraction") { // np.modf's first: x's sign, 0 for infinities
    Value frac = arith::SubFOp::create(b, loc, x, math::TruncOp::create(b, loc, x));
    Value inf = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, math::AbsFOp::create(b, loc, x),
                                        arith::ConstantOp::create(b, loc, st, b.getFloatAttr(st, std::numeric_limits<double>::infinity())));
    frac = arith::SelectOp::create(b, loc, inf, arith::ConstantOp::create(b, loc, st, b.getFloatAttr(st, 0.0)), frac);
    return math::CopySignOp::create(b, loc, frac, x);
  }
  UNARY("sqrt", SqrtOp) UNARY("exp", ExpOp) UNARY("log", LogOp) UNARY("log2", Log2Op)
  UNARY("log10", Log10Op) UNARY("sin", SinOp)
  UNARY("cos", CosOp) UNARY("tan", TanOp) UNARY("arcsin", AsinOp) UNARY("arccos", AcosOp)
  UNARY("arctan", AtanOp) UNARY("sinh", SinhOp) UNARY("cosh", CoshOp) UNARY("tanh", TanhOp)
  UNARY("floor", FloorOp) UNARY("ceil", CeilOp) UNARY("trunc", TruncOp) UNARY("rint", RoundEvenOp)
  UNARY("exp2", Exp2Op) UNARY("cbrt", CbrtOp) UNARY("arcsinh", AsinhOp) UNARY("arccosh", AcoshOp)
  UNARY("arctanh", AtanhOp) UNARY("fabs", AbsFOp)
#undef UNARY
  if (name == "deg2rad" || name == "radians" || name == "rad2deg" || name == "degrees") {
    bool toRadians = name == "deg2rad" || name == "radians";
    double factor = toRadians ? std::numbers::pi / 180.0 : 180.0 / std::numbers::pi;
    return arith::MulFOp::create(b, loc, x, arith::ConstantOp::create(b, loc, st, b.getFloatAttr(st, factor)));
  }
  if (name == "reciprocal")
    return arith::DivFOp::create(b, loc, arith::ConstantOp::create(b, loc, st, b.getFloatAttr(st, 1.0)), x);
  return {};
}

/// A binary ufunc on elements already converted to the result's compute type `t`.
static Value elementBinaryUfunc(OpBuilder &b, Location loc, StringRef name, Value x, Value y, Type t) {
  bool fl = llvm::isa<FloatType>(t);
  if (name == "add") return elementBinary(b, loc, "add", x, y, t);
  if (name == "subtract") return elementBinary(b, loc, "sub", x, y, t);
  if (name == "multiply") return elementBinary(b, loc, "mul", x, y, t);
  if (name == "divide" || name == "true_divide") return elementBinary(b, loc, "truediv", x, y, t);
  if (name == "power") return elementBinary(b, loc, "pow", x, y, t);
  if (name == "arctan2") return math::Atan2Op::create(b, loc, x, y);
  if (name == "hypot") {
    Value ax = math::AbsFOp::create(b, loc, x), ay = math::AbsFOp::create(b, loc, y);
    Value big = arith::MaximumFOp::create(b, loc, ax, ay), small = arith::MinimumFOp::create(b, loc, ax, ay);
    Value zero = arith::ConstantOp::create(b, loc, x.getType(), b.getFloatAttr(x.getType(), 0.0));
    Value one = arith::ConstantOp::create(b, loc, x.getType(), b.getFloatAttr(x.getType(), 1.0));
    Value ratio = arith::DivFOp::create(b, loc, small, big);
    Value h = arith::MulFOp::create(b, loc, big, math::SqrtOp::create(b, loc, arith::AddFOp::create(b, loc, one, arith::MulFOp::create(b, loc, ratio, ratio))));
    Value bigZero = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, big, zero);
    Value inf = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, big,
                                        arith::ConstantOp::create(b, loc, x.getType(), b.getFloatAttr(x.getType(), std::numeric_limits<double>::infinity())));
    return arith::SelectOp::create(b, loc, arith::OrIOp::create(b, loc, bigZero, inf), big, h);
  }
  if (name == "floor_divide") return elementBinary(b, loc, "floordiv", x, y, t);
  if (name == "remainder" || name == "mod") return elementBinary(b, loc, "mod", x, y, t);
  if (name == "bitwise_and") return elementBinary(b, loc, "and", x, y, t);
  if (name == "bitwise_or") return elementBinary(b, loc, "or", x, y, t);
  if (name == "bitwise_xor") return elementBinary(b, loc, "xor", x, y, t);
  if (name == "left_shift") return elementBinary(b, loc, "lshift", x, y, t);
  if (name == "right_shift") return elementBinary(b, loc, "rshift", x, y, t);
  if (name == "float_power") return elementBinary(b, loc, "pow", x, y, t);
  if (name == "fmod") {
    if (fl)
      return arith::RemFOp::create(b, loc, x, y);
    // C's remainder (the dividend's sign); NumPy gives 0 for a zero divisor.
    Value zero = elementConstant(b, loc, 0, t), one = elementConstant(b, loc, 1, t);
    Value yZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, y, zero);
    Value safe = arith::SelectOp::create(b, loc, yZero, one, y);
    Value r = isUnsignedElement(t) ? arith::RemUIOp::create(b, loc, x, safe).getResult() : arith::RemSIOp::create(b, loc, x, safe).getResult();
    return arith::SelectOp::create(b, loc, yZero, zero, r);
  }
  if (name == "copysign") return math::CopySignOp::create(b, loc, x, y);
  if (name == "logaddexp" || name == "logaddexp2") {
    // max + log(1 + base**-(|x - y|)): no overflow for large inputs; equal infinities stay.
    bool two = name == "logaddexp2";
    Value big = arith::MaximumFOp::create(b, loc, x, y);
    Value diff = math::AbsFOp::create(b, loc, arith::SubFOp::create(b, loc, x, y));
    Value neg = arith::NegFOp::create(b, loc, diff);
    Value term = two ? math::Exp2Op::create(b, loc, neg).getResult() : math::ExpOp::create(b, loc, neg).getResult();
    Value log = two ? arith::DivFOp::create(b, loc, math::Log1pOp::create(b, loc, term),
                                               arith::ConstantOp::create(b, loc, t, b.getFloatAttr(t, std::numbers::ln2))).getResult()
                    : math::Log1pOp::create(b, loc, term).getResult();
    Value same = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x, y);
    Value sum = arith::AddFOp::create(b, loc, big, log);
    Value sameResult = arith::AddFOp::create(b, loc, x, arith::ConstantOp::create(b, loc, t, b.getFloatAttr(t, two ? 1.0 : std::numbers::ln2)));
    return arith::SelectOp::create(b, loc, same, sameResult, sum);
  }
  if (name == "heaviside") {
    Value zero = arith::ConstantOp::create(b, loc, t, b.getFloatAttr(t, 0.0));
    Value one = arith::ConstantOp::create(b, loc, t, b.getFloatAttr(t, 1.0));
    Value pos = arith::SelectOp::create(b, loc, arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, zero), one, zero);
    Value atZero = arith::SelectOp::create(b, loc, arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x, zero), y, pos);
    return arith::SelectOp::create(b, loc, arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x), x, atZero);
  }
  if (name == "ldexp") // x * 2**n: exact while the result is a normal number
    return arith::MulFOp::create(b, loc, x, math::Exp2Op::create(b, loc, y));
  if (name == "nextafter" || name == "gcd" || name == "lcm") {
    // libm's nextafter; numlir's runtime for gcd and lcm (on int64).
    std::string fn = name == "nextafter" ? (t.isF32() ? "nextafterf" : "nextafter") : ("numlir_" + name).str();
    Type callType = fl ? t : Type(b.getI64Type());
    Value a = fl ? x : convertElement(b, loc, x, t, callType), c = fl ? y : convertElement(b, loc, y, t, callType);
    Value r = callExternal(b, loc, *currentSymbols, fn, {a, c}, callType);
    return fl ? r : convertElement(b, loc, r, callType, t);
  }
  if (llvm::is_contained({"greater", "greater_equal", "less", "less_equal", "equal", "not_equal"}, name)) {
    StringRef p = llvm::StringSwitch<StringRef>(name)
                      .Case("greater", "gt").Case("greater_equal", "ge").Case("less", "lt")
                      .Case("less_equal", "le").Case("equal", "eq").Default("ne");
    if (auto c = llvm::dyn_cast<ComplexType>(t))
      return complexCompare(b, loc, p, x, y);
    if (fl)
      return arith::CmpFOp::create(b, loc, floatPredicate(p), x, y);
    arith::CmpIPredicate ip = intPredicate(p);
    if (isUnsignedElement(t) || t.isInteger(1))
      ip = llvm::StringSwitch<arith::CmpIPredicate>(p)
               .Case("lt", arith::CmpIPredicate::ult).Case("le", arith::CmpIPredicate::ule)
               .Case("gt", arith::CmpIPredicate::ugt).Case("ge", arith::CmpIPredicate::uge)
               .Default(ip);
    return arith::CmpIOp::create(b, loc, ip, x, y);
  }
  if (name == "logical_and") return arith::AndIOp::create(b, loc, x, y);
  if (name == "logical_or") return arith::OrIOp::create(b, loc, x, y);
  if (name == "logical_xor") return arith::XOrIOp::create(b, loc, x, y);
  if (llvm::isa<ComplexType>(t) && llvm::is_contained({"maximum", "minimum", "fmax", "fmin"}, name)) {
    // NumPy's: x where x >= y (<= for the minima) in complex order; maximum/minimum keep a
    // nan of x, fmax/fmin pick x where y has a nan.
    bool max = name == "maximum" || name == "fmax";
    bool propagate = name == "maximum" || name == "minimum";
    Value keep = complexCompare(b, loc, max ? "ge" : "le", x, y);
    Value isNan = complexUnary(b, loc, "isnan", propagate ? x : y);
    return arith::SelectOp::create(b, loc, arith::OrIOp::create(b, loc, keep, isNan), x, y);
  }
  bool uns = isUnsignedElement(t) || t.isInteger(1);
  if (name == "maximum")
    return fl ? arith::MaximumFOp::create(b, loc, x, y).getResult()
              : uns ? arith::MaxUIOp::create(b, loc, x, y).getResult() : arith::MaxSIOp::create(b, loc, x, y).getResult();
  if (name == "minimum")
    return fl ? arith::MinimumFOp::create(b, loc, x, y).getResult()
              : uns ? arith::MinUIOp::create(b, loc, x, y).getResult() : arith::MinSIOp::create(b, loc, x, y).getResult();
  if (name == "fmax")
    return fl ? arith::MaxNumFOp::create(b, loc, x, y).getResult()
              : uns ? arith::MaxUIOp::create(b, loc, x, y).getResult() : arith::MaxSIOp::create(b, loc, x, y).getResult();
  if (name == "fmin")
    return fl ? arith::MinNumFOp::create(b, loc, x, y).getResult()
              : uns ? arith::MinUIOp::create(b, loc, x, y).getResult() : arith::MinSIOp::create(b, loc, x, y).getResult();
  return {};
}

Type elemOf(Type t) {
  if (auto m = llvm::dyn_cast<MemRefType>(t))
    return m.getElementType();
  return t;
}

// Element functions of the elementwise operations. They capture types by value: a fused
// expression builds them later, inside its user's loop.
ElementFn binOpBody(StringRef kind, Type lt, Type rt, Type out) {
  Type compute = kind == "truediv" ? out : elementwiseElement(lt, rt);
  Type le = elemOf(lt), re = elemOf(rt);
  return [=](OpBuilder &nb, Location nl, ValueRange e) {
    Value x = convertElement(nb, nl, e[0], le, compute);
    Value y = convertElement(nb, nl, e[1], re, compute);
    return convertElement(nb, nl, elementBinary(nb, nl, kind, x, y, compute), compute, out);
  };
}

ElementFn cmpBody(StringRef predicate, Type lt, Type rt) {
  Type compute = elementwiseElement(lt, rt);
  Type le = elemOf(lt), re = elemOf(rt);
  return [=](OpBuilder &nb, Location nl, ValueRange e) {
    Value x = convertElement(nb, nl, e[0], le, compute);
    Value y = convertElement(nb, nl, e[1], re, compute);
    return elementCompare(nb, nl, predicate, x, y, compute);
  };
}

ElementFn unOpBody(StringRef kind, Type e) {
  return [=](OpBuilder &nb, Location nl, ValueRange x) -> Value {
    if (kind == "neg")
      return elementUnary(nb, nl, "negative", x[0], e, e);
    if (kind == "invert") {
      Type st = storageType(e);
      return arith::XOrIOp::create(nb, nl, x[0], arith::ConstantOp::create(nb, nl, st, nb.getIntegerAttr(st, -1)));
    }
    return x[0];
  };
}

/// np.<name> for ufuncs, np.where and np.clip, on operands of py types `argPy`.
ElementFn numpyElementBody(StringRef name, ArrayRef<Type> argPy, Type out) {
  SmallVector<Type> from;
  for (Type t : argPy)
    from.push_back(elemOf(t));
  if (name == "where" || name == "clip")
    return [=](OpBuilder &nb, Location nl, ValueRange e) -> Value {
      Value x = convertElement(nb, nl, e[1], from[1], out);
      Value y = convertElement(nb, nl, e[2], from[2], out);
      if (name == "where")
        return arith::SelectOp::create(nb, nl, convertElement(nb, nl, e[0], from[0], nb.getI1Type()), x, y);
      Value a = convertElement(nb, nl, e[0], from[0], out);
      Value lo = elementBinaryUfunc(nb, nl, "maximum", a, x, out);
      return elementBinaryUfunc(nb, nl, "minimum", lo, y, out);
    };
  if (from.size() == 1)
    return [=](OpBuilder &nb, Location nl, ValueRange e) {
      return elementUnary(nb, nl, name, e[0], from[0], out);
    };
  bool logical = name.starts_with("logical_");
  bool comparison = llvm::is_contained({"greater", "greater_equal", "less", "less_equal", "equal", "not_equal"}, name);
  // Comparisons compute in the operands' common type; logical ufuncs on truth values.
  Type compute = logical ? Type(IntegerType::get(out.getContext(), 1))
                 : comparison ? elementwiseElement(argPy[0], argPy[1]) : out;
  return [=](OpBuilder &nb, Location nl, ValueRange e) {
    Value x = convertElement(nb, nl, e[0], from[0], compute);
    Value y = convertElement(nb, nl, e[1], from[1], compute);
    return elementBinaryUfunc(nb, nl, name, x, y, compute);
  };
}

/// Whether `op` may write array memory (a deferred elementwise result cannot move past it).
bool mayWriteArrays(Operation &op) {
  if (llvm::isa<SetItemOp, CallOp, func::CallOp>(op))
    return true;
  if (auto bin = llvm::dyn_cast<BinOp>(op); bin && bin.getInplace() && isArray(bin.getLhs().getType()))
    return true;
  auto call = llvm::dyn_cast<CallBuiltinOp>(op);
  return call && call.getCallee() == "ndarray.fill";
}

/// The bytes one element of py element type `e` takes.
int64_t itemBytes(Type e) {
  if (auto c = llvm::dyn_cast<ComplexType>(e))
    return 2 * itemBytes(c.getElementType());
  return std::max<int64_t>(1, storageType(e).getIntOrFloatBitWidth() / 8);
}

/// x + y or x * y for two values of one element type (float, int or complex). With
/// `reassociate`, float adds and multiplies may be regrouped: LLVM then keeps several
/// partial results and vectorizes, as NumPy's pairwise sum regroups too.
Value accumulate(OpBuilder &b, Location loc, StringRef kind, Value x, Value y, bool reassociate) {
  Type t = x.getType();
  bool add = kind == "add";
  if (llvm::isa<ComplexType>(t))
    return complexBinary(b, loc, kind, x, y);
  auto flags = reassociate ? arith::FastMathFlags::reassoc : arith::FastMathFlags::none;
  if (llvm::isa<FloatType>(t))
    return add ? arith::AddFOp::create(b, loc, x, y, flags).getResult() : arith::MulFOp::create(b, loc, x, y, flags).getResult();
  return add ? arith::AddIOp::create(b, loc, x, y).getResult() : arith::MulIOp::create(b, loc, x, y).getResult();
}

} // namespace mlir::py
