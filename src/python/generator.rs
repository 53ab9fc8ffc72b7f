//! A compiled generator handed to Python: an iterator whose `next` resumes the generator's
//! coroutine (src/runtime/generators.rs) and boxes the value it yielded, as a list item is
//! boxed. It keeps the compiled code mapped while it lives and drops its reference to the
//! generator object at the end.
use crate::{
    backend::cpu::object::LoadedObject,
    runtime::{
        buffers::CallScope,
        containers::box_item,
        errors::RaiseTable,
        generators::{slot, step, GeneratorBlock},
        lists::{release, Counted},
    },
    types::ReturnType,
};
use pyo3::prelude::*;
use std::sync::Arc;

#[pyclass(module = "numlir._core", name = "generator")]
pub struct CompiledGenerator {
    /// The generator object (a `*mut GeneratorBlock`): this holds one reference.
    block: usize,
    item: ReturnType,
    raise_table: RaiseTable,
    _code: Arc<LoadedObject>,
}

impl CompiledGenerator {
    /// Takes over the reference to `block` that compiled code returned.
    pub fn new(block: u64, item: ReturnType, raise_table: RaiseTable, code: Arc<LoadedObject>) -> Self {
        Self { block: block as usize, item, raise_table, _code: code }
    }
}

#[pymethods]
impl CompiledGenerator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    /// Resumes the generator until its next yield. `&mut self`: a second thread's `next`
    /// while one runs is refused (CPython: "generator already executing").
    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let block = self.block as *mut GeneratorBlock;
        // Array buffers dropped while it runs are freed once this step's boxing is done.
        let _scope = CallScope::enter();
        // SAFETY: this object holds a reference to the block.
        match unsafe { step(block) } {
            -1 => {
                let mut at = 0;
                // SAFETY: a value waits in the slot; boxing takes references of its own.
                Ok(Some(unsafe { box_item(py, slot(block), &mut at, &self.item) }?))
            }
            0 => Ok(None),
            status => Err(super::dispatcher::raised_error(py, &self.raise_table, status as i32)),
        }
    }
}

impl Drop for CompiledGenerator {
    fn drop(&mut self) {
        // SAFETY: the reference this object took over in `new`.
        unsafe { release(self.block as *mut Counted) };
    }
}
