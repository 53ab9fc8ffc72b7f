//! The dispatcher: `njit(f)` returns one. It compiles on the first call with new argument
//! types (or eagerly for explicit signatures, or from the on-disk cache), then finds the
//! machine code for a call by its arguments' types and calls it.
use crate::{
    backend::cpu::{CompiledFunction, Slot},
    cache::{key::{cache_slot, CacheLookup}, CachedMetadata},
    compiler::{pipeline::Stage, timing_enabled, CompileOptions},
    runtime::{
        arrays::{read_array, ArrayRejection},
        buffers::CallScope,
        errors::{RaiseTable, RECORDED},
    },
    types::{ArgType, ScalarType, MAX_ARGS, MAX_WORDS},
};
use pyo3::{
    exceptions::{PyTypeError, PyValueError},
    prelude::*,
    types::{PyComplex, PyDict, PyList, PyTuple},
};
use std::{
    sync::{Arc, RwLock},
    time::Instant,
};
use crate::runtime::cuda_sim;
use super::{
    boxing::{accepts, convert_slot, holds_blocks, convert_words, parse_types, read_numpy_scalar_or_tuple, reflect_lists, scalar_of, type_object, Boxer},
    compile::{show_python_function, with_built_module, ShowOptions},
    environment::compiled_py_func,
    warn,
};

/// One compiled signature.
struct Overload {
    key: Vec<ArgType>,
    declared_ret: Option<ArgType>,
    function: Arc<CompiledFunction>,
    /// Some argument is a Python list: written back after each call.
    takes_lists: bool,
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
    /// Default values of the last parameters (numbers, or None as None), used for omitted
    /// arguments.
    defaults: Vec<Option<(ScalarType, Slot)>>,
    /// Explicit signatures were given: compile nothing else.
    explicit: bool,
    /// The function takes *args: compiled code gets the arguments past `arg_count` as a
    /// tuple, one more parameter.
    varargs: bool,
    /// Keyword-only parameters: compiled code takes them after the positional ones (before
    /// the *args tuple), and every call binds its arguments as CPython does.
    kwonly: usize,
    overloads: RwLock<Vec<Arc<Overload>>>,
}

impl Dispatcher {
    /// The machine code of the one signature compiled (a ufunc's kernel, see ufunc.rs).
    pub(super) fn only_function(&self) -> Option<Arc<CompiledFunction>> {
        let overloads = self.overloads.read().unwrap();
        (overloads.len() == 1).then(|| overloads[0].function.clone())
    }

    /// Arguments bound by Python itself (`inspect.Signature.bind`, defaults applied), in the
    /// order compiled code takes them: positional, keyword-only, then the *args tuple. For
    /// functions with both *args and keyword-only parameters (bind_keywords binds the rest).
    fn bind_by_signature<'py>(&self, py: Python<'py>, args: &Bound<'py, PyTuple>, kwargs: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyTuple>> {
        let function = self.py_func.bind(py);
        let bound = match py.import("inspect")?.call_method1("signature", (function,))?.call_method("bind", args, kwargs) {
            Ok(bound) => bound,
            // CPython's own message: its call fails the same way, before the body runs.
            Err(e) => return Err(function.call(args, kwargs).err().unwrap_or(e)),
        };
        bound.call_method0("apply_defaults")?;
        let arguments = bound.getattr("arguments")?;
        let names: Vec<String> = function.getattr("__code__")?.getattr("co_varnames")?.extract()?;
        let count = self.arg_count + self.kwonly + usize::from(self.varargs);
        let values = names[..count].iter().map(|n| arguments.get_item(n)).collect::<PyResult<Vec<_>>>()?;
        PyTuple::new(py, values)
    }

    /// Keyword arguments from Python placed by parameter name (keyword-only parameters
    /// after the positional ones), omitted ones taken from the function's defaults
    /// (`__defaults__`, `__kwdefaults__`), with CPython's messages for what does not bind.
    fn bind_keywords<'py>(&self, py: Python<'py>, args: &Bound<'py, PyTuple>, kwargs: &Bound<'py, PyDict>) -> PyResult<Bound<'py, PyTuple>> {
        let function = self.py_func.bind(py);
        let name: String = function.getattr("__name__")?.extract()?;
        let code = function.getattr("__code__")?;
        let names: Vec<String> = code.getattr("co_varnames")?.extract()?;
        let names = &names[..(self.arg_count + self.kwonly).min(names.len())];
        let positional = self.arg_count.min(names.len());
        let defaults = function.getattr("__defaults__")?;
        let defaults: Vec<Bound<'py, PyAny>> = if defaults.is_none() { Vec::new() } else { defaults.try_iter()?.collect::<PyResult<_>>()? };
        let kwdefaults = function.getattr("__kwdefaults__")?;
        let kwdefault = |param: &str| if kwdefaults.is_none() { None } else { kwdefaults.get_item(param).ok() };
        if args.len() > positional {
            let (n, d) = (positional, defaults.len());
            let takes = if d == 0 { format!("{n}") } else { format!("from {} to {n}", n - d) };
            let plural = if n == 1 && d == 0 { "" } else { "s" };
            // Keyword-only arguments given too are counted in the message, as CPython does.
            let keyword_only = kwargs.keys().iter().filter(|k| names[positional..].iter().any(|n| k.eq(n).unwrap_or(false))).count();
            let given = match keyword_only {
                0 => format!("{} {}", args.len(), if args.len() == 1 { "was" } else { "were" }),
                k => format!(
                    "{} positional argument{} (and {k} keyword-only argument{}) were",
                    args.len(),
                    if args.len() == 1 { "" } else { "s" },
                    if k == 1 { "" } else { "s" }
                ),
            };
            return Err(PyTypeError::new_err(format!("{name}() takes {takes} positional argument{plural} but {given} given")));
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
        let first_default = positional - defaults.len();
        // CPython reports the positional arguments missing, else the keyword-only ones.
        let missing_positional: Vec<usize> = (0..first_default).filter(|&i| bound[i].is_none()).collect();
        let missing_keyword: Vec<usize> = (positional..names.len()).filter(|&i| bound[i].is_none() && kwdefault(&names[i]).is_none()).collect();
        for (missing, kind) in [(missing_positional, "positional"), (missing_keyword, "keyword-only")] {
            let missing: Vec<String> = missing.iter().map(|&i| format!("'{}'", names[i])).collect();
            let listed = match missing.as_slice() {
                [] => continue,
                [one] => one.clone(),
                [init @ .., last] if init.len() == 1 => format!("{} and {last}", init[0]),
                [init @ .., last] => format!("{}, and {last}", init.join(", ")),
            };
            let plural = if missing.len() == 1 { "" } else { "s" };
            return Err(PyTypeError::new_err(format!("{name}() missing {} required {kind} argument{plural}: {listed}", missing.len())));
        }
        let values = bound.into_iter().enumerate().map(|(i, v)| match v {
            Some(v) => v,
            None if i >= positional => kwdefault(&names[i]).expect("checked above"),
            None => defaults[i - first_default].clone(),
        });
        PyTuple::new(py, values)
    }

    fn call_positional(&self, py: Python<'_>, args: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        self.dispatch(py, args, |overload, words| self.invoke(py, overload, words, args))
    }

    /// Reads the arguments, finds (or compiles) the overload for their types and hands it
    /// the argument words in its types: `run` calls it (a call) or launches it (a kernel).
    #[inline]
    fn dispatch<R>(&self, py: Python<'_>, args: &Bound<'_, PyTuple>, run: impl Fn(&Overload, &mut [Slot]) -> PyResult<R>) -> PyResult<R> {
        let given = args.len();
        let n = self.arg_count + self.kwonly + usize::from(self.varargs);
        if given > n || given + self.defaults.len() < n {
            // Too many, too few, or defaults that are not numbers: bind as CPython does
            // (its messages on failure, else the defaults filled in).
            let bound = self.bind_keywords(py, args, &PyDict::new(py))?;
            if bound.len() != given {
                return self.dispatch(py, &bound, run);
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
                match self.defaults[first_default + i - given] {
                    Some((t, s)) => {
                        types[i] = ArgType::Scalar(t);
                        words[start] = s;
                        at[i + 1] = start + 1;
                    }
                    None => {
                        types[i] = ArgType::None;
                        at[i + 1] = start;
                    }
                }
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
                return run(o, &mut words[..used]);
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
            return run(&overload, &mut words[..used]);
        }
        // A conversion to or from a complex128 (two words), or inside a tuple: lay the words out again.
        let mut converted = Vec::with_capacity(used + n);
        for i in 0..n {
            convert_words(types[i], overload.key[i], &words[at[i]..at[i + 1]], &mut converted);
        }
        run(&overload, &mut converted)
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
        // (A function argument is known by its identity in this process: not cached.)
        let cacheable = !args.iter().any(|a| matches!(a, ArgType::Function(_)));
        let function = if self.options.keep_object && cacheable { self.cached_or_compiled(py, &args, ret)? } else { self.compile(py, &args, ret)? };
        // A pass's warnings (a race in a prange loop) become Python warnings at their line.
        for note in function.notes.iter().filter(|n| n.warning) {
            py.import("numlir.errors")?.call_method1("_warn_at", (&note.location, &note.message))?;
        }
        let mut overloads = self.overloads.write().unwrap();
        if let Some(existing) = overloads.iter().find(|o| o.key == args && o.declared_ret == ret) {
            return Ok(existing.clone());
        }
        let takes_lists = args.iter().any(|t| holds_blocks(*t));
        let overload = Arc::new(Overload { key: args, declared_ret: ret, function: Arc::new(function), takes_lists });
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
        let slot = match cache_slot(py, function, args, ret, &self.options, &compiled_py_func)? {
            CacheLookup::At(slot) => slot,
            CacheLookup::NoDirectory => {
                warn(py, "numlir: no cache directory is available; compiling without the cache")?;
                return self.compile(py, args, ret);
            }
            CacheLookup::NotCacheable => return self.compile(py, args, ret),
        };
        let shown = slot.path.display().to_string();
        match slot.load() {
            Ok(Some((meta, object))) => {
                match CompiledFunction::from_object(object, &meta.entry, meta.args, meta.ret, meta.raise_table) {
                    Ok(mut f) => {
                        f.notes = meta.notes;
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
            notes: compiled.notes.clone(),
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

    /// A call of a function with *args: its positional parameters (missing ones from its
    /// defaults), then the rest of the arguments as one tuple.
    fn call_with_varargs(&self, py: Python<'_>, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
        if kwargs.is_some_and(|k| !k.is_empty()) {
            return Err(PyTypeError::new_err("keyword arguments in a call of a compiled function with *args are not supported"));
        }
        let fixed = self.arg_count;
        let mut values: Vec<Bound<'_, PyAny>> = args.iter().take(fixed).collect();
        if values.len() < fixed {
            let defaults = self.py_func.bind(py).getattr("__defaults__")?;
            let defaults: Vec<Bound<'_, PyAny>> = if defaults.is_none() { Vec::new() } else { defaults.try_iter()?.collect::<PyResult<_>>()? };
            let missing = fixed - values.len();
            if missing > defaults.len() {
                let name: String = self.py_func.bind(py).getattr("__name__")?.extract()?;
                return Err(PyTypeError::new_err(format!("{name}() missing {} required positional argument(s)", missing - defaults.len())));
            }
            values.extend(defaults[defaults.len() - missing..].iter().cloned());
        }
        let rest = PyTuple::new(py, args.iter().skip(fixed))?;
        values.push(rest.into_any());
        self.call_positional(py, &PyTuple::new(py, values)?)
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
        // Array buffers lists dropped during the call are freed once it and its boxing end.
        let _scope = CallScope::enter();
        // SAFETY: slots hold one value of the declared type per argument.
        let status = if self.nogil {
            py.detach(|| unsafe { function.call(slots, out) })
        } else {
            unsafe { function.call(slots, out) }
        };
        if overload.takes_lists {
            reflect_lists(py, &overload.key, slots, args)?;
        }
        if status != 0 {
            return Err(raised_error(py, &overload.function.raise_table, status));
        }
        let result = Boxer { py, f: &overload.function, out, args, owners: Vec::new(), next: 0 }.build(&overload.function.ret)?;
        Ok(result)
    }
}

/// The Python exception of a nonzero status of compiled code whose raise sites are `table`.
pub(super) fn raised_error(py: Python<'_>, table: &RaiseTable, status: i32) -> PyErr {
    let (class_name, message) = table.raised(status);
    // An exception of Python code run by an objmode block: raised as it is.
    if table.site(status).0 == RECORDED {
        if let Some(err) = super::objmode::take_raised(&(class_name.clone(), message.clone())) {
            return err;
        }
    }
    let make = || -> PyResult<Bound<'_, PyAny>> {
        let class = super::environment::exception_class(py, &class_name)?;
        match message.parse::<i64>() {
            // A missing int key: KeyError(5), as Python raises it (its str is the key's repr).
            Ok(key) if class_name == "KeyError" && table.site(status).0 != RECORDED => class.call1((key,)),
            _ if message.is_empty() => class.call0(),
            _ => class.call1((message,)),
        }
    };
    match make() {
        Ok(exc) => PyErr::from_value(exc),
        Err(err) => err,
    }
}

#[pymethods]
impl Dispatcher {
    /// `signatures`: (return type or None, [argument type names]) pairs to compile now.
    /// `fastmath`: LLVM fast-math flags ("fast", "nnan,contract", ...; "" for none);
    /// `error_model`: "python" or "numpy".
    #[new]
    #[pyo3(signature = (py_func, fastmath = String::new(), signatures = None, boundscheck = false, error_model = "python", cache = false, nogil = false, parallel = false, cuda_kernel = false))]
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
        parallel: bool,
        cuda_kernel: bool,
    ) -> PyResult<Self> {
        let arg_count: usize = py_func.bind(py).getattr("__code__")?.getattr("co_argcount")?.extract()?;
        let kwonly: usize = py_func.bind(py).getattr("__code__")?.getattr("co_kwonlyargcount")?.extract()?;
        let flags: u32 = py_func.bind(py).getattr("__code__")?.getattr("co_flags")?.extract()?;
        let defaults = match py_func.bind(py).getattr("__defaults__")? {
            d if d.is_none() => Vec::new(),
            d => d
                .try_iter()?
                .map(|v| {
                    let v = v.ok()?;
                    if v.is_none() {
                        return Some(None);
                    }
                    scalar_of(&v).map(Some)
                })
                .collect::<Option<Vec<_>>>()
                .unwrap_or_default(),
        };
        let numpy_errors = match error_model {
            "python" => false,
            "numpy" => true,
            other => return Err(PyValueError::new_err(format!("error_model must be 'python' or 'numpy', not {other:?}"))),
        };
        let options = CompileOptions { fastmath, boundscheck, parallel, numpy_errors, keep_object: cache, cuda_kernel };
        let dispatcher = Self {
            py_func,
            options,
            nogil,
            arg_count,
            defaults,
            explicit: signatures.is_some(),
            varargs: flags & 0x04 != 0,
            kwonly,
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
        if self.kwonly > 0 && self.varargs {
            let bound = self.bind_by_signature(py, args, kwargs)?;
            return self.call_positional(py, &bound);
        }
        if self.kwonly > 0 {
            // Every call binds: the keyword-only parameters come after the positional ones.
            let bound = self.bind_keywords(py, args, kwargs.unwrap_or(&PyDict::new(py)))?;
            return self.call_positional(py, &bound);
        }
        if self.varargs {
            return self.call_with_varargs(py, args, kwargs);
        }
        match kwargs {
            Some(k) if !k.is_empty() => {
                let bound = self.bind_keywords(py, args, k)?;
                self.call_positional(py, &bound)
            }
            _ => self.call_positional(py, args),
        }
    }

    /// Runs a `@cuda.jit` kernel in the simulator over a grid of `griddim` blocks of
    /// `blockdim` threads (src/runtime/cuda_sim.rs), compiling it for these arguments first.
    fn _launch_simulated(&self, py: Python<'_>, griddim: [u32; 3], blockdim: [u32; 3], sharedmem: usize, args: &Bound<'_, PyTuple>) -> PyResult<()> {
        self.dispatch(py, args, |overload, words| {
            let function = &overload.function;
            let launch = cuda_sim::Launch { grid: griddim, block: blockdim, static_shared: function.cuda_shared_bytes, dynamic_shared: sharedmem };
            let workers = crate::runtime::threads::pool_size();
            let _scope = CallScope::enter();
            match py.detach(|| cuda_sim::launch(function.as_ref(), words, launch, workers)) {
                Ok(()) => Ok(()),
                Err(failure) => {
                    crate::runtime::errors::set_detail(failure.detail);
                    Err(raised_error(py, &function.raise_table, failure.status))
                }
            }
        })
    }

    /// Compiles a kernel for argument types (an explicit signature of `@cuda.jit`).
    fn _compile_kernel(&self, py: Python<'_>, args: Vec<String>) -> PyResult<()> {
        let args = parse_types(&args)?;
        if !self.overloads.read().unwrap().iter().any(|o| o.key == args) {
            self.compile_overload(py, args, None)?;
        }
        Ok(())
    }

    /// A kernel's IR at a stage of the GPU pipeline (py, typed, std, gpu, nvvm, llvm-ir,
    /// ptx) for `signature` and architecture `arch` ("sm_90").
    fn _kernel_ptx(&self, py: Python<'_>, signature: Vec<String>, arch: &str, stage: &str) -> PyResult<String> {
        let args = parse_types(&signature)?;
        super::cuda::show_kernel(py, &self.py_func, &args, &self.options, arch, stage)
    }

    /// The name of a kernel's entry point in its PTX.
    fn _kernel_name(&self, py: Python<'_>) -> PyResult<String> {
        super::cuda::kernel_name(py, &self.py_func)
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

    /// The type name of the result for argument types `signature` (compiled now if not yet):
    /// what a ufunc built on this function outputs.
    fn _return_type(&self, py: Python<'_>, signature: Vec<String>) -> PyResult<String> {
        let args = parse_types(&signature)?;
        let existing = self.overloads.read().unwrap().iter().find(|o| o.key == args).cloned();
        let overload = match existing {
            Some(o) => o,
            None => self.compile_overload(py, args, None)?,
        };
        Ok(overload.function.ret.name())
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

    /// Each compiled signature's type names and the warnings and remarks its compile made,
    /// as (warning, location, message); parallel_diagnostics() (python/numlir) prints them.
    fn _notes(&self) -> Vec<(Vec<String>, Vec<(bool, String, String)>)> {
        self.overloads
            .read()
            .unwrap()
            .iter()
            .map(|o| {
                let names = o.key.iter().map(|t| t.name().to_string()).collect();
                let notes = o.function.notes.iter().map(|n| (n.warning, n.location.clone(), n.message.clone())).collect();
                (names, notes)
            })
            .collect()
    }

    #[getter]
    fn _parallel(&self) -> bool {
        self.options.parallel
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
