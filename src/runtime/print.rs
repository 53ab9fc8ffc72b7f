//! `print(...)` in compiled code: py-to-std (dialects/lib/Conversion/PyToStd/Print.cpp) puts
//! the items in a stack array of three words each, [kind, a, b], and calls `numlir_print`.
//! It builds the Python objects and calls Python's own `print` with them, holding the GIL:
//! values come out as CPython formats them, through `sys.stdout`, in order with the
//! interpreter's own output (and captured where the interpreter's is).
use super::{arrays::box_array, containers::box_block};
use crate::types::{DType, ReturnType};
use pyo3::{
    prelude::*,
    types::{PyComplex, PyDict, PyTuple},
};

const TEXT: i64 = 0;
const INT: i64 = 1;
const FLOAT: i64 = 2;
const BOOL: i64 = 3;
const COMPLEX: i64 = 4;
const TUPLE: i64 = 5;
const NONE: i64 = 6;
const NUMPY_SCALAR: i64 = 7;
const ARRAY: i64 = 8;
const CONTAINER: i64 = 9;

/// Prints the `count` items at `items` (an address), the first two being `sep` and `end`.
///
/// # Safety
/// `items` points to `3 * count` int64 words laid out as Print.cpp writes them, and each
/// text item's address and length describe UTF-8 bytes that outlive the call.
pub unsafe extern "C" fn numlir_print(items: i64, count: i64) {
    // SAFETY: the caller's stack array of 3 * count words (see above).
    let words = unsafe { std::slice::from_raw_parts(items as *const [i64; 3], count as usize) };
    Python::attach(|py| {
        if let Err(e) = print_items(py, words) {
            e.print(py); // as Python reports an error in a print it cannot raise
        }
    });
}

fn print_items(py: Python<'_>, words: &[[i64; 3]]) -> PyResult<()> {
    let mut rest = words;
    let mut next = || -> PyResult<Py<PyAny>> { item(py, &mut rest) };
    let sep = next()?;
    let end = next()?;
    let mut values = Vec::new();
    while !rest.is_empty() {
        values.push(item(py, &mut rest)?);
    }
    let kwargs = PyDict::new(py);
    kwargs.set_item("sep", sep)?;
    kwargs.set_item("end", end)?;
    py.import("builtins")?.getattr("print")?.call(PyTuple::new(py, values)?, Some(&kwargs))?;
    Ok(())
}

/// The text of a text item: `len` UTF-8 bytes at `address`.
fn text(address: i64, len: i64) -> String {
    // SAFETY: a constant global of `len` bytes in the compiled code (see numlir_print).
    let bytes = unsafe { std::slice::from_raw_parts(address as *const u8, len as usize) };
    String::from_utf8_lossy(bytes).into_owned()
}

/// The Python object of the first item of `rest` (a tuple takes its elements too).
fn item(py: Python<'_>, rest: &mut &[[i64; 3]]) -> PyResult<Py<PyAny>> {
    let ([kind, a, b], tail) = rest.split_first().map(|(w, t)| (*w, t)).expect("an item per count");
    *rest = tail;
    let float = |bits: i64| f64::from_bits(bits as u64);
    Ok(match kind {
        TEXT => text(a, b).into_pyobject(py)?.into_any().unbind(),
        INT => a.into_pyobject(py)?.into_any().unbind(),
        FLOAT => float(a).into_pyobject(py)?.into_any().unbind(),
        BOOL => (a != 0).into_pyobject(py)?.to_owned().into_any().unbind(),
        COMPLEX => PyComplex::from_doubles(py, float(a), float(b)).into_any().unbind(),
        TUPLE => {
            let elements = (0..a).map(|_| item(py, rest)).collect::<PyResult<Vec<_>>>()?;
            PyTuple::new(py, elements)?.into_any().unbind()
        }
        NONE => py.None(),
        NUMPY_SCALAR => {
            let dtype = text(a, b);
            let [value, im, _] = rest[0];
            *rest = &rest[1..];
            let value: Py<PyAny> = match dtype.as_str() {
                "float32" => float(value).into_pyobject(py)?.into_any().unbind(),
                "complex64" => PyComplex::from_doubles(py, float(value), float(im)).into_any().unbind(),
                "uint64" => (value as u64).into_pyobject(py)?.into_any().unbind(),
                _ => value.into_pyobject(py)?.into_any().unbind(),
            };
            py.import("numpy")?.getattr(dtype.as_str())?.call1((value,))?.unbind()
        }
        ARRAY => {
            let dtype = DType::parse(&text(a, b)).expect("a dtype numlir compiles");
            let ndim = rest[0][0] as usize;
            let items = 1 + (3 + 2 * ndim).div_ceil(3);
            let descriptor: Vec<u64> = rest[1..items].iter().flatten().map(|w| *w as u64).collect();
            *rest = &rest[items..];
            // A read-only view of the array, alive while print runs (the caller's memory).
            box_array(py, &descriptor, dtype, ndim, &py.None(), false)?
        }
        CONTAINER => {
            // a list, dict or set: its py type's spelling, then an item of the block pointer
            let t = ReturnType::parse_mlir(&text(a, b)).expect("a container type numlir compiles");
            let block = rest[0][0] as u64;
            *rest = &rest[1..];
            // SAFETY: compiled code holds the block alive across the call.
            unsafe { box_block(py, block, &t)? }
        }
        other => unreachable!("print item kind {other}"),
    })
}
