// py-infer-types' rules for strings: literals, operators, indexing, the builtins that take
// or make a str (len, str, repr, int, float, ord, chr, format and f-strings), and the str
// methods of strMethod's table. A method call reaches here as "ndarray.<name>" (the
// frontend does not know the receiver's type) and leaves as "str.<name>".
#include "Inferencer.h"

using namespace mlir;
using namespace mlir::py;

namespace mlir::py {

static bool isStr(Type t) { return llvm::isa<StrType>(t); }

/// What str(), repr() and format() take: Python's numbers, bools and strings.
static bool isFormattable(Type t) { return isStr(t) || isBool(t) || (t.isInteger(64) && t.isSignlessInteger()) || t.isF64(); }

/// str.split(sep=None, maxsplit=-1) with keywords: the arguments in their positions, None
/// and -1 where one is not given (other methods take none by keyword).
static bool splitByPosition(CallBuiltinOp call) {
  ArrayAttr kw = call.getKwnamesAttr();
  if (!kw || kw.empty())
    return true;
  SmallVector<Value> args(call.getArgs());
  size_t positional = args.size() - kw.size();
  SmallVector<Value> placed(args.begin(), args.begin() + positional);
  placed.resize(3);
  for (size_t i = 0; i < kw.size(); ++i) {
    StringRef name = llvm::cast<StringAttr>(kw[i]).getValue();
    size_t at = name == "sep" ? 1 : name == "maxsplit" ? 2 : 0;
    if (!at || placed[at])
      return false;
    placed[at] = args[positional + i];
  }
  OpBuilder b(call);
  Location loc = call.getLoc();
  if (!placed[1])
    placed[1] = NoneOp::create(b, loc, NoneType::get(b.getContext()));
  if (!placed[2])
    placed[2] = ConstantOp::create(b, loc, b.getI64Type(), b.getI64IntegerAttr(-1));
  call->setOperands(placed);
  call.removeKwnamesAttr();
  return true;
}

std::optional<Type> Inferencer::inferStrOp(Operation *op) {
  MLIRContext *ctx = op->getContext();
  Type i64 = IntegerType::get(ctx, 64), i1 = IntegerType::get(ctx, 1), f64 = Float64Type::get(ctx);
  Type str = StrType::get(ctx);

  if (llvm::isa<StrConstantOp>(op))
    return str;

  if (auto bin = llvm::dyn_cast<BinOp>(op)) {
    Type l = bin.getLhs().getType(), r = bin.getRhs().getType();
    if (!isStr(l) && !isStr(r))
      return std::nullopt;
    StringRef k = bin.getKind();
    if ((k == "add" && isStr(l) && isStr(r)) || (k == "mul" && (isStr(l) ? isIntLike(r) : isIntLike(l))))
      return str;
    typingError(op) << "unsupported operand types for " << binopSymbol(k) << ": '" << pyTypeName(l) << "' and '"
                    << pyTypeName(r) << "'"
                    << (k == "add" ? "; use str(x) or an f-string to make a str of a number" : "");
    return Type();
  }

  if (auto cmp = llvm::dyn_cast<CmpOp>(op)) {
    Type l = cmp.getLhs().getType(), r = cmp.getRhs().getType();
    if (!isStr(l) && !isStr(r))
      return std::nullopt;
    StringRef p = cmp.getPredicate();
    if ((isStr(l) && isStr(r)) || p == "eq" || p == "ne")
      return i1; // a str is never equal to a number
    typingError(op) << "'" << (p == "lt" ? "<" : p == "le" ? "<=" : p == "gt" ? ">" : ">=")
                    << "' is not supported between '" << pyTypeName(l) << "' and '" << pyTypeName(r) << "'";
    return Type();
  }

  if (auto get = llvm::dyn_cast<GetItemOp>(op)) {
    if (!isStr(get.getBase().getType()))
      return std::nullopt;
    Type index = get.getIndex().getType();
    if (isIntLike(index) || llvm::isa<SliceType>(index))
      return str;
    typingError(op) << "string indices must be integers or slices, not " << pyTypeName(index);
    return Type();
  }

  if (auto set = llvm::dyn_cast<SetItemOp>(op)) {
    if (!isStr(set.getBase().getType()))
      return std::nullopt;
    typingError(op) << "'str' object does not support item assignment";
    return Type();
  }

  if (auto truth = llvm::dyn_cast<TruthOp>(op))
    return isStr(truth.getOperand().getType()) ? std::optional<Type>(i1) : std::nullopt;

  // `not x` of a str or a container: not of its truth value.
  if (auto un = llvm::dyn_cast<UnOp>(op)) {
    Type t = un.getOperand().getType();
    if (un.getKind() != "not" || !llvm::isa<StrType, ListType, DictType, SetType, OptionalType, NoneType>(t))
      return std::nullopt;
    OpBuilder b(op);
    un->setOperand(0, TruthOp::create(b, op->getLoc(), i1, un.getOperand()));
    return i1;
  }

  auto call = llvm::dyn_cast<CallBuiltinOp>(op);
  if (!call)
    return std::nullopt;
  StringRef name = call.getCallee();
  SmallVector<Type> args(call.getArgs().getTypes());
  bool anyStr = llvm::any_of(args, isStr);
  size_t keywords = call.getKwnames() ? call.getKwnames()->size() : 0;

  if (name == "str.build") // the pieces of an f-string, each already a str
    return str;
  if ((name == "str" || name == "repr" || name == "format") && args.size() == 1 && !keywords &&
      llvm::isa<ExceptionType>(args[0]))
    return str; // `except E as e`: its message
  if (name == "str" || name == "repr" || name == "format") {
    size_t most = name == "format" ? 2 : 1;
    if (args.size() > most || (name != "str" && args.empty()) || keywords ||
        (!args.empty() && !isFormattable(args[0])) || (args.size() == 2 && !isStr(args[1]))) {
      typingError(op) << name << "() of "
                      << (args.empty() ? std::string("these arguments") : "a '" + pyTypeName(args[0]) + "'")
                      << " is not supported; numlir formats int, float, bool and str values";
      return Type();
    }
    return str;
  }
  if (name == "chr") {
    if (args.size() == 1 && isIntLike(args[0]))
      return str;
    typingError(op) << "chr() takes one int";
    return Type();
  }
  if (name == "ord") {
    if (args.size() == 1 && isStr(args[0]))
      return i64;
    typingError(op) << "ord() takes one str";
    return Type();
  }
  if (!anyStr)
    return std::nullopt;
  if (name == "len" && args.size() == 1)
    return i64;
  if ((name == "int" || name == "float") && args.size() == 1)
    return name == "int" ? i64 : f64;
  if (name == "contains") { // `item in s`: args are (s, item)
    if (isStr(args[0]) && isStr(args[1]))
      return i1;
    if (isStr(args[0])) {
      typingError(op) << "'in <string>' requires string as left operand, not " << pyTypeName(args[1]);
      return Type();
    }
    return std::nullopt; // a str in a list, tuple, dict or set: their rules
  }
  if (name.starts_with("ndarray.") && isStr(args[0])) {
    call.setCalleeAttr(StringAttr::get(ctx, "str." + name.drop_front(strlen("ndarray.")).str()));
    name = call.getCallee();
  }
  if (!name.consume_front("str.") || !isStr(args[0]))
    return std::nullopt;
  const StrMethod *method = strMethod(name);
  if (!method) {
    op->emitError("UnsupportedError: str.") << name << "() is not supported in compiled code";
    hadError = true;
    return Type();
  }
  if ((name == "split" || name == "rsplit") && !splitByPosition(call)) {
    typingError(op) << "str." << name << "() takes the keywords sep and maxsplit";
    return Type();
  }
  if (keywords && name != "split" && name != "rsplit") {
    typingError(op) << "str." << name << "() takes no keyword arguments; pass them by position";
    return Type();
  }
  args.assign(call.getArgs().getTypes().begin(), call.getArgs().getTypes().end());
  StringRef params = method->params;
  size_t given = args.size() - 1;
  if (given < method->required || given > params.size()) {
    typingError(op) << "str." << name << "() takes " << method->required
                    << (params.size() > method->required ? " to " + std::to_string(params.size()) : std::string())
                    << " arguments but " << given << " were given";
    return Type();
  }
  for (size_t i = 0; i < given; ++i) {
    Type t = args[i + 1];
    auto list = llvm::dyn_cast<ListType>(t);
    bool ok = params[i] == 'S'   ? isStr(t)
              : params[i] == 's' ? isStr(t) || llvm::isa<NoneType>(t)
              : params[i] == 'i' ? isIntLike(t)
                                 : list ? isStr(list.getElementType()) || isUnknown(list.getElementType())
                                        : iteratorOf(t) && isStr(iteratorValue(iteratorOf(t))); // made a list
    if (!ok) {
      const char *want = params[i] == 'i' ? "an int" : params[i] == 'L' ? "an iterable of str" : "a str";
      typingError(op) << "str." << name << "() takes " << want << " as argument " << i + 1 << ", not "
                      << pyTypeName(t);
      return Type();
    }
  }
  switch (method->result) {
  case 'S':
    return str;
  case 'i':
    return i64;
  case 'b':
    return i1;
  default:
    return Type(ListType::get(ctx, str));
  }
}

} // namespace mlir::py
