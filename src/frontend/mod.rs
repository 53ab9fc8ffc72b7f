//! The frontend: CPython bytecode -> untyped `py` dialect IR.
//!
//! `bytecode` decodes instructions (versioned opcode tables), `cfg` finds basic blocks and
//! live locals, `exceptions` reads the exception table of try/except, `translate` simulates the value stack block by block and emits py ops, and
//! `environment` is how the frontend asks the Python side about globals and callees.
pub mod bytecode;
pub mod cfg;
pub mod environment;
pub mod exceptions;
mod opcodes_311;
pub mod translate;

pub use environment::{ArrayConstant, Constant, Environment, FunctionSource, GlobalValue, Specialization};
pub use translate::build_module;
