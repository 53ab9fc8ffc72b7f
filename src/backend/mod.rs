//! Code generation backends. `cpu`: the MLIR ExecutionEngine (LLVM ORC JIT, host CPU).
pub mod cpu;
