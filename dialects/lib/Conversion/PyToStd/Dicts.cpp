// py-to-std for dicts: a dict is a pointer to a runtime block (src/runtime/dicts.rs) whose
// length is word 2, read inline; everything else is a call. Keys and values go to and from
// the runtime as words in stack buffers, laid out as list items are (Lists.cpp).
#include "FunctionLowering.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::py;

namespace mlir::py {

Value FunctionLowering::newDict(Location loc, DictType type) {
  Type key = type.getKeyType(), value = type.getValueType();
  return callListRuntime(loc, "numlir_dict_new",
                         ValueRange{cInt(loc, itemWords(key), i64()), cInt(loc, itemWords(value), i64()),
                                    cInt(loc, wordKinds(key), i64()), countedTable(loc, key),
                                    countedTable(loc, value)},
                         ptrType());
}

/// A stack buffer holding `v` (a py value) as the words of py type `as`.
Value FunctionLowering::toWords(Location loc, Value v, Type as) {
  Value buffer = wordBuffer(loc, itemWords(as));
  SmallVector<Value> parts;
  convertParts(loc, v.getType(), as, values.lookup(v), parts);
  storeItem(loc, buffer, cInt(loc, 0, i64()), as, parts);
  return buffer;
}

/// The next entry of a dict iterator: whether there is one, and its key, value or
/// (key, value) parts in `value` (no references taken). The cursor lives in the
/// iterator's range state (its current field).
Value FunctionLowering::dictNext(Location loc, DictType dict, Value d, Value cursorState, StringRef kind,
                                 SmallVectorImpl<Value> &value) {
  Value field = arith::ConstantIndexOp::create(b, loc, 0);
  Value cursor = memref::LoadOp::create(b, loc, cursorState, ValueRange{field});
  Value keys = wordBuffer(loc, itemWords(dict.getKeyType()));
  Value vals = wordBuffer(loc, itemWords(dict.getValueType()));
  Value next = callListRuntime(loc, "numlir_dict_next", ValueRange{d, cursor, keys, vals}, i64());
  memref::StoreOp::create(b, loc, next, cursorState, ValueRange{field});
  Value zero = cInt(loc, 0, i64());
  if (kind != "dict_values")
    llvm::append_range(value, loadItem(loc, keys, zero, dict.getKeyType()));
  if (kind != "dict_keys")
    llvm::append_range(value, loadItem(loc, vals, zero, dict.getValueType()));
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, next, zero);
}

FailureOr<bool> FunctionLowering::lowerDictOp(Operation &op) {
  Location loc = op.getLoc();
  Value zero = cInt(loc, 0, i64());
  if (auto make = llvm::dyn_cast<MakeDictOp>(op)) {
    auto type = llvm::cast<DictType>(make.getType());
    Value d = newDict(loc, type);
    for (auto [k, v] : llvm::zip(make.getKeys(), make.getValues()))
      callListRuntime(loc, "numlir_dict_set",
                      ValueRange{d, toWords(loc, k, type.getKeyType()), toWords(loc, v, type.getValueType())}, Type());
    mapValue(make, d);
    return true;
  }
  if (auto set = llvm::dyn_cast<SetItemOp>(op)) {
    auto type = llvm::dyn_cast<DictType>(set.getBase().getType());
    if (!type)
      return false;
    callListRuntime(loc, "numlir_dict_set",
                    ValueRange{one(set.getBase()), toWords(loc, set.getIndex(), type.getKeyType()),
                               toWords(loc, set.getValue(), type.getValueType())},
                    Type());
    return true;
  }
  if (auto get = llvm::dyn_cast<GetItemOp>(op)) {
    auto type = llvm::dyn_cast<DictType>(get.getBase().getType());
    if (!type)
      return false;
    Value out = wordBuffer(loc, itemWords(type.getValueType()));
    Value found = callListRuntime(loc, "numlir_dict_get",
                                  ValueRange{one(get.getBase()), toWords(loc, get.getIndex(), type.getKeyType()), out},
                                  i64());
    Value missing = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, found, zero);
    if (isIntLike(get.getIndex().getType()))
      raiseIf(loc, missing, "KeyError", "{0}", ValueRange{toI64(loc, one(get.getIndex()))});
    else
      raiseIf(loc, missing, "KeyError", "key not found");
    mapValue(get, loadItem(loc, out, zero, type.getValueType()));
    return true;
  }
  if (auto truth = llvm::dyn_cast<TruthOp>(op)) {
    if (!llvm::isa<DictType>(truth.getOperand().getType()))
      return false;
    Value n = listLength(loc, one(truth.getOperand()));
    mapValue(truth, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, n, zero).getResult());
    return true;
  }
  auto call = llvm::dyn_cast<CallBuiltinOp>(op);
  if (!call)
    return false;
  StringRef name = call.getCallee();
  SmallVector<Value> args(call.getArgs());
  if (name == "dict") {
    auto type = llvm::cast<DictType>(call.getType());
    mapValue(call, args.empty() ? newDict(loc, type)
                                : callListRuntime(loc, "numlir_dict_copy", ValueRange{one(args[0])}, ptrType()));
    return true;
  }
  auto type = args.empty() ? DictType() : llvm::dyn_cast<DictType>(args[0].getType());
  if (!type)
    return false;
  Value d = one(args[0]);
  Type key = type.getKeyType(), valuePy = type.getValueType();
  auto keyWords = [&](Value k) { return toWords(loc, k, key); };
  auto raiseMissing = [&](Value missing, Value k) {
    if (isIntLike(k.getType()))
      raiseIf(loc, missing, "KeyError", "{0}", ValueRange{toI64(loc, one(k))});
    else
      raiseIf(loc, missing, "KeyError", "key not found");
  };
  if (name == "len") {
    mapValue(call, listLength(loc, d));
    return true;
  }
  if (name == "contains") {
    Value found = callListRuntime(loc, "numlir_dict_contains", ValueRange{d, keyWords(args[1])}, i64());
    mapValue(call, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, found, zero).getResult());
    return true;
  }
  if (name == "delitem") {
    Value found = callListRuntime(loc, "numlir_dict_del", ValueRange{d, keyWords(args[1])}, i64());
    raiseMissing(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, found, zero), args[1]);
    mapValue(call, {});
    return true;
  }
  if (!name.consume_front("dict."))
    return false;
  if (name == "get" || name == "pop") {
    Value out = wordBuffer(loc, itemWords(valuePy));
    // get copies the value out with a reference of its own; pop moves the dict's out.
    Value found = callListRuntime(loc, name == "get" ? "numlir_dict_get" : "numlir_dict_pop",
                                  ValueRange{d, keyWords(args[1]), out}, i64());
    Value isFound = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, found, zero);
    if (args.size() < 3) {
      raiseMissing(arith::XOrIOp::create(b, loc, isFound, cInt(loc, 1, i1())), args[1]);
      mapValue(call, loadItem(loc, out, zero, valuePy));
      return true;
    }
    // A missing key gives the default (a new reference to it).
    SmallVector<Value> fallback;
    convertParts(loc, args[2].getType(), valuePy, values.lookup(args[2]), fallback);
    scf::IfOp::create(b, loc, isFound, [&](OpBuilder &nb, Location nl) { scf::YieldOp::create(nb, nl); },
                      [&](OpBuilder &nb, Location nl) {
                        OpBuilder::InsertionGuard guard(b);
                        b.setInsertionPoint(scf::YieldOp::create(nb, nl));
                        changeRefcount(nl, valuePy, fallback, /*increment=*/true);
                      });
    SmallVector<Value> item = loadItem(loc, out, zero, valuePy), result;
    for (auto [x, y] : llvm::zip(item, fallback))
      result.push_back(arith::SelectOp::create(b, loc, isFound, x, y));
    mapValue(call, result);
    return true;
  }
  if (name == "setdefault") {
    Value k = keyWords(args[1]);
    Value found = callListRuntime(loc, "numlir_dict_contains", ValueRange{d, k}, i64());
    Value missing = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, found, zero);
    Value v = toWords(loc, args[2], valuePy);
    scf::IfOp::create(b, loc, missing, [&](OpBuilder &nb, Location nl) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(scf::YieldOp::create(nb, nl));
      callListRuntime(nl, "numlir_dict_set", ValueRange{d, k, v}, Type());
    });
    Value out = wordBuffer(loc, itemWords(valuePy));
    callListRuntime(loc, "numlir_dict_get", ValueRange{d, k, out}, i64());
    mapValue(call, loadItem(loc, out, zero, valuePy));
    return true;
  }
  if (name == "popitem") {
    Value keys = wordBuffer(loc, itemWords(key)), vals = wordBuffer(loc, itemWords(valuePy));
    Value found = callListRuntime(loc, "numlir_dict_popitem", ValueRange{d, keys, vals}, i64());
    raiseIf(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, found, zero), "KeyError",
            "popitem(): dictionary is empty");
    SmallVector<Value> parts = loadItem(loc, keys, zero, key);
    llvm::append_range(parts, loadItem(loc, vals, zero, valuePy));
    mapValue(call, parts);
    return true;
  }
  if (name == "keys" || name == "values" || name == "items") {
    changeRefcount(loc, type, d, /*increment=*/true); // the iterator holds the dict
    Value one64 = cInt(loc, 1, i64());
    mapValue(call, {d, rangeIterState(loc, zero, cInt(loc, std::numeric_limits<int64_t>::max(), i64()), one64, zero)});
    return true;
  }
  if (name == "clear") {
    callListRuntime(loc, "numlir_dict_clear", ValueRange{d}, Type());
    mapValue(call, {});
    return true;
  }
  if (name == "copy") {
    mapValue(call, callListRuntime(loc, "numlir_dict_copy", ValueRange{d}, ptrType()));
    return true;
  }
  if (name == "update") {
    callListRuntime(loc, "numlir_dict_update", ValueRange{d, one(args[1])}, Type());
    mapValue(call, {});
    return true;
  }
  return op.emitError("UnsupportedError: dict.") << name << "() is not supported", failure();
}

} // namespace mlir::py
