// Machine code into the process: an object file numlirCompileObject (Export.cpp) wrote, just
// now or in an earlier process (the on-disk cache), is linked with ORC's LLJIT over
// RuntimeDyld. Also the host CPU's description, part of every cache key.
#include "numlir-c/Py.h"

#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/RTDyldObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/SectionMemoryManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"

#include <memory>
#include <string>

using namespace llvm;
using namespace llvm::orc;

struct NumlirObjectCode {
  std::unique_ptr<LLJIT> jit;
};

static void report(Error error, MlirStringCallback onError, void *userData) {
  std::string text = toString(std::move(error));
  if (onError)
    onError(mlirStringRefCreate(text.data(), text.size()), userData);
}

extern "C" NumlirObjectCode *numlirLoadObject(const char *data, size_t size,
                                              const char *const *names,
                                              void *const *addresses, size_t count,
                                              MlirStringCallback onError, void *userData) {
  InitializeNativeTarget();
  InitializeNativeTargetAsmPrinter();
  // RuntimeDyld links the large-code-model objects the host target machine writes.
  auto linkingLayer = [](ExecutionSession &session) -> Expected<std::unique_ptr<ObjectLayer>> {
    return std::make_unique<RTDyldObjectLinkingLayer>(
        session, [](const MemoryBuffer &) { return std::make_unique<SectionMemoryManager>(); });
  };
  // No platform: compiled code has no static constructors or destructors to run, and the
  // generic one compiles helper IR on every creation and destruction.
  auto jit = LLJITBuilder()
                 .setObjectLinkingLayerCreator(linkingLayer)
                 .setPlatformSetUp(setUpInactivePlatform)
                 .create();
  if (!jit) {
    report(jit.takeError(), onError, userData);
    return nullptr;
  }
  JITDylib &main = (*jit)->getMainJITDylib();
  // libm and libc come from the process, the runtime helpers from the given addresses.
  auto process = DynamicLibrarySearchGenerator::GetForCurrentProcess(
      (*jit)->getDataLayout().getGlobalPrefix());
  if (!process) {
    report(process.takeError(), onError, userData);
    return nullptr;
  }
  main.addGenerator(std::move(*process));
  SymbolMap runtime;
  for (size_t i = 0; i < count; ++i)
    runtime[(*jit)->mangleAndIntern(names[i])] = {ExecutorAddr::fromPtr(addresses[i]),
                                                   JITSymbolFlags::Exported};
  if (Error error = main.define(absoluteSymbols(std::move(runtime)))) {
    report(std::move(error), onError, userData);
    return nullptr;
  }
  auto buffer = MemoryBuffer::getMemBufferCopy(StringRef(data, size), "numlir-cached-object");
  if (Error error = (*jit)->addObjectFile(std::move(buffer))) {
    report(std::move(error), onError, userData);
    return nullptr;
  }
  return new NumlirObjectCode{std::move(*jit)};
}

extern "C" void *numlirObjectLookup(NumlirObjectCode *code, const char *name,
                                    MlirStringCallback onError, void *userData) {
  auto address = code->jit->lookup(name);
  if (!address) {
    report(address.takeError(), onError, userData);
    return nullptr;
  }
  return address->toPtr<void *>();
}

extern "C" void numlirObjectDestroy(NumlirObjectCode *code) { delete code; }

extern "C" void numlirHostCpu(MlirStringCallback callback, void *userData) {
  std::string text = "unknown";
  if (auto host = JITTargetMachineBuilder::detectHost())
    text = host->getTargetTriple().str() + " " + host->getCPU() + " " +
           host->getFeatures().getString();
  callback(mlirStringRefCreate(text.data(), text.size()), userData);
}
