//! The extension module `numlir._core`: the dispatcher that compiles on first call per
//! argument types and calls machine code, and the environment that shows the frontend a
//! Python function's code and globals.
use crate::{
    backend::cpu::{CompiledFunction, Slot, MAX_ARGS, MAX_WORDS},
    cache::CachedMetadata,
    cache_key::cache_slot,
    compiler::{timing_enabled, CompileOptions, Compiler, Request},
    diagnostics::CompileError,
    frontend::{bytecode::{PyVersion, Span}, Constant, Environment, FunctionSource, GlobalValue},
    pipeline::Stage,
    runtime::arrays::{box_array, data_of, owner_of, read_array, ArrayRejection},
    runtime::namedtuples::{class_object, instantiate, named_class},
    types::{ArgType, DType, Layout, ResultPart, ReturnType, ScalarType, TupleId},
};
use pyo3::{
    exceptions::{PyRuntimeError, PyTypeError, PyValueError},
    prelude::*,
    types::{PyBool, PyBytes, PyComplex, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple},
};
use melior::ir::Module;
use std::{
    cell::RefCell,
    collections::HashMap,
    ffi::CString,
    sync::{Arc, Mutex, OnceLock, RwLock},
    time::Instant,
};

/// The process's compiler (one MLIR context), used by one thread at a time.
pub fn compiler() -> &'static Mutex<Compiler> {
    static COMPILER: OnceLock<Mutex<Compiler>> = OnceLock::new();
    COMPILER.get_or_init(|| Mutex::new(Compiler::new()))
}

/// The compiler, even after a panic in another compilation (the context stays usable:
/// a failed compile leaves no state behind but its own module).
pub fn lock_compiler() -> std::sync::MutexGuard<'static, Compiler> {
    compiler().lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Builds the py module of `function` for `args` and hands it to `then` with the compiler.
/// The GIL is released while waiting for the compiler and while `then` runs (the passes
/// and LLVM), and held only for the frontend, which reads Python objects: other threads
/// keep calling compiled code during a compile. (Waiting for the compiler while holding
/// the GIL could deadlock with a thread that holds the compiler and wants the GIL.)
fn with_built_module<R: Send>(
    py: Python<'_>,
    function: &Py<PyAny>,
    args: &[ArgType],
    ret: Option<ArgType>,
    options: &CompileOptions,
    then: impl for<'c> FnOnce(&'c Compiler, Module<'c>, Instant) -> Result<R, CompileError> + Send,
) -> PyResult<R> {
    let result = py.detach(|| {
        let compiler = lock_compiler();
        let start = Instant::now();
        let module = Python::attach(|py| {
            with_request(py, function.bind(py), args, ret, options, |request| compiler.build(request))
        })?;
        then(&compiler, module, start)
    });
    result.map_err(|e| to_py_err(py, e))
}

/// Builtins compiled code may call, by name.
const BUILTINS: &[&str] = &["abs", "min", "max", "int", "float", "bool", "round", "range", "len", "complex", "divmod", "pow"];
/// NumPy functions compiled code may call (as np.<name>).
const NUMPY_FUNCTIONS: &[&str] = &[
    "empty", "zeros", "ones", "full", "empty_like", "zeros_like", "ones_like", "full_like", "arange",
    "linspace", "eye", "identity", "copy", "sqrt", "exp", "log", "log2", "log10", "expm1", "log1p",
    "sin", "cos", "tan", "arcsin", "arccos", "arctan", "arctan2", "sinh", "cosh", "tanh", "abs",
    "absolute", "negative", "positive", "floor", "ceil", "trunc", "rint", "sign", "power", "square",
    "minimum", "maximum", "fmin", "fmax", "hypot", "isnan", "isinf", "isfinite", "logical_and",
    "logical_or", "logical_xor", "logical_not", "where", "clip", "sum", "prod", "min", "max", "mean",
    "std", "var", "argmin", "argmax", "any", "all", "cumsum", "cumprod", "dot", "vdot", "outer",
    "trace", "matmul", "add", "subtract", "multiply", "divide", "true_divide", "real", "imag",
    "conj", "conjugate", "floor_divide", "remainder", "mod", "fmod", "float_power", "exp2", "cbrt",
    "logaddexp", "logaddexp2", "deg2rad", "rad2deg", "degrees", "radians", "heaviside", "ldexp",
    "gcd", "lcm", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "invert", "left_shift",
    "right_shift", "nextafter", "signbit", "copysign", "arcsinh", "arccosh", "arctanh", "fabs",
    "reciprocal", "greater", "greater_equal", "less", "less_equal", "equal", "not_equal", "spacing",
    "divmod", "modf", "frexp", "nanmin", "nanmax",
];
/// NumPy functions that are another by a second name: np.amin is np.min.
const NUMPY_ALIASES: &[(&str, &str)] = &[("amin", "min"), ("amax", "max")];
/// NumPy scalar types usable as dtypes (np.float32) and conversions (np.float32(x)).
const NUMPY_DTYPES: &[&str] = &[
    "bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32",
    "float64", "intp", "complex64", "complex128", "intc", "uintc", "uintp", "longlong", "ulonglong",
];
/// cmath functions compiled code may call.
const CMATH_FUNCTIONS: &[&str] = &[
    "sqrt", "exp", "log", "log10", "sin", "cos", "tan", "sinh", "cosh", "tanh", "phase", "polar", "rect",
    "isnan", "isinf", "isfinite", "acos", "asin", "atan", "acosh", "asinh", "atanh", "isclose",
];
/// operator-module functions compiled code may call (operator.add is `+`).
const OPERATOR_FUNCTIONS: &[&str] = &[
    "add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "lshift", "rshift", "and_", "or_", "xor",
    "matmul", "iadd", "isub", "imul", "itruediv", "ifloordiv", "imod", "ipow", "ilshift", "irshift",
    "iand", "ior", "ixor", "imatmul", "lt", "le", "eq", "ne", "gt", "ge", "neg", "pos", "invert",
    "inv", "not_", "truth",
];
/// math functions compiled code may call.
const MATH_FUNCTIONS: &[&str] = &[
    "sqrt", "exp", "expm1", "log", "log1p", "log2", "log10", "pow", "sin", "cos", "tan", "asin",
    "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "floor", "ceil",
    "trunc", "fabs", "copysign", "hypot", "nextafter", "isnan", "isinf", "isfinite", "erf", "erfc", "gamma",
    "lgamma", "radians", "degrees", "exp2", "cbrt", "ldexp", "frexp", "modf", "gcd", "lcm", "fmod",
    "remainder", "isclose",
];

/// Renders a CompileError as the numlir exception the Python layer defines.
pub fn to_py_err(py: Python<'_>, error: CompileError) -> PyErr {
    let make = || -> PyResult<PyErr> {
        let errors = py.import("numlir.errors")?;
        let span = error.span.as_ref();
        let exc = errors.getattr("_make")?.call1((
            error.kind.python_name(),
            &error.message,
            span.map(|s| s.file.clone()),
            span.map(|s| s.line),
            span.map(|s| s.col),
            span.map(|s| s.end_line),
            span.map(|s| s.end_col),
            error.hint.clone(),
        ))?;
        Ok(PyErr::from_value(exc))
    };
    make().unwrap_or_else(|e| e)
}

/// The frontend's view of Python: functions by key, their code and their globals.
struct PyEnvironment<'py> {
    py: Python<'py>,
    functions: RefCell<HashMap<String, Bound<'py, PyAny>>>,
}

impl<'py> PyEnvironment<'py> {
    fn new(py: Python<'py>) -> Self {
        Self { py, functions: RefCell::new(HashMap::new()) }
    }

    /// A symbol name for `function`, unique within this compilation.
    fn key_for(&self, function: &Bound<'py, PyAny>) -> String {
        let mut functions = self.functions.borrow_mut();
        if let Some((k, _)) = functions.iter().find(|(_, f)| f.is(function)) {
            return k.clone();
        }
        let base: String = function
            .getattr("__name__")
            .and_then(|n| n.extract::<String>())
            .unwrap_or_else(|_| "function".into())
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' })
            .collect();
        let mut key = base.clone();
        let mut n = 2;
        while functions.contains_key(&key) {
            key = format!("{base}_{n}");
            n += 1;
        }
        functions.insert(key.clone(), function.clone());
        key
    }

    fn classify(&self, value: &Bound<'py, PyAny>) -> PyResult<GlobalValue> {
        let py = self.py;
        if value.is_instance_of::<PyBool>() {
            return Ok(GlobalValue::Bool(value.extract()?));
        }
        if value.is_instance_of::<PyInt>() {
            return Ok(match value.extract::<i64>() {
                Ok(i) => GlobalValue::Int(i),
                Err(_) => GlobalValue::Unsupported("an int too large for int64".into()),
            });
        }
        if value.is_instance_of::<PyFloat>() {
            return Ok(GlobalValue::Float(value.extract()?));
        }
        if value.is_exact_instance_of::<PyComplex>() || value.is_exact_instance_of::<PyTuple>() {
            fn compilable(c: &Constant) -> bool {
                match c {
                    Constant::Tuple(items) => items.iter().all(compilable),
                    Constant::Other(_) | Constant::Str(_) => false,
                    _ => true,
                }
            }
            let c = read_constant(value)?;
            if compilable(&c) {
                return Ok(GlobalValue::Constant(c));
            }
        }
        let math = py.import("math")?;
        if value.is(&math) {
            return Ok(GlobalValue::Module("math".into()));
        }
        let cmath = py.import("cmath")?;
        if value.is(&cmath) {
            return Ok(GlobalValue::Module("cmath".into()));
        }
        let operator = py.import("operator")?;
        if value.is(&operator) {
            return Ok(GlobalValue::Module("operator".into()));
        }
        for name in OPERATOR_FUNCTIONS {
            if value.is(&operator.getattr(*name)?) {
                return Ok(GlobalValue::Builtin(format!("operator.{name}")));
            }
        }
        for name in CMATH_FUNCTIONS {
            if value.is(&cmath.getattr(*name)?) {
                return Ok(GlobalValue::Builtin(format!("cmath.{name}")));
            }
        }
        let numpy = py.import("numpy")?;
        if value.is(&numpy) {
            return Ok(GlobalValue::Module("numpy".into()));
        }
        for name in NUMPY_FUNCTIONS {
            if numpy.getattr(*name).is_ok_and(|f| value.is(&f)) {
                return Ok(GlobalValue::Builtin(format!("np.{name}")));
            }
        }
        for (alias, name) in NUMPY_ALIASES {
            if numpy.getattr(*alias).is_ok_and(|f| value.is(&f)) {
                return Ok(GlobalValue::Builtin(format!("np.{name}")));
            }
        }
        for name in NUMPY_DTYPES {
            if numpy.getattr(*name).is_ok_and(|f| value.is(&f)) {
                let dtype: String = numpy.getattr("dtype")?.call1((value,))?.getattr("name")?.extract()?;
                return Ok(GlobalValue::Dtype(dtype));
            }
        }
        if let Ok(d) = value.cast::<Dispatcher>() {
            let func = d.borrow().py_func.bind(py).clone();
            return Ok(GlobalValue::Function(self.key_for(&func)));
        }
        let builtins = py.import("builtins")?;
        for name in BUILTINS {
            if value.is(&builtins.getattr(*name)?) {
                return Ok(GlobalValue::Builtin((*name).into()));
            }
        }
        for name in MATH_FUNCTIONS {
            if value.is(&math.getattr(*name)?) {
                return Ok(GlobalValue::Builtin(format!("math.{name}")));
            }
        }
        let base_exception = builtins.getattr("BaseException")?;
        let is_class = value.is_instance_of::<pyo3::types::PyType>();
        if is_class {
            if let Some(class) = named_class(value.cast::<pyo3::types::PyType>()?)? {
                let given = value.getattr("_field_defaults")?;
                let given = given.cast::<PyDict>()?;
                let defaults = class
                    .fields
                    .iter()
                    .map(|f| given.get_item(f)?.map(|d| read_constant(&d)).transpose())
                    .collect::<PyResult<_>>()?;
                return Ok(GlobalValue::NamedTupleClass { class, defaults });
            }
        }
        if is_class
            && value.cast::<pyo3::types::PyType>()?.is_subclass(&base_exception)?
            && value.getattr("__module__")?.extract::<String>()? == "builtins"
        {
            return Ok(GlobalValue::ExceptionClass(value.getattr("__name__")?.extract()?));
        }
        let what = if value.is_instance_of::<pyo3::types::PyFunction>() {
            "a plain Python function (not compiled with @numlir.njit)".to_string()
        } else if value.is_instance_of::<pyo3::types::PyModule>() {
            format!("the module '{}'", value.getattr("__name__")?.extract::<String>()?)
        } else {
            format!("a value of type '{}'", value.get_type().name()?)
        };
        Ok(GlobalValue::Unsupported(what))
    }

    fn read_source(&self, key: &str, function: &Bound<'py, PyAny>) -> PyResult<FunctionSource> {
        let code = function.getattr("__code__")?;
        let version: (u8, u8) = {
            let info = self.py.import("sys")?.getattr("version_info")?;
            (info.getattr("major")?.extract()?, info.getattr("minor")?.extract()?)
        };
        let version = PyVersion::from_minor(version.0, version.1).ok_or_else(|| {
            PyRuntimeError::new_err(format!("numlir decodes CPython 3.11 bytecode; this is {}.{}", version.0, version.1))
        })?;
        let positions = code
            .call_method0("co_positions")?
            .try_iter()?
            .map(|p| {
                let (line, end_line, col, end_col): (Option<u32>, Option<u32>, Option<u32>, Option<u32>) =
                    p?.extract()?;
                Ok(Span {
                    line: line.unwrap_or(0),
                    end_line: end_line.unwrap_or(0),
                    col: col.unwrap_or(0),
                    end_col: end_col.unwrap_or(0),
                })
            })
            .collect::<PyResult<Vec<_>>>()?;
        let strings = |name: &str| -> PyResult<Vec<String>> { code.getattr(name)?.extract() };
        let consts = code
            .getattr("co_consts")?
            .try_iter()?
            .map(|c| read_constant(&c?))
            .collect::<PyResult<Vec<_>>>()?;
        let first_line: u32 = code.getattr("co_firstlineno")?.extract()?;
        let kwonly: usize = code.getattr("co_kwonlyargcount")?.extract()?;
        let mut flags: u32 = code.getattr("co_flags")?.extract()?;
        if kwonly > 0 {
            flags |= 0x08; // reported like **kwargs: keyword-only parameters are not supported
        }
        Ok(FunctionSource {
            key: key.to_string(),
            name: code.getattr("co_name")?.extract()?,
            filename: code.getattr("co_filename")?.extract()?,
            version,
            code: code.getattr("co_code")?.cast::<PyBytes>()?.as_bytes().to_vec(),
            positions,
            consts,
            names: strings("co_names")?,
            varnames: strings("co_varnames")?,
            deref_names: deref_names(&code)?,
            freevars: strings("co_freevars")?,
            arg_count: code.getattr("co_argcount")?.extract()?,
            flags,
            exception_table_start: first_exception_entry(
                code.getattr("co_exceptiontable")?.cast::<PyBytes>()?.as_bytes(),
            ),
            def_span: Span { line: first_line, end_line: first_line, col: 0, end_col: 0 },
        })
    }
}

/// The variable name of each LOAD_DEREF argument: CPython numbers locals, then cells, then
/// free variables in one space, and says which is which through `_varname_from_oparg`.
fn deref_names(code: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    // At most this many (a cell that is also an argument shares the argument's number).
    let count = code.getattr("co_nlocals")?.extract::<usize>()?
        + code.getattr("co_cellvars")?.len()?
        + code.getattr("co_freevars")?.len()?;
    Ok((0..count).map_while(|i| code.call_method1("_varname_from_oparg", (i,)).ok()?.extract().ok()).collect())
}

/// Byte offset where the first entry of a 3.11 exception table starts (entries begin with
/// varints of 6 bits per byte, 0x40 marking continuation; offsets count code units).
fn first_exception_entry(table: &[u8]) -> Option<usize> {
    let mut bytes = table.iter();
    let mut b = *bytes.next()?;
    let mut value = (b & 63) as usize;
    while b & 64 != 0 {
        b = *bytes.next()?;
        value = (value << 6) | (b & 63) as usize;
    }
    Some(value * 2)
}

fn read_constant(c: &Bound<'_, PyAny>) -> PyResult<Constant> {
    Ok(if c.is_none() {
        Constant::None
    } else if c.is_instance_of::<PyBool>() {
        Constant::Bool(c.extract()?)
    } else if c.is_instance_of::<PyInt>() {
        match c.extract::<i64>() {
            Ok(i) => Constant::Int(i),
            Err(_) => Constant::Other("int (too large for int64)".into()),
        }
    } else if c.is_instance_of::<PyFloat>() {
        Constant::Float(c.extract()?)
    } else if let Ok(z) = c.cast::<PyComplex>() {
        Constant::Complex(z.real(), z.imag())
    } else if c.is_instance_of::<PyString>() {
        Constant::Str(c.extract()?)
    } else if c.is_instance_of::<PyTuple>() {
        Constant::Tuple(c.try_iter()?.map(|x| read_constant(&x?)).collect::<PyResult<_>>()?)
    } else {
        Constant::Other(c.get_type().name()?.to_string())
    })
}

impl Environment for PyEnvironment<'_> {
    fn source(&self, key: &str) -> Result<FunctionSource, CompileError> {
        let function = self.functions.borrow().get(key).cloned();
        let function = function.ok_or_else(|| CompileError::compile(format!("unknown function {key}")))?;
        self.read_source(key, &function).map_err(|e| CompileError::unsupported(e.to_string()))
    }

    fn global(&self, key: &str, name: &str) -> GlobalValue {
        let function = self.functions.borrow().get(key).cloned();
        let Some(function) = function else { return GlobalValue::Missing };
        let lookup = || -> PyResult<GlobalValue> {
            let globals = function.getattr("__globals__")?;
            let globals = globals.cast::<PyDict>()?;
            if let Some(v) = globals.get_item(name)? {
                return self.classify(&v);
            }
            let builtins = self.py.import("builtins")?;
            if let Ok(v) = builtins.getattr(name) {
                return self.classify(&v);
            }
            // A function compiled eagerly (an explicit signature) is compiled at decoration,
            // before its own name is bound: a call of that name is self-recursion.
            if function.getattr("__name__")?.extract::<String>()? == name {
                return Ok(GlobalValue::Function(key.to_string()));
            }
            Ok(GlobalValue::Missing)
        };
        lookup().unwrap_or(GlobalValue::Missing)
    }

    fn closure(&self, key: &str, name: &str) -> GlobalValue {
        let function = self.functions.borrow().get(key).cloned();
        let Some(function) = function else { return GlobalValue::Missing };
        let lookup = || -> PyResult<GlobalValue> {
            let freevars: Vec<String> = function.getattr("__code__")?.getattr("co_freevars")?.extract()?;
            let Some(i) = freevars.iter().position(|f| f == name) else { return Ok(GlobalValue::Missing) };
            match function.getattr("__closure__")?.get_item(i)?.getattr("cell_contents") {
                Ok(v) => self.classify(&v),
                // An inner function compiled at its decoration, before the enclosing function
                // bound its name: a call of that name is self-recursion (as for globals).
                Err(_) if function.getattr("__name__")?.extract::<String>()? == name => {
                    Ok(GlobalValue::Function(key.to_string()))
                }
                Err(_) => Ok(GlobalValue::Missing),
            }
        };
        lookup().unwrap_or(GlobalValue::Missing)
    }

    fn attribute(&self, module: &str, name: &str) -> GlobalValue {
        let lookup = || -> PyResult<GlobalValue> {
            let m = self.py.import(module)?;
            match m.getattr(name) {
                Ok(v) => {
                    let g = self.classify(&v)?;
                    Ok(match g {
                        GlobalValue::Unsupported(_) => GlobalValue::Unsupported(format!(
                            "{module}.{name}, which numlir does not support yet"
                        )),
                        g => g,
                    })
                }
                Err(_) => Ok(GlobalValue::Missing),
            }
        };
        lookup().unwrap_or(GlobalValue::Missing)
    }
}

/// One compiled signature.
struct Overload {
    key: Vec<ArgType>,
    declared_ret: Option<ArgType>,
    function: CompiledFunction,
}

/// A numlir-compiled function: `njit(f)` returns one.
#[pyclass(frozen, dict, module = "numlir._core", name = "Dispatcher", subclass)]
pub struct Dispatcher {
    #[pyo3(get)]
    pub(crate) py_func: Py<PyAny>,
    /// How to compile; `options.keep_object` is cache=True (machine code is stored on disk
    /// and loaded by later processes).
    options: CompileOptions,
    /// nogil=True: the GIL is released while compiled code runs.
    nogil: bool,
    /// Positional parameters of the Python function.
    arg_count: usize,
    /// Default values of the last parameters (numbers only), used for omitted arguments.
    defaults: Vec<(ScalarType, Slot)>,
    /// Explicit signatures were given: compile nothing else.
    explicit: bool,
    overloads: RwLock<Vec<Arc<Overload>>>,
}

fn scalar_of(value: &Bound<'_, PyAny>) -> Option<(ScalarType, Slot)> {
    if value.is_instance_of::<PyBool>() {
        Some((ScalarType::Bool, value.is_truthy().ok()? as Slot))
    } else if value.is_instance_of::<PyFloat>() {
        Some((ScalarType::Float64, value.extract::<f64>().ok()?.to_bits()))
    } else if value.is_instance_of::<PyInt>() {
        match value.extract::<i64>() {
            Ok(i) => Some((ScalarType::Int64, i as Slot)),
            // Above int64: a uint64 (an explicit uint64 signature takes it).
            Err(_) => Some((ScalarType::UInt64, value.extract::<u64>().ok()?)),
        }
    } else {
        None
    }
}

/// Whether an argument of type `from` may be passed where an explicit signature has `to`:
/// numba's safe scalar conversions, and any array layout where the signature says A.
fn accepts(to: ArgType, from: ArgType) -> bool {
    match (from, to) {
        (ArgType::Scalar(f), ArgType::Scalar(t)) => convertible(f, t),
        (ArgType::Array { dtype: d1, ndim: n1, layout: l1 }, ArgType::Array { dtype: d2, ndim: n2, layout: l2 }) => {
            d1 == d2 && n1 == n2 && (l1 == l2 || l2 == Layout::A)
        }
        (ArgType::Tuple(f), ArgType::Tuple(t)) => {
            let (fi, ti) = (f.items(), t.items());
            f == t || (f.class() == t.class() && fi.len() == ti.len() && ti.iter().zip(fi.iter()).all(|(t, f)| accepts(*t, *f)))
        }
        _ => false,
    }
}

/// Appends the words of an argument of type `from` converted to `to` (which accepts it).
fn convert_words(from: ArgType, to: ArgType, words: &[Slot], out: &mut Vec<Slot>) {
    match (from, to) {
        (ArgType::Scalar(f), ArgType::Scalar(t)) => {
            out.extend_from_slice(&convert_slot(f, t, words).expect("checked by accepts")[..t.words()])
        }
        (ArgType::Tuple(f), ArgType::Tuple(t)) if f != t => {
            let mut at = 0;
            for (fi, ti) in f.items().iter().zip(t.items().iter()) {
                convert_words(*fi, *ti, &words[at..at + fi.words()], out);
                at += fi.words();
            }
        }
        _ => out.extend_from_slice(words),
    }
}

/// A scalar slot's value, whatever its type (narrow ints sit sign- or zero-extended in
/// their slot, a float32 as its bits, a complex64 as two float32s).
enum SlotValue {
    Int(i128),
    Float(f64),
    Complex(f64, f64),
}

fn decode_slot(t: ScalarType, slots: &[Slot]) -> SlotValue {
    use ScalarType::*;
    let slot = slots[0];
    match t {
        Bool | UInt8 | UInt16 | UInt32 | UInt64 => SlotValue::Int(slot as i128),
        Int8 | Int16 | Int32 | Int64 => SlotValue::Int(slot as i64 as i128),
        Float32 => SlotValue::Float(f32::from_bits(slot as u32) as f64),
        Float64 => SlotValue::Float(f64::from_bits(slot)),
        Complex64 => SlotValue::Complex(f32::from_bits(slot as u32) as f64, f32::from_bits((slot >> 32) as u32) as f64),
        Complex128 => SlotValue::Complex(f64::from_bits(slot), f64::from_bits(slots[1])),
    }
}

/// The slots of a value of type `t` (the first `t.words()` of them: two for a complex128):
/// ints wrap to its width (as a cast in C would), floats round. No allocation: explicit
/// signatures convert on every call.
fn encode_slot(t: ScalarType, v: &SlotValue) -> [Slot; 2] {
    use ScalarType::*;
    let int = |i: i128| -> Slot {
        let bits = 8 * t.size() as u32;
        let masked = (i as u128) & (u128::MAX >> (128 - bits));
        match t {
            Int8 | Int16 | Int32 | Int64 => {
                let shift = 128 - bits; // sign-extend from `bits`
                (((masked << shift) as i128) >> shift) as i64 as Slot
            }
            _ => masked as Slot,
        }
    };
    let (re, im) = match v {
        SlotValue::Int(i) => (*i as f64, 0.0),
        SlotValue::Float(f) => (*f, 0.0),
        SlotValue::Complex(re, im) => (*re, *im),
    };
    let slot = match t {
        Bool => match v {
            SlotValue::Int(i) => (*i != 0) as Slot,
            _ => (re != 0.0 || im != 0.0) as Slot,
        },
        Float32 => (re as f32).to_bits() as Slot,
        Float64 => re.to_bits(),
        Complex64 => (re as f32).to_bits() as Slot | (((im as f32).to_bits() as Slot) << 32),
        Complex128 => return [re.to_bits(), im.to_bits()],
        _ => match v {
            SlotValue::Int(i) => int(*i),
            _ => unreachable!("checked by convertible"),
        },
    };
    [slot, 0]
}

/// Whether an explicit signature's `to` takes an argument of type `from`: numba's
/// conversions between numbers (bool -> int -> float -> complex, ints of any width), never
/// a float or complex to an int.
fn convertible(from: ScalarType, to: ScalarType) -> bool {
    use ScalarType::*;
    let rank = |t: ScalarType| match t {
        Bool => 0,
        Float32 | Float64 => 2,
        Complex64 | Complex128 => 3,
        _ => 1,
    };
    from == to || (to != Bool && rank(from) <= rank(to))
}

/// Converts an argument's slots for an explicit signature the way numba does.
fn convert_slot(from: ScalarType, to: ScalarType, slots: &[Slot]) -> Option<[Slot; 2]> {
    if !convertible(from, to) {
        return None;
    }
    Some(encode_slot(to, &decode_slot(from, slots)))
}

impl Dispatcher {
    /// Keyword arguments from Python placed by parameter name, omitted ones taken from the
    /// function's defaults, with CPython's messages for what does not bind.
    fn bind_keywords<'py>(&self, py: Python<'py>, args: &Bound<'py, PyTuple>, kwargs: &Bound<'py, PyDict>) -> PyResult<Bound<'py, PyTuple>> {
        let function = self.py_func.bind(py);
        let name: String = function.getattr("__name__")?.extract()?;
        let code = function.getattr("__code__")?;
        let names: Vec<String> = code.getattr("co_varnames")?.extract()?;
        let names = &names[..self.arg_count.min(names.len())];
        let defaults = function.getattr("__defaults__")?;
        let defaults: Vec<Bound<'py, PyAny>> = if defaults.is_none() { Vec::new() } else { defaults.try_iter()?.collect::<PyResult<_>>()? };
        if args.len() > names.len() {
            let (n, d) = (names.len(), defaults.len());
            let takes = if d == 0 { format!("{n}") } else { format!("from {} to {n}", n - d) };
            let plural = if n == 1 && d == 0 { "" } else { "s" };
            let were = if args.len() == 1 { "was" } else { "were" };
            return Err(PyTypeError::new_err(format!("{name}() takes {takes} positional argument{plural} but {} {were} given", args.len())));
        }
        let mut bound: Vec<Option<Bound<'py, PyAny>>> = args.iter().map(Some).collect();
        bound.resize(names.len(), None);
        for (key, value) in kwargs.iter() {
            let key: String = key.extract()?;
            let Some(i) = names.iter().position(|n| *n == key) else {
                return Err(PyTypeError::new_err(format!("{name}() got an unexpected keyword argument '{key}'")));
            };
            if bound[i].is_some() {
                return Err(PyTypeError::new_err(format!("{name}() got multiple values for argument '{key}'")));
            }
            bound[i] = Some(value);
        }
        let first_default = names.len() - defaults.len();
        let missing: Vec<String> = (0..first_default).filter(|&i| bound[i].is_none()).map(|i| format!("'{}'", names[i])).collect();
        if !missing.is_empty() {
            let listed = match missing.as_slice() {
                [one] => one.clone(),
                [init @ .., last] if init.len() == 1 => format!("{} and {last}", init[0]),
                [init @ .., last] => format!("{}, and {last}", init.join(", ")),
                [] => unreachable!(),
            };
            let plural = if missing.len() == 1 { "" } else { "s" };
            return Err(PyTypeError::new_err(format!(
                "{name}() missing {} required positional argument{plural}: {listed}",
                missing.len()
            )));
        }
        let values = bound.into_iter().enumerate().map(|(i, v)| v.unwrap_or_else(|| defaults[i - first_default].clone()));
        PyTuple::new(py, values)
    }

    fn call_positional(&self, py: Python<'_>, args: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        let given = args.len();
        let n = self.arg_count;
        if given > n || given + self.defaults.len() < n {
            // Too many, too few, or defaults that are not numbers: bind as CPython does
            // (its messages on failure, else the defaults filled in).
            let bound = self.bind_keywords(py, args, &PyDict::new(py))?;
            if bound.len() != given {
                return self.call_positional(py, &bound);
            }
        }
        if n > MAX_ARGS {
            return Err(PyTypeError::new_err(format!("at most {MAX_ARGS} arguments are supported")));
        }
        let mut types = [ArgType::Scalar(ScalarType::Int64); MAX_ARGS];
        let mut words = [0 as Slot; MAX_WORDS];
        // Where each argument's words start.
        let mut at = [0usize; MAX_ARGS + 1];
        let first_default = self.defaults.len() - (n - given);
        for i in 0..n {
            let start = at[i];
            if i >= given {
                // Omitted trailing arguments take the function's defaults.
                let (t, s) = self.defaults[first_default + i - given];
                types[i] = ArgType::Scalar(t);
                words[start] = s;
                at[i + 1] = start + 1;
                continue;
            }
            // SAFETY: i < len; borrowed items avoid a reference count round trip per argument.
            let a = unsafe { args.get_borrowed_item_unchecked(i) };
            // A Python int above int64 is a uint64 only where a signature asks for one.
            if let Some((t, s)) = scalar_of(&a).filter(|(t, _)| self.explicit || *t != ScalarType::UInt64) {
                types[i] = ArgType::Scalar(t);
                words[start] = s;
                at[i + 1] = start + 1;
                continue;
            }
            if let Ok(z) = a.cast::<PyComplex>() {
                if start + 2 > MAX_WORDS {
                    return Err(PyTypeError::new_err(format!("argument {}: too many argument words", i + 1)));
                }
                types[i] = ArgType::Scalar(ScalarType::Complex128);
                words[start] = z.real().to_bits();
                words[start + 1] = z.imag().to_bits();
                at[i + 1] = start + 2;
                continue;
            }
            match read_array(&a, &mut words[start..]) {
                Ok(array) => {
                    types[i] = ArgType::Array { dtype: array.dtype, ndim: array.ndim, layout: array.layout };
                    at[i + 1] = start + types[i].words();
                }
                Err(ArrayRejection::Unsupported(why)) => {
                    return Err(PyTypeError::new_err(format!("argument {}: {why}", i + 1)));
                }
                Err(ArrayRejection::NotAnArray) => {
                    // NumPy scalars and tuples: off the hot path.
                    types[i] = read_numpy_scalar_or_tuple(&a, &mut words[start..])
                        .map_err(|why| PyTypeError::new_err(format!("argument {}: {why}", i + 1)))?;
                    at[i + 1] = start + types[i].words();
                }
            }
        }
        let key = &types[..n];
        let used = at[n];
        // Hot path: an exact match, called under the read lock (no reference counting).
        {
            let overloads = self.overloads.read().unwrap();
            if let Some(o) = overloads.iter().find(|o| o.key == key) {
                return self.invoke(py, o, &mut words[..used], args);
            }
        }
        let found = if self.explicit {
            // Explicit signatures accept numba's safe conversions (bool -> int -> float) and
            // arrays of any layout where they say A.
            let overloads = self.overloads.read().unwrap();
            overloads.iter().find(|o| o.key.iter().zip(key).all(|(to, from)| accepts(*to, *from))).cloned()
        } else {
            None
        };
        let overload = match found {
            Some(o) => o,
            None if self.explicit => {
                let given: Vec<_> = key.iter().map(|t| t.name()).collect();
                return Err(PyTypeError::new_err(format!(
                    "no matching definition for argument type(s) {}; compiled signatures: {}",
                    given.join(", "),
                    self.signature_text()
                )));
            }
            None => self.compile_overload(py, key.to_vec(), None)?,
        };
        let scalars_in_place = |(a, b): (&ArgType, &ArgType)| a == b || (matches!((a, b), (ArgType::Scalar(_), ArgType::Scalar(_))) && a.words() == b.words());
        if key.iter().zip(&overload.key).all(scalars_in_place) {
            for i in 0..n {
                if let (ArgType::Scalar(from), ArgType::Scalar(to)) = (types[i], overload.key[i]) {
                    words[at[i]] = convert_slot(from, to, &words[at[i]..at[i + 1]]).expect("checked above")[0];
                }
            }
            return self.invoke(py, &overload, &mut words[..used], args);
        }
        // A conversion to or from a complex128 (two words), or inside a tuple: lay the words out again.
        let mut converted = Vec::with_capacity(used + n);
        for i in 0..n {
            convert_words(types[i], overload.key[i], &words[at[i]..at[i + 1]], &mut converted);
        }
        self.invoke(py, &overload, &mut converted, args)
    }
}

impl Dispatcher {
    fn signature_text(&self) -> String {
        let overloads = self.overloads.read().unwrap();
        let sigs: Vec<String> = overloads
            .iter()
            .map(|o| {
                let args: Vec<_> = o.key.iter().map(|t| t.name()).collect();
                format!("{}({})", o.function.ret.name(), args.join(", "))
            })
            .collect();
        sigs.join("; ")
    }

    /// Compiles `args` (or loads them from the cache) and adds the overload; a signature
    /// another thread compiled meanwhile is used instead of a duplicate.
    fn compile_overload(&self, py: Python<'_>, args: Vec<ArgType>, ret: Option<ArgType>) -> PyResult<Arc<Overload>> {
        let function = if self.options.keep_object { self.cached_or_compiled(py, &args, ret)? } else { self.compile(py, &args, ret)? };
        let mut overloads = self.overloads.write().unwrap();
        if let Some(existing) = overloads.iter().find(|o| o.key == args && o.declared_ret == ret) {
            return Ok(existing.clone());
        }
        let overload = Arc::new(Overload { key: args, declared_ret: ret, function });
        overloads.push(overload.clone());
        Ok(overload)
    }

    fn compile(&self, py: Python<'_>, args: &[ArgType], ret: Option<ArgType>) -> PyResult<CompiledFunction> {
        with_built_module(py, &self.py_func, args, ret, &self.options, |compiler, module, start| {
            compiler.compile_module(module, args, &self.options, start)
        })
    }

    /// cache=True: links the cached code when the cache holds this exact function, else
    /// compiles and stores it. A damaged file or an unwritable directory is a warning.
    fn cached_or_compiled(&self, py: Python<'_>, args: &[ArgType], ret: Option<ArgType>) -> PyResult<CompiledFunction> {
        let start = Instant::now();
        let function = self.py_func.bind(py);
        let Some(slot) = cache_slot(py, function, args, ret, &self.options)? else {
            warn(py, "numlir: no cache directory is available; compiling without the cache")?;
            return self.compile(py, args, ret);
        };
        let shown = slot.path.display().to_string();
        match slot.load() {
            Ok(Some((meta, object))) => {
                match CompiledFunction::from_object(object, &meta.entry, meta.args, meta.ret, meta.raise_table) {
                    Ok(f) => {
                        if timing_enabled() {
                            eprintln!("numlir: loaded {} from the cache in {:.2} ms", meta.entry, start.elapsed().as_secs_f64() * 1e3);
                        }
                        return Ok(f);
                    }
                    Err(e) => warn(py, &format!("numlir: cannot link the cached code in {shown} ({e}); recompiling"))?,
                }
            }
            Ok(None) => {}
            Err(e) => warn(py, &format!("numlir: ignoring the cache file {shown}: {e}; recompiling"))?,
        }
        let compiled = self.compile(py, args, ret)?;
        // (compiled with the cache option, so the object file is kept)
        let Some(object) = compiled.object.as_deref() else { return Ok(compiled) };
        let meta = CachedMetadata {
            entry: compiled.entry.clone(),
            args: compiled.args.clone(),
            ret: compiled.ret.clone(),
            raise_table: compiled.raise_table.clone(),
        };
        if let Err(e) = slot.store(&meta, object) {
            warn(py, &format!("numlir: cannot write the cache file {shown}: {e}; the function is compiled but not cached"))?;
        }
        Ok(compiled)
    }

    fn show(&self, py: Python<'_>, stage: Stage, args: &[ArgType], ret: Option<ArgType>) -> PyResult<String> {
        show_python_function(py, &self.py_func, args, stage, ShowOptions { ret, options: self.options.clone(), print_after_all: false })
    }

    fn signature_of(&self, signature: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(Vec<ArgType>, Option<ArgType>)>> {
        let overloads = self.overloads.read().unwrap();
        match signature {
            None => Ok(overloads.iter().map(|o| (o.key.clone(), o.declared_ret)).collect()),
            Some(sig) => {
                // numlir.types objects by the name the compiler reads (a namedtuple type prints
                // as numba's Point(int64, float64)), strings as they are
                let name = |t: Bound<'_, PyAny>| match t.getattr("name") {
                    Ok(n) => n.extract(),
                    Err(_) => t.str()?.extract(),
                };
                let names: Vec<String> = sig.try_iter()?.map(|t| name(t?)).collect::<PyResult<_>>()?;
                let key = parse_types(&names)?;
                let found = overloads.iter().find(|o| o.key == key).map(|o| (o.key.clone(), o.declared_ret));
                Ok(vec![found.ok_or_else(|| PyValueError::new_err("no compiled signature matches"))?])
            }
        }
    }

    /// Runs one overload on argument words of its types and boxes the result.
    #[inline]
    fn invoke(&self, py: Python<'_>, overload: &Overload, slots: &mut [Slot], args: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        let mut out = [0 as Slot; 8];
        let mut big_out = Vec::new();
        let words = overload.function.result_words();
        let out: &mut [Slot] = if words <= out.len() {
            &mut out[..]
        } else {
            big_out.resize(words, 0);
            &mut big_out[..]
        };
        let out = &mut out[..words];
        let function = &overload.function;
        // SAFETY: slots hold one value of the declared type per argument.
        let status = if self.nogil {
            py.detach(|| unsafe { function.call(slots, out) })
        } else {
            unsafe { function.call(slots, out) }
        };
        if status != 0 {
            let (class, message) = overload.function.raise_table.raised(status);
            let builtins = py.import("builtins")?;
            let class = builtins.getattr(class)?;
            let exc = if message.is_empty() { class.call0()? } else { class.call1((message,))? };
            return Err(PyErr::from_value(exc));
        }
        Boxer { py, f: &overload.function, out, args, owners: Vec::new(), next: 0 }.build(&overload.function.ret)
    }
}

/// Turns the result struct of a call into Python objects.
struct Boxer<'a, 'py> {
    py: Python<'py>,
    f: &'a CompiledFunction,
    out: &'a [Slot],
    /// The call's arguments: a returned view of one of them is kept alive by it.
    args: &'a Bound<'py, PyTuple>,
    /// Allocations already handed to NumPy in this result, and their owner objects: two
    /// returned arrays over one buffer share its owner (no double free).
    owners: Vec<(u64, Py<PyAny>)>,
    next: usize,
}

impl Boxer<'_, '_> {
    /// What keeps a returned buffer alive, and whether it is writeable: the argument array
    /// whose buffer it is (the result is a view of that argument), else an object that
    /// frees the allocation when NumPy drops the last array over it.
    fn owner(&mut self, allocated: u64) -> PyResult<(Py<PyAny>, bool)> {
        if let Some((arg, writeable)) = array_with_data(self.args.as_any(), allocated) {
            return Ok((arg.unbind(), writeable));
        }
        if let Some((_, o)) = self.owners.iter().find(|(a, _)| *a == allocated) {
            return Ok((o.clone_ref(self.py), true));
        }
        let owner = owner_of(self.py, allocated)?;
        self.owners.push((allocated, owner.clone_ref(self.py)));
        Ok((owner, true))
    }

    fn build(&mut self, t: &ReturnType) -> PyResult<Py<PyAny>> {
        let py = self.py;
        Ok(match t {
                ReturnType::None => py.None(),
                ReturnType::Array { dtype, ndim } => {
                    let i = self.next;
                    self.next += 1;
                    debug_assert!(matches!(self.f.results[i].0, ResultPart::Array { .. }));
                    let words: Vec<u64> = (0..3 + 2 * ndim).map(|w| self.f.read_result(self.out, i, w)).collect();
                    let (owner, writeable) = self.owner(words[0])?;
                    box_array(py, &words, *dtype, *ndim, &owner, writeable)?
                }
                ReturnType::Scalar(s) => {
                    let raw = self.f.read_result(self.out, self.next, 0);
                    self.next += 1;
                    match s {
                        ScalarType::Int64 => (raw as i64).into_pyobject(py)?.into_any().unbind(),
                        ScalarType::Float64 => f64::from_bits(raw).into_pyobject(py)?.into_any().unbind(),
                        ScalarType::Bool => PyBool::new(py, raw & 1 == 1).to_owned().into_any().unbind(),
                        ScalarType::Complex128 => {
                            let im = self.f.read_result(self.out, self.next - 1, 1);
                            PyComplex::from_doubles(py, f64::from_bits(raw), f64::from_bits(im)).into_any().unbind()
                        }
                        other => box_numpy_scalar(py, *other, raw)?,
                    }
                }
                ReturnType::Tuple(items) => {
                    let values = items.iter().map(|i| self.build(i)).collect::<PyResult<Vec<_>>>()?;
                    PyTuple::new(py, values)?.into_any().unbind()
                }
                ReturnType::NamedTuple(class, items) => {
                    let values = items.iter().map(|i| self.build(i)).collect::<PyResult<Vec<_>>>()?;
                    instantiate(py, class, values)?
                }
            })
    }
}

/// The numlir.types object of an argument type (namedtuple types hold their class).
fn type_object<'py>(types: &Bound<'py, PyModule>, t: ArgType) -> PyResult<Bound<'py, PyAny>> {
    if let ArgType::Tuple(id) = t {
        let items = id.items().iter().map(|i| type_object(types, *i)).collect::<PyResult<Vec<_>>>()?;
        if let Some(class) = id.class().and_then(|c| class_object(types.py(), &c)) {
            return types.call_method1("NamedTuple", (items, class));
        }
        return types.call_method1("Tuple", (items,));
    }
    types.call_method1("from_name", (t.name(),))
}

/// "module:qualname" of a namedtuple class, remembered so that results box as it
/// (numlir.types.NamedTuple writes it into the signature).
#[pyfunction]
fn _named_class(class: &Bound<'_, pyo3::types::PyType>) -> PyResult<String> {
    named_class(class)?
        .map(|c| c.name)
        .ok_or_else(|| PyTypeError::new_err(format!("{} is not a namedtuple class", class.name().map(|n| n.to_string()).unwrap_or_default())))
}

fn parse_types(names: &[String]) -> PyResult<Vec<ArgType>> {
    names
        .iter()
        .map(|n| ArgType::parse(n).ok_or_else(|| PyTypeError::new_err(format!("numlir does not support the type '{n}' yet"))))
        .collect()
}

/// A NumPy scalar (np.float32(1.5), np.int16(3), np.bool_(True)) as its own scalar type.
fn numpy_scalar_of(value: &Bound<'_, PyAny>) -> Option<(ScalarType, Slot)> {
    let numpy = value.py().import("numpy").ok()?;
    if !value.is_instance(&numpy.getattr("generic").ok()?).ok()? {
        return None;
    }
    let dtype: String = value.getattr("dtype").ok()?.getattr("name").ok()?.extract().ok()?;
    let t = ScalarType::from_dtype(DType::parse(&dtype)?);
    let v = match t {
        ScalarType::Bool => SlotValue::Int(value.is_truthy().ok()? as i128),
        ScalarType::Float32 | ScalarType::Float64 => SlotValue::Float(value.call_method0("__float__").ok()?.extract().ok()?),
        ScalarType::Complex64 => {
            let z = value.call_method0("__complex__").ok()?;
            SlotValue::Complex(z.getattr("real").ok()?.extract().ok()?, z.getattr("imag").ok()?.extract().ok()?)
        }
        ScalarType::Complex128 => return None, // a Python complex subclass: taken as one
        _ => SlotValue::Int(value.call_method0("__int__").ok()?.extract::<i128>().ok()?),
    };
    Some((t, encode_slot(t, &v)[0]))
}

fn too_many_words() -> String {
    format!("too many argument words (at most {MAX_WORDS})")
}

/// One tuple element of any type numlir takes, written to `words`. (The call path reads
/// Python numbers, complex numbers and arrays inline, then calls read_numpy_scalar_or_tuple.)
fn read_value(value: &Bound<'_, PyAny>, words: &mut [Slot]) -> Result<ArgType, String> {
    if let Some((t, s)) = scalar_of(value).filter(|(t, _)| *t != ScalarType::UInt64) {
        *words.first_mut().ok_or_else(too_many_words)? = s;
        return Ok(ArgType::Scalar(t));
    }
    if let Ok(z) = value.cast::<PyComplex>() {
        let [re, im, ..] = words else { return Err(too_many_words()) };
        (*re, *im) = (z.real().to_bits(), z.imag().to_bits());
        return Ok(ArgType::Scalar(ScalarType::Complex128));
    }
    match read_array(value, words) {
        Ok(array) => return Ok(ArgType::Array { dtype: array.dtype, ndim: array.ndim, layout: array.layout }),
        Err(ArrayRejection::Unsupported(why)) => return Err(why),
        Err(ArrayRejection::NotAnArray) => read_numpy_scalar_or_tuple(value, words),
    }
}

/// A NumPy scalar or a tuple (of anything read_value reads), written to `words`.
fn read_numpy_scalar_or_tuple(value: &Bound<'_, PyAny>, words: &mut [Slot]) -> Result<ArgType, String> {
    if let Some((t, s)) = numpy_scalar_of(value) {
        *words.first_mut().ok_or_else(too_many_words)? = s;
        return Ok(ArgType::Scalar(t));
    }
    if let Ok(tuple) = value.cast::<PyTuple>() {
        let mut items = Vec::with_capacity(tuple.len());
        let mut at = 0;
        for item in tuple.iter() {
            let t = read_value(&item, words.get_mut(at..).ok_or_else(too_many_words)?)?;
            at += t.words();
            items.push(t);
        }
        let class = match value.is_exact_instance_of::<PyTuple>() {
            true => None,
            false => named_class(&value.get_type()).map_err(|e| e.to_string())?,
        };
        return Ok(ArgType::Tuple(TupleId::intern_named(class.as_ref(), &items)));
    }
    Err(format!(
        "numlir compiled functions take numbers, NumPy scalars and arrays, and tuples of them; this is '{}'",
        value.get_type().name().map(|n| n.to_string()).unwrap_or_default()
    ))
}

/// The NumPy array among `value` and the elements of tuples in it whose buffer starts at
/// `data`, and whether it is writeable (a returned view of it is kept alive by it).
fn array_with_data<'py>(value: &Bound<'py, PyAny>, data: u64) -> Option<(Bound<'py, PyAny>, bool)> {
    if let Ok(tuple) = value.cast::<PyTuple>() {
        return tuple.iter().find_map(|item| array_with_data(&item, data));
    }
    let (start, writeable) = data_of(value)?;
    (start == data).then(|| (value.clone(), writeable))
}

/// A result scalar of one of NumPy's own types as that NumPy scalar (np.int32(7)).
fn box_numpy_scalar(py: Python<'_>, t: ScalarType, raw: Slot) -> PyResult<Py<PyAny>> {
    let value = match decode_slot(t, &[raw]) {
        // Read zero-extended from the result struct: encoding wraps it to the type's width
        // and sign, as an argument slot holds it.
        SlotValue::Int(i) => match decode_slot(t, &encode_slot(t, &SlotValue::Int(i))) {
            SlotValue::Int(i) => i.into_pyobject(py)?.into_any(),
            _ => unreachable!("an int type decodes as an int"),
        },
        SlotValue::Float(f) => f.into_pyobject(py)?.into_any(),
        SlotValue::Complex(re, im) => PyComplex::from_doubles(py, re, im).into_any(),
    };
    Ok(py.import("numpy")?.getattr(t.name())?.call1((value,))?.unbind())
}

#[pymethods]
impl Dispatcher {
    /// `signatures`: (return type or None, [argument type names]) pairs to compile now.
    /// `fastmath`: LLVM fast-math flags ("fast", "nnan,contract", ...; "" for none);
    /// `error_model`: "python" or "numpy".
    #[new]
    #[pyo3(signature = (py_func, fastmath = String::new(), signatures = None, boundscheck = false, error_model = "python", cache = false, nogil = false))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        py_func: Py<PyAny>,
        fastmath: String,
        signatures: Option<Vec<(Option<String>, Vec<String>)>>,
        boundscheck: bool,
        error_model: &str,
        cache: bool,
        nogil: bool,
    ) -> PyResult<Self> {
        let arg_count: usize = py_func.bind(py).getattr("__code__")?.getattr("co_argcount")?.extract()?;
        let defaults = match py_func.bind(py).getattr("__defaults__")? {
            d if d.is_none() => Vec::new(),
            d => d.try_iter()?.map(|v| scalar_of(&v.ok()?)).collect::<Option<Vec<_>>>().unwrap_or_default(),
        };
        let numpy_errors = match error_model {
            "python" => false,
            "numpy" => true,
            other => return Err(PyValueError::new_err(format!("error_model must be 'python' or 'numpy', not {other:?}"))),
        };
        let options = CompileOptions { fastmath, boundscheck, numpy_errors, keep_object: cache };
        let dispatcher = Self {
            py_func,
            options,
            nogil,
            arg_count,
            defaults,
            explicit: signatures.is_some(),
            overloads: RwLock::new(Vec::new()),
        };
        for (ret, args) in signatures.unwrap_or_default() {
            let args = parse_types(&args)?;
            // A declared scalar or tuple return type converts the result; an array one is
            // inferred anyway.
            let ret = match ret {
                Some(r) => match parse_types(&[r])?[0] {
                    ArgType::Array { .. } => None,
                    t => Some(t),
                },
                None => None,
            };
            dispatcher.compile_overload(py, args, ret)?;
        }
        Ok(dispatcher)
    }

    #[pyo3(signature = (*args, **kwargs))]
    fn __call__(&self, py: Python<'_>, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
        match kwargs {
            Some(k) if !k.is_empty() => {
                let bound = self.bind_keywords(py, args, k)?;
                self.call_positional(py, &bound)
            }
            _ => self.call_positional(py, args),
        }
    }

    /// The compiled signatures as tuples of numlir type objects.
    #[getter]
    fn signatures(&self, py: Python<'_>) -> PyResult<Py<PyList>> {
        let types = py.import("numlir.types")?;
        let list = PyList::empty(py);
        for o in self.overloads.read().unwrap().iter() {
            let items = o.key.iter().map(|t| type_object(&types, *t)).collect::<PyResult<Vec<_>>>()?;
            list.append(PyTuple::new(py, items)?)?;
        }
        Ok(list.unbind())
    }

    /// The IR of one compiled signature at `stage` (py, typed, std, llvm, llvm-ir, asm).
    #[pyo3(signature = (stage = "std", signature = None))]
    fn inspect_ir(&self, py: Python<'_>, stage: &str, signature: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
        let stage = Stage::parse(stage).ok_or_else(|| {
            PyValueError::new_err(format!("unknown stage '{stage}'; use py, typed, std, llvm, llvm-ir or asm"))
        })?;
        let sigs = self.signature_of(signature)?;
        let (args, ret) = sigs.first().cloned().ok_or_else(|| PyValueError::new_err("nothing compiled yet: call the function first"))?;
        self.show(py, stage, &args, ret)
    }

    fn _inspect_all(&self, py: Python<'_>, stage: &str) -> PyResult<Vec<(Vec<String>, String)>> {
        let stage = Stage::parse(stage).ok_or_else(|| PyValueError::new_err("unknown stage"))?;
        let sigs = self.signature_of(None)?;
        sigs.iter()
            .map(|(args, ret)| {
                let names = args.iter().map(|t| t.name().to_string()).collect();
                Ok((names, self.show(py, stage, args, *ret)?))
            })
            .collect()
    }
}

/// numlir-opt's entry point: `numlir-opt ARGS...`; returns the exit status.
#[pyfunction]
fn opt_main(py: Python<'_>, argv: Vec<String>) -> PyResult<i32> {
    crate::opt::main(py, argv)
}

/// How to compile and show a function's IR.
pub struct ShowOptions {
    pub ret: Option<ArgType>,
    pub options: CompileOptions,
    /// Print every pass's IR to stderr (numlir-opt --print-ir-after-all).
    pub print_after_all: bool,
}

/// The IR of a Python function at `stage` for argument types `args`.
pub fn show_python_function(py: Python<'_>, function: &Py<PyAny>, args: &[ArgType], stage: Stage, show: ShowOptions) -> PyResult<String> {
    with_built_module(py, function, args, show.ret, &show.options, |compiler, mut module, _| {
        if show.print_after_all {
            crate::opt::show_with_stages(compiler, module, stage)
        } else {
            compiler.lower_and_print(&mut module, Stage::Py, stage, false)
        }
    })
}

/// Runs `f` on the compile request for `function` (its environment lives as long as `f`).
fn with_request<R>(
    py: Python<'_>,
    function: &Bound<'_, PyAny>,
    args: &[ArgType],
    ret: Option<ArgType>,
    options: &CompileOptions,
    f: impl FnOnce(&Request) -> R,
) -> R {
    let env = PyEnvironment::new(py);
    let entry = env.key_for(function);
    f(&Request { env: &env, entry: &entry, args, ret, options })
}

/// Issues a `numlir.errors.NumlirWarning`.
fn warn(py: Python<'_>, message: &str) -> PyResult<()> {
    let category = py.import("numlir.errors")?.getattr("NumlirWarning")?;
    let message = CString::new(message.replace('\0', " ")).expect("no NUL left");
    PyErr::warn(py, &category, &message, 2)
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Dispatcher>()?;
    m.add_function(wrap_pyfunction!(opt_main, m)?)?;
    m.add_function(wrap_pyfunction!(_named_class, m)?)?;
    Ok(())
}
