//! `print(...)` in compiled code: py-to-std (dialects/lib/Conversion/PyToStd/Print.cpp) puts
//! the items in a stack array of three words each, [kind, a, b], and calls `numlir_print`.
//! It builds the Python objects and calls Python's own `print` with them, holding the GIL:
//! values come out as CPython formats them, through `sys.stdout`, in order with the
//! interpreter's own output (and captured where the interpreter's is).
use super::arrays::box_array;
use crate::types::DType;
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
const COMPLEX64: i64 = 8;
const ARRAY: i64 = 9;
/// NumPy scalar types by code, as Print.cpp numbers them.
const NUMPY_DTYPES: [&str; 8] = ["int8", "int16", "int32", "uint8", "uint16", "uint32", "uint64", "float32"];

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

/// The Python object of the first item of `rest` (a tuple takes its elements too).
fn item(py: Python<'_>, rest: &mut &[[i64; 3]]) -> PyResult<Py<PyAny>> {
    let ([kind, a, b], tail) = rest.split_first().map(|(w, t)| (*w, t)).expect("an item per count");
    *rest = tail;
    let float = |bits: i64| f64::from_bits(bits as u64);
    Ok(match kind {
        TEXT => {
            // SAFETY: a constant global of `b` bytes in the compiled code (see numlir_print).
            let bytes = unsafe { std::slice::from_raw_parts(a as *const u8, b as usize) };
            String::from_utf8_lossy(bytes).into_pyobject(py)?.into_any().unbind()
        }
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
            let dtype = NUMPY_DTYPES[b as usize];
            let value: Py<PyAny> = match dtype {
                "float32" => float(a).into_pyobject(py)?.into_any().unbind(),
                "uint64" => (a as u64).into_pyobject(py)?.into_any().unbind(),
                _ => a.into_pyobject(py)?.into_any().unbind(),
            };
            py.import("numpy")?.getattr(dtype)?.call1((value,))?.unbind()
        }
        COMPLEX64 => {
            let z = PyComplex::from_doubles(py, float(a), float(b));
            py.import("numpy")?.getattr("complex64")?.call1((z,))?.unbind()
        }
        ARRAY => {
            // SAFETY: as for a text item.
            let name = unsafe { std::slice::from_raw_parts(a as *const u8, b as usize) };
            let dtype = DType::parse(std::str::from_utf8(name).unwrap_or_default()).expect("a dtype numlir compiles");
            let ndim = rest[0][0] as usize;
            let items = 1 + (3 + 2 * ndim).div_ceil(3);
            let descriptor: Vec<u64> = rest[1..items].iter().flatten().map(|w| *w as u64).collect();
            *rest = &rest[items..];
            // A read-only view of the array, alive while print runs (the caller's memory).
            box_array(py, &descriptor, dtype, ndim, &py.None(), false)?
        }
        other => unreachable!("print item kind {other}"),
    })
}
