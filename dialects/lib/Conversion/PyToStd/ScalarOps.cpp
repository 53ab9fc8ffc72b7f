// py-to-std for scalar operators with Python's semantics: int64 arithmetic that wraps,
// floor division and modulo with their signs, ZeroDivisionError, negative shifts, float
// division and modulo as CPython computes them, uint64, comparisons of mixed ints and
// floats (exact, as CPython), tuples compared elementwise.
#include "FunctionLowering.h"

#include "mlir/Dialect/Complex/IR/Complex.h"

#include <numbers>

using namespace mlir;
using namespace mlir::py;

namespace mlir::py {

Value FunctionLowering::lowerIntBinOp(Location loc, StringRef kind, Value a, Value c) {
  if (a.getType() != c.getType()) { // bool with int: both as int
    a = toI64(loc, a);
    c = toI64(loc, c);
  }
  if (kind == "and")
    return arith::AndIOp::create(b, loc, a, c);
  if (kind == "or")
    return arith::OrIOp::create(b, loc, a, c);
  if (kind == "xor")
    return arith::XOrIOp::create(b, loc, a, c);
  a = toI64(loc, a);
  c = toI64(loc, c);
  if (kind == "add")
    return arith::AddIOp::create(b, loc, a, c);
  if (kind == "sub")
    return arith::SubIOp::create(b, loc, a, c);
  if (kind == "mul")
    return arith::MulIOp::create(b, loc, a, c);
  Value zero = cInt(loc, 0, i64()), minusOne = cInt(loc, -1, i64());
  if (kind == "floordiv" || kind == "mod") {
    bool div = kind == "floordiv";
    Value byZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, c, zero);
    if (numpyErrors) // NumPy's x // 0 == x % 0 == 0: divide by 1 instead (0 is UB), then select
      c = arith::SelectOp::create(b, loc, byZero, cInt(loc, 1, i64()), c);
    else
      raiseIf(loc, byZero, "ZeroDivisionError",
              div ? "integer division or modulo by zero" : "integer modulo by zero");
    // x // -1 overflows for INT64_MIN and traps on x86, so -1 takes a branch of its own
    // (a branch, not a select: the common path keeps the division off a select's latency).
    Value isMinusOne = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, c, minusOne);
    Block *general = new Block(), *special = new Block(), *join = new Block();
    for (Block *blk : {general, special, join})
      fn.getBody().push_back(blk);
    Value result = join->addArgument(i64(), loc);
    cf::CondBranchOp::create(b, loc, isMinusOne, special, general);
    b.setInsertionPointToEnd(special);
    // x // -1 == -x (wrapping), x % -1 == 0
    cf::BranchOp::create(b, loc, join, ValueRange{div ? arith::SubIOp::create(b, loc, zero, a).getResult() : zero});
    b.setInsertionPointToEnd(general);
    Value q = arith::DivSIOp::create(b, loc, a, c);
    Value rem = arith::RemSIOp::create(b, loc, a, c);
    // Python rounds toward -inf: adjust a nonzero remainder whose sign differs from the
    // divisor's. A nonzero remainder has the dividend's sign, so the sign test reads the
    // operands: it runs beside the division and leaves one add and one select after it
    // (a loop like gcd's, where each remainder feeds the next division, runs 1.2x faster).
    Value nonzero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, rem, zero);
    Value signsDiffer = arith::CmpIOp::create(b, 
        loc, arith::CmpIPredicate::slt, arith::XOrIOp::create(b, loc, a, c), zero);
    Value value;
    if (div) {
      Value adjust = arith::AndIOp::create(b, loc, nonzero, signsDiffer);
      value = arith::SubIOp::create(b, loc, q, arith::ExtUIOp::create(b, loc, i64(), adjust));
    } else {
      Value fix = arith::SelectOp::create(b, loc, signsDiffer, c, zero);
      value = arith::SelectOp::create(b, loc, nonzero, arith::AddIOp::create(b, loc, rem, fix), rem);
    }
    cf::BranchOp::create(b, loc, join, ValueRange{value});
    b.setInsertionPointToEnd(join);
    return numpyErrors ? arith::SelectOp::create(b, loc, byZero, zero, result).getResult() : result;
  }
  if (kind == "truediv") {
    if (!numpyErrors)
      raiseIf(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, c, zero),
              "ZeroDivisionError", "division by zero");
    return arith::DivFOp::create(b, loc, toF64(loc, a), toF64(loc, c));
  }
  if (kind == "pow") {
    // int ** int with a non-negative exponent; a negative one would need a float result.
    Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, c, zero);
    Value zeroBase = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, a, zero);
    raiseIf(loc, arith::AndIOp::create(b, loc, negative, zeroBase), "ZeroDivisionError",
            "0.0 cannot be raised to a negative power");
    raiseIf(loc, negative, "ValueError",
            "an int raised to a negative int exponent is a float; write float(x) ** n "
            "(numlir types int ** int as int)");
    return math::IPowIOp::create(b, loc, a, c);
  }
  if (kind == "lshift" || kind == "rshift") {
    raiseIf(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, c, zero), "ValueError",
            "negative shift count");
    Value c63 = cInt(loc, 63, i64());
    Value big = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, c, c63);
    Value clamped = arith::SelectOp::create(b, loc, big, c63, c);
    if (kind == "rshift")
      return arith::ShRSIOp::create(b, loc, a, clamped);
    Value shifted = arith::ShLIOp::create(b, loc, a, clamped);
    return arith::SelectOp::create(b, loc, big, zero, shifted); // int64 wraps to 0
  }
  llvm_unreachable("unknown int binop");
}

Value FunctionLowering::lowerFloatBinOp(Location loc, StringRef kind, Value a, Value c) {
  a = toF64(loc, a);
  c = toF64(loc, c);
  if (kind == "add")
    return arith::AddFOp::create(b, loc, a, c);
  if (kind == "sub")
    return arith::SubFOp::create(b, loc, a, c);
  if (kind == "mul")
    return arith::MulFOp::create(b, loc, a, c);
  Value zero = cF64(loc, 0.0);
  auto isZero = [&](Value v) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, v, zero);
  };
  auto lt0 = [&](Value v) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, v, zero);
  };
  if (kind == "truediv") {
    if (!numpyErrors)
      raiseIf(loc, isZero(c), "ZeroDivisionError", "float division by zero");
    return arith::DivFOp::create(b, loc, a, c);
  }
  if (numpyErrors && (kind == "mod" || kind == "floordiv")) {
    // NumPy: by zero, x // 0.0 is x / 0.0 and x % 0.0 is fmod(x, 0.0) (nan).
    Value byZero = isZero(c);
    Value python = lowerPythonFloatDivision(loc, kind == "floordiv", a, c);
    Value numpy = kind == "floordiv" ? arith::DivFOp::create(b, loc, a, c).getResult()
                                     : arith::RemFOp::create(b, loc, a, c).getResult();
    return arith::SelectOp::create(b, loc, byZero, numpy, python);
  }
  if (kind == "mod" || kind == "floordiv") {
    bool div = kind == "floordiv";
    raiseIf(loc, isZero(c), "ZeroDivisionError", div ? "float floor division by zero" : "float modulo");
    return lowerPythonFloatDivision(loc, div, a, c);
  }
  if (kind == "pow") {
    if (!numpyErrors) // NumPy: 0.0 ** negative is inf
      raiseIf(loc, arith::AndIOp::create(b, loc, isZero(a), lt0(c)), "ZeroDivisionError",
              "0.0 cannot be raised to a negative power");
    return math::PowFOp::create(b, loc, a, c);
  }
  llvm_unreachable("unknown float binop");
}

/// Python's float // and % for a nonzero divisor.
Value FunctionLowering::lowerPythonFloatDivision(Location loc, bool div, Value a, Value c) {
  Value zero = cF64(loc, 0.0);
  auto lt0 = [&](Value v) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, v, zero);
  };
  // CPython's float divmod: fmod, then fix the sign to follow the divisor.
  Value mod = arith::RemFOp::create(b, loc, a, c);
  Value modNonzero = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, mod, zero);
  Value differ = arith::XOrIOp::create(b, loc, lt0(c), lt0(mod));
  Value adjust = arith::AndIOp::create(b, loc, modNonzero, differ);
  if (!div) {
    Value fixed = arith::SelectOp::create(b, loc, adjust, arith::AddFOp::create(b, loc, mod, c), mod);
    return arith::SelectOp::create(b, loc, modNonzero, fixed,
                                     math::CopySignOp::create(b, loc, zero, c));
  }
  Value q = arith::DivFOp::create(b, loc, arith::SubFOp::create(b, loc, a, mod), c);
  q = arith::SelectOp::create(b, loc, adjust, arith::SubFOp::create(b, loc, q, cF64(loc, 1.0)), q);
  Value fl = math::FloorOp::create(b, loc, q);
  Value roundUp = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT,
                                          arith::SubFOp::create(b, loc, q, fl), cF64(loc, 0.5));
  fl = arith::SelectOp::create(b, loc, roundUp, arith::AddFOp::create(b, loc, fl, cF64(loc, 1.0)), fl);
  Value qNonzero = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, q, zero);
  Value signedZero = math::CopySignOp::create(b, loc, zero, arith::DivFOp::create(b, loc, a, c));
  return arith::SelectOp::create(b, loc, qNonzero, fl, signedZero);
}

/// `l <kind> r` on Python's scalar types (the result's, `result`): a py.binop, or the
/// builtin pow that means the same.
Value FunctionLowering::lowerBinOp(Location loc, StringRef kind, Type result, Value l, Value r) {
  if (auto c = llvm::dyn_cast<ComplexType>(result)) {
    Value x = complexFrom(b, loc, l, l.getType(), c);
    // z ** n for a constant int 0 <= n <= 100 multiplies by squaring, as CPython does.
    if (auto n = r.getDefiningOp<arith::ConstantIntOp>(); n && kind == "pow" && n.value() >= 0 && n.value() <= 100) {
      Value product = complexFrom(b, loc, cF64(loc, 1.0), f64(), c), power = x;
      for (int64_t left = n.value(); left > 0; left >>= 1) {
        if (left & 1)
          product = complexBinary(b, loc, "mul", product, power);
        if (left > 1)
          power = complexBinary(b, loc, "mul", power, power);
      }
      return product;
    }
    Value y = complexFrom(b, loc, r, r.getType(), c);
    if (kind == "truediv" && !numpyErrors) { // Python raises where NumPy gives inf/nan
      raiseIf(loc, arith::XOrIOp::create(b, loc, complexTruth(b, loc, y), cInt(loc, 1, i1())), "ZeroDivisionError",
              "complex division by zero");
      return pythonComplexDivide(b, loc, x, y);
    }
    return complexBinary(b, loc, kind, x, y);
  }
  // Float arithmetic when either side is a float, or when inference typed an int ** int as
  // float (a negative constant exponent). int / int also divides as floats but keeps its
  // own zero-division message, so it stays on the int path.
  bool floatPath = !isIntLike(l.getType()) || !isIntLike(r.getType()) || (kind != "truediv" && isFloat(result));
  return floatPath ? lowerFloatBinOp(loc, kind, l, r) : lowerIntBinOp(loc, kind, l, r);
}

/// A binary op on scalars. Python's types lower as Python defines them; NumPy's other
/// scalar types widen, compute as Python's do, and narrow to the result type (widen).
Value FunctionLowering::lowerScalarBinOp(BinOp op) {
  Location loc = op.getLoc();
  Type lt = op.getLhs().getType(), rt = op.getRhs().getType(), result = op.getType();
  Value l = one(op.getLhs()), r = one(op.getRhs());
  if (isPythonScalar(lt) && isPythonScalar(rt) && isPythonScalar(result))
    return convertScalar(loc, lowerBinOp(loc, op.getKind(), result, l, r), result);
  if (isUnsigned64(result))
    return lowerUnsigned64BinOp(loc, op.getKind(), convertElement(b, loc, l, lt, result),
                                convertElement(b, loc, r, rt, result));
  // A uint64 operand of a float or complex result converts as unsigned; int64 bits would not.
  auto operand = [&](Value v, Type t) {
    return isUnsigned64(t) ? convertElement(b, loc, v, t, f64()) : widen(loc, v, t);
  };
  return narrow(loc, lowerBinOp(loc, op.getKind(), result, operand(l, lt), operand(r, rt)), result);
}

/// uint64 arithmetic on int64 bits: + - * & | ^ ** wrap alike; division, modulo and shifts
/// are the unsigned ops.
Value FunctionLowering::lowerUnsigned64BinOp(Location loc, StringRef kind, Value a, Value c) {
  if (llvm::is_contained({"add", "sub", "mul", "and", "or", "xor"}, kind))
    return lowerIntBinOp(loc, kind, a, c); // the same bits as int64's
  if (kind == "pow")
    return math::IPowIOp::create(b, loc, a, c);
  Value zero = cInt(loc, 0, i64());
  if (kind == "floordiv" || kind == "mod") {
    Value byZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, c, zero);
    if (numpyErrors)
      c = arith::SelectOp::create(b, loc, byZero, cInt(loc, 1, i64()), c);
    else
      raiseIf(loc, byZero, "ZeroDivisionError", kind == "floordiv" ? "integer division or modulo by zero" : "integer modulo by zero");
    Value q = kind == "floordiv" ? arith::DivUIOp::create(b, loc, a, c).getResult() : arith::RemUIOp::create(b, loc, a, c).getResult();
    return numpyErrors ? arith::SelectOp::create(b, loc, byZero, zero, q).getResult() : q;
  }
  // Shifts by 64 or more give 0, as NumPy's.
  Value big = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, c, cInt(loc, 64, i64()));
  Value safe = arith::SelectOp::create(b, loc, big, zero, c);
  Value shifted = kind == "lshift" ? arith::ShLIOp::create(b, loc, a, safe).getResult() : arith::ShRUIOp::create(b, loc, a, safe).getResult();
  return arith::SelectOp::create(b, loc, big, zero, shifted);
}

/// A comparison with a uint64 operand: exact against signed ints (a negative one is below
/// every uint64), unsigned against unsigned ones, through float64 against floats.
Value FunctionLowering::compareUnsigned64(Location loc, StringRef p, Value l, Type lt, Value r, Type rt) {
  if (isFloat(lt) || isFloat(rt))
    return arith::CmpFOp::create(b, loc, floatPredicate(p), convertElement(b, loc, l, lt, f64()),
                                   convertElement(b, loc, r, rt, f64()));
  auto isUnsignedSide = [](Type t) { return isBool(t) || t.isUnsignedInteger(); };
  Value wl = isUnsigned64(lt) ? l : widen(loc, l, lt), wr = isUnsigned64(rt) ? r : widen(loc, r, rt);
  arith::CmpIPredicate unsignedPred = llvm::StringSwitch<arith::CmpIPredicate>(p)
      .Case("lt", arith::CmpIPredicate::ult).Case("le", arith::CmpIPredicate::ule)
      .Case("eq", arith::CmpIPredicate::eq).Case("ne", arith::CmpIPredicate::ne)
      .Case("gt", arith::CmpIPredicate::ugt).Default(arith::CmpIPredicate::uge);
  Value byBits = arith::CmpIOp::create(b, loc, unsignedPred, wl, wr);
  if (isUnsignedSide(lt) && isUnsignedSide(rt))
    return byBits;
  // One side is signed: when it is negative, the uint64 side is the greater.
  bool signedLeft = !isUnsignedSide(lt);
  Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, signedLeft ? wl : wr, cInt(loc, 0, i64()));
  bool leftLess = signedLeft;
  bool holds = p == "ne" || (leftLess ? (p == "lt" || p == "le") : (p == "gt" || p == "ge"));
  return arith::SelectOp::create(b, loc, negative, cInt(loc, holds ? 1 : 0, i1()), byBits);
}

Value FunctionLowering::lowerCmp(CmpOp op) {
  Type lt = op.getLhs().getType(), rt = op.getRhs().getType();
  if (auto tl = tupleOf(lt))
    return compareTuples(op.getLoc(), op.getPredicate(), values.lookup(op.getLhs()), tl,
                         values.lookup(op.getRhs()), tupleOf(rt));
  return compareScalars(op.getLoc(), op.getPredicate(), one(op.getLhs()), lt, one(op.getRhs()), rt);
}

/// Tuples of numbers compared as Python does: == when every element is, and the order of
/// the first elements that differ (else of the lengths) for < <= > >=.
Value FunctionLowering::compareTuples(Location loc, StringRef p, ArrayRef<Value> l, TupleType lt,
                                      ArrayRef<Value> r, TupleType rt) {
  size_t nl = lt.size(), nr = rt.size(), n = std::min(nl, nr);
  auto element = [&](StringRef q, size_t i) {
    return compareScalars(loc, q, l[i], lt.getType(i), r[i], rt.getType(i));
  };
  if (p == "eq" || p == "ne") {
    Value all = cInt(loc, nl == nr ? 1 : 0, i1());
    for (size_t i = 0; nl == nr && i < n; ++i)
      all = arith::AndIOp::create(b, loc, all, element("eq", i));
    return p == "eq" ? all : arith::XOrIOp::create(b, loc, all, cInt(loc, 1, i1())).getResult();
  }
  // From the last element back: where elements are equal, the later decision stands.
  bool holdsOnLength = p == "lt" ? nl < nr : p == "le" ? nl <= nr : p == "gt" ? nl > nr : nl >= nr;
  Value result = cInt(loc, holdsOnLength ? 1 : 0, i1());
  StringRef strict = p == "lt" || p == "le" ? "lt" : "gt";
  for (size_t i = n; i-- > 0;)
    result = arith::SelectOp::create(b, loc, element("eq", i), result, element(strict, i));
  return result;
}

/// A comparison of two scalars of py types `lt` and `rt`.
Value FunctionLowering::compareScalars(Location loc, StringRef p, Value l, Type lt, Value r, Type rt) {
  if (isUnsigned64(lt) || isUnsigned64(rt))
    return compareUnsigned64(loc, p, l, lt, r, rt);
  l = widen(loc, l, lt);
  r = widen(loc, r, rt);
  if (isComplex(l.getType()) || isComplex(r.getType())) {
    auto c = ComplexType::get(f64());
    return complexCompare(b, loc, p, complexFrom(b, loc, l, l.getType(), c), complexFrom(b, loc, r, r.getType(), c));
  }
  if (isIntLike(l.getType()) && isIntLike(r.getType())) {
    return arith::CmpIOp::create(b, loc, intPredicate(p), toI64(loc, l), toI64(loc, r));
  }
  if (isIntLike(l.getType()))
    return compareIntFloat(loc, p, toI64(loc, l), r);
  if (isIntLike(r.getType())) {
    StringRef mirrored = llvm::StringSwitch<StringRef>(p)
                             .Case("lt", "gt").Case("le", "ge").Case("gt", "lt").Case("ge", "le")
                             .Default(p);
    return compareIntFloat(loc, mirrored, toI64(loc, r), l);
  }
  return arith::CmpFOp::create(b, loc, floatPredicate(p), l, r);
}

Value FunctionLowering::callLibm(Location loc, StringRef name, ValueRange args) {
  return callExternal(b, loc, symbols, name, args, f64());
}

/// round(x, n) for an int x: unchanged for n >= 0, else to a multiple of 10**-n, halves to even.
Value FunctionLowering::roundIntDigits(Location loc, Value x, Value n) {
  Value zero = cInt(loc, 0, i64()), one = cInt(loc, 1, i64());
  Value k = arith::SubIOp::create(b, loc, zero, n);
  // |x| < 10**19 / 2: rounding to 10**19 or more gives 0; 10**18 is the largest power to use.
  Value tooBig = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, k, cInt(loc, 18, i64()));
  Value kc = arith::SelectOp::create(b, loc, tooBig, one, k);
  kc = arith::MaxSIOp::create(b, loc, kc, one);
  Value p = math::IPowIOp::create(b, loc, cInt(loc, 10, i64()), kc);
  Value q = arith::FloorDivSIOp::create(b, loc, x, p);
  Value r = arith::SubIOp::create(b, loc, x, arith::MulIOp::create(b, loc, q, p)); // 0 <= r < p
  Value twice = arith::ShLIOp::create(b, loc, r, one);
  Value above = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, twice, p);
  Value half = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, twice, p);
  Value odd = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                      arith::AndIOp::create(b, loc, q, one), zero);
  Value up = arith::OrIOp::create(b, loc, above, arith::AndIOp::create(b, loc, half, odd));
  Value rounded = arith::MulIOp::create(b, 
      loc, arith::AddIOp::create(b, loc, q, arith::ExtUIOp::create(b, loc, i64(), up)), p);
  Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, n, zero);
  Value result = arith::SelectOp::create(b, loc, tooBig, zero, rounded);
  return arith::SelectOp::create(b, loc, negative, result, x);
}

/// `i <pred> f` compared exactly, as CPython compares int and float (no rounding of i).
Value FunctionLowering::compareIntFloat(Location loc, StringRef p, Value i, Value f) {
  // Rounding i to the nearest double keeps order, so unequal doubles decide; equal ones
  // are integral, and then the exact integer comparison decides (2**63 is above every i).
  Value d = toF64(loc, i);
  Value byFloat = arith::CmpFOp::create(b, loc, floatPredicate(p), d, f);
  Value differ = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, d, f);
  Value two63 = cF64(loc, 9223372036854775808.0);
  Value atTop = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, f, two63);
  Value fSafe = arith::SelectOp::create(b, loc, atTop, cF64(loc, 0.0), f);
  Value byInt = arith::CmpIOp::create(b, loc, intPredicate(p), i, arith::FPToSIOp::create(b, loc, i64(), fSafe));
  Value iBelow = cInt(loc, p == "lt" || p == "le" || p == "ne" ? 1 : 0, i1()); // i < 2**63
  Value exact = arith::SelectOp::create(b, loc, atTop, iBelow, byInt);
  return arith::SelectOp::create(b, loc, differ, byFloat, exact);
}
} // namespace mlir::py
