// py-to-std for the builtins of CUDA kernels (python/numlir/cuda/intrinsics.py). Each
// becomes a call of a `numlir_cuda_*` function, one meaning for both targets:
// - the simulator links them from its runtime (src/runtime/cuda_sim.rs);
// - the GPU pipeline replaces them with gpu dialect ops and PTX (numlir-cuda-to-gpu).
// Atomics are memref.atomic_rmw (or a compare-and-swap loop: generic_atomic_rmw) on the
// element, which LLVM makes atomic instructions on either target. Shared arrays are views of
// the block's shared memory at offsets this lowering assigns (`py.cuda_shared_bytes`).
#include "FunctionLowering.h"
#include "numlir/Dialect/Py/Transforms/ArrayTypeRules.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::py;

/// "file.py:12", where `loc` points into the source.
static std::string sourceLine(Location loc) {
  if (auto file = loc->findInstanceOf<FileLineColLoc>())
    return file.getFilename().str() + ":" + std::to_string(file.getLine());
  return "an unknown line";
}

std::string FunctionLowering::atLine(Location loc) { return " (at " + sourceLine(loc) + ")"; }

/// The raise site the simulator reports a barrier or warp intrinsic with, where its
/// threads cannot meet.
int FunctionLowering::cudaMisuseSite(Location loc, StringRef what) {
  // The threads of this kernel meet: the simulator runs them as coroutines.
  old->getParentOfType<ModuleOp>()->setAttr(kCudaMeets, UnitAttr::get(old.getContext()));
  return table.add(kCudaMisuseError, ("the threads of a block cannot meet at cuda." + what + "() at " +
                                      sourceLine(loc) + ": a thread " +
                                      (what.contains("sync") && !what.starts_with("syncthreads")
                                           ? "of the mask returned or waits at another warp intrinsic or barrier"
                                           : "returned, or waits at another barrier"))
                                         .str());
}

/// A memref of py array type `arrayPy` (C order, these constant sizes) over the memory at `ptr`.
Value FunctionLowering::arrayAt(Location loc, Value ptr, MemRefType arrayPy, ArrayRef<Value> sizes) {
  SmallVector<Type> parts;
  lowerType(arrayPy, parts);
  auto memref = llvm::cast<MemRefType>(parts[0]);
  auto desc = descriptorStruct(memref);
  Value d = LLVM::UndefOp::create(b, loc, desc);
  d = LLVM::InsertValueOp::create(b, loc, d, ptr, ArrayRef<int64_t>{0});
  d = LLVM::InsertValueOp::create(b, loc, d, ptr, ArrayRef<int64_t>{1});
  d = LLVM::InsertValueOp::create(b, loc, d, cInt(loc, 0, i64()), ArrayRef<int64_t>{2});
  Value stride = cInt(loc, 1, i64());
  for (int64_t k = memref.getRank() - 1; k >= 0; --k) {
    d = LLVM::InsertValueOp::create(b, loc, d, sizes[k], ArrayRef<int64_t>{3, k});
    d = LLVM::InsertValueOp::create(b, loc, d, stride, ArrayRef<int64_t>{4, k});
    stride = arith::MulIOp::create(b, loc, stride, sizes[k]);
  }
  return UnrealizedConversionCastOp::create(b, loc, TypeRange{memref}, ValueRange{d}).getResult(0);
}

/// `value` (of py type `t`) as the 64 bits a warp intrinsic moves; `fromBits` undoes it.
static Value toBits(OpBuilder &b, Location loc, Value v, Type t) {
  Type i64 = b.getI64Type();
  if (t.isF64())
    return arith::BitcastOp::create(b, loc, i64, v);
  if (t.isF32())
    return arith::ExtUIOp::create(b, loc, i64, arith::BitcastOp::create(b, loc, b.getI32Type(), v));
  if (t.getIntOrFloatBitWidth() < 64)
    return arith::ExtSIOp::create(b, loc, i64, v);
  return v;
}

static Value fromBits(OpBuilder &b, Location loc, Value bits, Type t) {
  if (t.isF64())
    return arith::BitcastOp::create(b, loc, t, bits);
  if (t.isF32())
    return arith::BitcastOp::create(b, loc, t, arith::TruncIOp::create(b, loc, b.getI32Type(), bits));
  if (t.getIntOrFloatBitWidth() < 64) {
    Type narrow = IntegerType::get(b.getContext(), t.getIntOrFloatBitWidth());
    return arith::TruncIOp::create(b, loc, narrow, bits);
  }
  return bits;
}

FailureOr<SmallVector<Value>> FunctionLowering::lowerCudaCall(CallBuiltinOp op) {
  Location loc = op.getLoc();
  StringRef name = op.getCallee();
  name.consume_front("cuda.");
  Type i32 = b.getI32Type();
  auto c32 = [&](int64_t v) { return cInt(loc, v, i32); };
  auto arg = [&](size_t i) { return op.getArgs()[i]; };
  auto asI32 = [&](Value pyValue) {
    return arith::TruncIOp::create(b, loc, i32, toI64(loc, i64Parts(loc, pyValue)[0])).getResult();
  };
  auto special = [&](int64_t which) { return callExternal(b, loc, symbols, "numlir_cuda_index", {c32(which)}, i64()); };
  // threadIdx (0-2), blockIdx (3-5), blockDim (6-8), gridDim (9-11), as cuda_sim.rs numbers them.
  for (auto [k, family] : llvm::enumerate(ArrayRef<StringRef>{"threadIdx.", "blockIdx.", "blockDim.", "gridDim."}))
    if (name.starts_with(family)) {
      int64_t axis = name.back() - 'x';
      return SmallVector<Value>{special(3 * k + axis)};
    }
  if (name == "laneid")
    return SmallVector<Value>{callExternal(b, loc, symbols, "numlir_cuda_laneid", {}, i64())};
  if (name == "grid" || name == "gridsize") {
    auto tuple = llvm::dyn_cast<TupleType>(op.getType());
    int64_t n = tuple ? tuple.size() : 1;
    SmallVector<Value> out;
    for (int64_t axis = 0; axis < n; ++axis) {
      Value blockDim = special(6 + axis);
      out.push_back(name == "grid" ? arith::AddIOp::create(b, loc, special(axis),
                                                           arith::MulIOp::create(b, loc, special(3 + axis), blockDim))
                                         .getResult()
                                   : arith::MulIOp::create(b, loc, blockDim, special(9 + axis)).getResult());
    }
    return out;
  }
  if (name.starts_with("syncthreads")) {
    int64_t reduce = llvm::StringSwitch<int64_t>(name).Case("syncthreads_count", 1).Case("syncthreads_and", 2).Case("syncthreads_or", 3).Default(0);
    Value predicate = reduce ? arith::ExtUIOp::create(b, loc, i32, truth(loc, widen(loc, one(arg(0)), arg(0).getType()))).getResult() : c32(0);
    Value r = callExternal(b, loc, symbols, "numlir_cuda_barrier", {c32(cudaMisuseSite(loc, name)), c32(reduce), predicate}, i32);
    if (!reduce)
      return SmallVector<Value>{};
    return SmallVector<Value>{arith::ExtSIOp::create(b, loc, i64(), r).getResult()};
  }
  if (name.starts_with("threadfence")) {
    callExternal(b, loc, symbols, "numlir_cuda_threadfence", ValueRange{}, TypeRange{});
    return SmallVector<Value>{};
  }
  if (name == "activemask" || name == "lanemask_lt") {
    Value mask = callExternal(b, loc, symbols, "numlir_cuda_lanemask", {c32(name == "activemask" ? 0 : 1)}, i32);
    return SmallVector<Value>{arith::ExtUIOp::create(b, loc, i64(), mask).getResult()};
  }
  // Warp intrinsics, numbered as cuda_sim.rs's WarpOp.
  std::optional<int64_t> warpOp = llvm::StringSwitch<std::optional<int64_t>>(name)
                                      .Case("shfl_sync", 0).Case("shfl_up_sync", 1).Case("shfl_down_sync", 2)
                                      .Case("shfl_xor_sync", 3).Case("ballot_sync", 4).Case("all_sync", 5)
                                      .Case("any_sync", 6).Case("syncwarp", 7).Default(std::nullopt);
  if (warpOp) {
    Value site = c32(cudaMisuseSite(loc, name));
    Value mask = name == "syncwarp" ? (op.getArgs().empty() ? c32(-1) : asI32(arg(0))) : asI32(arg(0));
    Value value = cInt(loc, 0, i64()), lane = c32(0), width = c32(32);
    Type valuePy;
    if (*warpOp <= 3) {
      valuePy = arg(1).getType();
      value = toBits(b, loc, one(arg(1)), valuePy);
      lane = asI32(arg(2));
      if (op.getArgs().size() > 3)
        width = asI32(arg(3));
    } else if (*warpOp <= 6) {
      value = arith::ExtUIOp::create(b, loc, i64(), truth(loc, widen(loc, one(arg(1)), arg(1).getType())));
    }
    Value r = callExternal(b, loc, symbols, "numlir_cuda_warp", {site, c32(*warpOp), mask, value, lane, width}, i64());
    if (*warpOp == 7)
      return SmallVector<Value>{};
    if (*warpOp <= 3)
      return SmallVector<Value>{fromBits(b, loc, r, valuePy)};
    return SmallVector<Value>{r};
  }
  if (name == "const.array_like") // the frozen array itself (its module global)
    return SmallVector<Value>{one(arg(0))};
  if (name == "shared.array" || name == "local.array") {
    auto arrayPy = llvm::cast<MemRefType>(op.getType());
    auto sizes = constantShape(arg(0));
    Type element = storageType(arrayPy.getElementType());
    auto complex = llvm::dyn_cast<ComplexType>(element);
    int64_t itemBytes = complex ? complex.getElementType().getIntOrFloatBitWidth() / 4
                                : std::max<unsigned>(1, element.getIntOrFloatBitWidth() / 8);
    int64_t count = 1;
    for (int64_t s : *sizes)
      count *= s;
    if (name == "local.array") { // the thread's own, on its stack
      auto plain = MemRefType::get(*sizes, element);
      Value alloca = memref::AllocaOp::create(b, loc, plain);
      SmallVector<Type> parts;
      lowerType(arrayPy, parts);
      return SmallVector<Value>{memref::CastOp::create(b, loc, parts[0], alloca).getResult()};
    }
    SmallVector<Value> sizeValues;
    if (count == 0) {
      // Dynamic shared memory (size 0): the launch's bytes, as a 1-d array of the dtype.
      Value bytes = special(12);
      sizeValues.push_back(arith::DivSIOp::create(b, loc, bytes, cInt(loc, itemBytes, i64())));
      Value ptr = callExternal(b, loc, symbols, "numlir_cuda_shared", {cInt(loc, -1, i64())}, ptrType());
      return SmallVector<Value>{arrayAt(loc, ptr, arrayPy, sizeValues)};
    }
    // A static array: its place in the block's shared memory, after the arrays before it.
    ModuleOp module = old->getParentOfType<ModuleOp>();
    auto used = module->getAttrOfType<IntegerAttr>(kCudaSharedBytes);
    int64_t offset = llvm::alignTo(used ? used.getInt() : 0, 16);
    module->setAttr(kCudaSharedBytes, b.getI64IntegerAttr(offset + count * itemBytes));
    for (int64_t s : *sizes)
      sizeValues.push_back(cInt(loc, s, i64()));
    Value ptr = callExternal(b, loc, symbols, "numlir_cuda_shared", {cInt(loc, offset, i64())}, ptrType());
    return SmallVector<Value>{arrayAt(loc, ptr, arrayPy, sizeValues)};
  }
  if (name.consume_front("atomic.")) {
    Value array = one(arg(0));
    auto arrayPy = llvm::cast<MemRefType>(arg(0).getType());
    Type elementPy = arrayPy.getElementType();
    Type element = storageType(elementPy);
    bool floating = llvm::isa<FloatType>(element), isUnsigned = elementPy.isUnsignedInteger();
    // The element: compare_and_swap's is the first; the others name it by index, wrapped
    // and (with boundscheck: the simulator) checked as a[i] is.
    SmallVector<Value> indices;
    size_t next = 1;
    if (name == "compare_and_swap") {
      indices.push_back(arith::ConstantIndexOp::create(b, loc, 0));
    } else {
      SmallVector<Value> sizes = sizesOf(loc, array);
      for (auto [axis, i] : llvm::enumerate(i64Parts(loc, arg(1))))
        indices.push_back(wrapIndex(loc, index(loc, toI64(loc, i)), sizes[axis], axis));
      next = 2;
    }
    auto operand = [&](size_t i) { return convertElement(b, loc, one(arg(i)), arg(i).getType(), elementPy); };
    Value value = operand(next);
    std::optional<arith::AtomicRMWKind> kind =
        llvm::StringSwitch<std::optional<arith::AtomicRMWKind>>(name)
            .Case("add", floating ? arith::AtomicRMWKind::addf : arith::AtomicRMWKind::addi)
            .Case("sub", floating ? arith::AtomicRMWKind::addf : arith::AtomicRMWKind::addi)
            .Case("max", floating ? arith::AtomicRMWKind::maximumf : isUnsigned ? arith::AtomicRMWKind::maxu : arith::AtomicRMWKind::maxs)
            .Case("min", floating ? arith::AtomicRMWKind::minimumf : isUnsigned ? arith::AtomicRMWKind::minu : arith::AtomicRMWKind::mins)
            .Case("nanmax", floating ? arith::AtomicRMWKind::maxnumf : isUnsigned ? arith::AtomicRMWKind::maxu : arith::AtomicRMWKind::maxs)
            .Case("nanmin", floating ? arith::AtomicRMWKind::minnumf : isUnsigned ? arith::AtomicRMWKind::minu : arith::AtomicRMWKind::mins)
            .Case("exch", arith::AtomicRMWKind::assign)
            .Case("and", arith::AtomicRMWKind::andi)
            .Case("or", arith::AtomicRMWKind::ori)
            .Case("xor", arith::AtomicRMWKind::xori)
            .Default(std::nullopt);
    if (kind) {
      if (name == "sub")
        value = floating ? arith::NegFOp::create(b, loc, value).getResult()
                         : arith::SubIOp::create(b, loc, cInt(loc, 0, element), value).getResult();
      Value old = memref::AtomicRMWOp::create(b, loc, *kind, value, array, indices);
      return SmallVector<Value>{old};
    }
    // inc, dec, cas, compare_and_swap: a new value computed from the old, in a
    // compare-and-swap loop (as CUDA's atomicInc/atomicDec/atomicCAS define it, unsigned).
    Value expected = name == "cas" || name == "compare_and_swap" ? value : Value();
    Value replacement = expected ? operand(next + 1) : value;
    auto atomic = memref::GenericAtomicRMWOp::create(b, loc, array, indices);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(atomic.getBody());
      Value current = atomic.getCurrentValue();
      Value updated;
      if (expected) {
        Value same = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, current, expected);
        updated = arith::SelectOp::create(b, loc, same, replacement, current);
      } else if (name == "inc") {
        Value wraps = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, current, replacement);
        Value plus = arith::AddIOp::create(b, loc, current, cInt(loc, 1, element));
        updated = arith::SelectOp::create(b, loc, wraps, cInt(loc, 0, element), plus);
      } else {
        Value zero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, current, cInt(loc, 0, element));
        Value above = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, current, replacement);
        Value minus = arith::SubIOp::create(b, loc, current, cInt(loc, 1, element));
        updated = arith::SelectOp::create(b, loc, arith::OrIOp::create(b, loc, zero, above), replacement, minus);
      }
      memref::AtomicYieldOp::create(b, loc, updated);
    }
    return SmallVector<Value>{atomic.getResult()};
  }
  op.emitError("UnsupportedError: cuda.") << name << " is not supported in kernels";
  return failure();
}
