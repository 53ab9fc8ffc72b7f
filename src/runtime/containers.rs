//! Python objects of the containers compiled code makes: a list block becomes a Python list,
//! a dict block a dict, a set (a dict block without values) a set, with their items boxed
//! from their words (ints as int64, floats as float64 bits, a complex as two float64s,
//! containers as pointers). Results, list arguments written back, `print` and the typed
//! containers all box through here.
use super::{
    dicts::{dict_entries, DictBlock},
    lists::{list_items, ListBlock},
    namedtuples::instantiate,
};
use super::strings::StrBlock;
use crate::types::{ReturnType, ScalarType};
use pyo3::{
    exceptions::PyTypeError,
    prelude::*,
    types::{PyBool, PyComplex, PyDict, PyList, PyTuple},
};

/// A Python list of the items of a list block (nested lists become Python lists too).
///
/// # Safety
/// `list` is a live list block whose items are of type `item`.
pub unsafe fn box_list(py: Python<'_>, list: *mut ListBlock, item: &ReturnType) -> PyResult<Py<PyAny>> {
    let (words, len, per_item) = list_items(list);
    let mut values = Vec::with_capacity(len);
    for i in 0..len {
        let mut at = i * per_item;
        values.push(box_item(py, words, &mut at, item)?);
    }
    Ok(PyList::new(py, values)?.into_any().unbind())
}

/// A Python list, dict or set of a list, dict or set block (the word that points to it).
///
/// # Safety
/// `block` is a live block of type `t`.
pub unsafe fn box_block(py: Python<'_>, block: u64, t: &ReturnType) -> PyResult<Py<PyAny>> {
    match t {
        ReturnType::List(item) => box_list(py, block as *mut ListBlock, item),
        ReturnType::Dict(key, value) => {
            let dict = PyDict::new(py);
            for (k, v) in dict_entries(block as *const DictBlock) {
                let key = box_item(py, k, &mut 0, key)?;
                let value = box_item(py, v, &mut 0, value)?;
                dict.set_item(key, value)?;
            }
            Ok(dict.into_any().unbind())
        }
        ReturnType::Set(item) => {
            let set = pyo3::types::PySet::empty(py)?;
            for (k, _) in dict_entries(block as *const DictBlock) {
                set.add(box_item(py, k, &mut 0, item)?)?;
            }
            Ok(set.into_any().unbind())
        }
        ReturnType::Str => Ok(box_str(py, block as *const StrBlock)),
        _ => unreachable!("only lists, dicts, sets and strings are blocks"),
    }
}

/// One value of type `t` from list item words (ints as int64, floats as float64 bits, a
/// complex as two float64s, lists as pointers), advancing `at`.
pub unsafe fn box_item(py: Python<'_>, words: &[u64], at: &mut usize, t: &ReturnType) -> PyResult<Py<PyAny>> {
    let mut next = || {
        *at += 1;
        words[*at - 1]
    };
    Ok(match t {
        ReturnType::None => py.None(),
        ReturnType::Scalar(s) => {
            let value = match s {
                ScalarType::Bool => PyBool::new(py, next() != 0).to_owned().into_any(),
                ScalarType::Float32 | ScalarType::Float64 => f64::from_bits(next()).into_pyobject(py)?.into_any(),
                ScalarType::Complex64 | ScalarType::Complex128 => {
                    let (re, im) = (f64::from_bits(next()), f64::from_bits(next()));
                    PyComplex::from_doubles(py, re, im).into_any()
                }
                ScalarType::UInt64 => next().into_pyobject(py)?.into_any(),
                _ => (next() as i64).into_pyobject(py)?.into_any(),
            };
            if s.is_python() {
                value.unbind()
            } else {
                py.import("numpy")?.getattr(s.name())?.call1((value,))?.unbind()
            }
        }
        ReturnType::Tuple(items) | ReturnType::NamedTuple(_, items) => {
            let values = items.iter().map(|i| box_item(py, words, at, i)).collect::<PyResult<Vec<_>>>()?;
            match t {
                ReturnType::NamedTuple(class, _) => instantiate(py, class, values)?,
                _ => PyTuple::new(py, values)?.into_any().unbind(),
            }
        }
        ReturnType::List(_) | ReturnType::Dict(..) | ReturnType::Set(_) | ReturnType::Str => box_block(py, next(), t)?,
        ReturnType::Generator(_) => return Err(PyTypeError::new_err("containers of generators are not supported")),
        ReturnType::Array { dtype, ndim } => {
            let owner = next() as *mut super::lists::Counted;
            let rest: Vec<u64> = (0..2 + 2 * ndim).map(|_| next()).collect();
            super::arrays::box_list_array(py, owner, &rest, *dtype, *ndim)?
        }
        ReturnType::Optional(_) => return Err(PyTypeError::new_err("containers of optional values are not supported")),
    })
}


/// A Python str of a str block's characters (CPython takes them in the block's width).
///
/// # Safety
/// `s` is a live str block.
pub unsafe fn box_str(py: Python<'_>, s: *const StrBlock) -> Py<PyAny> {
    let s = &*s;
    let object = pyo3::ffi::PyUnicode_FromKindAndData(s.kind as i32, s.bytes().as_ptr() as *const std::ffi::c_void, s.len as pyo3::ffi::Py_ssize_t);
    // A str of valid characters cannot fail but for memory.
    Bound::from_owned_ptr(py, object).unbind()
}
