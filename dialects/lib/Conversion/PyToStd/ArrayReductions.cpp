// py-to-std for reductions: sum, prod, min, max, mean, var, std, argmin, argmax, any, all
// over the whole array or along `axis=`, and cumsum/cumprod, as scf loops.
#include "FunctionLowering.h"
#include "ElementOps.h"
#include "numlir/Dialect/Py/Transforms/ArrayTypeRules.h"

#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;
using namespace mlir::py;

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

/// cumsum/cumprod: running totals in C order over the whole array (a 1-D result), or along
/// `axis` (the array's shape).
Value FunctionLowering::cumulative(Location loc, StringRef name, Value array, MemRefType arrayPy,
                                   std::optional<int64_t> axis, MemRefType resultPy) {
  Type e = arrayPy.getElementType(), acc = resultPy.getElementType();
  bool product = name == "cumprod";
  int64_t rank = arrayPy.getRank();
  SmallVector<Value> sizes = sizesOf(loc, array);
  Value zeroIdx = arith::ConstantIndexOp::create(b, loc, 0), oneIdx = arith::ConstantIndexOp::create(b, loc, 1);
  Value result;
  if (axis) {
    result = allocArray(loc, resultPy, sizes);
  } else {
    Value n = oneIdx;
    for (Value s : sizes)
      n = arith::MulIOp::create(b, loc, n, s);
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
                         Value x = convertElement(lb, ll, memref::LoadOp::create(lb, ll, array, at), e, acc);
                         Value total = accumulate(lb, ll, product ? "mul" : "add", carried[0], x);
                         if (axis)
                           memref::StoreOp::create(lb, ll, total, result, at);
                         else
                           memref::StoreOp::create(lb, ll, total, result, ValueRange{carried[1]});
                         return {total, arith::AddIOp::create(lb, ll, carried[1], arith::ConstantIndexOp::create(lb, ll, 1))};
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
  Value zeroIdx = arith::ConstantIndexOp::create(b, loc, 0), oneIdx = arith::ConstantIndexOp::create(b, loc, 1);
  // Reduces over the axes in `reduced` at fixed outer indices `outer` (full rank, with
  // placeholders at reduced axes); returns the accumulated value (and for argmin/argmax,
  // the index as i64; for mean/var the count).
  SmallVector<int64_t> reducedAxes;
  for (int64_t d = 0; d < rank; ++d)
    if (!axis || *axis == d)
      reducedAxes.push_back(d);
  // A whole Fortran-ordered array (`a.T`, np.asfortranarray) reduces in memory order, its
  // first axis innermost: the loop then reads contiguous elements and vectorizes, as
  // NumPy's own reductions follow memory order. (argmin/argmax count positions in C order.)
  auto [strides, offset] = arrayPy.getStridesAndOffset();
  if (!axis && !isArg && rank >= 2 && strides.front() == 1 && strides.back() != 1)
    std::reverse(reducedAxes.begin(), reducedAxes.end());
  Value count = cInt(loc, 1, i64());
  for (int64_t d : reducedAxes)
    count = arith::MulIOp::create(b, loc, count, arith::IndexCastOp::create(b, loc, i64(), sizes[d]));
  if (name == "min" || name == "max" || isArg)
    raiseIf(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, count, cInt(loc, 0, i64())), "ValueError",
            "zero-size array to reduction operation which has no identity");
  // min/max (and argmin/argmax's start): minimumf/maximumf for floats (they propagate NaN,
  // as NumPy does, and vectorize), unsigned compares for unsigned ints and bools.
  bool toMax = name == "max" || name == "argmax";
  arith::AtomicRMWKind minMax = fl && skipNan ? (toMax ? arith::AtomicRMWKind::maxnumf : arith::AtomicRMWKind::minnumf)
                                : fl ? (toMax ? arith::AtomicRMWKind::maximumf : arith::AtomicRMWKind::minimumf)
                                : isUnsignedElement(e) || e.isInteger(1)
                                    ? (toMax ? arith::AtomicRMWKind::maxu : arith::AtomicRMWKind::minu)
                                    : (toMax ? arith::AtomicRMWKind::maxs : arith::AtomicRMWKind::mins);
  // A float min/max whose innermost loop does not read contiguous elements (the loop
  // stays scalar in LLVM) takes maxnumf/minnumf and a separate "any NaN" flag: x86's
  // maximumf (NaN and signed zeros in order) is a chain of several instructions per element.
  bool scalarMinMax = (name == "min" || name == "max") && fl && !skipNan && !reducedAxes.empty() && strides[reducedAxes.back()] != 1;
  arith::AtomicRMWKind numMinMax = toMax ? arith::AtomicRMWKind::maxnumf : arith::AtomicRMWKind::minnumf;
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
      inits.push_back(arith::ConstantOp::create(nb, nl, nb.getI1Type(), nb.getBoolAttr(false)));
    else if (name == "all")
      inits.push_back(arith::ConstantOp::create(nb, nl, nb.getI1Type(), nb.getBoolAttr(true)));
    else {
      // min/max/argmin/argmax start from their identity (+inf for a float min, the largest
      // value for an integer min...), not from a load of the first element: the loop then
      // reads only in bounds, and numlir-fuse-reductions may run it together with other
      // reductions of the array. (An argmin over values all equal to the identity still
      // finds index 0: only a strictly better element moves it.)
      inits.push_back(fl && skipNan ? arith::ConstantOp::create(nb, nl, e, nb.getFloatAttr(e, std::numeric_limits<double>::quiet_NaN())).getResult()
                                    : arith::getIdentityValue(minMax, storageType(e), nb, nl));
      inits.push_back(arith::ConstantOp::create(nb, nl, nb.getI64Type(), nb.getI64IntegerAttr(0)));
      inits.push_back(arith::ConstantOp::create(nb, nl, nb.getI64Type(), nb.getI64IntegerAttr(0)));
    }
    scf::LoopNest nest = scf::buildLoopNest(
        nb, nl, lbs, ubs, steps, inits,
        [&](OpBuilder &lb, Location ll, ValueRange ivs, ValueRange acc) -> scf::ValueVector {
          SmallVector<Value> at(outer);
          for (auto [d, iv] : llvm::zip(reducedAxes, ivs))
            at[d] = iv;
          Value raw = memref::LoadOp::create(lb, ll, array, at);
          if (scalarMinMax) {
            Value isNan = arith::ExtUIOp::create(lb, ll, lb.getI64Type(), arith::CmpFOp::create(lb, ll, arith::CmpFPredicate::UNO, raw, raw));
            return {arith::getReductionOp(numMinMax, lb, ll, acc[0], raw), arith::OrIOp::create(lb, ll, acc[1], isNan), acc[2]};
          }
          if (name == "min" || name == "max")
            return {arith::getReductionOp(minMax, lb, ll, acc[0], raw), acc[1], acc[2]};
          if (isArg) {
            // NaN wins, as in NumPy: once the best is NaN it stays.
            Value best = acc[0];
            Value better;
            if (fl) {
              Value cmp = arith::CmpFOp::create(lb, ll, toMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT, raw, best);
              Value xNan = arith::CmpFOp::create(lb, ll, arith::CmpFPredicate::UNO, raw, raw);
              Value bestNan = arith::CmpFOp::create(lb, ll, arith::CmpFPredicate::UNO, best, best);
              better = arith::AndIOp::create(lb, ll, arith::OrIOp::create(lb, ll, cmp, xNan),
                                                arith::XOrIOp::create(lb, ll, bestNan, arith::ConstantOp::create(lb, ll, lb.getI1Type(), lb.getBoolAttr(true))));
            } else {
              better = elementCompare(lb, ll, toMax ? "gt" : "lt", raw, best, e);
            }
            Value position = acc[2];
            Value newBest = arith::SelectOp::create(lb, ll, better, raw, best);
            Value newIndex = arith::SelectOp::create(lb, ll, better, position, acc[1]);
            Value next = arith::AddIOp::create(lb, ll, position, arith::ConstantOp::create(lb, ll, lb.getI64Type(), lb.getI64IntegerAttr(1)));
            return {newBest, newIndex, next};
          }
          Value x = convertElement(lb, ll, raw, e, computePy);
          if (name == "any")
            return {arith::OrIOp::create(lb, ll, acc[0], x)};
          if (name == "all")
            return {arith::AndIOp::create(lb, ll, acc[0], x)};
          if (isVar && mean) {
            Value dev = arith::SubFOp::create(lb, ll, x, mean);
            return {accumulate(lb, ll, "add", acc[0], arith::MulFOp::create(lb, ll, dev, dev), true)};
          }
          return {accumulate(lb, ll, name == "prod" ? "mul" : "add", acc[0], x, true)};
        });
    // An argmin/argmax of reals runs in blocks (numlir-block-arg-reductions), whose best
    // value is this min/max.
    if (isArg && !skipNan && !nest.loops.empty() && (fl || llvm::isa<IntegerType>(e)))
      nest.loops.back()->setAttr(kArgReductionMark, nb.getStringAttr(arith::stringifyAtomicRMWKind(minMax)));
    SmallVector<Value> results(nest.results);
    if (scalarMinMax) {
      Value sawNan = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::ne, results[1], arith::ConstantOp::create(nb, nl, nb.getI64Type(), nb.getI64IntegerAttr(0)));
      results[0] = arith::SelectOp::create(nb, nl, sawNan, arith::ConstantOp::create(nb, nl, e, nb.getFloatAttr(e, std::numeric_limits<double>::quiet_NaN())), results[0]);
    }
    return results;
  };
  // Turns the accumulators at `outer` into the result value (py type accPy).
  auto finish = [&](OpBuilder &nb, Location nl, SmallVector<Value> outer) -> Value {
    Value n = arith::SIToFPOp::create(nb, nl, nb.getF64Type(), count);
    if (isMean || isVar) {
      Value sum = reduceAt(nb, nl, outer, {})[0];
      auto complexSum = llvm::dyn_cast<ComplexType>(sum.getType());
      Value mean = complexSum ? complexBinary(nb, nl, "truediv", sum, complexFrom(nb, nl, n, nb.getF64Type(), complexSum))
                              : arith::DivFOp::create(nb, nl, sum, n).getResult();
      if (isMean)
        return convertElement(nb, nl, mean, meanPy, accPy);
      Value ss = reduceAt(nb, nl, outer, mean)[0];
      Value var = arith::DivFOp::create(nb, nl, ss, n);
      if (name == "std")
        var = math::SqrtOp::create(nb, nl, var);
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
  scf::LoopNest nest = scf::buildLoopNest(b, loc, lbs, outSizes, steps, [&](OpBuilder &nb, Location nl, ValueRange ivs) {
    SmallVector<Value> outer;
    size_t k = 0;
    for (int64_t d = 0; d < rank; ++d)
      outer.push_back(d == *axis ? zeroIdx : ivs[k++]);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
    Value v = finish(b, nl, outer);
    memref::StoreOp::create(b, nl, convertElement(b, nl, v, accPy, resultArrayPy.getElementType()), result, ivs);
  });
  // Each result element is independent: with parallel=True the rows split among threads
  // (numlir-parallel-array-loops).
  if (!nest.loops.empty())
    nest.loops.front()->setAttr(kParallelMark, b.getUnitAttr());
  return result;
}
