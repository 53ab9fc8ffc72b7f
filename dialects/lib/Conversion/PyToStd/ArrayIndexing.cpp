// py-to-std for indexing and views: Python indices (negative ones wrap, boundscheck raises
// IndexError, loop variables skip the wrap when their range keeps them >= 0), element
// loads and stores, subviews for slices, a.T, attributes (shape, size, ...), and the C-order
// views and copies that reshape and ravel make.
#include "FunctionLowering.h"
#include "ElementOps.h"
#include "numlir/Dialect/Py/Transforms/ArrayTypeRules.h"

#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;
using namespace mlir::py;

Value FunctionLowering::index(Location loc, Value v) {
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), toI64(loc, v));
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
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i, zero);
  Value wrapped = arith::SelectOp::create(b, loc, negative, arith::AddIOp::create(b, loc, i, size), i);
  if (auto origin = pyIndex ? rangeOrigin(pyIndex) : std::nullopt) {
    Value lowest = memref::LoadOp::create(b, 
        loc, origin->first, ValueRange{arith::ConstantIndexOp::create(b, loc, kRangeLowestField)});
    Value neverNegative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, lowest,
                                                  cInt(loc, -origin->second, i64()));
    wrapped = arith::SelectOp::create(b, loc, neverNegative, i, wrapped);
  }
  if (old->getParentOfType<ModuleOp>()->hasAttr("py.boundscheck")) {
    Value below = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, wrapped, zero);
    Value above = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, wrapped, size);
    // NumPy's message, with the index as written and the axis' size filled in at run time.
    raiseIf(loc, arith::OrIOp::create(b, loc, below, above), "IndexError",
            "index {0} is out of bounds for axis " + std::to_string(axis) + " with size {1}",
            {i, size});
  }
  return wrapped;
}

SmallVector<Value> FunctionLowering::sizesOf(Location loc, Value array) {
  auto type = llvm::cast<MemRefType>(array.getType());
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    sizes.push_back(memref::DimOp::create(b, loc, array, d));
  return sizes;
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
  Value sub = memref::SubViewOp::create(b, loc, llvm::cast<MemRefType>(inferred), array, offsets, sizes, strides);
  return sub.getType() == resultType ? sub : memref::CastOp::create(b, loc, resultType, sub).getResult();
}

/// `a.T`: the axes reversed, a view.
Value FunctionLowering::transposed(Location loc, Value array, Type resultPy) {
  int64_t rank = llvm::cast<MemRefType>(array.getType()).getRank();
  SmallVector<unsigned> perm;
  for (int64_t d = rank - 1; d >= 0; --d)
    perm.push_back(d);
  Value t = memref::TransposeOp::create(b, loc, array, AffineMapAttr::get(AffineMap::getPermutationMap(perm, b.getContext())));
  SmallVector<Type> parts;
  lowerType(resultPy, parts);
  return t.getType() == parts[0] ? t : memref::CastOp::create(b, loc, parts[0], t).getResult();
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
  // None (np.newaxis) parts: the result axes they add, put in after the subview.
  SmallVector<int64_t> newAxes;
  int64_t resultAxes = 0;
  size_t p = 0;
  for (int64_t d = 0; d < base.getRank(); ++d, ++p) {
    while (p < partTypes.size() && llvm::isa<NoneType>(partTypes[p])) {
      newAxes.push_back(resultAxes++);
      ++p;
    }
    Value size = sizes[d];
    if (p >= partTypes.size()) {
      allInts = false;
      ++resultAxes;
      offsets.push_back(b.getIndexAttr(0));
      viewSizes.push_back(size);
      strides.push_back(b.getIndexAttr(1));
      continue;
    }
    Type t = partTypes[p];
    if (!llvm::isa<SliceType>(t)) {
      Value i = wrapIndex(loc, index(loc, flat[pos++]), size, d, indexElement(indexValue, p));
      loadIndices.push_back(i);
      offsets.push_back(i);
      viewSizes.push_back(b.getIndexAttr(1));
      strides.push_back(b.getIndexAttr(1));
      continue;
    }
    allInts = false;
    ++resultAxes;
    Value start = flat[pos], stop = flat[pos + 1], step = flat[pos + 2];
    Value hasStart = flat[pos + 3], hasStop = flat[pos + 4];
    pos += 5;
    // slice.indices(n), as CPython computes it.
    Value n = arith::IndexCastOp::create(b, loc, i64(), size);
    raiseIf(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, step, zero), "ValueError",
            "slice step cannot be zero");
    Value negStep = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, step, zero);
    Value minusOne = cInt(loc, -1, i64());
    Value lower = arith::SelectOp::create(b, loc, negStep, minusOne, zero);
    Value upper = arith::SelectOp::create(b, loc, negStep, arith::SubIOp::create(b, loc, n, one), n);
    auto clampBound = [&](Value v, Value given, Value fallback) {
      Value neg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, v, zero);
      Value shifted = arith::AddIOp::create(b, loc, v, n);
      Value low = arith::MaxSIOp::create(b, loc, shifted, lower);
      Value high = arith::MinSIOp::create(b, loc, v, upper);
      Value clamped = arith::SelectOp::create(b, loc, neg, low, high);
      return arith::SelectOp::create(b, loc, given, clamped, fallback).getResult();
    };
    Value s = clampBound(start, hasStart, arith::SelectOp::create(b, loc, negStep, upper, zero));
    Value e = clampBound(stop, hasStop, arith::SelectOp::create(b, loc, negStep, lower, n));
    // length = max(0, ceil((e - s) / step))
    Value span = arith::SubIOp::create(b, loc, e, s);
    Value adj = arith::SelectOp::create(b, loc, negStep, arith::AddIOp::create(b, loc, step, one),
                                          arith::SubIOp::create(b, loc, step, one));
    Value len = arith::DivSIOp::create(b, loc, arith::AddIOp::create(b, loc, span, adj), step);
    len = arith::MaxSIOp::create(b, loc, len, zero);
    auto idx = [&](Value v) { return arith::IndexCastOp::create(b, loc, b.getIndexType(), v).getResult(); };
    offsets.push_back(idx(s));
    viewSizes.push_back(idx(len));
    auto sliceOp = indexValue.getDefiningOp<MakeTupleOp>();
    Value sliceValue = sliceOp ? sliceOp.getElements()[p] : indexValue;
    if (hasUnitStep(sliceValue))
      strides.push_back(b.getIndexAttr(1));
    else
      strides.push_back(idx(step));
  }
  for (; p < partTypes.size(); ++p) // trailing Nones
    newAxes.push_back(resultAxes++);
  if (allInts && newAxes.empty() && static_cast<int64_t>(loadIndices.size()) == base.getRank()) {
    Value element = memref::LoadOp::create(b, loc, array, loadIndices);
    *scalarOut = convertElement(b, loc, element, base.getElementType(), resultPy);
    return {};
  }
  if (newAxes.empty())
    return subviewAs(loc, array, offsets, viewSizes, strides, resultPy);
  // The view without the new axes, then the same memory with axes of length 1 put in: each
  // strided as a C array's would be (the next axis's stride times its length, 1 last).
  Type subPy = arrayType(base.getElementType(), resultAxes - newAxes.size(), Layout::A);
  Value sub = subviewAs(loc, array, offsets, viewSizes, strides, subPy);
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, sub);
  SmallVector<OpFoldResult> sizesOut(resultAxes), stridesOut(resultAxes);
  size_t from = meta.getSizes().size();
  Value inner = arith::ConstantIndexOp::create(b, loc, 1);
  for (int64_t r = resultAxes - 1; r >= 0; --r) {
    if (llvm::is_contained(newAxes, r)) {
      sizesOut[r] = b.getIndexAttr(1);
      stridesOut[r] = r == resultAxes - 1 ? OpFoldResult(b.getIndexAttr(1)) : OpFoldResult(inner);
      continue;
    }
    --from;
    sizesOut[r] = meta.getSizes()[from];
    stridesOut[r] = meta.getStrides()[from];
    inner = arith::MulIOp::create(b, loc, meta.getStrides()[from], meta.getSizes()[from]);
  }
  SmallVector<Type> lowered;
  lowerType(resultPy, lowered);
  auto resultType = llvm::cast<MemRefType>(lowered[0]);
  // Strides the result's type fixes (a C layout's last 1) are given as constants.
  SmallVector<int64_t> staticStrides;
  int64_t unused;
  if (succeeded(resultType.getStridesAndOffset(staticStrides, unused)))
    for (int64_t r = 0; r < resultAxes; ++r)
      if (!ShapedType::isDynamic(staticStrides[r]))
        stridesOut[r] = b.getIndexAttr(staticStrides[r]);
  return memref::ReinterpretCastOp::create(b, loc, resultType, meta.getBaseBuffer(), OpFoldResult(meta.getOffset()),
                                           sizesOut, stridesOut);
}

/// The lowered parts of element `i` (a run-time int64 in range) of a tuple of `n` elements
/// whose lowered parts are `parts`, as parts of py type `elementPy`: each part selected
/// among the elements' parts, arrays of other layouts cast to `elementPy`'s first.
SmallVector<Value> FunctionLowering::selectTupleElement(Location loc, ArrayRef<Value> parts, int64_t n, Value i,
                                                        Type elementPy) {
  SmallVector<Type> types;
  lowerType(elementPy, types);
  size_t width = types.size();
  auto part = [&](int64_t k, size_t p) -> Value {
    Value v = parts[k * width + p];
    return v.getType() == types[p] ? v : memref::CastOp::create(b, loc, types[p], v).getResult();
  };
  SmallVector<Value> picked;
  for (size_t p = 0; p < width; ++p) {
    Value v = part(0, p);
    for (int64_t k = 1; k < n; ++k) {
      Value isK = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, i, cInt(loc, k, i64()));
      v = arith::SelectOp::create(b, loc, isK, part(k, p), v);
    }
    picked.push_back(v);
  }
  return picked;
}

FailureOr<Value> FunctionLowering::lowerGetItem(GetItemOp op) {
  Location loc = op.getLoc();
  Type base = op.getBase().getType();
  if (auto tuple = tupleOf(base)) {
    int64_t n = tuple.size();
    // An element taken out owns a reference to the lists it holds (py-insert-refcounts), as
    // py.tuple_get's does.
    auto owned = [&]() {
      changeRefcount(loc, op.getType(), values.lookup(op), /*increment=*/true);
      return Value();
    };
    if (auto picked = constantSlice(op.getIndex(), n)) {
      SmallVector<Value> parts;
      for (int64_t k : *picked)
        llvm::append_range(parts, tupleElementParts(op.getBase(), k));
      mapValue(op, parts);
      return owned();
    }
    if (auto c = op.getIndex().getDefiningOp<ConstantOp>()) {
      int64_t i = llvm::cast<IntegerAttr>(c.getValue()).getInt();
      mapTupleElement(op, op.getBase(), i < 0 ? i + n : i);
      return owned();
    }
    // A run-time index into elements of one type: Python's wrap and IndexError, then each
    // part of the result selected among the elements' parts.
    Value i = toI64(loc, i64Parts(loc, op.getIndex())[0]);
    Value size = cInt(loc, n, i64()), zero = cInt(loc, 0, i64());
    Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i, zero);
    i = arith::SelectOp::create(b, loc, negative, arith::AddIOp::create(b, loc, i, size), i);
    Value below = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i, zero);
    Value above = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, i, size);
    raiseIf(loc, arith::OrIOp::create(b, loc, below, above), "IndexError", "tuple index out of range");
    mapValue(op, selectTupleElement(loc, values.lookup(op.getBase()), n, i, tuple.getType(0)));
    return owned();
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
  if (!isArray(*target)) {
    // An element: store the converted scalar.
    SmallVector<Value> indices;
    SmallVector<Value> flat = i64Parts(loc, op.getIndex());
    SmallVector<Value> sizes = sizesOf(loc, array);
    for (int64_t d = 0; d < base.getRank(); ++d)
      indices.push_back(wrapIndex(loc, index(loc, flat[d]), sizes[d], d, indexElement(op.getIndex(), d)));
    memref::StoreOp::create(b, loc, convertElement(b, loc, one(op.getValue()), valuePy, base.getElementType()), array, indices);
    return success();
  }
  Value scalar;
  Value targetView = view(loc, array, base, op.getIndex(), op.getIndex().getType(), *target, &scalar);
  auto targetPy = llvm::cast<MemRefType>(*target);
  Type element = targetPy.getElementType();
  if (!isArray(valuePy)) {
    fillArray(loc, targetView, convertElement(b, loc, one(op.getValue()), valuePy, element));
    return success();
  }
  // The value's elements converted into the target: an expression pending for this store
  // is computed right into it, with no temporary.
  Type from = elemOf(valuePy);
  if (auto it = pending.find(op.getValue());
      it != pending.end() && llvm::cast<MemRefType>(valuePy).getRank() > targetPy.getRank()) {
    ElementExpr expr = std::move(it->second);
    pending.erase(it);
    mapValue(op.getValue(), materialize(loc, expr));
  }
  ElementExpr store{{op.getValue()}, {valuePy},
                    [&](OpBuilder &nb, Location nl, ValueRange e) { return convertElement(nb, nl, e[0], from, element); },
                    targetPy};
  materialize(loc, store, targetView);
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
  auto toI64Index = [&](Value v) { return arith::IndexCastOp::create(b, loc, i64(), v).getResult(); };
  if (name == "shape") {
    SmallVector<Value> dims;
    for (Value s : sizesOf(loc, array))
      dims.push_back(toI64Index(s));
    mapValue(op, dims);
    return Value();
  }
  if (name == "strides") {
    auto meta = memref::ExtractStridedMetadataOp::create(b, loc, array);
    SmallVector<Value> strides;
    for (Value s : meta.getStrides())
      strides.push_back(arith::MulIOp::create(b, loc, toI64Index(s), cInt(loc, itemsize, i64())));
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
      n = arith::MulIOp::create(b, loc, n, toI64Index(s));
    return name == "size" ? n : arith::MulIOp::create(b, loc, n, cInt(loc, itemsize, i64())).getResult();
  }
  if (name == "T")
    return transposed(loc, array, op.getType());
  if (name == "dtype")
    return Value(); // a compile-time value: calls took it as their dtype attribute
  return op.emitError("UnsupportedError: no lowering for the attribute ") << name;
}

/// `array` in C order as a 1-D array: a view when it is contiguous (checked at run time,
/// ignoring strides of axes of length 1, as NumPy does) unless `alwaysCopy`, else a copy.
Value FunctionLowering::flat(Location loc, Value array, MemRefType arrayPy, bool alwaysCopy) {
  auto flatPy = arrayType(arrayPy.getElementType(), 1, Layout::C);
  SmallVector<Type> parts;
  lowerType(flatPy, parts);
  auto flatType = llvm::cast<MemRefType>(parts[0]);
  SmallVector<Value> sizes = sizesOf(loc, array);
  Value n = arith::ConstantIndexOp::create(b, loc, 1);
  for (Value s : sizes)
    n = arith::MulIOp::create(b, loc, n, s);
  auto flatOf = [&](Value contiguous) -> Value {
    auto meta = memref::ExtractStridedMetadataOp::create(b, loc, contiguous);
    return memref::ReinterpretCastOp::create(b, loc, flatType, meta.getBaseBuffer(), OpFoldResult(meta.getOffset()),
                                               ArrayRef<OpFoldResult>{Value(n)}, ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
  };
  if (alwaysCopy)
    return flatOf(copyOf(loc, array, arrayPy));
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, array);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value expected = one;
  Value contiguous = arith::ConstantOp::create(b, loc, b.getI1Type(), b.getBoolAttr(true));
  for (int64_t d = arrayPy.getRank() - 1; d >= 0; --d) {
    Value unit = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, sizes[d], one);
    Value dense = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, meta.getStrides()[d], expected);
    contiguous = arith::AndIOp::create(b, loc, contiguous, arith::OrIOp::create(b, loc, unit, dense));
    expected = arith::MulIOp::create(b, loc, expected, sizes[d]);
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
  cf::CondBranchOp::create(b, loc, keep, join, ValueRange{adapt(array)}, copyBlock, ValueRange{});
  b.setInsertionPointToEnd(copyBlock);
  cf::BranchOp::create(b, loc, join, ValueRange{adapt(copyOf(loc, array, arrayPy))});
  b.setInsertionPointToEnd(join);
  return join->getArgument(0);
}

/// `a.reshape(shape)`: a C-order view of `flat(a)` with the new sizes; one size may be -1.
Value FunctionLowering::reshape(Location loc, Value array, MemRefType arrayPy, ValueRange shape, MemRefType resultPy) {
  Value source = flat(loc, array, arrayPy, false);
  Value n = memref::DimOp::create(b, loc, source, 0);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0), one = arith::ConstantIndexOp::create(b, loc, 1);
  // The product of the given sizes, and how many are -1.
  Value known = one, unknowns = zero, negative = arith::ConstantOp::create(b, loc, b.getI1Type(), b.getBoolAttr(false));
  SmallVector<Value> sizes;
  for (Value v : shape) {
    Value s = index(loc, v);
    Value isUnknown = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, s, arith::ConstantIndexOp::create(b, loc, -1));
    unknowns = arith::AddIOp::create(b, loc, unknowns, arith::SelectOp::create(b, loc, isUnknown, one, zero));
    negative = arith::OrIOp::create(b, loc, negative, arith::AndIOp::create(b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, s, zero),
                                                                            arith::XOrIOp::create(b, loc, isUnknown, arith::ConstantOp::create(b, loc, b.getI1Type(), b.getBoolAttr(true)))));
    known = arith::MulIOp::create(b, loc, known, arith::SelectOp::create(b, loc, isUnknown, one, s));
    sizes.push_back(s);
  }
  raiseIf(loc, negative, "ValueError", "negative dimensions not allowed");
  raiseIf(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, unknowns, one), "ValueError",
          "can only specify one unknown dimension");
  // -1 stands for n / known, which must divide exactly.
  Value safeKnown = arith::SelectOp::create(b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, known, zero), one, known);
  Value inferred = arith::DivUIOp::create(b, loc, n, safeKnown);
  Value total = one;
  for (Value &s : sizes) {
    Value isUnknown = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, s, arith::ConstantIndexOp::create(b, loc, -1));
    s = arith::SelectOp::create(b, loc, isUnknown, inferred, s);
    total = arith::MulIOp::create(b, loc, total, s);
  }
  raiseIf(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, total, n), "ValueError",
          "cannot reshape the array into this shape: the sizes differ");
  SmallVector<OpFoldResult> sizeFolds, strides(sizes.size());
  Value stride = one;
  for (int64_t d = sizes.size() - 1; d >= 0; --d) {
    // The innermost stride is static in the C-layout type.
    strides[d] = d == static_cast<int64_t>(sizes.size()) - 1 ? OpFoldResult(b.getIndexAttr(1)) : OpFoldResult(stride);
    stride = arith::MulIOp::create(b, loc, stride, sizes[d]);
  }
  for (Value s : sizes)
    sizeFolds.push_back(s);
  SmallVector<Type> parts;
  lowerType(resultPy, parts);
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, source);
  return memref::ReinterpretCastOp::create(b, loc, llvm::cast<MemRefType>(parts[0]), meta.getBaseBuffer(),
                                             OpFoldResult(meta.getOffset()), sizeFolds, strides);
}
