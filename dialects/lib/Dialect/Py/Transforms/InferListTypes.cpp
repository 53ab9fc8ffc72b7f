// py-infer-types' rules for lists: `[...]`, list(), methods, builtins over lists, and the
// element type of a list that is built empty and filled later.
//
// A list's element type belongs to where it was made (its py.make_list or list() call).
// `l.append(x)`, `l[i] = x`, `l.extend(xs)` and `l.insert(i, x)` widen it there (an int
// list that receives a float becomes a float list, as numbers join), and the forward
// sweep carries the new type to every alias. A list that came from elsewhere (an
// argument, a call's result, an element of another list) has a fixed element type.
#include "Inferencer.h"

#include "mlir/Interfaces/ControlFlowInterfaces.h"

#include <functional>

using namespace mlir;
using namespace mlir::py;

/// Whether `op` makes a new list or dict whose item types may still widen.
static bool isContainerOrigin(Operation *op) {
  if (llvm::isa<MakeListOp, MakeDictOp, MakeSetOp>(op))
    return true;
  auto call = llvm::dyn_cast<CallBuiltinOp>(op);
  return call && llvm::is_contained({"list", "dict", "set"}, call.getCallee());
}

unsigned mlir::py::lineOf(Location loc) {
  if (auto file = llvm::dyn_cast<FileLineColLoc>(loc))
    return file.getLine();
  if (auto name = llvm::dyn_cast<NameLoc>(loc))
    return lineOf(name.getChildLoc());
  if (auto fused = llvm::dyn_cast<FusedLoc>(loc))
    for (Location l : fused.getLocations())
      if (unsigned line = lineOf(l))
        return line;
  if (auto site = llvm::dyn_cast<CallSiteLoc>(loc))
    return lineOf(site.getCallee());
  return 0;
}

std::string mlir::py::describeContainer(Value v, StringRef what) {
  if (auto name = llvm::dyn_cast<NameLoc>(v.getLoc()))
    return (what + " '" + name.getName().strref() + "'").str();
  if (Operation *def = v.getDefiningOp()) {
    if (auto name = def->getAttrOfType<StringAttr>("py.name"))
      return (what + " '" + name.getValue() + "'").str();
  }
  return ("this " + what).str();
}

static std::string describeList(Value v) { return describeContainer(v, "list"); }

bool mlir::py::containerOrigins(Value v, SmallVectorImpl<Operation *> &origins, llvm::DenseSet<Value> &seen) {
  if (!seen.insert(v).second)
    return true;
  if (Operation *def = v.getDefiningOp()) {
    if (!isContainerOrigin(def))
      return false;
    if (!llvm::is_contained(origins, def))
      origins.push_back(def);
    return true;
  }
  auto arg = llvm::cast<BlockArgument>(v);
  Block *block = arg.getOwner();
  if (block->isEntryBlock())
    return false; // a function argument
  for (Block *pred : block->getPredecessors()) {
    auto branch = llvm::dyn_cast<BranchOpInterface>(pred->getTerminator());
    if (!branch)
      return false;
    for (unsigned s = 0; s < branch->getNumSuccessors(); ++s) {
      if (branch->getSuccessor(s) != block)
        continue;
      OperandRange fwd = branch.getSuccessorOperands(s).getForwardedOperands();
      if (arg.getArgNumber() < fwd.size() && !containerOrigins(fwd[arg.getArgNumber()], origins, seen))
        return false;
    }
  }
  return true;
}

Type mlir::py::fillUnknowns(Type a, Type b) {
  if (isUnknown(a))
    return b;
  if (isUnknown(b) || a == b)
    return a;
  auto la = llvm::dyn_cast<ListType>(a), lb = llvm::dyn_cast<ListType>(b);
  if (la && lb) {
    Type element = fillUnknowns(la.getElementType(), lb.getElementType());
    return element ? ListType::get(a.getContext(), element) : Type();
  }
  auto sa = llvm::dyn_cast<SetType>(a), sb = llvm::dyn_cast<SetType>(b);
  if (sa && sb) {
    Type element = fillUnknowns(sa.getElementType(), sb.getElementType());
    return element ? SetType::get(a.getContext(), element) : Type();
  }
  auto da = llvm::dyn_cast<DictType>(a), db = llvm::dyn_cast<DictType>(b);
  if (da && db) {
    Type key = fillUnknowns(da.getKeyType(), db.getKeyType());
    Type value = fillUnknowns(da.getValueType(), db.getValueType());
    return key && value ? DictType::get(a.getContext(), key, value) : Type();
  }
  auto ta = llvm::dyn_cast<TupleType>(a), tb = llvm::dyn_cast<TupleType>(b);
  if (ta && tb && ta.size() == tb.size()) {
    SmallVector<Type> elements;
    for (auto [x, y] : llvm::zip(ta.getTypes(), tb.getTypes())) {
      Type e = fillUnknowns(x, y);
      if (!e)
        return {};
      elements.push_back(e);
    }
    return TupleType::get(a.getContext(), elements);
  }
  return {};
}

/// The element type two lists' elements meet as: equal types, an unknown one, or numbers
/// (and tuples of numbers) joined; lists inside only where one is not typed yet.
Type mlir::py::joinListElements(Type a, Type b) {
  if (isCounted(a) || isCounted(b))
    return fillUnknowns(a, b);
  if (isUnknown(a))
    return b;
  if (isUnknown(b) || a == b)
    return a;
  return joinTypes(a, b);
}

bool Inferencer::widenList(Value list, Type element, Operation *where) {
  auto type = llvm::cast<ListType>(list.getType());
  Type current = type.getElementType();
  if (isUnknown(element))
    return false;
  Type joined = joinListElements(current, element);
  SmallVector<Operation *> origins;
  llvm::DenseSet<Value> seen;
  bool growable = containerOrigins(list, origins, seen);
  if (!joined) {
    auto d = typingError(where) << describeList(list) << " holds " << pyTypeName(current);
    for (Operation *origin : origins)
      if (auto it = elementSource.find(origin); it != elementSource.end() && lineOf(it->second)) {
        d << " (line " << lineOf(it->second) << ")";
        break;
      }
    d << " and " << pyTypeName(element);
    if (unsigned line = lineOf(where->getLoc()))
      d << " (line " << line << ")";
    d << "; numlir lists hold one type";
    return false;
  }
  if (joined == current)
    return false;
  if (!growable) {
    // An element of a list whose items are not typed yet: they will be where it was made.
    if (hasUnknown(current))
      return false;
    typingError(where) << describeList(list) << " is a " << pyTypeName(type)
                       << " made elsewhere (an argument, a call's result or an element), so it cannot take a "
                       << pyTypeName(element) << "; numlir lists hold one type";
    return false;
  }
  auto widened = ListType::get(list.getContext(), joined);
  for (Operation *origin : origins) {
    if (isUnknown(current))
      elementSource.try_emplace(origin, where->getLoc());
    origin->getResult(0).setType(widened);
  }
  list.setType(widened);
  return true;
}

Type Inferencer::constructedElement(CallBuiltinOp call, Type current, StringRef what) {
  if (call.getArgs().empty())
    return current;
  Value from = call.getArgs()[0];
  Type iter = iteratorOf(from.getType());
  if (!iter) {
    typingError(call) << "'" << pyTypeName(from.getType()) << "' object is not iterable";
    return {};
  }
  Type element = joinListElements(current, iteratorValue(iter));
  if (!element) {
    typingError(call) << "this " << what << " holds " << pyTypeName(current) << " and "
                      << pyTypeName(iteratorValue(iter)) << "; numlir " << what << "s hold one type";
    return {};
  }
  elementSource.try_emplace(call, call->getLoc());
  return element;
}

/// The value type of iterating over `t`, or null when it is not iterable.
static Type elementOfIterable(Type t) {
  Type iter = iteratorOf(t);
  return iter ? iteratorValue(iter) : Type();
}

/// Sortable and comparable with `<`: numbers, and tuples of them.
static bool isOrderedNumbers(Type t) {
  if (auto tuple = tupleOf(t))
    return llvm::all_of(tuple.getTypes(), isOrderedNumbers);
  return isNumber(t);
}

/// Whether values of `t` hold arrays, which `==` compares element-wise (so lists of them
/// cannot be compared: Python's truth of the array would be ambiguous).
static bool holdsArrays(Type t) {
  if (auto tuple = tupleOf(t))
    return llvm::any_of(tuple.getTypes(), holdsArrays);
  return llvm::isa<MemRefType>(t);
}

/// ... and strings, which sort by code point.
static bool isOrdered(Type t) { return isOrderedNumbers(t) || llvm::isa<StrType>(t); }

/// What the runtime's sort orders: numbers, strings, and tuples of them (word by word, each
/// element one word).
static bool isSortable(Type t) {
  if (auto tuple = tupleOf(t))
    return llvm::all_of(tuple.getTypes(), isSortable);
  return isNumber(t) || llvm::isa<StrType>(t);
}

std::optional<Type> Inferencer::inferListOp(Operation *op) {
  MLIRContext *ctx = op->getContext();
  Type i64 = IntegerType::get(ctx, 64), i1 = IntegerType::get(ctx, 1), none = NoneType::get(ctx);
  auto currentElement = [](Value v) -> Type {
    auto list = llvm::dyn_cast<ListType>(v.getType());
    return list ? list.getElementType() : ObjectType::get(v.getContext());
  };
  auto checkElement = [&](Type t, Operation *where) {
    std::function<bool(Type)> holdable = [&](Type e) {
      if (auto tuple = tupleOf(e))
        return llvm::all_of(tuple.getTypes(), holdable);
      return isUnknown(e) || isAnyNumber(e) || llvm::isa<ListType, DictType, SetType, StrType, MemRefType>(e);
    };
    if (holdable(t))
      return true;
    typingError(where) << "a list of " << pyTypeName(t)
                       << " is not supported yet; numlir lists hold numbers, strings, arrays, tuples and lists";
    return false;
  };

  // A generator function's object: its yielded type joins every yield's, as list elements
  // join (an int generator that yields a float yields floats).
  if (auto make = llvm::dyn_cast<MakeGeneratorOp>(op)) {
    auto current = llvm::dyn_cast<GeneratorType>(make.getType());
    return Type(current ? current : GeneratorType::get(ctx, ObjectType::get(ctx)));
  }
  if (auto yield = llvm::dyn_cast<YieldValueOp>(op)) {
    auto make = yield.getGenerator().getDefiningOp<MakeGeneratorOp>();
    auto generator = llvm::dyn_cast<GeneratorType>(yield.getGenerator().getType());
    Type value = yield.getValue().getType();
    if (!make || !generator)
      return Type(i1);
    Type current = generator.getYieldType();
    Type joined = joinListElements(current, value);
    if (!joined) {
      auto d = typingError(op) << "this generator yields " << pyTypeName(current);
      if (auto it = elementSource.find(make); it != elementSource.end() && lineOf(it->second))
        d << " (line " << lineOf(it->second) << ")";
      d << " and " << pyTypeName(value);
      if (unsigned line = lineOf(op->getLoc()))
        d << " (line " << line << ")";
      d << "; numlir generators yield one type";
      return Type();
    }
    if (!llvm::isa<NoneType>(joined) && !checkElement(joined, op))
      return Type();
    if (joined != current) {
      if (isUnknown(current))
        elementSource.try_emplace(make, op->getLoc());
      make.getResult().setType(GeneratorType::get(ctx, joined));
      listsWidened = true;
    }
    return Type(i1);
  }
  if (auto make = llvm::dyn_cast<MakeListOp>(op)) {
    Type element = currentElement(make.getResult());
    if (auto dtype = make->getAttrOfType<StringAttr>("py.element_dtype"); dtype && isUnknown(element))
      element = scalarOf(dtypeFromName(ctx, dtype.getValue())); // List.empty_list(types.float64)
    for (Value e : make.getElements()) {
      Type joined = joinListElements(element, e.getType());
      if (!joined) {
        typingError(op) << "this list holds " << pyTypeName(element) << " and " << pyTypeName(e.getType())
                        << "; numlir lists hold one type";
        return Type();
      }
      element = joined;
    }
    if (!checkElement(element, op))
      return Type();
    if (!make.getElements().empty() && !isUnknown(element))
      elementSource.try_emplace(op, op->getLoc());
    return Type(ListType::get(ctx, element));
  }

  if (auto set = llvm::dyn_cast<SetItemOp>(op)) {
    if (!llvm::isa<ListType>(set.getBase().getType()))
      return std::nullopt;
    if (llvm::isa<SliceType>(set.getIndex().getType())) { // l[a:b] = m, a list of the same items
      auto value = llvm::dyn_cast<ListType>(set.getValue().getType());
      if (!value) {
        typingError(op) << "a list slice is assigned a list, not " << pyTypeName(set.getValue().getType());
        return Type();
      }
      auto baseType = llvm::cast<ListType>(set.getBase().getType());
      if (isUnknown(value.getElementType()) && !isUnknown(baseType.getElementType())) {
        listsWidened |= widenList(set.getValue(), baseType.getElementType(), op); // l[a:b] = []
        return Type();
      }
      bool widened = widenList(set.getBase(), value.getElementType(), op);
      listsWidened |= widened;
      // (Once widening is done: the base's type follows its origin's in a later round.)
      if (auto base = llvm::dyn_cast<ListType>(set.getBase().getType());
          !widened && base && !isUnknown(value.getElementType()) && base.getElementType() != value.getElementType()) {
        typingError(op) << "a slice of a " << pyTypeName(base) << " is assigned a " << pyTypeName(value)
                        << "; numlir needs items of one type";
        return Type();
      }
      return Type();
    }
    if (!isIntLike(set.getIndex().getType())) {
      typingError(op) << "list indices must be integers, not " << pyTypeName(set.getIndex().getType());
      return Type();
    }
    if (checkElement(set.getValue().getType(), op))
      listsWidened |= widenList(set.getBase(), set.getValue().getType(), op);
    return Type();
  }

  if (auto get = llvm::dyn_cast<GetItemOp>(op)) {
    auto list = llvm::dyn_cast<ListType>(get.getBase().getType());
    if (!list)
      return std::nullopt;
    Type index = get.getIndex().getType();
    if (isIntLike(index))
      return list.getElementType();
    if (llvm::isa<SliceType>(index))
      return Type(list);
    typingError(op) << "list indices must be integers or slices, not " << pyTypeName(index);
    return Type();
  }

  if (auto truth = llvm::dyn_cast<TruthOp>(op))
    return llvm::isa<ListType>(truth.getOperand().getType()) ? std::optional<Type>(i1) : std::nullopt;

  if (auto bin = llvm::dyn_cast<BinOp>(op)) {
    auto l = llvm::dyn_cast<ListType>(bin.getLhs().getType()), r = llvm::dyn_cast<ListType>(bin.getRhs().getType());
    if (!l && !r)
      return std::nullopt;
    StringRef k = bin.getKind();
    if (k == "add" && l && r) {
      if (bin.getInplace()) { // l += m extends l
        listsWidened |= widenList(bin.getLhs(), r.getElementType(), op);
        return bin.getLhs().getType();
      }
      Type element = joinListElements(l.getElementType(), r.getElementType());
      if (element)
        return Type(ListType::get(ctx, element));
    }
    if (k == "add" && l && bin.getInplace()) {
      if (Type element = elementOfIterable(bin.getRhs().getType())) {
        listsWidened |= widenList(bin.getLhs(), element, op);
        return bin.getLhs().getType();
      }
    }
    if (k == "mul" && ((l && isIntLike(bin.getRhs().getType())) || (r && isIntLike(bin.getLhs().getType()))))
      return Type(l ? l : r);
    typingError(op) << "unsupported operand types for " << binopSymbol(k) << ": '"
                    << pyTypeName(bin.getLhs().getType()) << "' and '" << pyTypeName(bin.getRhs().getType()) << "'";
    return Type();
  }

  if (auto cmp = llvm::dyn_cast<CmpOp>(op)) {
    auto l = llvm::dyn_cast<ListType>(cmp.getLhs().getType()), r = llvm::dyn_cast<ListType>(cmp.getRhs().getType());
    if (!l && !r)
      return std::nullopt;
    StringRef p = cmp.getPredicate();
    if ((l && holdsArrays(l.getElementType())) || (r && holdsArrays(r.getElementType()))) {
      typingError(op) << "lists of arrays cannot be compared: `==` on arrays is element-wise, and the truth "
                         "of its result is ambiguous";
      return Type();
    }
    if (l && r && (p == "eq" || p == "ne") && joinListElements(l.getElementType(), r.getElementType()))
      return i1;
    if (l && r && isOrdered(l.getElementType()) && isOrdered(r.getElementType()))
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
  size_t keywords = call.getKwnames() ? call.getKwnames()->size() : 0;
  auto keyword = [&](size_t i) { return llvm::cast<StringAttr>((*call.getKwnames())[i]).getValue(); };
  if (name == "iter" && keywords == 0 && args.size() == 1) {
    if (Type iter = iteratorOf(args[0].getType()))
      return iter;
    typingError(op) << "'" << pyTypeName(args[0].getType()) << "' object is not iterable";
    return Type();
  }
  // tuple(t) of a tuple; of anything else the length is known only at run time.
  if (name == "tuple" && keywords == 0 && args.size() <= 1) {
    if (args.empty())
      return Type(TupleType::get(ctx, {}));
    if (auto tuple = tupleOf(args[0].getType()))
      return Type(tuple);
    typingError(op) << "tuple() of a " << pyTypeName(args[0].getType())
                    << " is not supported: a numlir tuple's length is known when compiling; use list() for values "
                       "whose count is known only when the code runs";
    return Type();
  }
  // next(iterator[, default]): of a generator or an iterator that iter() made.
  if (name == "next" && keywords == 0 && (args.size() == 1 || args.size() == 2)) {
    Type t = args[0].getType();
    Type iter = llvm::isa<GeneratorType>(t) ? iteratorOf(t) : llvm::isa<IterType, RangeIterType>(t) ? t : Type();
    if (!iter) {
      typingError(op) << "'" << pyTypeName(t) << "' object is not an iterator; next() takes a generator or what iter() gives";
      return Type();
    }
    Type value = iteratorValue(iter);
    if (args.size() == 1)
      return value;
    Type fallback = args[1].getType();
    Type joined = isAnyNumber(value) && isAnyNumber(fallback) ? joinTypes(value, fallback) : value == fallback ? value : Type();
    if (!joined)
      typingError(op) << "next()'s default is a " << pyTypeName(fallback) << " but the iterator gives " << pyTypeName(value)
                      << "; numlir needs one type";
    return joined;
  }

  if (name == "list") {
    if (args.size() > 1 || keywords) {
      typingError(op) << "list() takes at most 1 argument";
      return Type();
    }
    Type element = constructedElement(call, currentElement(call.getResult()), "list");
    if (!element)
      return Type();
    if (!checkElement(element, op))
      return Type();
    return Type(ListType::get(ctx, element));
  }

  // Builtins over a list argument; sum, min, max, sorted, any and all take other iterables
  // (sets, dicts and their views, ranges, iterators) as the list of their values.
  auto first = args.empty() ? ListType() : llvm::dyn_cast<ListType>(args[0].getType());
  if (!first && takesValuesAsList(call))
    first = ListType::get(ctx, iteratorValue(iteratorOf(args[0].getType())));
  if ((name == "contains" || name == "list.index" || name == "list.count" || name == "list.remove") && first &&
      holdsArrays(first.getElementType())) {
    typingError(op) << (name == "contains" ? "`in`" : name) << " compares the items of a " << pyTypeName(first)
                    << " with `==`, which is element-wise on arrays: the truth of its result is ambiguous";
    return Type();
  }
  if (name == "contains" && first) {
    Type element = first.getElementType(), item = args[1].getType();
    if ((isAnyNumber(element) && isAnyNumber(item)) || joinListElements(element, item))
      return i1;
    typingError(op) << "`in` compares a " << pyTypeName(item) << " with the elements of a "
                    << pyTypeName(first) << "; they cannot be equal";
    return Type();
  }
  if (name == "delitem" && first) { // del l[i], del l[a:b]
    Type index = args[1].getType();
    if (isIntLike(index) || llvm::isa<SliceType>(index))
      return Type(NoneType::get(ctx));
    typingError(op) << "list indices must be integers or slices, not " << pyTypeName(index);
    return Type();
  }
  if (first && !name.starts_with("ndarray.") && !name.starts_with("list.") && !name.starts_with("numlir.is_")) {
    Type element = first.getElementType();
    if (name == "len" && args.size() == 1)
      return i64;
    if ((name == "any" || name == "all") && args.size() == 1 && (isAnyNumber(element) || llvm::isa<ListType>(element)))
      return i1;
    if (name == "sum" && args.size() == 1 && isAnyNumber(element))
      return isBool(element) ? i64 : pythonWide(element);
    if ((name == "min" || name == "max") && args.size() == 1 && isOrdered(element))
      return element;
    if (name == "sorted" && args.size() - keywords == 1 && isSortable(element)) {
      if (keywords == 1 && keyword(0) == "reverse" && isIntLike(args[1].getType()))
        return Type(ListType::get(ctx, element));
      if (keywords == 0)
        return Type(ListType::get(ctx, element));
    }
    if (llvm::is_contained({"enumerate", "zip", "reversed", "set", "print"}, name))
      return std::nullopt;
    if (isUnknown(element))
      return Type(); // the list's elements are not typed yet
    typingError(op) << name << "() of a " << pyTypeName(first) << " is not supported";
    return Type();
  }
  // Methods: the frontend names every method "ndarray.<name>"; a list receiver makes it a
  // list method.
  if (name.starts_with("ndarray.") && first) {
    call.setCalleeAttr(StringAttr::get(ctx, "list." + name.drop_front(strlen("ndarray.")).str()));
    name = call.getCallee();
  }
  if (!name.starts_with("list.") || !first)
    return std::nullopt;
  StringRef method = name.drop_front(strlen("list."));
  Type element = first.getElementType();
  size_t positional = args.size() - keywords - 1; // after the list itself
  auto arity = [&](size_t lo, size_t hi) {
    if ((keywords && method != "sort") || positional < lo || positional > hi) {
      auto d = typingError(op) << "list." << method << "() takes ";
      if (lo == hi)
        d << lo;
      else
        d << lo << " to " << hi;
      d << " positional argument" << (hi == 1 ? "" : "s") << " but " << positional << " were given";
      return false;
    }
    return true;
  };
  auto intArg = [&](size_t i) {
    if (isIntLike(args[i].getType()))
      return true;
    typingError(op) << "list." << method << "() needs an int here, not " << pyTypeName(args[i].getType());
    return false;
  };
  if (method == "append") {
    if (!arity(1, 1) || !checkElement(args[1].getType(), op))
      return Type();
    listsWidened |= widenList(args[0], args[1].getType(), op);
    return none;
  }
  if (method == "extend") {
    if (!arity(1, 1))
      return Type();
    Type from = elementOfIterable(args[1].getType());
    if (!from) {
      typingError(op) << "'" << pyTypeName(args[1].getType()) << "' object is not iterable";
      return Type();
    }
    if (checkElement(from, op))
      listsWidened |= widenList(args[0], from, op);
    return none;
  }
  if (method == "insert") {
    if (!arity(2, 2) || !intArg(1) || !checkElement(args[2].getType(), op))
      return Type();
    listsWidened |= widenList(args[0], args[2].getType(), op);
    return none;
  }
  if (method == "pop")
    return arity(0, 1) && (positional == 0 || intArg(1)) ? element : Type();
  if (method == "clear" || method == "reverse")
    return arity(0, 0) ? none : Type();
  if (method == "copy")
    return arity(0, 0) ? Type(first) : Type();
  if (method == "index" || method == "count" || method == "remove") {
    if (!arity(1, method == "index" ? 3 : 1))
      return Type();
    for (size_t i = 2; i < args.size(); ++i)
      if (!intArg(i))
        return Type();
    Type item = args[1].getType();
    if (!(isAnyNumber(element) && isAnyNumber(item)) && !joinListElements(element, item)) {
      typingError(op) << "list." << method << "() compares a " << pyTypeName(item) << " with the elements of a "
                      << pyTypeName(first) << "; they cannot be equal";
      return Type();
    }
    return method == "remove" ? none : i64;
  }
  if (method == "sort") {
    if (!arity(0, 0) || (keywords && (keywords > 1 || keyword(0) != "reverse"))) {
      typingError(op) << "list.sort() takes only reverse= in compiled code";
      return Type();
    }
    if (!isSortable(element) && !isUnknown(element)) {
      typingError(op) << "list.sort() orders numbers, strings and tuples of them, not " << pyTypeName(element);
      return Type();
    }
    return none;
  }
  typingError(op) << "list." << method << "() is not supported";
  return Type();
}
