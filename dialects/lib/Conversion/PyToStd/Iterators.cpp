// py-to-std for iteration: iter() of ranges, arrays and tuples, enumerate(), zip() and
// reversed(), py.iter_next of each kind of iterator, and `in` tests of tuples and ranges.
//
// An iterator is the parts of its state (see !py.iter): a range iterator is a small stack
// array (current, left, step, lowest) that py.iter_next advances; an array or tuple
// iterator adds the iterable's own parts; enumerate() a counting range iterator before the
// inner iterator's parts; zip() its iterators' parts one after another. reversed(x) is x's
// iterator with its range running from the end.
#include "FunctionLowering.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

#include <limits>

using namespace mlir;
using namespace mlir::py;

namespace mlir::py {

/// The iterator of `iterable` (a range, an array, a tuple, or an iterator, which is its
/// own), running backwards for reversed().
SmallVector<Value> FunctionLowering::makeIterator(Location loc, Value iterable, bool reversed) {
  Type t = iterable.getType();
  SmallVector<Value> parts(values.lookup(iterable));
  if (llvm::isa<RangeIterType, IterType>(t)) {
    changeRefcount(loc, t, parts, /*increment=*/true); // one more owner of what it holds
    return parts;
  }
  Value zero = cInt(loc, 0, i64()), one = cInt(loc, 1, i64());
  if (llvm::isa<RangeType>(t)) {
    Value start = parts[0], stop = parts[1], step = parts[2];
    if (!reversed)
      return {makeRangeIter(loc, start, stop, step)};
    // From the last value back to start: start + (n - 1) * step, step negated. No bound
    // past either end is computed, so no int64 range overflows.
    Value n = rangeLength(loc, start, stop, step);
    Value last = arith::AddIOp::create(b, loc, start,
                                       arith::MulIOp::create(b, loc, arith::SubIOp::create(b, loc, n, one), step));
    Value up = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, step, zero);
    Value lowest = arith::SelectOp::create(b, loc, up, start, last);
    return {rangeIterState(loc, last, n, arith::SubIOp::create(b, loc, zero, step), lowest, /*ofRange=*/true)};
  }
  if (llvm::isa<DictType, SetType>(t)) {
    // Over the entries in order, from the runtime's cursor 0; the iterator holds the dict.
    changeRefcount(loc, t, parts, /*increment=*/true);
    parts.push_back(rangeIterState(loc, zero, cInt(loc, std::numeric_limits<int64_t>::max(), i64()), one, zero));
    return parts;
  }
  if (llvm::isa<GeneratorType>(t)) {
    // The generator itself, which each step resumes; the iterator holds a reference.
    changeRefcount(loc, t, parts, /*increment=*/true);
    return parts;
  }
  if (llvm::isa<StrType>(t)) {
    // Over indices of the characters; the iterator holds a reference.
    changeRefcount(loc, t, parts, /*increment=*/true);
    Value n = strLength(loc, parts[0]);
    parts.push_back(reversed ? rangeIterState(loc, arith::SubIOp::create(b, loc, n, one), n, cInt(loc, -1, i64()), zero)
                             : rangeIterState(loc, zero, n, one, zero));
    return parts;
  }
  if (llvm::isa<ListType>(t)) {
    // Over indices while they are inside the list, which may grow or shrink meanwhile
    // (nextOf checks the length each time); the iterator holds a reference.
    changeRefcount(loc, t, parts, /*increment=*/true);
    Value n = listLength(loc, parts[0]);
    Value unbounded = cInt(loc, std::numeric_limits<int64_t>::max(), i64());
    parts.push_back(reversed ? rangeIterState(loc, arith::SubIOp::create(b, loc, n, one), n, cInt(loc, -1, i64()), zero)
                             : rangeIterState(loc, zero, unbounded, one, zero));
    return parts;
  }
  // An array (over its first axis) or a tuple (over its elements): an index range.
  Value n;
  if (auto tuple = tupleOf(t))
    n = cInt(loc, tuple.size(), i64());
  else
    n = arith::IndexCastOp::create(b, loc, i64(), memref::DimOp::create(b, loc, parts[0], 0));
  Value counter = reversed ? rangeIterState(loc, arith::SubIOp::create(b, loc, n, one), n, cInt(loc, -1, i64()), zero)
                           : rangeIterState(loc, zero, n, one, zero);
  parts.push_back(counter);
  return parts;
}

/// Advances the iterator of py type `iterPy` whose lowered parts are `parts`: whether it
/// gave a value, and the value's parts in `value`. When it is exhausted the value is a
/// harmless stand-in (element 0, row 0) that nothing reads. A generator in it is resumed
/// only where `when`, if given, holds (its side effects would show; other iterators
/// have none).
Value FunctionLowering::nextOf(Location loc, Type iterPy, ArrayRef<Value> parts, SmallVectorImpl<Value> &value,
                               Value when) {
  if (llvm::isa<RangeIterType>(iterPy)) {
    auto [valid, cur] = nextInRange(loc, parts[0]);
    value.push_back(cur);
    return valid;
  }
  auto iter = llvm::cast<IterType>(iterPy);
  ArrayRef<Type> state = iter.getState().getTypes();
  StringRef kind = iter.getKind();
  if (kind == "set")
    return dictNext(loc, llvm::cast<SetType>(state[0]).getElementType(), NoneType::get(b.getContext()), parts[0],
                    parts[1], kind, value);
  if (kind.starts_with("dict_")) {
    auto dict = llvm::cast<DictType>(state[0]);
    return dictNext(loc, dict.getKeyType(), dict.getValueType(), parts[0], parts[1], kind, value);
  }
  if (kind == "generator")
    return generatorNext(loc, parts, iteratorValue(iterPy), value, when);
  if (kind == "enumerate") {
    auto [counted, count] = nextInRange(loc, parts[0]);
    (void)counted; // the count never runs out
    value.push_back(count);
    return nextOf(loc, state[1], parts.drop_front(), value, when);
  }
  if (kind == "zip") {
    // As CPython's zip, an iterator after one that ended is not advanced.
    Value all = when ? when : cInt(loc, 1, i1());
    for (Type inner : state) {
      size_t n = loweredSize(inner);
      all = arith::AndIOp::create(b, loc, all, nextOf(loc, inner, parts.take_front(n), value, all));
      parts = parts.drop_front(n);
    }
    return all;
  }
  auto [rangeValid, cur] = nextInRange(loc, parts.back());
  Value valid = rangeValid;
  // Index 0 when the loop is over (a view at 0 costs nothing; a load is skipped).
  Value i = arith::SelectOp::create(b, loc, valid, cur, cInt(loc, 0, i64()));
  Type valuePy = iteratorValue(iterPy);
  if (kind == "list") {
    Value list = parts[0];
    Value inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, cur, listLength(loc, list));
    valid = arith::AndIOp::create(b, loc, valid, inside);
    // Item 0 once over (a list always has room for one item): read, never used.
    Value at = arith::SelectOp::create(b, loc, valid, cur, cInt(loc, 0, i64()));
    Value items = listField(loc, list, 4, ptrType());
    llvm::append_range(value, loadItem(loc, items, at, valuePy));
    return valid;
  }
  if (kind == "str") {
    // A one-character str the runtime holds until its next one (the loop takes its own
    // reference); null once over.
    value.push_back(callListRuntime(loc, "numlir_str_char", ValueRange{parts[0], i}, ptrType()));
    return valid;
  }
  if (kind == "tuple") {
    // The element at a run-time index (arrays of several layouts cast to the value's).
    TupleType tuple = tupleOf(state[0]);
    if (tuple.size())
      llvm::append_range(value, selectTupleElement(loc, parts.drop_back(), tuple.size(), i, valuePy));
    return valid;
  }
  // An array: an element of a 1-D array, else a view of a row.
  Value array = parts[0];
  auto arrayPy = llvm::cast<MemRefType>(state[0]);
  Value idx = arith::IndexCastOp::create(b, loc, b.getIndexType(), i);
  if (arrayPy.getRank() == 1) {
    Type st = storageType(arrayPy.getElementType());
    auto ifOp = scf::IfOp::create(
        b, loc, valid,
        [&](OpBuilder &nb, Location nl) {
          scf::YieldOp::create(nb, nl, ValueRange{memref::LoadOp::create(nb, nl, array, ValueRange{idx})});
        },
        [&](OpBuilder &nb, Location nl) { scf::YieldOp::create(nb, nl, ValueRange{numberConstant(nb, nl, st, 0.0)}); });
    value.push_back(convertElement(b, loc, ifOp.getResult(0), arrayPy.getElementType(), valuePy));
    return valid;
  }
  SmallVector<OpFoldResult> offsets{Value(idx)}, sizes{b.getIndexAttr(1)}, strides;
  for (int64_t d = 1; d < arrayPy.getRank(); ++d) {
    offsets.push_back(b.getIndexAttr(0));
    sizes.push_back(Value(memref::DimOp::create(b, loc, array, d)));
  }
  strides.assign(arrayPy.getRank(), b.getIndexAttr(1));
  value.push_back(subviewAs(loc, array, offsets, sizes, strides, valuePy));
  return valid;
}

/// Runs `body` on each value of `iterable` (any iterable: its parts, no reference taken, and
/// its py type), in an scf.while over its iterator; drops the iterator after.
void FunctionLowering::forEachValue(Location loc, Value iterable, ValueBody body) {
  SmallVector<Value> iter = makeIterator(loc, iterable, /*reversed=*/false);
  Type iterPy = iteratorOf(iterable.getType());
  Type valuePy = iteratorValue(iterPy);
  SmallVector<Type> valueTypes;
  lowerType(valuePy, valueTypes);
  scf::WhileOp::create(
      b, loc, valueTypes, ValueRange{},
      [&](OpBuilder &nb, Location nl, ValueRange) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(nb.getBlock());
        SmallVector<Value> value;
        Value valid = nextOf(nl, iterPy, iter, value);
        scf::ConditionOp::create(b, nl, valid, value);
      },
      [&](OpBuilder &nb, Location nl, ValueRange) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(nb.getBlock());
        body(SmallVector<Value>(nb.getBlock()->getArguments()), valuePy);
        scf::YieldOp::create(b, nl);
      });
  changeRefcount(loc, iterPy, iter, /*increment=*/false);
  // A generator that raised ended the loop; its exception goes on from here (ops lowered
  // at the function's top level, as list() and dict() are, can branch). The iterable
  // still holds the generator.
  if (b.getInsertionBlock()->getParent() == &fn.getBody())
    raiseIfGeneratorRaised(loc, iterPy, iter);
}

/// enumerate(), zip() and reversed() (iterators), and `item in container` (a bool).
SmallVector<Value> FunctionLowering::lowerIterationBuiltin(CallBuiltinOp op) {
  Location loc = op.getLoc();
  StringRef name = op.getCallee();
  OperandRange args = op.getArgs();
  if (name == "reversed")
    return makeIterator(loc, args[0], /*reversed=*/true);
  if (name == "zip") {
    SmallVector<Value> parts;
    for (Value iterable : args)
      llvm::append_range(parts, makeIterator(loc, iterable, false));
    return parts;
  }
  if (name == "enumerate") {
    Value start = args.size() == 2 ? toI64(loc, i64Parts(loc, args[1])[0]) : cInt(loc, 0, i64());
    SmallVector<Value> parts{rangeIterState(loc, start, cInt(loc, -1, i64()), cInt(loc, 1, i64()), start)};
    llvm::append_range(parts, makeIterator(loc, args[0], false));
    return parts;
  }
  // contains(container, item)
  Value container = args[0], item = args[1];
  Type itemPy = item.getType();
  Value x = one(item);
  if (auto tuple = tupleOf(container.getType())) {
    Value found = cInt(loc, 0, i1());
    for (auto [k, elementPy] : llvm::enumerate(tuple.getTypes())) {
      Value element = tupleElementParts(container, k)[0];
      found = arith::OrIOp::create(b, loc, found, compareScalars(loc, "eq", x, itemPy, element, elementPy));
    }
    return {found};
  }
  // An int in a range: between its ends, a whole number of steps from its start.
  SmallVector<Value, 1> bounds = values.lookup(container);
  Value start = bounds[0], stop = bounds[1], step = bounds[2];
  Value v = toI64(loc, i64Parts(loc, item)[0]);
  Value zero = cInt(loc, 0, i64());
  Value up = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, step, zero);
  auto cmp = [&](arith::CmpIPredicate p, Value l, Value r) { return arith::CmpIOp::create(b, loc, p, l, r); };
  Value inUp = arith::AndIOp::create(b, loc, cmp(arith::CmpIPredicate::sle, start, v), cmp(arith::CmpIPredicate::slt, v, stop));
  Value inDown = arith::AndIOp::create(b, loc, cmp(arith::CmpIPredicate::sge, start, v), cmp(arith::CmpIPredicate::sgt, v, stop));
  Value between = arith::SelectOp::create(b, loc, up, inUp, inDown);
  // Inside the range, v - start does not overflow and has the step's sign.
  Value offset = arith::SelectOp::create(b, loc, between, arith::SubIOp::create(b, loc, v, start), zero);
  Value onStep = cmp(arith::CmpIPredicate::eq, arith::RemSIOp::create(b, loc, offset, step), zero);
  return {arith::AndIOp::create(b, loc, between, onStep)};
}

} // namespace mlir::py
