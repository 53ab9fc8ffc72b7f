// py-to-std for dicts: a dict is a pointer to a runtime block (src/runtime/dicts.rs) whose
// length is word 2, read inline; everything else is a call. Keys and values go to and from
// the runtime as words in stack buffers, laid out as list items are (Lists.cpp).
#include "FunctionLowering.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::py;

namespace mlir::py {

/// A new empty set: a dict whose values take no words.
Value FunctionLowering::newSet(Location loc, Type element) {
  return newDict(loc, DictType::get(element.getContext(), element, NoneType::get(element.getContext())));
}

/// Adds every value of `iterable` to `set` (a set: the runtime's update).
void FunctionLowering::addAll(Location loc, Value set, Type element, Value iterable) {
  if (llvm::isa<SetType>(iterable.getType())) {
    callListRuntime(loc, "numlir_dict_update", ValueRange{set, one(iterable)}, Type());
    return;
  }
  Value none = wordBuffer(loc, 0);
  forEachValue(loc, iterable, [&](ArrayRef<Value> value, Type valuePy) {
    SmallVector<Value> converted;
    convertParts(loc, valuePy, element, value, converted);
    Value key = wordBuffer(loc, itemWords(element));
    storeItem(loc, key, cInt(loc, 0, i64()), element, converted);
    callListRuntime(loc, "numlir_dict_set", ValueRange{set, key, none}, Type());
  });
}

/// Raises KeyError for `key` (a py value) when `missing`: with the key where it is an int.
void FunctionLowering::raiseKeyError(Location loc, Value missing, Value key, StringRef otherwise) {
  if (isIntLike(key.getType())) {
    raiseIf(loc, missing, "KeyError", "{0}", ValueRange{toI64(loc, one(key))});
  } else if (llvm::isa<StrType>(key.getType())) {
    // KeyError('word'): the runtime records it with the key's text.
    scf::IfOp::create(b, loc, missing, [&](OpBuilder &nb, Location nl) {
      auto record = declaredFunction("numlir_str_key_error", nb.getFunctionType({ptrType()}, {}));
      func::CallOp::create(nb, nl, record, ValueRange{one(key)});
      scf::YieldOp::create(nb, nl);
    });
    raiseRecordedIf(loc, missing);
  } else
    raiseIf(loc, missing, "KeyError", otherwise);
}

/// Set comparisons and the set methods that test: from the count of a's elements in b.
Value FunctionLowering::setRelation(Location loc, StringRef relation, Value a, Value c) {
  Value common = callListRuntime(loc, "numlir_set_common", ValueRange{a, c}, i64());
  Value la = listLength(loc, a), lc = listLength(loc, c);
  auto cmp = [&](arith::CmpIPredicate p, Value x, Value y) { return arith::CmpIOp::create(b, loc, p, x, y).getResult(); };
  Value subset = cmp(arith::CmpIPredicate::eq, common, la);
  if (relation == "le" || relation == "issubset")
    return subset;
  if (relation == "lt")
    return arith::AndIOp::create(b, loc, subset, cmp(arith::CmpIPredicate::slt, la, lc));
  if (relation == "ge" || relation == "issuperset")
    return cmp(arith::CmpIPredicate::eq, common, lc);
  if (relation == "gt")
    return arith::AndIOp::create(b, loc, cmp(arith::CmpIPredicate::eq, common, lc), cmp(arith::CmpIPredicate::sgt, la, lc));
  if (relation == "isdisjoint")
    return cmp(arith::CmpIPredicate::eq, common, cInt(loc, 0, i64()));
  Value eq = arith::AndIOp::create(b, loc, subset, cmp(arith::CmpIPredicate::eq, la, lc));
  return relation == "ne" ? arith::XOrIOp::create(b, loc, eq, cInt(loc, 1, i1())).getResult() : eq;
}

FailureOr<bool> FunctionLowering::lowerSetOp(Operation &op) {
  Location loc = op.getLoc();
  Value zero = cInt(loc, 0, i64());
  auto combineKind = [](StringRef k) -> int64_t {
    return llvm::StringSwitch<int64_t>(k)
        .Cases({"and", "intersection"}, 1).Cases({"sub", "difference"}, 2).Cases({"xor", "symmetric_difference"}, 3)
        .Default(0); // or, union
  };
  auto combine = [&](Value a, Value c, int64_t kind) -> Value {
    if (kind == 0) {
      Value out = callListRuntime(loc, "numlir_dict_copy", ValueRange{a}, ptrType());
      callListRuntime(loc, "numlir_dict_update", ValueRange{out, c}, Type());
      return out;
    }
    return callListRuntime(loc, "numlir_set_combine", ValueRange{a, c, cInt(loc, kind, i64())}, ptrType());
  };
  if (auto make = llvm::dyn_cast<MakeSetOp>(op)) {
    Type element = llvm::cast<SetType>(make.getType()).getElementType();
    Value set = newSet(loc, element);
    Value none = wordBuffer(loc, 0);
    for (Value e : make.getElements())
      callListRuntime(loc, "numlir_dict_set", ValueRange{set, toWords(loc, e, element), none}, Type());
    mapValue(make, set);
    return true;
  }
  if (auto bin = llvm::dyn_cast<BinOp>(op)) {
    if (!llvm::isa<SetType>(bin.getLhs().getType()))
      return false;
    Value a = one(bin.getLhs()), c = one(bin.getRhs());
    int64_t kind = combineKind(bin.getKind());
    if (bin.getInplace()) {
      if (kind == 0)
        callListRuntime(loc, "numlir_dict_update", ValueRange{a, c}, Type());
      else
        callListRuntime(loc, "numlir_set_combine_into", ValueRange{a, c, cInt(loc, kind, i64())}, Type());
      changeRefcount(loc, bin.getType(), a, /*increment=*/true); // the result is a new reference to a
      mapValue(bin, a);
    } else {
      mapValue(bin, combine(a, c, kind));
    }
    return true;
  }
  if (auto cmp = llvm::dyn_cast<CmpOp>(op)) {
    if (!llvm::isa<SetType>(cmp.getLhs().getType()))
      return false;
    mapValue(cmp, setRelation(loc, cmp.getPredicate(), one(cmp.getLhs()), one(cmp.getRhs())));
    return true;
  }
  auto call = llvm::dyn_cast<CallBuiltinOp>(op);
  if (!call)
    return false;
  StringRef name = call.getCallee();
  SmallVector<Value> args(call.getArgs());
  if (name == "set") {
    Type element = llvm::cast<SetType>(call.getType()).getElementType();
    Value set = newSet(loc, element);
    if (args.size() == 1)
      addAll(loc, set, element, args[0]);
    mapValue(call, set);
    return true;
  }
  auto type = args.empty() ? SetType() : llvm::dyn_cast<SetType>(args[0].getType());
  if (!type)
    return false;
  Value s = one(args[0]);
  Type element = type.getElementType();
  if (name == "len") {
    mapValue(call, listLength(loc, s));
    return true;
  }
  if (name == "contains") {
    Value found = callListRuntime(loc, "numlir_dict_contains", ValueRange{s, toWords(loc, args[1], element)}, i64());
    mapValue(call, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, found, zero).getResult());
    return true;
  }
  if (!name.consume_front("set."))
    return false;
  if (name == "add") {
    callListRuntime(loc, "numlir_dict_set", ValueRange{s, toWords(loc, args[1], element), wordBuffer(loc, 0)}, Type());
    mapValue(call, {});
  } else if (name == "discard" || name == "remove") {
    Value found = callListRuntime(loc, "numlir_dict_del", ValueRange{s, toWords(loc, args[1], element)}, i64());
    if (name == "remove") {
      raiseKeyError(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, found, zero), args[1],
                    "element not found");
    }
    mapValue(call, {});
  } else if (name == "pop") {
    Value key = wordBuffer(loc, itemWords(element));
    Value found = callListRuntime(loc, "numlir_dict_popitem", ValueRange{s, key, wordBuffer(loc, 0)}, i64());
    raiseIf(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, found, zero), "KeyError",
            "pop from an empty set");
    mapValue(call, loadItem(loc, key, zero, element));
  } else if (name == "clear") {
    callListRuntime(loc, "numlir_dict_clear", ValueRange{s}, Type());
    mapValue(call, {});
  } else if (name == "copy") {
    mapValue(call, callListRuntime(loc, "numlir_dict_copy", ValueRange{s}, ptrType()));
  } else if (name == "update") {
    addAll(loc, s, element, args[1]);
    mapValue(call, {});
  } else if (llvm::is_contained({"union", "intersection", "difference", "symmetric_difference"}, name)) {
    mapValue(call, combine(s, one(args[1]), combineKind(name)));
  } else if (llvm::is_contained({"issubset", "issuperset", "isdisjoint"}, name)) {
    mapValue(call, setRelation(loc, name, s, one(args[1])));
  } else {
    return op.emitError("UnsupportedError: set.") << name << "() is not supported", failure();
  }
  return true;
}

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

/// The next entry of a dict or set iterator: whether there is one, and its key, value or
/// (key, value) parts in `value` (no references taken). The cursor lives in the
/// iterator's range state (its current field).
Value FunctionLowering::dictNext(Location loc, Type keyPy, Type valuePy, Value d, Value cursorState,
                                 StringRef kind, SmallVectorImpl<Value> &value) {
  Value field = arith::ConstantIndexOp::create(b, loc, 0);
  Value cursor = memref::LoadOp::create(b, loc, cursorState, ValueRange{field});
  Value keys = wordBuffer(loc, itemWords(keyPy));
  Value vals = wordBuffer(loc, itemWords(valuePy));
  Value next = callListRuntime(loc, "numlir_dict_next", ValueRange{d, cursor, keys, vals}, i64());
  memref::StoreOp::create(b, loc, next, cursorState, ValueRange{field});
  Value zero = cInt(loc, 0, i64());
  if (kind != "dict_values")
    llvm::append_range(value, loadItem(loc, keys, zero, keyPy));
  if (kind == "dict_values" || kind == "dict_items")
    llvm::append_range(value, loadItem(loc, vals, zero, valuePy));
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, next, zero);
}

FailureOr<bool> FunctionLowering::lowerDictOp(Operation &op) {
  Location loc = op.getLoc();
  Value zero = cInt(loc, 0, i64());
  if (auto make = llvm::dyn_cast<MakeDictOp>(op)) {
    auto type = llvm::cast<DictType>(make.getType());
    Value d = newDict(loc, type);
    for (auto [k, v] : llvm::zip(make.getKeys(), make.getValues())) {
      Value words = toWords(loc, v, type.getValueType());
      callListRuntime(loc, "numlir_dict_set", ValueRange{d, toWords(loc, k, type.getKeyType()), words}, Type());
      dropWordArrays(loc, words, type.getValueType());
    }
    mapValue(make, d);
    return true;
  }
  if (auto set = llvm::dyn_cast<SetItemOp>(op)) {
    auto type = llvm::dyn_cast<DictType>(set.getBase().getType());
    if (!type)
      return false;
    Value words = toWords(loc, set.getValue(), type.getValueType());
    callListRuntime(loc, "numlir_dict_set",
                    ValueRange{one(set.getBase()), toWords(loc, set.getIndex(), type.getKeyType()), words}, Type());
    dropWordArrays(loc, words, type.getValueType());
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
    raiseKeyError(loc, missing, get.getIndex(), "key not found");
    mapValue(get, loadItem(loc, out, zero, type.getValueType()));
    dropWordArrays(loc, out, type.getValueType());
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
  auto raiseMissing = [&](Value missing, Value k) { raiseKeyError(loc, missing, k, "key not found"); };
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
  if (name == "get" && args.size() == 2) {
    // d.get(k): an Optional, the value (a reference of its own) or None (zero words).
    int64_t words = itemWords(valuePy);
    Value out = wordBuffer(loc, words);
    for (int64_t w = 0; w < words; ++w)
      LLVM::StoreOp::create(b, loc, zero, wordAddress(loc, out, cInt(loc, w, i64())));
    Value found = callListRuntime(loc, "numlir_dict_get", ValueRange{d, keyWords(args[1]), out}, i64());
    SmallVector<Value> parts{arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, found, zero)};
    llvm::append_range(parts, loadItem(loc, out, zero, valuePy));
    mapValue(call, parts);
    dropWordArrays(loc, out, valuePy, parts[0]);
    return true;
  }
  if (name == "get" || name == "pop") {
    Value out = wordBuffer(loc, itemWords(valuePy));
    // get copies the value out with a reference of its own; pop moves the dict's out.
    Value found = callListRuntime(loc, name == "get" ? "numlir_dict_get" : "numlir_dict_pop",
                                  ValueRange{d, keyWords(args[1]), out}, i64());
    Value isFound = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, found, zero);
    if (args.size() < 3) {
      raiseMissing(arith::XOrIOp::create(b, loc, isFound, cInt(loc, 1, i1())), args[1]);
      mapValue(call, loadItem(loc, out, zero, valuePy));
      dropWordArrays(loc, out, valuePy);
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
    dropWordArrays(loc, out, valuePy, isFound);
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
    dropWordArrays(loc, v, valuePy);
    Value out = wordBuffer(loc, itemWords(valuePy));
    callListRuntime(loc, "numlir_dict_get", ValueRange{d, k, out}, i64());
    mapValue(call, loadItem(loc, out, zero, valuePy));
    dropWordArrays(loc, out, valuePy);
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
    dropWordArrays(loc, vals, valuePy);
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
