// py-to-std for arrays: indexing and views (memref.load/store/subview), attributes,
// elementwise operators and ufuncs (linalg.generic with NumPy broadcasting through
// zero strides), array creation (memref.alloc; MLIR's ownership-based deallocation frees
// temporaries later in the pipeline), reductions (scf loops) and np.dot (linalg named ops).
#include "InferRules.h"
#include "Lowering.h"

#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

#include <numbers>

using namespace mlir;
using namespace mlir::py;

Type mlir::py::storageType(Type e) {
  if (auto i = llvm::dyn_cast<IntegerType>(e))
    if (!i.isSignless())
      return IntegerType::get(e.getContext(), i.getWidth());
  return e;
}

Value mlir::py::numberConstant(OpBuilder &b, Location loc, Type t, double v) {
  if (auto c = llvm::dyn_cast<ComplexType>(t)) {
    Value re = numberConstant(b, loc, c.getElementType(), v), im = numberConstant(b, loc, c.getElementType(), 0.0);
    return b.create<complex::CreateOp>(loc, c, re, im);
  }
  if (llvm::isa<FloatType>(t))
    return b.create<arith::ConstantOp>(loc, t, b.getFloatAttr(t, v));
  if (llvm::isa<IndexType>(t))
    return b.create<arith::ConstantIndexOp>(loc, static_cast<int64_t>(v));
  auto i = llvm::cast<IntegerType>(t); // an unsigned py type is stored signless
  return b.create<arith::ConstantOp>(loc, b.getIntegerAttr(IntegerType::get(t.getContext(), i.getWidth()), static_cast<int64_t>(v)));
}

Value mlir::py::convertElement(OpBuilder &b, Location loc, Value v, Type from, Type to) {
  if (from == to)
    return v;
  if (auto c = llvm::dyn_cast<ComplexType>(to))
    return complexFrom(b, loc, v, from, c);
  if (auto c = llvm::dyn_cast<ComplexType>(from)) {
    // To a real type: the truth of both parts for bool, else the real part (as NumPy).
    if (to.isInteger(1))
      return complexTruth(b, loc, v);
    return convertElement(b, loc, b.create<complex::ReOp>(loc, v), c.getElementType(), to);
  }
  Type target = storageType(to);
  auto fi = llvm::dyn_cast<IntegerType>(from), ti = llvm::dyn_cast<IntegerType>(to);
  if (to.isInteger(1)) {
    if (fi)
      return b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, v,
                                     b.create<arith::ConstantOp>(loc, v.getType(), b.getIntegerAttr(v.getType(), 0)));
    return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNE, v,
                                   b.create<arith::ConstantOp>(loc, v.getType(), b.getFloatAttr(v.getType(), 0.0)));
  }
  bool fromSigned = fi && !fi.isUnsigned() && fi.getWidth() > 1;
  if (fi && ti) {
    if (ti.getWidth() > fi.getWidth())
      return fromSigned ? b.create<arith::ExtSIOp>(loc, target, v).getResult()
                        : b.create<arith::ExtUIOp>(loc, target, v).getResult();
    if (ti.getWidth() < fi.getWidth())
      return b.create<arith::TruncIOp>(loc, target, v);
    return v;
  }
  if (fi)
    return fromSigned ? b.create<arith::SIToFPOp>(loc, target, v).getResult()
                      : b.create<arith::UIToFPOp>(loc, target, v).getResult();
  if (ti)
    return ti.isUnsigned() ? b.create<arith::FPToUIOp>(loc, target, v).getResult()
                           : b.create<arith::FPToSIOp>(loc, target, v).getResult();
  auto ff = llvm::cast<FloatType>(from), tf = llvm::cast<FloatType>(to);
  if (tf.getWidth() > ff.getWidth())
    return b.create<arith::ExtFOp>(loc, target, v);
  return b.create<arith::TruncFOp>(loc, target, v);
}

Value mlir::py::emptyArray(OpBuilder &b, Location loc, MemRefType type) {
  auto plain = MemRefType::get(type.getShape(), type.getElementType());
  SmallVector<Value> zeros(type.getNumDynamicDims(), b.create<arith::ConstantIndexOp>(loc, 0));
  Value empty = b.create<memref::AllocaOp>(loc, plain, zeros);
  return plain == type ? empty : b.create<memref::CastOp>(loc, type, empty).getResult();
}

ValueRange mlir::py::callExternal(OpBuilder &b, Location loc, SymbolTable &symbols, StringRef name,
                                  ValueRange args, TypeRange results) {
  auto decl = symbols.lookup<func::FuncOp>(name);
  if (!decl) {
    decl = func::FuncOp::create(loc, name, b.getFunctionType(TypeRange(args), results));
    decl.setPrivate();
    symbols.insert(decl);
  }
  return b.create<func::CallOp>(loc, decl, args).getResults();
}

Value mlir::py::callExternal(OpBuilder &b, Location loc, SymbolTable &symbols, StringRef name, ValueRange args,
                             Type result) {
  return callExternal(b, loc, symbols, name, args, TypeRange{result})[0];
}

namespace {
/// The symbol table of the module being lowered: element bodies are built inside ops that
/// do not exist yet (a linalg.generic's region), so they cannot find it through their
/// parents, and the scalar lowering declares into the same table.
SymbolTable *currentSymbols = nullptr;

/// The constant `v` as an element of py type `t`.
Value elementConstant(OpBuilder &b, Location loc, int64_t v, Type t) {
  Value i = b.create<arith::ConstantOp>(loc, b.getI64Type(), b.getI64IntegerAttr(v));
  return convertElement(b, loc, i, b.getI64Type(), t);
}

bool isUnsignedElement(Type e) {
  auto i = llvm::dyn_cast<IntegerType>(e);
  return i && i.isUnsigned();
}

/// A binary operator on two elements of py element type `t` (already converted), NumPy style.
Value elementBinary(OpBuilder &b, Location loc, StringRef kind, Value x, Value y, Type t) {
  Type st = storageType(t);
  if (llvm::isa<ComplexType>(t))
    return complexBinary(b, loc, kind, x, y);
  if (llvm::isa<FloatType>(t)) {
    if (kind == "add") return b.create<arith::AddFOp>(loc, x, y);
    if (kind == "sub") return b.create<arith::SubFOp>(loc, x, y);
    if (kind == "mul") return b.create<arith::MulFOp>(loc, x, y);
    if (kind == "truediv") return b.create<arith::DivFOp>(loc, x, y);
    if (kind == "pow") return b.create<math::PowFOp>(loc, x, y);
    Value zero = b.create<arith::ConstantOp>(loc, st, b.getFloatAttr(st, 0.0));
    Value r = b.create<arith::RemFOp>(loc, x, y);
    // The remainder takes the divisor's sign (Python and NumPy).
    Value rNeg = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OLT, r, zero);
    Value yNeg = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OLT, y, zero);
    Value rNonzero = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNE, r, zero);
    Value fix = b.create<arith::AndIOp>(loc, rNonzero, b.create<arith::XOrIOp>(loc, rNeg, yNeg));
    if (kind == "mod")
      return b.create<arith::SelectOp>(loc, fix, b.create<arith::AddFOp>(loc, r, y), r);
    // floordiv: (x - mod) / y, rounded
    Value mod = b.create<arith::SelectOp>(loc, fix, b.create<arith::AddFOp>(loc, r, y), r);
    Value q = b.create<arith::DivFOp>(loc, b.create<arith::SubFOp>(loc, x, mod), y);
    Value fl = b.create<math::RoundOp>(loc, q);
    Value yZero = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OEQ, y, zero);
    return b.create<arith::SelectOp>(loc, yZero, b.create<arith::DivFOp>(loc, x, y), fl);
  }
  bool isBoolT = t.isInteger(1), uns = isUnsignedElement(t);
  if (kind == "and" || (isBoolT && kind == "mul")) return b.create<arith::AndIOp>(loc, x, y);
  if (kind == "or" || (isBoolT && kind == "add")) return b.create<arith::OrIOp>(loc, x, y);
  if (kind == "xor") return b.create<arith::XOrIOp>(loc, x, y);
  if (kind == "add") return b.create<arith::AddIOp>(loc, x, y);
  if (kind == "sub") return b.create<arith::SubIOp>(loc, x, y);
  if (kind == "mul") return b.create<arith::MulIOp>(loc, x, y);
  if (kind == "pow") return b.create<math::IPowIOp>(loc, x, y);
  if (kind == "lshift" || kind == "rshift") {
    // Shifts by the width or more, or by a negative amount, are NumPy's 0 (or -1 for a
    // negative signed value shifted right), not LLVM's poison.
    Value width = b.create<arith::ConstantOp>(loc, st, b.getIntegerAttr(st, st.getIntOrFloatBitWidth()));
    Value zero = b.create<arith::ConstantOp>(loc, st, b.getIntegerAttr(st, 0));
    Value outside = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::uge, y, width);
    Value safe = b.create<arith::SelectOp>(loc, outside, zero, y);
    if (kind == "lshift")
      return b.create<arith::SelectOp>(loc, outside, zero, b.create<arith::ShLIOp>(loc, x, safe));
    if (uns)
      return b.create<arith::SelectOp>(loc, outside, zero, b.create<arith::ShRUIOp>(loc, x, safe));
    Value fill = b.create<arith::ShRSIOp>(loc, x, b.create<arith::SubIOp>(loc, width, b.create<arith::ConstantOp>(loc, st, b.getIntegerAttr(st, 1))));
    return b.create<arith::SelectOp>(loc, outside, fill, b.create<arith::ShRSIOp>(loc, x, safe));
  }
  // floordiv and mod: NumPy gives 0 for a zero divisor; a safe divisor avoids the trap.
  Value zero = b.create<arith::ConstantOp>(loc, st, b.getIntegerAttr(st, 0));
  Value one = b.create<arith::ConstantOp>(loc, st, b.getIntegerAttr(st, 1));
  Value yZero = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, y, zero);
  Value safe = b.create<arith::SelectOp>(loc, yZero, one, y);
  Value r;
  if (uns)
    r = kind == "floordiv" ? b.create<arith::DivUIOp>(loc, x, safe).getResult()
                           : b.create<arith::RemUIOp>(loc, x, safe).getResult();
  else
    r = kind == "floordiv" ? b.create<arith::FloorDivSIOp>(loc, x, safe).getResult()
                           : [&]() -> Value {
                               Value rem = b.create<arith::RemSIOp>(loc, x, safe);
                               Value fix = b.create<arith::AndIOp>(
                                   loc, b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, rem, zero),
                                   b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt,
                                                           b.create<arith::XOrIOp>(loc, rem, safe), zero));
                               return b.create<arith::SelectOp>(loc, fix, b.create<arith::AddIOp>(loc, rem, safe), rem);
                             }();
  return b.create<arith::SelectOp>(loc, yZero, zero, r);
}

Value elementCompare(OpBuilder &b, Location loc, StringRef p, Value x, Value y, Type t) {
  if (llvm::isa<ComplexType>(t))
    return complexCompare(b, loc, p, x, y);
  if (llvm::isa<FloatType>(t))
    return b.create<arith::CmpFOp>(loc, floatPredicate(p), x, y);
  arith::CmpIPredicate pred = intPredicate(p);
  if (isUnsignedElement(t) || t.isInteger(1)) {
    pred = llvm::StringSwitch<arith::CmpIPredicate>(p)
               .Case("lt", arith::CmpIPredicate::ult).Case("le", arith::CmpIPredicate::ule)
               .Case("gt", arith::CmpIPredicate::ugt).Case("ge", arith::CmpIPredicate::uge)
               .Default(pred);
  }
  return b.create<arith::CmpIOp>(loc, pred, x, y);
}

/// A unary ufunc on an element of py type `t` giving py type `r`.
Value elementUnary(OpBuilder &b, Location loc, StringRef name, Value x, Type t, Type r) {
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
      return b.create<arith::ConstantOp>(loc, b.getI1Type(), b.getBoolAttr(name == "isfinite"));
    if (name == "isnan")
      return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNO, x, x);
    Value inf = b.create<arith::ConstantOp>(loc, x.getType(),
                                            b.getFloatAttr(x.getType(), std::numeric_limits<double>::infinity()));
    Value mag = b.create<math::AbsFOp>(loc, x);
    return b.create<arith::CmpFOp>(loc, name == "isinf" ? arith::CmpFPredicate::OEQ : arith::CmpFPredicate::OLT, mag, inf);
  }
  if (name == "signbit") {
    if (!llvm::isa<FloatType>(t)) // ints: below zero
      return isUnsignedElement(t) || t.isInteger(1)
                 ? b.create<arith::ConstantOp>(loc, b.getI1Type(), b.getBoolAttr(false)).getResult()
                 : b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, x, elementConstant(b, loc, 0, t)).getResult();
    // the sign bit itself: true for -0.0 and negative NaNs too
    auto bits = IntegerType::get(b.getContext(), x.getType().getIntOrFloatBitWidth());
    Value asInt = b.create<arith::BitcastOp>(loc, bits, x);
    return b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, asInt,
                                   b.create<arith::ConstantOp>(loc, bits, b.getIntegerAttr(bits, 0)));
  }
  if (name == "_frexp_mantissa" || name == "_frexp_exponent") { // np.frexp's two results
    Value wide = convertElement(b, loc, x, t, b.getF64Type());
    Value e = callExternal(b, loc, *currentSymbols, "numlir_frexp_exponent", {wide}, b.getI64Type());
    if (name == "_frexp_exponent")
      return b.create<arith::TruncIOp>(loc, b.getI32Type(), e);
    Value minusE = b.create<arith::SubIOp>(loc, b.create<arith::ConstantOp>(loc, b.getI64Type(), b.getI64IntegerAttr(0)), e);
    Value m = callExternal(b, loc, *currentSymbols, "ldexp", {wide, b.create<arith::TruncIOp>(loc, b.getI32Type(), minusE)}, b.getF64Type());
    return convertElement(b, loc, m, b.getF64Type(), r);
  }
  if (name == "logical_not")
    return b.create<arith::XOrIOp>(loc, convertElement(b, loc, x, t, b.getI1Type()),
                                   b.create<arith::ConstantOp>(loc, b.getI1Type(), b.getBoolAttr(true)));
  x = convertElement(b, loc, x, t, r);
  if (llvm::isa<ComplexType>(r)) // a real input computed as complex (dtype=complex64)
    return complexUnary(b, loc, name, x);
  bool fl = llvm::isa<FloatType>(r);
  if (name == "reciprocal" && !fl) {
    // NumPy computes 1.0 / x and converts it: 1, -1 or 0, and for 0 the conversion of inf,
    // which x86 makes the minimum of int32 and int64 (0 in the types converted through a
    // wider one and truncated).
    bool isSigned = !isUnsignedElement(r);
    Value one = b.create<arith::ConstantOp>(loc, st, b.getIntegerAttr(st, 1));
    Value zero = b.create<arith::ConstantOp>(loc, st, b.getIntegerAttr(st, 0));
    Value isZero = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, x, zero);
    Value safe = b.create<arith::SelectOp>(loc, isZero, one, x);
    Value q = isSigned ? b.create<arith::DivSIOp>(loc, one, safe).getResult() : b.create<arith::DivUIOp>(loc, one, safe).getResult();
    unsigned width = st.getIntOrFloatBitWidth();
    APInt atZero = isSigned && width >= 32 ? APInt::getSignedMinValue(width) : APInt(width, 0);
    return b.create<arith::SelectOp>(loc, isZero, b.create<arith::ConstantOp>(loc, st, b.getIntegerAttr(st, atZero)), q);
  }
  if (name == "negative")
    return fl ? b.create<arith::NegFOp>(loc, x).getResult()
              : b.create<arith::SubIOp>(loc, b.create<arith::ConstantOp>(loc, st, b.getIntegerAttr(st, 0)), x).getResult();
  if (name == "positive")
    return x;
  if (name == "square")
    return fl ? b.create<arith::MulFOp>(loc, x, x).getResult() : b.create<arith::MulIOp>(loc, x, x).getResult();
  if (name == "abs" || name == "absolute") {
    if (fl)
      return b.create<math::AbsFOp>(loc, x);
    return isUnsignedElement(r) || r.isInteger(1) ? x : b.create<math::AbsIOp>(loc, x).getResult();
  }
  if (name == "sign") {
    if (fl) {
      Value zero = b.create<arith::ConstantOp>(loc, st, b.getFloatAttr(st, 0.0));
      Value pos = b.create<arith::UIToFPOp>(loc, st, b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, x, zero));
      Value neg = b.create<arith::UIToFPOp>(loc, st, b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OLT, x, zero));
      Value s = b.create<arith::SubFOp>(loc, pos, neg);
      Value nan = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNO, x, x);
      return b.create<arith::SelectOp>(loc, nan, x, s);
    }
    Value zero = b.create<arith::ConstantOp>(loc, st, b.getIntegerAttr(st, 0));
    Value pos = b.create<arith::ExtUIOp>(loc, st, b.create<arith::CmpIOp>(loc, isUnsignedElement(r) ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt, x, zero));
    Value neg = b.create<arith::ExtUIOp>(loc, st, b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, x, zero));
    return b.create<arith::SubIOp>(loc, pos, isUnsignedElement(r) ? zero : neg);
  }
  if (name == "invert" || name == "bitwise_not")
    return b.create<arith::XOrIOp>(loc, x, b.create<arith::ConstantOp>(loc, st, b.getIntegerAttr(st, -1)));
  if (!fl)
    return x; // floor/ceil/trunc/rint of ints
#define UNARY(pyname, Op)                                                                        \
  if (name == pyname)                                                                            \
    return b.create<math::Op>(loc, x).getResult();
  if (name == "expm1" || name == "log1p") // libm: LLVM lowers these as exp(x)-1 / log(1+x), inexact near 0
    return callExternal(b, loc, *currentSymbols, name.str() + (x.getType().isF32() ? "f" : ""), {x}, x.getType());
  if (name == "spacing") { // the distance to the next float away from zero, signed like x
    Value inf = b.create<arith::ConstantOp>(loc, st, b.getFloatAttr(st, std::numeric_limits<double>::infinity()));
    Value zero = b.create<arith::ConstantOp>(loc, st, b.getFloatAttr(st, 0.0));
    Value isZero = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OEQ, x, zero); // -0.0 too: up, as NumPy
    Value away = b.create<arith::SelectOp>(loc, isZero, inf, b.create<math::CopySignOp>(loc, inf, x));
    Value next = callExternal(b, loc, *currentSymbols, x.getType().isF32() ? "nextafterf" : "nextafter", {x, away}, x.getType());
    return b.create<arith::SubFOp>(loc, next, x);
  }
  if (name == "_modf_whole") // np.modf's second result
    return b.create<math::TruncOp>(loc, x);
  if (name == "_modf_fraction") { // np.modf's first: x's sign, 0 for infinities
    Value frac = b.create<arith::SubFOp>(loc, x, b.create<math::TruncOp>(loc, x));
    Value inf = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OEQ, b.create<math::AbsFOp>(loc, x),
                                        b.create<arith::ConstantOp>(loc, st, b.getFloatAttr(st, std::numeric_limits<double>::infinity())));
    frac = b.create<arith::SelectOp>(loc, inf, b.create<arith::ConstantOp>(loc, st, b.getFloatAttr(st, 0.0)), frac);
    return b.create<math::CopySignOp>(loc, frac, x);
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
    return b.create<arith::MulFOp>(loc, x, b.create<arith::ConstantOp>(loc, st, b.getFloatAttr(st, factor)));
  }
  if (name == "reciprocal")
    return b.create<arith::DivFOp>(loc, b.create<arith::ConstantOp>(loc, st, b.getFloatAttr(st, 1.0)), x);
  return {};
}

/// A binary ufunc on elements already converted to the result's compute type `t`.
Value elementBinaryUfunc(OpBuilder &b, Location loc, StringRef name, Value x, Value y, Type t) {
  bool fl = llvm::isa<FloatType>(t);
  if (name == "add") return elementBinary(b, loc, "add", x, y, t);
  if (name == "subtract") return elementBinary(b, loc, "sub", x, y, t);
  if (name == "multiply") return elementBinary(b, loc, "mul", x, y, t);
  if (name == "divide" || name == "true_divide") return elementBinary(b, loc, "truediv", x, y, t);
  if (name == "power") return elementBinary(b, loc, "pow", x, y, t);
  if (name == "arctan2") return b.create<math::Atan2Op>(loc, x, y);
  if (name == "hypot") {
    Value ax = b.create<math::AbsFOp>(loc, x), ay = b.create<math::AbsFOp>(loc, y);
    Value big = b.create<arith::MaximumFOp>(loc, ax, ay), small = b.create<arith::MinimumFOp>(loc, ax, ay);
    Value zero = b.create<arith::ConstantOp>(loc, x.getType(), b.getFloatAttr(x.getType(), 0.0));
    Value one = b.create<arith::ConstantOp>(loc, x.getType(), b.getFloatAttr(x.getType(), 1.0));
    Value ratio = b.create<arith::DivFOp>(loc, small, big);
    Value h = b.create<arith::MulFOp>(loc, big, b.create<math::SqrtOp>(loc, b.create<arith::AddFOp>(loc, one, b.create<arith::MulFOp>(loc, ratio, ratio))));
    Value bigZero = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OEQ, big, zero);
    Value inf = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OEQ, big,
                                        b.create<arith::ConstantOp>(loc, x.getType(), b.getFloatAttr(x.getType(), std::numeric_limits<double>::infinity())));
    return b.create<arith::SelectOp>(loc, b.create<arith::OrIOp>(loc, bigZero, inf), big, h);
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
      return b.create<arith::RemFOp>(loc, x, y);
    // C's remainder (the dividend's sign); NumPy gives 0 for a zero divisor.
    Value zero = elementConstant(b, loc, 0, t), one = elementConstant(b, loc, 1, t);
    Value yZero = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, y, zero);
    Value safe = b.create<arith::SelectOp>(loc, yZero, one, y);
    Value r = isUnsignedElement(t) ? b.create<arith::RemUIOp>(loc, x, safe).getResult() : b.create<arith::RemSIOp>(loc, x, safe).getResult();
    return b.create<arith::SelectOp>(loc, yZero, zero, r);
  }
  if (name == "copysign") return b.create<math::CopySignOp>(loc, x, y);
  if (name == "logaddexp" || name == "logaddexp2") {
    // max + log(1 + base**-(|x - y|)): no overflow for large inputs; equal infinities stay.
    bool two = name == "logaddexp2";
    Value big = b.create<arith::MaximumFOp>(loc, x, y);
    Value diff = b.create<math::AbsFOp>(loc, b.create<arith::SubFOp>(loc, x, y));
    Value neg = b.create<arith::NegFOp>(loc, diff);
    Value term = two ? b.create<math::Exp2Op>(loc, neg).getResult() : b.create<math::ExpOp>(loc, neg).getResult();
    Value log = two ? b.create<arith::DivFOp>(loc, b.create<math::Log1pOp>(loc, term),
                                               b.create<arith::ConstantOp>(loc, t, b.getFloatAttr(t, std::numbers::ln2))).getResult()
                    : b.create<math::Log1pOp>(loc, term).getResult();
    Value same = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OEQ, x, y);
    Value sum = b.create<arith::AddFOp>(loc, big, log);
    Value sameResult = b.create<arith::AddFOp>(loc, x, b.create<arith::ConstantOp>(loc, t, b.getFloatAttr(t, two ? 1.0 : std::numbers::ln2)));
    return b.create<arith::SelectOp>(loc, same, sameResult, sum);
  }
  if (name == "heaviside") {
    Value zero = b.create<arith::ConstantOp>(loc, t, b.getFloatAttr(t, 0.0));
    Value one = b.create<arith::ConstantOp>(loc, t, b.getFloatAttr(t, 1.0));
    Value pos = b.create<arith::SelectOp>(loc, b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, x, zero), one, zero);
    Value atZero = b.create<arith::SelectOp>(loc, b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OEQ, x, zero), y, pos);
    return b.create<arith::SelectOp>(loc, b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNO, x, x), x, atZero);
  }
  if (name == "ldexp") // x * 2**n: exact while the result is a normal number
    return b.create<arith::MulFOp>(loc, x, b.create<math::Exp2Op>(loc, y));
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
      return b.create<arith::CmpFOp>(loc, floatPredicate(p), x, y);
    arith::CmpIPredicate ip = intPredicate(p);
    if (isUnsignedElement(t) || t.isInteger(1))
      ip = llvm::StringSwitch<arith::CmpIPredicate>(p)
               .Case("lt", arith::CmpIPredicate::ult).Case("le", arith::CmpIPredicate::ule)
               .Case("gt", arith::CmpIPredicate::ugt).Case("ge", arith::CmpIPredicate::uge)
               .Default(ip);
    return b.create<arith::CmpIOp>(loc, ip, x, y);
  }
  if (name == "logical_and") return b.create<arith::AndIOp>(loc, x, y);
  if (name == "logical_or") return b.create<arith::OrIOp>(loc, x, y);
  if (name == "logical_xor") return b.create<arith::XOrIOp>(loc, x, y);
  if (llvm::isa<ComplexType>(t) && llvm::is_contained({"maximum", "minimum", "fmax", "fmin"}, name)) {
    // NumPy's: x where x >= y (<= for the minima) in complex order; maximum/minimum keep a
    // nan of x, fmax/fmin pick x where y has a nan.
    bool max = name == "maximum" || name == "fmax";
    bool propagate = name == "maximum" || name == "minimum";
    Value keep = complexCompare(b, loc, max ? "ge" : "le", x, y);
    Value isNan = complexUnary(b, loc, "isnan", propagate ? x : y);
    return b.create<arith::SelectOp>(loc, b.create<arith::OrIOp>(loc, keep, isNan), x, y);
  }
  bool uns = isUnsignedElement(t) || t.isInteger(1);
  if (name == "maximum")
    return fl ? b.create<arith::MaximumFOp>(loc, x, y).getResult()
              : uns ? b.create<arith::MaxUIOp>(loc, x, y).getResult() : b.create<arith::MaxSIOp>(loc, x, y).getResult();
  if (name == "minimum")
    return fl ? b.create<arith::MinimumFOp>(loc, x, y).getResult()
              : uns ? b.create<arith::MinUIOp>(loc, x, y).getResult() : b.create<arith::MinSIOp>(loc, x, y).getResult();
  if (name == "fmax")
    return fl ? b.create<arith::MaxNumFOp>(loc, x, y).getResult()
              : uns ? b.create<arith::MaxUIOp>(loc, x, y).getResult() : b.create<arith::MaxSIOp>(loc, x, y).getResult();
  if (name == "fmin")
    return fl ? b.create<arith::MinNumFOp>(loc, x, y).getResult()
              : uns ? b.create<arith::MinUIOp>(loc, x, y).getResult() : b.create<arith::MinSIOp>(loc, x, y).getResult();
  return {};
}

Type elemOf(Type t) {
  if (auto m = llvm::dyn_cast<MemRefType>(t))
    return m.getElementType();
  return t;
}

using ElementFn = FunctionLowering::ElementFn;

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
      return nb.create<arith::XOrIOp>(nl, x[0], nb.create<arith::ConstantOp>(nl, st, nb.getIntegerAttr(st, -1)));
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
        return nb.create<arith::SelectOp>(nl, convertElement(nb, nl, e[0], from[0], nb.getI1Type()), x, y);
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
Value accumulate(OpBuilder &b, Location loc, StringRef kind, Value x, Value y, bool reassociate = false) {
  Type t = x.getType();
  bool add = kind == "add";
  if (llvm::isa<ComplexType>(t))
    return complexBinary(b, loc, kind, x, y);
  auto flags = reassociate ? arith::FastMathFlags::reassoc : arith::FastMathFlags::none;
  if (llvm::isa<FloatType>(t))
    return add ? b.create<arith::AddFOp>(loc, x, y, flags).getResult() : b.create<arith::MulFOp>(loc, x, y, flags).getResult();
  return add ? b.create<arith::AddIOp>(loc, x, y).getResult() : b.create<arith::MulIOp>(loc, x, y).getResult();
}

} // namespace

Value FunctionLowering::index(Location loc, Value v) {
  return b.create<arith::IndexCastOp>(loc, b.getIndexType(), toI64(loc, v));
}

/// Where a py index comes from a range loop's variable, plus a constant (`a[j]`,
/// `a[j - 1]`): the range iterator's lowered state and the constant. Follows values passed
/// into blocks with one predecessor, as the frontend passes locals.
std::optional<std::pair<Value, int64_t>> FunctionLowering::rangeOrigin(Value pyIndex) {
  int64_t offset = 0;
  for (int depth = 0; depth < 32; ++depth) {
    if (auto arg = llvm::dyn_cast<BlockArgument>(pyIndex)) {
      Block *pred = arg.getOwner()->getSinglePredecessor();
      auto branch = pred ? llvm::dyn_cast<BranchOpInterface>(pred->getTerminator()) : nullptr;
      if (!branch)
        return std::nullopt;
      Value incoming;
      for (unsigned s = 0; s < branch->getNumSuccessors(); ++s)
        if (branch->getSuccessor(s) == arg.getOwner()) {
          if (incoming) // both edges of a cond_br: its operands may differ
            return std::nullopt;
          incoming = branch.getSuccessorOperands(s)[arg.getArgNumber()];
        }
      if (!incoming)
        return std::nullopt;
      pyIndex = incoming;
      continue;
    }
    Operation *def = pyIndex.getDefiningOp();
    if (auto next = llvm::dyn_cast_or_null<IterNextOp>(def)) {
      if (pyIndex != next.getValue() || !llvm::isa<RangeIterType>(next.getIterator().getType()))
        return std::nullopt;
      SmallVector<Value, 1> state = values.lookup(next.getIterator());
      if (state.size() != 1)
        return std::nullopt;
      return std::make_pair(state[0], offset);
    }
    // j + c, j - c, c + j with a small constant c (no overflow in the offsets' sum).
    auto bin = llvm::dyn_cast_or_null<BinOp>(def);
    if (!bin || (bin.getKind() != "add" && bin.getKind() != "sub"))
      return std::nullopt;
    auto constant = [](Value v) -> std::optional<int64_t> {
      auto c = v.getDefiningOp<ConstantOp>();
      auto attr = c ? llvm::dyn_cast<IntegerAttr>(c.getValue()) : nullptr;
      if (!attr || !attr.getType().isInteger(64) || std::abs(attr.getInt()) > (int64_t(1) << 32))
        return std::nullopt;
      return attr.getInt();
    };
    if (auto c = constant(bin.getRhs())) {
      offset += bin.getKind() == "add" ? *c : -*c;
      pyIndex = bin.getLhs();
    } else if (auto c = constant(bin.getLhs()); c && bin.getKind() == "add") {
      offset += *c;
      pyIndex = bin.getRhs();
    } else {
      return std::nullopt;
    }
    if (std::abs(offset) > (int64_t(1) << 32))
      return std::nullopt;
  }
  return std::nullopt;
}

/// The py value of element `d` of an index (`i` in `a[i]`, `j` in `a[i, j]`), where the
/// tuple is built in the function; null if not.
static Value indexElement(Value pyIndex, int64_t d) {
  if (!llvm::isa<TupleType>(pyIndex.getType()))
    return d == 0 ? pyIndex : Value();
  auto make = pyIndex.getDefiningOp<MakeTupleOp>();
  return make && d < static_cast<int64_t>(make.getElements().size()) ? make.getElements()[d] : Value();
}

/// A Python index into an axis of `size`: negative counts from the end; with boundscheck
/// an index outside the axis raises IndexError. An index from a range loop (`pyIndex`, see
/// rangeOrigin) takes the wrap only when the range's lowest value may make it negative: a
/// test of loop-invariant values, so LLVM makes the loop twice and the common copy (in
/// `for j in range(i * i, n, i): a[j] = 0`) has no wrap at all (the sieve runs 1.27x faster).
Value FunctionLowering::wrapIndex(Location loc, Value i, Value size, int64_t axis, Value pyIndex) {
  Value zero = b.create<arith::ConstantIndexOp>(loc, 0);
  Value negative = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, i, zero);
  Value wrapped = b.create<arith::SelectOp>(loc, negative, b.create<arith::AddIOp>(loc, i, size), i);
  if (auto origin = pyIndex ? rangeOrigin(pyIndex) : std::nullopt) {
    Value lowest = b.create<memref::LoadOp>(
        loc, origin->first, ValueRange{b.create<arith::ConstantIndexOp>(loc, kRangeLowestField)});
    Value neverNegative = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sge, lowest,
                                                  cInt(loc, -origin->second, i64()));
    wrapped = b.create<arith::SelectOp>(loc, neverNegative, i, wrapped);
  }
  if (old->getParentOfType<ModuleOp>()->hasAttr("py.boundscheck")) {
    Value below = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, wrapped, zero);
    Value above = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sge, wrapped, size);
    // NumPy's message, with the index as written and the axis' size filled in at run time.
    raiseIf(loc, b.create<arith::OrIOp>(loc, below, above), "IndexError",
            "index {0} is out of bounds for axis " + std::to_string(axis) + " with size {1}",
            {i, size});
  }
  return wrapped;
}

SmallVector<Value> FunctionLowering::sizesOf(Location loc, Value array) {
  auto type = llvm::cast<MemRefType>(array.getType());
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    sizes.push_back(b.create<memref::DimOp>(loc, array, d));
  return sizes;
}

/// A new C-contiguous array of `pyType`'s dtype and rank, as a value of that (strided) type.
Value FunctionLowering::allocArray(Location loc, MemRefType pyType, ValueRange sizes) {
  Type element = storageType(pyType.getElementType());
  SmallVector<int64_t> shape(pyType.getRank(), ShapedType::kDynamic);
  auto plain = MemRefType::get(shape, element);
  // 64-byte alignment: whole cache lines, and aligned vector loads.
  Value alloc = b.create<memref::AllocOp>(loc, plain, sizes, b.getI64IntegerAttr(64));
  SmallVector<Type> parts;
  lowerType(pyType, parts);
  return b.create<memref::CastOp>(loc, parts[0], alloc);
}

void FunctionLowering::fillArray(Location loc, Value array, Value scalar) {
  b.create<linalg::FillOp>(loc, ValueRange{scalar}, ValueRange{array});
}

/// `out[i...] = body(operand elements at i...)` over the broadcast shape of the operands.
/// Array operands broadcast through views whose strides are 0 along stretched axes;
/// scalars reach the body as they are. Writes into `into` when given, else a new array.
Value FunctionLowering::elementwise(Location loc, MemRefType resultPy, ArrayRef<Value> operands,
                                    ArrayRef<Type> operandPy, ElementFn body, Value into) {
  int64_t rank = resultPy.getRank();
  Value one = b.create<arith::ConstantIndexOp>(loc, 1);
  // The broadcast shape, right-aligned; mismatched axes raise ValueError.
  SmallVector<Value> shape(rank, one);
  if (into)
    shape = sizesOf(loc, into);
  SmallVector<SmallVector<Value>> operandSizes;
  Value bad = b.create<arith::ConstantOp>(loc, b.getI1Type(), b.getBoolAttr(false));
  for (Value v : operands) {
    operandSizes.emplace_back();
    if (!llvm::isa<MemRefType>(v.getType()))
      continue;
    operandSizes.back() = sizesOf(loc, v);
    int64_t r = operandSizes.back().size();
    for (int64_t d = 0; d < r; ++d) {
      Value s = operandSizes.back()[d];
      Value &out = shape[rank - r + d];
      Value sIsOne = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, s, one);
      Value outIsOne = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, out, one);
      Value same = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, s, out);
      Value ok = b.create<arith::OrIOp>(loc, same, b.create<arith::OrIOp>(loc, sIsOne, into ? sIsOne : outIsOne));
      bad = b.create<arith::OrIOp>(loc, bad, b.create<arith::XOrIOp>(loc, ok, b.create<arith::ConstantOp>(loc, b.getI1Type(), b.getBoolAttr(true))));
      if (!into)
        out = b.create<arith::SelectOp>(loc, sIsOne, out, s);
    }
  }
  raiseIf(loc, bad, "ValueError", into ? "could not broadcast the value into the target's shape"
                                        : "operands could not be broadcast together");
  Value result = into ? into : allocArray(loc, resultPy, shape);
  SmallVector<Value> inputs;
  SmallVector<Type> inputPy;
  SmallVector<int> slot; // operand -> input number, or -1 for a scalar
  for (auto [k, v] : llvm::enumerate(operands)) {
    auto type = llvm::dyn_cast<MemRefType>(v.getType());
    if (!type) {
      slot.push_back(-1);
      continue;
    }
    int64_t r = type.getRank();
    Value zero = b.create<arith::ConstantIndexOp>(loc, 0);
    auto meta = b.create<memref::ExtractStridedMetadataOp>(loc, v);
    SmallVector<OpFoldResult> sizes, strides;
    for (int64_t d = 0; d < rank; ++d) {
      sizes.push_back(shape[d]);
      int64_t src = d - (rank - r);
      if (src < 0) {
        strides.push_back(b.getIndexAttr(0));
        continue;
      }
      Value stretched = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, operandSizes[k][src], shape[d]);
      strides.push_back(Value(b.create<arith::SelectOp>(loc, stretched, zero, meta.getStrides()[src])));
    }
    auto viewType = MemRefType::get(SmallVector<int64_t>(rank, ShapedType::kDynamic), type.getElementType(),
                                    StridedLayoutAttr::get(b.getContext(), ShapedType::kDynamic,
                                                           SmallVector<int64_t>(rank, ShapedType::kDynamic)));
    Value view = b.create<memref::ReinterpretCastOp>(loc, viewType, meta.getBaseBuffer(),
                                                     OpFoldResult(meta.getOffset()), sizes, strides);
    slot.push_back(inputs.size());
    inputs.push_back(view);
    inputPy.push_back(operandPy[k]);
  }
  SmallVector<AffineMap> maps(inputs.size() + 1, b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  SmallVector<Value> scalars(operands.begin(), operands.end());
  b.create<linalg::GenericOp>(
      loc, TypeRange{}, inputs, ValueRange{result}, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        SmallVector<Value> elements;
        for (auto [k, v] : llvm::enumerate(scalars))
          elements.push_back(slot[k] < 0 ? v : args[slot[k]]);
        nb.create<linalg::YieldOp>(nl, body(nb, nl, elements));
      });
  return result;
}

/// A subview of `array` as a value of `resultPy`'s lowered type (rank-reduced where
/// offsets pick single elements).
Value FunctionLowering::subviewAs(Location loc, Value array, ArrayRef<OpFoldResult> offsets,
                                  ArrayRef<OpFoldResult> sizes, ArrayRef<OpFoldResult> strides,
                                  Type resultPy) {
  SmallVector<Type> parts;
  lowerType(resultPy, parts);
  auto resultType = llvm::cast<MemRefType>(parts[0]);
  auto inferred = memref::SubViewOp::inferRankReducedResultType(
      resultType.getShape(), llvm::cast<MemRefType>(array.getType()), offsets, sizes, strides);
  Value sub = b.create<memref::SubViewOp>(loc, llvm::cast<MemRefType>(inferred), array, offsets, sizes, strides);
  return sub.getType() == resultType ? sub : b.create<memref::CastOp>(loc, resultType, sub).getResult();
}

/// `a.T`: the axes reversed, a view.
Value FunctionLowering::transposed(Location loc, Value array, Type resultPy) {
  int64_t rank = llvm::cast<MemRefType>(array.getType()).getRank();
  SmallVector<unsigned> perm;
  for (int64_t d = rank - 1; d >= 0; --d)
    perm.push_back(d);
  Value t = b.create<memref::TransposeOp>(loc, array, AffineMapAttr::get(AffineMap::getPermutationMap(perm, b.getContext())));
  SmallVector<Type> parts;
  lowerType(resultPy, parts);
  return t.getType() == parts[0] ? t : b.create<memref::CastOp>(loc, parts[0], t).getResult();
}

/// `array[index]`: an element (returned through `scalarOut`) or a view.
Value FunctionLowering::view(Location loc, Value array, Type arrayPy, Value indexValue, Type indexPy,
                             Type resultPy, Value *scalarOut) {
  auto base = llvm::cast<MemRefType>(arrayPy);
  // The index parts per axis: an int, or a slice's five lowered values.
  SmallVector<Type> partTypes;
  SmallVector<Value> flat = i64Parts(loc, indexValue);
  if (auto tuple = llvm::dyn_cast<TupleType>(indexPy))
    partTypes.assign(tuple.getTypes().begin(), tuple.getTypes().end());
  else
    partTypes.push_back(indexPy);
  SmallVector<Value> sizes = sizesOf(loc, array);
  SmallVector<OpFoldResult> offsets, viewSizes, strides;
  SmallVector<Value> loadIndices;
  bool allInts = true;
  size_t pos = 0;
  Value zero = cInt(loc, 0, i64()), one = cInt(loc, 1, i64());
  for (int64_t d = 0; d < base.getRank(); ++d) {
    Value size = sizes[d];
    if (d >= static_cast<int64_t>(partTypes.size())) {
      allInts = false;
      offsets.push_back(b.getIndexAttr(0));
      viewSizes.push_back(size);
      strides.push_back(b.getIndexAttr(1));
      continue;
    }
    Type t = partTypes[d];
    if (!llvm::isa<SliceType>(t)) {
      Value i = wrapIndex(loc, index(loc, flat[pos++]), size, d, indexElement(indexValue, d));
      loadIndices.push_back(i);
      offsets.push_back(i);
      viewSizes.push_back(b.getIndexAttr(1));
      strides.push_back(b.getIndexAttr(1));
      continue;
    }
    allInts = false;
    Value start = flat[pos], stop = flat[pos + 1], step = flat[pos + 2];
    Value hasStart = flat[pos + 3], hasStop = flat[pos + 4];
    pos += 5;
    // slice.indices(n), as CPython computes it.
    Value n = b.create<arith::IndexCastOp>(loc, i64(), size);
    raiseIf(loc, b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, step, zero), "ValueError",
            "slice step cannot be zero");
    Value negStep = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, step, zero);
    Value minusOne = cInt(loc, -1, i64());
    Value lower = b.create<arith::SelectOp>(loc, negStep, minusOne, zero);
    Value upper = b.create<arith::SelectOp>(loc, negStep, b.create<arith::SubIOp>(loc, n, one), n);
    auto clampBound = [&](Value v, Value given, Value fallback) {
      Value neg = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, v, zero);
      Value shifted = b.create<arith::AddIOp>(loc, v, n);
      Value low = b.create<arith::MaxSIOp>(loc, shifted, lower);
      Value high = b.create<arith::MinSIOp>(loc, v, upper);
      Value clamped = b.create<arith::SelectOp>(loc, neg, low, high);
      return b.create<arith::SelectOp>(loc, given, clamped, fallback).getResult();
    };
    Value s = clampBound(start, hasStart, b.create<arith::SelectOp>(loc, negStep, upper, zero));
    Value e = clampBound(stop, hasStop, b.create<arith::SelectOp>(loc, negStep, lower, n));
    // length = max(0, ceil((e - s) / step))
    Value span = b.create<arith::SubIOp>(loc, e, s);
    Value adj = b.create<arith::SelectOp>(loc, negStep, b.create<arith::AddIOp>(loc, step, one),
                                          b.create<arith::SubIOp>(loc, step, one));
    Value len = b.create<arith::DivSIOp>(loc, b.create<arith::AddIOp>(loc, span, adj), step);
    len = b.create<arith::MaxSIOp>(loc, len, zero);
    auto idx = [&](Value v) { return b.create<arith::IndexCastOp>(loc, b.getIndexType(), v).getResult(); };
    offsets.push_back(idx(s));
    viewSizes.push_back(idx(len));
    auto sliceOp = indexValue.getDefiningOp<MakeTupleOp>();
    Value sliceValue = sliceOp ? sliceOp.getElements()[d] : indexValue;
    if (hasUnitStep(sliceValue))
      strides.push_back(b.getIndexAttr(1));
    else
      strides.push_back(idx(step));
  }
  if (allInts && static_cast<int64_t>(loadIndices.size()) == base.getRank()) {
    Value element = b.create<memref::LoadOp>(loc, array, loadIndices);
    *scalarOut = convertElement(b, loc, element, base.getElementType(), resultPy);
    return {};
  }
  return subviewAs(loc, array, offsets, viewSizes, strides, resultPy);
}

FailureOr<Value> FunctionLowering::lowerGetItem(GetItemOp op) {
  Location loc = op.getLoc();
  Type base = op.getBase().getType();
  if (auto tuple = tupleOf(base)) {
    int64_t n = tuple.size();
    if (auto picked = constantSlice(op.getIndex(), n)) {
      SmallVector<Value> parts;
      for (int64_t k : *picked)
        llvm::append_range(parts, tupleElementParts(op.getBase(), k));
      mapValue(op, parts);
      return Value();
    }
    if (auto c = op.getIndex().getDefiningOp<ConstantOp>()) {
      int64_t i = llvm::cast<IntegerAttr>(c.getValue()).getInt();
      mapTupleElement(op, op.getBase(), i < 0 ? i + n : i);
      return Value();
    }
    // A run-time index into elements of one type: Python's wrap and IndexError, then each
    // part of the result selected among the elements' parts.
    Value i = toI64(loc, i64Parts(loc, op.getIndex())[0]);
    Value size = cInt(loc, n, i64()), zero = cInt(loc, 0, i64());
    Value negative = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, i, zero);
    i = b.create<arith::SelectOp>(loc, negative, b.create<arith::AddIOp>(loc, i, size), i);
    Value below = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, i, zero);
    Value above = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sge, i, size);
    raiseIf(loc, b.create<arith::OrIOp>(loc, below, above), "IndexError", "tuple index out of range");
    SmallVector<Value, 1> parts = values.lookup(op.getBase());
    size_t width = loweredSize(tuple.getType(0));
    SmallVector<Value> picked;
    for (size_t p = 0; p < width; ++p) {
      Value v = parts[p];
      for (int64_t k = 1; k < n; ++k) {
        Value isK = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, i, cInt(loc, k, i64()));
        v = b.create<arith::SelectOp>(loc, isK, parts[k * width + p], v);
      }
      picked.push_back(v);
    }
    mapValue(op, picked);
    return Value();
  }
  Value scalar;
  Value v = view(loc, one(op.getBase()), base, op.getIndex(), op.getIndex().getType(), op.getType(), &scalar);
  return v ? v : scalar;
}

LogicalResult FunctionLowering::lowerSetItem(SetItemOp op) {
  Location loc = op.getLoc();
  auto base = llvm::cast<MemRefType>(op.getBase().getType());
  FailureOr<Type> target = indexResult(op, base, op.getIndex());
  if (failed(target))
    return failure();
  Value array = one(op.getBase());
  Type valuePy = op.getValue().getType();
  Value value = one(op.getValue());
  if (!isArray(*target)) {
    // An element: store the converted scalar.
    SmallVector<Value> indices;
    SmallVector<Value> flat = i64Parts(loc, op.getIndex());
    SmallVector<Value> sizes = sizesOf(loc, array);
    for (int64_t d = 0; d < base.getRank(); ++d)
      indices.push_back(wrapIndex(loc, index(loc, flat[d]), sizes[d], d, indexElement(op.getIndex(), d)));
    b.create<memref::StoreOp>(loc, convertElement(b, loc, value, valuePy, base.getElementType()), array, indices);
    return success();
  }
  Value scalar;
  Value targetView = view(loc, array, base, op.getIndex(), op.getIndex().getType(), *target, &scalar);
  auto targetPy = llvm::cast<MemRefType>(*target);
  Type element = targetPy.getElementType();
  if (!isArray(valuePy)) {
    fillArray(loc, targetView, convertElement(b, loc, value, valuePy, element));
    return success();
  }
  value = unaliased(loc, array, value, valuePy);
  Type from = elemOf(valuePy);
  elementwise(loc, targetPy, {value}, {valuePy},
              [&](OpBuilder &nb, Location nl, ValueRange e) { return convertElement(nb, nl, e[0], from, element); },
              targetView);
  return success();
}

FailureOr<Value> FunctionLowering::lowerGetAttr(GetAttrOp op) {
  Location loc = op.getLoc();
  StringRef name = op.getField();
  Type objectPy = op.getObject().getType();
  if (isNumber(objectPy)) // .real is the number, .imag a zero (of int for a bool)
    return name == "real" ? convertElement(b, loc, one(op.getObject()), objectPy, op.getType())
                          : zeroOf(loc, storageType(op.getType()));
  if (isComplex(objectPy))
    return complexUnary(b, loc, name, one(op.getObject())); // .real, .imag
  auto arrayPy = llvm::cast<MemRefType>(op.getObject().getType());
  Value array = one(op.getObject());
  int64_t itemsize = itemBytes(arrayPy.getElementType());
  auto toI64Index = [&](Value v) { return b.create<arith::IndexCastOp>(loc, i64(), v).getResult(); };
  if (name == "shape") {
    SmallVector<Value> dims;
    for (Value s : sizesOf(loc, array))
      dims.push_back(toI64Index(s));
    mapValue(op, dims);
    return Value();
  }
  if (name == "strides") {
    auto meta = b.create<memref::ExtractStridedMetadataOp>(loc, array);
    SmallVector<Value> strides;
    for (Value s : meta.getStrides())
      strides.push_back(b.create<arith::MulIOp>(loc, toI64Index(s), cInt(loc, itemsize, i64())));
    mapValue(op, strides);
    return Value();
  }
  if (name == "ndim")
    return cInt(loc, arrayPy.getRank(), i64());
  if (name == "itemsize")
    return cInt(loc, itemsize, i64());
  if (name == "size" || name == "nbytes") {
    Value n = cInt(loc, 1, i64());
    for (Value s : sizesOf(loc, array))
      n = b.create<arith::MulIOp>(loc, n, toI64Index(s));
    return name == "size" ? n : b.create<arith::MulIOp>(loc, n, cInt(loc, itemsize, i64())).getResult();
  }
  if (name == "T")
    return transposed(loc, array, op.getType());
  if (name == "dtype")
    return Value(); // a compile-time value: calls took it as their dtype attribute
  return op.emitError("UnsupportedError: no lowering for the attribute ") << name;
}

/// np.dot / @ of 1-D and 2-D arrays through linalg's named ops (dot, matvec, vecmat, matmul).
Value FunctionLowering::dot(Location loc, Value a, MemRefType aPy, Value c, MemRefType cPy, Type resultPy) {
  Type e = isArray(resultPy) ? elemOf(resultPy) : elementwiseElement(aPy, cPy);
  // Operands of another dtype are converted first (linalg multiplies one element type).
  auto asElement = [&](Value v, MemRefType py) -> Value {
    if (py.getElementType() == e)
      return v;
    Type from = py.getElementType();
    return elementwise(loc, arrayType(e, py.getRank(), Layout::C), {v}, {py},
                       [&](OpBuilder &nb, Location nl, ValueRange x) { return convertElement(nb, nl, x[0], from, e); });
  };
  a = asElement(a, aPy);
  c = asElement(c, cPy);
  int64_t ra = aPy.getRank(), rc = cPy.getRank();
  Value inner = b.create<memref::DimOp>(loc, a, ra - 1);
  Value innerC = b.create<memref::DimOp>(loc, c, 0);
  raiseIf(loc, b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, inner, innerC), "ValueError",
          "shapes not aligned: the last axis of the first operand and the first axis of the second differ");
  Type st = storageType(e);
  Value zero = elementConstant(b, loc, 0, e);
  if (ra == 1 && rc == 1) {
    Value acc = b.create<memref::AllocaOp>(loc, MemRefType::get({}, st));
    fillArray(loc, acc, zero);
    b.create<linalg::DotOp>(loc, ValueRange{a, c}, ValueRange{acc});
    Value r = b.create<memref::LoadOp>(loc, acc, ValueRange{});
    return convertElement(b, loc, r, e, resultPy);
  }
  auto out = llvm::cast<MemRefType>(resultPy);
  SmallVector<Value> sizes;
  if (ra == 2)
    sizes.push_back(b.create<memref::DimOp>(loc, a, 0));
  if (rc == 2)
    sizes.push_back(b.create<memref::DimOp>(loc, c, 1));
  Value result = allocArray(loc, out, sizes);
  fillArray(loc, result, zero);
  if (ra == 2 && rc == 2)
    b.create<linalg::MatmulOp>(loc, ValueRange{a, c}, ValueRange{result});
  else if (ra == 2)
    b.create<linalg::MatvecOp>(loc, ValueRange{a, c}, ValueRange{result});
  else
    b.create<linalg::VecmatOp>(loc, ValueRange{a, c}, ValueRange{result});
  return result;
}

/// The `axis=` (or second positional) argument of a reduction, if any, made non-negative (a
/// constant; inference checked it).
std::optional<int64_t> FunctionLowering::axisOf(CallBuiltinOp op, int64_t rank) {
  auto kw = op.getKwnames();
  SmallVector<Value> args(op.getArgs());
  Value axisValue;
  if (kw && !kw->empty())
    axisValue = args.back();
  else if (args.size() > 1)
    axisValue = args[1];
  if (!axisValue)
    return std::nullopt;
  int64_t a = llvm::cast<IntegerAttr>(axisValue.getDefiningOp<ConstantOp>().getValue()).getInt();
  return a < 0 ? a + rank : a;
}

/// `array` in C order as a 1-D array: a view when it is contiguous (checked at run time,
/// ignoring strides of axes of length 1, as NumPy does) unless `alwaysCopy`, else a copy.
Value FunctionLowering::flat(Location loc, Value array, MemRefType arrayPy, bool alwaysCopy) {
  auto flatPy = arrayType(arrayPy.getElementType(), 1, Layout::C);
  SmallVector<Type> parts;
  lowerType(flatPy, parts);
  auto flatType = llvm::cast<MemRefType>(parts[0]);
  SmallVector<Value> sizes = sizesOf(loc, array);
  Value n = b.create<arith::ConstantIndexOp>(loc, 1);
  for (Value s : sizes)
    n = b.create<arith::MulIOp>(loc, n, s);
  auto flatOf = [&](Value contiguous) -> Value {
    auto meta = b.create<memref::ExtractStridedMetadataOp>(loc, contiguous);
    return b.create<memref::ReinterpretCastOp>(loc, flatType, meta.getBaseBuffer(), OpFoldResult(meta.getOffset()),
                                               ArrayRef<OpFoldResult>{Value(n)}, ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
  };
  if (alwaysCopy)
    return flatOf(copyOf(loc, array, arrayPy));
  auto meta = b.create<memref::ExtractStridedMetadataOp>(loc, array);
  Value one = b.create<arith::ConstantIndexOp>(loc, 1);
  Value expected = one;
  Value contiguous = b.create<arith::ConstantOp>(loc, b.getI1Type(), b.getBoolAttr(true));
  for (int64_t d = arrayPy.getRank() - 1; d >= 0; --d) {
    Value unit = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, sizes[d], one);
    Value dense = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, meta.getStrides()[d], expected);
    contiguous = b.create<arith::AndIOp>(loc, contiguous, b.create<arith::OrIOp>(loc, unit, dense));
    expected = b.create<arith::MulIOp>(loc, expected, sizes[d]);
  }
  return copyUnless(loc, contiguous, array, arrayPy, flatType, flatOf);
}

/// A C-order copy of `array`.
Value FunctionLowering::copyOf(Location loc, Value array, MemRefType arrayPy) {
  auto copyPy = arrayType(arrayPy.getElementType(), arrayPy.getRank(), Layout::C);
  return elementwise(loc, copyPy, {array}, {arrayPy}, [](OpBuilder &, Location, ValueRange e) { return e[0]; });
}

/// `adapt(array)` where `keep` holds at run time, else `adapt` of a C-order copy of it. The
/// two paths meet in a block argument of type `joined`: the copy's error checks need a CFG,
/// not scf.if.
Value FunctionLowering::copyUnless(Location loc, Value keep, Value array, MemRefType arrayPy, Type joined,
                                   llvm::function_ref<Value(Value)> adapt) {
  Block *copyBlock = new Block(), *join = new Block();
  join->addArgument(joined, loc);
  fn.getBody().push_back(copyBlock);
  fn.getBody().push_back(join);
  b.create<cf::CondBranchOp>(loc, keep, join, ValueRange{adapt(array)}, copyBlock, ValueRange{});
  b.setInsertionPointToEnd(copyBlock);
  b.create<cf::BranchOp>(loc, join, ValueRange{adapt(copyOf(loc, array, arrayPy))});
  b.setInsertionPointToEnd(join);
  return join->getArgument(0);
}

/// `a.reshape(shape)`: a C-order view of `flat(a)` with the new sizes; one size may be -1.
Value FunctionLowering::reshape(Location loc, Value array, MemRefType arrayPy, ValueRange shape, MemRefType resultPy) {
  Value source = flat(loc, array, arrayPy, false);
  Value n = b.create<memref::DimOp>(loc, source, 0);
  Value zero = b.create<arith::ConstantIndexOp>(loc, 0), one = b.create<arith::ConstantIndexOp>(loc, 1);
  // The product of the given sizes, and how many are -1.
  Value known = one, unknowns = zero, negative = b.create<arith::ConstantOp>(loc, b.getI1Type(), b.getBoolAttr(false));
  SmallVector<Value> sizes;
  for (Value v : shape) {
    Value s = index(loc, v);
    Value isUnknown = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, s, b.create<arith::ConstantIndexOp>(loc, -1));
    unknowns = b.create<arith::AddIOp>(loc, unknowns, b.create<arith::SelectOp>(loc, isUnknown, one, zero));
    negative = b.create<arith::OrIOp>(loc, negative, b.create<arith::AndIOp>(loc, b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, s, zero),
                                                                            b.create<arith::XOrIOp>(loc, isUnknown, b.create<arith::ConstantOp>(loc, b.getI1Type(), b.getBoolAttr(true)))));
    known = b.create<arith::MulIOp>(loc, known, b.create<arith::SelectOp>(loc, isUnknown, one, s));
    sizes.push_back(s);
  }
  raiseIf(loc, negative, "ValueError", "negative dimensions not allowed");
  raiseIf(loc, b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ugt, unknowns, one), "ValueError",
          "can only specify one unknown dimension");
  // -1 stands for n / known, which must divide exactly.
  Value safeKnown = b.create<arith::SelectOp>(loc, b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, known, zero), one, known);
  Value inferred = b.create<arith::DivUIOp>(loc, n, safeKnown);
  Value total = one;
  for (Value &s : sizes) {
    Value isUnknown = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, s, b.create<arith::ConstantIndexOp>(loc, -1));
    s = b.create<arith::SelectOp>(loc, isUnknown, inferred, s);
    total = b.create<arith::MulIOp>(loc, total, s);
  }
  raiseIf(loc, b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, total, n), "ValueError",
          "cannot reshape the array into this shape: the sizes differ");
  SmallVector<OpFoldResult> sizeFolds, strides(sizes.size());
  Value stride = one;
  for (int64_t d = sizes.size() - 1; d >= 0; --d) {
    // The innermost stride is static in the C-layout type.
    strides[d] = d == static_cast<int64_t>(sizes.size()) - 1 ? OpFoldResult(b.getIndexAttr(1)) : OpFoldResult(stride);
    stride = b.create<arith::MulIOp>(loc, stride, sizes[d]);
  }
  for (Value s : sizes)
    sizeFolds.push_back(s);
  SmallVector<Type> parts;
  lowerType(resultPy, parts);
  auto meta = b.create<memref::ExtractStridedMetadataOp>(loc, source);
  return b.create<memref::ReinterpretCastOp>(loc, llvm::cast<MemRefType>(parts[0]), meta.getBaseBuffer(),
                                             OpFoldResult(meta.getOffset()), sizeFolds, strides);
}

/// np.outer: the flattened operands as a column and a row, multiplied with broadcasting.
Value FunctionLowering::outer(Location loc, Value a, MemRefType aPy, Value c, MemRefType cPy, MemRefType resultPy) {
  auto asAxis = [&](Value array, MemRefType py, int64_t axis) {
    Value v = flat(loc, array, py, false);
    Value n = b.create<memref::DimOp>(loc, v, 0);
    auto meta = b.create<memref::ExtractStridedMetadataOp>(loc, v);
    SmallVector<OpFoldResult> sizes{b.getIndexAttr(1), b.getIndexAttr(1)}, strides{b.getIndexAttr(0), b.getIndexAttr(0)};
    sizes[axis] = n;
    strides[axis] = b.getIndexAttr(1);
    auto type = MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic}, storageType(py.getElementType()),
                                StridedLayoutAttr::get(b.getContext(), ShapedType::kDynamic, {ShapedType::kDynamic, ShapedType::kDynamic}));
    return b.create<memref::ReinterpretCastOp>(loc, type, meta.getBaseBuffer(), OpFoldResult(meta.getOffset()), sizes, strides).getResult();
  };
  auto colPy = arrayType(aPy.getElementType(), 2, Layout::A), rowPy = arrayType(cPy.getElementType(), 2, Layout::A);
  return elementwise(loc, resultPy, {asAxis(a, aPy, 0), asAxis(c, cPy, 1)}, {colPy, rowPy},
                     binOpBody("mul", colPy, rowPy, resultPy.getElementType()));
}

/// np.trace of a 2-D array: the sum of its main diagonal.
Value FunctionLowering::trace(Location loc, Value array, MemRefType arrayPy, Type resultPy) {
  Type e = arrayPy.getElementType();
  Value n = b.create<arith::MinSIOp>(loc, b.create<memref::DimOp>(loc, array, 0), b.create<memref::DimOp>(loc, array, 1));
  Value zero = elementConstant(b, loc, 0, resultPy);
  auto loop = b.create<scf::ForOp>(loc, b.create<arith::ConstantIndexOp>(loc, 0), n, b.create<arith::ConstantIndexOp>(loc, 1),
                                   ValueRange{zero}, [&](OpBuilder &nb, Location nl, Value i, ValueRange acc) {
                                     Value x = convertElement(nb, nl, nb.create<memref::LoadOp>(nl, array, ValueRange{i, i}), e, resultPy);
                                     nb.create<scf::YieldOp>(nl, accumulate(nb, nl, "add", acc[0], x));
                                   });
  return loop.getResult(0);
}

/// cumsum/cumprod: running totals in C order over the whole array (a 1-D result), or along
/// `axis` (the array's shape).
Value FunctionLowering::cumulative(Location loc, StringRef name, Value array, MemRefType arrayPy,
                                   std::optional<int64_t> axis, MemRefType resultPy) {
  Type e = arrayPy.getElementType(), acc = resultPy.getElementType();
  bool product = name == "cumprod";
  int64_t rank = arrayPy.getRank();
  SmallVector<Value> sizes = sizesOf(loc, array);
  Value zeroIdx = b.create<arith::ConstantIndexOp>(loc, 0), oneIdx = b.create<arith::ConstantIndexOp>(loc, 1);
  Value result;
  if (axis) {
    result = allocArray(loc, resultPy, sizes);
  } else {
    Value n = oneIdx;
    for (Value s : sizes)
      n = b.create<arith::MulIOp>(loc, n, s);
    result = allocArray(loc, resultPy, {n});
  }
  // Outer loops over the axes kept; an inner nest scans the others, carrying the total and
  // (without an axis) the position in the 1-D result.
  SmallVector<int64_t> outerAxes, scanAxes;
  for (int64_t d = 0; d < rank; ++d)
    (axis && *axis != d ? outerAxes : scanAxes).push_back(d);
  auto bounds = [&](ArrayRef<int64_t> axes, SmallVector<Value> &lbs, SmallVector<Value> &ubs, SmallVector<Value> &steps) {
    for (int64_t d : axes) {
      lbs.push_back(zeroIdx);
      ubs.push_back(sizes[d]);
      steps.push_back(oneIdx);
    }
  };
  SmallVector<Value> olbs, oubs, osteps;
  bounds(outerAxes, olbs, oubs, osteps);
  scf::buildLoopNest(b, loc, olbs, oubs, osteps, [&](OpBuilder &nb, Location nl, ValueRange outerIvs) {
    SmallVector<Value> slbs, subs, ssteps;
    bounds(scanAxes, slbs, subs, ssteps);
    Value start = elementConstant(nb, nl, product, acc);
    scf::buildLoopNest(nb, nl, slbs, subs, ssteps, ValueRange{start, zeroIdx},
                       [&](OpBuilder &lb, Location ll, ValueRange ivs, ValueRange carried) -> scf::ValueVector {
                         SmallVector<Value> at(rank);
                         for (auto [d, iv] : llvm::zip(outerAxes, outerIvs))
                           at[d] = iv;
                         for (auto [d, iv] : llvm::zip(scanAxes, ivs))
                           at[d] = iv;
                         Value x = convertElement(lb, ll, lb.create<memref::LoadOp>(ll, array, at), e, acc);
                         Value total = accumulate(lb, ll, product ? "mul" : "add", carried[0], x);
                         if (axis)
                           lb.create<memref::StoreOp>(ll, total, result, at);
                         else
                           lb.create<memref::StoreOp>(ll, total, result, ValueRange{carried[1]});
                         return {total, lb.create<arith::AddIOp>(ll, carried[1], lb.create<arith::ConstantIndexOp>(ll, 1))};
                       });
  });
  return result;
}

/// A reduction of `array` to a scalar (no axis) or along `axis=`, by scf loops.
Value FunctionLowering::reduce(Location loc, CallBuiltinOp op, StringRef name, Value array,
                               MemRefType arrayPy, Type resultPy) {
  Type e = arrayPy.getElementType();
  int64_t rank = arrayPy.getRank();
  std::optional<int64_t> axis = axisOf(op, rank);
  // np.nanmin/np.nanmax: min/max that skip NaNs (maxnumf/minnumf from a NaN start, so an
  // all-NaN reduction gives NaN, as NumPy's).
  bool skipNan = name.consume_front("nan");
  // The accumulator's py type: the result's element (or scalar) type.
  Type accPy = isArray(resultPy) ? elemOf(resultPy) : resultPy;
  bool isArg = name == "argmin" || name == "argmax";
  bool isMean = name == "mean", isVar = name == "var" || name == "std";
  // Means and variances of real arrays accumulate in float64; complex means in complex128.
  Type meanPy = llvm::isa<ComplexType>(accPy) ? accPy : Type(b.getF64Type());
  Type computePy = isArg || name == "min" || name == "max" ? e : (isMean || isVar) ? meanPy : accPy;
  if (name == "any" || name == "all")
    computePy = b.getI1Type();
  bool fl = llvm::isa<FloatType>(computePy);
  auto constant = [&](OpBuilder &nb, Location nl, int64_t v) { return elementConstant(nb, nl, v, computePy); };
  SmallVector<Value> sizes = sizesOf(loc, array);
  Value zeroIdx = b.create<arith::ConstantIndexOp>(loc, 0), oneIdx = b.create<arith::ConstantIndexOp>(loc, 1);
  // Reduces over the axes in `reduced` at fixed outer indices `outer` (full rank, with
  // placeholders at reduced axes); returns the accumulated value (and for argmin/argmax,
  // the index as i64; for mean/var the count).
  SmallVector<int64_t> reducedAxes;
  for (int64_t d = 0; d < rank; ++d)
    if (!axis || *axis == d)
      reducedAxes.push_back(d);
  Value count = cInt(loc, 1, i64());
  for (int64_t d : reducedAxes)
    count = b.create<arith::MulIOp>(loc, count, b.create<arith::IndexCastOp>(loc, i64(), sizes[d]));
  if (name == "min" || name == "max" || isArg)
    raiseIf(loc, b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, count, cInt(loc, 0, i64())), "ValueError",
            "zero-size array to reduction operation which has no identity");
  // min/max (and argmin/argmax's start): minimumf/maximumf for floats (they propagate NaN,
  // as NumPy does, and vectorize), unsigned compares for unsigned ints and bools.
  bool toMax = name == "max" || name == "argmax";
  arith::AtomicRMWKind minMax = fl && skipNan ? (toMax ? arith::AtomicRMWKind::maxnumf : arith::AtomicRMWKind::minnumf)
                                : fl ? (toMax ? arith::AtomicRMWKind::maximumf : arith::AtomicRMWKind::minimumf)
                                : isUnsignedElement(e) || e.isInteger(1)
                                    ? (toMax ? arith::AtomicRMWKind::maxu : arith::AtomicRMWKind::minu)
                                    : (toMax ? arith::AtomicRMWKind::maxs : arith::AtomicRMWKind::mins);
  auto reduceAt = [&](OpBuilder &nb, Location nl, SmallVector<Value> outer, Value mean) -> SmallVector<Value> {
    SmallVector<Value> lbs, ubs, steps;
    for (int64_t d : reducedAxes) {
      lbs.push_back(zeroIdx);
      ubs.push_back(sizes[d]);
      steps.push_back(oneIdx);
    }
    SmallVector<Value> inits;
    if (name == "sum" || isMean || isVar)
      inits.push_back(constant(nb, nl, 0));
    else if (name == "prod")
      inits.push_back(constant(nb, nl, 1));
    else if (name == "any")
      inits.push_back(nb.create<arith::ConstantOp>(nl, nb.getI1Type(), nb.getBoolAttr(false)));
    else if (name == "all")
      inits.push_back(nb.create<arith::ConstantOp>(nl, nb.getI1Type(), nb.getBoolAttr(true)));
    else {
      // min/max/argmin/argmax start from their identity (+inf for a float min, the largest
      // value for an integer min...), not from a load of the first element: the loop then
      // reads only in bounds, and numlir-fuse-reductions may run it together with other
      // reductions of the array. (An argmin over values all equal to the identity still
      // finds index 0: only a strictly better element moves it.)
      inits.push_back(fl && skipNan ? nb.create<arith::ConstantOp>(nl, e, nb.getFloatAttr(e, std::numeric_limits<double>::quiet_NaN())).getResult()
                                    : arith::getIdentityValue(minMax, storageType(e), nb, nl));
      inits.push_back(nb.create<arith::ConstantOp>(nl, nb.getI64Type(), nb.getI64IntegerAttr(0)));
      inits.push_back(nb.create<arith::ConstantOp>(nl, nb.getI64Type(), nb.getI64IntegerAttr(0)));
    }
    scf::LoopNest nest = scf::buildLoopNest(
        nb, nl, lbs, ubs, steps, inits,
        [&](OpBuilder &lb, Location ll, ValueRange ivs, ValueRange acc) -> scf::ValueVector {
          SmallVector<Value> at(outer);
          for (auto [d, iv] : llvm::zip(reducedAxes, ivs))
            at[d] = iv;
          Value raw = lb.create<memref::LoadOp>(ll, array, at);
          if (name == "min" || name == "max")
            return {arith::getReductionOp(minMax, lb, ll, acc[0], raw), acc[1], acc[2]};
          if (isArg) {
            // NaN wins, as in NumPy: once the best is NaN it stays.
            Value best = acc[0];
            Value better;
            if (fl) {
              Value cmp = lb.create<arith::CmpFOp>(ll, toMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT, raw, best);
              Value xNan = lb.create<arith::CmpFOp>(ll, arith::CmpFPredicate::UNO, raw, raw);
              Value bestNan = lb.create<arith::CmpFOp>(ll, arith::CmpFPredicate::UNO, best, best);
              better = lb.create<arith::AndIOp>(ll, lb.create<arith::OrIOp>(ll, cmp, xNan),
                                                lb.create<arith::XOrIOp>(ll, bestNan, lb.create<arith::ConstantOp>(ll, lb.getI1Type(), lb.getBoolAttr(true))));
            } else {
              better = elementCompare(lb, ll, toMax ? "gt" : "lt", raw, best, e);
            }
            Value position = acc[2];
            Value newBest = lb.create<arith::SelectOp>(ll, better, raw, best);
            Value newIndex = lb.create<arith::SelectOp>(ll, better, position, acc[1]);
            Value next = lb.create<arith::AddIOp>(ll, position, lb.create<arith::ConstantOp>(ll, lb.getI64Type(), lb.getI64IntegerAttr(1)));
            return {newBest, newIndex, next};
          }
          Value x = convertElement(lb, ll, raw, e, computePy);
          if (name == "any")
            return {lb.create<arith::OrIOp>(ll, acc[0], x)};
          if (name == "all")
            return {lb.create<arith::AndIOp>(ll, acc[0], x)};
          if (isVar && mean) {
            Value dev = lb.create<arith::SubFOp>(ll, x, mean);
            return {accumulate(lb, ll, "add", acc[0], lb.create<arith::MulFOp>(ll, dev, dev), true)};
          }
          return {accumulate(lb, ll, name == "prod" ? "mul" : "add", acc[0], x, true)};
        });
    return SmallVector<Value>(nest.results);
  };
  // Turns the accumulators at `outer` into the result value (py type accPy).
  auto finish = [&](OpBuilder &nb, Location nl, SmallVector<Value> outer) -> Value {
    Value n = nb.create<arith::SIToFPOp>(nl, nb.getF64Type(), count);
    if (isMean || isVar) {
      Value sum = reduceAt(nb, nl, outer, {})[0];
      auto complexSum = llvm::dyn_cast<ComplexType>(sum.getType());
      Value mean = complexSum ? complexBinary(nb, nl, "truediv", sum, complexFrom(nb, nl, n, nb.getF64Type(), complexSum))
                              : nb.create<arith::DivFOp>(nl, sum, n).getResult();
      if (isMean)
        return convertElement(nb, nl, mean, meanPy, accPy);
      Value ss = reduceAt(nb, nl, outer, mean)[0];
      Value var = nb.create<arith::DivFOp>(nl, ss, n);
      if (name == "std")
        var = nb.create<math::SqrtOp>(nl, var);
      return convertElement(nb, nl, var, nb.getF64Type(), accPy);
    }
    SmallVector<Value> acc = reduceAt(nb, nl, outer, {});
    if (isArg)
      return acc[1];
    return convertElement(nb, nl, acc[0], computePy, accPy);
  };
  if (!isArray(resultPy)) {
    SmallVector<Value> outer(rank, zeroIdx);
    return finish(b, loc, outer);
  }
  // Along an axis: a loop nest over the other axes writes each result element.
  auto resultArrayPy = llvm::cast<MemRefType>(resultPy);
  SmallVector<Value> outSizes;
  for (int64_t d = 0; d < rank; ++d)
    if (d != *axis)
      outSizes.push_back(sizes[d]);
  Value result = allocArray(loc, resultArrayPy, outSizes);
  SmallVector<Value> lbs(outSizes.size(), zeroIdx), steps(outSizes.size(), oneIdx);
  scf::buildLoopNest(b, loc, lbs, outSizes, steps, [&](OpBuilder &nb, Location nl, ValueRange ivs) {
    SmallVector<Value> outer;
    size_t k = 0;
    for (int64_t d = 0; d < rank; ++d)
      outer.push_back(d == *axis ? zeroIdx : ivs[k++]);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
    Value v = finish(b, nl, outer);
    b.create<memref::StoreOp>(nl, convertElement(b, nl, v, accPy, resultArrayPy.getElementType()), result, ivs);
  });
  return result;
}

FailureOr<SmallVector<Value>> FunctionLowering::lowerArrayCall(CallBuiltinOp op) {
  Location loc = op.getLoc();
  StringRef name = op.getCallee();
  Type resultPy = op.getType();
  SmallVector<Value> args;
  SmallVector<Type> argPy;
  for (Value a : op.getArgs()) {
    // Narrow int scalars (sizes, counts, fill values) come as int64.
    bool narrowInt = isInt(a.getType()) && !isUnsigned64(a.getType());
    argPy.push_back(narrowInt ? i64() : a.getType());
    SmallVector<Value> parts = i64Parts(loc, a);
    args.push_back(parts.empty() ? Value() : parts[0]);
  }
  bool method = name.consume_front("ndarray.");
  if (!method && !name.consume_front("np."))
    return failure();
  if (method && (name == "conjugate" || name == "conj") && isComplex(argPy[0]))
    return SmallVector<Value>{complexUnary(b, loc, name, args[0])};
  if (method && (name == "conjugate" || name == "conj") && isNumber(argPy[0]))
    return SmallVector<Value>{convertElement(b, loc, one(op.getArgs()[0]), op.getArgs()[0].getType(), resultPy)};
  auto resultArray = llvm::dyn_cast<MemRefType>(resultPy);
  Type resultElement = resultArray ? resultArray.getElementType() : resultPy;
  auto shapeOf = [&](Value shapeArg) {
    SmallVector<Value> sizes;
    for (Value v : i64Parts(loc, shapeArg))
      sizes.push_back(index(loc, v));
    return sizes;
  };
  auto single = [](Value v) { return SmallVector<Value>{v}; };
  if (name == "empty" || name == "zeros" || name == "ones" || name == "full") {
    SmallVector<Value> sizes = shapeOf(op.getArgs()[0]);
    // As NumPy: a negative size is an error (and later code may rely on sizes >= 0).
    Value zero = b.create<arith::ConstantIndexOp>(loc, 0);
    Value negative = b.create<arith::ConstantOp>(loc, b.getI1Type(), b.getBoolAttr(false));
    for (Value s : sizes)
      negative = b.create<arith::OrIOp>(loc, negative, b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, s, zero));
    raiseIf(loc, negative, "ValueError", "negative dimensions are not allowed");
    Value array = allocArray(loc, resultArray, sizes);
    if (name == "zeros" || name == "ones")
      fillArray(loc, array, elementConstant(b, loc, name == "ones", resultElement));
    if (name == "full")
      fillArray(loc, array, convertElement(b, loc, args[1], argPy[1], resultElement));
    return single(array);
  }
  if (name == "empty_like" || name == "zeros_like" || name == "ones_like" || name == "full_like") {
    Value array = allocArray(loc, resultArray, sizesOf(loc, args[0]));
    if (name != "empty_like") {
      Value v = name == "full_like" ? convertElement(b, loc, args[1], argPy[1], resultElement)
                                    : elementConstant(b, loc, name == "ones_like", resultElement);
      fillArray(loc, array, v);
    }
    return single(array);
  }
  if (name == "copy" || name == "astype" || name == "flatten" || name == "ravel") {
    Type from = elemOf(argPy[0]);
    Value source = args[0];
    auto sourcePy = llvm::cast<MemRefType>(argPy[0]);
    if (name == "flatten" || name == "ravel")
      return single(flat(loc, source, sourcePy, name == "flatten"));
    return single(elementwise(loc, resultArray, {source}, {argPy[0]},
                              [&](OpBuilder &nb, Location nl, ValueRange e) {
                                return convertElement(nb, nl, e[0], from, resultElement);
                              }));
  }
  if (name == "fill") {
    fillArray(loc, args[0], convertElement(b, loc, args[1], argPy[1], elemOf(argPy[0])));
    return SmallVector<Value>{};
  }
  if (name == "transpose")
    return single(transposed(loc, args[0], resultPy));
  if (name == "arange") {
    Value start, stop, step;
    auto asF64 = [&](size_t i) { return convertElement(b, loc, args[i], argPy[i], b.getF64Type()); };
    auto asI64 = [&](size_t i) { return convertElement(b, loc, args[i], argPy[i], b.getI64Type()); };
    bool anyFloat = llvm::any_of(argPy, [](Type x) { return isFloat(x); });
    auto get = [&](size_t i) { return anyFloat ? asF64(i) : asI64(i); };
    Type work = anyFloat ? Type(b.getF64Type()) : Type(b.getI64Type());
    Value zero = anyFloat ? cF64(loc, 0.0) : cInt(loc, 0, i64());
    Value oneV = anyFloat ? cF64(loc, 1.0) : cInt(loc, 1, i64());
    start = args.size() == 1 ? zero : get(0);
    stop = args.size() == 1 ? get(0) : get(1);
    step = args.size() == 3 ? get(2) : oneV;
    // length = ceil((stop - start) / step), at least 0
    Value n;
    if (anyFloat) {
      Value q = b.create<math::CeilOp>(loc, b.create<arith::DivFOp>(loc, b.create<arith::SubFOp>(loc, stop, start), step));
      n = b.create<arith::FPToSIOp>(loc, i64(), b.create<arith::MaximumFOp>(loc, q, zero));
    } else {
      raiseIf(loc, b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, step, zero), "ZeroDivisionError",
              "division by zero");
      Value span = b.create<arith::SubIOp>(loc, stop, start);
      Value q = b.create<arith::CeilDivSIOp>(loc, span, step);
      n = b.create<arith::MaxSIOp>(loc, q, zero);
    }
    Value array = allocArray(loc, resultArray, {index(loc, n)});
    Value lb = b.create<arith::ConstantIndexOp>(loc, 0), ub = index(loc, n), st = b.create<arith::ConstantIndexOp>(loc, 1);
    b.create<scf::ForOp>(loc, lb, ub, st, ValueRange{}, [&](OpBuilder &nb, Location nl, Value iv, ValueRange) {
      Value i = nb.create<arith::IndexCastOp>(nl, nb.getI64Type(), iv);
      Value v = anyFloat ? nb.create<arith::AddFOp>(nl, start, nb.create<arith::MulFOp>(nl, nb.create<arith::SIToFPOp>(nl, work, i), step)).getResult()
                         : nb.create<arith::AddIOp>(nl, start, nb.create<arith::MulIOp>(nl, i, step)).getResult();
      nb.create<memref::StoreOp>(nl, convertElement(nb, nl, v, work, resultElement), array, ValueRange{iv});
      nb.create<scf::YieldOp>(nl);
    });
    return single(array);
  }
  if (name == "linspace") {
    Value start = convertElement(b, loc, args[0], argPy[0], b.getF64Type());
    Value stop = convertElement(b, loc, args[1], argPy[1], b.getF64Type());
    Value num = args.size() > 2 ? toI64(loc, args[2]) : cInt(loc, 50, i64());
    raiseIf(loc, b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, num, cInt(loc, 0, i64())), "ValueError",
            "Number of samples must be non-negative.");
    Value array = allocArray(loc, resultArray, {index(loc, num)});
    Value div = b.create<arith::SIToFPOp>(loc, f64(), b.create<arith::MaxSIOp>(loc, b.create<arith::SubIOp>(loc, num, cInt(loc, 1, i64())), cInt(loc, 1, i64())));
    Value step = b.create<arith::DivFOp>(loc, b.create<arith::SubFOp>(loc, stop, start), div);
    Value lb = b.create<arith::ConstantIndexOp>(loc, 0), st = b.create<arith::ConstantIndexOp>(loc, 1);
    Value last = b.create<arith::IndexCastOp>(loc, b.getIndexType(), b.create<arith::SubIOp>(loc, num, cInt(loc, 1, i64())));
    b.create<scf::ForOp>(loc, lb, index(loc, num), st, ValueRange{}, [&](OpBuilder &nb, Location nl, Value iv, ValueRange) {
      Value i = nb.create<arith::SIToFPOp>(nl, nb.getF64Type(), nb.create<arith::IndexCastOp>(nl, nb.getI64Type(), iv));
      Value v = nb.create<arith::AddFOp>(nl, start, nb.create<arith::MulFOp>(nl, i, step));
      // The last sample is `stop` exactly, as in NumPy.
      Value isLast = nb.create<arith::CmpIOp>(nl, arith::CmpIPredicate::eq, iv, last);
      Value gt1 = nb.create<arith::CmpIOp>(nl, arith::CmpIPredicate::sgt, num, nb.create<arith::ConstantOp>(nl, nb.getI64Type(), nb.getI64IntegerAttr(1)));
      v = nb.create<arith::SelectOp>(nl, nb.create<arith::AndIOp>(nl, isLast, gt1), stop, v);
      nb.create<memref::StoreOp>(nl, convertElement(nb, nl, v, nb.getF64Type(), resultElement), array, ValueRange{iv});
      nb.create<scf::YieldOp>(nl);
    });
    return single(array);
  }
  if (name == "eye" || name == "identity") {
    Value n = index(loc, args[0]);
    Value array = allocArray(loc, resultArray, {n, n});
    fillArray(loc, array, elementConstant(b, loc, 0, resultElement));
    Value oneV = elementConstant(b, loc, 1, resultElement);
    Value lb = b.create<arith::ConstantIndexOp>(loc, 0), st = b.create<arith::ConstantIndexOp>(loc, 1);
    b.create<scf::ForOp>(loc, lb, n, st, ValueRange{}, [&](OpBuilder &nb, Location nl, Value iv, ValueRange) {
      nb.create<memref::StoreOp>(nl, oneV, array, ValueRange{iv, iv});
      nb.create<scf::YieldOp>(nl);
    });
    return single(array);
  }
  if (llvm::is_contained({"sum", "prod", "min", "max", "mean", "std", "var", "argmin", "argmax", "any", "all",
                          "nanmin", "nanmax"},
                         name))
    return single(reduce(loc, op, name, args[0], llvm::cast<MemRefType>(argPy[0]), resultPy));
  if (name == "dot" || name == "matmul")
    return single(dot(loc, args[0], llvm::cast<MemRefType>(argPy[0]), args[1], llvm::cast<MemRefType>(argPy[1]), resultPy));
  if (name == "vdot") {
    // Both operands flattened; then a 1-D dot product.
    auto aPy = llvm::cast<MemRefType>(argPy[0]), cPy = llvm::cast<MemRefType>(argPy[1]);
    Value fa = flat(loc, args[0], aPy, false), fc = flat(loc, args[1], cPy, false);
    if (llvm::isa<ComplexType>(aPy.getElementType())) {
      // vdot conjugates its first operand.
      auto flatPy = arrayType(aPy.getElementType(), 1, Layout::C);
      fa = elementwise(loc, flatPy, {fa}, {flatPy},
                       [](OpBuilder &nb, Location nl, ValueRange e) { return complexUnary(nb, nl, "conj", e[0]); });
    }
    return single(dot(loc, fa, arrayType(aPy.getElementType(), 1, Layout::C), fc,
                      arrayType(cPy.getElementType(), 1, Layout::C), resultPy));
  }
  if (name == "outer")
    return single(outer(loc, args[0], llvm::cast<MemRefType>(argPy[0]), args[1], llvm::cast<MemRefType>(argPy[1]), resultArray));
  if (name == "trace")
    return single(trace(loc, args[0], llvm::cast<MemRefType>(argPy[0]), resultPy));
  if (name == "cumsum" || name == "cumprod") {
    auto arrayPy = llvm::cast<MemRefType>(argPy[0]);
    return single(cumulative(loc, name, args[0], arrayPy, axisOf(op, arrayPy.getRank()), resultArray));
  }
  if (name == "reshape") {
    SmallVector<Value> shape = lowered(op.getArgs().drop_front());
    return single(reshape(loc, args[0], llvm::cast<MemRefType>(argPy[0]), shape, resultArray));
  }
  // Ufuncs, np.where and np.clip on scalars (on arrays they are element expressions).
  if (!resultArray && (name == "where" || name == "clip" || isUfunc(b.getContext(), name))) {
    // The scalars as they are (args holds narrow ints widened to int64, for sizes).
    SmallVector<Type> scalarPy(op.getArgs().getTypes());
    ElementFn body = numpyElementBody(name, scalarPy, resultElement);
    SmallVector<Value> elements;
    for (Value a : op.getArgs())
      elements.push_back(convertElement(b, loc, one(a), a.getType(), elemOf(a.getType())));
    return single(convertElement(b, loc, body(b, loc, elements), resultElement, scalarOf(resultElement)));
  }
  return op.emitError("UnsupportedError: no lowering for np.") << name, failure();
}

/// `source` to be read while `target` is written: a copy when both share one buffer (NumPy
/// gives the result of reading all of source before writing), else `source` itself. Both
/// paths meet as the general strided layout, which `sourcePy` becomes.
Value FunctionLowering::unaliased(Location loc, Value target, Value source, Type &sourcePy) {
  auto sourceArray = llvm::cast<MemRefType>(sourcePy);
  auto anyPy = arrayType(sourceArray.getElementType(), sourceArray.getRank(), Layout::A);
  SmallVector<Type> parts;
  lowerType(anyPy, parts);
  Value separate = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne,
                                           b.create<memref::ExtractAlignedPointerAsIndexOp>(loc, target),
                                           b.create<memref::ExtractAlignedPointerAsIndexOp>(loc, source));
  sourcePy = anyPy;
  return copyUnless(loc, separate, source, sourceArray, parts[0],
                    [&](Value v) { return b.create<memref::CastOp>(loc, parts[0], v).getResult(); });
}

/// `a op= b` on an array `a`: computed into `a` itself (an array b that shares a's buffer
/// is read from a copy).
Value FunctionLowering::inplace(BinOp op) {
  Location loc = op.getLoc();
  auto lhsPy = llvm::cast<MemRefType>(op.getLhs().getType());
  Type rhsPy = op.getRhs().getType();
  Value lhs = one(op.getLhs()), rhs = one(op.getRhs());
  if (isArray(rhsPy))
    rhs = unaliased(loc, lhs, rhs, rhsPy);
  elementwise(loc, lhsPy, {lhs, rhs}, {lhsPy, rhsPy}, binOpBody(op.getKind(), lhsPy, rhsPy, lhsPy.getElementType()), lhs);
  return lhs;
}

/// The elementwise operation `op` computes, when it is one with an array result.
std::optional<FunctionLowering::ElementExpr> FunctionLowering::elementExpr(Operation &op) {
  if (op.getNumResults() != 1)
    return std::nullopt;
  auto resultPy = llvm::dyn_cast<MemRefType>(op.getResult(0).getType());
  if (!resultPy)
    return std::nullopt;
  Type out = resultPy.getElementType();
  auto expr = [&](ValueRange operands, ElementFn body) {
    ElementExpr e{SmallVector<Value>(operands), {}, std::move(body), resultPy};
    for (Value v : operands)
      e.operandPy.push_back(v.getType());
    return e;
  };
  if (auto bin = llvm::dyn_cast<BinOp>(op)) {
    if (bin.getKind() == "matmul" || (bin.getInplace() && isArray(bin.getLhs().getType())))
      return std::nullopt;
    return expr(op.getOperands(), binOpBody(bin.getKind(), bin.getLhs().getType(), bin.getRhs().getType(), out));
  }
  if (auto cmp = llvm::dyn_cast<CmpOp>(op))
    return expr(op.getOperands(), cmpBody(cmp.getPredicate(), cmp.getLhs().getType(), cmp.getRhs().getType()));
  if (auto un = llvm::dyn_cast<UnOp>(op))
    return expr(op.getOperands(), unOpBody(un.getKind(), out));
  auto call = llvm::dyn_cast<CallBuiltinOp>(op);
  if (!call || call.getKwnames())
    return std::nullopt;
  StringRef name = call.getCallee();
  if (name == "abs")
    name = "np.abs";
  if (!name.consume_front("np.") || !(name == "where" || name == "clip" || isUfunc(b.getContext(), name)))
    return std::nullopt;
  SmallVector<Type> argPy(call.getArgs().getTypes());
  return expr(call.getArgs(), numpyElementBody(name, argPy, out));
}

/// Whether the elementwise `op` can be computed inside its user's loop: the user is the
/// only one, is elementwise too, and nothing between them may write arrays.
bool FunctionLowering::fusesIntoUser(Operation &op) {
  Value result = op.getResult(0);
  if (!result.hasOneUse())
    return false;
  Operation *user = *result.user_begin();
  if (user->getBlock() != op.getBlock() || !elementExpr(*user))
    return false;
  for (Operation *o = op.getNextNode(); o != user; o = o->getNextNode())
    if (mayWriteArrays(*o))
      return false;
  return true;
}

/// Builds `expr` and the pending expressions it reads as one linalg.generic over their
/// leaves (the non-pending operands, each read once).
Value FunctionLowering::materialize(Location loc, const ElementExpr &expr) {
  SmallVector<Value> leaves;
  SmallVector<Type> leafPy;
  std::function<void(const ElementExpr &)> collect = [&](const ElementExpr &e) {
    for (auto [v, t] : llvm::zip(e.operands, e.operandPy)) {
      if (auto it = pending.find(v); it != pending.end())
        collect(it->second);
      else if (!llvm::is_contained(leaves, v)) {
        leaves.push_back(v);
        leafPy.push_back(t);
      }
    }
  };
  collect(expr);
  SmallVector<Value> loweredLeaves;
  for (Value v : leaves)
    loweredLeaves.push_back(one(v));
  auto body = [&](OpBuilder &nb, Location nl, ValueRange leafElements) {
    std::function<Value(const ElementExpr &)> eval = [&](const ElementExpr &e) {
      SmallVector<Value> in;
      for (Value v : e.operands) {
        auto it = pending.find(v);
        in.push_back(it != pending.end() ? eval(it->second)
                                         : leafElements[llvm::find(leaves, v) - leaves.begin()]);
      }
      return e.body(nb, nl, in);
    };
    return eval(expr);
  };
  return elementwise(loc, expr.resultPy, loweredLeaves, leafPy, body);
}

/// Lowers `op` when it involves arrays; false when it is left to the scalar lowering.
FailureOr<bool> FunctionLowering::lowerArrayOp(Operation &op) {
  Location loc = op.getLoc();
  currentSymbols = &symbols;
  bool anyArray = llvm::any_of(op.getOperandTypes(), isArray);
  if (auto get = llvm::dyn_cast<GetItemOp>(op)) {
    FailureOr<Value> v = lowerGetItem(get);
    if (failed(v))
      return failure();
    if (*v)
      mapValue(get, *v);
    return true;
  }
  if (auto set = llvm::dyn_cast<SetItemOp>(op))
    return failed(lowerSetItem(set)) ? FailureOr<bool>(failure()) : FailureOr<bool>(true);
  if (auto attr = llvm::dyn_cast<GetAttrOp>(op)) {
    if (auto named = llvm::dyn_cast<NamedTupleType>(attr.getObject().getType())) {
      mapTupleElement(attr, attr.getObject(), named.fieldIndex(attr.getField()));
      return true;
    }
    if (llvm::isa<RangeType>(attr.getObject().getType())) { // r.start, r.stop, r.step
      int64_t field = llvm::StringSwitch<int64_t>(attr.getField()).Case("start", 0).Case("stop", 1).Default(2);
      mapValue(attr, values.lookup(attr.getObject())[field]);
      return true;
    }
    FailureOr<Value> v = lowerGetAttr(attr);
    if (failed(v))
      return failure();
    if (*v)
      mapValue(attr, *v);
    return true;
  }
  if (auto slice = llvm::dyn_cast<SliceOp>(op)) {
    SmallVector<Value> parts;
    for (Value v : {slice.getStart(), slice.getStop(), slice.getStep()}) {
      bool none = llvm::isa<NoneType>(v.getType());
      parts.push_back(none ? cInt(loc, v == slice.getStep() ? 1 : 0, i64()) : toI64(loc, i64Parts(loc, v)[0]));
    }
    for (Value v : {slice.getStart(), slice.getStop()})
      parts.push_back(cInt(loc, llvm::isa<NoneType>(v.getType()) ? 0 : 1, i1()));
    mapValue(slice, parts);
    return true;
  }
  if (auto iter = llvm::dyn_cast<GetIterOp>(op)) {
    if (!anyArray)
      return false;
    Value array = one(iter.getIterable());
    Value n = b.create<arith::IndexCastOp>(loc, i64(), b.create<memref::DimOp>(loc, array, 0));
    mapValue(iter, {array, makeRangeIter(loc, cInt(loc, 0, i64()), n, cInt(loc, 1, i64()))});
    return true;
  }
  if (auto next = llvm::dyn_cast<IterNextOp>(op)) {
    auto tuple = llvm::dyn_cast<TupleType>(next.getIterator().getType());
    if (!tuple)
      return false;
    SmallVector<Value, 1> parts = values.lookup(next.getIterator());
    Value array = parts[0];
    auto arrayPy = llvm::cast<MemRefType>(tuple.getType(0));
    auto [valid, cur] = nextInRange(loc, parts[1]);
    // Index 0 when the loop is over (a view at 0 costs nothing; a load is skipped).
    Value i = b.create<arith::SelectOp>(loc, valid, cur, cInt(loc, 0, i64()));
    Value idx = b.create<arith::IndexCastOp>(loc, b.getIndexType(), i);
    Type valuePy = next.getValue().getType();
    Value value;
    if (arrayPy.getRank() == 1) {
      Type st = storageType(arrayPy.getElementType());
      auto ifOp = b.create<scf::IfOp>(
          loc, valid,
          [&](OpBuilder &nb, Location nl) {
            nb.create<scf::YieldOp>(nl, ValueRange{nb.create<memref::LoadOp>(nl, array, ValueRange{idx})});
          },
          [&](OpBuilder &nb, Location nl) {
            nb.create<scf::YieldOp>(nl, ValueRange{numberConstant(nb, nl, st, 0.0)});
          });
      value = convertElement(b, loc, ifOp.getResult(0), arrayPy.getElementType(), valuePy);
    } else {
      SmallVector<OpFoldResult> offsets{Value(idx)}, sizes{b.getIndexAttr(1)}, strides;
      for (int64_t d = 1; d < arrayPy.getRank(); ++d) {
        offsets.push_back(b.getIndexAttr(0));
        sizes.push_back(Value(b.create<memref::DimOp>(loc, array, d)));
      }
      strides.assign(arrayPy.getRank(), b.getIndexAttr(1));
      value = subviewAs(loc, array, offsets, sizes, strides, valuePy);
    }
    mapValue(next.getValid(), valid);
    mapValue(next.getValue(), value);
    return true;
  }
  if (std::optional<ElementExpr> expr = elementExpr(op)) {
    if (fusesIntoUser(op))
      pending[op.getResult(0)] = std::move(*expr);
    else
      mapValue(op.getResult(0), materialize(loc, *expr));
    return true;
  }
  if (auto call = llvm::dyn_cast<CallBuiltinOp>(op)) {
    StringRef name = call.getCallee();
    if (name == "len") {
      Type t = call.getArgs()[0].getType();
      if (auto tuple = tupleOf(t))
        mapValue(call, cInt(loc, tuple.size(), i64()));
      else if (llvm::isa<RangeType>(t)) {
        SmallVector<Value, 1> bounds = values.lookup(call.getArgs()[0]);
        mapValue(call, rangeLength(loc, bounds[0], bounds[1], bounds[2]));
      }
      else
        mapValue(call, b.create<arith::IndexCastOp>(loc, i64(), b.create<memref::DimOp>(loc, one(call.getArgs()[0]), 0)).getResult());
      return true;
    }
    if (!name.starts_with("np.") && !name.starts_with("ndarray."))
      return false;
    FailureOr<SmallVector<Value>> r = lowerArrayCall(call);
    if (failed(r))
      return failure();
    mapValue(call, *r);
    return true;
  }
  if (!anyArray)
    return false;
  if (auto bin = llvm::dyn_cast<BinOp>(op); bin && bin.getKind() == "matmul") {
    mapValue(bin, dot(loc, one(bin.getLhs()), llvm::cast<MemRefType>(bin.getLhs().getType()), one(bin.getRhs()),
                      llvm::cast<MemRefType>(bin.getRhs().getType()), bin.getType()));
    return true;
  }
  if (auto bin = llvm::dyn_cast<BinOp>(op); bin && bin.getInplace() && isArray(bin.getLhs().getType())) {
    mapValue(bin, inplace(bin));
    return true;
  }
  if (llvm::isa<BinOp>(op))
    return op.emitError("UnsupportedError: this array operation is not supported yet"), failure();
  if (llvm::isa<func::ReturnOp, cf::BranchOp, cf::CondBranchOp, CastOp, func::CallOp, CallOp, MakeTupleOp, TupleGetOp>(op) ||
      llvm::isa<arith::ArithDialect>(op.getDialect()))
    return false;
  return op.emitError("UnsupportedError: no lowering for ") << op.getName() << " on arrays", failure();
}
