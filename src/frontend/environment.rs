//! What the frontend needs from the Python world, as plain data.
use super::bytecode::{PyVersion, Span};
use crate::diagnostics::CompileError;

/// A constant of `co_consts`.
#[derive(Debug, Clone, PartialEq)]
pub enum Constant {
    Int(i64),
    Float(f64),
    /// A complex literal (real, imaginary), as in `2.5j`.
    Complex(f64, f64),
    Bool(bool),
    None,
    Str(String),
    Tuple(Vec<Constant>),
    /// Something numlir does not compile (a big int, bytes, a code object...): its type name.
    Other(String),
}

/// A function's code object, read once by the Python bindings.
#[derive(Debug, Clone)]
pub struct FunctionSource {
    /// Unique symbol for this function within one compilation.
    pub key: String,
    pub name: String,
    pub filename: String,
    pub version: PyVersion,
    pub code: Vec<u8>,
    pub positions: Vec<Span>,
    pub consts: Vec<Constant>,
    pub names: Vec<String>,
    pub varnames: Vec<String>,
    /// The variable each LOAD_DEREF argument names (locals, cells and free variables).
    pub deref_names: Vec<String>,
    /// Variables of enclosing functions this function reads (`co_freevars`).
    pub freevars: Vec<String>,
    /// Parameters: the positional ones, then the tuple of `*args` when the function has one.
    pub arg_count: usize,
    pub flags: u32,
    /// The exception table of try/except/finally and with blocks (co_exceptiontable).
    pub exception_table: Vec<super::exceptions::ExceptionEntry>,
    /// Span of the `def` line, for errors about the function as a whole.
    pub def_span: Span,
    /// A comprehension, lambda or inner function made by MAKE_FUNCTION in compiled code:
    /// the enclosing variables it reads (`freevars`) come as a tuple, its last argument.
    pub nested: bool,
    /// For a nested function, the locals its free variables become (set by the frontend).
    pub closure_vars: Vec<usize>,
    /// The values of the last positional parameters' defaults (`__defaults__`), for calls
    /// that omit them.
    pub defaults: Vec<GlobalValue>,
    /// How many of the parameters are keyword-only (after the positional ones, before the
    /// tuple of `*args`), and their defaults (`__kwdefaults__`; None where there is none).
    pub kwonly: usize,
    pub kwdefaults: Vec<Option<GlobalValue>>,
}

/// A NumPy array's contents when a function is compiled (compiled code reads this copy), or
/// a NumPy scalar's value.
#[derive(Debug, PartialEq)]
pub struct ArrayConstant {
    pub dtype: crate::types::DType,
    pub shape: Vec<u64>,
    /// The elements in C order, as NumPy stores them (a bool is one byte, 0 or 1).
    pub data: Vec<u8>,
    /// A NumPy scalar (np.int32(5)), read as the element of a 0-d array of its dtype.
    pub scalar: bool,
}

/// What a global name (or an attribute of a module) is at compile time.
#[derive(Debug, Clone, PartialEq)]
pub enum GlobalValue {
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A complex number or a tuple of constants, compiled in by value.
    Constant(Constant),
    Module(String),
    /// A builtin or math function, by qualified name ("abs", "range", "math.sqrt").
    Builtin(String),
    /// Another numlir-compiled function, by its key.
    Function(String),
    ExceptionClass(String),
    /// A `with objmode(...)` block lifted into a function (python/numlir/objmode_blocks.py):
    /// its number in the process's registry (src/python/objmode.rs) and its results' types.
    ObjModeBlock { id: usize, outputs: Vec<crate::types::ArgType> },
    /// A function taught by `numlir.extending.overload`: its number there.
    Overloaded(usize),
    /// A value compiled code computes where it reads the name: the builtin of that name
    /// called with no arguments (`cuda.threadIdx.x`).
    Intrinsic(String),
    /// A NumPy dtype class (np.float32), by its dtype name.
    Dtype(String),
    /// A NumPy array, frozen at compile time as numba freezes global arrays.
    Array(std::sync::Arc<ArrayConstant>),
    /// A collections.namedtuple class, and its fields' defaults (`_field_defaults`) in field order.
    NamedTupleClass { class: crate::types::NamedClass, defaults: Vec<Option<Constant>> },
    /// Exists but cannot be compiled: a description of what it is ("plain Python function").
    Unsupported(String),
    Missing,
}

/// The implementation a call's literal arguments chose (`Environment::specialize`), and the
/// arguments it took in: the call passes the others on.
#[derive(Debug, Clone, PartialEq)]
pub struct Specialization {
    pub key: String,
    pub taken_keywords: Vec<String>,
    pub taken_positions: Vec<usize>,
}

pub trait Environment {
    fn source(&self, key: &str) -> Result<FunctionSource, CompileError>;
    fn global(&self, key: &str, name: &str) -> GlobalValue;
    fn attribute(&self, module: &str, name: &str) -> GlobalValue;
    /// What a free variable (of an enclosing function) holds now: compiled code takes its
    /// value at compile time, as numba does.
    fn closure(&self, key: &str, name: &str) -> GlobalValue;
    /// The key of the function made from code object `co_consts[index]` of function `key`
    /// (a comprehension, lambda or inner function), with the globals of `key`.
    fn nested(&self, key: &str, index: usize) -> Result<String, CompileError>;
    /// The key of a compiled function passed as an argument (its template joins the module).
    fn function_key(&self, id: crate::types::FunctionId) -> Result<String, CompileError>;
    /// The exception class `class` and all its subclasses, by the names compiled code gives
    /// them (a builtin's name, else "module:qualname"): what `except class:` catches.
    fn exception_subclasses(&self, class: &str) -> Vec<String> {
        vec![class.to_string()]
    }
    /// The key of the implementation overload `id`'s typing function gives for arguments of
    /// these types (typed py IR's, `;`-separated); its template joins the module.
    fn overload_impl(&self, id: usize, arg_types: &str) -> Result<String, CompileError> {
        let _ = arg_types;
        Err(CompileError::compile(format!("overload {id} is not known here")))
    }
    /// The key of the typing function of overload `id`: a call's keyword arguments and
    /// omitted defaults follow its parameters, as numba matches them; None where unknown.
    fn overload_typer(&self, id: usize) -> Option<String> {
        let _ = id;
        None
    }
    /// What compiled code's `f.name` is for overload `id`'s function `f` (the methods of a
    /// ufunc @vectorize built: `f.reduce`); Missing where it has none.
    fn overload_attribute(&self, id: usize, name: &str) -> GlobalValue {
        let _ = (id, name);
        GlobalValue::Missing
    }
    /// The key of numlir's Python implementation of the array method `name` (python/numlir/
    /// _numpy/), which `x.name(...)` calls with `x` first; None where numlir has none.
    fn array_method(&self, name: &str) -> Option<String> {
        let _ = name;
        None
    }
    /// The parameters NumPy's function `name` (`np.clip`) takes by position or keyword, in
    /// order; empty where it has no Python signature (ufuncs).
    fn numpy_parameters(&self, name: &str) -> Vec<String> {
        let _ = name;
        Vec::new()
    }
    /// Whether subscripts carry numlir's advanced indexing (a module built again after
    /// inference found an array index).
    fn advanced_indexing(&self) -> bool {
        false
    }
    /// For a call of function `key` with these positional and keyword arguments (each with
    /// its value where it is a literal): the implementation chosen for the literals that
    /// change its result's type (`np.unique(a, return_counts=True)`, `np.einsum("ij,jk",
    /// a, b)`); None where `key` chooses nothing.
    fn specialize(
        &self,
        key: &str,
        positional: &[Option<Constant>],
        keywords: &[(String, Option<Constant>)],
    ) -> Result<Option<Specialization>, CompileError> {
        let _ = (key, positional, keywords);
        Ok(None)
    }
    /// The key of one of numlir's own Python helpers that the frontend calls in place of a
    /// builtin (`sorted_by_key` for `sorted(xs, key=f)`: python/numlir/_sorting.py).
    fn helper(&self, name: &str) -> Result<String, CompileError> {
        Err(CompileError::unsupported(format!("{name} is not available here")))
    }
}
