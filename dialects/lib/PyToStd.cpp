// py-to-std: lowers typed py IR to arith/math/cf/func/memref with Python's semantics.
//
// Each function is translated into a new one op by op (a value map from each py value to
// the list of std values it becomes: tuples and ranges flatten to their parts, None to
// nothing). Checks that raise (division by zero, negative shifts, ...) split the current
// block. Every lowered function returns an i32 status first: 0 for a normal return, n for
// raise site n; callers propagate a nonzero status. The table of raise sites is left on the
// module as `py.raise_table` = [[exception, message], ...] for the dispatcher.
#include "Py/PyDialect.h"
#include "Py/PyPasses.h"
#include "Py/PyTypeRules.h"
#include "Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/Pass.h"

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
    return b.create<arith::AndIOp>(loc, a, c);
  if (kind == "or")
    return b.create<arith::OrIOp>(loc, a, c);
  if (kind == "xor")
    return b.create<arith::XOrIOp>(loc, a, c);
  a = toI64(loc, a);
  c = toI64(loc, c);
  if (kind == "add")
    return b.create<arith::AddIOp>(loc, a, c);
  if (kind == "sub")
    return b.create<arith::SubIOp>(loc, a, c);
  if (kind == "mul")
    return b.create<arith::MulIOp>(loc, a, c);
  Value zero = cInt(loc, 0, i64()), minusOne = cInt(loc, -1, i64());
  if (kind == "floordiv" || kind == "mod") {
    bool div = kind == "floordiv";
    Value byZero = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, c, zero);
    if (numpyErrors) // NumPy's x // 0 == x % 0 == 0: divide by 1 instead (0 is UB), then select
      c = b.create<arith::SelectOp>(loc, byZero, cInt(loc, 1, i64()), c);
    else
      raiseIf(loc, byZero, "ZeroDivisionError",
              div ? "integer division or modulo by zero" : "integer modulo by zero");
    // x // -1 overflows for INT64_MIN and traps on x86, so -1 takes a branch of its own
    // (a branch, not a select: the common path keeps the division off a select's latency).
    Value isMinusOne = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, c, minusOne);
    Block *general = new Block(), *special = new Block(), *join = new Block();
    for (Block *blk : {general, special, join})
      fn.getBody().push_back(blk);
    Value result = join->addArgument(i64(), loc);
    b.create<cf::CondBranchOp>(loc, isMinusOne, special, general);
    b.setInsertionPointToEnd(special);
    // x // -1 == -x (wrapping), x % -1 == 0
    b.create<cf::BranchOp>(loc, join, ValueRange{div ? b.create<arith::SubIOp>(loc, zero, a).getResult() : zero});
    b.setInsertionPointToEnd(general);
    Value q = b.create<arith::DivSIOp>(loc, a, c);
    Value rem = b.create<arith::RemSIOp>(loc, a, c);
    // Python rounds toward -inf: adjust a nonzero remainder whose sign differs from the
    // divisor's. A nonzero remainder has the dividend's sign, so the sign test reads the
    // operands: it runs beside the division and leaves one add and one select after it
    // (a loop like gcd's, where each remainder feeds the next division, runs 1.2x faster).
    Value nonzero = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, rem, zero);
    Value signsDiffer = b.create<arith::CmpIOp>(
        loc, arith::CmpIPredicate::slt, b.create<arith::XOrIOp>(loc, a, c), zero);
    Value value;
    if (div) {
      Value adjust = b.create<arith::AndIOp>(loc, nonzero, signsDiffer);
      value = b.create<arith::SubIOp>(loc, q, b.create<arith::ExtUIOp>(loc, i64(), adjust));
    } else {
      Value fix = b.create<arith::SelectOp>(loc, signsDiffer, c, zero);
      value = b.create<arith::SelectOp>(loc, nonzero, b.create<arith::AddIOp>(loc, rem, fix), rem);
    }
    b.create<cf::BranchOp>(loc, join, ValueRange{value});
    b.setInsertionPointToEnd(join);
    return numpyErrors ? b.create<arith::SelectOp>(loc, byZero, zero, result).getResult() : result;
  }
  if (kind == "truediv") {
    if (!numpyErrors)
      raiseIf(loc, b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, c, zero),
              "ZeroDivisionError", "division by zero");
    return b.create<arith::DivFOp>(loc, toF64(loc, a), toF64(loc, c));
  }
  if (kind == "pow") {
    // int ** int with a non-negative exponent; a negative one would need a float result.
    Value negative = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, c, zero);
    Value zeroBase = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, a, zero);
    raiseIf(loc, b.create<arith::AndIOp>(loc, negative, zeroBase), "ZeroDivisionError",
            "0.0 cannot be raised to a negative power");
    raiseIf(loc, negative, "ValueError",
            "an int raised to a negative int exponent is a float; write float(x) ** n "
            "(numlir types int ** int as int)");
    return b.create<math::IPowIOp>(loc, a, c);
  }
  if (kind == "lshift" || kind == "rshift") {
    raiseIf(loc, b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, c, zero), "ValueError",
            "negative shift count");
    Value c63 = cInt(loc, 63, i64());
    Value big = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sgt, c, c63);
    Value clamped = b.create<arith::SelectOp>(loc, big, c63, c);
    if (kind == "rshift")
      return b.create<arith::ShRSIOp>(loc, a, clamped);
    Value shifted = b.create<arith::ShLIOp>(loc, a, clamped);
    return b.create<arith::SelectOp>(loc, big, zero, shifted); // int64 wraps to 0
  }
  llvm_unreachable("unknown int binop");
}

Value FunctionLowering::lowerFloatBinOp(Location loc, StringRef kind, Value a, Value c) {
  a = toF64(loc, a);
  c = toF64(loc, c);
  if (kind == "add")
    return b.create<arith::AddFOp>(loc, a, c);
  if (kind == "sub")
    return b.create<arith::SubFOp>(loc, a, c);
  if (kind == "mul")
    return b.create<arith::MulFOp>(loc, a, c);
  Value zero = cF64(loc, 0.0);
  auto isZero = [&](Value v) {
    return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OEQ, v, zero);
  };
  auto lt0 = [&](Value v) {
    return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OLT, v, zero);
  };
  if (kind == "truediv") {
    if (!numpyErrors)
      raiseIf(loc, isZero(c), "ZeroDivisionError", "float division by zero");
    return b.create<arith::DivFOp>(loc, a, c);
  }
  if (numpyErrors && (kind == "mod" || kind == "floordiv")) {
    // NumPy: by zero, x // 0.0 is x / 0.0 and x % 0.0 is fmod(x, 0.0) (nan).
    Value byZero = isZero(c);
    Value python = lowerPythonFloatDivision(loc, kind == "floordiv", a, c);
    Value numpy = kind == "floordiv" ? b.create<arith::DivFOp>(loc, a, c).getResult()
                                     : b.create<arith::RemFOp>(loc, a, c).getResult();
    return b.create<arith::SelectOp>(loc, byZero, numpy, python);
  }
  if (kind == "mod" || kind == "floordiv") {
    bool div = kind == "floordiv";
    raiseIf(loc, isZero(c), "ZeroDivisionError", div ? "float floor division by zero" : "float modulo");
    return lowerPythonFloatDivision(loc, div, a, c);
  }
  if (kind == "pow") {
    if (!numpyErrors) // NumPy: 0.0 ** negative is inf
      raiseIf(loc, b.create<arith::AndIOp>(loc, isZero(a), lt0(c)), "ZeroDivisionError",
              "0.0 cannot be raised to a negative power");
    return b.create<math::PowFOp>(loc, a, c);
  }
  llvm_unreachable("unknown float binop");
}

/// Python's float // and % for a nonzero divisor.
Value FunctionLowering::lowerPythonFloatDivision(Location loc, bool div, Value a, Value c) {
  Value zero = cF64(loc, 0.0);
  auto lt0 = [&](Value v) {
    return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OLT, v, zero);
  };
  // CPython's float divmod: fmod, then fix the sign to follow the divisor.
  Value mod = b.create<arith::RemFOp>(loc, a, c);
  Value modNonzero = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNE, mod, zero);
  Value differ = b.create<arith::XOrIOp>(loc, lt0(c), lt0(mod));
  Value adjust = b.create<arith::AndIOp>(loc, modNonzero, differ);
  if (!div) {
    Value fixed = b.create<arith::SelectOp>(loc, adjust, b.create<arith::AddFOp>(loc, mod, c), mod);
    return b.create<arith::SelectOp>(loc, modNonzero, fixed,
                                     b.create<math::CopySignOp>(loc, zero, c));
  }
  Value q = b.create<arith::DivFOp>(loc, b.create<arith::SubFOp>(loc, a, mod), c);
  q = b.create<arith::SelectOp>(loc, adjust, b.create<arith::SubFOp>(loc, q, cF64(loc, 1.0)), q);
  Value fl = b.create<math::FloorOp>(loc, q);
  Value roundUp = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT,
                                          b.create<arith::SubFOp>(loc, q, fl), cF64(loc, 0.5));
  fl = b.create<arith::SelectOp>(loc, roundUp, b.create<arith::AddFOp>(loc, fl, cF64(loc, 1.0)), fl);
  Value qNonzero = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNE, q, zero);
  Value signedZero = b.create<math::CopySignOp>(loc, zero, b.create<arith::DivFOp>(loc, a, c));
  return b.create<arith::SelectOp>(loc, qNonzero, fl, signedZero);
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
      raiseIf(loc, b.create<arith::XOrIOp>(loc, complexTruth(b, loc, y), cInt(loc, 1, i1())), "ZeroDivisionError",
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
    return b.create<math::IPowIOp>(loc, a, c);
  Value zero = cInt(loc, 0, i64());
  if (kind == "floordiv" || kind == "mod") {
    Value byZero = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, c, zero);
    if (numpyErrors)
      c = b.create<arith::SelectOp>(loc, byZero, cInt(loc, 1, i64()), c);
    else
      raiseIf(loc, byZero, "ZeroDivisionError", kind == "floordiv" ? "integer division or modulo by zero" : "integer modulo by zero");
    Value q = kind == "floordiv" ? b.create<arith::DivUIOp>(loc, a, c).getResult() : b.create<arith::RemUIOp>(loc, a, c).getResult();
    return numpyErrors ? b.create<arith::SelectOp>(loc, byZero, zero, q).getResult() : q;
  }
  // Shifts by 64 or more give 0, as NumPy's.
  Value big = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::uge, c, cInt(loc, 64, i64()));
  Value safe = b.create<arith::SelectOp>(loc, big, zero, c);
  Value shifted = kind == "lshift" ? b.create<arith::ShLIOp>(loc, a, safe).getResult() : b.create<arith::ShRUIOp>(loc, a, safe).getResult();
  return b.create<arith::SelectOp>(loc, big, zero, shifted);
}

/// A comparison with a uint64 operand: exact against signed ints (a negative one is below
/// every uint64), unsigned against unsigned ones, through float64 against floats.
Value FunctionLowering::compareUnsigned64(Location loc, StringRef p, Value l, Type lt, Value r, Type rt) {
  if (isFloat(lt) || isFloat(rt))
    return b.create<arith::CmpFOp>(loc, floatPredicate(p), convertElement(b, loc, l, lt, f64()),
                                   convertElement(b, loc, r, rt, f64()));
  auto isUnsignedSide = [](Type t) { return isBool(t) || t.isUnsignedInteger(); };
  Value wl = isUnsigned64(lt) ? l : widen(loc, l, lt), wr = isUnsigned64(rt) ? r : widen(loc, r, rt);
  arith::CmpIPredicate unsignedPred = llvm::StringSwitch<arith::CmpIPredicate>(p)
      .Case("lt", arith::CmpIPredicate::ult).Case("le", arith::CmpIPredicate::ule)
      .Case("eq", arith::CmpIPredicate::eq).Case("ne", arith::CmpIPredicate::ne)
      .Case("gt", arith::CmpIPredicate::ugt).Default(arith::CmpIPredicate::uge);
  Value byBits = b.create<arith::CmpIOp>(loc, unsignedPred, wl, wr);
  if (isUnsignedSide(lt) && isUnsignedSide(rt))
    return byBits;
  // One side is signed: when it is negative, the uint64 side is the greater.
  bool signedLeft = !isUnsignedSide(lt);
  Value negative = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, signedLeft ? wl : wr, cInt(loc, 0, i64()));
  bool leftLess = signedLeft;
  bool holds = p == "ne" || (leftLess ? (p == "lt" || p == "le") : (p == "gt" || p == "ge"));
  return b.create<arith::SelectOp>(loc, negative, cInt(loc, holds ? 1 : 0, i1()), byBits);
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
      all = b.create<arith::AndIOp>(loc, all, element("eq", i));
    return p == "eq" ? all : b.create<arith::XOrIOp>(loc, all, cInt(loc, 1, i1())).getResult();
  }
  // From the last element back: where elements are equal, the later decision stands.
  bool holdsOnLength = p == "lt" ? nl < nr : p == "le" ? nl <= nr : p == "gt" ? nl > nr : nl >= nr;
  Value result = cInt(loc, holdsOnLength ? 1 : 0, i1());
  StringRef strict = p == "lt" || p == "le" ? "lt" : "gt";
  for (size_t i = n; i-- > 0;)
    result = b.create<arith::SelectOp>(loc, element("eq", i), result, element(strict, i));
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
    return b.create<arith::CmpIOp>(loc, intPredicate(p), toI64(loc, l), toI64(loc, r));
  }
  if (isIntLike(l.getType()))
    return compareIntFloat(loc, p, toI64(loc, l), r);
  if (isIntLike(r.getType())) {
    StringRef mirrored = llvm::StringSwitch<StringRef>(p)
                             .Case("lt", "gt").Case("le", "ge").Case("gt", "lt").Case("ge", "le")
                             .Default(p);
    return compareIntFloat(loc, mirrored, toI64(loc, r), l);
  }
  return b.create<arith::CmpFOp>(loc, floatPredicate(p), l, r);
}

Value FunctionLowering::callLibm(Location loc, StringRef name, ValueRange args) {
  return callExternal(b, loc, symbols, name, args, f64());
}

/// round(x, n) for an int x: unchanged for n >= 0, else to a multiple of 10**-n, halves to even.
Value FunctionLowering::roundIntDigits(Location loc, Value x, Value n) {
  Value zero = cInt(loc, 0, i64()), one = cInt(loc, 1, i64());
  Value k = b.create<arith::SubIOp>(loc, zero, n);
  // |x| < 10**19 / 2: rounding to 10**19 or more gives 0; 10**18 is the largest power to use.
  Value tooBig = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sgt, k, cInt(loc, 18, i64()));
  Value kc = b.create<arith::SelectOp>(loc, tooBig, one, k);
  kc = b.create<arith::MaxSIOp>(loc, kc, one);
  Value p = b.create<math::IPowIOp>(loc, cInt(loc, 10, i64()), kc);
  Value q = b.create<arith::FloorDivSIOp>(loc, x, p);
  Value r = b.create<arith::SubIOp>(loc, x, b.create<arith::MulIOp>(loc, q, p)); // 0 <= r < p
  Value twice = b.create<arith::ShLIOp>(loc, r, one);
  Value above = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sgt, twice, p);
  Value half = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, twice, p);
  Value odd = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne,
                                      b.create<arith::AndIOp>(loc, q, one), zero);
  Value up = b.create<arith::OrIOp>(loc, above, b.create<arith::AndIOp>(loc, half, odd));
  Value rounded = b.create<arith::MulIOp>(
      loc, b.create<arith::AddIOp>(loc, q, b.create<arith::ExtUIOp>(loc, i64(), up)), p);
  Value negative = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, n, zero);
  Value result = b.create<arith::SelectOp>(loc, tooBig, zero, rounded);
  return b.create<arith::SelectOp>(loc, negative, result, x);
}

/// `i <pred> f` compared exactly, as CPython compares int and float (no rounding of i).
Value FunctionLowering::compareIntFloat(Location loc, StringRef p, Value i, Value f) {
  // Rounding i to the nearest double keeps order, so unequal doubles decide; equal ones
  // are integral, and then the exact integer comparison decides (2**63 is above every i).
  Value d = toF64(loc, i);
  Value byFloat = b.create<arith::CmpFOp>(loc, floatPredicate(p), d, f);
  Value differ = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNE, d, f);
  Value two63 = cF64(loc, 9223372036854775808.0);
  Value atTop = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGE, f, two63);
  Value fSafe = b.create<arith::SelectOp>(loc, atTop, cF64(loc, 0.0), f);
  Value byInt = b.create<arith::CmpIOp>(loc, intPredicate(p), i, b.create<arith::FPToSIOp>(loc, i64(), fSafe));
  Value iBelow = cInt(loc, p == "lt" || p == "le" || p == "ne" ? 1 : 0, i1()); // i < 2**63
  Value exact = b.create<arith::SelectOp>(loc, atTop, iBelow, byInt);
  return b.create<arith::SelectOp>(loc, differ, byFloat, exact);
}

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
      raiseIf(loc, b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OEQ, c, cF64(loc, 0.0)), "ZeroDivisionError", "float divmod()");
    return {lowerFloatBinOp(loc, "floordiv", a, c), lowerFloatBinOp(loc, "mod", a, c)};
  }
  Value x = toF64(loc, args[0]);
  if (name == "math.frexp") {
    Value e = callExternal(b, loc, symbols, "numlir_frexp_exponent", {x}, i64());
    Value m = callLibm(loc, "ldexp", {x, b.create<arith::TruncIOp>(loc, b.getI32Type(), b.create<arith::SubIOp>(loc, cInt(loc, 0, i64()), e))});
    return {m, e};
  }
  // math.modf: the fraction has x's sign (-0.0 for -3.0), and 0.0 for infinities.
  Value whole = b.create<math::TruncOp>(loc, x);
  Value inf = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OEQ, b.create<math::AbsFOp>(loc, x),
                                      cF64(loc, std::numeric_limits<double>::infinity()));
  Value frac = b.create<arith::SelectOp>(loc, inf, cF64(loc, 0.0), b.create<arith::SubFOp>(loc, x, whole));
  return {b.create<math::CopySignOp>(loc, frac, x), whole};
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
    return complexArgs ? b.create<complex::AbsOp>(loc, v).getResult() : b.create<math::AbsFOp>(loc, v).getResult();
  };
  Value same, diff;
  if (complexArgs) {
    auto c128 = ComplexType::get(f64());
    a = complexFrom(b, loc, a, a.getType(), c128);
    c = complexFrom(b, loc, c, c.getType(), c128);
    same = complexCompare(b, loc, "eq", a, c);
    diff = magnitude(b.create<complex::SubOp>(loc, a, c));
  } else {
    a = toF64(loc, a);
    c = toF64(loc, c);
    same = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OEQ, a, c);
    diff = magnitude(b.create<arith::SubFOp>(loc, a, c));
  }
  Value largest = b.create<arith::MaximumFOp>(loc, magnitude(a), magnitude(c));
  Value tol = b.create<arith::MaximumFOp>(loc, b.create<arith::MulFOp>(loc, relTol, largest), absTol);
  Value within = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OLE, diff, tol);
  Value inf = cF64(loc, std::numeric_limits<double>::infinity());
  Value finite = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OLT, largest, inf);
  return b.create<arith::OrIOp>(loc, same, b.create<arith::AndIOp>(loc, within, finite));
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
    return isFloat(result) ? b.create<math::AbsFOp>(loc, args[0]).getResult()
                           : b.create<math::AbsIOp>(loc, toI64(loc, args[0])).getResult();
  if (name == "min" || name == "max") {
    // Python keeps the first of equal items and compares `next > current` (max) or `<` (min).
    Value cur = convertScalar(loc, args[0], result);
    for (Value next : ArrayRef<Value>(args).drop_front()) {
      next = convertScalar(loc, next, result);
      Value better;
      if (isFloat(result))
        better = b.create<arith::CmpFOp>(loc, name == "max" ? arith::CmpFPredicate::OGT
                                                             : arith::CmpFPredicate::OLT,
                                         next, cur);
      else
        better = b.create<arith::CmpIOp>(loc, isUnsigned64(result) ? (name == "max" ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::ult)
                                                                    : (name == "max" ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::slt),
                                         toI64(loc, next), toI64(loc, cur));
      cur = b.create<arith::SelectOp>(loc, better, next, cur);
    }
    return cur;
  }
  if (name == "pow" && args.size() == 3) {
    Value base = toI64(loc, args[0]), exp = toI64(loc, args[1]), mod = toI64(loc, args[2]);
    Value zero = cInt(loc, 0, i64());
    raiseIf(loc, b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, mod, zero), "ValueError", "pow() 3rd argument cannot be 0");
    Value negative = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, exp, zero);
    Value invertible = callExternal(b, loc, symbols, "numlir_invertible", {base, mod}, i1());
    raiseIf(loc, b.create<arith::AndIOp>(loc, negative, b.create<arith::XOrIOp>(loc, invertible, cInt(loc, 1, i1()))),
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
      return isFloat(x.getType()) ? floatToInt(loc, b.create<math::RoundEvenOp>(loc, x))
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
    Value r = name == "floor" ? b.create<math::FloorOp>(loc, x).getResult()
              : name == "ceil" ? b.create<math::CeilOp>(loc, x).getResult()
                               : b.create<math::TruncOp>(loc, x).getResult();
    return floatToInt(loc, r);
  }
  if (name == "isnan" || name == "isinf" || name == "isfinite") {
    Value x = args[0];
    if (!isFloat(x.getType()))
      return cInt(loc, name == "isfinite" ? 1 : 0, i1());
    if (name == "isnan")
      return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNO, x, x).getResult();
    Value inf = cF64(loc, std::numeric_limits<double>::infinity());
    Value mag = b.create<math::AbsFOp>(loc, x);
    return b.create<arith::CmpFOp>(
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
    n = b.create<arith::MaxSIOp>(loc, b.create<arith::MinSIOp>(loc, n, cInt(loc, 2100, i64())), cInt(loc, -2100, i64()));
    return callLibm(loc, "ldexp", {toF64(loc, args[0]), b.create<arith::TruncIOp>(loc, b.getI32Type(), n)});
  }
  SmallVector<Value> xs;
  for (Value a : args)
    xs.push_back(toF64(loc, a));
  Value x = xs[0];
  if (xs.size() == 2) {
    Value y = xs[1];
    if (name == "atan2")
      return b.create<math::Atan2Op>(loc, x, y).getResult();
    if (name == "pow")
      return b.create<math::PowFOp>(loc, x, y).getResult();
    if (name == "copysign")
      return b.create<math::CopySignOp>(loc, x, y).getResult();
    if (name == "hypot")
      return callLibm(loc, "hypot", {x, y});
    if (name == "log")
      return b.create<arith::DivFOp>(loc, b.create<math::LogOp>(loc, x), b.create<math::LogOp>(loc, y))
          .getResult();
    if (name == "fmod")
      return b.create<arith::RemFOp>(loc, x, y).getResult();
    if (name == "remainder" || name == "nextafter")
      return callLibm(loc, name, {x, y});
  }
  if (name == "exp2")
    return b.create<math::Exp2Op>(loc, x).getResult();
  if (name == "cbrt")
    return b.create<math::CbrtOp>(loc, x).getResult();
#define UNARY(pyname, Op)                                                                        \
  if (name == pyname)                                                                            \
    return b.create<math::Op>(loc, x).getResult();
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
    return b.create<arith::MulFOp>(loc, x, cF64(loc, std::numbers::pi / 180.0)).getResult();
  if (name == "degrees")
    return b.create<arith::MulFOp>(loc, x, cF64(loc, 180.0 / std::numbers::pi)).getResult();
  return op.emitError("UnsupportedError: math.") << name << " has no lowering";
}

/// A range iterator: its state lives in a stack slot made once in the entry block (LLVM's
/// mem2reg turns it back into registers, so the loop is a plain counted loop).
/// State: [current, items left, step, lowest]. Counting items (computed once, in unsigned
/// arithmetic) cannot overflow near the int64 limits and gives LLVM the trip count.
/// `lowest` bounds every value from below (start going up, stop + 1 going down): an index
/// that comes from the range skips the negative-index wrap when it is >= 0 (wrapIndex).
Value FunctionLowering::makeRangeIter(Location loc, Value start, Value stop, Value step) {
  OpBuilder::InsertPoint here = b.saveInsertionPoint();
  b.setInsertionPointToStart(&fn.getBody().front());
  Value state = b.create<memref::AllocaOp>(loc, MemRefType::get({kRangeStateFields}, i64()));
  b.restoreInsertionPoint(here);
  Value count = rangeLength(loc, start, stop, step);
  Value zero = cInt(loc, 0, i64()), one = cInt(loc, 1, i64());
  Value up = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sgt, step, zero);
  Value lowest = b.create<arith::SelectOp>(loc, up, start, b.create<arith::AddIOp>(loc, stop, one));
  Value fields[kRangeStateFields] = {start, count, step, lowest};
  for (int i = 0; i < kRangeStateFields; ++i)
    b.create<memref::StoreOp>(loc, fields[i], state,
                              ValueRange{b.create<arith::ConstantIndexOp>(loc, i)});
  return state;
}

/// len(range(start, stop, step)), for a nonzero step: the count of values, in unsigned
/// arithmetic so that no span between int64 bounds overflows.
Value FunctionLowering::rangeLength(Location loc, Value start, Value stop, Value step) {
  Value zero = cInt(loc, 0, i64()), one = cInt(loc, 1, i64());
  Value up = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sgt, step, zero);
  Value span = b.create<arith::SelectOp>(loc, up, b.create<arith::SubIOp>(loc, stop, start),
                                         b.create<arith::SubIOp>(loc, start, stop));
  Value nonempty = b.create<arith::SelectOp>(
      loc, up, b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, start, stop),
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sgt, start, stop));
  Value magnitude = b.create<arith::SelectOp>(loc, up, step, b.create<arith::SubIOp>(loc, zero, step));
  Value count = b.create<arith::AddIOp>(
      loc, b.create<arith::DivUIOp>(loc, b.create<arith::SubIOp>(loc, span, one), magnitude), one);
  return b.create<arith::SelectOp>(loc, nonempty, count, zero);
}

/// Advances a range iterator: whether it produced a value, and the value.
std::pair<Value, Value> FunctionLowering::nextInRange(Location loc, Value state) {
  auto index = [&](int i) -> Value { return b.create<arith::ConstantIndexOp>(loc, i); };
  Value cur = b.create<memref::LoadOp>(loc, state, index(0));
  Value left = b.create<memref::LoadOp>(loc, state, index(1));
  Value step = b.create<memref::LoadOp>(loc, state, index(2));
  Value valid = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, left, cInt(loc, 0, i64()));
  b.create<memref::StoreOp>(loc, b.create<arith::AddIOp>(loc, cur, step), state, index(0));
  b.create<memref::StoreOp>(loc, b.create<arith::SubIOp>(loc, left, cInt(loc, 1, i64())), state,
                            index(1));
  return {valid, cur};
}

LogicalResult FunctionLowering::lowerOp(Operation &op) {
  Location loc = op.getLoc();
  FailureOr<bool> array = lowerArrayOp(op);
  if (failed(array))
    return failure();
  if (*array)
    return success();
  if (auto c = llvm::dyn_cast<ConstantOp>(op)) {
    mapValue(c, b.create<arith::ConstantOp>(loc, c.getValue())->getResults());
  } else if (auto none = llvm::dyn_cast<NoneOp>(op)) {
    mapValue(none, {});
  } else if (auto u = llvm::dyn_cast<UndefOp>(op)) {
    SmallVector<Type> parts;
    lowerType(u.getType(), parts);
    SmallVector<Value> zeros;
    for (Type t : parts)
      zeros.push_back(zeroOf(loc, t));
    mapValue(u, zeros);
  } else if (auto cast = llvm::dyn_cast<CastOp>(op)) {
    SmallVector<Value> out;
    SmallVector<Value, 1> in = values.lookup(cast.getOperand());
    convertParts(loc, cast.getOperand().getType(), cast.getType(), in, out);
    mapValue(cast, out);
  } else if (auto bin = llvm::dyn_cast<BinOp>(op)) {
    mapValue(bin, lowerScalarBinOp(bin));
  } else if (auto un = llvm::dyn_cast<UnOp>(op)) {
    Value x = widen(loc, one(un.getOperand()), un.getOperand().getType());
    StringRef k = un.getKind();
    Value r;
    if (k == "not")
      r = b.create<arith::XOrIOp>(loc, truth(loc, x), cInt(loc, 1, i1()));
    else if (isComplex(x.getType()))
      r = complexUnary(b, loc, k, x);
    else if (isFloat(x.getType()))
      r = k == "neg" ? b.create<arith::NegFOp>(loc, x).getResult() : x;
    else if (k == "neg")
      r = b.create<arith::SubIOp>(loc, cInt(loc, 0, i64()), toI64(loc, x));
    else if (k == "invert")
      r = b.create<arith::XOrIOp>(loc, toI64(loc, x), cInt(loc, -1, i64()));
    else
      r = toI64(loc, x);
    mapValue(un, narrow(loc, r, un.getType()));
  } else if (auto cmp = llvm::dyn_cast<CmpOp>(op)) {
    mapValue(cmp, lowerCmp(cmp));
  } else if (auto t = llvm::dyn_cast<TruthOp>(op)) {
    if (auto tuple = tupleOf(t.getOperand().getType())) // a tuple is true when not empty
      mapValue(t, cInt(loc, tuple.size() > 0, i1()));
    else
      mapValue(t, truth(loc, widen(loc, one(t.getOperand()), t.getOperand().getType())));
  } else if (auto call = llvm::dyn_cast<CallBuiltinOp>(op);
             call && (call.getCallee() == "complex" || call.getCallee().starts_with("cmath."))) {
    FailureOr<SmallVector<Value>> r = lowerComplexCall(call);
    if (failed(r))
      return failure();
    if (r->size() == 1 && isAnyNumber(call.getType())) // np.complex64(x): complex(x), narrowed
      (*r)[0] = narrow(loc, (*r)[0], call.getType());
    mapValue(call, *r);
  } else if (auto call = llvm::dyn_cast<CallBuiltinOp>(op)) {
    // int(), abs() and min()/max() of a uint64 keep its bits; math functions take it as a float.
    bool keepsBits = llvm::is_contained({"int", "abs", "min", "max", "bool"}, call.getCallee());
    SmallVector<Value> args;
    for (Value a : call.getArgs()) {
      if (tupleOf(a.getType())) { // min(t), max(t): over the tuple's elements
        SmallVector<Type> leaves;
        pyLeaves(a.getType(), leaves);
        for (auto [part, leaf] : llvm::zip(values.lookup(a), leaves))
          args.push_back(widen(loc, part, leaf));
        continue;
      }
      Type t = a.getType();
      args.push_back(isUnsigned64(t) && !keepsBits ? convertElement(b, loc, one(a), t, f64()) : widen(loc, one(a), t));
    }
    if (auto tuple = llvm::dyn_cast<TupleType>(call.getType())) {
      // divmod, math.frexp and math.modf: two results
      SmallVector<Value> parts = lowerPairBuiltin(call, args);
      for (auto [i, t] : llvm::enumerate(tuple.getTypes()))
        parts[i] = narrow(loc, parts[i], t);
      mapValue(call, parts);
      return success();
    }
    Type result = pythonWide(call.getType());
    FailureOr<Value> r = lowerBuiltin(call, args, result);
    if (failed(r))
      return failure();
    mapValue(call, narrow(loc, convertScalar(loc, *r, result), call.getType()));
  } else if (auto make = llvm::dyn_cast<MakeTupleOp>(op)) {
    mapValue(make, lowered(make.getElements()));
  } else if (auto get = llvm::dyn_cast<TupleGetOp>(op)) {
    mapTupleElement(get, get.getTuple(), get.getIndex());
  } else if (auto range = llvm::dyn_cast<RangeOp>(op)) {
    auto bound = [&](Value v) { return toI64(loc, i64Parts(loc, v)[0]); };
    Value step = bound(range.getStep());
    raiseIf(loc, b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, step, cInt(loc, 0, i64())),
            "ValueError", "range() arg 3 must not be zero");
    mapValue(range, {bound(range.getStart()), bound(range.getStop()), step});
  } else if (auto iter = llvm::dyn_cast<GetIterOp>(op)) {
    SmallVector<Value, 1> parts = values.lookup(iter.getIterable());
    mapValue(iter, makeRangeIter(loc, parts[0], parts[1], parts[2]));
  } else if (auto next = llvm::dyn_cast<IterNextOp>(op)) {
    auto [valid, cur] = nextInRange(loc, one(next.getIterator()));
    mapValue(next.getValid(), valid);
    mapValue(next.getValue(), cur);
  } else if (auto call = llvm::dyn_cast<CallOp>(op)) {
    auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
    SmallVector<Type> results{b.getI32Type()};
    for (Type t : callee.getResultTypes())
      lowerType(t, results);
    auto newCall = b.create<func::CallOp>(loc, call.getCallee(), results, lowered(call.getArgs()));
    Value status = newCall.getResult(0);
    Value failedCall = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, status,
                                               cInt(loc, 0, b.getI32Type()));
    Block *cont = new Block();
    fn.getBody().push_back(cont);
    b.create<cf::CondBranchOp>(loc, failedCall, propagate, ValueRange{status}, cont, ValueRange{});
    b.setInsertionPointToEnd(cont);
    mapValue(call, newCall.getResults().drop_front());
  } else if (auto raise = llvm::dyn_cast<RaiseOp>(op)) {
    returnStatus(loc, cInt(loc, table.add(raise.getException(), raise.getMessage()), b.getI32Type()));
  } else if (auto br = llvm::dyn_cast<cf::BranchOp>(op)) {
    b.create<cf::BranchOp>(loc, blocks[br.getDest()], lowered(br.getDestOperands()));
  } else if (auto cbr = llvm::dyn_cast<cf::CondBranchOp>(op)) {
    b.create<cf::CondBranchOp>(loc, one(cbr.getCondition()), blocks[cbr.getTrueDest()],
                               lowered(cbr.getTrueDestOperands()), blocks[cbr.getFalseDest()],
                               lowered(cbr.getFalseDestOperands()));
  } else if (auto ret = llvm::dyn_cast<func::ReturnOp>(op)) {
    SmallVector<Value> results{cInt(loc, 0, b.getI32Type())};
    results.append(lowered(ret.getOperands()));
    b.create<func::ReturnOp>(loc, results);
  } else if (llvm::isa<arith::ArithDialect>(op.getDialect())) {
    if (Value v = lowerStdOp(op))
      mapValue(op.getResult(0), v);
  } else {
    return op.emitError("UnsupportedError: no lowering for ") << op.getName();
  }
  return success();
}

/// An arith op that canonicalization made in typed py IR (a select of two merged values,
/// say): selects apply per flattened part; other ops take their operands' new values.
Value FunctionLowering::lowerStdOp(Operation &op) {
  if (auto select = llvm::dyn_cast<arith::SelectOp>(op)) {
    SmallVector<Value, 1> t = values.lookup(select.getTrueValue());
    SmallVector<Value, 1> f = values.lookup(select.getFalseValue());
    SmallVector<Value> parts;
    for (auto [x, y] : llvm::zip(t, f))
      parts.push_back(b.create<arith::SelectOp>(op.getLoc(), one(select.getCondition()), x, y));
    // One value per py value: a tuple is rebuilt by make_tuple users through the map.
    if (parts.size() == 1)
      return parts[0];
    mapValue(op.getResult(0), parts);
    return {};
  }
  IRMapping mapping;
  for (Value operand : op.getOperands())
    mapping.map(operand, one(operand));
  return b.clone(op, mapping)->getResult(0);
}

LogicalResult FunctionLowering::run() {
  SmallVector<Type> argTypes;
  for (Type t : old.getArgumentTypes())
    lowerType(t, argTypes);
  for (Type t : old.getResultTypes())
    lowerType(t, resultTypes);
  SmallVector<Type> allResults{b.getI32Type()};
  allResults.append(resultTypes);
  b.setInsertionPoint(old);
  fn = b.create<func::FuncOp>(old.getLoc(), (old.getSymName() + ".lowered").str(),
                              b.getFunctionType(argTypes, allResults));
  for (Block &block : old.getBody()) {
    Block *nb = new Block();
    fn.getBody().push_back(nb);
    blocks[&block] = nb;
    for (BlockArgument arg : block.getArguments()) {
      SmallVector<Type> parts;
      lowerType(arg.getType(), parts);
      SmallVector<Value> newArgs;
      for (Type t : parts)
        newArgs.push_back(nb->addArgument(t, arg.getLoc()));
      mapValue(arg, newArgs);
    }
  }
  propagate = new Block();
  fn.getBody().push_back(propagate);
  Value status = propagate->addArgument(b.getI32Type(), old.getLoc());
  b.setInsertionPointToEnd(propagate);
  returnStatus(old.getLoc(), status);

  for (Block &block : old.getBody()) {
    b.setInsertionPointToEnd(blocks[&block]);
    for (Operation &op : block)
      if (failed(lowerOp(op)))
        return failure();
  }
  if (propagate->use_empty())
    propagate->erase();
  return success();
}

} // namespace mlir::py

namespace {
struct PyToStdPass : PassWrapper<PyToStdPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(PyToStdPass)
  StringRef getArgument() const final { return "py-to-std"; }
  StringRef getDescription() const final {
    return "Lower typed py ops to arith/math/cf/func/memref with Python semantics";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, cf::ControlFlowDialect, func::FuncDialect,
                    math::MathDialect, memref::MemRefDialect, scf::SCFDialect,
                    linalg::LinalgDialect, LLVM::LLVMDialect>();
  }
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    RaiseTable table;
    SmallVector<func::FuncOp> funcs;
    for (auto f : module.getOps<func::FuncOp>())
      if (!f.isDeclaration())
        funcs.push_back(f);
    SmallVector<func::FuncOp> loweredFuncs;
    for (func::FuncOp f : funcs) {
      FunctionLowering lowering(f, table, symbols);
      if (lowering.run().failed())
        return signalPassFailure();
      loweredFuncs.push_back(lowering.result());
    }
    for (auto [f, lowered] : llvm::zip(funcs, loweredFuncs)) {
      std::string name = f.getSymName().str();
      bool entry = f->hasAttr("py.entry");
      symbols.erase(f);
      lowered.setSymName(name);
      if (!entry)
        lowered.setPrivate(); // lets LLVM inline and drop it; the entry stays callable
    }
    // fastmath: "fast" or a comma list of LLVM's flag names (numba's fastmath={...}).
    if (auto flags = module->getAttrOfType<StringAttr>("py.fastmath")) {
      std::optional<arith::FastMathFlags> parsed = arith::symbolizeFastMathFlags(flags.getValue());
      if (!parsed) {
        module.emitError() << "unknown fastmath flags '" << flags.getValue() << "'";
        return signalPassFailure();
      }
      module.walk([&](arith::ArithFastMathInterface op) {
        op->setAttr("fastmath", arith::FastMathFlagsAttr::get(&getContext(), *parsed));
      });
    }
    SmallVector<Attribute> sites;
    Builder builder(&getContext());
    for (auto &[exc, msg] : table.sites)
      sites.push_back(builder.getStrArrayAttr({exc, msg}));
    module->setAttr("py.raise_table", builder.getArrayAttr(sites));
    module->removeAttr("py.fastmath");
    module->removeAttr("py.error_model");
  }
};
} // namespace

std::unique_ptr<Pass> mlir::py::createPyToStdPass() { return std::make_unique<PyToStdPass>(); }
