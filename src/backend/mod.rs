//! Code generation backends. `cpu`: llvm-dialect modules compiled for the host CPU to an
//! object file, linked into the process with LLVM ORC (`cpu::object`; also for object files
//! from the on-disk cache). `cuda`: kernels as gpu.module, NVVM and PTX.
pub mod cpu;
pub mod cuda;
