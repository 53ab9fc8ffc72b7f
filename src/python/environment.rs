//! The environment that shows the frontend a Python function: its code (bytecode,
//! constants, names, positions) and what its globals and closure variables are (numbers,
//! tuples, modules, compiled callees, the builtins and NumPy functions compiled code may call).
use crate::{
    compiler::{CompileOptions, Request},
    diagnostics::CompileError,
    frontend::{bytecode::{PyVersion, Span}, Constant, Environment, FunctionSource, GlobalValue, Specialization},
    runtime::namedtuples::named_class,
    types::ArgType,
};
use pyo3::{
    exceptions::PyRuntimeError,
    prelude::*,
    sync::PyOnceLock,
    types::{PyBool, PyBytes, PyComplex, PyDict, PyFloat, PyFrozenSet, PyInt, PyString, PyTuple},
};
use std::{cell::RefCell, collections::HashMap};

/// Builtins compiled code may call, by name.
pub(super) const BUILTINS: &[&str] = &[
    "abs", "min", "max", "int", "float", "bool", "round", "range", "len", "complex", "divmod", "pow", "enumerate",
    "zip", "reversed", "print", "sum", "sorted", "list", "any", "all", "dict", "set", "str", "repr", "ord", "chr",
    "iter", "next", "tuple",
];
/// NumPy functions compiled code may call (as np.<name>).
pub(super) const NUMPY_FUNCTIONS: &[&str] = &[
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
pub(super) const NUMPY_ALIASES: &[(&str, &str)] = &[("amin", "min"), ("amax", "max")];
/// NumPy scalar types usable as dtypes (np.float32) and conversions (np.float32(x)).
pub(super) const NUMPY_DTYPES: &[&str] = &[
    "bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32",
    "float64", "intp", "complex64", "complex128", "intc", "uintc", "uintp", "longlong", "ulonglong",
];
/// cmath functions compiled code may call.
pub(super) const CMATH_FUNCTIONS: &[&str] = &[
    "sqrt", "exp", "log", "log10", "sin", "cos", "tan", "sinh", "cosh", "tanh", "phase", "polar", "rect",
    "isnan", "isinf", "isfinite", "acos", "asin", "atan", "acosh", "asinh", "atanh", "isclose",
];
/// operator-module functions compiled code may call (operator.add is `+`).
pub(super) const OPERATOR_FUNCTIONS: &[&str] = &[
    "add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "lshift", "rshift", "and_", "or_", "xor",
    "matmul", "iadd", "isub", "imul", "itruediv", "ifloordiv", "imod", "ipow", "ilshift", "irshift",
    "iand", "ior", "ixor", "imatmul", "lt", "le", "eq", "ne", "gt", "ge", "neg", "pos", "invert",
    "inv", "not_", "truth", "contains",
];
/// math functions compiled code may call.
pub(super) const MATH_FUNCTIONS: &[&str] = &[
    "sqrt", "exp", "expm1", "log", "log1p", "log2", "log10", "pow", "sin", "cos", "tan", "asin",
    "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "floor", "ceil",
    "trunc", "fabs", "copysign", "hypot", "nextafter", "isnan", "isinf", "isfinite", "erf", "erfc", "gamma",
    "lgamma", "radians", "degrees", "exp2", "cbrt", "ldexp", "frexp", "modf", "gcd", "lcm", "fmod",
    "remainder", "isclose",
];

/// The frontend's view of Python: functions by key, their code and their globals.
pub(super) struct PyEnvironment<'py> {
    py: Python<'py>,
    functions: RefCell<HashMap<String, Bound<'py, PyAny>>>,
    /// Functions made from code objects of compiled functions, by (parent key, const index).
    nested: RefCell<HashMap<(String, usize), String>>,
    /// Subscripts carry numlir's advanced indexing (Environment::advanced_indexing).
    advanced_indexing: bool,
}

impl<'py> PyEnvironment<'py> {
    fn new(py: Python<'py>, advanced_indexing: bool) -> Self {
        Self { py, functions: RefCell::new(HashMap::new()), nested: RefCell::new(HashMap::new()), advanced_indexing }
    }

    /// A symbol name for `function`, unique within this compilation.
    fn key_for(&self, function: &Bound<'py, PyAny>) -> String {
        let mut functions = self.functions.borrow_mut();
        if let Some((k, _)) = functions.iter().find(|(_, f)| f.is(function)) {
            return k.clone();
        }
        let base = symbol_name(&function.getattr("__name__").and_then(|n| n.extract::<String>()).unwrap_or_else(|_| "function".into()));
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
        // None (a parameter's default) and strings are compiled in as constants.
        if value.is_none() {
            return Ok(GlobalValue::Constant(Constant::None));
        }
        if let Ok(s) = value.cast::<pyo3::types::PyString>() {
            return Ok(GlobalValue::Constant(Constant::Str(s.to_cow()?.into_owned())));
        }
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
                    Constant::Other(_) => false,
                    _ => true,
                }
            }
            let c = read_constant(value)?;
            if compilable(&c) {
                return Ok(GlobalValue::Constant(c));
            }
        }
        // A NumPy array or scalar: its elements now, compiled in (numba's frozen globals).
        if let Some(array) = read_array(value)? {
            return Ok(array);
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
        if value.is(&numpy.getattr("linalg")?) {
            return Ok(GlobalValue::Module("numpy.linalg".into()));
        }
        if value.is(&numpy.getattr("random")?) {
            return Ok(GlobalValue::Module("numpy.random".into()));
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
        // NumPy functions numlir implements in Python (python/numlir/_numpy/), compiled as
        // any callee, and the type tests those implementations choose their code by.
        let implementations = py.import("numlir._numpy")?;
        if let Some(function) = implementations.getattr("implementation")?.call1((value,))?.extract::<Option<Bound<PyAny>>>()? {
            return Ok(GlobalValue::Function(self.key_for(&function)));
        }
        if let Some(name) = implementations.getattr("builtin")?.call1((value,))?.extract::<Option<String>>()? {
            return Ok(GlobalValue::Builtin(name));
        }
        for name in NUMPY_DTYPES {
            if numpy.getattr(*name).is_ok_and(|f| value.is(&f)) {
                let dtype: String = numpy.getattr("dtype")?.call1((value,))?.getattr("name")?.extract()?;
                return Ok(GlobalValue::Dtype(dtype));
            }
        }
        // numlir.cuda and the names kernels use (python/numlir/cuda/intrinsics.py).
        if let Some(cuda) = classify_cuda(py, value)? {
            return Ok(cuda);
        }
        if let Some(func) = compiled_py_func(value)? {
            return Ok(GlobalValue::Function(self.key_for(&func)));
        }
        // numlir.extending.register_jitable: a plain function compiled code compiles.
        if value.hasattr("_numlir_jitable")? && value.hasattr("__code__")? {
            return Ok(GlobalValue::Function(self.key_for(value)));
        }
        // The numlir module itself (`numlir.prange`, and `numba.prange` after `import numlir
        // as numba`: its attributes are classified as they are), prange (range(), a parallel
        // loop where parallel=True) and get_thread_id.
        let numlir = py.import("numlir")?;
        if value.is(&numlir) {
            return Ok(GlobalValue::Module("numlir".into()));
        }
        if value.is(&numlir.getattr("prange")?) {
            return Ok(GlobalValue::Builtin("prange".into()));
        }
        if value.is(&numlir.getattr("get_thread_id")?) {
            return Ok(GlobalValue::Builtin("numlir.get_thread_id".into()));
        }
        // numba's typed containers and type objects, as compiled code uses them:
        // `List()` is `list()`, `List.empty_list(types.int64)` and `Dict.empty(key_type=...,
        // value_type=...)` are empty containers of those types.
        let typed = py.import("numlir.typed")?;
        if value.is(&typed.getattr("List")?) {
            return Ok(GlobalValue::Builtin("list".into()));
        }
        if value.is(&typed.getattr("Dict")?) {
            return Ok(GlobalValue::Builtin("typed.Dict".into()));
        }
        // numlir.literal_unroll: a loop over a tuple whose elements differ in type.
        if value.is(&py.import("numlir")?.getattr("literal_unroll")?) {
            return Ok(GlobalValue::Builtin("literal_unroll".into()));
        }
        let types = py.import("numlir.types")?;
        if value.is(&types) {
            return Ok(GlobalValue::Module("numlir.types".into()));
        }
        if value.is_instance(&types.getattr("Type")?)? {
            let name: String = value.getattr("name")?.extract()?;
            if let Some(s) = crate::types::ScalarType::parse(&name) {
                return Ok(GlobalValue::Dtype(s.name().into()));
            }
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
        if is_class && value.cast::<pyo3::types::PyType>()?.is_subclass(&base_exception)? {
            let name = exception_class_name(value)?;
            if name.contains("<locals>") {
                return Ok(GlobalValue::Unsupported(
                    "an exception class defined inside a function (define it at module level)".into(),
                ));
            }
            return Ok(GlobalValue::ExceptionClass(name));
        }
        if let Some(block) = super::objmode::classify_block(value)? {
            return Ok(block);
        }
        if let Some(index) = overload_index(value)? {
            return Ok(GlobalValue::Overloaded(index));
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
        let flags: u32 = code.getattr("co_flags")?.extract()?;
        let varnames = strings("co_varnames")?;
        let positional: usize = code.getattr("co_argcount")?.extract()?;
        let kwdefaults = function.getattr("__kwdefaults__")?;
        let kwdefaults = varnames[positional..positional + kwonly]
            .iter()
            .map(|name| match kwdefaults.get_item(name) {
                Ok(v) if !kwdefaults.is_none() => self.classify(&v).map(Some),
                _ => Ok(None),
            })
            .collect::<PyResult<Vec<_>>>()?;
        Ok(FunctionSource {
            key: key.to_string(),
            name: code.getattr("co_name")?.extract()?,
            filename: code.getattr("co_filename")?.extract()?,
            version,
            code: code.getattr("co_code")?.cast::<PyBytes>()?.as_bytes().to_vec(),
            positions,
            consts,
            names: strings("co_names")?,
            varnames,
            kwonly,
            kwdefaults,
            deref_names: deref_names(&code)?,
            freevars: strings("co_freevars")?,
            // The keyword-only parameters follow the positional ones in co_varnames, and *args
            // (one more parameter, a tuple) follows them.
            arg_count: positional + kwonly + usize::from(flags & 0x04 != 0),
            flags,
            exception_table: crate::frontend::exceptions::parse_table(
                code.getattr("co_exceptiontable")?.cast::<PyBytes>()?.as_bytes(),
            ),
            def_span: Span { line: first_line, end_line: first_line, col: 0, end_col: 0 },
            nested: self.nested.borrow().values().any(|k| k == key),
            closure_vars: Vec::new(),
            defaults: match function.getattr("__defaults__")? {
                d if d.is_none() => Vec::new(),
                d => d.try_iter()?.map(|v| self.classify(&v?)).collect::<PyResult<_>>()?,
            },
        })
    }
}

/// The variable name of each LOAD_DEREF argument: CPython numbers locals, then cells, then
/// free variables in one space, and says which is which through `_varname_from_oparg`.
pub(super) fn deref_names(code: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    // At most this many (a cell that is also an argument shares the argument's number).
    let count = code.getattr("co_nlocals")?.extract::<usize>()?
        + code.getattr("co_cellvars")?.len()?
        + code.getattr("co_freevars")?.len()?;
    Ok((0..count).map_while(|i| code.call_method1("_varname_from_oparg", (i,)).ok()?.extract().ok()).collect())
}

pub(super) fn read_constant(c: &Bound<'_, PyAny>) -> PyResult<Constant> {
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
    } else if c.is_instance_of::<PyTuple>() || c.is_instance_of::<PyFrozenSet>() {
        // A frozenset constant is a set display's or `x in {1, 2}`'s elements.
        Constant::Tuple(c.try_iter()?.map(|x| read_constant(&x?)).collect::<PyResult<_>>()?)
    } else {
        Constant::Other(c.get_type().name()?.to_string())
    })
}

/// The Python object of a literal the frontend read (the inverse of `read_constant`, for
/// the literals it reads: None, bools, ints, strings and tuples of them).
fn constant_object<'py>(py: Python<'py>, c: &Constant) -> PyResult<Bound<'py, PyAny>> {
    Ok(match c {
        Constant::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Constant::Int(i) => i.into_pyobject(py)?.into_any(),
        Constant::Str(s) => PyString::new(py, s).into_any(),
        Constant::Tuple(items) => PyTuple::new(py, items.iter().map(|c| constant_object(py, c)).collect::<PyResult<Vec<_>>>()?)?.into_any(),
        _ => py.None().into_bound(py),
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

    fn function_key(&self, id: crate::types::FunctionId) -> Result<String, CompileError> {
        let function = function_argument(self.py, id).ok_or_else(|| CompileError::compile("a function argument no longer known"))?;
        Ok(self.key_for(&function))
    }

    fn exception_subclasses(&self, class: &str) -> Vec<String> {
        // The subclasses, found by walking __subclasses__() down from the class (those defined
        // by then: a class defined after the compile is not caught by its base's clause).
        if matches!(class, "Exception" | "BaseException") {
            return vec![class.to_string()]; // everything compiled code raises
        }
        let walk = || -> PyResult<Vec<String>> {
            let mut names = Vec::new();
            let mut pending = vec![exception_class(self.py, class)?];
            while let Some(c) = pending.pop() {
                let name = exception_class_name(&c)?;
                if !names.contains(&name) {
                    names.push(name);
                    pending.extend(c.call_method0("__subclasses__")?.try_iter()?.collect::<PyResult<Vec<_>>>()?);
                }
            }
            Ok(names)
        };
        walk().unwrap_or_else(|_| vec![class.to_string()])
    }

    fn helper(&self, name: &str) -> Result<String, CompileError> {
        let function = self.py.import("numlir._sorting").and_then(|m| m.getattr(name));
        function.map(|f| self.key_for(&f)).map_err(|e| CompileError::compile(format!("numlir's helper {name}: {e}")))
    }

    fn numpy_parameters(&self, name: &str) -> Vec<String> {
        let names = self.py.import("numlir._numpy").and_then(|m| m.getattr("numpy_parameters")?.call1((name,))?.extract());
        names.unwrap_or_default()
    }

    fn advanced_indexing(&self) -> bool {
        self.advanced_indexing
    }

    fn array_method(&self, name: &str) -> Option<String> {
        let method = self.py.import("numlir._numpy").and_then(|m| m.getattr("array_method")?.call1((name,)));
        let method = method.ok()?;
        (!method.is_none()).then(|| self.key_for(&method))
    }

    fn specialize(
        &self,
        key: &str,
        positional: &[Option<Constant>],
        keywords: &[(String, Option<Constant>)],
    ) -> Result<Option<Specialization>, CompileError> {
        let Some(function) = self.functions.borrow().get(key).cloned() else { return Ok(None) };
        if !function.hasattr("_numlir_literals").unwrap_or(false) {
            return Ok(None);
        }
        type Chosen<'py> = Option<(Bound<'py, PyAny>, Vec<String>, Vec<usize>)>;
        let choose = || -> PyResult<Chosen<'_>> {
            let implementations = self.py.import("numlir._numpy")?;
            let value = |c: &Option<Constant>| match c {
                Some(c) => constant_object(self.py, c),
                None => implementations.getattr("NOT_LITERAL"),
            };
            let literals = PyDict::new(self.py);
            for (name, c) in keywords {
                literals.set_item(name, value(c)?)?;
            }
            let positional = positional.iter().map(value).collect::<PyResult<Vec<_>>>()?;
            implementations.getattr("specialize")?.call1((&function, positional, literals))?.extract()
        };
        match choose() {
            Ok(chosen) => Ok(chosen.map(|(f, taken_keywords, taken_positions)| Specialization {
                key: self.key_for(&f),
                taken_keywords,
                taken_positions,
            })),
            Err(e) => Err(CompileError::typing(e.value(self.py).str().map(|s| s.to_string()).unwrap_or_default())),
        }
    }

    fn overload_impl(&self, id: usize, arg_types: &str) -> Result<String, CompileError> {
        let resolved = self
            .py
            .import("numlir.extending")
            .and_then(|m| m.getattr("_resolve"))
            .and_then(|f| f.call1((id, arg_types)));
        match resolved {
            Ok(function) => Ok(self.key_for(&function)),
            Err(e) => {
                let message = e.value(self.py).str().map(|s| s.to_string()).unwrap_or_default();
                let kind = e.get_type(self.py).name().map(|n| n.to_string()).unwrap_or_default();
                Err(if kind == "TypingError" {
                    CompileError::typing(message)
                } else {
                    CompileError::typing(format!("the @overload typing function raised {kind}: {message}"))
                })
            }
        }
    }

    fn overload_typer(&self, id: usize) -> Option<String> {
        let typer = self.py.import("numlir.extending").and_then(|m| m.getattr("_typer")).and_then(|f| f.call1((id,))).ok()?;
        (!typer.is_none()).then(|| self.key_for(&typer))
    }

    fn overload_attribute(&self, id: usize, name: &str) -> GlobalValue {
        let lookup = || -> PyResult<GlobalValue> {
            let value = self.py.import("numlir.extending")?.getattr("_overload_attribute")?.call1((id, name))?;
            if value.is_none() {
                return Ok(GlobalValue::Missing);
            }
            self.classify(&value)
        };
        lookup().unwrap_or(GlobalValue::Missing)
    }

    fn nested(&self, key: &str, index: usize) -> Result<String, CompileError> {
        if let Some(k) = self.nested.borrow().get(&(key.to_string(), index)) {
            return Ok(k.clone());
        }
        let parent = self.functions.borrow().get(key).cloned();
        let parent = parent.ok_or_else(|| CompileError::compile(format!("unknown function {key}")))?;
        let make = || -> PyResult<Bound<'_, PyAny>> {
            let code = parent.getattr("__code__")?.getattr("co_consts")?.get_item(index)?;
            let types = self.py.import("types")?;
            // Empty cells: compiled code passes the enclosing variables' values instead.
            let cells = code.getattr("co_freevars")?.len()?;
            let cells = (0..cells).map(|_| types.getattr("CellType")?.call0()).collect::<PyResult<Vec<_>>>()?;
            let closure = PyTuple::new(self.py, cells)?;
            let none = self.py.None();
            types.getattr("FunctionType")?.call1((code, parent.getattr("__globals__")?, none.bind(self.py), none.bind(self.py), closure))
        };
        let function = make().map_err(|e| CompileError::compile(format!("cannot make a nested function: {e}")))?;
        let k = self.key_for(&function);
        self.nested.borrow_mut().insert((key.to_string(), index), k.clone());
        Ok(k)
    }

    fn attribute(&self, module: &str, name: &str) -> GlobalValue {
        let lookup = || -> PyResult<GlobalValue> {
            // A namespace of numlir.cuda (`cuda.atomic`) is an object of that module.
            let m = match module.strip_prefix("cuda.") {
                Some(path) => self.py.import("numlir.cuda.intrinsics")?.getattr(path)?,
                None => self.py.import(module)?.into_any(),
            };
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

/// `name` with every character a symbol may not hold (outside ASCII letters, digits and
/// `_`) as `_`: function keys, and a CUDA kernel's entry point in its PTX.
pub(crate) fn symbol_name(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect()
}

/// What a value of numlir.cuda is to compiled code: the module itself, a namespace
/// (`cuda.threadIdx`), a value (`cuda.threadIdx.x`) or a builtin (`cuda.syncthreads`); None
/// for other values. numlir.cuda is only looked at once something has imported it.
fn classify_cuda(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Option<GlobalValue>> {
    let modules = py.import("sys")?.getattr("modules")?;
    let Some(intrinsics) = modules.get_item("numlir.cuda.intrinsics").ok() else { return Ok(None) };
    if value.is(&modules.get_item("numlir.cuda")?) {
        return Ok(Some(GlobalValue::Module("numlir.cuda".into())));
    }
    let kind: Option<(String, String)> = intrinsics.getattr("classify")?.call1((value,))?.extract()?;
    Ok(kind.map(|(kind, name)| match kind.as_str() {
        "value" => GlobalValue::Intrinsic(name),
        "namespace" => GlobalValue::Module(name),
        _ => GlobalValue::Builtin(name),
    }))
}

/// Runs `f` on the compile request for `function` (its environment lives as long as `f`).
pub(super) fn with_request<R>(
    py: Python<'_>,
    function: &Bound<'_, PyAny>,
    args: &[ArgType],
    ret: Option<ArgType>,
    options: &CompileOptions,
    advanced_indexing: bool,
    f: impl FnOnce(&Request) -> R,
) -> R {
    let env = PyEnvironment::new(py, advanced_indexing);
    let entry = env.key_for(function);
    f(&Request { env: &env, entry: &entry, args, ret, options })
}

/// Compiled functions passed as arguments, by their FunctionId (the address of the Python
/// function), kept alive for the process so that an id is never reused.
static FUNCTION_ARGUMENTS: std::sync::Mutex<Option<HashMap<usize, Py<PyAny>>>> = std::sync::Mutex::new(None);

/// The FunctionId of a compiled function's Python function (a dispatcher argument).
pub(crate) fn function_id(py_func: &Bound<'_, PyAny>) -> crate::types::FunctionId {
    let address = py_func.as_ptr() as usize;
    let mut table = FUNCTION_ARGUMENTS.lock().unwrap();
    table.get_or_insert_with(HashMap::new).entry(address).or_insert_with(|| py_func.clone().unbind());
    crate::types::FunctionId(address)
}

fn function_argument<'py>(py: Python<'py>, id: crate::types::FunctionId) -> Option<Bound<'py, PyAny>> {
    let table = FUNCTION_ARGUMENTS.lock().unwrap();
    table.as_ref()?.get(&id.0).map(|f| f.bind(py).clone())
}

/// The number of a function taught by numlir.extending.overload, or None for other values.
pub(crate) fn overload_index(value: &Bound<'_, PyAny>) -> PyResult<Option<usize>> {
    value.py().import("numlir.extending")?.getattr("_overload_index")?.call1((value,))?.extract()
}

/// How compiled code names an exception class: a builtin by its name, any other by
/// "module:qualname" (which `exception_class` imports again, in any process).
pub(crate) fn exception_class_name(class: &Bound<'_, PyAny>) -> PyResult<String> {
    let module: String = class.getattr("__module__")?.extract()?;
    let qualname: String = class.getattr("__qualname__")?.extract()?;
    Ok(if module == "builtins" { qualname } else { format!("{module}:{qualname}") })
}

/// The exception class of a name `exception_class_name` gave.
pub(crate) fn exception_class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    let Some((module, qualname)) = name.split_once(':') else {
        return py.import("builtins")?.getattr(name);
    };
    let mut object = py.import(module)?.into_any();
    for part in qualname.split('.') {
        object = object.getattr(part)?;
    }
    Ok(object)
}

/// A NumPy array or scalar as a compile-time constant, or Unsupported for a dtype numlir
/// does not compile; None for anything else (array subclasses such as np.matrix too).
fn read_array(value: &Bound<'_, PyAny>) -> PyResult<Option<GlobalValue>> {
    let numpy = value.py().import("numpy")?;
    let scalar = value.is_instance(&numpy.getattr("generic")?)?;
    if !scalar && !value.get_type().is(&numpy.getattr("ndarray")?) {
        return Ok(None);
    }
    let dtype = value.getattr("dtype")?;
    let name: String = dtype.getattr("name")?.extract()?;
    let native: bool = dtype.getattr("isnative")?.extract()?;
    let Some(dtype) = crate::types::DType::parse(&name).filter(|_| native) else {
        let order = if native { "" } else { " in non-native byte order" };
        let what = if scalar { "a NumPy scalar" } else { "an array" };
        return Ok(Some(GlobalValue::Unsupported(format!("{what} of dtype '{name}'{order}"))));
    };
    let shape: Vec<u64> = value.getattr("shape")?.extract()?;
    let contiguous = if scalar { value.clone() } else { numpy.call_method1("ascontiguousarray", (value,))? };
    let bytes = contiguous.call_method0("tobytes")?;
    let data = bytes.cast::<pyo3::types::PyBytes>()?.as_bytes().to_vec();
    Ok(Some(GlobalValue::Array(std::sync::Arc::new(crate::frontend::ArrayConstant { dtype, shape, data, scalar }))))
}

/// The Python function a numlir-compiled function (a `numlir._core.Dispatcher`) wraps, or
/// None for any other value. The class is looked up through Python, so that what reads
/// Python objects (globals here, the cache key) does not depend on the dispatcher.
pub(crate) fn compiled_py_func<'py>(value: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>> {
    static DISPATCHER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let py = value.py();
    let class = DISPATCHER.get_or_try_init(py, || Ok::<_, PyErr>(py.import("numlir._core")?.getattr("Dispatcher")?.unbind()))?;
    if value.is_instance(class.bind(py))? {
        Ok(Some(value.getattr("py_func")?))
    } else {
        Ok(None)
    }
}
