//! `numlir.typed.List` and `numlir.typed.Dict` (numba's typed containers): Python objects that
//! own a list or dict block of the runtime, usable from the interpreter and passed to compiled
//! code as the block itself, with no conversion (mutations inside are the object's own).
use super::boxing::{counted_table, item_return_type, item_words, list_item_type, parse_types, unbox_item, word_kinds};
use crate::{
    backend::cpu::Slot,
    runtime::{
        containers::{box_block, box_item},
        dicts::{dict_entries, dict_set_owned, dict_value, numlir_dict_del, numlir_dict_new, DictBlock},
        lists::{list_items, list_push, list_replace, list_take, new_list_block, release, release_item, Counted, ListBlock},
    },
    types::{ArgType, TupleId},
};
use pyo3::{
    exceptions::{PyIndexError, PyKeyError, PyTypeError},
    prelude::*,
    types::{PyList, PyTuple},
};
use std::sync::Mutex;

/// A list or dict block and its type; the block is made when the type is known (a `List()`
/// takes its item type from its first append, as numba's).
struct Owned {
    block: usize,
    t: Option<ArgType>,
}

impl Drop for Owned {
    fn drop(&mut self) {
        if self.block != 0 {
            // SAFETY: this object owns one reference to its block.
            unsafe { release(self.block as *mut Counted) };
        }
    }
}

fn type_error(e: String) -> PyErr {
    PyTypeError::new_err(e)
}

/// `numlir.typed.List`: a list of one item type in native memory.
#[pyclass(module = "numlir._core", name = "TypedList", subclass)]
pub struct TypedList {
    inner: Mutex<Owned>,
}

impl TypedList {
    fn item(&self) -> Option<ArgType> {
        self.inner.lock().unwrap().t.map(|t| match t {
            ArgType::List(id) => ArgType::list_item(id),
            other => other,
        })
    }

    /// The block, made for item type `item` if there is none yet.
    fn block_for(&self, item: ArgType) -> PyResult<*mut ListBlock> {
        let mut inner = self.inner.lock().unwrap();
        if inner.block == 0 {
            inner.block = new_list_block(0, item_words(item) as i64, counted_table(item)) as usize;
            inner.t = Some(ArgType::list_of(item));
        }
        Ok(inner.block as *mut ListBlock)
    }

    fn words_of(&self, value: &Bound<'_, PyAny>, item: ArgType) -> PyResult<Vec<u64>> {
        let mut words = vec![0; item_words(item)];
        unbox_item(value, item, &mut words, &mut 0).map_err(type_error)?;
        Ok(words)
    }

    fn len(&self) -> usize {
        let inner = self.inner.lock().unwrap();
        if inner.block == 0 {
            0
        } else {
            // SAFETY: the block is live while this object is.
            unsafe { (*(inner.block as *const ListBlock)).len as usize }
        }
    }

    fn index(&self, i: isize) -> PyResult<i64> {
        let n = self.len() as isize;
        let j = if i < 0 { i + n } else { i };
        if j < 0 || j >= n {
            return Err(PyIndexError::new_err("list index out of range"));
        }
        Ok(j as i64)
    }
}

#[pymethods]
impl TypedList {
    /// `item_type`: a numlir type object or its name; none to take it from the first append.
    #[new]
    #[pyo3(signature = (item_type = None))]
    fn new(item_type: Option<String>) -> PyResult<Self> {
        let list = Self { inner: Mutex::new(Owned { block: 0, t: None }) };
        if let Some(name) = item_type {
            let item = parse_types(&[name])?[0];
            list.block_for(item)?;
        }
        Ok(list)
    }

    fn append(&self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let item = match self.item() {
            Some(t) => t,
            None => list_item_type(&PyList::new(value.py(), [value])?).map_err(type_error)?,
        };
        let words = self.words_of(value, item)?;
        let block = self.block_for(item)?;
        // SAFETY: the words are an item of this list's layout, owning their references.
        unsafe { list_push(block, &words) };
        Ok(())
    }

    fn __len__(&self) -> usize {
        self.len()
    }

    fn __getitem__(&self, py: Python<'_>, i: isize) -> PyResult<Py<PyAny>> {
        let i = self.index(i)?;
        let item = item_return_type(self.item().expect("a list with items has a type"));
        let block = self.inner.lock().unwrap().block as *mut ListBlock;
        // SAFETY: i is inside the live block.
        unsafe {
            let (words, _, per) = list_items(block);
            box_item(py, &words[i as usize * per..], &mut 0, &item)
        }
    }

    fn __setitem__(&self, i: isize, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let i = self.index(i)?;
        let words = self.words_of(value, self.item().expect("a list with items has a type"))?;
        let block = self.inner.lock().unwrap().block as *mut ListBlock;
        // SAFETY: i is inside the live block; the words own their references.
        unsafe { list_replace(block, i, &words) };
        Ok(())
    }

    #[pyo3(signature = (i = -1))]
    fn pop(&self, py: Python<'_>, i: isize) -> PyResult<Py<PyAny>> {
        if self.len() == 0 {
            return Err(PyIndexError::new_err("pop from empty list"));
        }
        let i = self.index(i)?;
        let item = item_return_type(self.item().expect("a list with items has a type"));
        let block = self.inner.lock().unwrap().block as *mut ListBlock;
        // SAFETY: i is inside the live block; the taken words' references are released after boxing.
        unsafe {
            let words = list_take(block, i);
            let boxed = box_item(py, &words, &mut 0, &item);
            release_item(block, &words);
            boxed
        }
    }

    fn extend(&self, values: &Bound<'_, PyAny>) -> PyResult<()> {
        for v in values.try_iter()? {
            self.append(&v?)?;
        }
        Ok(())
    }

    /// The items as a Python list.
    fn _items(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let inner = self.inner.lock().unwrap();
        match inner.t {
            // SAFETY: the block is live while this object is.
            Some(t) => unsafe { box_block(py, inner.block as Slot, &item_return_type(t)) },
            None => Ok(PyList::empty(py).into_any().unbind()),
        }
    }

    /// The item type's name ("int64"), or None before the first append.
    #[getter]
    fn _item_type(&self) -> Option<String> {
        self.item().map(|t| t.name())
    }
}

/// `numlir.typed.Dict`: a dict of one key type and one value type in native memory.
#[pyclass(module = "numlir._core", name = "TypedDict", subclass)]
pub struct TypedDict {
    inner: Mutex<Owned>,
}

impl TypedDict {
    fn types(&self) -> Option<(ArgType, ArgType)> {
        match self.inner.lock().unwrap().t {
            Some(ArgType::Dict(id)) => Some((id.items()[0], id.items()[1])),
            _ => None,
        }
    }

    fn block(&self) -> *mut DictBlock {
        self.inner.lock().unwrap().block as *mut DictBlock
    }

    fn key_words(&self, key: &Bound<'_, PyAny>, t: ArgType) -> PyResult<Vec<u64>> {
        let mut words = vec![0; item_words(t)];
        unbox_item(key, t, &mut words, &mut 0).map_err(type_error)?;
        Ok(words)
    }
}

#[pymethods]
impl TypedDict {
    #[new]
    fn new(key_type: String, value_type: String) -> PyResult<Self> {
        let types = parse_types(&[key_type, value_type])?;
        let (key, value) = (types[0], types[1]);
        // SAFETY: the counted tables are kept for the process.
        let block = unsafe {
            numlir_dict_new(item_words(key) as i64, item_words(value) as i64, word_kinds(key), counted_table(key), counted_table(value))
        };
        Ok(Self { inner: Mutex::new(Owned { block: block as usize, t: Some(ArgType::Dict(TupleId::intern(&[key, value]))) }) })
    }

    fn __setitem__(&self, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let (kt, vt) = self.types().expect("a typed Dict has its types");
        let k = self.key_words(key, kt)?;
        let v = self.key_words(value, vt)?;
        // SAFETY: the words are of the dict's layouts and own their references.
        unsafe { dict_set_owned(self.block(), &k, &v) };
        Ok(())
    }

    fn __getitem__(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (kt, vt) = self.types().expect("a typed Dict has its types");
        let k = self.key_words(key, kt)?;
        // SAFETY: the dict is live; the value is boxed before anything changes it.
        let value = unsafe { dict_value(self.block(), &k) };
        let boxed = match value {
            Some(v) => unsafe { box_item(py, v, &mut 0, &item_return_type(vt)) },
            None => Err(PyKeyError::new_err(key.clone().unbind())),
        };
        release_words(kt, &k);
        boxed
    }

    fn __delitem__(&self, key: &Bound<'_, PyAny>) -> PyResult<()> {
        let (kt, _) = self.types().expect("a typed Dict has its types");
        let k = self.key_words(key, kt)?;
        // SAFETY: the dict is live and the key of its layout.
        let found = unsafe { numlir_dict_del(self.block(), k.as_ptr()) };
        release_words(kt, &k);
        if found == 0 {
            return Err(PyKeyError::new_err(key.clone().unbind()));
        }
        Ok(())
    }

    fn __contains__(&self, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        let (kt, _) = self.types().expect("a typed Dict has its types");
        let Ok(k) = self.key_words(key, kt) else { return Ok(false) };
        // SAFETY: the dict is live.
        let found = unsafe { dict_value(self.block(), &k).is_some() };
        release_words(kt, &k);
        Ok(found)
    }

    fn __len__(&self) -> usize {
        // SAFETY: the dict is live.
        unsafe { (*self.block()).len as usize }
    }

    /// The entries as a Python dict.
    fn _items(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let t = self.inner.lock().unwrap().t.expect("a typed Dict has its types");
        // SAFETY: the dict is live.
        unsafe { box_block(py, self.block() as Slot, &item_return_type(t)) }
    }

    /// The key and value types' names.
    #[getter]
    fn _types(&self) -> (String, String) {
        let (k, v) = self.types().expect("a typed Dict has its types");
        (k.name(), v.name())
    }

    /// Number of entries (for iteration from Python, through _items).
    fn _keys(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let (kt, _) = self.types().expect("a typed Dict has its types");
        let keys: Vec<Py<PyAny>> = unsafe {
            dict_entries(self.block())
                .into_iter()
                .map(|(k, _)| box_item(py, k, &mut 0, &item_return_type(kt)))
                .collect::<PyResult<_>>()?
        };
        Ok(PyTuple::new(py, keys)?.into_any().unbind())
    }
}

/// Releases the counted blocks boxed key words hold (keys boxed only to look up).
fn release_words(t: ArgType, words: &[u64]) {
    let table = counted_table(t);
    if table.is_null() {
        return;
    }
    // SAFETY: the table is [n, word...] and the words own their references.
    unsafe {
        for k in 0..*table as usize {
            release(words[*table.add(1 + k) as usize] as *mut Counted);
        }
    }
}

/// A typed container argument: its type and the block compiled code gets.
pub(super) fn typed_argument(value: &Bound<'_, PyAny>) -> Option<Result<(ArgType, Slot), String>> {
    if let Ok(list) = value.cast::<TypedList>() {
        let list = list.borrow();
        let inner = list.inner.lock().unwrap();
        return Some(match inner.t {
            Some(t) => Ok((t, inner.block as Slot)),
            None => Err("the item type of an empty numlir.typed.List is not known; make it with List.empty_list(type)".into()),
        });
    }
    if let Ok(dict) = value.cast::<TypedDict>() {
        let dict = dict.borrow();
        let inner = dict.inner.lock().unwrap();
        return Some(Ok((inner.t.expect("a typed Dict has its types"), inner.block as Slot)));
    }
    None
}
