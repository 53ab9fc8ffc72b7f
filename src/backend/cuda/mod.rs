//! The CUDA backend: the device side of `@cuda.jit` kernels (`driver`: the CUDA driver API,
//! loaded at run time). The kernel's pipeline to PTX is `compiler::cuda`.
pub mod driver;
