// From the llvm dialect to what runs and what is shown: the object file the JIT links
// (translated to LLVM IR, given packed-call wrappers, optimized, compiled for the host CPU),
// and the LLVM IR and host assembly `--emit llvm-ir|asm` and f.inspect_llvm()/inspect_asm()
// show, optimized the same way.
#include "numlir-c/Py.h"
#include "numlir/Target/LLVMIR/StreamStores.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

#include <algorithm>
#include <chrono>
#include <mutex>

using namespace mlir;

/// A new target machine for this host's CPU and features, with code generation at `optLevel`.
static std::unique_ptr<llvm::TargetMachine> makeHostMachine(int optLevel) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return nullptr;
  builder->setCodeGenOptLevel(optLevel >= 3   ? llvm::CodeGenOptLevel::Aggressive
                              : optLevel == 2 ? llvm::CodeGenOptLevel::Default
                              : optLevel == 1 ? llvm::CodeGenOptLevel::Less
                                              : llvm::CodeGenOptLevel::None);
  auto tm = builder->createTargetMachine();
  return tm ? std::move(*tm) : nullptr;
}

/// Held while a host machine from `hostMachine` is in use (compiles take turns with it).
static std::mutex machineLock;

/// The host's target machine for code generation at `optLevel` (0-3), made once per process:
/// detecting the host and building a machine cost a millisecond a compile. Null if LLVM
/// cannot describe the host. The caller holds `machineLock`.
static llvm::TargetMachine *hostMachine(int optLevel) {
  static std::unique_ptr<llvm::TargetMachine> machines[4];
  optLevel = std::clamp(optLevel, 0, 3);
  if (!machines[optLevel])
    machines[optLevel] = makeHostMachine(optLevel);
  return machines[optLevel].get();
}

/// `_mlir_<name>(void **args)` for every function other modules can call, as MLIR's
/// ExecutionEngine makes them: each argument is read through the pointer in its slot, the
/// result written through the pointer after the arguments. The dispatcher calls these, and
/// only these (the functions themselves become internal).
static void addPackedWrappers(llvm::Module &module) {
  llvm::IRBuilder<> builder(module.getContext());
  llvm::Type *ptr = builder.getPtrTy();
  llvm::SmallVector<llvm::Function *> functions;
  for (llvm::Function &f : module)
    if (!f.isDeclaration() && !f.hasLocalLinkage())
      functions.push_back(&f);
  for (llvm::Function *f : functions) {
    auto *wrapper = llvm::Function::Create(llvm::FunctionType::get(builder.getVoidTy(), {ptr}, false),
                                           llvm::GlobalValue::ExternalLinkage, "_mlir_" + f->getName(), module);
    builder.SetInsertPoint(llvm::BasicBlock::Create(module.getContext(), "entry", wrapper));
    llvm::Value *slots = wrapper->getArg(0);
    llvm::SmallVector<llvm::Value *> args;
    for (llvm::Argument &arg : f->args()) {
      llvm::Value *at = builder.CreateLoad(ptr, builder.CreateConstGEP1_64(ptr, slots, arg.getArgNo()));
      args.push_back(builder.CreateLoad(arg.getType(), at));
    }
    llvm::CallInst *result = builder.CreateCall(f, args);
    if (!result->getType()->isVoidTy())
      builder.CreateStore(result, builder.CreateLoad(ptr, builder.CreateConstGEP1_64(ptr, slots, f->arg_size())));
    builder.CreateRetVoid();
    // Only the wrapper is called from outside. As an internal function the original is
    // inlined into it and then dropped; left external, O3 inlined a copy and kept the
    // original too, so every loop nest was optimized and compiled twice.
    f->setLinkage(llvm::GlobalValue::InternalLinkage);
  }
}

/// LLVM's default pipeline at O`optLevel` (as MLIR's makeOptimizingTransformer builds it,
/// vectorizers and unrolling on), with numlir's streaming-store passes added (for loop nests
/// that store at least `streamMinBytes`).
static void optimize(llvm::Module &module, int optLevel, uint64_t streamMinBytes, llvm::TargetMachine &tm) {
  llvm::LoopAnalysisManager loopAnalyses;
  llvm::FunctionAnalysisManager functionAnalyses;
  llvm::CGSCCAnalysisManager cgsccAnalyses;
  llvm::ModuleAnalysisManager moduleAnalyses;
  llvm::PipelineTuningOptions tuning;
  tuning.LoopUnrolling = tuning.LoopInterleaving = tuning.LoopVectorization = tuning.SLPVectorization = true;
  llvm::PassBuilder passBuilder(&tm, tuning);
  numlir::addStreamStorePasses(passBuilder, tm, streamMinBytes);
  passBuilder.registerModuleAnalyses(moduleAnalyses);
  passBuilder.registerCGSCCAnalyses(cgsccAnalyses);
  passBuilder.registerFunctionAnalyses(functionAnalyses);
  passBuilder.registerLoopAnalyses(loopAnalyses);
  passBuilder.crossRegisterProxies(loopAnalyses, functionAnalyses, cgsccAnalyses, moduleAnalyses);
  static const llvm::OptimizationLevel levels[] = {llvm::OptimizationLevel::O0, llvm::OptimizationLevel::O1,
                                                   llvm::OptimizationLevel::O2, llvm::OptimizationLevel::O3};
  llvm::ModulePassManager passes = passBuilder.buildPerModuleDefaultPipeline(levels[std::clamp(optLevel, 0, 3)]);
  passes.run(module, moduleAnalyses);
}

/// Translates to LLVM IR for the host, adds the packed-call wrappers, then optimizes at
/// O`optLevel`. Null (and `error` set) on failure.
static std::unique_ptr<llvm::Module> optimizedModule(MlirModule cModule, int optLevel, uint64_t streamMinBytes,
                                                     llvm::LLVMContext &llvmContext, llvm::TargetMachine &tm,
                                                     std::string &error) {
  auto llvmModule = translateModuleToLLVMIR(unwrap(cModule), llvmContext);
  if (!llvmModule) {
    error = "could not translate the module to LLVM IR";
    return nullptr;
  }
  llvmModule->setDataLayout(tm.createDataLayout());
  llvmModule->setTargetTriple(tm.getTargetTriple());
  addPackedWrappers(*llvmModule);
  optimize(*llvmModule, optLevel, streamMinBytes, tm);
  return llvmModule;
}

/// Machine code for `module` (an object file or assembly text) in `out`.
static bool emit(llvm::TargetMachine &tm, llvm::Module &module, llvm::CodeGenFileType type,
                 llvm::SmallVectorImpl<char> &out) {
  llvm::raw_svector_ostream stream(out);
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, stream, nullptr, type))
    return false;
  pm.run(module);
  return true;
}

/// The JIT's module, translated and optimized (O`optLevel`), as LLVM IR text or, with
/// `asmOut`, assembly.
static bool exportModule(MlirModule cModule, int optLevel, uint64_t streamMinBytes, bool asmOut, MlirStringCallback callback,
                         void *userData) {
  std::lock_guard<std::mutex> guard(machineLock);
  llvm::TargetMachine *tm = hostMachine(3);
  llvm::LLVMContext llvmContext;
  std::string error;
  auto llvmModule = tm ? optimizedModule(cModule, optLevel, streamMinBytes, llvmContext, *tm, error) : nullptr;
  if (!llvmModule)
    return false;
  llvm::SmallVector<char, 0> text;
  if (asmOut) {
    if (!emit(*tm, *llvmModule, llvm::CodeGenFileType::AssemblyFile, text))
      return false;
  } else {
    llvm::raw_svector_ostream os(text);
    llvmModule->print(os, nullptr);
  }
  callback(mlirStringRefCreate(text.data(), text.size()), userData);
  return true;
}

extern "C" bool numlirCompileObject(MlirModule module, int optLevel, uint64_t streamMinBytes, double *optimizeSeconds,
                                    MlirStringCallback onObject, void *objectUser,
                                    MlirStringCallback onError, void *errorUser) {
  auto start = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> guard(machineLock);
  llvm::TargetMachine *tm = hostMachine(optLevel);
  llvm::LLVMContext llvmContext;
  std::string error = "no target machine for this host";
  auto llvmModule = tm ? optimizedModule(module, optLevel, streamMinBytes, llvmContext, *tm, error) : nullptr;
  *optimizeSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  llvm::SmallVector<char, 0> object;
  if (llvmModule && !emit(*tm, *llvmModule, llvm::CodeGenFileType::ObjectFile, object))
    error = "the host's target machine cannot write object files";
  else if (llvmModule) {
    onObject(mlirStringRefCreate(object.data(), object.size()), objectUser);
    return true;
  }
  onError(mlirStringRefCreate(error.data(), error.size()), errorUser);
  return false;
}

extern "C" bool numlirExportLLVMIR(MlirModule module, int optLevel, uint64_t streamMinBytes, MlirStringCallback callback,
                                   void *userData) {
  return exportModule(module, optLevel, streamMinBytes, false, callback, userData);
}

extern "C" bool numlirExportAssembly(MlirModule module, int optLevel, uint64_t streamMinBytes, MlirStringCallback callback,
                                     void *userData) {
  return exportModule(module, optLevel, streamMinBytes, true, callback, userData);
}
