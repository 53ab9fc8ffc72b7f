//! `with objmode(y="float64[:]"):` blocks at run time. The Python side lifts each block into
//! a function (python/numlir/objmode_blocks.py); the environment registers it here when the
//! frontend meets it, and compiled code calls `numlir_objmode_call` with the block's number.
//!
//! Words in and out, each value in order (tuples flattened):
//! - a scalar takes two words: an int as i64 (a uint64 as its bits), a float as f64 bits, a
//!   bool as 0/1, a complex as its two f64 parts (the second word is 0 otherwise);
//! - in: an array is its memref descriptor (3 + 2 * ndim words); a str, list, dict or set
//!   its block (borrowed);
//! - out: a str is a new block; an array is its shape (ndim words), and the array itself
//!   waits in this thread until compiled code has made a buffer of that shape and asks
//!   `numlir_objmode_fill` to copy it there.
use crate::frontend::GlobalValue;
use crate::runtime::errors::fail;
use crate::types::{ArgType, DType, ReturnType, ScalarType};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyComplex, PyTuple};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::Mutex;

struct Block {
    object: Py<PyAny>,
    outputs: Vec<ArgType>,
}

/// The blocks of this process, by number (compiled code names them by it).
static BLOCKS: Mutex<Vec<Block>> = Mutex::new(Vec::new());

thread_local! {
    /// Array results of the last block, made contiguous in their declared dtype.
    static WAITING: RefCell<VecDeque<Py<PyAny>>> = const { RefCell::new(VecDeque::new()) };
    /// The Python exception a block raised (with the class and message recorded for it),
    /// for the dispatcher to raise as it is.
    static RAISED: RefCell<Option<(String, String, PyErr)>> = const { RefCell::new(None) };
}

/// The exception the last failed block on this thread raised, if it is the one compiled code
/// raises (`recorded`, the class and message of its `<recorded>` site): compiled code may have
/// caught that one and raised another since.
pub(crate) fn take_raised(recorded: &(String, String)) -> Option<PyErr> {
    let (class, message, err) = RAISED.with(|r| r.borrow_mut().take())?;
    (class == recorded.0 && message == recorded.1).then_some(err)
}

/// Whether a value is a lifted objmode block (python/numlir/objmode_blocks.py's ObjModeBlock).
pub(crate) fn is_block(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    static CLASS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let py = value.py();
    let class = CLASS.get_or_try_init(py, || {
        Ok::<_, PyErr>(py.import("numlir.objmode_blocks")?.getattr("ObjModeBlock")?.unbind())
    })?;
    value.is_instance(class.bind(py))
}

/// What a global or closure value is when it is a lifted objmode block.
pub(crate) fn classify_block(value: &Bound<'_, PyAny>) -> PyResult<Option<GlobalValue>> {
    if !is_block(value)? {
        return Ok(None);
    }
    let mut outputs = Vec::new();
    for item in value.getattr("outputs")?.try_iter()? {
        let (name, text): (String, String) = item?.extract()?;
        match ArgType::parse(&text).filter(|t| readable(*t)) {
            Some(t) => outputs.push(t),
            None => {
                return Ok(Some(GlobalValue::Unsupported(format!(
                    "an objmode block whose result '{name}' is declared '{text}'; objmode results are numbers, \
                     bools, str, arrays and tuples of them"
                ))))
            }
        }
    }
    let mut blocks = BLOCKS.lock().unwrap_or_else(|e| e.into_inner());
    let id = match blocks.iter().position(|b| b.object.is(value)) {
        Some(id) => id,
        None => {
            blocks.push(Block { object: value.clone().unbind(), outputs: outputs.clone() });
            blocks.len() - 1
        }
    };
    Ok(Some(GlobalValue::ObjModeBlock { id, outputs }))
}

/// Whether an objmode result may have this type.
fn readable(t: ArgType) -> bool {
    match t {
        ArgType::Scalar(_) | ArgType::Array { .. } | ArgType::Str => true,
        ArgType::Tuple(id) => id.items().iter().all(|i| readable(*i)),
        _ => false,
    }
}

/// Runs objmode block `id` (see the module for the words). Returns false after recording
/// the exception it raised.
///
/// # Safety
/// `in_words` holds the arguments as `in_types` (their MLIR types, `;`-separated, a text of
/// `in_types_len` bytes) lays them out; `out_words` has room for the results.
pub unsafe extern "C" fn numlir_objmode_call(id: i64, in_words: *const u64, in_types: *const u8, in_types_len: i64, out_words: *mut u64) -> bool {
    let types = std::str::from_utf8(std::slice::from_raw_parts(in_types, in_types_len as usize)).unwrap_or("");
    Python::attach(|py| {
        let run = || -> PyResult<()> {
            let (object, outputs) = {
                let blocks = BLOCKS.lock().unwrap_or_else(|e| e.into_inner());
                let block = blocks.get(id as usize).ok_or_else(|| pyo3::exceptions::PySystemError::new_err("unknown objmode block"))?;
                (block.object.clone_ref(py), block.outputs.clone())
            };
            let mut at = 0;
            let mut args = Vec::new();
            for text in types.split(';').filter(|t| !t.is_empty()) {
                let t = ReturnType::parse_mlir(text)
                    .ok_or_else(|| pyo3::exceptions::PySystemError::new_err(format!("objmode cannot box a {text}")))?;
                args.push(box_input(py, &t, in_words, &mut at)?);
            }
            let results = object.bind(py).call1(PyTuple::new(py, args)?)?;
            let results = results.cast::<PyTuple>().map_err(PyErr::from)?;
            if results.len() != outputs.len() {
                return Err(pyo3::exceptions::PySystemError::new_err("an objmode block returned the wrong number of results"));
            }
            let mut out = 0;
            for (value, t) in results.iter().zip(&outputs) {
                unbox_output(py, &value, *t, out_words, &mut out)?;
            }
            Ok(())
        };
        match run() {
            Ok(()) => true,
            Err(e) => {
                let class = super::environment::exception_class_name(e.get_type(py).as_any())
                    .unwrap_or_else(|_| "Exception".into());
                let message = e.value(py).str().map(|s| s.to_string()).unwrap_or_default();
                fail(&class, &message);
                RAISED.with(|r| *r.borrow_mut() = Some((class, message, e)));
                WAITING.with(|w| w.borrow_mut().clear());
                false
            }
        }
    })
}

/// Copies the next array result of the last block into `data`, a buffer compiled code made
/// of its shape (C order), and lets the array go.
///
/// # Safety
/// `data` has room for the array.
pub unsafe extern "C" fn numlir_objmode_fill(data: *mut u8) {
    Python::attach(|py| {
        let Some(array) = WAITING.with(|w| w.borrow_mut().pop_front()) else { return };
        let array = array.bind(py);
        let bytes = array.getattr("nbytes").and_then(|n| n.extract::<usize>()).unwrap_or(0);
        let source = array
            .getattr("ctypes")
            .and_then(|c| c.getattr("data"))
            .and_then(|d| d.extract::<usize>())
            .unwrap_or(0);
        if bytes > 0 && source != 0 {
            std::ptr::copy_nonoverlapping(source as *const u8, data, bytes);
        }
    })
}

fn word(words: *const u64, at: &mut usize) -> u64 {
    // SAFETY: the caller's layout has this word.
    let w = unsafe { *words.add(*at) };
    *at += 1;
    w
}

/// One argument of the block as a Python object (arrays as views of compiled code's memory,
/// valid while the block runs; containers and strings as Python copies).
fn box_input(py: Python<'_>, t: &ReturnType, words: *const u64, at: &mut usize) -> PyResult<Py<PyAny>> {
    Ok(match t {
        ReturnType::None => py.None(),
        ReturnType::Scalar(s) => {
            let (a, b) = (word(words, at), word(words, at));
            match s {
                ScalarType::Bool => PyBool::new(py, a & 1 == 1).to_owned().into_any().unbind(),
                ScalarType::Float32 | ScalarType::Float64 => f64::from_bits(a).into_pyobject(py)?.into_any().unbind(),
                ScalarType::Complex64 | ScalarType::Complex128 => {
                    PyComplex::from_doubles(py, f64::from_bits(a), f64::from_bits(b)).into_any().unbind()
                }
                ScalarType::UInt64 => a.into_pyobject(py)?.into_any().unbind(),
                _ => (a as i64).into_pyobject(py)?.into_any().unbind(),
            }
        }
        ReturnType::Array { dtype, ndim } => {
            let descriptor: Vec<u64> = (0..3 + 2 * ndim).map(|_| word(words, at)).collect();
            crate::runtime::arrays::box_array(py, &descriptor, *dtype, *ndim, &py.None(), true)?
        }
        ReturnType::Tuple(items) => {
            let values = items.iter().map(|i| box_input(py, i, words, at)).collect::<PyResult<Vec<_>>>()?;
            PyTuple::new(py, values)?.into_any().unbind()
        }
        ReturnType::List(_) | ReturnType::Dict(..) | ReturnType::Set(_) | ReturnType::Str | ReturnType::Generator(_) => {
            let block = word(words, at);
            // SAFETY: a live block compiled code lends for the call (box_block copies it).
            unsafe { crate::runtime::containers::box_block(py, block, t)? }
        }
        other => return Err(pyo3::exceptions::PyTypeError::new_err(format!("objmode cannot pass a {other:?}"))),
    })
}

/// One result of the block, converted to its declared type, into the out words.
fn unbox_output(py: Python<'_>, value: &Bound<'_, PyAny>, t: ArgType, words: *mut u64, at: &mut usize) -> PyResult<()> {
    let mut put = |w: u64| {
        // SAFETY: compiled code sized the out words for the declared results.
        unsafe { *words.add(*at) = w };
        *at += 1;
    };
    match t {
        ArgType::Scalar(s) => {
            let (a, b) = match s {
                ScalarType::Bool => (u64::from(value.is_truthy()?), 0),
                ScalarType::Float32 | ScalarType::Float64 => (value.extract::<f64>()?.to_bits(), 0),
                ScalarType::Complex64 | ScalarType::Complex128 => {
                    let z = py.import("builtins")?.getattr("complex")?.call1((value,))?;
                    let z = z.cast::<PyComplex>().map_err(PyErr::from)?;
                    (z.real().to_bits(), z.imag().to_bits())
                }
                ScalarType::UInt64 => (value.call_method0("__index__")?.extract::<u64>()?, 0),
                _ => (value.call_method0("__index__")?.extract::<i64>()? as u64, 0),
            };
            put(a);
            put(b);
        }
        ArgType::Str => {
            let text: String = value.extract()?;
            put(crate::runtime::strings::str_from_text(&text) as u64);
        }
        ArgType::Array { dtype, ndim, .. } => {
            let numpy = py.import("numpy")?;
            let array = numpy.call_method1("ascontiguousarray", (value, dtype_name(dtype)))?;
            let actual: usize = array.getattr("ndim")?.extract()?;
            if actual != ndim {
                return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                    "an objmode result declared as a {ndim}-d array is a {actual}-d array"
                )));
            }
            let shape: Vec<i64> = array.getattr("shape")?.extract()?;
            for n in shape {
                put(n as u64);
            }
            WAITING.with(|w| w.borrow_mut().push_back(array.unbind()));
        }
        ArgType::Tuple(id) => {
            let items = id.items();
            let values: Vec<Bound<'_, PyAny>> = value.try_iter()?.collect::<PyResult<_>>()?;
            if values.len() != items.len() {
                return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                    "an objmode result declared as a tuple of {} is a tuple of {}",
                    items.len(),
                    values.len()
                )));
            }
            for (v, i) in values.iter().zip(items.iter()) {
                unbox_output(py, v, *i, words, at)?;
            }
        }
        other => return Err(pyo3::exceptions::PyTypeError::new_err(format!("objmode cannot return a {other:?}"))),
    }
    Ok(())
}

fn dtype_name(dtype: DType) -> &'static str {
    match dtype {
        DType::Bool => "bool",
        other => other.name(),
    }
}
