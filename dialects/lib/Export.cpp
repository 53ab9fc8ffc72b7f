// LLVM IR and host assembly for a module in the llvm dialect: what `--emit llvm-ir|asm`
// and f.inspect_llvm()/inspect_asm() show. Both are optimized the way the JIT optimizes.
#include "Py/PyCAPI.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;

static std::unique_ptr<llvm::TargetMachine> hostMachine() {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return nullptr;
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  auto tm = builder->createTargetMachine();
  return tm ? std::move(*tm) : nullptr;
}

/// Translates and optimizes (O`optLevel`); `asmOut` chooses assembly over LLVM IR text.
static bool exportModule(MlirModule cModule, int optLevel, bool asmOut, MlirStringCallback callback,
                         void *userData) {
  llvm::LLVMContext llvmContext;
  auto llvmModule = translateModuleToLLVMIR(unwrap(cModule), llvmContext);
  auto tm = hostMachine();
  if (!llvmModule || !tm)
    return false;
  llvmModule->setDataLayout(tm->createDataLayout());
  llvmModule->setTargetTriple(tm->getTargetTriple());
  if (auto err = makeOptimizingTransformer(optLevel, 0, tm.get())(llvmModule.get())) {
    llvm::consumeError(std::move(err));
    return false;
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  if (asmOut) {
    llvm::SmallVector<char, 0> buffer;
    llvm::raw_svector_ostream out(buffer);
    llvm::legacy::PassManager pm;
    if (tm->addPassesToEmitFile(pm, out, nullptr, llvm::CodeGenFileType::AssemblyFile))
      return false;
    pm.run(*llvmModule);
    text.assign(buffer.begin(), buffer.end());
  } else {
    llvmModule->print(os, nullptr);
  }
  callback(mlirStringRefCreate(text.data(), text.size()), userData);
  return true;
}

extern "C" bool numlirExportLLVMIR(MlirModule module, int optLevel, MlirStringCallback callback,
                                   void *userData) {
  return exportModule(module, optLevel, false, callback, userData);
}

extern "C" bool numlirExportAssembly(MlirModule module, int optLevel, MlirStringCallback callback,
                                     void *userData) {
  return exportModule(module, optLevel, true, callback, userData);
}
