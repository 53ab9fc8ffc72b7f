// py-infer-types' inferencer (InferTypes.cpp: the fixpoint over functions and calls) and its
// scalar type rules (ScalarTypeRules.cpp), with the helpers both use.
#ifndef NUMLIR_DIALECT_PY_TRANSFORMS_INFERENCER_H
#define NUMLIR_DIALECT_PY_TRANSFORMS_INFERENCER_H

#include "numlir/Dialect/Py/IR/PyDialect.h"
#include "numlir/Dialect/Py/IR/PyTypeRules.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseSet.h"

#include <map>
#include <string>
#include <vector>

namespace mlir::py {
/// The least type both `a` and `b` convert to, or null when there is none.
Type joinTypes(Type a, Type b);
/// Whether `v` is a Python literal (a constant): NEP 50's "weak" scalar.
bool isLiteral(Value v);
/// The type of `l <kind> r` when either is one of NumPy's narrow scalar types; null when
/// unsupported.
Type numpyBinopType(StringRef k, Type l, bool lWeak, Type r, bool rWeak);
/// Whether `v` is an integer constant below zero (`2 ** -1` is a float in Python).
bool isNegativeIntConstant(Value v);
/// The element type two lists' elements meet as (equal, an unknown one, or numbers and
/// tuples of numbers joined); null when they do not.
Type joinListElements(Type a, Type b);
/// `a` and `b` with the parts one of them does not know yet taken from the other (an
/// empty inner list appended before its own items are typed); null where they differ.
Type fillUnknowns(Type a, Type b);
/// The line of `loc` in the function's source (0 when it has none).
unsigned lineOf(Location loc);
/// "list 'l'" when the frontend named the container (a local it was stored to), else
/// "this list" (`what` is "list" or "dict").
std::string describeContainer(Value v, StringRef what);
/// Collects the ops that made the lists or dicts `v` may be (through block arguments);
/// false when one of them is not an op whose item types may still widen (an argument, a
/// call's result, an element of another container).
bool containerOrigins(Value v, SmallVectorImpl<Operation *> &origins, llvm::DenseSet<Value> &seen);
/// Whether `t` is or holds a type not inferred yet (`!py.list<!py.object>` of an empty list).
bool hasUnknown(Type t);
/// An index NumPy reads as advanced indexing (an array, or a list of ints).
bool isAdvancedIndex(Type t);
/// The error that tells the compiler to build the module again with numlir's advanced
/// indexing beside every subscript (src/python/compile.rs, `ADVANCED_INDEXING_MARKER`).
inline constexpr const char *kAdvancedIndexingMarker =
    "[advanced indexing] this subscript takes an array: build the module again with numlir's implementation";
/// The Python symbol of a py.binop kind ("add" -> "+"), for messages.
const char *binopSymbol(StringRef kind);

class Inferencer {
public:
  explicit Inferencer(ModuleOp module) : module(module), symbols(module) {}

  LogicalResult run();

private:
  ModuleOp module;
  SymbolTable symbols;
  /// (template name, argument types) -> its typed copy.
  std::map<std::pair<std::string, std::vector<const void *>>, func::FuncOp> instances;
  std::vector<func::FuncOp> worklist;
  bool hadError = false;

  InFlightDiagnostic typingError(Operation *op) {
    hadError = true;
    Operation *shown = userFacing(op);
    InFlightDiagnostic d = shown->emitError("TypingError: ");
    if (shown != op) {
      auto file = op->getLoc()->findInstanceOf<FileLineColLoc>();
      if (file.getFilename().getValue().ends_with("numlir/_sorting.py"))
        d << "sorted()/list.sort() with key= sort (key(x), position) pairs: ";
      else
        d << "in numlir's implementation (" << file.getFilename().getValue().rsplit("numlir/").second
          << ":" << file.getLine() << "): ";
    }
    return d;
  }

  /// Where an error inside numlir's own Python helpers (python/numlir/_sorting.py, called in
  /// place of `sorted(xs, key=f)`; the NumPy functions of python/numlir/_numpy/) shows: the
  /// user's call that led there.
  static Operation *userFacing(Operation *op) {
    auto inHelper = [](Operation *o) {
      auto file = o->getLoc()->findInstanceOf<FileLineColLoc>();
      if (!file)
        return false;
      StringRef name = file.getFilename().getValue();
      return name.ends_with("numlir/_sorting.py") || name.contains("numlir/_numpy/");
    };
    for (int depth = 0; depth < 8 && inHelper(op); ++depth) {
      auto func = op->getParentOfType<func::FuncOp>();
      auto module = func ? func->getParentOfType<ModuleOp>() : ModuleOp();
      if (!module)
        break;
      Operation *caller = nullptr;
      module.walk([&](CallOp call) {
        if (call.getCallee() != func.getSymName())
          return WalkResult::advance();
        caller = call;
        return WalkResult::interrupt();
      });
      if (!caller)
        break;
      op = caller;
    }
    return op;
  }

  static std::vector<const void *> key(TypeRange types) {
    std::vector<const void *> k;
    for (Type t : types)
      k.push_back(t.getAsOpaquePointer());
    return k;
  }

  func::FuncOp instantiate(func::FuncOp tmpl, TypeRange argTypes);
  bool inferFunction(func::FuncOp func);
  bool setType(Value v, Type t) {
    if (!t || v.getType() == t)
      return false;
    v.setType(t);
    return true;
  }
  /// Joins `incoming` into `arg`; false (and an error) where the types do not meet.
  bool joinInto(Value arg, Value incoming, Operation *where, bool &changed);
  /// Block arguments that have only received Python literals (and other such arguments):
  /// "weak" in NEP 50's sense, like the literals themselves.
  llvm::DenseSet<Value> weakArgs;
  bool isWeak(Value v) { return isLiteral(v) || weakArgs.contains(v); }
  /// Functions whose returns so far were all weak (so their result type may still follow).
  llvm::DenseSet<Operation *> weakReturns;
  Type resultType(Operation *op);
  Type binopType(Operation *op, StringRef kind, Value lhs, Value rhs);
  Type builtinResult(CallBuiltinOp op);
  Type iterationBuiltin(CallBuiltinOp op);
  /// The type of a list op's result (none for ops without one); nullopt when `op` is not
  /// about lists. Widening a list's element type sets `listsWidened`.
  std::optional<Type> inferListOp(Operation *op);
  /// Joins `element` into the element type of `list` where it was made; true when that
  /// changed, false (and an error where the types do not meet) otherwise.
  bool widenList(Value list, Type element, Operation *where);
  /// The element type of `list(x)` / `set(x)`: `current` joined with x's values (the
  /// current one alone without x); null after a TypingError.
  Type constructedElement(CallBuiltinOp call, Type current, StringRef what);
  bool listsWidened = false;
  /// The blocks of each function reached from its entry, not counting branches on a known
  /// `x is None` (a None argument's other branch is never typed, as numba prunes it).
  llvm::DenseMap<Operation *, llvm::DenseSet<Block *>> reachable;
  /// Adds the successors of `block` that its terminator may take; true when that grew.
  bool reachFrom(Block &block, llvm::DenseSet<Block *> &seen);
  /// The type of a str op's result; nullopt when `op` is not about strings (InferStrTypes.cpp).
  std::optional<Type> inferStrOp(Operation *op);
  /// The dict counterparts (InferDictTypes.cpp).
  std::optional<Type> inferDictOp(Operation *op);
  bool widenDict(Value dict, Type key, Type value, Operation *where);
  std::optional<Type> inferSetOp(Operation *op);
  bool widenSet(Value set, Type element, Operation *where);
  /// Where each list origin got its element type, for messages.
  llvm::DenseMap<Operation *, Location> elementSource;
  LogicalResult finalize(func::FuncOp func);
};
/// numlir.literal_unroll: loops over tuples of mixed types, one body copy per element
/// (LiteralUnroll.cpp), on a function just instantiated.
void unrollLiteralLoops(func::FuncOp func);

} // namespace mlir::py

#endif // NUMLIR_DIALECT_PY_TRANSFORMS_INFERENCER_H
