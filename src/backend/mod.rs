//! Code generation backends. `cpu`: the MLIR ExecutionEngine (LLVM ORC JIT, host CPU);
//! `object`: the same machine code linked back from the on-disk cache.
pub mod cpu;
pub mod object;
