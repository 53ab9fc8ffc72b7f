// py-to-std for strings. A str is a pointer to a runtime block (src/runtime/strings.rs):
//
//   word 0  reference count (atomic)
//   word 1  the function that frees the block
//   word 2  the length in characters (read inline: len(), truth, index checks)
//   word 3  bytes a character: 1, 2 or 4 (PEP 393's kinds, the narrowest that fits)
//   word 4  the cached hash, 0 until computed
//   then the characters.
//
// A literal is made once, by the runtime, and never freed; a module global keeps its
// address. Everything but the length is a call of the runtime; a call that can raise returns null (or INT64_MIN) after recording the
// exception, and the function then returns the status of a site that raises it.
#include "FunctionLowering.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

#include <limits>

using namespace mlir;
using namespace mlir::py;

namespace {
enum StrField : int64_t { StrLength = 2 };
/// What an int-returning runtime function that raised returns (strings.rs's FAILED).
constexpr int64_t kFailed = std::numeric_limits<int64_t>::min();
/// The class of the raise site whose exception the runtime recorded (errors.rs's RECORDED).
constexpr const char *kRecorded = "<recorded>";
} // namespace

namespace mlir::py {

static bool isStr(Type t) { return llvm::isa<StrType>(t); }

/// The str block of the literal `text`: made once by the runtime (numlir_str_intern, a
/// process-wide table, so that containers may keep it after this code is unloaded), its
/// address kept in a module global that later evaluations load.
Value FunctionLowering::strConstant(Location loc, StringRef text) {
  ModuleOp module = old->getParentOfType<ModuleOp>();
  Value address = textAddress(loc, text);
  // The slot's name: the text global's, whose name is unique to the text.
  auto name = (llvm::Twine("numlir_strslot_") + llvm::Twine(llvm::hash_value(text))).str();
  std::string unique = name;
  LLVM::GlobalOp slot;
  for (int k = 0; !slot; ++k) {
    unique = k ? name + "_" + std::to_string(k) : name;
    slot = symbols.lookup<LLVM::GlobalOp>(unique);
    if (slot && slot->getAttrOfType<StringAttr>("numlir.text") != b.getStringAttr(text)) {
      slot = {};
      continue;
    }
    if (!slot) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(module.getBody());
      slot = LLVM::GlobalOp::create(b, loc, i64(), /*isConstant=*/false, LLVM::Linkage::Internal, unique,
                                    b.getI64IntegerAttr(0));
      slot->setAttr("numlir.text", b.getStringAttr(text));
      symbols.insert(slot);
    }
  }
  Value slotAddress = LLVM::AddressOfOp::create(b, loc, slot);
  Value known = LLVM::LoadOp::create(b, loc, i64(), slotAddress);
  Value missing = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, known, cInt(loc, 0, i64()));
  auto ifOp = scf::IfOp::create(b, loc, TypeRange{i64()}, missing, /*withElseRegion=*/true);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    Value made = callListRuntime(loc, "numlir_str_intern", ValueRange{address, cInt(loc, text.size(), i64())}, i64());
    LLVM::StoreOp::create(b, loc, made, slotAddress);
    scf::YieldOp::create(b, loc, made);
    b.setInsertionPointToStart(ifOp.elseBlock());
    scf::YieldOp::create(b, loc, known);
  }
  return LLVM::IntToPtrOp::create(b, loc, ptrType(), ifOp.getResult(0));
}

Value FunctionLowering::strLength(Location loc, Value s) { return listField(loc, s, StrLength, i64()); }

/// Raises the exception the runtime recorded when `failed` holds.
void FunctionLowering::raiseRecordedIf(Location loc, Value failed) { raiseIf(loc, failed, kRecorded, ""); }

/// A runtime call that returns a new str (or list) block, or null after recording an error.
Value FunctionLowering::callStrRuntime(Location loc, StringRef name, ValueRange args) {
  Value result = callListRuntime(loc, name, args, ptrType());
  Value null = LLVM::ZeroOp::create(b, loc, ptrType());
  raiseRecordedIf(loc, LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, result, null));
  return result;
}

/// `a == b` of two strings.
Value FunctionLowering::strEqual(Location loc, Value a, Value c) {
  Value eq = callListRuntime(loc, "numlir_str_eq", ValueRange{a, c}, i64());
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, eq, cInt(loc, 0, i64()));
}

/// `a < b` (and the other orders, by `predicate`) of two strings.
Value FunctionLowering::strCompare(Location loc, StringRef predicate, Value a, Value c) {
  if (predicate == "eq" || predicate == "ne") {
    Value eq = strEqual(loc, a, c);
    return predicate == "eq" ? eq : arith::XOrIOp::create(b, loc, eq, cInt(loc, 1, i1())).getResult();
  }
  Value order = callListRuntime(loc, "numlir_str_cmp", ValueRange{a, c}, i64());
  auto p = llvm::StringSwitch<arith::CmpIPredicate>(predicate)
               .Case("lt", arith::CmpIPredicate::slt)
               .Case("le", arith::CmpIPredicate::sle)
               .Case("gt", arith::CmpIPredicate::sgt)
               .Default(arith::CmpIPredicate::sge);
  return arith::CmpIOp::create(b, loc, p, order, cInt(loc, 0, i64()));
}

/// str(x), repr(x) and format(x, spec) of an int, float, bool or str (a new reference).
Value FunctionLowering::formatValue(Location loc, StringRef how, Value x, Value spec) {
  Type t = x.getType();
  Value v = one(x);
  Value null = LLVM::ZeroOp::create(b, loc, ptrType());
  if (how == "format") {
    // kind: 0 int, 1 float (its bits), 2 bool, 3 str
    int64_t kind = isStr(t) ? 3 : isBool(t) ? 2 : isFloat(t) ? 1 : 0;
    Value bits = isStr(t)     ? cInt(loc, 0, i64())
                 : isFloat(t) ? arith::BitcastOp::create(b, loc, i64(), v).getResult()
                              : toI64(loc, v);
    return callStrRuntime(loc, "numlir_str_format",
                          ValueRange{cInt(loc, kind, i64()), bits, isStr(t) ? v : null, spec ? one(spec) : null});
  }
  if (isStr(t)) {
    if (how == "repr")
      return callListRuntime(loc, "numlir_str_repr", ValueRange{v}, ptrType());
    changeRefcount(loc, t, v, /*increment=*/true); // str(s) is s
    return v;
  }
  if (isBool(t))
    return callListRuntime(loc, "numlir_str_from_bool", ValueRange{toI64(loc, v)}, ptrType());
  if (isFloat(t))
    return callListRuntime(loc, "numlir_str_from_float", ValueRange{v}, ptrType());
  return callListRuntime(loc, "numlir_str_from_int", ValueRange{v}, ptrType());
}

/// A str method of strMethod's table: its arguments in order (a missing str as null, a
/// missing int as INT64_MIN), then the method's selector.
Value FunctionLowering::lowerStrMethod(Location loc, const StrMethod &method, ArrayRef<Value> args) {
  SmallVector<Value> operands{one(args[0])};
  StringRef params = method.params;
  // A list argument given as another iterable of str (a range of them, reversed(l), a
  // dict's keys): a temporary list, dropped after the call.
  auto strList = ListType::get(b.getContext(), StrType::get(b.getContext()));
  SmallVector<Value> temporaries;
  for (size_t i = 0; i < params.size(); ++i) {
    bool given = i + 1 < args.size() && !llvm::isa<NoneType>(args[i + 1].getType());
    if (params[i] == 'i') {
      operands.push_back(given ? toI64(loc, one(args[i + 1])) : cInt(loc, kFailed, i64()));
    } else if (params[i] == 'L' && given && !llvm::isa<ListType>(args[i + 1].getType())) {
      Value list = newList(loc, strList.getElementType(), cInt(loc, 0, i64()));
      extendList(loc, list, strList.getElementType(), args[i + 1]);
      operands.push_back(list);
      temporaries.push_back(list);
    } else {
      operands.push_back(given ? one(args[i + 1]) : LLVM::ZeroOp::create(b, loc, ptrType()).getResult());
    }
  }
  if (method.selector >= 0)
    operands.push_back(cInt(loc, method.selector, i64()));
  if (method.result == 'S' || method.result == 'L') {
    Value result = callStrRuntime(loc, method.runtime, operands);
    for (Value list : temporaries)
      changeRefcount(loc, strList, list, /*increment=*/false);
    return result;
  }
  Value result = callListRuntime(loc, method.runtime, operands, i64());
  if (method.result == 'b')
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, result, cInt(loc, 0, i64()));
  raiseRecordedIf(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, result, cInt(loc, kFailed, i64())));
  return result;
}

FailureOr<bool> FunctionLowering::lowerStrOp(Operation &op) {
  Location loc = op.getLoc();
  if (auto c = llvm::dyn_cast<StrConstantOp>(op)) {
    mapValue(c, strConstant(loc, c.getValue()));
    return true;
  }
  if (auto bin = llvm::dyn_cast<BinOp>(op)) {
    if (!isStr(bin.getType()))
      return false;
    if (bin.getKind() == "add") {
      mapValue(bin, callListRuntime(loc, "numlir_str_concat", ValueRange{one(bin.getLhs()), one(bin.getRhs())}, ptrType()));
      return true;
    }
    bool strFirst = isStr(bin.getLhs().getType());
    Value s = one(strFirst ? bin.getLhs() : bin.getRhs()), n = toI64(loc, one(strFirst ? bin.getRhs() : bin.getLhs()));
    mapValue(bin, callListRuntime(loc, "numlir_str_repeat", ValueRange{s, n}, ptrType()));
    return true;
  }
  if (auto cmp = llvm::dyn_cast<CmpOp>(op)) {
    Type l = cmp.getLhs().getType(), r = cmp.getRhs().getType();
    if (!isStr(l) && !isStr(r))
      return false;
    if (!isStr(l) || !isStr(r)) // a str and a number: never equal
      mapValue(cmp, cInt(loc, cmp.getPredicate() == "ne", i1()));
    else
      mapValue(cmp, strCompare(loc, cmp.getPredicate(), one(cmp.getLhs()), one(cmp.getRhs())));
    return true;
  }
  if (auto get = llvm::dyn_cast<GetItemOp>(op)) {
    if (!isStr(get.getBase().getType()))
      return false;
    Value s = one(get.getBase());
    if (llvm::isa<SliceType>(get.getIndex().getType())) {
      mapValue(get, callSliceRuntime(loc, "numlir_str_slice", s, get.getIndex()));
      return true;
    }
    Value i = listIndex(loc, one(get.getIndex()), strLength(loc, s), "string index out of range");
    mapValue(get, callListRuntime(loc, "numlir_str_getitem", ValueRange{s, i}, ptrType()));
    return true;
  }
  if (auto truth = llvm::dyn_cast<TruthOp>(op)) {
    if (!isStr(truth.getOperand().getType()))
      return false;
    mapValue(truth, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, strLength(loc, one(truth.getOperand())),
                                          cInt(loc, 0, i64()))
                        .getResult());
    return true;
  }
  auto call = llvm::dyn_cast<CallBuiltinOp>(op);
  if (!call)
    return false;
  StringRef name = call.getCallee();
  SmallVector<Value> args(call.getArgs());
  bool anyStr = llvm::any_of(call.getArgs().getTypes(), isStr);
  if (name == "str.build") {
    Value pieces = wordBuffer(loc, args.size());
    for (auto [i, piece] : llvm::enumerate(args))
      LLVM::StoreOp::create(b, loc, one(piece), wordAddress(loc, pieces, cInt(loc, i, i64())));
    mapValue(call, callListRuntime(loc, "numlir_str_build", ValueRange{pieces, cInt(loc, args.size(), i64())}, ptrType()));
    return true;
  }
  if (name == "str" && args.empty()) {
    mapValue(call, strConstant(loc, ""));
    return true;
  }
  if ((name == "str" || name == "repr" || name == "format") && isStr(call.getType())) {
    mapValue(call, formatValue(loc, name, args[0], args.size() > 1 ? args[1] : Value()));
    return true;
  }
  if (name == "chr") {
    mapValue(call, callStrRuntime(loc, "numlir_str_chr", ValueRange{toI64(loc, one(args[0]))}));
    return true;
  }
  if (name == "ord") {
    Value c = callListRuntime(loc, "numlir_str_ord", ValueRange{one(args[0])}, i64());
    raiseRecordedIf(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, c, cInt(loc, kFailed, i64())));
    mapValue(call, c);
    return true;
  }
  if (!anyStr)
    return false;
  if (name == "len") {
    mapValue(call, strLength(loc, one(args[0])));
    return true;
  }
  if (name == "int" || name == "float") {
    Value out = wordBuffer(loc, 1);
    Value ok = callListRuntime(loc, name == "int" ? "numlir_str_to_int" : "numlir_str_to_float",
                               ValueRange{one(args[0]), out}, i64());
    raiseRecordedIf(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, ok, cInt(loc, 0, i64())));
    mapValue(call, LLVM::LoadOp::create(b, loc, name == "int" ? i64() : f64(), out).getResult());
    return true;
  }
  if (name == "contains" && isStr(args[0].getType())) {
    Value found = callListRuntime(loc, "numlir_str_contains", ValueRange{one(args[0]), one(args[1])}, i64());
    mapValue(call, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, found, cInt(loc, 0, i64())).getResult());
    return true;
  }
  if (name.consume_front("str.")) {
    const StrMethod *method = strMethod(name);
    if (!method)
      return op.emitError("UnsupportedError: str.") << name << "() is not supported", failure();
    mapValue(call, lowerStrMethod(loc, *method, args));
    return true;
  }
  return false;
}

} // namespace mlir::py
