//! The key of a `cache=True` entry: everything its machine code depends on, read from the
//! Python objects without running the compiler. A change to any part is a new key:
//! - the compiler (its version and this build of the extension), the host CPU, NumPy's and
//!   Python's versions;
//! - the signature and the options;
//! - the function's bytecode, constants and names, and for every global it names, the
//!   value (numbers, strings, tuples, NumPy arrays), the module, or, for a compiled function it calls,
//!   that function's own bytecode and globals, transitively.
use super::{cache_dir, file_name, CacheSlot};
use crate::{
    backend::cpu::{object::host_cpu, stream_min_bytes},
    compiler::CompileOptions,
    types::ArgType,
};
use pyo3::{
    prelude::*,
    types::{PyBool, PyCode, PyComplex, PyDict, PyFloat, PyInt, PyModule, PyString, PyTuple},
};
use std::sync::OnceLock;

/// The Python function a compiled function wraps, or None for any other value: how the key
/// tells a compiled callee (hashed by its own code) from other globals, given by the caller
/// so that the key does not depend on the dispatcher.
pub type CompiledPyFunc = dyn for<'py> Fn(&Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>>;

/// The functions already hashed (recursion) and how to find compiled callees.
struct Walk<'a> {
    seen: Vec<Py<PyAny>>,
    compiled_py_func: &'a CompiledPyFunc,
    /// Set when the function reaches an objmode block (compiled code names it by its number
    /// in this process) or a function taught by @overload (whose implementation the key
    /// does not cover, except numlir's own ufunc calls'): such code is not cached.
    uncacheable: bool,
}

/// Where the code of a function for some argument types is cached.
pub enum CacheLookup {
    At(CacheSlot),
    /// No cache directory can be written.
    NoDirectory,
    /// The code reaches objmode blocks or @overload functions (see `Walk::uncacheable`).
    NotCacheable,
}

/// The cache slot of `function` compiled for `args`.
pub fn cache_slot(
    py: Python<'_>,
    function: &Bound<'_, PyAny>,
    args: &[ArgType],
    ret: Option<ArgType>,
    options: &CompileOptions,
    compiled_py_func: &CompiledPyFunc,
) -> PyResult<CacheLookup> {
    let code = function.getattr("__code__")?;
    let filename: String = code.getattr("co_filename")?.extract()?;
    let qualname: String = function.getattr("__qualname__")?.extract()?;
    let names: Vec<String> = args.iter().map(ArgType::name).collect();
    let signature = format!(
        "({}) -> {} fastmath={} boundscheck={} numpy_errors={} parallel={}",
        names.join(", "),
        ret.map_or("inferred".to_string(), |r| r.name()),
        options.fastmath,
        options.boundscheck,
        options.numpy_errors,
        options.parallel
    );
    let Some(dir) = cache_dir(&filename) else { return Ok(CacheLookup::NoDirectory) };
    let mut hasher = blake3::Hasher::new();
    hasher.update(compiler_identity().as_bytes());
    hasher.update(host_cpu().as_bytes());
    hasher.update(&stream_min_bytes().to_le_bytes());
    let numpy_version: String = py.import("numpy")?.getattr("__version__")?.extract()?;
    let python_version: String = py.import("sys")?.getattr("version")?.extract()?;
    for part in [numpy_version.as_str(), python_version.as_str(), signature.as_str()] {
        hasher.update(part.as_bytes());
        hasher.update(b"\0");
    }
    let mut walk = Walk { seen: Vec::new(), compiled_py_func, uncacheable: false };
    hash_function(&mut hasher, function, &mut walk)?;
    if walk.uncacheable {
        return Ok(CacheLookup::NotCacheable);
    }
    Ok(CacheLookup::At(CacheSlot { path: dir.join(file_name(&filename, &qualname, &signature)), key: *hasher.finalize().as_bytes() }))
}

/// numlir's version and this build of the extension (its path, size and modification time),
/// so a rebuilt compiler does not reuse code from the old one.
fn compiler_identity() -> &'static str {
    static IDENTITY: OnceLock<String> = OnceLock::new();
    IDENTITY.get_or_init(|| {
        let mut identity = format!("numlir {} cache v1", env!("CARGO_PKG_VERSION"));
        let library = crate::runtime::extension_path();
        if let Some(meta) = library.as_ref().and_then(|path| std::fs::metadata(path).ok()) {
            let modified = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
            identity += &format!(" {} {} {:?}", library.as_deref().unwrap_or_default(), meta.len(), modified);
        }
        // The package's Python files beside the extension: numlir's NumPy functions and
        // helpers (python/numlir/_numpy/) are compiled into the cached code too.
        if let Some(package) = library.as_ref().and_then(|path| std::path::Path::new(path).parent()) {
            identity += &format!(" python {}", python_sources_hash(package));
        }
        identity
    })
}

/// A hash of every `.py` file under `dir` (by path and contents, in a stable order).
fn python_sources_hash(dir: &std::path::Path) -> String {
    fn collect(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() && path.file_name().is_some_and(|n| n != "__pycache__") {
                collect(&path, files);
            } else if path.extension().is_some_and(|e| e == "py") {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    collect(dir, &mut files);
    files.sort();
    let mut hasher = blake3::Hasher::new();
    for file in files {
        hasher.update(file.to_string_lossy().as_bytes());
        hasher.update(&std::fs::read(&file).unwrap_or_default());
    }
    hasher.finalize().to_hex()[..16].to_string()
}

fn hash_function(hasher: &mut blake3::Hasher, function: &Bound<'_, PyAny>, walk: &mut Walk<'_>) -> PyResult<()> {
    if walk.seen.iter().any(|f| f.is(function)) {
        return Ok(()); // recursion: already part of the key
    }
    walk.seen.push(function.clone().unbind());
    let code = function.getattr("__code__")?;
    hash_code(hasher, &code)?;
    let globals = function.getattr("__globals__")?;
    let globals = globals.cast::<PyDict>()?;
    let builtins = function.py().import("builtins")?;
    let names: Vec<String> = code.getattr("co_names")?.extract()?;
    for name in names {
        let value = match globals.get_item(&name)? {
            Some(v) => Some(v),
            None => builtins.getattr(name.as_str()).ok(),
        };
        hasher.update(name.as_bytes());
        hasher.update(b"=");
        let own_name: String = code.getattr("co_name")?.extract()?;
        hash_bound_value(hasher, &name, &own_name, value, walk)?;
    }
    // Defaults are compiled in by value too (a call that omits an argument).
    for attr in ["__defaults__", "__kwdefaults__"] {
        hasher.update(attr.as_bytes());
        let value = function.getattr(attr)?;
        match value.cast::<PyDict>() {
            Ok(d) => {
                for (k, v) in d.iter() {
                    hash_value(hasher, &k)?;
                    hash_value(hasher, &v)?;
                }
            }
            Err(_) => hash_value(hasher, &value)?,
        }
    }
    // Variables of enclosing functions are compiled in by value, as globals are.
    let freevars: Vec<String> = code.getattr("co_freevars")?.extract()?;
    let closure = function.getattr("__closure__")?;
    for (i, name) in freevars.iter().enumerate() {
        hasher.update(b"closure ");
        hasher.update(name.as_bytes());
        hasher.update(b"=");
        let value = closure.get_item(i)?.getattr("cell_contents").ok();
        let own_name: String = code.getattr("co_name")?.extract()?;
        hash_bound_value(hasher, name, &own_name, value, walk)?;
    }
    Ok(())
}

/// A global's or a closure variable's contribution: a compiled function by its own key,
/// anything else by value.
fn hash_bound_value(
    hasher: &mut blake3::Hasher,
    name: &str,
    own_name: &str,
    value: Option<Bound<'_, PyAny>>,
    walk: &mut Walk<'_>,
) -> PyResult<()> {
    match value {
        // Unbound while the function compiles eagerly at decoration: self-recursion.
        None if name == own_name => {
            hasher.update(b"<compiled>");
        }
        None => {
            hasher.update(b"<missing>");
        }
        Some(v) => {
            if crate::python::objmode::is_block(&v)? {
                walk.uncacheable = true;
            }
            // An overload whose implementations follow from what it names (numlir's own
            // ufunc calls: the kernel, its loops) is hashed by that; any other is not cached.
            let mut parts = vec![v];
            if crate::python::environment::overload_index(&parts[0])?.is_some() {
                match overload_cache_identity(&parts[0])? {
                    Some(identity) => {
                        hasher.update(b"<overload>");
                        parts = identity;
                    }
                    None => walk.uncacheable = true,
                }
            }
            for part in parts {
                if let Some(callee) = (walk.compiled_py_func)(&part)? {
                    hasher.update(b"<compiled>");
                    hash_function(hasher, &callee, walk)?;
                } else {
                    hash_value(hasher, &part)?;
                }
            }
        }
    }
    hasher.update(b"\0");
    Ok(())
}

/// What an overloaded function's implementations follow from, where numlir.extending knows
/// it (`_cache_identity`): values to hash in its place; None for any other overload.
fn overload_cache_identity<'py>(value: &Bound<'py, PyAny>) -> PyResult<Option<Vec<Bound<'py, PyAny>>>> {
    let parts = value.py().import("numlir.extending")?.getattr("_cache_identity")?.call1((value,))?;
    if parts.is_none() {
        return Ok(None);
    }
    Ok(Some(parts.try_iter()?.collect::<PyResult<Vec<_>>>()?))
}

fn hash_code(hasher: &mut blake3::Hasher, code: &Bound<'_, PyAny>) -> PyResult<()> {
    for attr in ["co_code", "co_names", "co_varnames", "co_argcount", "co_kwonlyargcount", "co_flags", "co_name"] {
        hasher.update(code.getattr(attr)?.repr()?.to_str()?.as_bytes());
        hasher.update(b"\0");
    }
    for constant in code.getattr("co_consts")?.try_iter()? {
        hash_value(hasher, &constant?)?;
        hasher.update(b"\0");
    }
    Ok(())
}

/// A value's contribution: numbers, strings and tuples by value, modules by name, nested
/// code by its contents; other objects by type and, where stable, their repr.
fn hash_value(hasher: &mut blake3::Hasher, value: &Bound<'_, PyAny>) -> PyResult<()> {
    let type_name = value.get_type().name()?.to_string();
    hasher.update(type_name.as_bytes());
    hasher.update(b":");
    if value.is_instance_of::<PyCode>() {
        return hash_code(hasher, value);
    }
    if let Ok(tuple) = value.cast::<PyTuple>() {
        for item in tuple.iter() {
            hash_value(hasher, &item)?;
            hasher.update(b",");
        }
        return Ok(());
    }
    if let Ok(module) = value.cast::<PyModule>() {
        hasher.update(module.name()?.to_str()?.as_bytes());
        return Ok(());
    }
    // A NumPy array (compiled in as a constant): its dtype, shape and elements.
    let numpy = value.py().import("numpy")?;
    if value.is_instance(&numpy.getattr("ndarray")?)? {
        for part in [value.getattr("dtype")?.str()?, value.getattr("shape")?.repr()?] {
            hasher.update(part.to_str()?.as_bytes());
            hasher.update(b",");
        }
        let bytes = numpy.call_method1("ascontiguousarray", (value,))?.call_method0("tobytes")?;
        hasher.update(bytes.cast::<pyo3::types::PyBytes>()?.as_bytes());
        return Ok(());
    }
    let by_value = value.is_none()
        || value.is_instance_of::<PyBool>()
        || value.is_instance_of::<PyInt>()
        || value.is_instance_of::<PyFloat>()
        || value.is_instance_of::<PyComplex>()
        || value.is_instance_of::<PyString>();
    let repr = value.repr()?.to_string();
    // Reprs with an address change every run; such objects are not compiled anyway.
    if by_value || !repr.contains(" at 0x") {
        hasher.update(repr.as_bytes());
    }
    Ok(())
}
