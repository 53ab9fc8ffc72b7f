// numlir-generator-coroutines: makes each generator function an LLVM coroutine (switch
// lowering), once it is in the llvm dialect. py-to-std (Generators.cpp) leaves two markers:
//   llvm.call @numlir.coro_begin(%generator)  where the generator object is made: the
//       coroutine's handle goes into the object (word 2), which resumes it;
//   %resumed = llvm.call @numlir.coro_suspend() : () -> i1  at the start and at each yield.
// This pass adds the coroutine's frame (from malloc) at the function's start, turns each
// marker into llvm.coro.suspend (true: resumed, false: destroyed, and the function runs
// its return path, releasing what it holds), and each return into the final suspend,
// after storing the return's status in the object (word 3). The object also gets the
// addresses of the module's resume and destroy helpers (words 7 and 8), which the runtime
// calls. On the destroy path a return
// frees the frame instead. LLVM's CoroSplit pass (in the default pipeline) then splits the
// function into its start, resume and destroy parts, with what lives across a suspend in
// the frame.
#include "numlir/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::py {
#define GEN_PASS_DEF_GENERATORCOROUTINES
#include "numlir/Transforms/Passes.h.inc"
} // namespace mlir::py

using namespace mlir;

namespace {
constexpr StringLiteral kBeginMarker = "numlir.coro_begin";
constexpr StringLiteral kSuspendMarker = "numlir.coro_suspend";
/// The generator object's words (src/runtime/generators.rs).
constexpr int64_t kHandleWord = 2, kStatusWord = 3, kResumeWord = 7, kDestroyWord = 8;
/// Functions of the module that resume and destroy a generator object's coroutine: their
/// addresses go into the object, so that the runtime (a Python caller's `next`, the last
/// release) calls them with the C calling convention, not a split coroutine's own.
constexpr StringLiteral kResumeHelper = "numlir.generator_resume", kDestroyHelper = "numlir.generator_destroy";

bool calls(LLVM::CallOp call, StringRef name) {
  auto callee = call.getCallee();
  return callee && *callee == name;
}

LLVM::LLVMFuncOp declare(ModuleOp module, StringRef name, LLVM::LLVMFunctionType type) {
  if (auto f = module.lookupSymbol<LLVM::LLVMFuncOp>(name))
    return f;
  OpBuilder b(module.getBodyRegion());
  return LLVM::LLVMFuncOp::create(b, module.getLoc(), name, type);
}

class CoroutineBuilder {
public:
  CoroutineBuilder(LLVM::LLVMFuncOp func, LLVM::CallOp begin)
      : func(func), begin(begin), b(func.getContext()), loc(func.getLoc()) {}

  void run() {
    MLIRContext *ctx = func.getContext();
    auto module = func->getParentOfType<ModuleOp>();
    ptr = LLVM::LLVMPointerType::get(ctx);
    generator = begin.getOperand(0);
    SmallVector<LLVM::CallOp> suspends;
    SmallVector<LLVM::ReturnOp> returns;
    func.walk([&](LLVM::CallOp call) {
      if (calls(call, kSuspendMarker))
        suspends.push_back(call);
    });
    func.walk([&](LLVM::ReturnOp ret) { returns.push_back(ret); });

    // The frame, at the start.
    Block &entry = func.getBody().front();
    b.setInsertionPointToStart(&entry);
    Type token = LLVM::LLVMTokenType::get(ctx);
    Value null = LLVM::ZeroOp::create(b, loc, ptr);
    id = LLVM::CoroIdOp::create(b, loc, token, constant(b.getI32Type(), 0), null, null, null);
    Value size = LLVM::CoroSizeOp::create(b, loc, b.getI64Type());
    auto malloc = declare(module, "malloc", LLVM::LLVMFunctionType::get(ptr, {b.getI64Type()}));
    Value memory = LLVM::CallOp::create(b, loc, malloc, ValueRange{size}).getResult();
    handle = LLVM::CoroBeginOp::create(b, loc, ptr, id, memory);
    // Whether a suspend was left by destroy: returns then free the frame.
    destroying = LLVM::AllocaOp::create(b, loc, ptr, b.getI1Type(), constant(b.getI64Type(), 1));
    LLVM::StoreOp::create(b, loc, constant(b.getI1Type(), 0), destroying);

    // The blocks every suspend and return go to.
    done = new Block();
    func.getBody().push_back(done);
    b.setInsertionPointToEnd(done);
    LLVM::CoroEndOp::create(b, loc, b.getI1Type(), handle, constant(b.getI1Type(), 0),
                            LLVM::NoneTokenOp::create(b, loc));
    Type resultType = func.getFunctionType().getReturnType();
    Value result = LLVM::UndefOp::create(b, loc, resultType);
    result = LLVM::InsertValueOp::create(b, loc, result, constant(b.getI32Type(), 0), ArrayRef<int64_t>{0});
    result = LLVM::InsertValueOp::create(b, loc, result, generator, ArrayRef<int64_t>{1});
    result = LLVM::InsertValueOp::create(b, loc, result, handle, ArrayRef<int64_t>{2}); // the caller's
    LLVM::ReturnOp::create(b, loc, result);

    cleanup = new Block();
    func.getBody().push_back(cleanup);
    b.setInsertionPointToEnd(cleanup);
    Value frame = LLVM::CoroFreeOp::create(b, loc, ptr, id, handle);
    auto free = declare(module, "free", LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {ptr}));
    LLVM::CallOp::create(b, loc, free, ValueRange{frame});
    LLVM::BrOp::create(b, loc, done);

    // The handle into the generator object, where it is made, and the runtime's helpers.
    b.setInsertionPoint(begin);
    LLVM::StoreOp::create(b, loc, handle, word(generator, kHandleWord));
    LLVM::StoreOp::create(b, loc, LLVM::AddressOfOp::create(b, loc, ptr, kResumeHelper), word(generator, kResumeWord));
    LLVM::StoreOp::create(b, loc, LLVM::AddressOfOp::create(b, loc, ptr, kDestroyHelper), word(generator, kDestroyWord));
    begin.erase();

    for (LLVM::CallOp call : suspends)
      replaceSuspend(call);
    for (LLVM::ReturnOp ret : returns)
      replaceReturn(ret);

    SmallVector<Attribute> passthrough;
    if (auto old = func.getPassthroughAttr())
      passthrough.append(old.begin(), old.end());
    passthrough.push_back(b.getStringAttr("presplitcoroutine"));
    func.setPassthroughAttr(b.getArrayAttr(passthrough));
  }

private:
  LLVM::LLVMFuncOp func;
  LLVM::CallOp begin;
  OpBuilder b;
  Location loc;
  Type ptr;
  Value generator, id, handle, destroying;
  Block *done = nullptr, *cleanup = nullptr, *final = nullptr;

  Value constant(Type t, int64_t v) { return LLVM::ConstantOp::create(b, loc, t, b.getIntegerAttr(t, v)); }
  Value word(Value base, int64_t index) {
    return LLVM::GEPOp::create(b, loc, ptr, b.getI64Type(), base, ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(index)});
  }

  /// `%r = call @numlir.coro_suspend()`: suspends; resumed, it goes on with %r true;
  /// destroyed, with %r false and the destroying flag set. In a function that may catch
  /// GeneratorExit (py-to-std marks it numlir.generator_exit), a yield reached while being
  /// destroyed does not suspend again: it is destroyed at once. (The check is a load and a
  /// branch at every yield, so functions that cannot reach one that way go without.)
  void replaceSuspend(LLVM::CallOp call) {
    Block *before = call->getBlock();
    Block *after = before->splitBlock(call->getNextNode());
    Value resumed = after->addArgument(b.getI1Type(), call.getLoc());
    call.getResult().replaceAllUsesWith(resumed);
    Block *destroyed = new Block();
    func.getBody().getBlocks().insertAfter(Region::iterator(before), destroyed);
    b.setInsertionPointToEnd(destroyed);
    LLVM::StoreOp::create(b, loc, constant(b.getI1Type(), 1), destroying);
    LLVM::BrOp::create(b, loc, ValueRange{constant(b.getI1Type(), 0)}, after);
    if (func->hasAttr("numlir.generator_exit")) {
      Block *suspending = new Block();
      func.getBody().getBlocks().insertAfter(Region::iterator(before), suspending);
      b.setInsertionPoint(call);
      Value already = LLVM::LoadOp::create(b, loc, b.getI1Type(), destroying);
      LLVM::CondBrOp::create(b, loc, already, destroyed, suspending);
      call->moveBefore(suspending, suspending->end());
    }
    b.setInsertionPoint(call);
    Value save = LLVM::CoroSaveOp::create(b, loc, LLVM::LLVMTokenType::get(b.getContext()), handle);
    Value state = LLVM::CoroSuspendOp::create(b, loc, b.getI8Type(), save, constant(b.getI1Type(), 0));
    Value yes = constant(b.getI1Type(), 1);
    LLVM::SwitchOp::create(b, loc, state, done, ValueRange{}, ArrayRef<APInt>{APInt(8, 0), APInt(8, 1)},
                           BlockRange{after, destroyed}, ArrayRef<ValueRange>{ValueRange{yes}, ValueRange{}});
    call.erase();
  }

  /// A return: on the destroy path, frees the frame; else goes to the final suspend with
  /// its status (LLVM allows one final suspend).
  void replaceReturn(LLVM::ReturnOp ret) {
    if (!final)
      makeFinalSuspend();
    b.setInsertionPoint(ret);
    Value status = LLVM::ExtractValueOp::create(b, loc, ret.getOperand(0), ArrayRef<int64_t>{0});
    Value wasDestroyed = LLVM::LoadOp::create(b, loc, b.getI1Type(), destroying);
    LLVM::CondBrOp::create(b, loc, wasDestroyed, cleanup, ValueRange{}, final, ValueRange{status});
    ret.erase();
  }

  /// The last suspend: the status goes into the generator object first.
  void makeFinalSuspend() {
    final = new Block();
    func.getBody().push_back(final);
    Value status = final->addArgument(b.getI32Type(), loc);
    b.setInsertionPointToEnd(final);
    Value wide = LLVM::SExtOp::create(b, loc, b.getI64Type(), status);
    LLVM::StoreOp::create(b, loc, wide, word(generator, kStatusWord));
    Value state = LLVM::CoroSuspendOp::create(b, loc, b.getI8Type(), LLVM::NoneTokenOp::create(b, loc),
                                              constant(b.getI1Type(), 1));
    Block *never = new Block();
    func.getBody().push_back(never);
    LLVM::SwitchOp::create(b, loc, state, done, ValueRange{}, ArrayRef<APInt>{APInt(8, 0), APInt(8, 1)},
                           BlockRange{never, cleanup}, ArrayRef<ValueRange>{ValueRange{}, ValueRange{}});
    b.setInsertionPointToEnd(never);
    LLVM::UnreachableOp::create(b, loc); // a finished coroutine is never resumed
  }
};

/// `void helper(ptr generator)`: loads the object's coroutine handle and resumes or
/// destroys it.
void addHelper(ModuleOp module, StringRef name, bool destroy) {
  MLIRContext *ctx = module.getContext();
  OpBuilder b(module.getBodyRegion());
  Location loc = module.getLoc();
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  auto func = LLVM::LLVMFuncOp::create(b, loc, name, LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {ptr}),
                                       LLVM::Linkage::Internal);
  Block *body = func.addEntryBlock(b);
  b.setInsertionPointToEnd(body);
  Value at = LLVM::GEPOp::create(b, loc, ptr, b.getI64Type(), body->getArgument(0),
                                 ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(kHandleWord)});
  Value handle = LLVM::LoadOp::create(b, loc, ptr, at);
  if (destroy)
    LLVM::CallIntrinsicOp::create(b, loc, b.getStringAttr("llvm.coro.destroy"), ValueRange{handle},
                                  LLVM::FastmathFlagsAttr::get(ctx, LLVM::FastmathFlags::none));
  else
    LLVM::CoroResumeOp::create(b, loc, handle);
  LLVM::ReturnOp::create(b, loc, ValueRange{});
}

struct GeneratorCoroutinesPass : py::impl::GeneratorCoroutinesBase<GeneratorCoroutinesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    bool any = false;
    for (auto func : module.getOps<LLVM::LLVMFuncOp>()) {
      if (func.isExternal())
        continue;
      LLVM::CallOp begin;
      func.walk([&](LLVM::CallOp call) {
        if (calls(call, kBeginMarker))
          begin = call;
      });
      if (begin) {
        CoroutineBuilder(func, begin).run();
        any = true;
      }
    }
    if (any) {
      addHelper(module, kResumeHelper, /*destroy=*/false);
      addHelper(module, kDestroyHelper, /*destroy=*/true);
    }
    for (StringRef marker : {kBeginMarker, kSuspendMarker})
      if (auto f = module.lookupSymbol<LLVM::LLVMFuncOp>(marker))
        f.erase();
  }
};
} // namespace
