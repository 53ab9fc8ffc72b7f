// py-to-std for builtins and math.* on scalars (abs, min, max, round, divmod, math.isclose,
// ...), and range objects: their length and the iterator `for` loops step through.
#include "FunctionLowering.h"

#include "mlir/Dialect/Complex/IR/Complex.h"

#include <numbers>

using namespace mlir;
using namespace mlir::py;

namespace mlir::py {

/// divmod(a, b), math.frexp(x) and math.modf(x) on widened arguments: their two results.
SmallVector<Value> FunctionLowering::lowerPairBuiltin(CallBuiltinOp op, ArrayRef<Value> args) {
  Location loc = op.getLoc();
  StringRef name = op.getCallee();
  if (name == "divmod") {
    bool ints = isIntLike(args[0].getType()) && isIntLike(args[1].getType());
    Value a = ints ? args[0] : toF64(loc, args[0]), c = ints ? args[1] : toF64(loc, args[1]);
    if (ints)
      return {lowerIntBinOp(loc, "floordiv", a, c), lowerIntBinOp(loc, "mod", a, c)};
    if (!numpyErrors) // CPython's own message for divmod
      raiseIf(loc, arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, c, cF64(loc, 0.0)), "ZeroDivisionError", "float divmod()");
    return {lowerFloatBinOp(loc, "floordiv", a, c), lowerFloatBinOp(loc, "mod", a, c)};
  }
  Value x = toF64(loc, args[0]);
  if (name == "math.frexp") {
    Value e = callExternal(b, loc, symbols, "numlir_frexp_exponent", {x}, i64());
    Value m = callLibm(loc, "ldexp", {x, arith::TruncIOp::create(b, loc, b.getI32Type(), arith::SubIOp::create(b, loc, cInt(loc, 0, i64()), e))});
    return {m, e};
  }
  // math.modf: the fraction has x's sign (-0.0 for -3.0), and 0.0 for infinities.
  Value whole = math::TruncOp::create(b, loc, x);
  Value inf = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, math::AbsFOp::create(b, loc, x),
                                      cF64(loc, std::numeric_limits<double>::infinity()));
  Value frac = arith::SelectOp::create(b, loc, inf, cF64(loc, 0.0), arith::SubFOp::create(b, loc, x, whole));
  return {math::CopySignOp::create(b, loc, frac, x), whole};
}

/// math.isclose(a, b, rel_tol=1e-09, abs_tol=0.0) and cmath.isclose on widened arguments
/// (complex ones for cmath): equal values, or |a - b| <= max(rel_tol * max(|a|, |b|), abs_tol)
/// with both finite, as CPython's.
Value FunctionLowering::isClose(CallBuiltinOp op, ArrayRef<Value> args) {
  Location loc = op.getLoc();
  Value relTol = cF64(loc, 1e-9), absTol = cF64(loc, 0.0);
  auto kw = op.getKwnames();
  size_t nk = kw ? kw->size() : 0;
  for (size_t i = 0; i < nk; ++i) {
    Value v = toF64(loc, args[args.size() - nk + i]);
    (llvm::cast<StringAttr>((*kw)[i]).getValue() == "rel_tol" ? relTol : absTol) = v;
  }
  Value a = args[0], c = args[1];
  bool complexArgs = isComplex(a.getType()) || isComplex(c.getType());
  auto magnitude = [&](Value v) -> Value {
    return complexArgs ? complex::AbsOp::create(b, loc, v).getResult() : math::AbsFOp::create(b, loc, v).getResult();
  };
  Value same, diff;
  if (complexArgs) {
    auto c128 = ComplexType::get(f64());
    a = complexFrom(b, loc, a, a.getType(), c128);
    c = complexFrom(b, loc, c, c.getType(), c128);
    same = complexCompare(b, loc, "eq", a, c);
    diff = magnitude(complex::SubOp::create(b, loc, a, c));
  } else {
    a = toF64(loc, a);
    c = toF64(loc, c);
    same = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, a, c);
    diff = magnitude(arith::SubFOp::create(b, loc, a, c));
  }
  Value largest = arith::MaximumFOp::create(b, loc, magnitude(a), magnitude(c));
  Value tol = arith::MaximumFOp::create(b, loc, arith::MulFOp::create(b, loc, relTol, largest), absTol);
  Value within = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLE, diff, tol);
  Value inf = cF64(loc, std::numeric_limits<double>::infinity());
  Value finite = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, largest, inf);
  return arith::OrIOp::create(b, loc, same, arith::AndIOp::create(b, loc, within, finite));
}


/// A builtin or math function of scalars whose arguments `args` were widened (and whose
/// result is then narrowed) to Python's types; `result` is the wide result type.
FailureOr<Value> FunctionLowering::lowerBuiltin(CallBuiltinOp op, ArrayRef<Value> args, Type result) {
  Location loc = op.getLoc();
  StringRef name = op.getCallee();
  if (name == "abs" && isComplex(args[0].getType()))
    return complexModulus(loc, args[0]);
  if (name == "abs" && isUnsigned64(result))
    return args[0];
  if (name == "abs")
    return isFloat(result) ? math::AbsFOp::create(b, loc, args[0]).getResult()
                           : math::AbsIOp::create(b, loc, toI64(loc, args[0])).getResult();
  if (name == "min" || name == "max") {
    // Python keeps the first of equal items and compares `next > current` (max) or `<` (min).
    Value cur = convertScalar(loc, args[0], result);
    for (Value next : ArrayRef<Value>(args).drop_front()) {
      next = convertScalar(loc, next, result);
      Value better;
      if (isFloat(result))
        better = arith::CmpFOp::create(b, loc, name == "max" ? arith::CmpFPredicate::OGT
                                                             : arith::CmpFPredicate::OLT,
                                         next, cur);
      else
        better = arith::CmpIOp::create(b, loc, isUnsigned64(result) ? (name == "max" ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::ult)
                                                                    : (name == "max" ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::slt),
                                         toI64(loc, next), toI64(loc, cur));
      cur = arith::SelectOp::create(b, loc, better, next, cur);
    }
    return cur;
  }
  if (name == "pow" && args.size() == 3) {
    Value base = toI64(loc, args[0]), exp = toI64(loc, args[1]), mod = toI64(loc, args[2]);
    Value zero = cInt(loc, 0, i64());
    raiseIf(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, mod, zero), "ValueError", "pow() 3rd argument cannot be 0");
    Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, exp, zero);
    Value invertible = callExternal(b, loc, symbols, "numlir_invertible", {base, mod}, i1());
    raiseIf(loc, arith::AndIOp::create(b, loc, negative, arith::XOrIOp::create(b, loc, invertible, cInt(loc, 1, i1()))),
            "ValueError", "base is not invertible for the given modulus");
    return callExternal(b, loc, symbols, "numlir_powmod", {base, exp, mod}, i64());
  }
  if (name == "pow")
    return lowerBinOp(loc, "pow", result, args[0], args[1]); // as **
  if (name == "math.isclose")
    return isClose(op, args);
  if (name == "int")
    return isFloat(args[0].getType()) ? floatToInt(loc, args[0]) : toI64(loc, args[0]);
  if (name == "float")
    return toF64(loc, args[0]);
  if (name == "bool")
    return truth(loc, args[0]);
  if (name == "round") {
    Value x = args[0];
    if (args.size() == 1)
      return isFloat(x.getType()) ? floatToInt(loc, math::RoundEvenOp::create(b, loc, x))
                                  : toI64(loc, x);
    Value n = toI64(loc, args[1]);
    if (isFloat(x.getType()))
      // Correctly rounded like CPython (which rounds the exact decimal value): a runtime
      // helper of numlir's (src/runtime/math.rs), registered with the JIT.
      return callLibm(loc, "numlir_round_ndigits", {x, n});
    return roundIntDigits(loc, toI64(loc, x), n);
  }
  if (!name.consume_front("math."))
    return op.emitError("UnsupportedError: builtin '") << name << "' has no lowering";
  if (name == "floor" || name == "ceil" || name == "trunc") {
    Value x = args[0];
    if (!isFloat(x.getType()))
      return toI64(loc, x);
    Value r = name == "floor" ? math::FloorOp::create(b, loc, x).getResult()
              : name == "ceil" ? math::CeilOp::create(b, loc, x).getResult()
                               : math::TruncOp::create(b, loc, x).getResult();
    return floatToInt(loc, r);
  }
  if (name == "isnan" || name == "isinf" || name == "isfinite") {
    Value x = args[0];
    if (!isFloat(x.getType()))
      return cInt(loc, name == "isfinite" ? 1 : 0, i1());
    if (name == "isnan")
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x).getResult();
    Value inf = cF64(loc, std::numeric_limits<double>::infinity());
    Value mag = math::AbsFOp::create(b, loc, x);
    return arith::CmpFOp::create(b, 
                loc, name == "isinf" ? arith::CmpFPredicate::OEQ : arith::CmpFPredicate::OLT, mag, inf)
        .getResult();
  }
  if (name == "gcd" || name == "lcm") {
    Value r = cInt(loc, name == "gcd" ? 0 : 1, i64());
    for (Value a : args)
      r = callExternal(b, loc, symbols, ("numlir_" + name).str(), {r, toI64(loc, a)}, i64());
    return r;
  }
  if (name == "ldexp") {
    // C's ldexp takes an int: exponents beyond +-2100 give 0 or inf anyway.
    Value n = toI64(loc, args[1]);
    n = arith::MaxSIOp::create(b, loc, arith::MinSIOp::create(b, loc, n, cInt(loc, 2100, i64())), cInt(loc, -2100, i64()));
    return callLibm(loc, "ldexp", {toF64(loc, args[0]), arith::TruncIOp::create(b, loc, b.getI32Type(), n)});
  }
  SmallVector<Value> xs;
  for (Value a : args)
    xs.push_back(toF64(loc, a));
  Value x = xs[0];
  if (xs.size() == 2) {
    Value y = xs[1];
    if (name == "atan2")
      return math::Atan2Op::create(b, loc, x, y).getResult();
    if (name == "pow")
      return math::PowFOp::create(b, loc, x, y).getResult();
    if (name == "copysign")
      return math::CopySignOp::create(b, loc, x, y).getResult();
    if (name == "hypot")
      return callLibm(loc, "hypot", {x, y});
    if (name == "log")
      return arith::DivFOp::create(b, loc, math::LogOp::create(b, loc, x), math::LogOp::create(b, loc, y))
          .getResult();
    if (name == "fmod")
      return arith::RemFOp::create(b, loc, x, y).getResult();
    if (name == "remainder" || name == "nextafter")
      return callLibm(loc, name, {x, y});
  }
  if (name == "exp2")
    return math::Exp2Op::create(b, loc, x).getResult();
  if (name == "cbrt")
    return math::CbrtOp::create(b, loc, x).getResult();
#define UNARY(pyname, Op)                                                                        \
  if (name == pyname)                                                                            \
    return math::Op::create(b, loc, x).getResult();
  UNARY("sqrt", SqrtOp) UNARY("exp", ExpOp) UNARY("log", LogOp) UNARY("log2", Log2Op) UNARY("log10", Log10Op) UNARY("sin", SinOp)
  UNARY("cos", CosOp) UNARY("tan", TanOp) UNARY("asin", AsinOp) UNARY("acos", AcosOp)
  UNARY("atan", AtanOp) UNARY("sinh", SinhOp) UNARY("cosh", CoshOp) UNARY("tanh", TanhOp)
  UNARY("asinh", AsinhOp) UNARY("acosh", AcoshOp) UNARY("atanh", AtanhOp) UNARY("erf", ErfOp)
  UNARY("erfc", ErfcOp) UNARY("fabs", AbsFOp)
#undef UNARY
  // libm, not math.expm1/log1p: their LLVM lowering is exp(x)-1 / log(1+x), inexact near 0.
  if (name == "expm1" || name == "log1p")
    return callLibm(loc, name, {x});
  if (name == "gamma")
    return callLibm(loc, "tgamma", {x});
  if (name == "lgamma")
    return callLibm(loc, "lgamma", {x});
  if (name == "radians")
    return arith::MulFOp::create(b, loc, x, cF64(loc, std::numbers::pi / 180.0)).getResult();
  if (name == "degrees")
    return arith::MulFOp::create(b, loc, x, cF64(loc, 180.0 / std::numbers::pi)).getResult();
  return op.emitError("UnsupportedError: math.") << name << " has no lowering";
}

/// A range iterator: its state lives in a stack slot made once in the entry block (LLVM's
/// mem2reg turns it back into registers, so the loop is a plain counted loop).
/// State: [current, items left, step, lowest]. Counting items (computed once, in unsigned
/// arithmetic) cannot overflow near the int64 limits and gives LLVM the trip count.
/// `lowest` bounds every value from below (start going up, stop + 1 going down): an index
/// that comes from the range skips the negative-index wrap when it is >= 0 (wrapIndex).
Value FunctionLowering::makeRangeIter(Location loc, Value start, Value stop, Value step) {
  Value count = rangeLength(loc, start, stop, step);
  Value zero = cInt(loc, 0, i64()), one = cInt(loc, 1, i64());
  Value up = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, step, zero);
  Value lowest = arith::SelectOp::create(b, loc, up, start, arith::AddIOp::create(b, loc, stop, one));
  return rangeIterState(loc, start, count, step, lowest, /*ofRange=*/true);
}

/// A range iterator's state, on the stack: the next value, how many are left (an unsigned
/// count: -1 never runs out), the step, and a lower bound of the values. The slot of a
/// range()'s own iterator (`ofRange`) is marked for numlir-range-for-loops.
Value FunctionLowering::rangeIterState(Location loc, Value current, Value count, Value step, Value lowest,
                                       bool ofRange) {
  OpBuilder::InsertPoint here = b.saveInsertionPoint();
  b.setInsertionPointToStart(&fn.getBody().front());
  auto state = memref::AllocaOp::create(b, loc, MemRefType::get({kRangeStateFields}, i64()));
  if (ofRange)
    state->setAttr(kRangeSlotMark, b.getUnitAttr());
  b.restoreInsertionPoint(here);
  Value fields[kRangeStateFields] = {current, count, step, lowest};
  for (int i = 0; i < kRangeStateFields; ++i)
    memref::StoreOp::create(b, loc, fields[i], state,
                              ValueRange{arith::ConstantIndexOp::create(b, loc, i)});
  return state;
}

/// len(range(start, stop, step)), for a nonzero step: the count of values, in unsigned
/// arithmetic so that no span between int64 bounds overflows.
Value FunctionLowering::rangeLength(Location loc, Value start, Value stop, Value step) {
  Value zero = cInt(loc, 0, i64()), one = cInt(loc, 1, i64());
  Value up = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, step, zero);
  Value span = arith::SelectOp::create(b, loc, up, arith::SubIOp::create(b, loc, stop, start),
                                         arith::SubIOp::create(b, loc, start, stop));
  Value nonempty = arith::SelectOp::create(b, 
      loc, up, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, start, stop),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, start, stop));
  Value magnitude = arith::SelectOp::create(b, loc, up, step, arith::SubIOp::create(b, loc, zero, step));
  Value count = arith::AddIOp::create(b, 
      loc, arith::DivUIOp::create(b, loc, arith::SubIOp::create(b, loc, span, one), magnitude), one);
  return arith::SelectOp::create(b, loc, nonempty, count, zero);
}

/// Advances a range iterator: whether it produced a value, and the value.
std::pair<Value, Value> FunctionLowering::nextInRange(Location loc, Value state) {
  auto index = [&](int i) -> Value { return arith::ConstantIndexOp::create(b, loc, i); };
  Value cur = memref::LoadOp::create(b, loc, state, index(0));
  Value left = memref::LoadOp::create(b, loc, state, index(1));
  Value step = memref::LoadOp::create(b, loc, state, index(2));
  Value valid = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, left, cInt(loc, 0, i64()));
  memref::StoreOp::create(b, loc, arith::AddIOp::create(b, loc, cur, step), state, index(0));
  memref::StoreOp::create(b, loc, arith::SubIOp::create(b, loc, left, cInt(loc, 1, i64())), state,
                            index(1));
  return {valid, cur};
}
} // namespace mlir::py
