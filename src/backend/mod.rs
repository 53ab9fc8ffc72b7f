//! Code generation backends. `cpu`: llvm-dialect modules compiled for the host CPU to an
//! object file, linked into the process with LLVM ORC (`cpu::object`; also for object files
//! from the on-disk cache). A CUDA backend (`cuda`: PTX, the CUDA driver loaded at run time)
//! will sit beside it.
pub mod cpu;
