// py-to-std for print(): the items to print go into a stack array of three words each,
// and one call of the runtime's numlir_print (src/runtime/print.rs) builds the Python
// objects and calls Python's own print with them, so values are formatted as CPython
// formats them and the output goes through sys.stdout, in order with the interpreter's.
//
// An item is three words, [kind, a, b]; the first two items are `sep` and `end`:
//   text (kind 0): a = the address of its UTF-8 bytes (a constant global), b = their length;
//   int (1): a = the int64;  float (2): a = the float64's bits;  bool (3): a = 0 or 1;
//   complex (4): a, b = the parts' bits;  tuple (5): a = the element count, elements follow;
//   None (6);  one of NumPy's other scalar types (7): a, b = its dtype's name as a text, then
//   an item of its value widened (an int as int64, a float32 as float64 bits, a complex64's
//   parts as float64 bits);  an array (8): a, b = its dtype's name as a text, then an item
//   whose first word is the rank, then the memref descriptor's 3 + 2 * rank words, padded to
//   whole items;  a list, dict or set (9): a, b = its py type's MLIR spelling as a text, then
//   an item whose first word is the pointer to its block.
#include "FunctionLowering.h"

#include "mlir/Dialect/Complex/IR/Complex.h"

#include <variant>

using namespace mlir;
using namespace mlir::py;

namespace {
enum PrintKind : int64_t {
  Text = 0, Int = 1, Float = 2, Bool = 3, Complex = 4, Tuple = 5, None = 6, NumpyScalar = 7, Array = 8, Container = 9
};
} // namespace

namespace mlir::py {

/// The module's internal global of `value` (of LLVM type `type`): one per distinct value,
/// named `prefix` and `hash`, a second value of the same hash taking a suffix.
LLVM::GlobalOp FunctionLowering::uniqueGlobal(Location loc, StringRef prefix, llvm::hash_code hash, Type type,
                                              Attribute value, bool constant, uint64_t alignment) {
  std::string base = prefix.str() + std::to_string(static_cast<size_t>(hash));
  for (int k = 0;; ++k) {
    std::string name = k ? base + "_" + std::to_string(k) : base;
    auto global = symbols.lookup<LLVM::GlobalOp>(name);
    if (global && global.getValueAttr() == value)
      return global;
    if (global)
      continue;
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(old->getParentOfType<ModuleOp>().getBody());
    global = LLVM::GlobalOp::create(b, loc, type, constant, LLVM::Linkage::Internal, name, value, alignment);
    symbols.insert(global);
    return global;
  }
}

/// The address, as an int64, of a constant global holding `text`'s bytes (one per text;
/// its name is the text's hash, and a second text of the same hash takes a suffix).
Value FunctionLowering::textAddress(Location loc, StringRef text) {
  std::string bytes = text.empty() ? std::string(1, '\0') : text.str();
  auto type = LLVM::LLVMArrayType::get(b.getI8Type(), bytes.size());
  LLVM::GlobalOp global =
      uniqueGlobal(loc, "numlir_text_", llvm::hash_value(text), type, b.getStringAttr(bytes), /*constant=*/true, 0);
  Value address = LLVM::AddressOfOp::create(b, loc, global);
  return LLVM::PtrToIntOp::create(b, loc, i64(), address);
}

/// A memref's descriptor as i64 words, as the runtime's box_array reads it: the aligned
/// pointer (twice: compiled code's own allocation is not handed over), the offset, the
/// sizes and the strides.
SmallVector<Value> FunctionLowering::descriptorWords(Location loc, Value memref) {
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, memref);
  auto asI64 = [&](Value index) { return arith::IndexCastOp::create(b, loc, i64(), index).getResult(); };
  Value aligned = asI64(memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref));
  SmallVector<Value> descriptor{aligned, aligned, asI64(meta.getOffset())};
  for (Value size : meta.getSizes())
    descriptor.push_back(asI64(size));
  for (Value stride : meta.getStrides())
    descriptor.push_back(asI64(stride));
  return descriptor;
}

/// Appends the items of a value of py type `t` (its lowered parts in `parts`) to `words`.
void FunctionLowering::printItems(Location loc, Type t, ArrayRef<Value> parts, SmallVectorImpl<Value> &words) {
  auto item = [&](std::variant<int64_t, Value> first, Value a = {}, Value c = {}) {
    words.push_back(std::holds_alternative<Value>(first) ? std::get<Value>(first)
                                                         : cInt(loc, std::get<int64_t>(first), i64()));
    words.push_back(a ? a : cInt(loc, 0, i64()));
    words.push_back(c ? c : cInt(loc, 0, i64()));
  };
  auto bits = [&](Value f) { return arith::BitcastOp::create(b, loc, i64(), f).getResult(); };
  if (auto tuple = tupleOf(t)) {
    item(Tuple, cInt(loc, tuple.size(), i64()));
    for (Type e : tuple.getTypes()) {
      size_t n = loweredSize(e);
      printItems(loc, e, parts.take_front(n), words);
      parts = parts.drop_front(n);
    }
    return;
  }
  if (llvm::isa<NoneType>(t))
    return item(None);
  Value v = parts[0];
  if (llvm::isa<ListType, DictType, SetType, StrType>(t)) {
    std::string spelling;
    llvm::raw_string_ostream(spelling) << t;
    item(Container, textAddress(loc, spelling), cInt(loc, spelling.size(), i64()));
    return item(LLVM::PtrToIntOp::create(b, loc, i64(), v).getResult());
  }
  if (auto array = llvm::dyn_cast<MemRefType>(t)) {
    // The dtype's name and the rank, then the memref descriptor's words (allocated and
    // aligned pointers, offset, sizes, strides), three to an item.
    std::string dtype = dtypeName(array.getElementType());
    item(Array, textAddress(loc, dtype), cInt(loc, dtype.size(), i64()));
    SmallVector<Value> descriptor = descriptorWords(loc, v);
    item(array.getRank());
    while (descriptor.size() % 3)
      descriptor.push_back(cInt(loc, 0, i64()));
    llvm::append_range(words, descriptor);
    return;
  }
  if (isBool(t))
    return item(Bool, arith::ExtUIOp::create(b, loc, i64(), v));
  if (isPythonScalar(t)) {
    if (isComplex(t))
      return item(Complex, bits(complex::ReOp::create(b, loc, v)), bits(complex::ImOp::create(b, loc, v)));
    return isFloat(t) ? item(Float, bits(v)) : item(Int, v);
  }
  // One of NumPy's other scalar types: its dtype's name, then its value widened (ints to
  // int64, a float32 to float64 bits, a complex64's parts to float64 bits).
  std::string dtype = dtypeName(t);
  item(NumpyScalar, textAddress(loc, dtype), cInt(loc, dtype.size(), i64()));
  if (isComplex(t)) {
    Value z = convertElement(b, loc, v, t, ComplexType::get(f64()));
    return item(bits(complex::ReOp::create(b, loc, z)), bits(complex::ImOp::create(b, loc, z)));
  }
  item(isFloat(t) ? bits(convertElement(b, loc, v, t, f64())) : convertElement(b, loc, v, t, i64()));
}

/// print(*values, sep=, end=): one call of numlir_print with the items in a stack array.
LogicalResult FunctionLowering::lowerPrint(CallBuiltinOp op) {
  Location loc = op.getLoc();
  SmallVector<Value> words, temporaries;
  auto text = [&](StringRef s) {
    words.push_back(cInt(loc, Text, i64()));
    words.push_back(textAddress(loc, s));
    words.push_back(cInt(loc, s.size(), i64()));
  };
  text(op->getAttrOfType<StringAttr>("py.print_sep").getValue());
  text(op->getAttrOfType<StringAttr>("py.print_end").getValue());
  for (Attribute piece : op->getAttrOfType<ArrayAttr>("py.print_pieces")) {
    if (auto s = llvm::dyn_cast<StringAttr>(piece)) {
      text(s.getValue());
      continue;
    }
    Value arg = op.getArgs()[llvm::cast<IntegerAttr>(piece).getInt()];
    if (llvm::isa<ExceptionType>(arg.getType())) {
      // print(e): its message, a str made for the print and dropped after it.
      Value message = exceptionText(loc, one(arg), /*repr=*/false);
      temporaries.push_back(message);
      printItems(loc, StrType::get(b.getContext()), message, words);
      continue;
    }
    printItems(loc, arg.getType(), values.lookup(arg), words);
  }
  OpBuilder::InsertPoint here = b.saveInsertionPoint();
  b.setInsertionPointToStart(&fn.getBody().front());
  auto type = MemRefType::get({static_cast<int64_t>(words.size())}, i64());
  Value items = memref::AllocaOp::create(b, loc, type);
  b.restoreInsertionPoint(here);
  for (auto [i, w] : llvm::enumerate(words))
    memref::StoreOp::create(b, loc, w, items, ValueRange{arith::ConstantIndexOp::create(b, loc, i)});
  Value address = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, items);
  Value pointer = arith::IndexCastOp::create(b, loc, i64(), address);
  ValueRange printArgs{pointer, cInt(loc, words.size() / 3, i64())};
  if (cudaKernel) {
    // In a kernel: also the printf form a GPU prints with (numlir-cuda-to-gpu makes the call
    // vprintf's); the simulator prints the items as CPython does, as numba's simulator.
    FailureOr<std::pair<Value, Value>> printf = kernelPrintf(op);
    if (failed(printf))
      return failure();
    callExternal(b, loc, symbols, "numlir_cuda_print", ValueRange{printArgs[0], printArgs[1], printf->first, printf->second},
                 TypeRange{});
  } else {
    callExternal(b, loc, symbols, "numlir_print", printArgs, TypeRange{});
  }
  for (Value t : temporaries)
    changeRefcount(loc, StrType::get(b.getContext()), t, /*increment=*/false);
  return success();
}

/// A kernel's print() as printf's format (the address of its text) and the address of its
/// arguments, 8 bytes each, as CUDA's vprintf reads them: string literals go into the
/// format, ints are %lld (%llu unsigned), floats %f of their float64 value (numba-cuda's
/// formats), bools and None their names.
FailureOr<std::pair<Value, Value>> FunctionLowering::kernelPrintf(CallBuiltinOp op) {
  Location loc = op.getLoc();
  std::string format;
  SmallVector<Value> args;
  auto literal = [&](StringRef text) {
    for (char c : text)
      format += c == '%' ? std::string("%%") : std::string(1, c);
  };
  StringRef sep = op->getAttrOfType<StringAttr>("py.print_sep").getValue();
  bool first = true;
  for (Attribute piece : op->getAttrOfType<ArrayAttr>("py.print_pieces")) {
    if (!first)
      literal(sep);
    first = false;
    if (auto s = llvm::dyn_cast<StringAttr>(piece)) {
      literal(s.getValue());
      continue;
    }
    Value arg = op.getArgs()[llvm::cast<IntegerAttr>(piece).getInt()];
    Type t = arg.getType();
    if (auto text = arg.getDefiningOp<StrConstantOp>()) {
      literal(text.getValue());
    } else if (llvm::isa<NoneType>(t)) {
      literal("None");
    } else if (isBool(t)) {
      format += "%s";
      // C strings: NUL-terminated.
      Value name = arith::SelectOp::create(b, loc, one(arg), textAddress(loc, StringRef("True", 5)),
                                           textAddress(loc, StringRef("False", 6)));
      args.push_back(name);
    } else if (isFloat(t)) {
      format += "%f";
      args.push_back(arith::BitcastOp::create(b, loc, i64(), convertElement(b, loc, one(arg), t, f64())));
    } else if (isAnyNumber(t) && !isComplex(t)) {
      format += t.isUnsignedInteger() ? "%llu" : "%lld";
      Value v = one(arg);
      if (!t.isUnsignedInteger())
        v = convertElement(b, loc, v, t, i64());
      else if (t.getIntOrFloatBitWidth() < 64)
        v = arith::ExtUIOp::create(b, loc, i64(), v);
      args.push_back(v);
    } else {
      return emitError(loc) << "UnsupportedError: print() in a kernel prints ints, floats, bools and string "
                               "literals, not "
                            << pyTypeName(t);
    }
  }
  literal(op->getAttrOfType<StringAttr>("py.print_end").getValue());
  format.push_back('\0');
  Value formatAddress = textAddress(loc, format);
  if (args.empty())
    args.push_back(cInt(loc, 0, i64())); // vprintf takes an address even with no arguments
  OpBuilder::InsertPoint here = b.saveInsertionPoint();
  b.setInsertionPointToStart(&fn.getBody().front());
  Value buffer = memref::AllocaOp::create(b, loc, MemRefType::get({static_cast<int64_t>(args.size())}, i64()));
  b.restoreInsertionPoint(here);
  for (auto [i, v] : llvm::enumerate(args))
    memref::StoreOp::create(b, loc, v, buffer, ValueRange{arith::ConstantIndexOp::create(b, loc, i)});
  Value address = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer);
  return std::make_pair(formatAddress, arith::IndexCastOp::create(b, loc, i64(), address).getResult());
}

} // namespace mlir::py
