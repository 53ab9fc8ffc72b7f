//! numlir: a JIT compiler for numeric Python on MLIR.
//!
//! Phases, one module each: `frontend` (bytecode -> untyped py IR), `pipeline` (named
//! pass pipelines; the passes themselves are C++ beside the dialect in dialects/),
//! `backend` (JIT), `runtime` (what compiled code needs at run time), `compiler` (the
//! driver), `python` (the extension module: dispatcher), `cache` and `cache_key`
//! (`cache=True`: machine code on disk), `opt` (numlir-opt).
pub mod backend;
pub mod cache;
pub mod cache_key;
pub mod compiler;
pub mod diagnostics;
pub mod dialect;
pub mod frontend;
pub mod opt;
pub mod pipeline;
pub mod python;
pub mod runtime;
pub mod types;
