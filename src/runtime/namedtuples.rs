//! namedtuple classes at the Python boundary: which class an argument is an instance of,
//! and which class a returned `!py.namedtuple` is built as.
use crate::types::NamedClass;
use pyo3::{
    prelude::*,
    types::{PyTuple, PyType},
};
use std::sync::Mutex;

/// The namedtuple classes seen as arguments or globals, with what compiled code calls
/// them. Holding each class keeps its identity (and the lookup by `is`) valid.
static SEEN: Mutex<Vec<(Py<PyType>, NamedClass)>> = Mutex::new(Vec::new());

/// `class` as compiled code sees it, if it is a namedtuple class (a tuple subclass with
/// `_fields`), remembered so that results of its type box as it.
pub fn named_class(class: &Bound<'_, PyType>) -> PyResult<Option<NamedClass>> {
    let mut seen = SEEN.lock().unwrap();
    if let Some((_, c)) = seen.iter().find(|(t, _)| t.bind(class.py()).is(class)) {
        return Ok(Some(c.clone()));
    }
    if class.is(class.py().get_type::<PyTuple>()) || !class.is_subclass_of::<PyTuple>()? {
        return Ok(None);
    }
    let Ok(fields) = class.getattr("_fields").and_then(|f| f.extract::<Vec<String>>()) else {
        return Ok(None);
    };
    let module: String = class.getattr("__module__")?.extract()?;
    let qualname: String = class.getattr("__qualname__")?.extract()?;
    let named = NamedClass { name: format!("{module}:{qualname}"), fields };
    seen.push((class.clone().unbind(), named.clone()));
    Ok(Some(named))
}

/// An instance of `class` holding `values` (a plain tuple if the class cannot be found).
pub fn instantiate(py: Python<'_>, class: &NamedClass, values: Vec<Py<PyAny>>) -> PyResult<Py<PyAny>> {
    let values = PyTuple::new(py, values)?;
    match class_object(py, class) {
        Some(t) => Ok(t.call1(values)?.unbind()),
        None => Ok(values.into_any().unbind()),
    }
}

/// The class `class` stands for: the one seen last under that name and those fields, else
/// the one its module holds under that name (a cached function loaded in a new process
/// returns instances of classes it has not seen).
pub fn class_object<'py>(py: Python<'py>, class: &NamedClass) -> Option<Bound<'py, PyType>> {
    let seen = SEEN.lock().unwrap().iter().rev().find(|(_, c)| c == class).map(|(t, _)| t.clone_ref(py));
    if let Some(t) = seen {
        return Some(t.into_bound(py));
    }
    let (module, qualname) = class.name.split_once(':')?;
    let mut object = py.import(module).ok()?.into_any();
    for part in qualname.split('.') {
        object = object.getattr(part).ok()?;
    }
    let t = object.cast_into::<PyType>().ok()?;
    (named_class(&t).ok()?.as_ref() == Some(class)).then_some(t)
}
