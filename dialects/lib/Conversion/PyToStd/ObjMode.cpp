// py-to-std for `with objmode(...)` blocks: a call of the runtime (src/python/objmode.rs),
// which boxes the arguments, runs the block under the GIL and unboxes its results.
//
// The arguments go as words in a stack buffer, with the text of their types (`;`-separated)
// so that the runtime knows how to box them; the results come back as words in a second
// buffer. An array result arrives as its shape: this function allocates a buffer of that
// shape and has the runtime copy the array into it, so compiled code owns every array it
// holds. See objmode.rs for the words of each type.
#include "FunctionLowering.h"

#include "mlir/Dialect/Complex/IR/Complex.h"

using namespace mlir;
using namespace mlir::py;

namespace mlir::py {

/// The words of an argument of py type `t` (its lowered `parts`).
LogicalResult FunctionLowering::objmodeArgWords(Location loc, Type t, ArrayRef<Value> parts, SmallVectorImpl<Value> &words) {
  if (auto tuple = tupleOf(t)) {
    for (Type e : tuple.getTypes()) {
      size_t n = loweredSize(e);
      if (failed(objmodeArgWords(loc, e, parts.take_front(n), words)))
        return failure();
      parts = parts.drop_front(n);
    }
    return success();
  }
  if (llvm::isa<NoneType>(t))
    return success();
  if (isAnyNumber(t)) {
    Value v = widen(loc, parts[0], t);
    auto bits = [&](Value f) { return arith::BitcastOp::create(b, loc, i64(), f).getResult(); };
    if (isComplex(v.getType())) {
      words.push_back(bits(complex::ReOp::create(b, loc, v)));
      words.push_back(bits(complex::ImOp::create(b, loc, v)));
      return success();
    }
    words.push_back(isFloat(v.getType()) ? bits(v) : toI64(loc, v));
    words.push_back(cInt(loc, 0, i64()));
    return success();
  }
  if (llvm::isa<MemRefType>(t)) {
    words.append(descriptorWords(loc, parts[0]));
    return success();
  }
  if (llvm::isa<StrType, ListType, DictType, SetType>(t)) {
    words.push_back(LLVM::PtrToIntOp::create(b, loc, i64(), parts[0]));
    return success();
  }
  return emitError(loc, "UnsupportedError: an objmode block cannot read a value of type ") << pyTypeName(t), failure();
}

/// The lowered parts of a result of py type `t`, read from the out words from `at` on.
void FunctionLowering::objmodeResults(Location loc, Type t, Value out, int64_t &at, SmallVectorImpl<Value> &parts) {
  auto load = [&]() {
    return memref::LoadOp::create(b, loc, out, ValueRange{arith::ConstantIndexOp::create(b, loc, at++)}).getResult();
  };
  if (auto tuple = tupleOf(t)) {
    for (Type e : tuple.getTypes())
      objmodeResults(loc, e, out, at, parts);
    return;
  }
  if (isAnyNumber(t)) {
    Value first = load(), second = load();
    auto asF64 = [&](Value w) { return arith::BitcastOp::create(b, loc, f64(), w).getResult(); };
    Type wide = pythonWide(t);
    Value v;
    if (isComplex(wide))
      v = complex::CreateOp::create(b, loc, wide, asF64(first), asF64(second));
    else if (isFloat(wide))
      v = asF64(first);
    else if (isBool(wide))
      v = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, first, cInt(loc, 0, i64()));
    else
      v = first;
    parts.push_back(narrow(loc, v, t));
    return;
  }
  if (llvm::isa<StrType>(t)) {
    parts.push_back(LLVM::IntToPtrOp::create(b, loc, ptrType(), load()));
    return;
  }
  auto array = llvm::cast<MemRefType>(t);
  // A buffer of the result's shape, which the runtime fills (numlir_objmode_fill).
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < array.getRank(); ++d)
    sizes.push_back(arith::IndexCastOp::create(b, loc, b.getIndexType(), load()));
  SmallVector<int64_t> shape(array.getRank(), ShapedType::kDynamic);
  SmallVector<Type> lowered;
  lowerType(t, lowered);
  auto storage = llvm::cast<MemRefType>(lowered[0]);
  Value buffer = memref::AllocOp::create(b, loc, MemRefType::get(shape, storage.getElementType()), sizes);
  Value data = arith::IndexCastOp::create(b, loc, i64(), memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer));
  callListRuntime(loc, "numlir_objmode_fill", ValueRange{data}, Type());
  parts.push_back(memref::CastOp::create(b, loc, storage, buffer));
}

LogicalResult FunctionLowering::lowerObjModeCall(ObjModeCallOp op) {
  Location loc = op.getLoc();
  SmallVector<Value> words;
  std::string types;
  for (Value arg : op.getArgs()) {
    if (failed(objmodeArgWords(loc, arg.getType(), values.lookup(arg), words)))
      return failure();
    llvm::raw_string_ostream(types) << arg.getType() << ";";
  }
  int64_t outWords = 0;
  std::function<void(Type)> count = [&](Type t) {
    if (auto tuple = tupleOf(t))
      return llvm::for_each(tuple.getTypes(), count), void();
    outWords += isAnyNumber(t) ? 2 : llvm::isa<MemRefType>(t) ? llvm::cast<MemRefType>(t).getRank() : 1;
  };
  count(op.getType());
  // Both buffers are stack slots of the function (made at its entry, as print's are).
  auto buffer = [&](int64_t n) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&fn.getBody().front());
    return memref::AllocaOp::create(b, loc, MemRefType::get({std::max<int64_t>(n, 1)}, i64())).getResult();
  };
  Value in = buffer(words.size()), out = buffer(outWords);
  for (auto [i, w] : llvm::enumerate(words))
    memref::StoreOp::create(b, loc, w, in, ValueRange{arith::ConstantIndexOp::create(b, loc, i)});
  auto address = [&](Value m) {
    return arith::IndexCastOp::create(b, loc, i64(), memref::ExtractAlignedPointerAsIndexOp::create(b, loc, m)).getResult();
  };
  Value ok = callListRuntime(loc, "numlir_objmode_call",
                             ValueRange{cInt(loc, op.getBlock(), i64()), address(in), textAddress(loc, types),
                                        cInt(loc, types.size(), i64()), address(out)},
                             i1());
  raiseRecordedIf(loc, arith::XOrIOp::create(b, loc, ok, cInt(loc, 1, i1())));
  SmallVector<Value> parts;
  int64_t at = 0;
  objmodeResults(loc, op.getType(), out, at, parts);
  mapValue(op.getResult(), parts);
  return success();
}

} // namespace mlir::py
