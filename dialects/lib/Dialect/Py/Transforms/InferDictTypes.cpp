// py-infer-types' rules for dicts and sets: `{k: v}`, dict(), d[k], `in`, methods and
// iteration; `{a, b}`, set(), set operators and methods.
// As for lists (InferListTypes.cpp), an empty `{}` takes its key and value types from later
// uses where it was made: `d[k] = v`, `d.setdefault(k, v)`, `d.update(other)`.
#include "Inferencer.h"

using namespace mlir;
using namespace mlir::py;

/// Keys numlir can hash: numbers and tuples of them.
static bool isHashableKey(Type t) {
  if (isUnknown(t) || isNumber(t) || llvm::isa<StrType>(t))
    return true;
  if (auto tuple = tupleOf(t))
    return llvm::all_of(tuple.getTypes(), isHashableKey);
  return false;
}

static bool isStorable(Type t) {
  if (isUnknown(t) || isAnyNumber(t) || llvm::isa<ListType, DictType, SetType, StrType, MemRefType>(t))
    return true;
  if (auto tuple = tupleOf(t))
    return llvm::all_of(tuple.getTypes(), isStorable);
  return false;
}

bool Inferencer::widenDict(Value dict, Type key, Type value, Operation *where) {
  auto type = llvm::cast<DictType>(dict.getType());
  if (isUnknown(key) && isUnknown(value))
    return false;
  Type joinedKey = joinListElements(type.getKeyType(), key);
  Type joinedValue = joinListElements(type.getValueType(), value);
  if (!joinedKey || !joinedValue) {
    auto d = typingError(where) << describeContainer(dict, "dict") << " holds "
                                << (joinedKey ? pyTypeName(type.getValueType()) : pyTypeName(type.getKeyType()))
                                << (joinedKey ? " values" : " keys") << " and a "
                                << (joinedKey ? pyTypeName(value) : pyTypeName(key));
    if (unsigned line = lineOf(where->getLoc()))
      d << " (line " << line << ")";
    d << "; numlir dicts hold one key type and one value type";
    return false;
  }
  auto widened = DictType::get(dict.getContext(), joinedKey, joinedValue);
  if (widened == type)
    return false;
  SmallVector<Operation *> origins;
  llvm::DenseSet<Value> seen;
  if (!containerOrigins(dict, origins, seen)) {
    if (hasUnknown(type))
      return false; // an element of a container not typed yet: typed where it was made
    typingError(where) << describeContainer(dict, "dict") << " is a " << pyTypeName(type)
                       << " made elsewhere (an argument, a call's result or an element), so it cannot take "
                       << pyTypeName(widened) << " items; numlir dicts hold one key type and one value type";
    return false;
  }
  for (Operation *origin : origins)
    origin->getResult(0).setType(widened);
  dict.setType(widened);
  return true;
}

std::optional<Type> Inferencer::inferDictOp(Operation *op) {
  MLIRContext *ctx = op->getContext();
  Type i64 = IntegerType::get(ctx, 64), i1 = IntegerType::get(ctx, 1), none = NoneType::get(ctx);
  Type unknown = ObjectType::get(ctx);
  auto current = [&](Value v) {
    auto dict = llvm::dyn_cast<DictType>(v.getType());
    return dict ? dict : DictType::get(ctx, unknown, unknown);
  };
  auto checkItems = [&](Type key, Type value) {
    if (!isHashableKey(key)) {
      typingError(op) << "a dict key of type " << pyTypeName(key)
                      << " is not supported yet; numlir dict keys are numbers, strings and tuples of them";
      return false;
    }
    if (!isStorable(value)) {
      typingError(op) << "a dict value of type " << pyTypeName(value)
                      << " is not supported yet; numlir dicts hold numbers, strings, arrays, tuples, lists, dicts and sets";
      return false;
    }
    return true;
  };
  auto keyFits = [&](DictType dict, Type key) {
    Type k = dict.getKeyType();
    if ((isNumber(k) && isNumber(key)) || joinListElements(k, key))
      return true;
    typingError(op) << "a " << pyTypeName(key) << " cannot be a key of a " << pyTypeName(dict);
    return false;
  };

  if (auto make = llvm::dyn_cast<MakeDictOp>(op)) {
    DictType type = current(make.getResult());
    Type key = type.getKeyType(), value = type.getValueType();
    // Dict.empty(key_type=types.int64, value_type=types.float64)
    if (auto k = make->getAttrOfType<StringAttr>("py.key_dtype"); k && isUnknown(key))
      key = scalarOf(dtypeFromName(ctx, k.getValue()));
    if (auto v = make->getAttrOfType<StringAttr>("py.value_dtype"); v && isUnknown(value))
      value = scalarOf(dtypeFromName(ctx, v.getValue()));
    for (auto [k, v] : llvm::zip(make.getKeys(), make.getValues())) {
      Type jk = joinListElements(key, k.getType()), jv = joinListElements(value, v.getType());
      if (!jk || !jv) {
        typingError(op) << "this dict holds " << (jk ? "values of " : "keys of ") << pyTypeName(jk ? value : key)
                        << " and " << pyTypeName(jk ? v.getType() : k.getType())
                        << "; numlir dicts hold one key type and one value type";
        return Type();
      }
      key = jk;
      value = jv;
    }
    if (!checkItems(key, value))
      return Type();
    return Type(DictType::get(ctx, key, value));
  }

  if (auto set = llvm::dyn_cast<SetItemOp>(op)) {
    if (!llvm::isa<DictType>(set.getBase().getType()))
      return std::nullopt;
    if (checkItems(set.getIndex().getType(), set.getValue().getType()))
      listsWidened |= widenDict(set.getBase(), set.getIndex().getType(), set.getValue().getType(), op);
    return Type();
  }

  if (auto get = llvm::dyn_cast<GetItemOp>(op)) {
    auto dict = llvm::dyn_cast<DictType>(get.getBase().getType());
    if (!dict)
      return std::nullopt;
    return keyFits(dict, get.getIndex().getType()) ? dict.getValueType() : Type();
  }

  if (auto truth = llvm::dyn_cast<TruthOp>(op))
    return llvm::isa<DictType>(truth.getOperand().getType()) ? std::optional<Type>(i1) : std::nullopt;

  if (auto cmp = llvm::dyn_cast<CmpOp>(op)) {
    auto l = llvm::dyn_cast<DictType>(cmp.getLhs().getType()), r = llvm::dyn_cast<DictType>(cmp.getRhs().getType());
    if (!l && !r)
      return std::nullopt;
    typingError(op) << "comparing dicts is not supported yet";
    return Type();
  }

  auto call = llvm::dyn_cast<CallBuiltinOp>(op);
  if (!call)
    return std::nullopt;
  StringRef name = call.getCallee();
  SmallVector<Value> args(call.getArgs());
  if (name == "dict") {
    if (args.size() > 1 || call.getKwnames()) {
      typingError(op) << "dict() takes no arguments or one dict in compiled code";
      return Type();
    }
    DictType type = current(call.getResult());
    if (args.size() == 1) {
      auto from = llvm::dyn_cast<DictType>(args[0].getType());
      if (!from) {
        typingError(op) << "dict() of a " << pyTypeName(args[0].getType()) << " is not supported; pass a dict";
        return Type();
      }
      Type key = joinListElements(type.getKeyType(), from.getKeyType());
      Type value = joinListElements(type.getValueType(), from.getValueType());
      if (!key || !value) {
        typingError(op) << "this dict holds " << pyTypeName(type) << " and " << pyTypeName(from) << " items";
        return Type();
      }
      return Type(DictType::get(ctx, key, value));
    }
    return Type(type);
  }
  auto dict = args.empty() ? DictType() : llvm::dyn_cast<DictType>(args[0].getType());
  if (!dict)
    return std::nullopt;
  Type key = dict.getKeyType(), value = dict.getValueType();
  if (name == "contains")
    return keyFits(dict, args[1].getType()) ? std::optional<Type>(i1) : std::optional<Type>(Type());
  if (name == "len" && args.size() == 1)
    return i64;
  if (name == "delitem")
    return keyFits(dict, args[1].getType()) ? std::optional<Type>(none) : std::optional<Type>(Type());
  if (name.starts_with("ndarray.")) {
    call.setCalleeAttr(StringAttr::get(ctx, "dict." + name.drop_front(strlen("ndarray.")).str()));
    name = call.getCallee();
  }
  if (!name.consume_front("dict."))
    return std::nullopt;
  size_t positional = args.size() - 1;
  if (call.getKwnames()) {
    typingError(op) << "dict." << name << "() takes no keyword arguments";
    return Type();
  }
  auto arity = [&](size_t lo, size_t hi) {
    if (positional >= lo && positional <= hi)
      return true;
    typingError(op) << "dict." << name << "() takes " << lo << (lo == hi ? "" : " to " + std::to_string(hi))
                    << " arguments but " << positional << " were given";
    return false;
  };
  auto withDefault = [&]() -> Type {
    // d.get(k, default) and d.pop(k, default): the default must fit the values.
    if (positional < 2)
      return value;
    if (isUnknown(value)) // `c[k] = c.get(k, 0) + 1` on an empty dict: the default's type for now
      return args[2].getType();
    Type joined = joinListElements(value, args[2].getType());
    if (joined != value && !(isUnknown(value))) {
      typingError(op) << "the default, a " << pyTypeName(args[2].getType()) << ", is not a value of a "
                      << pyTypeName(dict);
      return Type();
    }
    return value;
  };
  if (name == "get") {
    if (!arity(1, 2) || !keyFits(dict, args[1].getType()))
      return Type();
    if (positional == 1) // the value or None
      return isUnknown(dict.getValueType()) ? Type() : Type(OptionalType::get(ctx, dict.getValueType()));
    return withDefault();
  }
  if (name == "pop")
    return arity(1, 2) && keyFits(dict, args[1].getType()) ? withDefault() : Type();
  if (name == "setdefault") {
    if (!arity(2, 2) || !checkItems(args[1].getType(), args[2].getType()))
      return Type();
    listsWidened |= widenDict(args[0], args[1].getType(), args[2].getType(), op);
    return llvm::cast<DictType>(args[0].getType()).getValueType();
  }
  if (name == "popitem")
    return arity(0, 0) ? Type(TupleType::get(ctx, {key, value})) : Type();
  if (name == "keys" || name == "values" || name == "items")
    return arity(0, 0) ? Type(IterType::get(ctx, ("dict_" + name).str(),
                                            TupleType::get(ctx, {dict, RangeIterType::get(ctx)})))
                       : Type();
  if (name == "clear")
    return arity(0, 0) ? none : Type();
  if (name == "copy")
    return arity(0, 0) ? Type(dict) : Type();
  if (name == "update") {
    if (!arity(1, 1))
      return Type();
    auto other = llvm::dyn_cast<DictType>(args[1].getType());
    if (!other) {
      typingError(op) << "dict.update() takes a dict in compiled code";
      return Type();
    }
    listsWidened |= widenDict(args[0], other.getKeyType(), other.getValueType(), op);
    return none;
  }
  typingError(op) << "dict." << name << "() is not supported";
  return Type();
}

bool Inferencer::widenSet(Value set, Type element, Operation *where) {
  auto type = llvm::cast<SetType>(set.getType());
  if (isUnknown(element))
    return false;
  Type joined = joinListElements(type.getElementType(), element);
  if (!joined || !isHashableKey(joined)) {
    auto d = typingError(where) << describeContainer(set, "set") << " holds " << pyTypeName(type.getElementType())
                                << " and " << pyTypeName(element);
    if (unsigned line = lineOf(where->getLoc()))
      d << " (line " << line << ")";
    d << "; numlir sets hold one type of numbers or tuples of numbers";
    return false;
  }
  if (joined == type.getElementType())
    return false;
  SmallVector<Operation *> origins;
  llvm::DenseSet<Value> seen;
  if (!containerOrigins(set, origins, seen)) {
    if (hasUnknown(type))
      return false;
    typingError(where) << describeContainer(set, "set") << " is a " << pyTypeName(type)
                       << " made elsewhere, so it cannot take a " << pyTypeName(element)
                       << "; numlir sets hold one type";
    return false;
  }
  auto widened = SetType::get(set.getContext(), joined);
  for (Operation *origin : origins)
    origin->getResult(0).setType(widened);
  set.setType(widened);
  return true;
}

std::optional<Type> Inferencer::inferSetOp(Operation *op) {
  MLIRContext *ctx = op->getContext();
  Type i64 = IntegerType::get(ctx, 64), i1 = IntegerType::get(ctx, 1), none = NoneType::get(ctx);
  auto elementOf = [](Type t) -> Type {
    Type iter = iteratorOf(t);
    return iter ? iteratorValue(iter) : Type();
  };
  auto currentElement = [&](Value v) -> Type {
    auto set = llvm::dyn_cast<SetType>(v.getType());
    return set ? set.getElementType() : ObjectType::get(ctx);
  };
  auto hashable = [&](Type t) {
    if (isHashableKey(t))
      return true;
    typingError(op) << "a set of " << pyTypeName(t)
                    << " is not supported yet; numlir sets hold numbers, strings and tuples of them";
    return false;
  };
  if (auto make = llvm::dyn_cast<MakeSetOp>(op)) {
    Type element = currentElement(make.getResult());
    for (Value e : make.getElements()) {
      Type joined = joinListElements(element, e.getType());
      if (!joined) {
        typingError(op) << "this set holds " << pyTypeName(element) << " and " << pyTypeName(e.getType())
                        << "; numlir sets hold one type";
        return Type();
      }
      element = joined;
    }
    return hashable(element) ? Type(SetType::get(ctx, element)) : Type();
  }
  if (auto truth = llvm::dyn_cast<TruthOp>(op))
    return llvm::isa<SetType>(truth.getOperand().getType()) ? std::optional<Type>(i1) : std::nullopt;
  if (auto bin = llvm::dyn_cast<BinOp>(op)) {
    auto l = llvm::dyn_cast<SetType>(bin.getLhs().getType()), r = llvm::dyn_cast<SetType>(bin.getRhs().getType());
    if (!l && !r)
      return std::nullopt;
    StringRef k = bin.getKind();
    Type element = l && r ? joinListElements(l.getElementType(), r.getElementType()) : Type();
    if (!element || !llvm::is_contained({"or", "and", "sub", "xor"}, k)) {
      typingError(op) << "unsupported operand types for " << binopSymbol(k) << ": '"
                      << pyTypeName(bin.getLhs().getType()) << "' and '" << pyTypeName(bin.getRhs().getType()) << "'";
      return Type();
    }
    if (bin.getInplace()) { // s |= t changes s
      listsWidened |= widenSet(bin.getLhs(), r.getElementType(), op);
      return bin.getLhs().getType();
    }
    return Type(SetType::get(ctx, element));
  }
  if (auto cmp = llvm::dyn_cast<CmpOp>(op)) {
    auto l = llvm::dyn_cast<SetType>(cmp.getLhs().getType()), r = llvm::dyn_cast<SetType>(cmp.getRhs().getType());
    if (!l && !r)
      return std::nullopt;
    if (l && r && joinListElements(l.getElementType(), r.getElementType()))
      return i1;
    typingError(op) << "comparison between '" << pyTypeName(cmp.getLhs().getType()) << "' and '"
                    << pyTypeName(cmp.getRhs().getType()) << "' is not supported";
    return Type();
  }
  auto call = llvm::dyn_cast<CallBuiltinOp>(op);
  if (!call)
    return std::nullopt;
  StringRef name = call.getCallee();
  SmallVector<Value> args(call.getArgs());
  if (name == "set") {
    if (args.size() > 1) {
      typingError(op) << "set() takes at most 1 argument";
      return Type();
    }
    Type element = constructedElement(call, currentElement(call.getResult()), "set");
    if (!element)
      return Type();
    return hashable(element) ? Type(SetType::get(ctx, element)) : Type();
  }
  auto set = args.empty() ? SetType() : llvm::dyn_cast<SetType>(args[0].getType());
  if (!set)
    return std::nullopt;
  Type element = set.getElementType();
  auto fits = [&](Type t) {
    if ((isNumber(element) && isNumber(t)) || joinListElements(element, t))
      return true;
    typingError(op) << "a " << pyTypeName(t) << " cannot be in a " << pyTypeName(set);
    return false;
  };
  if (name == "contains")
    return fits(args[1].getType()) ? std::optional<Type>(i1) : std::optional<Type>(Type());
  if (name == "len" && args.size() == 1)
    return i64;
  if (name.starts_with("ndarray.")) {
    call.setCalleeAttr(StringAttr::get(ctx, "set." + name.drop_front(strlen("ndarray.")).str()));
    name = call.getCallee();
  }
  if (!name.consume_front("set."))
    return std::nullopt;
  size_t positional = args.size() - 1;
  auto arity = [&](size_t n) {
    if (positional == n && !call.getKwnames())
      return true;
    typingError(op) << "set." << name << "() takes " << n << " argument" << (n == 1 ? "" : "s") << " but "
                    << positional << " were given";
    return false;
  };
  auto otherSet = [&]() -> SetType {
    auto other = llvm::dyn_cast<SetType>(args[1].getType());
    if (!other || !joinListElements(element, other.getElementType())) {
      typingError(op) << "set." << name << "() takes a set of the same element type in compiled code, not a "
                      << pyTypeName(args[1].getType());
      return {};
    }
    return other;
  };
  if (name == "add") {
    if (!arity(1) || !hashable(args[1].getType()))
      return Type();
    listsWidened |= widenSet(args[0], args[1].getType(), op);
    return none;
  }
  if (name == "discard" || name == "remove")
    return arity(1) && fits(args[1].getType()) ? none : Type();
  if (name == "pop")
    return arity(0) ? element : Type();
  if (name == "clear")
    return arity(0) ? none : Type();
  if (name == "copy")
    return arity(0) ? Type(set) : Type();
  if (name == "update") {
    if (!arity(1))
      return Type();
    Type from = elementOf(args[1].getType());
    if (!from) {
      typingError(op) << "'" << pyTypeName(args[1].getType()) << "' object is not iterable";
      return Type();
    }
    listsWidened |= widenSet(args[0], from, op);
    return none;
  }
  if (llvm::is_contained({"union", "intersection", "difference", "symmetric_difference"}, name)) {
    if (!arity(1))
      return Type();
    SetType other = otherSet();
    return other ? Type(SetType::get(ctx, joinListElements(element, other.getElementType()))) : Type();
  }
  if (llvm::is_contained({"issubset", "issuperset", "isdisjoint"}, name))
    return arity(1) && otherSet() ? i1 : Type();
  typingError(op) << "set." << name << "() is not supported";
  return Type();
}
