// C API of the py dialect and its passes, for the Rust side (mlir-sys types).
#ifndef NUMLIR_C_PY_H
#define NUMLIR_C_PY_H

#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"

#ifdef __cplusplus
extern "C" {
#endif

MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Py, py);

/// Registers every py pass and the upstream passes numlir pipelines name, so textual
/// pipelines (the JIT's and numlir-opt's) can use them. Safe to call more than once.
MLIR_CAPI_EXPORTED void numlirRegisterPasses(void);
/// Inserts the dialects numlir uses (and their LLVM IR translations) into a registry.
MLIR_CAPI_EXPORTED void numlirRegisterDialects(MlirDialectRegistry registry);
/// Writes each numlir pass's argument, summary and options to standard output (for
/// numlir-opt --help), in pipeline order.
MLIR_CAPI_EXPORTED void numlirPrintPassHelp(void);
/// The LLVM IR of the first gpu.module of `module` (in the llvm dialect, NVVM's ops
/// included), as translated for the NVPTX backend before its optimization; false where the
/// module has none or it does not translate.
MLIR_CAPI_EXPORTED bool numlirGpuModuleLLVMIR(MlirModule module, MlirStringCallback callback, void *userData);
/// The object of the first gpu.binary of `module` (PTX text where gpu-module-to-binary
/// made assembly), handed to `callback`; false where the module has none.
MLIR_CAPI_EXPORTED bool numlirGpuBinaryObject(MlirModule module, MlirStringCallback callback, void *userData);

#ifdef __cplusplus
}
#endif

#endif // NUMLIR_C_PY_H

#ifdef __cplusplus
extern "C" {
#endif
/// Compiles a module in the llvm dialect to an object file for the host CPU at
/// O`optLevel` (loop nests storing at least `streamMinBytes` use non-temporal stores, see
/// StreamStores.h), with a packed wrapper `_mlir_<f>(void **)` for each public function:
/// `onObject` gets the bytes (with `objectUser`), or `onError` a message (with
/// `errorUser`). `optimizeSeconds` gets the time of the translation and optimization (the
/// rest is code generation).
MLIR_CAPI_EXPORTED bool numlirCompileObject(MlirModule module, int optLevel,
                                            uint64_t streamMinBytes, double *optimizeSeconds,
                                            MlirStringCallback onObject, void *objectUser,
                                            MlirStringCallback onError, void *errorUser);
/// Translates an llvm-dialect module to LLVM IR, optimizes it like the JIT and hands the
/// text to `callback`; false if translation fails.
MLIR_CAPI_EXPORTED bool numlirExportLLVMIR(MlirModule module, int optLevel,
                                          uint64_t streamMinBytes, MlirStringCallback callback, void *userData);
/// Same, then emits host assembly.
MLIR_CAPI_EXPORTED bool numlirExportAssembly(MlirModule module, int optLevel,
                                            uint64_t streamMinBytes, MlirStringCallback callback, void *userData);

/// Machine code linked from an object file (just compiled, or from the on-disk cache).
typedef struct NumlirObjectCode NumlirObjectCode;
/// Links the object `data[0..size)` into this process; `names[i]` resolve to `addresses[i]`,
/// other symbols to the process's own (libc, libm). Null on failure, reported to `onError`.
MLIR_CAPI_EXPORTED NumlirObjectCode *numlirLoadObject(const char *data, size_t size,
                                                     const char *const *names,
                                                     void *const *addresses, size_t count,
                                                     MlirStringCallback onError, void *userData);
/// The address of a symbol of the loaded code, or null (reported to `onError`).
MLIR_CAPI_EXPORTED void *numlirObjectLookup(NumlirObjectCode *code, const char *name,
                                           MlirStringCallback onError, void *userData);
MLIR_CAPI_EXPORTED void numlirObjectDestroy(NumlirObjectCode *code);
/// The host: target triple, CPU name and features, as the JIT targets them.
MLIR_CAPI_EXPORTED void numlirHostCpu(MlirStringCallback callback, void *userData);
#ifdef __cplusplus
}
#endif
