//! Code generation backends. `cpu`: llvm-dialect modules compiled for the host CPU to an
//! object file; `object`: an object file (just compiled, or from the on-disk cache) linked
//! into the process with LLVM ORC.
pub mod cpu;
pub mod object;
