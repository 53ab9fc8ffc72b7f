// py-infer-types: the type inference of numlir.
//
// Input: an entry function with typed arguments (marked `py.instance_of`) and untyped
// template functions (marked `py.template`) whose values are `!py.object`. Types flow
// forward from arguments and constants through every op until nothing changes; where
// control-flow paths meet, block-argument types are joined (bool < int < float,
// tuples elementwise). A `py.call` to a template creates (once per argument types) a
// typed copy of the template; recursive calls see the callee's return type as unknown
// until a base case has given it one, as in numba.
#include "numlir/Dialect/Py/IR/PyDialect.h"
#include "numlir/Dialect/Py/Transforms/Passes.h"
#include "numlir/Dialect/Py/IR/PyTypeRules.h"
#include "Inferencer.h"
#include "numlir/Dialect/Py/Transforms/ArrayTypeRules.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Pass/Pass.h"

#include <map>

namespace mlir::py {
#define GEN_PASS_DEF_INFERTYPES
#include "numlir/Dialect/Py/Transforms/Passes.h.inc"
} // namespace mlir::py

using namespace mlir;
using namespace mlir::py;

namespace mlir::py {

/// The least type both `a` and `b` convert to, or null when there is none.
Type joinTypes(Type a, Type b) {
  if (isUnknown(a))
    return b;
  if (isUnknown(b) || a == b)
    return a;
  // None and a value meet as an Optional of the value (numba's Optional).
  auto oa = llvm::dyn_cast<OptionalType>(a), ob = llvm::dyn_cast<OptionalType>(b);
  bool na = llvm::isa<NoneType>(a), nb = llvm::isa<NoneType>(b);
  if (na || nb || oa || ob) {
    Type va = oa ? oa.getValueType() : na ? Type() : a, vb = ob ? ob.getValueType() : nb ? Type() : b;
    Type value = !va ? vb : !vb ? va : joinTypes(va, vb);
    return value && !llvm::isa<NoneType>(value) ? OptionalType::get(a.getContext(), value) : Type();
  }
  // NumPy's scalar types meet by NumPy's promotion (int32 and int64 give int64).
  if (isAnyNumber(a) && isAnyNumber(b) && (!isPythonScalar(a) || !isPythonScalar(b)))
    return promoteElements(a, b);
  if (isAnyNumber(a) && isAnyNumber(b) && (isComplex(a) || isComplex(b)))
    return ComplexType::get(Float64Type::get(a.getContext()));
  if (isNumber(a) && isNumber(b)) {
    if (isFloat(a) || isFloat(b))
      return Float64Type::get(a.getContext());
    return IntegerType::get(a.getContext(), 64);
  }
  auto ta = tupleOf(a), tb = tupleOf(b);
  if (ta && tb && ta.size() == tb.size()) {
    SmallVector<Type> elements;
    for (auto [x, y] : llvm::zip(ta.getTypes(), tb.getTypes())) {
      Type j = joinTypes(x, y);
      if (!j)
        return {};
      elements.push_back(j);
    }
    auto tuple = TupleType::get(a.getContext(), elements);
    // Two instances of one namedtuple class stay one; anything else meets as a plain tuple.
    auto na = llvm::dyn_cast<NamedTupleType>(a), nb = llvm::dyn_cast<NamedTupleType>(b);
    if (na && nb && na.getClassName() == nb.getClassName() && na.getFields() == nb.getFields())
      return NamedTupleType::get(a.getContext(), na.getClassName(), na.getFields(), tuple);
    return tuple;
  }
  // Lists meet where one's element type is not known yet, or where numbers join (the
  // widening reaches where both were made: see InferListTypes.cpp).
  auto la = llvm::dyn_cast<ListType>(a), lb = llvm::dyn_cast<ListType>(b);
  if (la && lb) {
    Type element = joinListElements(la.getElementType(), lb.getElementType());
    return element ? ListType::get(a.getContext(), element) : Type();
  }
  // A generator function's returns of its one object, typed as its yields widen it.
  auto ga = llvm::dyn_cast<GeneratorType>(a), gb = llvm::dyn_cast<GeneratorType>(b);
  if (ga && gb) {
    Type yielded = joinListElements(ga.getYieldType(), gb.getYieldType());
    return yielded ? GeneratorType::get(a.getContext(), yielded) : Type();
  }
  auto da = llvm::dyn_cast<DictType>(a), db = llvm::dyn_cast<DictType>(b);
  if (da && db) {
    Type key = joinListElements(da.getKeyType(), db.getKeyType());
    Type value = joinListElements(da.getValueType(), db.getValueType());
    return key && value ? DictType::get(a.getContext(), key, value) : Type();
  }
  auto sa = llvm::dyn_cast<SetType>(a), sb = llvm::dyn_cast<SetType>(b);
  if (sa && sb) {
    Type element = joinListElements(sa.getElementType(), sb.getElementType());
    return element ? SetType::get(a.getContext(), element) : Type();
  }
  // Iterators over lists whose element types were still being inferred.
  auto ia = llvm::dyn_cast<IterType>(a), ib = llvm::dyn_cast<IterType>(b);
  if (ia && ib && ia.getKind() == ib.getKind()) {
    auto state = llvm::dyn_cast_or_null<TupleType>(joinTypes(ia.getState(), ib.getState()));
    return state ? IterType::get(a.getContext(), ia.getKind(), state) : Type();
  }
  // Arrays of one dtype and rank but different layouts meet as the general strided layout.
  auto ma = llvm::dyn_cast<MemRefType>(a), mb = llvm::dyn_cast<MemRefType>(b);
  if (ma && mb && ma.getElementType() == mb.getElementType() && ma.getRank() == mb.getRank())
    return arrayType(ma.getElementType(), ma.getRank(), Layout::A);
  return {};
}

/// Whether a value of type `from` can be converted to `to` by py.cast.
static bool castable(Type from, Type to) {
  if (from == to || isUnknown(from))
    return true;
  if (auto opt = llvm::dyn_cast<OptionalType>(to)) // None, a value or an Optional of one
    return llvm::isa<NoneType>(from) ||
           castable(llvm::isa<OptionalType>(from) ? llvm::cast<OptionalType>(from).getValueType() : from, opt.getValueType());
  if (auto opt = llvm::dyn_cast<OptionalType>(from)) // the value, checked not to be None
    return castable(opt.getValueType(), to);
  if (isAnyNumber(from) && isAnyNumber(to) && (!isComplex(from) || isComplex(to)))
    return true;
  auto tf = tupleOf(from), tt = tupleOf(to);
  if (tf && tt && tf.size() == tt.size())
    return llvm::all_of(llvm::zip(tf.getTypes(), tt.getTypes()),
                        [](auto p) { return castable(std::get<0>(p), std::get<1>(p)); });
  auto mf = llvm::dyn_cast<MemRefType>(from), mt = llvm::dyn_cast<MemRefType>(to);
  return mf && mt && mf.getElementType() == mt.getElementType() && mf.getRank() == mt.getRank();
}

/// A block argument that only ever received undefined values and is only forwarded to
/// other blocks (a loop variable read after its loop) takes the type of where it flows.
static void typeForwardedUndefs(func::FuncOp func) {
  bool progress = true;
  while (progress) {
    progress = false;
    for (Block &block : func.getBody()) {
      for (BlockArgument arg : block.getArguments()) {
        if (!isUnknown(arg.getType()))
          continue;
        Type joined = arg.getType();
        bool onlyForwarded = true;
        for (OpOperand &use : arg.getUses()) {
          auto branch = llvm::dyn_cast<BranchOpInterface>(use.getOwner());
          bool found = false;
          for (unsigned s = 0; branch && s < use.getOwner()->getNumSuccessors(); ++s) {
            OperandRange fwd = branch.getSuccessorOperands(s).getForwardedOperands();
            unsigned begin = fwd.getBeginOperandIndex(), index = use.getOperandNumber();
            if (index >= begin && index < begin + fwd.size()) {
              Type dest = use.getOwner()->getSuccessor(s)->getArgument(index - begin).getType();
              joined = joinTypes(joined, dest);
              found = joined != Type();
            }
          }
          onlyForwarded &= found;
        }
        if (onlyForwarded && joined && !isUnknown(joined)) {
          arg.setType(joined);
          progress = true;
        }
      }
    }
  }
}

/// Whether `v` is a Python literal (a constant): NEP 50's "weak" scalar, which takes the
/// type of the NumPy scalar beside it (np.float32(x) * 2.0 is a float32).
bool isLiteral(Value v) {
  if (v.getDefiningOp<ConstantOp>())
    return true;
  // A complex literal is complex(re, im) of two constants (the frontend builds it so).
  auto call = v.getDefiningOp<CallBuiltinOp>();
  return call && call.getCallee() == "complex" &&
         llvm::all_of(call.getArgs(), [](Value a) { return a.getDefiningOp<ConstantOp>() != nullptr; });
}

/// The type of `l <kind> r` when either is one of NumPy's narrow scalar types: NumPy 2's
/// promotion (promoteScalars), then the operator's own rule; null when unsupported.
Type numpyBinopType(StringRef k, Type l, bool lWeak, Type r, bool rWeak) {
  Type t = promoteScalars(l, lWeak, r, rWeak);
  MLIRContext *ctx = l.getContext();
  if (isComplex(t))
    return llvm::is_contained({"add", "sub", "mul", "truediv", "pow"}, k) ? t : Type();
  if (k == "truediv")
    return isFloat(t) ? t : Float64Type::get(ctx);
  if (llvm::is_contained({"and", "or", "xor", "lshift", "rshift"}, k))
    return isIntLike(t) ? t : Type();
  return t;
}

/// Whether `v` is an integer constant below zero (`2 ** -1` is a float in Python).
bool isNegativeIntConstant(Value v) {
  auto c = v.getDefiningOp<ConstantOp>();
  if (!c)
    return false;
  auto attr = llvm::dyn_cast<IntegerAttr>(c.getValue());
  return attr && attr.getType().isInteger(64) && attr.getInt() < 0;
}

const char *binopSymbol(StringRef kind) {
  return llvm::StringSwitch<const char *>(kind)
      .Case("add", "+").Case("sub", "-").Case("mul", "*").Case("truediv", "/")
      .Case("floordiv", "//").Case("mod", "%").Case("pow", "**").Case("lshift", "<<")
      .Case("rshift", ">>").Case("and", "&").Case("or", "|").Case("xor", "^")
      .Default("?");
}


func::FuncOp Inferencer::instantiate(func::FuncOp tmpl, TypeRange argTypes) {
  auto k = std::make_pair(tmpl.getSymName().str(), key(argTypes));
  if (auto it = instances.find(k); it != instances.end())
    return it->second;
  func::FuncOp copy = tmpl.clone();
  copy->removeAttr("py.template");
  std::string name = tmpl.getSymName().str();
  if (StringRef(name).ends_with(".generic"))
    name.resize(name.size() - strlen(".generic"));
  for (Type t : argTypes) {
    std::string s;
    llvm::raw_string_ostream os(s);
    t.print(os);
    name += "_";
    for (char c : s)
      name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  }
  copy.setSymName(name);
  for (auto [arg, t] : llvm::zip(copy.getArguments(), argTypes))
    arg.setType(t);
  copy.setType(FunctionType::get(module.getContext(), argTypes,
                                 {ObjectType::get(module.getContext())}));
  symbols.insert(copy); // renames on a clash
  unrollLiteralLoops(copy);
  instances[k] = copy;
  worklist.push_back(copy);
  return copy;
}

/// "variable 'x'" when the frontend named the block argument after a local, else "a value".
static std::string describe(Value v) {
  if (auto name = llvm::dyn_cast<NameLoc>(v.getLoc()))
    return ("variable '" + name.getName().strref() + "'").str();
  return "a value";
}

/// Joins `incoming` into `current` where paths meet, with NEP 50's weak literals: a value
/// that has only been Python literals (`s = 0`) takes the type of a NumPy scalar of its kind
/// or higher that joins it later (`s += x` over an int8 array makes s an int8, as NumPy 2
/// does in CPython). `currentWeak` says whether `current` is still weak, and is updated.
/// Null where the types do not meet.
static Type joinWeak(Type current, bool &currentWeak, Type incoming, bool incomingWeak) {
  if (isUnknown(incoming))
    return current;
  if (isUnknown(current)) {
    currentWeak = incomingWeak;
    return incoming;
  }
  if (isAnyNumber(current) && isAnyNumber(incoming)) {
    if (currentWeak && !incomingWeak && !isPythonScalar(incoming)) {
      currentWeak = false;
      return promoteScalars(current, true, incoming, false);
    }
    if (!currentWeak && incomingWeak && !isPythonScalar(current))
      return promoteScalars(current, false, incoming, true);
  }
  currentWeak &= incomingWeak;
  return joinTypes(current, incoming);
}

bool hasUnknown(Type t) {
  if (isUnknown(t))
    return true;
  if (auto list = llvm::dyn_cast<ListType>(t))
    return hasUnknown(list.getElementType());
  if (auto generator = llvm::dyn_cast<GeneratorType>(t))
    return hasUnknown(generator.getYieldType());
  if (auto dict = llvm::dyn_cast<DictType>(t))
    return hasUnknown(dict.getKeyType()) || hasUnknown(dict.getValueType());
  if (auto set = llvm::dyn_cast<SetType>(t))
    return hasUnknown(set.getElementType());
  if (auto tuple = tupleOf(t))
    return llvm::any_of(tuple.getTypes(), hasUnknown);
  if (auto iter = llvm::dyn_cast<IterType>(t)) // an iterator over a list not typed yet
    return hasUnknown(iter.getState());
  if (auto opt = llvm::dyn_cast<OptionalType>(t))
    return hasUnknown(opt.getValueType());
  return false;
}

bool Inferencer::joinInto(Value arg, Value incomingValue, Operation *where, bool &changed) {
  Type current = arg.getType(), incoming = incomingValue.getType();
  // Two lists meeting with different element types: both widen where they were made.
  auto la = llvm::dyn_cast<ListType>(current), lb = llvm::dyn_cast<ListType>(incoming);
  if (la && lb && la != lb) {
    Type element = joinListElements(la.getElementType(), lb.getElementType());
    if (element && element != lb.getElementType()) {
      changed |= widenList(incomingValue, element, where);
      if (hadError)
        return false;
      incoming = incomingValue.getType();
    }
  }
  auto sa = llvm::dyn_cast<SetType>(current), sb = llvm::dyn_cast<SetType>(incoming);
  if (sa && sb && sa != sb) {
    Type element = joinListElements(sa.getElementType(), sb.getElementType());
    if (element && element != sb.getElementType()) {
      changed |= widenSet(incomingValue, element, where);
      if (hadError)
        return false;
      incoming = incomingValue.getType();
    }
  }
  auto da = llvm::dyn_cast<DictType>(current), db = llvm::dyn_cast<DictType>(incoming);
  if (da && db && da != db) {
    Type key = joinListElements(da.getKeyType(), db.getKeyType());
    Type value = joinListElements(da.getValueType(), db.getValueType());
    if (key && value && (key != db.getKeyType() || value != db.getValueType())) {
      changed |= widenDict(incomingValue, key, value, where);
      if (hadError)
        return false;
      incoming = incomingValue.getType();
    }
  }
  bool weak = weakArgs.contains(arg);
  Type joined = joinWeak(current, weak, incoming, isWeak(incomingValue));
  if (weak)
    weakArgs.insert(arg);
  else
    weakArgs.erase(arg);

  if (!joined) {
    // A list whose items were typed differently on two paths (an append of another type
    // after a loop that appended ints): say so in the list's terms.
    auto lc = llvm::dyn_cast<ListType>(arg.getType()), li = llvm::dyn_cast<ListType>(incoming);
    if (lc && li) {
      typingError(where) << describeContainer(arg, "list") << " holds " << pyTypeName(lc.getElementType())
                         << " and " << pyTypeName(li.getElementType()) << "; numlir lists hold one type";
      return false;
    }
    typingError(where) << describe(arg) << " is " << pyTypeName(arg.getType())
                       << " on one path and " << pyTypeName(incoming)
                       << " on another; numlir needs one type per variable where paths meet";
    return false;
  }
  changed |= setType(arg, joined);
  return true;
}

/// An int that the types fix: a constant, an array's `.ndim`, a tuple's `len()`.
static std::optional<int64_t> staticInt(Value v) {
  Operation *def = v.getDefiningOp();
  if (!def)
    return std::nullopt;
  if (auto c = llvm::dyn_cast<ConstantOp>(def)) {
    if (auto i = llvm::dyn_cast<IntegerAttr>(c.getValue()); i && !i.getType().isInteger(1))
      return i.getInt();
    return std::nullopt;
  }
  if (auto get = llvm::dyn_cast<GetAttrOp>(def); get && get.getField() == "ndim")
    if (auto array = llvm::dyn_cast<MemRefType>(get.getObject().getType()))
      return array.getRank();
  if (auto call = llvm::dyn_cast<CallBuiltinOp>(def); call && call.getCallee() == "len" && call.getArgs().size() == 1)
    if (auto tuple = llvm::dyn_cast<TupleType>(call.getArgs()[0].getType()))
      return tuple.size();
  return std::nullopt;
}

/// The answer of a branch condition known at compile time (`x is None` of a None or of a
/// number, through truth and not; whether a loop over an empty tuple has an item; numlir's
/// type tests; comparisons of numbers the types fix); nullopt when unknown, or not typed
/// yet (`pending`).
static std::optional<bool> knownCondition(Value c, bool &pending) {
  Operation *def = c.getDefiningOp();
  if (!def)
    return std::nullopt;
  if (auto t = llvm::dyn_cast<TruthOp>(def))
    return knownCondition(t.getOperand(), pending);
  if (auto u = llvm::dyn_cast<UnOp>(def); u && u.getKind() == "not") {
    std::optional<bool> k = knownCondition(u.getOperand(), pending);
    return k ? std::optional<bool>(!*k) : std::nullopt;
  }
  // The loop over an empty tuple (`for r in rest` of no *args): its body is never run.
  if (auto next = llvm::dyn_cast<IterNextOp>(def); next && c == next.getValid()) {
    auto iter = llvm::dyn_cast<IterType>(next.getIterator().getType());
    if (iter && iter.getKind() == "tuple" && tupleOf(iter.getState().getType(0)).size() == 0)
      return false;
    return std::nullopt;
  }
  if (auto call = llvm::dyn_cast<CallBuiltinOp>(def);
      call && (call.getCallee() == "is" || call.getCallee().starts_with("numlir.is_"))) {
    pending = isUnknown(call.getType());
    if (auto k = call->getAttrOfType<BoolAttr>("py.known"))
      return k.getValue();
  }
  // `a.ndim == 2`, `len(t) > 1`: numbers the types fix, compared.
  if (auto cmp = llvm::dyn_cast<CmpOp>(def)) {
    pending = isUnknown(cmp.getLhs().getType()) || isUnknown(cmp.getRhs().getType());
    std::optional<int64_t> l = staticInt(cmp.getLhs()), r = staticInt(cmp.getRhs());
    if (pending || !l || !r)
      return std::nullopt;
    return llvm::StringSwitch<std::optional<bool>>(cmp.getPredicate())
        .Case("eq", *l == *r)
        .Case("ne", *l != *r)
        .Case("lt", *l < *r)
        .Case("le", *l <= *r)
        .Case("gt", *l > *r)
        .Case("ge", *l >= *r)
        .Default(std::nullopt);
  }
  return std::nullopt;
}

bool Inferencer::reachFrom(Block &block, llvm::DenseSet<Block *> &seen) {
  Operation *term = block.getTerminator();
  bool grew = false;
  auto reach = [&](Block *b) { grew |= seen.insert(b).second; };
  if (auto br = llvm::dyn_cast<cf::CondBranchOp>(term)) {
    bool pending = false;
    std::optional<bool> known = knownCondition(br.getCondition(), pending);
    if (pending)
      return false; // its successors wait for the condition's type
    if (known) {
      reach(*known ? br.getTrueDest() : br.getFalseDest());
      return grew;
    }
  }
  for (Block *succ : term->getSuccessors())
    reach(succ);
  return grew;
}

/// `unwrap` Optional operands of the ops that need the value (arithmetic, comparisons,
/// indexing, builtins): a py.cast to the value type, which checks for None.
static void unwrapOptionals(Operation &op) {
  auto call = llvm::dyn_cast<CallBuiltinOp>(op);
  auto un = llvm::dyn_cast<UnOp>(op);
  bool needsValue = llvm::isa<BinOp, CmpOp, GetItemOp, SetItemOp, GetIterOp, GetAttrOp>(op) ||
                    (un && un.getKind() != "not") ||
                    (call && call.getCallee() != "is" && call.getCallee() != "print");
  if (!needsValue)
    return;
  for (OpOperand &use : op.getOpOperands())
    if (auto opt = llvm::dyn_cast<OptionalType>(use.get().getType())) {
      OpBuilder b(&op);
      use.set(CastOp::create(b, op.getLoc(), opt.getValueType(), use.get()));
    }
}

bool Inferencer::inferFunction(func::FuncOp func) {
  bool changedAny = false, changed = true;
  llvm::DenseSet<Block *> &seen = reachable[func];
  seen.insert(&func.getBody().front());
  for (int sweep = 0; changed && !hadError; ++sweep) {
    if (sweep > 100) {
      typingError(func) << "types did not settle in '" << func.getSymName()
                        << "' (a tuple that grows in a loop?)";
      return false;
    }
    changed = false;
    for (Block &block : func.getBody()) {
      if (!seen.contains(&block))
        continue;
      for (Operation &op : block) {
        if (hadError)
          return changedAny;
        unwrapOptionals(op);
        if (auto c = llvm::dyn_cast<ConstantOp>(op))
          changed |= setType(c, c.getValue().getType());
        else if (auto array = llvm::dyn_cast<ArrayConstantOp>(op)) {
          auto shaped = llvm::cast<ShapedType>(array.getValue().getType());
          changed |= setType(array, arrayType(shaped.getElementType(), shaped.getRank(), Layout::C));
        }
        else if (auto none = llvm::dyn_cast<NoneOp>(op))
          changed |= setType(none, NoneType::get(func.getContext()));
        else if (auto set = llvm::dyn_cast<SetItemOp>(op)) {
          if (llvm::isa<ListType>(set.getBase().getType())) {
            if (!llvm::any_of(op.getOperandTypes(), isUnknown))
              inferListOp(&op);
          } else if (llvm::isa<DictType>(set.getBase().getType())) {
            if (!llvm::any_of(op.getOperandTypes(), isUnknown))
              inferDictOp(&op);
          } else if (set->hasAttr("py.replaced")) {
            // A py.call of numlir's advanced indexing took its place (below).
          } else if (isArray(set.getBase().getType()) && isAdvancedIndex(set.getIndex().getType()) &&
                     !isUnknown(set.getValue().getType())) {
            // `a[mask] = v`: numlir's Python implementation (see GetItemOp in resultType).
            auto helper = set->getAttrOfType<FlatSymbolRefAttr>("py.advanced");
            if (!helper) {
              typingError(&op) << kAdvancedIndexingMarker;
              return changedAny;
            }
            OpBuilder b(&op);
            b.setInsertionPointAfter(&op);
            CallOp::create(b, op.getLoc(), ObjectType::get(op.getContext()), helper,
                           ValueRange{set.getBase(), set.getIndex(), set.getValue()});
            set->setAttr("py.replaced", UnitAttr::get(op.getContext()));
            changed = true;
          } else if (!llvm::any_of(op.getOperandTypes(), isUnknown) && failed(checkSetItem(set))) {
            hadError = true;
            return changedAny;
          }
        } else if (llvm::isa<ReraiseOp, SetCaughtOp>(op)) {
          // `raise e`: e must be a caught exception.
          Type t = op.getOperand(0).getType();
          if (!isUnknown(t) && !llvm::isa<ExceptionType>(t)) {
            typingError(&op) << "cannot raise a '" << pyTypeName(t)
                             << "'; raise an exception class or instance, e.g. raise ValueError(\"...\")";
            return changedAny;
          }
        } else if (op.getNumResults() > 0 && !llvm::isa<UndefOp, CastOp>(op)) {
          Value result = op.getResults().back();
          changed |= setType(result, resultType(&op));
        }
        changed |= listsWidened;
        listsWidened = false;
        if (auto branch = llvm::dyn_cast<BranchOpInterface>(op)) {
          std::optional<bool> known;
          bool pending = false;
          if (auto cbr = llvm::dyn_cast<cf::CondBranchOp>(op))
            known = knownCondition(cbr.getCondition(), pending);
          for (unsigned s = 0; s < op.getNumSuccessors(); ++s) {
            if (pending || (known && s != (*known ? 0u : 1u)))
              continue; // a branch never taken (or not decided yet) passes no types
            Block *succ = op.getSuccessor(s);
            OperandRange fwd = branch.getSuccessorOperands(s).getForwardedOperands();
            for (auto [arg, v] : llvm::zip(succ->getArguments(), fwd))
              if (!joinInto(arg, v, &op, changed))
                return changedAny;
          }
        }
        if (auto ret = llvm::dyn_cast<func::ReturnOp>(op)) {
          Type current = func.getResultTypes().empty() ? Type() : func.getResultTypes()[0];
          Type incoming = ret.getOperands().empty() ? NoneType::get(func.getContext())
                                                    : ret.getOperand(0).getType();
          bool weak = weakReturns.contains(func);
          bool incomingWeak = !ret.getOperands().empty() && isWeak(ret.getOperand(0));
          Type joined = current ? joinWeak(current, weak, incoming, incomingWeak) : incoming;
          if (!current)
            weak = incomingWeak;
          if (weak)
            weakReturns.insert(func);
          else
            weakReturns.erase(func);
          if (!joined) {
            typingError(&op) << "'" << func.getSymName() << "' returns "
                             << pyTypeName(current) << " on one path and "
                             << pyTypeName(incoming) << " on another";
            return changedAny;
          }
          if (joined != current) {
            func.setType(FunctionType::get(func.getContext(), func.getArgumentTypes(), {joined}));
            changed = true;
          }
        }
      }
      changed |= reachFrom(block, seen);
    }
    changedAny |= changed;
  }
  return changedAny;
}

/// Makes the merged types explicit: casts on branch and return operands whose type is
/// narrower than their destination, and typed undefs; reports values left unknown.
/// Branches on a known `x is None` become plain branches, and the blocks no path reaches
/// go (they were never typed).
static void pruneUnreachable(func::FuncOp func, const llvm::DenseSet<Block *> &seen) {
  func.walk([&](cf::CondBranchOp br) {
    bool pending = false;
    std::optional<bool> known = knownCondition(br.getCondition(), pending);
    if (!known || !seen.contains(br->getBlock()))
      return;
    OpBuilder b(br);
    if (*known)
      cf::BranchOp::create(b, br.getLoc(), br.getTrueDest(), br.getTrueDestOperands());
    else
      cf::BranchOp::create(b, br.getLoc(), br.getFalseDest(), br.getFalseDestOperands());
    br.erase();
  });
  SmallVector<Block *> dead;
  for (Block &block : func.getBody())
    if (!seen.contains(&block))
      dead.push_back(&block);
  for (Block *block : dead) {
    block->dropAllDefinedValueUses();
    block->dropAllReferences();
  }
  for (Block *block : dead)
    block->erase();
}

LogicalResult Inferencer::finalize(func::FuncOp func) {
  pruneUnreachable(func, reachable[func]);
  func.walk([](Operation *call) { // calls of function values and overloads, replaced by py.call
    if (llvm::isa<CallBuiltinOp, CallOverloadOp, GetItemOp, SetItemOp>(call) && call->hasAttr("py.replaced"))
      call->erase();
    else if (llvm::isa<CallOp>(call))
      call->removeAttr("py.template_of");
  });
  OpBuilder builder(func.getContext());
  Type declared;
  if (auto attr = func->getAttrOfType<TypeAttr>("py.return_type")) {
    declared = attr.getValue();
    func->removeAttr("py.return_type");
    func.setType(FunctionType::get(func.getContext(), func.getArgumentTypes(), {declared}));
  }
  if (!func.getResultTypes().empty() && isUnknown(func.getResultTypes()[0])) {
    // Only reachable through recursion without a base case, or no return at all.
    func.setType(FunctionType::get(func.getContext(), func.getArgumentTypes(),
                                   {NoneType::get(func.getContext())}));
  }
  typeForwardedUndefs(func);
  auto convert = [&](Operation *user, OpOperand &use, Type to) -> LogicalResult {
    Value v = use.get();
    if (v.getType() == to)
      return success();
    builder.setInsertionPoint(user);
    if (v.getDefiningOp<UndefOp>()) {
      use.set(UndefOp::create(builder, v.getLoc(), to));
      return success();
    }
    if (!castable(v.getType(), to))
      return typingError(user) << "cannot convert " << pyTypeName(v.getType()) << " to "
                               << pyTypeName(to);
    use.set(CastOp::create(builder, user->getLoc(), to, v));
    return success();
  };
  WalkResult walk = func.walk([&](Operation *op) -> WalkResult {
    for (Value r : op->getResults()) {
      auto list = llvm::dyn_cast<ListType>(r.getType());
      if (list && hasUnknown(list)) {
        typingError(op) << "the element type of this empty list is never given; append to it, "
                           "or make it with numlir.typed.List.empty_list(type)";
        return WalkResult::interrupt();
      }
      auto set = llvm::dyn_cast<SetType>(r.getType());
      if (set && hasUnknown(set)) {
        typingError(op) << "the element type of this empty set is never given; add to it";
        return WalkResult::interrupt();
      }
      auto dict = llvm::dyn_cast<DictType>(r.getType());
      if (dict && hasUnknown(dict)) {
        typingError(op) << "the key and value types of this empty dict are never given; set an item, "
                           "or make it with numlir.typed.Dict.empty(key_type, value_type)";
        return WalkResult::interrupt();
      }
    }
    for (Value r : op->getResults())
      if (isUnknown(r.getType()) && !llvm::isa<UndefOp>(op)) {
        typingError(op) << "could not infer the type of this value "
                           "(a recursive function needs a base case that returns)";
        return WalkResult::interrupt();
      }
    if (auto branch = llvm::dyn_cast<BranchOpInterface>(op)) {
      for (unsigned s = 0; s < op->getNumSuccessors(); ++s) {
        Block *succ = op->getSuccessor(s);
        MutableOperandRange fwd = branch.getSuccessorOperands(s).getMutableForwardedOperands();
        for (unsigned i = 0; i < fwd.size(); ++i)
          if (failed(convert(op, fwd[i], succ->getArgument(i).getType())))
            return WalkResult::interrupt();
      }
    }
    if (auto ret = llvm::dyn_cast<func::ReturnOp>(op)) {
      Type to = func.getResultTypes()[0];
      if (llvm::isa<NoneType>(to)) {
        if (ret.getNumOperands() && !llvm::isa<NoneType>(ret.getOperand(0).getType()))
          return typingError(op) << "cannot return a value from a function declared to return None", WalkResult::interrupt();
        return WalkResult::advance();
      }
      if (ret.getNumOperands() == 0)
        return typingError(op) << "'" << func.getSymName() << "' returns None on one path and "
                               << pyTypeName(to) << " on another",
               WalkResult::interrupt();
      if (failed(convert(op, ret->getOpOperand(0), to)))
        return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  for (Block &block : func.getBody())
    for (BlockArgument arg : block.getArguments())
      if (isUnknown(arg.getType())) {
        hadError = true;
        Location loc = arg.getLoc();
        if (auto name = llvm::dyn_cast<NameLoc>(loc))
          loc = name.getChildLoc();
        return emitError(loc, "TypingError: ")
               << describe(arg) << " may be used before it is assigned";
      }
  // Undefs that nothing typed: give them a harmless type.
  func.walk([&](UndefOp undef) {
    if (isUnknown(undef.getType()))
      undef.getResult().setType(IntegerType::get(func.getContext(), 64));
  });
  return success();
}

/// The ufuncs with two results, np.divmod, np.modf and np.frexp, as a tuple of two
/// one-result ufuncs (each a fused element expression of its own).
static void rewriteTwoResultUfuncs(func::FuncOp tmpl) {
  MLIRContext *ctx = tmpl.getContext();
  Type object = ObjectType::get(ctx);
  SmallVector<CallBuiltinOp> calls;
  tmpl.walk([&](CallBuiltinOp call) {
    if (llvm::is_contained({"np.divmod", "np.modf", "np.frexp"}, call.getCallee()) && !call.getKwnames())
      calls.push_back(call);
  });
  for (CallBuiltinOp call : calls) {
    StringRef name = call.getCallee();
    auto [first, second] = name == "np.divmod" ? std::pair<StringRef, StringRef>("np.floor_divide", "np.remainder")
                           : name == "np.modf" ? std::pair<StringRef, StringRef>("np._modf_fraction", "np._modf_whole")
                                               : std::pair<StringRef, StringRef>("np._frexp_mantissa", "np._frexp_exponent");
    OpBuilder b(call);
    // np.divmod(x, y, q, r): the two outputs given by position go one to each part.
    size_t inputs = name == "np.divmod" ? 2 : 1;
    auto args = call.getArgs();
    bool outs = args.size() == inputs + 2;
    auto part = [&](StringRef callee, size_t k) -> Value {
      SmallVector<Value> operands(args.take_front(outs ? inputs : args.size()));
      if (outs)
        operands.push_back(args[inputs + k]);
      return CallBuiltinOp::create(b, call.getLoc(), object, b.getStringAttr(callee), operands, ArrayAttr(),
                                     call.getDtypeAttr());
    };
    Value pair = MakeTupleOp::create(b, call.getLoc(), object, ValueRange{part(first, 0), part(second, 1)});
    call.replaceAllUsesWith(pair);
    call.erase();
  }
}

/// `np.add(a, b, out)` and `np.sqrt(a, out=r)`: the ufunc's value is stored into `out`, as
/// `out[:] = np.add(a, b)`, and the call's value is `out`,
/// as NumPy returns it. Runs on the untyped templates, before types.
static void rewriteUfuncOut(func::FuncOp tmpl) {
  MLIRContext *ctx = tmpl.getContext();
  rewriteTwoResultUfuncs(tmpl);
  SmallVector<CallBuiltinOp> calls;
  tmpl.walk([&](CallBuiltinOp call) {
    StringRef name = call.getCallee();
    if (name.consume_front("np.") && isUfunc(ctx, name))
      calls.push_back(call);
  });
  Type object = ObjectType::get(ctx);
  for (CallBuiltinOp call : calls) {
    int arity = ufuncArity(ctx, call.getCallee().drop_front(3));
    SmallVector<Value> args(call.getArgs());
    size_t nk = call.getKwnames() ? call.getKwnames()->size() : 0;
    size_t positional = args.size() - nk;
    Value out;
    SmallVector<Value> kept(args.begin(), args.begin() + positional);
    if (positional == static_cast<size_t>(arity) + 1)
      out = kept.pop_back_val();
    SmallVector<Attribute> keptNames;
    for (size_t i = 0; i < nk; ++i) {
      auto kw = llvm::cast<StringAttr>((*call.getKwnames())[i]);
      if (kw.getValue() == "out") {
        out = args[positional + i];
      } else {
        keptNames.push_back(kw);
        kept.push_back(args[positional + i]);
      }
    }
    if (!out)
      continue;
    OpBuilder b(call);
    Location loc = call.getLoc();
    auto value = CallBuiltinOp::create(b, loc, object, call.getCalleeAttr(), kept,
                                         keptNames.empty() ? ArrayAttr() : b.getArrayAttr(keptNames),
                                         call.getDtypeAttr());
    Value none = NoneOp::create(b, loc, object);
    Value all = SliceOp::create(b, loc, object, none, none, none);
    SetItemOp::create(b, loc, out, all, value);
    call.replaceAllUsesWith(out);
    call.erase();
  }
}

LogicalResult Inferencer::run() {
  for (auto func : module.getOps<func::FuncOp>())
    if (func->hasAttr("py.template"))
      rewriteUfuncOut(func);
  // The entry: module attributes name the template and the argument types of this call.
  auto entryName = module->getAttrOfType<FlatSymbolRefAttr>("py.entry");
  auto entryTypes = module->getAttrOfType<ArrayAttr>("py.entry_types");
  if (!entryName || !entryTypes)
    return module.emitError("py-infer-types needs the module attributes py.entry = @name and "
                            "py.entry_types = [types...]");
  auto tmpl = symbols.lookup<func::FuncOp>(entryName.getValue());
  if (!tmpl || !tmpl->hasAttr("py.template"))
    return module.emitError("py.entry names no template function: ") << entryName;
  SmallVector<Type> argTypes;
  for (Attribute a : entryTypes)
    argTypes.push_back(llvm::cast<TypeAttr>(a).getValue());
  if (argTypes.size() != tmpl.getNumArguments())
    return module.emitError("TypingError: ")
           << tmpl.getSymName() << "() takes " << tmpl.getNumArguments() << " arguments but "
           << argTypes.size() << " were given";
  func::FuncOp entry = instantiate(tmpl, argTypes);
  entry->setAttr("py.entry", UnitAttr::get(module.getContext()));
  if (auto ret = module->getAttrOfType<TypeAttr>("py.return_type"))
    entry->setAttr("py.return_type", ret);
  module->setAttr("py.entry", FlatSymbolRefAttr::get(entry.getSymNameAttr()));
  module->removeAttr("py.entry_types");
  module->removeAttr("py.return_type");
  bool changed = true;
  for (int round = 0; changed; ++round) {
    if (round > 100)
      return module.emitError("TypingError: type inference did not converge");
    changed = false;
    for (size_t i = 0; i < worklist.size(); ++i) {
      changed |= inferFunction(worklist[i]);
      if (hadError)
        return failure();
    }
  }
  // Overloads whose implementations are not known yet: the compiler asks for them and
  // infers again, so what depends on them stays unknown here, without an error.
  // (The trial's functions go: half-typed, they would not verify.)
  if (module->hasAttr("py.overloads_pending")) {
    for (auto func : llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
      func.erase();
    return success();
  }
  for (func::FuncOp func : worklist)
    if (Inferencer::finalize(func).failed())
      return failure();
  for (auto func : llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
    if (func->hasAttr("py.template"))
      func.erase();
  return success();
}

struct InferTypesPass : py::impl::InferTypesBase<InferTypesPass> {
  void runOnOperation() override {
    if (Inferencer(getOperation()).run().failed())
      signalPassFailure();
  }
};
} // namespace mlir::py

