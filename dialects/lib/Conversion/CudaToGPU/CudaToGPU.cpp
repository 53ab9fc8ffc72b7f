// numlir-cuda-to-gpu: a CUDA kernel's std-stage module as a gpu.module for NVVM (see
// Passes.td). The cuda builtins arrive as calls of the simulator's `numlir_cuda_*`
// functions (lib/Conversion/PyToStd/Cuda.cpp numbers their arguments); here each becomes
// what a GPU does: gpu dialect ops where MLIR has them, PTX (inline assembly, which
// ptxas checks) for the warp intrinsics and barrier reductions it lacks.
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/Pass.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringSwitch.h"

#include <functional>

namespace mlir::py {
#define GEN_PASS_DEF_CONVERTCUDATOGPU
#include "numlir/Conversion/Passes.h.inc"
} // namespace mlir::py

using namespace mlir;

namespace {
constexpr StringLiteral kSharedGlobal = "__numlir_shared";
constexpr StringLiteral kDynamicSharedGlobal = "__numlir_dynamic_shared";
constexpr unsigned kSharedAddressSpace = 3; // NVPTX's .shared

/// Replaces one `numlir_cuda_*` call with what a GPU does.
class IntrinsicRewriter {
public:
  IntrinsicRewriter(gpu::GPUModuleOp module, int64_t sharedBytes)
      : module(module), b(module.getContext()), sharedBytes(sharedBytes) {}

  LogicalResult rewrite(func::CallOp call) {
    StringRef name = call.getCallee();
    Location loc = call.getLoc();
    b.setInsertionPoint(call);
    SmallVector<Value> args(call.getOperands());
    Value result;
    if (name == "numlir_cuda_index") {
      std::optional<int64_t> which = constant(args[0]);
      if (!which)
        return call.emitError("numlir_cuda_index takes a constant");
      result = index(loc, *which);
    } else if (name == "numlir_cuda_laneid") {
      result = toI64(loc, gpu::LaneIdOp::create(b, loc, /*upper_bound=*/nullptr));
    } else if (name == "numlir_cuda_barrier") {
      result = barrier(loc, constant(args[1]).value_or(0), args[2]);
    } else if (name == "numlir_cuda_warp") {
      result = warp(loc, constant(args[1]).value_or(0), args[2], args[3], args[4], args[5]);
    } else if (name == "numlir_cuda_lanemask") {
      result = asm_(loc, b.getI32Type(), {}, constant(args[0]).value_or(0) == 0 ? "activemask.b32 $0;" : "mov.u32 $0, %lanemask_lt;", "=r");
    } else if (name == "numlir_cuda_threadfence") {
      asm_(loc, Type(), {}, "membar.gl;", "");
    } else if (name == "numlir_cuda_shared") {
      result = shared(loc, constant(args[0]).value_or(-1));
    } else if (name == "numlir_cuda_print") {
      // CUDA's vprintf of the format and the arguments py-to-std made; the items the
      // simulator prints become dead stores.
      vprintf(loc, args[2], args[3]);
    } else if (name == "numlir_raise_detail") {
      // The values a raise names: a device raises nothing.
    } else {
      return call.emitError() << "a kernel calls '" << name << "', which has no GPU implementation";
    }
    if (call.getNumResults())
      call.getResult(0).replaceAllUsesWith(result);
    call.erase();
    return success();
  }

private:
  gpu::GPUModuleOp module;
  OpBuilder b;
  int64_t sharedBytes;

  static std::optional<int64_t> constant(Value v) {
    APInt value;
    if (matchPattern(v, m_ConstantInt(&value)))
      return value.getSExtValue();
    return std::nullopt;
  }
  Value toI64(Location loc, Value v) {
    if (llvm::isa<IndexType>(v.getType()))
      return arith::IndexCastOp::create(b, loc, b.getI64Type(), v);
    return arith::ExtUIOp::create(b, loc, b.getI64Type(), v);
  }
  Value c32(Location loc, int64_t v) { return arith::ConstantIntOp::create(b, loc, b.getI32Type(), v); }
  /// PTX inline assembly with `operands` (i32) and one result of `type` (or none).
  Value asm_(Location loc, Type type, ValueRange operands, StringRef text, StringRef constraints) {
    auto op = LLVM::InlineAsmOp::create(b, loc, type ? TypeRange{type} : TypeRange{}, operands, text, constraints,
                                        /*has_side_effects=*/true, /*is_align_stack=*/false,
                                        LLVM::tailcallkind::TailCallKind::None, /*asm_dialect=*/nullptr,
                                        /*operand_attrs=*/nullptr);
    return type ? op.getResult(0) : Value();
  }

  /// threadIdx, blockIdx, blockDim, gridDim (0-11, x y z each), and the dynamic shared
  /// memory's bytes (12).
  Value index(Location loc, int64_t which) {
    if (which == 12)
      return toI64(loc, asm_(loc, b.getI32Type(), {}, "mov.u32 $0, %dynamic_smem_size;", "=r"));
    auto dim = static_cast<gpu::Dimension>(which % 3);
    Value v;
    switch (which / 3) {
    case 0: v = gpu::ThreadIdOp::create(b, loc, dim); break;
    case 1: v = gpu::BlockIdOp::create(b, loc, dim); break;
    case 2: v = gpu::BlockDimOp::create(b, loc, dim); break;
    default: v = gpu::GridDimOp::create(b, loc, dim); break;
    }
    return toI64(loc, v);
  }

  /// syncthreads() and its count/and/or (1, 2, 3) forms over the predicate.
  Value barrier(Location loc, int64_t reduce, Value predicate) {
    if (reduce == 0) {
      gpu::BarrierOp::create(b, loc);
      return c32(loc, 0);
    }
    StringRef text = reduce == 1 ? "{ .reg .pred p; setp.ne.u32 p, $1, 0; bar.red.popc.u32 $0, 0, p; }"
                     : reduce == 2
                         ? "{ .reg .pred p, q; setp.ne.u32 p, $1, 0; bar.red.and.pred q, 0, p; selp.u32 $0, 1, 0, q; }"
                         : "{ .reg .pred p, q; setp.ne.u32 p, $1, 0; bar.red.or.pred q, 0, p; selp.u32 $0, 1, 0, q; }";
    return asm_(loc, b.getI32Type(), {predicate}, text, "=r,r");
  }

  /// The warp intrinsics (cuda_sim.rs's WarpOp numbers): shuffles move 64 bits as two
  /// 32-bit shuffles, narrower values as one; votes take the predicate in the low bits.
  Value warp(Location loc, int64_t op, Value mask, Value value, Value lane, Value width) {
    Type i32 = b.getI32Type(), i64 = b.getI64Type();
    if (op <= 3) {
      static constexpr StringLiteral modes[] = {"idx", "up", "down", "bfly"};
      // c: the segment mask ((32 - width) << 8), and the clamp lane (31, 0 for up).
      Value segment = arith::ShLIOp::create(b, loc, arith::SubIOp::create(b, loc, c32(loc, 32), width), c32(loc, 8));
      Value clamp = op == 1 ? segment : arith::OrIOp::create(b, loc, segment, c32(loc, 31)).getResult();
      std::string text = ("shfl.sync." + modes[op] + ".b32 $0, $1, $2, $3, $4;").str();
      auto shuffle = [&](Value half) { return asm_(loc, i32, {half, lane, clamp, mask}, text, "=r,r,r,r,r"); };
      Value low = shuffle(arith::TruncIOp::create(b, loc, i32, value));
      // A value of 32 bits or fewer (py-to-std widened it to 64): one shuffle, widened the
      // same way.
      if (auto zext = value.getDefiningOp<arith::ExtUIOp>(); zext && zext.getIn().getType().getIntOrFloatBitWidth() <= 32)
        return arith::ExtUIOp::create(b, loc, i64, low);
      if (auto sext = value.getDefiningOp<arith::ExtSIOp>(); sext && sext.getIn().getType().getIntOrFloatBitWidth() <= 32)
        return arith::ExtSIOp::create(b, loc, i64, low);
      Value high = shuffle(arith::TruncIOp::create(b, loc, i32, arith::ShRUIOp::create(b, loc, value, arith::ConstantIntOp::create(b, loc, i64, 32))));
      Value wideHigh = arith::ShLIOp::create(b, loc, arith::ExtUIOp::create(b, loc, i64, high), arith::ConstantIntOp::create(b, loc, i64, 32));
      return arith::OrIOp::create(b, loc, wideHigh, arith::ExtUIOp::create(b, loc, i64, low));
    }
    if (op == 7) {
      asm_(loc, Type(), {mask}, "bar.warp.sync $0;", "r");
      return arith::ConstantIntOp::create(b, loc, i64, 0);
    }
    Value predicate = arith::TruncIOp::create(b, loc, i32, value);
    StringRef text = op == 4 ? "{ .reg .pred p; setp.ne.u32 p, $1, 0; vote.sync.ballot.b32 $0, p, $2; }"
                     : op == 5
                         ? "{ .reg .pred p, q; setp.ne.u32 p, $1, 0; vote.sync.all.pred q, p, $2; selp.u32 $0, 1, 0, q; }"
                         : "{ .reg .pred p, q; setp.ne.u32 p, $1, 0; vote.sync.any.pred q, p, $2; selp.u32 $0, 1, 0, q; }";
    return arith::ExtUIOp::create(b, loc, i64, asm_(loc, i32, {predicate, mask}, text, "=r,r,r"));
  }

  /// A call of CUDA's `vprintf(format, arguments)` (the driver's printf buffer, printed on
  /// the host when the kernel ends); both are addresses as i64.
  void vprintf(Location loc, Value format, Value arguments) {
    auto ptr = LLVM::LLVMPointerType::get(b.getContext());
    auto callee = module.lookupSymbol<LLVM::LLVMFuncOp>("vprintf");
    if (!callee) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(module.getBody());
      callee = LLVM::LLVMFuncOp::create(b, loc, "vprintf", LLVM::LLVMFunctionType::get(b.getI32Type(), {ptr, ptr}));
    }
    Value f = LLVM::IntToPtrOp::create(b, loc, ptr, format), a = LLVM::IntToPtrOp::create(b, loc, ptr, arguments);
    LLVM::CallOp::create(b, loc, callee, ValueRange{f, a});
  }

  /// A generic pointer to the block's shared memory at `offset` (-1: the dynamic part).
  Value shared(Location loc, int64_t offset) {
    MLIRContext *ctx = b.getContext();
    bool dynamic = offset < 0;
    StringRef name = dynamic ? kDynamicSharedGlobal : kSharedGlobal;
    if (!SymbolTable::lookupSymbolIn(module, name)) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(module.getBody());
      auto type = LLVM::LLVMArrayType::get(b.getI8Type(), dynamic ? 0 : std::max<int64_t>(sharedBytes, 1));
      LLVM::GlobalOp::create(b, loc, type, /*isConstant=*/false,
                             dynamic ? LLVM::Linkage::External : LLVM::Linkage::Internal, name, Attribute(),
                             /*alignment=*/16, kSharedAddressSpace);
    }
    auto sharedPtr = LLVM::LLVMPointerType::get(ctx, kSharedAddressSpace);
    Value base = LLVM::AddressOfOp::create(b, loc, sharedPtr, name);
    if (!dynamic && offset > 0)
      base = LLVM::GEPOp::create(b, loc, sharedPtr, b.getI8Type(), base, ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(offset)});
    return LLVM::AddrSpaceCastOp::create(b, loc, LLVM::LLVMPointerType::get(ctx), base);
  }
};

/// Whether libdevice (NVIDIA's math library for device code) has the C math function
/// `name` as `__nv_<name>`: py-to-std calls libm for the math functions MLIR's math dialect
/// lacks or lowers inexactly (log1p, hypot, erf...).
bool inLibdevice(StringRef name) {
  static constexpr StringLiteral names[] = {
      "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "cbrt", "ceil", "copysign", "cos",
      "cosh", "erf", "erfc", "exp", "exp2", "expm1", "fabs", "floor", "fmod", "hypot", "lgamma", "log",
      "log10", "log1p", "log2", "nextafter", "pow", "remainder", "round", "sin", "sinh", "sqrt", "tan",
      "tanh", "tgamma", "trunc", "fmax", "fmin", "rint", "nearbyint", "ldexp"};
  StringRef base = name.ends_with("f") && name != "erf" && name != "erfc" && name != "fabs" ? name.drop_back() : name;
  if (name == "erff" || name == "erfcf" || name == "fabsf")
    base = name.drop_back();
  return llvm::is_contained(names, base);
}

/// libm's function `f` called as libdevice's (linked by nvvm-attach-target), through
/// llvm.call: convert-gpu-to-nvvm would route a func.call through a C wrapper
/// (`_mlir_ciface_*`) that libdevice does not have.
void libdeviceCalls(OpBuilder &b, func::FuncOp f, ArrayRef<func::CallOp> calls) {
  b.setInsertionPoint(f);
  FunctionType type = f.getFunctionType();
  auto declared = LLVM::LLVMFuncOp::create(b, f.getLoc(), ("__nv_" + f.getSymName()).str(),
                                           LLVM::LLVMFunctionType::get(type.getResult(0), type.getInputs()));
  for (func::CallOp call : calls) {
    b.setInsertionPoint(call);
    auto replacement = LLVM::CallOp::create(b, call.getLoc(), declared, call.getOperands());
    call.getResult(0).replaceAllUsesWith(replacement.getResult());
    call.erase();
  }
}

/// A body for the runtime's integer and float helpers that a GPU has no library for, in place
/// of their declaration (as src/runtime/math.rs computes them): numlir_gcd (Euclid's
/// algorithm on the magnitudes), numlir_lcm (|a / gcd * b|, 0 when gcd is 0) and
/// numlir_frexp_exponent (libdevice's ilogb + 1; 0 for 0, infinities and NaN). False for
/// any other function.
bool defineOnDevice(OpBuilder &b, gpu::GPUModuleOp module, func::FuncOp f) {
  StringRef name = f.getSymName();
  if (!llvm::is_contained({"numlir_gcd", "numlir_lcm", "numlir_frexp_exponent"}, name))
    return false;
  if (!f.isDeclaration()) // defined already (numlir_gcd, for numlir_lcm)
    return true;
  OpBuilder::InsertionGuard guard(b);
  Location loc = f.getLoc();
  Type i64 = b.getI64Type();
  Block *entry = f.addEntryBlock();
  b.setInsertionPointToStart(entry);
  auto c64 = [&](int64_t v) { return arith::ConstantIntOp::create(b, loc, i64, v).getResult(); };
  auto magnitude = [&](Value v) { // wrapping, as unsigned_abs then a cast
    Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, v, c64(0));
    return arith::SelectOp::create(b, loc, negative, arith::SubIOp::create(b, loc, c64(0), v), v).getResult();
  };
  if (name == "numlir_gcd") {
    Block *loop = b.createBlock(&f.getBody(), {}, {i64, i64}, {loc, loc});
    Block *body = b.createBlock(&f.getBody());
    Block *exit = b.createBlock(&f.getBody());
    b.setInsertionPointToEnd(entry);
    cf::BranchOp::create(b, loc, loop, ValueRange{magnitude(entry->getArgument(0)), magnitude(entry->getArgument(1))});
    b.setInsertionPointToEnd(loop);
    Value x = loop->getArgument(0), y = loop->getArgument(1);
    cf::CondBranchOp::create(b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, y, c64(0)), body, exit);
    b.setInsertionPointToEnd(body);
    cf::BranchOp::create(b, loc, loop, ValueRange{y, arith::RemUIOp::create(b, loc, x, y)});
    b.setInsertionPointToEnd(exit);
    func::ReturnOp::create(b, loc, x);
  } else if (name == "numlir_lcm") {
    auto gcd = module.lookupSymbol<func::FuncOp>("numlir_gcd");
    if (!gcd) {
      OpBuilder::InsertionGuard outer(b);
      b.setInsertionPoint(f);
      gcd = func::FuncOp::create(b, loc, "numlir_gcd", f.getFunctionType());
      gcd.setPrivate();
    }
    defineOnDevice(b, module, gcd);
    Value a = entry->getArgument(0), c = entry->getArgument(1);
    Value g = func::CallOp::create(b, loc, gcd, ValueRange{a, c}).getResult(0);
    Value none = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, g, c64(0));
    Value divisor = arith::SelectOp::create(b, loc, none, c64(1), g);
    Value product = arith::MulIOp::create(b, loc, arith::DivSIOp::create(b, loc, a, divisor), c);
    func::ReturnOp::create(b, loc, ValueRange{arith::SelectOp::create(b, loc, none, c64(0), magnitude(product)).getResult()});
  } else {
    Value x = entry->getArgument(0);
    Type f64 = x.getType();
    auto ilogb = module.lookupSymbol<LLVM::LLVMFuncOp>("__nv_ilogb");
    if (!ilogb) {
      OpBuilder::InsertionGuard outer(b);
      b.setInsertionPoint(f);
      ilogb = LLVM::LLVMFuncOp::create(b, loc, "__nv_ilogb", LLVM::LLVMFunctionType::get(b.getI32Type(), {f64}));
    }
    Value e = LLVM::CallOp::create(b, loc, ilogb, ValueRange{x}).getResult();
    e = arith::AddIOp::create(b, loc, arith::ExtSIOp::create(b, loc, i64, e), c64(1));
    Value finite = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, math::AbsFOp::create(b, loc, x),
                                         arith::ConstantOp::create(b, loc, b.getFloatAttr(f64, INFINITY)));
    Value nonzero = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x, arith::ConstantOp::create(b, loc, b.getFloatAttr(f64, 0.0)));
    Value normal = arith::AndIOp::create(b, loc, finite, nonzero);
    func::ReturnOp::create(b, loc, ValueRange{arith::SelectOp::create(b, loc, normal, e, c64(0)).getResult()});
  }
  return true;
}

/// Calls of the C library's complex function `base` (cmath's: two floats in and out) as
/// complex dialect ops, which convert-complex-to-standard lowers to real math (libdevice's).
void complexCalls(OpBuilder &b, StringRef base, ArrayRef<func::CallOp> calls) {
  for (func::CallOp call : calls) {
    b.setInsertionPoint(call);
    Location loc = call.getLoc();
    auto type = ComplexType::get(call.getOperand(0).getType());
    Value z = complex::CreateOp::create(b, loc, type, call.getOperand(0), call.getOperand(1));
    Value r = llvm::StringSwitch<std::function<Value()>>(base)
                  .Case("cexp", [&] { return complex::ExpOp::create(b, loc, z).getResult(); })
                  .Case("clog", [&] { return complex::LogOp::create(b, loc, z).getResult(); })
                  .Case("csqrt", [&] { return complex::SqrtOp::create(b, loc, z).getResult(); })
                  .Case("csin", [&] { return complex::SinOp::create(b, loc, z).getResult(); })
                  .Case("ccos", [&] { return complex::CosOp::create(b, loc, z).getResult(); })
                  .Case("ctan", [&] { return complex::TanOp::create(b, loc, z).getResult(); })
                  .Default([&] { return complex::TanhOp::create(b, loc, z).getResult(); })();
    call.getResult(0).replaceAllUsesWith(complex::ReOp::create(b, loc, r).getResult());
    call.getResult(1).replaceAllUsesWith(complex::ImOp::create(b, loc, r).getResult());
    call.erase();
  }
}

struct ConvertCudaToGPUPass : py::impl::ConvertCudaToGPUBase<ConvertCudaToGPUPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    auto entryAttr = module->getAttrOfType<FlatSymbolRefAttr>("py.entry");
    auto entry = entryAttr ? module.lookupSymbol<func::FuncOp>(entryAttr.getValue()) : nullptr;
    if (!entry) {
      module.emitError("numlir-cuda-to-gpu needs the kernel's entry (the module's py.entry)");
      return signalPassFailure();
    }
    OpBuilder b(ctx);
    b.setInsertionPointToEnd(module.getBody());
    auto gpuModule = gpu::GPUModuleOp::create(b, module.getLoc(), "kernels");
    // Everything the kernel's code defines and reads moves into the gpu.module.
    SmallVector<Operation *> moved;
    for (Operation &op : module.getBody()->getOperations())
      if (&op != gpuModule.getOperation())
        moved.push_back(&op);
    for (Operation *op : moved)
      op->moveBefore(gpuModule.getBody(), gpuModule.getBody()->end());
    // The kernel: the entry's arguments, a call of it, its status dropped.
    b.setInsertionPointToEnd(gpuModule.getBody());
    FunctionType type = entry.getFunctionType();
    // The kernel's name: the Python function's (`py.cuda_name`, one signature per module),
    // else the entry's. The entry itself becomes private: LLVM inlines it into the kernel.
    auto pyName = module->getAttrOfType<StringAttr>("py.cuda_name");
    std::string kernelName = pyName ? pyName.str() : (entry.getSymName() + "_kernel").str();
    if (module.lookupSymbol(kernelName) || gpuModule.lookupSymbol(kernelName))
      kernelName += "_kernel";
    entry.setPrivate();
    entry->setAttr("llvm.linkage", LLVM::LinkageAttr::get(ctx, LLVM::Linkage::Internal));
    auto kernel = gpu::GPUFuncOp::create(b, entry.getLoc(), kernelName, FunctionType::get(ctx, type.getInputs(), {}));
    kernel->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), UnitAttr::get(ctx));
    b.setInsertionPointToStart(&kernel.getBody().front());
    func::CallOp::create(b, entry.getLoc(), entry, kernel.getArguments());
    gpu::ReturnOp::create(b, entry.getLoc());
    module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(), UnitAttr::get(ctx));
    module->setAttr("numlir.cuda_kernel_name", StringAttr::get(ctx, kernelName));
    // The builtins.
    int64_t sharedBytes = 0;
    if (auto bytes = module->getAttrOfType<IntegerAttr>("py.cuda_shared_bytes"))
      sharedBytes = bytes.getInt();
    // Every call of a declared function, by callee, in one walk; each callee's calls become
    // what a GPU does, and the declarations then go.
    llvm::MapVector<Operation *, SmallVector<func::CallOp>> callsTo;
    gpuModule.walk([&](func::CallOp call) {
      auto callee = gpuModule.lookupSymbol<func::FuncOp>(call.getCallee());
      if (callee && callee.isDeclaration())
        callsTo[callee].push_back(call);
    });
    IntrinsicRewriter rewriter(gpuModule, sharedBytes);
    for (auto &[op, calls] : callsTo) {
      auto f = llvm::cast<func::FuncOp>(op);
      StringRef name = f.getSymName();
      StringRef complexBase = name.ends_with("f") ? name.drop_back() : name;
      if (inLibdevice(name) && f.getNumResults() == 1) {
        libdeviceCalls(b, f, calls);
      } else if (defineOnDevice(b, gpuModule, f)) {
        f->setAttr("llvm.linkage", LLVM::LinkageAttr::get(ctx, LLVM::Linkage::Internal));
      } else if (f.getNumArguments() == 2 && f.getNumResults() == 2 &&
                 llvm::is_contained({"cexp", "clog", "csqrt", "csin", "ccos", "ctan", "ctanh"}, complexBase)) {
        complexCalls(b, complexBase, calls);
      } else {
        for (func::CallOp call : calls)
          if (failed(rewriter.rewrite(call)))
            return signalPassFailure();
      }
    }
    for (auto f : llvm::make_early_inc_range(gpuModule.getOps<func::FuncOp>()))
      if (f.isDeclaration() && f.symbolKnownUseEmpty(gpuModule))
        f.erase();
  }
};
} // namespace
