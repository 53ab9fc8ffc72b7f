// C API: the dialect handle, pass constructors and one-time registration of every pass
// and dialect numlir uses (only those: registering all of MLIR doubles the binary).
#include "numlir-c/Py.h"
#include "numlir/Dialect/Py/IR/PyDialect.h"
#include "numlir/InitAllPasses.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Pass.h"
#include "mlir/CAPI/Registration.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Extensions/InlinerExtension.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/Transforms/InlinerInterfaceImpl.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/IR/BufferDeallocationOpInterface.h"
#include "mlir/Dialect/Arith/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/Transforms/BufferViewFlowOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/Transforms/AllocationOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/ControlFlow/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Conversion/OpenMPToLLVM/ConvertOpenMPToLLVM.h"
#include "mlir/Conversion/SCFToOpenMP/SCFToOpenMP.h"
#include "mlir/Transforms/Passes.h"
// The GPU target: gpu.module -> NVVM -> PTX (kernels of numlir.cuda).
#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ComplexToLLVM/ComplexToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"

#include <mutex>
#include "llvm/Support/CommandLine.h"

#include <cstdlib>
#include <sstream>

using namespace mlir;

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Py, py, mlir::py::PyDialect)

extern "C" void numlirRegisterPasses(void) {
  static std::once_flag once;
  std::call_once(once, [] {
    // LLVM options numlir changes from LLVM's defaults: runtime unrolling of loops with
    // several exits, which every loop that can raise has (the raise paths leave the loop):
    // int() in a histogram loop runs 1.4x faster. (Turning epilogue vectorization off would
    // cut array kernels' compile times by up to 22%, but costs 5% on rows of a few hundred.)
    std::vector<std::string> words{"numlir", "-unroll-runtime-multi-exit"};
    // NUMLIR_LLVM_OPTIONS="-opt-a -opt-b=1": LLVM's own command-line options, for
    // experiments with its optimizer (as `opt` and `llc` take them).
    if (const char *options = std::getenv("NUMLIR_LLVM_OPTIONS")) {
      std::istringstream in(options);
      for (std::string w; in >> w;)
        words.push_back(w);
    }
    std::vector<const char *> argv;
    for (auto &w : words)
      argv.push_back(w.c_str());
    llvm::cl::ParseCommandLineOptions(argv.size(), argv.data(), "numlir", &llvm::errs());
    py::registerAllNumlirPasses();
    // Upstream passes the pipelines in src/compiler/pipeline.rs name.
    registerCanonicalizerPass();
    registerCSEPass();
    registerInlinerPass();
    registerSCCPPass();
    registerSymbolDCEPass();
    registerLoopInvariantCodeMotionPass();
    registerConvertMathToLLVMPass();
    registerConvertMathToLibmPass();
    registerConvertMathToFuncsPass();
    registerArithToLLVMConversionPass();
    registerConvertControlFlowToLLVMPass();
    registerConvertFuncToLLVMPass();
    registerFinalizeMemRefToLLVMConversionPass();
    registerConvertIndexToLLVMPass();
    registerUBToLLVMConversionPass();
    registerReconcileUnrealizedCastsPass();
    registerConvertToLLVMPass();
    registerSCFToControlFlowPass();
    registerConvertSCFToOpenMPPass(); // prange loops (parallel=True)
    registerConvertComplexToStandardPass();
    memref::registerExpandStridedMetadataPass();
    // Array code: linalg to loops, and freeing temporaries.
    registerLinalgPasses();
    bufferization::registerBufferizationPasses();
    registerConvertBufferizationToMemRefPass();
    registerLiftControlFlowToSCFPass();
    registerLowerAffinePass();
    arith::registerArithExpandOpsPass();
    math::registerMathExpandOpsPass();
    // CUDA kernels: NVVM and PTX.
    registerConvertGpuOpsToNVVMOpsPass();
    registerGpuNVVMAttachTargetPass();
    registerGpuModuleToBinaryPassPass();
  });
}

extern "C" void numlirRegisterDialects(MlirDialectRegistry cRegistry) {
  DialectRegistry &registry = *unwrap(cRegistry);
  registry.insert<py::PyDialect, arith::ArithDialect, cf::ControlFlowDialect, func::FuncDialect,
                  math::MathDialect, memref::MemRefDialect, scf::SCFDialect, ub::UBDialect,
                  LLVM::LLVMDialect, linalg::LinalgDialect, bufferization::BufferizationDialect,
                  complex::ComplexDialect, omp::OpenMPDialect, gpu::GPUDialect, NVVM::NVVMDialect>();
  // What ownership-based buffer deallocation asks of the ops it meets.
  arith::registerBufferDeallocationOpInterfaceExternalModels(registry);
  cf::registerBufferDeallocationOpInterfaceExternalModels(registry);
  scf::registerBufferDeallocationOpInterfaceExternalModels(registry);
  memref::registerAllocationOpInterfaceExternalModels(registry);
  memref::registerBufferViewFlowOpInterfaceExternalModels(registry);
  func::registerInlinerExtension(registry);
  LLVM::registerInlinerInterface(registry);
  // The conversions `convert-to-llvm` style passes look up through dialect interfaces.
  arith::registerConvertArithToLLVMInterface(registry);
  cf::registerConvertControlFlowToLLVMInterface(registry);
  registerConvertFuncToLLVMInterface(registry);
  registerConvertMathToLLVMInterface(registry);
  registerConvertComplexToLLVMInterface(registry);
  registerConvertMemRefToLLVMInterface(registry);
  ub::registerConvertUBToLLVMInterface(registry);
  index::registerConvertIndexToLLVMInterface(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  // prange loops: scf.parallel -> omp (convert-scf-to-openmp) -> LLVM IR calling libomp.
  registerConvertOpenMPToLLVMInterface(registry);
  registerOpenMPDialectTranslation(registry);
  // CUDA kernels: the NVVM target (nvvm-attach-target, gpu-module-to-binary) and the
  // translation of gpu.module contents to LLVM IR for NVPTX.
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  registerGPUDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
}

extern "C" bool numlirGpuModuleLLVMIR(MlirModule cModule, MlirStringCallback callback, void *userData) {
  gpu::GPUModuleOp gpuModule;
  unwrap(cModule)->walk([&](gpu::GPUModuleOp m) {
    if (!gpuModule)
      gpuModule = m;
  });
  if (!gpuModule)
    return false;
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule = translateModuleToLLVMIR(gpuModule, llvmContext, "kernels");
  if (!llvmModule)
    return false;
  std::string text;
  llvm::raw_string_ostream os(text);
  llvmModule->print(os, nullptr);
  callback(mlirStringRefCreate(text.data(), text.size()), userData);
  return true;
}

extern "C" bool numlirGpuBinaryObject(MlirModule cModule, MlirStringCallback callback, void *userData) {
  bool found = false;
  unwrap(cModule)->walk([&](gpu::BinaryOp binary) {
    if (found || binary.getObjects().empty())
      return;
    auto object = llvm::cast<gpu::ObjectAttr>(binary.getObjects()[0]);
    StringRef bytes = object.getObject().getValue();
    callback(mlirStringRefCreate(bytes.data(), bytes.size()), userData);
    found = true;
  });
  return found;
}

extern "C" void numlirPrintPassHelp(void) {
  numlirRegisterPasses();
  // As mlir-opt lists passes: `--name - summary`, then each option, aligned on the widest.
  SmallVector<const PassInfo *> infos;
  size_t width = 0;
  for (py::PassConstructor create : py::numlirPassConstructors)
    if (const PassInfo *info = PassInfo::lookup(create()->getArgument())) {
      infos.push_back(info);
      width = std::max({width, info->getPassArgument().size(), info->getOptionWidth()});
    }
  for (const PassInfo *info : infos)
    info->printHelpStr(/*indent=*/2, /*descIndent=*/width + 7); // past "  --", the name and a space
  llvm::outs().flush();
}
