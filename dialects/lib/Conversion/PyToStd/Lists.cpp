// py-to-std for lists: `[...]`, list(), indexing, methods, builtins over lists, and the
// reference counts py-insert-refcounts made explicit.
//
// A list is a pointer to a block of the runtime (src/runtime/lists.rs), seven words:
//   [0] the reference count (atomic)   [1] the function that frees the block
//   [2] the length   [3] the capacity   [4] the items   [5] the words per item
//   [6] null, or a table [n, word...] of the item words that hold counted pointers
//   [7] whether the list changed (a Python list passed in is written back only then).
// An item is its lowered parts one word each (a complex takes two): ints widened to int64,
// float32 as float64, pointers as they are. An array takes its descriptor's words, the first
// a counted pointer to what owns its memory (src/runtime/buffers.rs): storing an array takes
// a reference (numlir_array_share), dropping the item releases it, and reading one gives a
// view that the list keeps alive (allocated pointer: the owner's address + kOwnerHeaderBytes).
// The hot operations (len, indexing, iteration, append with room) are inline loads and
// stores; moving many items is the runtime's.
#include "FunctionLowering.h"

#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::py;

namespace {
enum ListField : int64_t { RefCount = 0, Length = 2, Capacity = 3, Items = 4, Dirty = 7 };
/// The counted header before an array buffer's memory (`HEADER` in src/runtime/buffers.rs).
constexpr int32_t kOwnerHeaderBytes = 16;
} // namespace

namespace mlir::py {

Type FunctionLowering::ptrType() { return LLVM::LLVMPointerType::get(b.getContext()); }

int64_t mlir::py::itemWords(Type element) {
  SmallVector<Type> parts;
  lowerType(element, parts);
  int64_t n = 0;
  for (Type t : parts)
    n += llvm::isa<ComplexType>(t) ? 2 : llvm::isa<MemRefType>(t) ? 3 + 2 * llvm::cast<MemRefType>(t).getRank() : 1;
  return n;
}

/// The item words of `element` that hold counted pointers (lists).
static void countedWords(Type element, int64_t &word, SmallVectorImpl<int64_t> &out) {
  if (auto tuple = tupleOf(element)) {
    for (Type e : tuple.getTypes())
      countedWords(e, word, out);
    return;
  }
  if (llvm::isa<ListType, DictType, SetType, StrType, GeneratorType, MemRefType>(element))
    out.push_back(word); // an array's first word is its owner
  word += itemWords(element);
}

Value FunctionLowering::wordAddress(Location loc, Value base, Value index) {
  return LLVM::GEPOp::create(b, loc, ptrType(), i64(), base, ValueRange{index});
}

Value FunctionLowering::listField(Location loc, Value list, int64_t field, Type type) {
  Value address = wordAddress(loc, list, cInt(loc, field, i64()));
  return LLVM::LoadOp::create(b, loc, type, address);
}

void FunctionLowering::setListField(Location loc, Value list, int64_t field, Value v) {
  LLVM::StoreOp::create(b, loc, v, wordAddress(loc, list, cInt(loc, field, i64())));
}

Value FunctionLowering::listLength(Location loc, Value list) { return listField(loc, list, Length, i64()); }

/// The parts of item `i` (its words from `items`); no reference is taken.
SmallVector<Value> FunctionLowering::loadItem(Location loc, Value items, Value i, Type element) {
  SmallVector<Type> parts;
  lowerType(element, parts);
  Value first = arith::MulIOp::create(b, loc, i, cInt(loc, itemWords(element), i64()));
  int64_t word = 0;
  auto load = [&](Type t) -> Value {
    Value address = wordAddress(loc, items, arith::AddIOp::create(b, loc, first, cInt(loc, word++, i64())));
    return LLVM::LoadOp::create(b, loc, t, address);
  };
  auto fromWord = [&](Type t) -> Value {
    if (llvm::isa<LLVM::LLVMPointerType>(t))
      return load(t);
    Value w = load(i64());
    if (t.isF64())
      return arith::BitcastOp::create(b, loc, t, w);
    if (t.isF32())
      return arith::TruncFOp::create(b, loc, t, arith::BitcastOp::create(b, loc, f64(), w));
    if (t.isInteger(64))
      return w;
    return arith::TruncIOp::create(b, loc, t, w);
  };
  SmallVector<Value> out;
  for (Type t : parts) {
    if (auto c = llvm::dyn_cast<ComplexType>(t)) {
      Value re = fromWord(c.getElementType()), im = fromWord(c.getElementType());
      out.push_back(complex::CreateOp::create(b, loc, c, re, im));
    } else if (auto array = llvm::dyn_cast<MemRefType>(t)) {
      // A view the list keeps alive; its allocated pointer is never freed (not owned).
      auto desc = descriptorStruct(array);
      Value owner = load(ptrType());
      Value allocated =
          LLVM::GEPOp::create(b, loc, ptrType(), b.getI8Type(), owner, ArrayRef<LLVM::GEPArg>{kOwnerHeaderBytes});
      Value d = LLVM::UndefOp::create(b, loc, desc);
      d = LLVM::InsertValueOp::create(b, loc, d, allocated, ArrayRef<int64_t>{0});
      d = LLVM::InsertValueOp::create(b, loc, d, load(ptrType()), ArrayRef<int64_t>{1});
      d = LLVM::InsertValueOp::create(b, loc, d, load(i64()), ArrayRef<int64_t>{2});
      for (int64_t field : {3, 4})
        for (int64_t k = 0; k < array.getRank(); ++k)
          d = LLVM::InsertValueOp::create(b, loc, d, load(i64()), ArrayRef<int64_t>{field, k});
      out.push_back(UnrealizedConversionCastOp::create(b, loc, TypeRange{array}, ValueRange{d}).getResult(0));
    } else {
      out.push_back(fromWord(t));
    }
  }
  return out;
}

/// Stores the parts of a value of py type `element` as item `i`; no reference is taken but
/// an array's (see the top of this file).
void FunctionLowering::storeItem(Location loc, Value items, Value i, Type element, ArrayRef<Value> parts) {
  SmallVector<Type> partTypes;
  lowerType(element, partTypes);
  Value first = arith::MulIOp::create(b, loc, i, cInt(loc, itemWords(element), i64()));
  int64_t word = 0;
  auto store = [&](Value v) {
    Value address = wordAddress(loc, items, arith::AddIOp::create(b, loc, first, cInt(loc, word++, i64())));
    LLVM::StoreOp::create(b, loc, v, address);
  };
  auto toWord = [&](Value v) {
    Type t = v.getType();
    if (llvm::isa<LLVM::LLVMPointerType>(t) || t.isInteger(64))
      return store(v);
    if (t.isF32())
      v = arith::ExtFOp::create(b, loc, f64(), v);
    if (v.getType().isF64())
      return store(arith::BitcastOp::create(b, loc, i64(), v));
    // bool and unsigned ints zero-extend, signed ones sign-extend (uint64 is already i64).
    if (t.isInteger(1) || t.isUnsignedInteger())
      return store(arith::ExtUIOp::create(b, loc, i64(), v));
    store(arith::ExtSIOp::create(b, loc, i64(), v));
  };
  for (auto [v, t] : llvm::zip(parts, partTypes)) {
    if (llvm::isa<ComplexType>(t)) {
      toWord(complex::ReOp::create(b, loc, v));
      toWord(complex::ImOp::create(b, loc, v));
    } else if (auto array = llvm::dyn_cast<MemRefType>(t)) {
      // The item's reference to what owns the array's memory, then the descriptor.
      auto desc = descriptorStruct(array);
      Value d = UnrealizedConversionCastOp::create(b, loc, TypeRange{desc}, ValueRange{convertScalar(loc, v, array)})
                    .getResult(0);
      Value allocated = LLVM::PtrToIntOp::create(b, loc, i64(), LLVM::ExtractValueOp::create(b, loc, d, ArrayRef<int64_t>{0}));
      auto share = declaredFunction("numlir_array_share", b.getFunctionType({i64()}, {ptrType()}));
      toWord(func::CallOp::create(b, loc, share, ValueRange{allocated}).getResult(0));
      toWord(LLVM::ExtractValueOp::create(b, loc, d, ArrayRef<int64_t>{1}));
      toWord(LLVM::ExtractValueOp::create(b, loc, d, ArrayRef<int64_t>{2}));
      for (int64_t field : {3, 4})
        for (int64_t k = 0; k < array.getRank(); ++k)
          toWord(LLVM::ExtractValueOp::create(b, loc, d, ArrayRef<int64_t>{field, k}));
    } else {
      toWord(v);
    }
  }
}

/// py.incref / py.decref of a value of py type `t`: each counted pointer in it.
void FunctionLowering::changeRefcount(Location loc, Type t, ArrayRef<Value> parts, bool increment) {
  if (auto tuple = tupleOf(t)) {
    for (Type e : tuple.getTypes()) {
      size_t n = loweredSize(e);
      changeRefcount(loc, e, parts.take_front(n), increment);
      parts = parts.drop_front(n);
    }
    return;
  }
  if (auto iter = llvm::dyn_cast<IterType>(t))
    return changeRefcount(loc, iter.getState(), parts, increment);
  if (auto opt = llvm::dyn_cast<OptionalType>(t)) // a None's parts are null: skipped below
    return changeRefcount(loc, opt.getValueType(), parts.drop_front(), increment);
  if (auto ref = llvm::dyn_cast<FunctionRefType>(t)) // a closure's captured values
    return ref.getCaptures() ? changeRefcount(loc, ref.getCaptures(), parts, increment) : void();
  if (!llvm::isa<ListType, DictType, SetType, StrType, GeneratorType>(t))
    return;
  // Null where a variable is not assigned on every path (py.undef).
  Value null = LLVM::ZeroOp::create(b, loc, ptrType());
  Value assigned = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::ne, parts[0], null);
  scf::IfOp::create(b, loc, assigned, [&](OpBuilder &nb, Location nl) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(scf::YieldOp::create(nb, nl));
    changeBlockCount(nl, parts[0], increment);
  });
}

/// Adds one to the count of the counted block `block`, or drops one (the last frees it).
void FunctionLowering::changeBlockCount(Location loc, Value block, bool increment) {
  Value count = LLVM::GEPOp::create(b, loc, ptrType(), i64(), block, ValueRange{cInt(loc, RefCount, i64())});
  Value one = cInt(loc, 1, i64());
  if (increment) {
    LLVM::AtomicRMWOp::create(b, loc, LLVM::AtomicBinOp::add, count, one, LLVM::AtomicOrdering::monotonic);
    return;
  }
  Value before = LLVM::AtomicRMWOp::create(b, loc, LLVM::AtomicBinOp::sub, count, one, LLVM::AtomicOrdering::acq_rel);
  Value last = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, before, one);
  auto release = declaredFunction("numlir_release", b.getFunctionType({ptrType()}, {}));
  scf::IfOp::create(b, loc, last, [&](OpBuilder &ib, Location il) {
    func::CallOp::create(ib, il, release, ValueRange{block});
    scf::YieldOp::create(ib, il);
  });
}

/// Drops the references to array owners in the words at `buffer` of a value of py type
/// `t`: those a dict call took for the words it copied in or out (their arrays are views
/// that the dict keeps alive). Only where `when` holds, if given (a key that was found).
void FunctionLowering::dropWordArrays(Location loc, Value buffer, Type t, Value when) {
  SmallVector<Type> parts;
  lowerType(t, parts);
  if (llvm::none_of(parts, [](Type p) { return llvm::isa<MemRefType>(p); }))
    return;
  if (!when) {
    dropItemArrays(loc, t, loadItem(loc, buffer, cInt(loc, 0, i64()), t));
    return;
  }
  scf::IfOp::create(b, loc, when, [&](OpBuilder &nb, Location nl) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(scf::YieldOp::create(nb, nl));
    dropWordArrays(nl, buffer, t);
  });
}

/// Drops every reference an item of py type `element` (read by loadItem, parts `parts`)
/// held, as it leaves its container: counted blocks and array owners.
void FunctionLowering::releaseItem(Location loc, Type element, ArrayRef<Value> parts) {
  changeRefcount(loc, element, parts, /*increment=*/false);
  dropItemArrays(loc, element, parts);
}

/// The truth of an item of py type `element` (a number, or a list: not empty), as any()
/// and all() test it.
Value FunctionLowering::itemTruth(Location loc, Value item, Type element) {
  if (llvm::isa<ListType>(element))
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, listLength(loc, item), cInt(loc, 0, i64()));
  return truth(loc, widen(loc, item, element));
}

/// Drops the references to array owners that an item of py type `element` (read by
/// loadItem, parts `parts`) held, as it leaves its list; its other references are
/// changeRefcount's.
void FunctionLowering::dropItemArrays(Location loc, Type element, ArrayRef<Value> parts) {
  if (auto tuple = tupleOf(element)) {
    for (Type e : tuple.getTypes()) {
      size_t n = loweredSize(e);
      dropItemArrays(loc, e, parts.take_front(n));
      parts = parts.drop_front(n);
    }
    return;
  }
  auto array = llvm::dyn_cast<MemRefType>(element);
  if (!array)
    return;
  auto desc = descriptorStruct(llvm::cast<MemRefType>(parts[0].getType()));
  Value d = UnrealizedConversionCastOp::create(b, loc, TypeRange{desc}, ValueRange{parts[0]}).getResult(0);
  Value allocated = LLVM::ExtractValueOp::create(b, loc, d, ArrayRef<int64_t>{0});
  Value owner = LLVM::GEPOp::create(b, loc, ptrType(), b.getI8Type(), allocated, ArrayRef<LLVM::GEPArg>{-kOwnerHeaderBytes});
  changeBlockCount(loc, owner, /*increment=*/false);
}

/// The address of a constant table of the counted words of an item (null when none).
Value FunctionLowering::countedTable(Location loc, Type element) {
  SmallVector<int64_t> words;
  int64_t word = 0;
  countedWords(element, word, words);
  if (words.empty())
    return LLVM::ZeroOp::create(b, loc, ptrType());
  SmallVector<int64_t> table{static_cast<int64_t>(words.size())};
  table.append(words);
  std::string name = "numlir_counted";
  for (int64_t w : table)
    name += "_" + std::to_string(w);
  auto global = symbols.lookup<LLVM::GlobalOp>(name);
  if (!global) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(old->getParentOfType<ModuleOp>().getBody());
    auto type = LLVM::LLVMArrayType::get(i64(), table.size());
    global = LLVM::GlobalOp::create(b, loc, type, /*isConstant=*/true, LLVM::Linkage::Internal, name,
                                    b.getI64TensorAttr(table));
    symbols.insert(global);
  }
  return LLVM::AddressOfOp::create(b, loc, global);
}

/// A new list of `length` items not yet stored.
Value FunctionLowering::newList(Location loc, Type element, Value length) {
  auto fn = declaredFunction("numlir_list_new", b.getFunctionType({i64(), i64(), ptrType()}, {ptrType()}));
  Value words = cInt(loc, itemWords(element), i64());
  return func::CallOp::create(b, loc, fn, ValueRange{length, words, countedTable(loc, element)}).getResult(0);
}

/// Calls the runtime's list function `name` (arguments of type i64 or ptr; `result` null
/// for none).
/// `base[slice]` by the runtime function `name`: it gets [start, stop, step, has start, has
/// stop] and clamps them as Python does (lists.rs's slice_range).
Value FunctionLowering::callSliceRuntime(Location loc, StringRef name, Value base, Value pySlice) {
  SmallVector<Value, 1> s = values.lookup(pySlice);
  return callListRuntime(loc, name, ValueRange{base, s[0], s[1], s[2], toI64(loc, s[3]), toI64(loc, s[4])}, ptrType());
}

Value FunctionLowering::callListRuntime(Location loc, StringRef name, ValueRange args, Type result) {
  SmallVector<Type> types(args.getTypes());
  SmallVector<Type> results;
  if (result)
    results.push_back(result);
  auto fn = declaredFunction(name, b.getFunctionType(types, results));
  auto call = func::CallOp::create(b, loc, fn, args);
  return result ? call.getResult(0) : Value();
}

/// Appends a value (taking a reference to what it holds): inline while there is room.
void FunctionLowering::appendItem(Location loc, Value list, Type element, ArrayRef<Value> parts) {
  changeRefcount(loc, element, parts, /*increment=*/true);
  Value length = listLength(loc, list);
  Value full = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, length, listField(loc, list, Capacity, i64()));
  full = LLVM::ExpectOp::create(b, loc, full, cInt(loc, 0, i1()));
  scf::IfOp::create(b, loc, full, [&](OpBuilder &nb, Location nl) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(scf::YieldOp::create(nb, nl));
    callListRuntime(nl, "numlir_list_grow", ValueRange{list}, Type());
  });
  storeItem(loc, listField(loc, list, Items, ptrType()), length, element, parts);
  setListField(loc, list, Length, arith::AddIOp::create(b, loc, length, cInt(loc, 1, i64())));
  setListField(loc, list, Dirty, cInt(loc, 1, i64()));
}

/// `i` as an index into a list of `length` items (negative counts from the end); raises
/// IndexError(`message`) outside it.
Value FunctionLowering::listIndex(Location loc, Value i, Value length, StringRef message) {
  i = toI64(loc, i);
  Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i, cInt(loc, 0, i64()));
  i = arith::SelectOp::create(b, loc, negative, arith::AddIOp::create(b, loc, i, length), i);
  Value outside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, i, length);
  raiseIf(loc, outside, "IndexError", message);
  return i;
}

/// Runs `body` for each item of `list` in order, with loop-carried values `init`; the
/// body gets the index, the item's parts (no reference taken) and the carried values,
/// and gives the next ones. Returns the last carried values.
SmallVector<Value> FunctionLowering::forEachItem(Location loc, Value list, Type element, ValueRange init,
                                                 ItemBody body) {
  Value n = arith::IndexCastOp::create(b, loc, b.getIndexType(), listLength(loc, list));
  Value items = listField(loc, list, Items, ptrType());
  auto loop = scf::ForOp::create(b, loc, arith::ConstantIndexOp::create(b, loc, 0), n,
                                 arith::ConstantIndexOp::create(b, loc, 1), init);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value i = arith::IndexCastOp::create(b, loc, i64(), loop.getInductionVar());
    SmallVector<Value> item = loadItem(loc, items, i, element);
    SmallVector<Value> next = body(i, item, loop.getRegionIterArgs());
    scf::YieldOp::create(b, loc, next);
  }
  return SmallVector<Value>(loop.getResults());
}

/// The index of the first item in [start, stop) equal to `x` (of py type `xPy`), or -1.
Value FunctionLowering::findItem(Location loc, Value list, Type element, ArrayRef<Value> xParts, Type xPy,
                                 Value start, Value stop) {
  Value items = listField(loc, list, Items, ptrType());
  Value minus1 = cInt(loc, -1, i64());
  auto loop = scf::WhileOp::create(
      b, loc, TypeRange{i64()}, ValueRange{start},
      [&](OpBuilder &nb, Location nl, ValueRange) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(nb.getBlock());
        Value i = nb.getBlock()->getArgument(0);
        Value inside = arith::CmpIOp::create(b, nl, arith::CmpIPredicate::slt, i, stop);
        auto test = scf::IfOp::create(b, nl, TypeRange{i1()}, inside, /*withElseRegion=*/true);
        b.setInsertionPointToStart(test.thenBlock());
        SmallVector<Value> item = loadItem(nl, items, i, element);
        scf::YieldOp::create(b, nl, ValueRange{arith::XOrIOp::create(b, nl, equalValues(nl, item, element, xParts, xPy),
                                                                     cInt(nl, 1, i1()))});
        b.setInsertionPointToStart(test.elseBlock());
        scf::YieldOp::create(b, nl, ValueRange{cInt(nl, 0, i1())});
        b.setInsertionPointAfter(test);
        scf::ConditionOp::create(b, nl, test.getResult(0), ValueRange{i});
      },
      [&](OpBuilder &nb, Location nl, ValueRange) {
        Value i = nb.getBlock()->getArgument(0);
        scf::YieldOp::create(nb, nl, ValueRange{arith::AddIOp::create(nb, nl, i, cInt(nl, 1, i64()))});
      });
  Value at = loop.getResult(0);
  Value found = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, at, stop);
  return arith::SelectOp::create(b, loc, found, at, minus1);
}

/// Whether two values (by parts) are equal, as Python's `==`: numbers across kinds, tuples
/// element by element, lists item by item.
Value FunctionLowering::equalValues(Location loc, ArrayRef<Value> a, Type aPy, ArrayRef<Value> c, Type cPy) {
  if (auto ta = tupleOf(aPy)) {
    auto tc = tupleOf(cPy);
    if (!tc || ta.size() != tc.size())
      return cInt(loc, 0, i1());
    Value all = cInt(loc, 1, i1());
    for (auto [ea, ec] : llvm::zip(ta.getTypes(), tc.getTypes())) {
      size_t na = loweredSize(ea), nc = loweredSize(ec);
      all = arith::AndIOp::create(b, loc, all, equalValues(loc, a.take_front(na), ea, c.take_front(nc), ec));
      a = a.drop_front(na);
      c = c.drop_front(nc);
    }
    return all;
  }
  if (llvm::isa<StrType>(aPy) || llvm::isa<StrType>(cPy))
    return llvm::isa<StrType>(aPy) && llvm::isa<StrType>(cPy) ? strEqual(loc, a[0], c[0]) : cInt(loc, 0, i1());
  auto la = llvm::dyn_cast<ListType>(aPy), lc = llvm::dyn_cast<ListType>(cPy);
  if (la && lc)
    return listsEqual(loc, a[0], la, c[0], lc);
  if (la || lc)
    return cInt(loc, 0, i1());
  return compareScalars(loc, "eq", a[0], aPy, c[0], cPy);
}

Value FunctionLowering::listsEqual(Location loc, Value l, ListType lPy, Value r, ListType rPy) {
  Value n = listLength(loc, l);
  Value sameLength = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, n, listLength(loc, r));
  auto ifOp = scf::IfOp::create(b, loc, TypeRange{i1()}, sameLength, /*withElseRegion=*/true);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    Value rItems = listField(loc, r, Items, ptrType());
    SmallVector<Value> all = forEachItem(loc, l, lPy.getElementType(), ValueRange{cInt(loc, 1, i1())},
                                         [&](Value i, ArrayRef<Value> item, ValueRange acc) {
                                           SmallVector<Value> other = loadItem(loc, rItems, i, rPy.getElementType());
                                           Value eq = equalValues(loc, item, lPy.getElementType(), other, rPy.getElementType());
                                           return SmallVector<Value>{arith::AndIOp::create(b, loc, acc[0], eq)};
                                         });
    scf::YieldOp::create(b, loc, all);
    b.setInsertionPointToStart(ifOp.elseBlock());
    scf::YieldOp::create(b, loc, ValueRange{cInt(loc, 0, i1())});
  }
  return ifOp.getResult(0);
}

/// Python's `a < b` on numbers and tuples of numbers (lexicographic).
Value FunctionLowering::lessThan(Location loc, ArrayRef<Value> a, ArrayRef<Value> c, Type t) {
  if (auto tuple = tupleOf(t))
    return compareTuples(loc, "lt", a, tuple, c, tuple);
  if (llvm::isa<StrType>(t))
    return strCompare(loc, "lt", a[0], c[0]);
  return compareScalars(loc, "lt", a[0], t, c[0], t);
}

/// The kind of each word of `t`, two bits a word from bit `2 * word`.
static void packWordKinds(Type t, int64_t &word, int64_t &packed) {
  if (auto tuple = tupleOf(t)) {
    for (Type e : tuple.getTypes())
      packWordKinds(e, word, packed);
    return;
  }
  int64_t kind = llvm::isa<StrType>(t)                          ? 3
                 : isFloat(t) || isComplex(t)                   ? 1
                 : t.isInteger(1) || t.isUnsignedInteger()      ? 2
                                                                : 0;
  for (int64_t k = 0; k < itemWords(t); ++k, ++word)
    packed |= kind << (2 * word);
}

int64_t mlir::py::wordKinds(Type element) {
  int64_t packed = 0, word = 0; // two bits a word, first word lowest
  packWordKinds(element, word, packed);
  return packed;
}

void FunctionLowering::sortList(Location loc, Value list, Type element, Value reverse) {
  callListRuntime(loc, "numlir_list_sort", ValueRange{list, cInt(loc, wordKinds(element), i64()), toI64(loc, reverse)},
                  Type());
}

Value FunctionLowering::wordBuffer(Location loc, int64_t words) {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&fn.getBody().front());
  Value count = cInt(loc, std::max<int64_t>(words, 1), i64());
  return LLVM::AllocaOp::create(b, loc, ptrType(), i64(), count);
}

/// Appends every value of `iterable` (a list, range, array, tuple or iterator) to `list`.
void FunctionLowering::extendList(Location loc, Value list, Type element, Value iterable) {
  if (llvm::isa<ListType>(iterable.getType())) {
    callListRuntime(loc, "numlir_list_extend", ValueRange{list, one(iterable)}, Type());
    return;
  }
  forEachValue(loc, iterable, [&](ArrayRef<Value> value, Type valuePy) {
    SmallVector<Value> converted;
    convertParts(loc, valuePy, element, value, converted);
    appendItem(loc, list, element, converted);
  });
}

FailureOr<bool> FunctionLowering::lowerListOp(Operation &op) {
  Location loc = op.getLoc();
  if (auto inc = llvm::dyn_cast<IncRefOp>(op)) {
    changeRefcount(loc, inc.getValue().getType(), values.lookup(inc.getValue()), true);
    return true;
  }
  if (auto dec = llvm::dyn_cast<DecRefOp>(op)) {
    changeRefcount(loc, dec.getValue().getType(), values.lookup(dec.getValue()), false);
    return true;
  }
  if (auto make = llvm::dyn_cast<MakeListOp>(op)) {
    Type element = llvm::cast<ListType>(make.getType()).getElementType();
    Value list = newList(loc, element, cInt(loc, make.getElements().size(), i64()));
    Value items = listField(loc, list, Items, ptrType());
    for (auto [i, e] : llvm::enumerate(make.getElements())) {
      SmallVector<Value> parts;
      convertParts(loc, e.getType(), element, values.lookup(e), parts);
      changeRefcount(loc, element, parts, true);
      storeItem(loc, items, cInt(loc, i, i64()), element, parts);
    }
    mapValue(make, list);
    return true;
  }
  if (auto get = llvm::dyn_cast<GetItemOp>(op)) {
    auto listPy = llvm::dyn_cast<ListType>(get.getBase().getType());
    if (!listPy)
      return false;
    Value list = one(get.getBase());
    Type element = listPy.getElementType();
    if (llvm::isa<SliceType>(get.getIndex().getType())) {
      mapValue(get, callSliceRuntime(loc, "numlir_list_slice", list, get.getIndex()));
      return true;
    }
    Value i = listIndex(loc, one(get.getIndex()), listLength(loc, list), "list index out of range");
    SmallVector<Value> item = loadItem(loc, listField(loc, list, Items, ptrType()), i, element);
    changeRefcount(loc, element, item, true);
    mapValue(get, item);
    return true;
  }
  if (auto set = llvm::dyn_cast<SetItemOp>(op)) {
    auto listPy = llvm::dyn_cast<ListType>(set.getBase().getType());
    if (!listPy)
      return false;
    Value list = one(set.getBase());
    Type element = listPy.getElementType();
    if (llvm::isa<SliceType>(set.getIndex().getType())) {
      // l[a:b] = m: by the runtime, which checks an extended slice's size.
      SmallVector<Value, 1> s = values.lookup(set.getIndex());
      Value ok = callListRuntime(
          loc, "numlir_list_set_slice",
          ValueRange{list, s[0], s[1], s[2], toI64(loc, s[3]), toI64(loc, s[4]), one(set.getValue())}, i64());
      raiseRecordedIf(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, ok, cInt(loc, 0, i64())));
      return true;
    }
    Value i = listIndex(loc, one(set.getIndex()), listLength(loc, list), "list assignment index out of range");
    SmallVector<Value> parts;
    convertParts(loc, set.getValue().getType(), element, values.lookup(set.getValue()), parts);
    changeRefcount(loc, element, parts, true);
    Value items = listField(loc, list, Items, ptrType());
    SmallVector<Value> previous = loadItem(loc, items, i, element);
    storeItem(loc, items, i, element, parts);
    setListField(loc, list, Dirty, cInt(loc, 1, i64()));
    releaseItem(loc, element, previous);
    return true;
  }
  if (auto truth = llvm::dyn_cast<TruthOp>(op)) {
    // Lists, dicts and sets: true when not empty (their blocks keep the length at word 2).
    if (!llvm::isa<ListType, DictType, SetType>(truth.getOperand().getType()))
      return false;
    Value n = listLength(loc, one(truth.getOperand()));
    mapValue(truth, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, n, cInt(loc, 0, i64())).getResult());
    return true;
  }
  if (auto cmp = llvm::dyn_cast<CmpOp>(op)) {
    auto l = llvm::dyn_cast<ListType>(cmp.getLhs().getType()), r = llvm::dyn_cast<ListType>(cmp.getRhs().getType());
    if (!l && !r)
      return false;
    StringRef p = cmp.getPredicate();
    if (p != "eq" && p != "ne")
      return op.emitError("UnsupportedError: ordering comparisons of lists are not supported yet"), failure();
    Value eq = l && r ? listsEqual(loc, one(cmp.getLhs()), l, one(cmp.getRhs()), r) : cInt(loc, 0, i1());
    if (p == "ne")
      eq = arith::XOrIOp::create(b, loc, eq, cInt(loc, 1, i1()));
    mapValue(cmp, eq);
    return true;
  }
  if (auto bin = llvm::dyn_cast<BinOp>(op)) {
    auto l = llvm::dyn_cast<ListType>(bin.getLhs().getType()), r = llvm::dyn_cast<ListType>(bin.getRhs().getType());
    if (!l && !r)
      return false;
    if (bin.getKind() == "mul") {
      Value list = l ? one(bin.getLhs()) : one(bin.getRhs());
      Value n = toI64(loc, l ? one(bin.getRhs()) : one(bin.getLhs()));
      mapValue(bin, callListRuntime(loc, "numlir_list_repeat", ValueRange{list, n}, ptrType()));
      return true;
    }
    Type element = llvm::cast<ListType>(bin.getType()).getElementType();
    if (bin.getInplace()) { // l += xs
      extendList(loc, one(bin.getLhs()), element, bin.getRhs());
      Value same = one(bin.getLhs());
      changeRefcount(loc, bin.getType(), same, true); // the result is a new reference to l
      mapValue(bin, same);
      return true;
    }
    if (l.getElementType() != element || r.getElementType() != element) {
      // Lists of different number types: a new list of the joined type.
      Value list = newList(loc, element, cInt(loc, 0, i64()));
      extendList(loc, list, element, bin.getLhs());
      extendList(loc, list, element, bin.getRhs());
      mapValue(bin, list);
      return true;
    }
    mapValue(bin, callListRuntime(loc, "numlir_list_concat", ValueRange{one(bin.getLhs()), one(bin.getRhs())}, ptrType()));
    return true;
  }

  auto call = llvm::dyn_cast<CallBuiltinOp>(op);
  if (!call)
    return false;
  StringRef name = call.getCallee();
  SmallVector<Value> args(call.getArgs());
  if (name == "list") {
    Type element = llvm::cast<ListType>(call.getType()).getElementType();
    Value list;
    if (args.size() == 1 && args[0].getType() == call.getType())
      list = callListRuntime(loc, "numlir_list_slice",
                             ValueRange{one(args[0]), cInt(loc, 0, i64()), cInt(loc, 0, i64()), cInt(loc, 1, i64()),
                                        cInt(loc, 0, i64()), cInt(loc, 0, i64())},
                             ptrType());
    else {
      list = newList(loc, element, cInt(loc, 0, i64()));
      if (args.size() == 1)
        extendList(loc, list, element, args[0]);
    }
    mapValue(call, list);
    return true;
  }
  auto listPy = args.empty() ? ListType() : llvm::dyn_cast<ListType>(args[0].getType());
  Value list = listPy ? one(args[0]) : Value();
  if (!listPy && takesValuesAsList(call)) {
    // sum(s), sorted(d), max(d.values()): over a temporary list of the values, dropped after.
    listPy = ListType::get(b.getContext(), iteratorValue(iteratorOf(args[0].getType())));
    list = newList(loc, listPy.getElementType(), cInt(loc, 0, i64()));
    extendList(loc, list, listPy.getElementType(), args[0]);
    FailureOr<bool> done = lowerListBuiltin(call, list, listPy);
    changeRefcount(loc, listPy, list, /*increment=*/false);
    return done;
  }
  if (!listPy)
    return false;
  return lowerListBuiltin(call, list, listPy);
}

/// A builtin or method call whose first argument is the list `list` (lowered) of py type
/// `listPy`.
FailureOr<bool> FunctionLowering::lowerListBuiltin(CallBuiltinOp call, Value list, ListType listPy) {
  Operation &op = *call;
  Location loc = call.getLoc();
  StringRef name = call.getCallee();
  SmallVector<Value> args(call.getArgs());
  Type element = listPy.getElementType();
  Value zero = cInt(loc, 0, i64());
  if (name == "len") {
    mapValue(call, listLength(loc, list));
    return true;
  }
  if (name == "delitem") {
    if (llvm::isa<SliceType>(args[1].getType())) {
      SmallVector<Value, 1> s = values.lookup(args[1]);
      callListRuntime(loc, "numlir_list_del_slice", ValueRange{list, s[0], s[1], s[2], toI64(loc, s[3]), toI64(loc, s[4])},
                      Type());
      mapValue(call, {});
      return true;
    }
    Value i = listIndex(loc, one(args[1]), listLength(loc, list), "list assignment index out of range");
    SmallVector<Value> item = loadItem(loc, listField(loc, list, Items, ptrType()), i, element);
    callListRuntime(loc, "numlir_list_close_gap", ValueRange{list, i}, Type());
    releaseItem(loc, element, item);
    mapValue(call, {});
    return true;
  }
  if (name == "contains") {
    Value at = findItem(loc, list, element, values.lookup(args[1]), args[1].getType(), zero, listLength(loc, list));
    mapValue(call, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, at, zero).getResult());
    return true;
  }
  if (name == "sum") {
    Type result = call.getType();
    Value init = numberConstant(b, loc, result, 0.0);
    SmallVector<Value> total = forEachItem(loc, list, element, ValueRange{init}, [&](Value, ArrayRef<Value> item, ValueRange acc) {
      return SmallVector<Value>{lowerBinOp(loc, "add", result, acc[0], convertScalar(loc, widen(loc, item[0], element), result))};
    });
    mapValue(call, total);
    return true;
  }
  if (name == "any" || name == "all") {
    bool all = name == "all";
    SmallVector<Value> r = forEachItem(loc, list, element, ValueRange{cInt(loc, all, i1())}, [&](Value, ArrayRef<Value> item, ValueRange acc) {
      Value t = itemTruth(loc, item[0], element);
      return SmallVector<Value>{all ? arith::AndIOp::create(b, loc, acc[0], t).getResult() : arith::OrIOp::create(b, loc, acc[0], t).getResult()};
    });
    mapValue(call, r);
    return true;
  }
  if (name == "min" || name == "max") {
    Value n = listLength(loc, list);
    raiseIf(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, n, zero), "ValueError",
            name + "() arg is an empty sequence");
    SmallVector<Value> first = loadItem(loc, listField(loc, list, Items, ptrType()), zero, element);
    bool isMax = name == "max";
    SmallVector<Value> best = forEachItem(loc, list, element, first, [&](Value, ArrayRef<Value> item, ValueRange acc) {
      // The first of equal items wins, as in Python: replace only on a strict improvement.
      SmallVector<Value> current(acc);
      Value better = isMax ? lessThan(loc, current, item, element) : lessThan(loc, item, current, element);
      SmallVector<Value> next;
      for (auto [x, y] : llvm::zip(item, acc))
        next.push_back(arith::SelectOp::create(b, loc, better, x, y));
      return next;
    });
    changeRefcount(loc, element, best, /*increment=*/true); // the result owns the item (a str)
    mapValue(call, best);
    return true;
  }
  if (name == "sorted") {
    Value copy = callListRuntime(loc, "numlir_list_slice",
                                 ValueRange{list, zero, zero, cInt(loc, 1, i64()), zero, zero}, ptrType());
    sortList(loc, copy, element, args.size() > 1 ? one(args[1]) : cInt(loc, 0, i1()));
    mapValue(call, copy);
    return true;
  }
  if (!name.consume_front("list."))
    return false;
  if (name == "append") {
    SmallVector<Value> parts;
    convertParts(loc, args[1].getType(), element, values.lookup(args[1]), parts);
    appendItem(loc, list, element, parts);
    mapValue(call, {});
  } else if (name == "extend") {
    extendList(loc, list, element, args[1]);
    mapValue(call, {});
  } else if (name == "insert") {
    // CPython clamps the index to [0, len].
    Value n = listLength(loc, list);
    Value i = toI64(loc, one(args[1]));
    Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i, zero);
    i = arith::SelectOp::create(b, loc, negative, arith::AddIOp::create(b, loc, i, n), i);
    i = arith::MaxSIOp::create(b, loc, arith::MinSIOp::create(b, loc, i, n), zero);
    SmallVector<Value> parts;
    convertParts(loc, args[2].getType(), element, values.lookup(args[2]), parts);
    changeRefcount(loc, element, parts, true);
    callListRuntime(loc, "numlir_list_open_gap", ValueRange{list, i}, Type());
    storeItem(loc, listField(loc, list, Items, ptrType()), i, element, parts);
    mapValue(call, {});
  } else if (name == "pop") {
    Value n = listLength(loc, list);
    raiseIf(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, n, zero), "IndexError", "pop from empty list");
    Value i = args.size() > 1 ? listIndex(loc, one(args[1]), n, "pop index out of range")
                              : arith::SubIOp::create(b, loc, n, cInt(loc, 1, i64())).getResult();
    // The list's reference to the item becomes the result's; an array's is dropped (the
    // result is a view, alive until the call returns: src/runtime/buffers.rs).
    SmallVector<Value> item = loadItem(loc, listField(loc, list, Items, ptrType()), i, element);
    callListRuntime(loc, "numlir_list_close_gap", ValueRange{list, i}, Type());
    dropItemArrays(loc, element, item);
    mapValue(call, item);
  } else if (name == "clear") {
    callListRuntime(loc, "numlir_list_clear", ValueRange{list}, Type());
    mapValue(call, {});
  } else if (name == "reverse") {
    callListRuntime(loc, "numlir_list_reverse", ValueRange{list}, Type());
    mapValue(call, {});
  } else if (name == "copy") {
    mapValue(call, callListRuntime(loc, "numlir_list_slice",
                                   ValueRange{list, zero, zero, cInt(loc, 1, i64()), zero, zero}, ptrType()));
  } else if (name == "sort") {
    sortList(loc, list, element, args.size() > 1 ? one(args[1]) : cInt(loc, 0, i1()));
    mapValue(call, {});
  } else if (name == "index" || name == "count" || name == "remove") {
    Value n = listLength(loc, list);
    Value x = one(args[1]);
    Type xPy = args[1].getType();
    if (name == "count") {
      SmallVector<Value, 1> xParts = values.lookup(args[1]);
      SmallVector<Value> count = forEachItem(loc, list, element, ValueRange{zero}, [&](Value, ArrayRef<Value> item, ValueRange acc) {
        Value eq = equalValues(loc, item, element, xParts, xPy);
        return SmallVector<Value>{arith::AddIOp::create(b, loc, acc[0], arith::ExtUIOp::create(b, loc, i64(), eq))};
      });
      mapValue(call, count);
      return true;
    }
    Value start = zero, stop = n;
    auto clamp = [&](Value v) { // slice-style bounds, as list.index takes them
      v = toI64(loc, v);
      Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, v, zero);
      v = arith::SelectOp::create(b, loc, negative, arith::AddIOp::create(b, loc, v, n), v);
      return arith::MaxSIOp::create(b, loc, arith::MinSIOp::create(b, loc, v, n), zero).getResult();
    };
    if (args.size() > 2)
      start = clamp(one(args[2]));
    if (args.size() > 3)
      stop = clamp(one(args[3]));
    Value at = findItem(loc, list, element, values.lookup(args[1]), xPy, start, stop);
    Value missing = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, at, zero);
    if (name == "index") {
      if (isIntLike(xPy))
        raiseIf(loc, missing, "ValueError", "{0} is not in list", ValueRange{toI64(loc, x)});
      else
        raiseIf(loc, missing, "ValueError", "value is not in list");
      mapValue(call, at);
    } else {
      raiseIf(loc, missing, "ValueError", "list.remove(x): x not in list");
      SmallVector<Value> item = loadItem(loc, listField(loc, list, Items, ptrType()), at, element);
      callListRuntime(loc, "numlir_list_close_gap", ValueRange{list, at}, Type());
      releaseItem(loc, element, item);
      mapValue(call, {});
    }
  } else {
    return op.emitError("UnsupportedError: list.") << name << "() is not supported", failure();
  }
  return true;
}

} // namespace mlir::py
