// py-to-std for arrays, its entry: lowerArrayOp sends each op that involves arrays to its
// family (ArrayIndexing.cpp, ArrayElementwise.cpp, ArrayReductions.cpp, ArrayLinalg.cpp,
// ElementOps.cpp), and lowerArrayCall lowers np.* calls and ndarray methods: array creation
// (empty, zeros, ones, full, *_like, arange, linspace, eye; memref.alloc, freed later by
// numlir-free-temporaries) here, the rest through those families.
#include "FunctionLowering.h"
#include "ElementOps.h"
#include "numlir/Dialect/Py/Transforms/ArrayTypeRules.h"

#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;
using namespace mlir::py;

/// A new C-contiguous array of `pyType`'s dtype and rank, as a value of that (strided) type.
Value FunctionLowering::allocArray(Location loc, MemRefType pyType, ValueRange sizes) {
  Type element = storageType(pyType.getElementType());
  SmallVector<int64_t> shape(pyType.getRank(), ShapedType::kDynamic);
  auto plain = MemRefType::get(shape, element);
  // 64-byte alignment: whole cache lines, and aligned vector loads.
  Value alloc = memref::AllocOp::create(b, loc, plain, sizes, b.getI64IntegerAttr(64));
  SmallVector<Type> parts;
  lowerType(pyType, parts);
  return memref::CastOp::create(b, loc, parts[0], alloc);
}

/// A frozen array (py.array_constant): its bytes in a private module global, one per
/// distinct array and shared by the module's functions, and a descriptor of them. The
/// global is writable memory (typing rejects stores to the array, but not every path to
/// it), and the descriptor's allocated pointer is MLIR's mark of constant memory
/// (0xdeadbeef, `CONSTANT_ALLOCATED` in src/runtime/buffers.rs): nothing frees it, and a
/// list that holds the array takes the owner of memory no one frees.
Value FunctionLowering::frozenArray(ArrayConstantOp frozen) {
  Location loc = frozen.getLoc();
  auto value = llvm::cast<DenseElementsAttr>(frozen.getValue());
  // The elements as NumPy stores them: a splat repeated, bools as bytes.
  std::vector<char> bytes;
  if (value.getElementType().isInteger(1)) {
    for (bool flag : value.getValues<bool>())
      bytes.push_back(flag);
  } else {
    ArrayRef<char> raw = value.getRawData();
    int64_t copies = value.isSplat() ? value.getNumElements() : 1;
    for (int64_t i = 0; i < copies; ++i)
      bytes.insert(bytes.end(), raw.begin(), raw.end());
  }
  if (bytes.empty())
    bytes.push_back(0); // an empty array still has an address
  auto i8 = b.getI8Type();
  auto init = DenseElementsAttr::getFromRawBuffer(RankedTensorType::get({static_cast<int64_t>(bytes.size())}, i8), bytes);
  // 64-byte alignment, as allocArray's: whole cache lines, and aligned vector loads.
  LLVM::GlobalOp global = uniqueGlobal(loc, "numlir_array_", llvm::hash_value(ArrayRef<char>(bytes)),
                                       LLVM::LLVMArrayType::get(i8, bytes.size()), init, /*constant=*/false, 64);
  // The descriptor of a C-contiguous array over the global.
  SmallVector<Type> parts;
  lowerType(frozen.getType(), parts);
  auto array = llvm::cast<MemRefType>(parts[0]);
  auto i64Const = [&](int64_t v) { return LLVM::ConstantOp::create(b, loc, i64(), b.getI64IntegerAttr(v)).getResult(); };
  Value d = LLVM::PoisonOp::create(b, loc, descriptorStruct(array));
  Value unowned = LLVM::IntToPtrOp::create(b, loc, ptrType(), i64Const(0xdeadbeef));
  d = LLVM::InsertValueOp::create(b, loc, d, unowned, ArrayRef<int64_t>{0});
  d = LLVM::InsertValueOp::create(b, loc, d, LLVM::AddressOfOp::create(b, loc, global), ArrayRef<int64_t>{1});
  d = LLVM::InsertValueOp::create(b, loc, d, i64Const(0), ArrayRef<int64_t>{2});
  ArrayRef<int64_t> shape = value.getType().getShape();
  int64_t stride = 1;
  for (int64_t k = array.getRank() - 1; k >= 0; --k) {
    d = LLVM::InsertValueOp::create(b, loc, d, i64Const(shape[k]), ArrayRef<int64_t>{3, k});
    d = LLVM::InsertValueOp::create(b, loc, d, i64Const(stride), ArrayRef<int64_t>{4, k});
    stride *= shape[k];
  }
  return UnrealizedConversionCastOp::create(b, loc, TypeRange{array}, ValueRange{d}).getResult(0);
}

void FunctionLowering::fillArray(Location loc, Value array, Value scalar) {
  linalg::FillOp::create(b, loc, ValueRange{scalar}, ValueRange{array});
}

FailureOr<SmallVector<Value>> FunctionLowering::lowerArrayCall(CallBuiltinOp op) {
  Location loc = op.getLoc();
  StringRef name = op.getCallee();
  Type resultPy = op.getType();
  SmallVector<Value> args;
  SmallVector<Type> argPy;
  for (Value a : op.getArgs()) {
    // Narrow int scalars (sizes, counts, fill values) come as int64.
    bool narrowInt = isInt(a.getType()) && !isUnsigned64(a.getType());
    argPy.push_back(narrowInt ? i64() : a.getType());
    SmallVector<Value> parts = i64Parts(loc, a);
    args.push_back(parts.empty() ? Value() : parts[0]);
  }
  bool method = name.consume_front("ndarray.");
  if (!method && !name.consume_front("np."))
    return failure();
  if (method && (name == "conjugate" || name == "conj") && isComplex(argPy[0]))
    return SmallVector<Value>{complexUnary(b, loc, name, args[0])};
  if (method && (name == "conjugate" || name == "conj") && isNumber(argPy[0]))
    return SmallVector<Value>{convertElement(b, loc, one(op.getArgs()[0]), op.getArgs()[0].getType(), resultPy)};
  auto resultArray = llvm::dyn_cast<MemRefType>(resultPy);
  Type resultElement = resultArray ? resultArray.getElementType() : resultPy;
  auto shapeOf = [&](Value shapeArg) {
    SmallVector<Value> sizes;
    for (Value v : i64Parts(loc, shapeArg))
      sizes.push_back(index(loc, v));
    return sizes;
  };
  auto single = [](Value v) { return SmallVector<Value>{v}; };
  if (name == "empty" || name == "zeros" || name == "ones" || name == "full") {
    SmallVector<Value> sizes = shapeOf(op.getArgs()[0]);
    // As NumPy: a negative size is an error (and later code may rely on sizes >= 0).
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value negative = arith::ConstantOp::create(b, loc, b.getI1Type(), b.getBoolAttr(false));
    for (Value s : sizes)
      negative = arith::OrIOp::create(b, loc, negative, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, s, zero));
    raiseIf(loc, negative, "ValueError", "negative dimensions are not allowed");
    Value array = allocArray(loc, resultArray, sizes);
    if (name == "zeros" || name == "ones")
      fillArray(loc, array, elementConstant(b, loc, name == "ones", resultElement));
    if (name == "full")
      fillArray(loc, array, convertElement(b, loc, args[1], argPy[1], resultElement));
    return single(array);
  }
  if (name == "empty_like" || name == "zeros_like" || name == "ones_like" || name == "full_like") {
    Value array = allocArray(loc, resultArray, sizesOf(loc, args[0]));
    if (name != "empty_like") {
      Value v = name == "full_like" ? convertElement(b, loc, args[1], argPy[1], resultElement)
                                    : elementConstant(b, loc, name == "ones_like", resultElement);
      fillArray(loc, array, v);
    }
    return single(array);
  }
  if (name == "copy" || name == "astype" || name == "flatten" || name == "ravel") {
    Type from = elemOf(argPy[0]);
    Value source = args[0];
    auto sourcePy = llvm::cast<MemRefType>(argPy[0]);
    if (name == "flatten" || name == "ravel")
      return single(flat(loc, source, sourcePy, name == "flatten"));
    return single(elementwise(loc, resultArray, {source}, {argPy[0]},
                              [&](OpBuilder &nb, Location nl, ValueRange e) {
                                return convertElement(nb, nl, e[0], from, resultElement);
                              }));
  }
  if (name == "fill") {
    fillArray(loc, args[0], convertElement(b, loc, args[1], argPy[1], elemOf(argPy[0])));
    return SmallVector<Value>{};
  }
  if (name == "transpose")
    return single(transposed(loc, args[0], resultPy));
  if (name == "arange") {
    Value start, stop, step;
    auto asF64 = [&](size_t i) { return convertElement(b, loc, args[i], argPy[i], b.getF64Type()); };
    auto asI64 = [&](size_t i) { return convertElement(b, loc, args[i], argPy[i], b.getI64Type()); };
    bool anyFloat = llvm::any_of(argPy, [](Type x) { return isFloat(x); });
    auto get = [&](size_t i) { return anyFloat ? asF64(i) : asI64(i); };
    Type work = anyFloat ? Type(b.getF64Type()) : Type(b.getI64Type());
    Value zero = anyFloat ? cF64(loc, 0.0) : cInt(loc, 0, i64());
    Value oneV = anyFloat ? cF64(loc, 1.0) : cInt(loc, 1, i64());
    start = args.size() == 1 ? zero : get(0);
    stop = args.size() == 1 ? get(0) : get(1);
    step = args.size() == 3 ? get(2) : oneV;
    // length = ceil((stop - start) / step), at least 0
    Value n;
    if (anyFloat) {
      Value q = math::CeilOp::create(b, loc, arith::DivFOp::create(b, loc, arith::SubFOp::create(b, loc, stop, start), step));
      n = arith::FPToSIOp::create(b, loc, i64(), arith::MaximumFOp::create(b, loc, q, zero));
    } else {
      raiseIf(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, step, zero), "ZeroDivisionError",
              "division by zero");
      Value span = arith::SubIOp::create(b, loc, stop, start);
      Value q = arith::CeilDivSIOp::create(b, loc, span, step);
      n = arith::MaxSIOp::create(b, loc, q, zero);
    }
    Value array = allocArray(loc, resultArray, {index(loc, n)});
    Value lb = arith::ConstantIndexOp::create(b, loc, 0), ub = index(loc, n), st = arith::ConstantIndexOp::create(b, loc, 1);
    scf::ForOp::create(b, loc, lb, ub, st, ValueRange{}, [&](OpBuilder &nb, Location nl, Value iv, ValueRange) {
      Value i = arith::IndexCastOp::create(nb, nl, nb.getI64Type(), iv);
      Value v = anyFloat ? arith::AddFOp::create(nb, nl, start, arith::MulFOp::create(nb, nl, arith::SIToFPOp::create(nb, nl, work, i), step)).getResult()
                         : arith::AddIOp::create(nb, nl, start, arith::MulIOp::create(nb, nl, i, step)).getResult();
      memref::StoreOp::create(nb, nl, convertElement(nb, nl, v, work, resultElement), array, ValueRange{iv});
      scf::YieldOp::create(nb, nl);
    });
    return single(array);
  }
  if (name == "linspace") {
    Value start = convertElement(b, loc, args[0], argPy[0], b.getF64Type());
    Value stop = convertElement(b, loc, args[1], argPy[1], b.getF64Type());
    Value num = args.size() > 2 ? toI64(loc, args[2]) : cInt(loc, 50, i64());
    raiseIf(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, num, cInt(loc, 0, i64())), "ValueError",
            "Number of samples must be non-negative.");
    Value array = allocArray(loc, resultArray, {index(loc, num)});
    Value div = arith::SIToFPOp::create(b, loc, f64(), arith::MaxSIOp::create(b, loc, arith::SubIOp::create(b, loc, num, cInt(loc, 1, i64())), cInt(loc, 1, i64())));
    Value step = arith::DivFOp::create(b, loc, arith::SubFOp::create(b, loc, stop, start), div);
    Value lb = arith::ConstantIndexOp::create(b, loc, 0), st = arith::ConstantIndexOp::create(b, loc, 1);
    Value last = arith::IndexCastOp::create(b, loc, b.getIndexType(), arith::SubIOp::create(b, loc, num, cInt(loc, 1, i64())));
    scf::ForOp::create(b, loc, lb, index(loc, num), st, ValueRange{}, [&](OpBuilder &nb, Location nl, Value iv, ValueRange) {
      Value i = arith::SIToFPOp::create(nb, nl, nb.getF64Type(), arith::IndexCastOp::create(nb, nl, nb.getI64Type(), iv));
      Value v = arith::AddFOp::create(nb, nl, start, arith::MulFOp::create(nb, nl, i, step));
      // The last sample is `stop` exactly, as in NumPy.
      Value isLast = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq, iv, last);
      Value gt1 = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::sgt, num, arith::ConstantOp::create(nb, nl, nb.getI64Type(), nb.getI64IntegerAttr(1)));
      v = arith::SelectOp::create(nb, nl, arith::AndIOp::create(nb, nl, isLast, gt1), stop, v);
      memref::StoreOp::create(nb, nl, convertElement(nb, nl, v, nb.getF64Type(), resultElement), array, ValueRange{iv});
      scf::YieldOp::create(nb, nl);
    });
    return single(array);
  }
  if (name == "eye" || name == "identity") {
    Value n = index(loc, args[0]);
    Value array = allocArray(loc, resultArray, {n, n});
    fillArray(loc, array, elementConstant(b, loc, 0, resultElement));
    Value oneV = elementConstant(b, loc, 1, resultElement);
    Value lb = arith::ConstantIndexOp::create(b, loc, 0), st = arith::ConstantIndexOp::create(b, loc, 1);
    scf::ForOp::create(b, loc, lb, n, st, ValueRange{}, [&](OpBuilder &nb, Location nl, Value iv, ValueRange) {
      memref::StoreOp::create(nb, nl, oneV, array, ValueRange{iv, iv});
      scf::YieldOp::create(nb, nl);
    });
    return single(array);
  }
  if (llvm::is_contained({"sum", "prod", "min", "max", "mean", "std", "var", "argmin", "argmax", "any", "all",
                          "nanmin", "nanmax"},
                         name))
    return single(reduce(loc, op, name, args[0], llvm::cast<MemRefType>(argPy[0]), resultPy));
  if (name == "dot" || name == "matmul")
    return single(dot(loc, args[0], llvm::cast<MemRefType>(argPy[0]), args[1], llvm::cast<MemRefType>(argPy[1]), resultPy));
  if (name == "vdot") {
    // Both operands flattened; then a 1-D dot product.
    auto aPy = llvm::cast<MemRefType>(argPy[0]), cPy = llvm::cast<MemRefType>(argPy[1]);
    Value fa = flat(loc, args[0], aPy, false), fc = flat(loc, args[1], cPy, false);
    if (llvm::isa<ComplexType>(aPy.getElementType())) {
      // vdot conjugates its first operand.
      auto flatPy = arrayType(aPy.getElementType(), 1, Layout::C);
      fa = elementwise(loc, flatPy, {fa}, {flatPy},
                       [](OpBuilder &nb, Location nl, ValueRange e) { return complexUnary(nb, nl, "conj", e[0]); });
    }
    return single(dot(loc, fa, arrayType(aPy.getElementType(), 1, Layout::C), fc,
                      arrayType(cPy.getElementType(), 1, Layout::C), resultPy));
  }
  if (name == "outer")
    return single(outer(loc, args[0], llvm::cast<MemRefType>(argPy[0]), args[1], llvm::cast<MemRefType>(argPy[1]), resultArray));
  if (name == "trace")
    return single(trace(loc, args[0], llvm::cast<MemRefType>(argPy[0]), resultPy));
  if (name == "cumsum" || name == "cumprod") {
    auto arrayPy = llvm::cast<MemRefType>(argPy[0]);
    return single(cumulative(loc, name, args[0], arrayPy, axisOf(op, arrayPy.getRank()), resultArray));
  }
  if (name == "reshape") {
    SmallVector<Value> shape = lowered(op.getArgs().drop_front());
    return single(reshape(loc, args[0], llvm::cast<MemRefType>(argPy[0]), shape, resultArray));
  }
  // Ufuncs, np.where and np.clip on scalars (on arrays they are element expressions).
  if (!resultArray && (name == "where" || name == "clip" || isUfunc(b.getContext(), name))) {
    // The scalars as they are (args holds narrow ints widened to int64, for sizes).
    SmallVector<Type> scalarPy(op.getArgs().getTypes());
    ElementFn body = numpyElementBody(name, scalarPy, resultElement);
    SmallVector<Value> elements;
    for (Value a : op.getArgs())
      elements.push_back(convertElement(b, loc, one(a), a.getType(), elemOf(a.getType())));
    return single(convertElement(b, loc, body(b, loc, elements), resultElement, scalarOf(resultElement)));
  }
  return op.emitError("UnsupportedError: no lowering for np.") << name, failure();
}

/// Lowers `op` when it involves arrays; false when it is left to the scalar lowering.
FailureOr<bool> FunctionLowering::lowerArrayOp(Operation &op) {
  Location loc = op.getLoc();
  currentSymbols = &symbols;
  bool anyArray = llvm::any_of(op.getOperandTypes(), isArray);
  if (auto get = llvm::dyn_cast<GetItemOp>(op)) {
    FailureOr<Value> v = lowerGetItem(get);
    if (failed(v))
      return failure();
    if (*v)
      mapValue(get, *v);
    return true;
  }
  if (auto frozen = llvm::dyn_cast<ArrayConstantOp>(op)) {
    mapValue(frozen, frozenArray(frozen));
    return true;
  }
  if (auto set = llvm::dyn_cast<SetItemOp>(op))
    return failed(lowerSetItem(set)) ? FailureOr<bool>(failure()) : FailureOr<bool>(true);
  if (auto attr = llvm::dyn_cast<GetAttrOp>(op)) {
    if (auto named = llvm::dyn_cast<NamedTupleType>(attr.getObject().getType())) {
      mapTupleElement(attr, attr.getObject(), named.fieldIndex(attr.getField()));
      // The field owns a reference to the lists it holds, as a py.tuple_get's element does.
      changeRefcount(attr.getLoc(), attr.getType(), values.lookup(attr), /*increment=*/true);
      return true;
    }
    if (llvm::isa<RangeType>(attr.getObject().getType())) { // r.start, r.stop, r.step
      int64_t field = llvm::StringSwitch<int64_t>(attr.getField()).Case("start", 0).Case("stop", 1).Default(2);
      mapValue(attr, values.lookup(attr.getObject())[field]);
      return true;
    }
    FailureOr<Value> v = lowerGetAttr(attr);
    if (failed(v))
      return failure();
    if (*v)
      mapValue(attr, *v);
    return true;
  }
  if (auto slice = llvm::dyn_cast<SliceOp>(op)) {
    SmallVector<Value> parts;
    for (Value v : {slice.getStart(), slice.getStop(), slice.getStep()}) {
      bool none = llvm::isa<NoneType>(v.getType());
      parts.push_back(none ? cInt(loc, v == slice.getStep() ? 1 : 0, i64()) : toI64(loc, i64Parts(loc, v)[0]));
    }
    for (Value v : {slice.getStart(), slice.getStop()})
      parts.push_back(cInt(loc, llvm::isa<NoneType>(v.getType()) ? 0 : 1, i1()));
    mapValue(slice, parts);
    return true;
  }
  if (std::optional<ElementExpr> expr = elementExpr(op)) {
    if (fusesIntoUser(op))
      pending[op.getResult(0)] = std::move(*expr);
    else
      mapValue(op.getResult(0), materialize(loc, *expr));
    return true;
  }
  if (auto call = llvm::dyn_cast<CallBuiltinOp>(op)) {
    StringRef name = call.getCallee();
    if (name == "len") {
      Type t = call.getArgs()[0].getType();
      if (auto tuple = tupleOf(t))
        mapValue(call, cInt(loc, tuple.size(), i64()));
      else if (llvm::isa<RangeType>(t)) {
        SmallVector<Value, 1> bounds = values.lookup(call.getArgs()[0]);
        mapValue(call, rangeLength(loc, bounds[0], bounds[1], bounds[2]));
      }
      else
        mapValue(call, arith::IndexCastOp::create(b, loc, i64(), memref::DimOp::create(b, loc, one(call.getArgs()[0]), 0)).getResult());
      return true;
    }
    if (name.starts_with("lapack.")) {
      mapValue(call, lowerLapackCall(call));
      return true;
    }
    if (!name.starts_with("np.") && !name.starts_with("ndarray."))
      return false;
    FailureOr<SmallVector<Value>> r = lowerArrayCall(call);
    if (failed(r))
      return failure();
    mapValue(call, *r);
    return true;
  }
  if (!anyArray)
    return false;
  if (auto bin = llvm::dyn_cast<BinOp>(op); bin && bin.getKind() == "matmul") {
    mapValue(bin, dot(loc, one(bin.getLhs()), llvm::cast<MemRefType>(bin.getLhs().getType()), one(bin.getRhs()),
                      llvm::cast<MemRefType>(bin.getRhs().getType()), bin.getType()));
    return true;
  }
  if (auto bin = llvm::dyn_cast<BinOp>(op); bin && bin.getInplace() && isArray(bin.getLhs().getType())) {
    mapValue(bin, inplace(bin));
    return true;
  }
  if (llvm::isa<BinOp>(op))
    return op.emitError("UnsupportedError: this array operation is not supported yet"), failure();
  if (llvm::isa<func::ReturnOp, cf::BranchOp, cf::CondBranchOp, CastOp, func::CallOp, CallOp, MakeTupleOp, TupleGetOp,
                GetIterOp>(op) ||
      llvm::isa<arith::ArithDialect>(op.getDialect()))
    return false;
  return op.emitError("UnsupportedError: no lowering for ") << op.getName() << " on arrays", failure();
}
