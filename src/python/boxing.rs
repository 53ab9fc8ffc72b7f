//! Arguments in and results out: Python values read into the words compiled code takes
//! (numbers, NumPy scalars, arrays, tuples; conversions an explicit signature allows), and
//! a result struct boxed back into Python objects.
use crate::{
    backend::cpu::{CompiledFunction, Slot},
    runtime::{
        arrays::{box_array, data_of, owner_of, read_array, ArrayRejection},
        buffers::{numlir_array_share, untag_object},
        containers::{box_block, box_list},
        lists::{list_items_mut, new_list_block, release, Counted, ListBlock},
        strings::{str_from_units, StrBlock},
        namedtuples::{class_object, instantiate, named_class},
    },
    types::{ArgType, DType, Layout, NamedClass, ResultPart, ReturnType, ScalarType, TupleId, MAX_WORDS},
};
use super::{generator::CompiledGenerator, typed::{typed_argument, TypedList}};
use pyo3::{
    exceptions::PyTypeError,
    prelude::*,
    sync::PyOnceLock,
    types::{PyBool, PyCapsule, PyComplex, PyFloat, PyInt, PyList, PyString, PyTuple},
};

pub(super) fn scalar_of(value: &Bound<'_, PyAny>) -> Option<(ScalarType, Slot)> {
    if value.is_instance_of::<PyBool>() {
        Some((ScalarType::Bool, value.is_truthy().ok()? as Slot))
    } else if value.is_instance_of::<PyFloat>() {
        Some((ScalarType::Float64, value.extract::<f64>().ok()?.to_bits()))
    } else if value.is_instance_of::<PyInt>() {
        match value.extract::<i64>() {
            Ok(i) => Some((ScalarType::Int64, i as Slot)),
            // Above int64: a uint64 (an explicit uint64 signature takes it).
            Err(_) => Some((ScalarType::UInt64, value.extract::<u64>().ok()?)),
        }
    } else {
        None
    }
}

/// Whether an argument of type `from` may be passed where an explicit signature has `to`:
/// numba's safe scalar conversions, and any array layout where the signature says A.
pub(super) fn accepts(to: ArgType, from: ArgType) -> bool {
    match (from, to) {
        (ArgType::Scalar(f), ArgType::Scalar(t)) => convertible(f, t),
        (ArgType::Array { dtype: d1, ndim: n1, layout: l1 }, ArgType::Array { dtype: d2, ndim: n2, layout: l2 }) => {
            d1 == d2 && n1 == n2 && (l1 == l2 || l2 == Layout::A)
        }
        (ArgType::Tuple(f), ArgType::Tuple(t)) => {
            let (fi, ti) = (f.items(), t.items());
            f == t || (f.class() == t.class() && fi.len() == ti.len() && ti.iter().zip(fi.iter()).all(|(t, f)| accepts(*t, *f)))
        }
        _ => false,
    }
}

/// Appends the words of an argument of type `from` converted to `to` (which accepts it).
pub(super) fn convert_words(from: ArgType, to: ArgType, words: &[Slot], out: &mut Vec<Slot>) {
    match (from, to) {
        (ArgType::Scalar(f), ArgType::Scalar(t)) => {
            out.extend_from_slice(&convert_slot(f, t, words).expect("checked by accepts")[..t.words()])
        }
        (ArgType::Tuple(f), ArgType::Tuple(t)) if f != t => {
            let mut at = 0;
            for (fi, ti) in f.items().iter().zip(t.items().iter()) {
                convert_words(*fi, *ti, &words[at..at + fi.words()], out);
                at += fi.words();
            }
        }
        _ => out.extend_from_slice(words),
    }
}

/// A scalar slot's value, whatever its type (narrow ints sit sign- or zero-extended in
/// their slot, a float32 as its bits, a complex64 as two float32s).
pub(super) enum SlotValue {
    Int(i128),
    Float(f64),
    Complex(f64, f64),
}

pub(super) fn decode_slot(t: ScalarType, slots: &[Slot]) -> SlotValue {
    use ScalarType::*;
    let slot = slots[0];
    match t {
        Bool | UInt8 | UInt16 | UInt32 | UInt64 => SlotValue::Int(slot as i128),
        Int8 | Int16 | Int32 | Int64 => SlotValue::Int(slot as i64 as i128),
        Float32 => SlotValue::Float(f32::from_bits(slot as u32) as f64),
        Float64 => SlotValue::Float(f64::from_bits(slot)),
        Complex64 => SlotValue::Complex(f32::from_bits(slot as u32) as f64, f32::from_bits((slot >> 32) as u32) as f64),
        Complex128 => SlotValue::Complex(f64::from_bits(slot), f64::from_bits(slots[1])),
    }
}

/// The slots of a value of type `t` (the first `t.words()` of them: two for a complex128):
/// ints wrap to its width (as a cast in C would), floats round. No allocation: explicit
/// signatures convert on every call.
pub(super) fn encode_slot(t: ScalarType, v: &SlotValue) -> [Slot; 2] {
    use ScalarType::*;
    let int = |i: i128| -> Slot {
        let bits = 8 * t.size() as u32;
        let masked = (i as u128) & (u128::MAX >> (128 - bits));
        match t {
            Int8 | Int16 | Int32 | Int64 => {
                let shift = 128 - bits; // sign-extend from `bits`
                (((masked << shift) as i128) >> shift) as i64 as Slot
            }
            _ => masked as Slot,
        }
    };
    let (re, im) = match v {
        SlotValue::Int(i) => (*i as f64, 0.0),
        SlotValue::Float(f) => (*f, 0.0),
        SlotValue::Complex(re, im) => (*re, *im),
    };
    let slot = match t {
        Bool => match v {
            SlotValue::Int(i) => (*i != 0) as Slot,
            _ => (re != 0.0 || im != 0.0) as Slot,
        },
        Float32 => (re as f32).to_bits() as Slot,
        Float64 => re.to_bits(),
        Complex64 => (re as f32).to_bits() as Slot | (((im as f32).to_bits() as Slot) << 32),
        Complex128 => return [re.to_bits(), im.to_bits()],
        _ => match v {
            SlotValue::Int(i) => int(*i),
            _ => unreachable!("checked by convertible"),
        },
    };
    [slot, 0]
}

/// Whether an explicit signature's `to` takes an argument of type `from`: numba's
/// conversions between numbers (bool -> int -> float -> complex, ints of any width), never
/// a float or complex to an int.
pub(super) fn convertible(from: ScalarType, to: ScalarType) -> bool {
    use ScalarType::*;
    let rank = |t: ScalarType| match t {
        Bool => 0,
        Float32 | Float64 => 2,
        Complex64 | Complex128 => 3,
        _ => 1,
    };
    from == to || (to != Bool && rank(from) <= rank(to))
}

/// Converts an argument's slots for an explicit signature the way numba does.
pub(super) fn convert_slot(from: ScalarType, to: ScalarType, slots: &[Slot]) -> Option<[Slot; 2]> {
    if !convertible(from, to) {
        return None;
    }
    Some(encode_slot(to, &decode_slot(from, slots)))
}

/// Turns the result struct of a call into Python objects.
pub(super) struct Boxer<'a, 'py> {
    pub(super) py: Python<'py>,
    pub(super) f: &'a CompiledFunction,
    pub(super) out: &'a [Slot],
    /// The call's arguments: a returned view of one of them is kept alive by it.
    pub(super) args: &'a Bound<'py, PyTuple>,
    /// Allocations already handed to NumPy in this result, and their owner objects: two
    /// returned arrays over one buffer share its owner (no double free).
    pub(super) owners: Vec<(u64, Py<PyAny>)>,
    pub(super) next: usize,
}

impl Boxer<'_, '_> {
    /// What keeps a returned buffer alive, and whether it is writeable: the argument array
    /// whose buffer it is (the result is a view of that argument, or of an array a list
    /// argument held), else an object that drops the function's reference to the buffer
    /// when NumPy drops the last array over it.
    fn owner(&mut self, allocated: u64, aligned: u64) -> PyResult<(Py<PyAny>, bool)> {
        if let Some((arg, writeable)) = array_with_data(self.args.as_any(), aligned) {
            return Ok((arg.unbind(), writeable));
        }
        if let Some(object) = untag_object(allocated) {
            // SAFETY: a tagged allocated pointer is a live NumPy array a list argument held.
            let array = unsafe { Bound::from_borrowed_ptr(self.py, object) };
            let writeable = data_of(&array).is_none_or(|(_, w)| w);
            return Ok((array.unbind(), writeable));
        }
        if let Some((_, o)) = self.owners.iter().find(|(a, _)| *a == allocated) {
            return Ok((o.clone_ref(self.py), true));
        }
        let owner = owner_of(self.py, allocated)?;
        self.owners.push((allocated, owner.clone_ref(self.py)));
        Ok((owner, true))
    }

    pub(super) fn build(&mut self, t: &ReturnType) -> PyResult<Py<PyAny>> {
        let py = self.py;
        Ok(match t {
                ReturnType::None => py.None(),
                ReturnType::Array { dtype, ndim } => {
                    let i = self.next;
                    self.next += 1;
                    debug_assert!(matches!(self.f.results[i].0, ResultPart::Array { .. }));
                    let words: Vec<u64> = (0..3 + 2 * ndim).map(|w| self.f.read_result(self.out, i, w)).collect();
                    let (owner, writeable) = self.owner(words[0], words[1])?;
                    box_array(py, &words, *dtype, *ndim, &owner, writeable)?
                }
                ReturnType::Scalar(s) => {
                    let raw = self.f.read_result(self.out, self.next, 0);
                    self.next += 1;
                    match s {
                        ScalarType::Int64 => (raw as i64).into_pyobject(py)?.into_any().unbind(),
                        ScalarType::Float64 => f64::from_bits(raw).into_pyobject(py)?.into_any().unbind(),
                        ScalarType::Bool => PyBool::new(py, raw & 1 == 1).to_owned().into_any().unbind(),
                        ScalarType::Complex128 => {
                            let im = self.f.read_result(self.out, self.next - 1, 1);
                            PyComplex::from_doubles(py, f64::from_bits(raw), f64::from_bits(im)).into_any().unbind()
                        }
                        other => box_numpy_scalar(py, *other, raw)?,
                    }
                }
                ReturnType::Tuple(items) => {
                    let values = items.iter().map(|i| self.build(i)).collect::<PyResult<Vec<_>>>()?;
                    PyTuple::new(py, values)?.into_any().unbind()
                }
                ReturnType::NamedTuple(class, items) => {
                    let values = items.iter().map(|i| self.build(i)).collect::<PyResult<Vec<_>>>()?;
                    instantiate(py, class, values)?
                }
                ReturnType::Optional(value) => {
                    let present = self.f.read_result(self.out, self.next, 0) & 1 == 1;
                    self.next += 1;
                    if present {
                        self.build(value)?
                    } else {
                        // None: its value's parts are zeros, passed over.
                        let mut parts = Vec::new();
                        value.flatten(&mut parts);
                        self.next += parts.len();
                        py.None()
                    }
                }
                ReturnType::Generator(item) => {
                    let block = self.f.read_result(self.out, self.next, 0);
                    self.next += 2; // and its handle, which the block holds too
                    let generator = CompiledGenerator::new(block, (**item).clone(), self.f.raise_table.clone(), self.f.code());
                    Py::new(py, generator)?.into_any()
                }
                ReturnType::List(_) | ReturnType::Dict(..) | ReturnType::Set(_) | ReturnType::Str => {
                    let block = self.f.read_result(self.out, self.next, 0);
                    self.next += 1;
                    // SAFETY: compiled code returned an owned reference to a live block.
                    let boxed = unsafe { box_block(py, block, t) };
                    unsafe { release(block as *mut Counted) };
                    boxed?
                }
            })
    }
}

/// The one item type of a Python list passed to compiled code: numbers join as in compiled
/// code (ints and floats make a float list), tuples by element, lists by item.
pub(super) fn list_item_type(list: &Bound<'_, PyList>) -> Result<ArgType, String> {
    fn type_of(v: &Bound<'_, PyAny>) -> Result<ArgType, String> {
        if let Some((t, _)) = scalar_of(v).filter(|(t, _)| *t != ScalarType::UInt64) {
            return Ok(ArgType::Scalar(t));
        }
        if v.is_instance_of::<PyComplex>() {
            return Ok(ArgType::Scalar(ScalarType::Complex128));
        }
        if let Ok(t) = v.cast::<PyTuple>() {
            let items = t.iter().map(|i| type_of(&i)).collect::<Result<Vec<_>, _>>()?;
            return Ok(ArgType::Tuple(TupleId::intern(&items)));
        }
        if let Ok(l) = v.cast::<PyList>() {
            return Ok(ArgType::list_of(list_item_type(l)?));
        }
        if v.is_instance_of::<PyString>() {
            return Ok(ArgType::Str);
        }
        let mut descriptor = [0u64; 3 + 2 * 32];
        match read_array(v, &mut descriptor) {
            Ok(a) => return Ok(ArgType::Array { dtype: a.dtype, ndim: a.ndim, layout: a.layout }),
            Err(ArrayRejection::Unsupported(why)) => return Err(why),
            Err(ArrayRejection::NotAnArray) => {}
        }
        Err(format!("numlir lists hold numbers, strings, arrays, tuples and lists; this list holds a '{}'", v.get_type().name().map(|n| n.to_string()).unwrap_or_default()))
    }
    fn join(a: ArgType, b: ArgType) -> Option<ArgType> {
        use ScalarType::*;
        match (a, b) {
            _ if a == b => Some(a),
            (ArgType::Scalar(x), ArgType::Scalar(y)) => {
                let rank = |t| match t { Bool => 0, Int64 => 1, Float64 => 2, _ => 3 };
                let top = rank(x).max(rank(y));
                Some(ArgType::Scalar([Bool, Int64, Float64, Complex128][top]))
            }
            // Arrays of one dtype and rank but different layouts: the general strided one.
            (ArgType::Array { dtype: d1, ndim: n1, .. }, ArgType::Array { dtype: d2, ndim: n2, .. }) if d1 == d2 && n1 == n2 => {
                Some(ArgType::Array { dtype: d1, ndim: n1, layout: crate::types::Layout::A })
            }
            (ArgType::Tuple(x), ArgType::Tuple(y)) if x.items().len() == y.items().len() => {
                let items = x.items().iter().zip(y.items().iter()).map(|(p, q)| join(*p, *q)).collect::<Option<Vec<_>>>()?;
                Some(ArgType::Tuple(TupleId::intern(&items)))
            }
            _ => None,
        }
    }
    let mut item: Option<ArgType> = None;
    for v in list.iter() {
        let t = type_of(&v)?;
        item = Some(match item {
            None => t,
            Some(current) => join(current, t).ok_or_else(|| {
                format!("this list holds {} and {}; numlir lists hold one type", current.name(), t.name())
            })?,
        });
    }
    item.ok_or_else(|| "the item type of an empty list is not known; pass a numlir.typed.List or a list with items".to_string())
}

/// A new list block (count 1) holding the items of a Python list as item type `item`.
fn unbox_list(list: &Bound<'_, PyList>, item: ArgType) -> Result<*mut ListBlock, String> {
    let words = item_words(item);
    let block = new_list_block(list.len() as i64, words as i64, counted_table(item));
    let (items, _, _) = unsafe { list_items_mut(block) };
    for (i, v) in list.iter().enumerate() {
        let mut at = i * words;
        unbox_item(&v, item, items, &mut at)?;
    }
    Ok(block)
}

/// The words one list item of type `t` takes (a complex two).
pub(super) fn item_words(t: ArgType) -> usize {
    match t {
        ArgType::Scalar(s) if s.words() == 2 || matches!(s, ScalarType::Complex64) => 2,
        ArgType::Tuple(id) => id.items().iter().map(|i| item_words(*i)).sum(),
        ArgType::Array { ndim, .. } => 3 + 2 * ndim,
        _ => 1,
    }
}

/// The item words of type `t` that hold list pointers, from word `at`.
fn counted_words(t: ArgType, at: &mut usize, out: &mut Vec<i64>) {
    match t {
        ArgType::List(_) | ArgType::Str | ArgType::Array { .. } => out.push(*at as i64),
        ArgType::Tuple(id) => {
            id.items().iter().for_each(|i| counted_words(*i, at, out));
            return;
        }
        _ => {}
    }
    *at += item_words(t);
}

/// The runtime's table of counted item words for item type `t` (null when none), made once
/// per type and kept for the process (list blocks point to it).
pub(super) fn counted_table(t: ArgType) -> *const i64 {
    use std::{collections::HashMap, sync::Mutex};
    static TABLES: Mutex<Option<HashMap<ArgType, usize>>> = Mutex::new(None);
    let mut words = Vec::new();
    counted_words(t, &mut 0, &mut words);
    if words.is_empty() {
        return std::ptr::null();
    }
    let mut tables = TABLES.lock().unwrap();
    let address = *tables.get_or_insert_with(HashMap::new).entry(t).or_insert_with(|| {
        let mut table = vec![words.len() as i64];
        table.extend(words);
        Box::leak(table.into_boxed_slice()).as_ptr() as usize
    });
    address as *const i64
}

/// Writes one value of type `t` as list item words at `at` (advancing it).
pub(super) fn unbox_item(v: &Bound<'_, PyAny>, t: ArgType, words: &mut [u64], at: &mut usize) -> Result<(), String> {
    let mut put = |w: u64| {
        words[*at] = w;
        *at += 1;
    };
    match t {
        ArgType::Scalar(ScalarType::Bool) => put(v.is_truthy().map_err(|e| e.to_string())? as u64),
        ArgType::Scalar(ScalarType::Int64) => put(v.extract::<i64>().map_err(|e| e.to_string())? as u64),
        ArgType::Scalar(ScalarType::Float64) => put(v.extract::<f64>().map_err(|e| e.to_string())?.to_bits()),
        ArgType::Scalar(ScalarType::Complex128) => {
            let (re, im) = match v.cast::<PyComplex>() {
                Ok(z) => (z.real(), z.imag()),
                Err(_) => (v.extract::<f64>().map_err(|e| e.to_string())?, 0.0),
            };
            put(re.to_bits());
            put(im.to_bits());
        }
        ArgType::Tuple(id) => {
            let t = v.cast::<PyTuple>().map_err(|e| e.to_string())?;
            for (item, it) in t.iter().zip(id.items().iter()) {
                unbox_item(&item, *it, words, at)?;
            }
        }
        ArgType::List(id) => {
            let l = v.cast::<PyList>().map_err(|e| e.to_string())?;
            put(unbox_list(l, ArgType::list_item(id))? as u64);
        }
        ArgType::Str => put(unbox_str(v)? as u64),
        ArgType::Array { ndim, .. } => {
            // Its descriptor, the first word the item's reference to an owner of the NumPy
            // array (which keeps it alive while the list holds it).
            let mut descriptor = vec![0u64; 3 + 2 * ndim];
            read_array(v, &mut descriptor).map_err(|_| "a list item is not an array like the others".to_string())?;
            // SAFETY: the tagged allocated pointer names a live array (the caller's list holds it).
            put(unsafe { numlir_array_share(descriptor[0]) } as u64);
            descriptor[1..].iter().for_each(|w| put(*w));
        }
        other => return Err(format!("numlir lists cannot hold {}", other.name())),
    }
    Ok(())
}

/// The word kinds of a key type for the runtime's hash (two bits a word: 0 a signed int, 1 a
/// float, 2 an unsigned int or bool), as py-to-std's wordKinds.
pub(super) fn word_kinds(t: ArgType) -> i64 {
    fn kinds(t: ArgType, out: &mut Vec<i64>) {
        match t {
            ArgType::Scalar(s) => {
                let kind = match s {
                    ScalarType::Float32 | ScalarType::Float64 | ScalarType::Complex64 | ScalarType::Complex128 => 1,
                    ScalarType::Bool | ScalarType::UInt8 | ScalarType::UInt16 | ScalarType::UInt32 | ScalarType::UInt64 => 2,
                    _ => 0,
                };
                out.extend(std::iter::repeat_n(kind, item_words(t)));
            }
            ArgType::Tuple(id) => id.items().iter().for_each(|i| kinds(*i, out)),
            ArgType::Str => out.push(3),
            _ => out.push(0),
        }
    }
    let mut out = Vec::new();
    kinds(t, &mut out);
    out.iter().enumerate().fold(0, |packed, (w, k)| packed | (k << (2 * w)))
}

/// The result type a list item type boxes as.
pub(super) fn item_return_type(t: ArgType) -> ReturnType {
    match t {
        ArgType::Scalar(s) => ReturnType::Scalar(s),
        ArgType::Array { dtype, ndim, .. } => ReturnType::Array { dtype, ndim },
        ArgType::Tuple(id) => ReturnType::Tuple(id.items().iter().map(|i| item_return_type(*i)).collect()),
        ArgType::List(id) => ReturnType::List(Box::new(item_return_type(ArgType::list_item(id)))),
        ArgType::Dict(id) => ReturnType::Dict(Box::new(item_return_type(id.items()[0])), Box::new(item_return_type(id.items()[1]))),
        ArgType::Str => ReturnType::Str,
        ArgType::None | ArgType::Function(_) => ReturnType::None,
    }
}

/// After a call: each list argument's items written back into the Python list it came
/// from (numba's reflected lists), and the list block released.
pub(super) fn reflect_lists(py: Python<'_>, key: &[ArgType], words: &[Slot], args: &Bound<'_, PyTuple>) -> PyResult<()> {
    let mut at = 0;
    for (i, t) in key.iter().enumerate() {
        release_strings(*t, &words[at..]);
        if let ArgType::List(id) = t {
            if args.get_item(i)?.is_instance_of::<TypedList>() {
                at += t.words();
                continue; // its own block, passed as it is: nothing to write back or release
            }
            let block = words[at] as *mut ListBlock;
            // Unchanged: nothing to write back (lists of lists are checked item by item in
            // Python, which a flag on the outer list does not see).
            let item = ArgType::list_item(*id);
            if unsafe { (*block).dirty } == 0 && counted_table(item).is_null() {
                unsafe { release(block as *mut Counted) };
                at += t.words();
                continue;
            }
            // SAFETY: the dispatcher made this block for the call and owns its reference.
            let boxed = unsafe { box_list(py, block, &item_return_type(ArgType::list_item(*id))) };
            unsafe { release(block as *mut Counted) };
            let target = args.get_item(i)?;
            if target.is_instance_of::<TypedList>() {
                at += t.words();
                continue; // its own block, passed as it is
            }
            if let Ok(list) = target.cast::<PyList>() {
                list.set_slice(0, list.len(), boxed?.bind(py))?;
            }
        }
        at += t.words();
    }
    Ok(())
}

/// A new str block (count 1) of a Python str's characters.
fn unbox_str(v: &Bound<'_, PyAny>) -> Result<*mut StrBlock, String> {
    let s = v.cast::<PyString>().map_err(|e| e.to_string())?;
    // SAFETY: a str object is ready (PEP 393) in CPython 3.11: its data is len characters of
    // its kind, which the block copies as they are.
    unsafe {
        let object = s.as_ptr();
        let len = pyo3::ffi::PyUnicode_GET_LENGTH(object) as usize;
        let data = pyo3::ffi::PyUnicode_DATA(object);
        Ok(match pyo3::ffi::PyUnicode_KIND(object) {
            1 => str_from_units(std::slice::from_raw_parts(data as *const u8, len)),
            2 => str_from_units(std::slice::from_raw_parts(data as *const u16, len)),
            _ => str_from_units(std::slice::from_raw_parts(data as *const u32, len)),
        })
    }
}

/// Whether an argument of type `t` holds blocks the dispatcher made for the call (lists,
/// strings), to release or write back after it.
pub(super) fn holds_blocks(t: ArgType) -> bool {
    match t {
        ArgType::List(_) | ArgType::Str => true,
        ArgType::Tuple(id) => id.items().iter().any(|i| holds_blocks(*i)),
        _ => false,
    }
}

/// Releases the str blocks made for an argument of type `t` (its words from `words[0]`).
fn release_strings(t: ArgType, words: &[Slot]) {
    match t {
        // SAFETY: the dispatcher made this block for the call and owns its reference.
        ArgType::Str => unsafe { release(words[0] as *mut Counted) },
        ArgType::Tuple(id) => {
            let mut at = 0;
            for item in id.items().iter() {
                release_strings(*item, &words[at..]);
                at += item.words();
            }
        }
        _ => {}
    }
}

/// The numlir.types object of an argument type (namedtuple types hold their class).
pub(super) fn type_object<'py>(types: &Bound<'py, PyModule>, t: ArgType) -> PyResult<Bound<'py, PyAny>> {
    if let ArgType::Tuple(id) = t {
        let items = id.items().iter().map(|i| type_object(types, *i)).collect::<PyResult<Vec<_>>>()?;
        if let Some(class) = id.class().and_then(|c| class_object(types.py(), &c)) {
            return types.call_method1("NamedTuple", (items, class));
        }
        return types.call_method1("Tuple", (items,));
    }
    types.call_method1("from_name", (t.name(),))
}

/// "module:qualname" of a namedtuple class, remembered so that results box as it
/// (numlir.types.NamedTuple writes it into the signature).
#[pyfunction]
pub(crate) fn _named_class(class: &Bound<'_, pyo3::types::PyType>) -> PyResult<String> {
    named_class(class)?
        .map(|c| c.name)
        .ok_or_else(|| PyTypeError::new_err(format!("{} is not a namedtuple class", class.name().map(|n| n.to_string()).unwrap_or_default())))
}

pub(super) fn parse_types(names: &[String]) -> PyResult<Vec<ArgType>> {
    names
        .iter()
        .map(|n| ArgType::parse(n).ok_or_else(|| PyTypeError::new_err(format!("numlir does not support the type '{n}' yet"))))
        .collect()
}

/// A NumPy scalar (np.float32(1.5), np.int16(3), np.bool_(True)) as its own scalar type.
pub(super) fn numpy_scalar_of(value: &Bound<'_, PyAny>) -> Option<(ScalarType, Slot)> {
    let numpy = value.py().import("numpy").ok()?;
    if !value.is_instance(&numpy.getattr("generic").ok()?).ok()? {
        return None;
    }
    let dtype: String = value.getattr("dtype").ok()?.getattr("name").ok()?.extract().ok()?;
    let t = ScalarType::from_dtype(DType::parse(&dtype)?);
    let v = match t {
        ScalarType::Bool => SlotValue::Int(value.is_truthy().ok()? as i128),
        ScalarType::Float32 | ScalarType::Float64 => SlotValue::Float(value.call_method0("__float__").ok()?.extract().ok()?),
        ScalarType::Complex64 => {
            let z = value.call_method0("__complex__").ok()?;
            SlotValue::Complex(z.getattr("real").ok()?.extract().ok()?, z.getattr("imag").ok()?.extract().ok()?)
        }
        ScalarType::Complex128 => return None, // a Python complex subclass: taken as one
        _ => SlotValue::Int(value.call_method0("__int__").ok()?.extract::<i128>().ok()?),
    };
    Some((t, encode_slot(t, &v)[0]))
}

pub(super) fn too_many_words() -> String {
    format!("too many argument words (at most {MAX_WORDS})")
}

/// One tuple element of any type numlir takes, written to `words`. (The call path reads
/// Python numbers, complex numbers and arrays inline, then calls read_numpy_scalar_or_tuple.)
pub(super) fn read_value(value: &Bound<'_, PyAny>, words: &mut [Slot]) -> Result<ArgType, String> {
    if let Some((t, s)) = scalar_of(value).filter(|(t, _)| *t != ScalarType::UInt64) {
        *words.first_mut().ok_or_else(too_many_words)? = s;
        return Ok(ArgType::Scalar(t));
    }
    if let Ok(z) = value.cast::<PyComplex>() {
        let [re, im, ..] = words else { return Err(too_many_words()) };
        (*re, *im) = (z.real().to_bits(), z.imag().to_bits());
        return Ok(ArgType::Scalar(ScalarType::Complex128));
    }
    match read_array(value, words) {
        Ok(array) => return Ok(ArgType::Array { dtype: array.dtype, ndim: array.ndim, layout: array.layout }),
        Err(ArrayRejection::Unsupported(why)) => return Err(why),
        Err(ArrayRejection::NotAnArray) => read_numpy_scalar_or_tuple(value, words),
    }
}

/// A NumPy scalar or a tuple (of anything read_value reads), written to `words`.
pub(super) fn read_numpy_scalar_or_tuple(value: &Bound<'_, PyAny>, words: &mut [Slot]) -> Result<ArgType, String> {
    if let Some((t, s)) = numpy_scalar_of(value) {
        *words.first_mut().ok_or_else(too_many_words)? = s;
        return Ok(ArgType::Scalar(t));
    }
    if let Some(typed) = typed_argument(value) {
        let (t, block) = typed?;
        *words.first_mut().ok_or_else(too_many_words)? = block;
        return Ok(t);
    }
    if value.is_instance_of::<PyString>() {
        *words.first_mut().ok_or_else(too_many_words)? = unbox_str(value)? as Slot;
        return Ok(ArgType::Str);
    }
    if value.is_none() {
        return Ok(ArgType::None);
    }
    if let Some(bitgen) = generator_bitgen(value).map_err(|e| e.to_string())? {
        *words.first_mut().ok_or_else(too_many_words)? = bitgen;
        return Ok(generator_type());
    }
    // A compiled function: the callee is compiled for it (numba's dispatcher type).
    if let Some(function) = super::environment::compiled_py_func(value).map_err(|e| e.to_string())? {
        return Ok(ArgType::Function(super::environment::function_id(&function)));
    }
    if let Ok(list) = value.cast::<PyList>() {
        let item = list_item_type(list)?;
        *words.first_mut().ok_or_else(too_many_words)? = unbox_list(list, item)? as Slot;
        return Ok(ArgType::list_of(item));
    }
    if let Ok(tuple) = value.cast::<PyTuple>() {
        let mut items = Vec::with_capacity(tuple.len());
        let mut at = 0;
        for item in tuple.iter() {
            let t = read_value(&item, words.get_mut(at..).ok_or_else(too_many_words)?)?;
            at += t.words();
            items.push(t);
        }
        let class = match value.is_exact_instance_of::<PyTuple>() {
            true => None,
            false => named_class(&value.get_type()).map_err(|e| e.to_string())?,
        };
        return Ok(ArgType::Tuple(TupleId::intern_named(class.as_ref(), &items)));
    }
    Err(format!(
        "numlir compiled functions take numbers, NumPy scalars and arrays, and tuples of them; this is '{}'",
        value.get_type().name().map(|n| n.to_string()).unwrap_or_default()
    ))
}

/// The NumPy array among `value` and the elements of tuples in it whose buffer starts at
/// `data`, and whether it is writeable (a returned view of it is kept alive by it).
pub(super) fn array_with_data<'py>(value: &Bound<'py, PyAny>, data: u64) -> Option<(Bound<'py, PyAny>, bool)> {
    if let Ok(tuple) = value.cast::<PyTuple>() {
        return tuple.iter().find_map(|item| array_with_data(&item, data));
    }
    let (start, writeable) = data_of(value)?;
    (start == data).then(|| (value.clone(), writeable))
}

/// A result scalar of one of NumPy's own types as that NumPy scalar (np.int32(7)).
pub(super) fn box_numpy_scalar(py: Python<'_>, t: ScalarType, raw: Slot) -> PyResult<Py<PyAny>> {
    let value = match decode_slot(t, &[raw]) {
        // Read zero-extended from the result struct: encoding wraps it to the type's width
        // and sign, as an argument slot holds it.
        SlotValue::Int(i) => match decode_slot(t, &encode_slot(t, &SlotValue::Int(i))) {
            SlotValue::Int(i) => i.into_pyobject(py)?.into_any(),
            _ => unreachable!("an int type decodes as an int"),
        },
        SlotValue::Float(f) => f.into_pyobject(py)?.into_any(),
        SlotValue::Complex(re, im) => PyComplex::from_doubles(py, re, im).into_any(),
    };
    Ok(py.import("numpy")?.getattr(t.name())?.call1((value,))?.unbind())
}

/// A `np.random.Generator` as compiled code takes it: a namedtuple of one int, the address of
/// its bit generator's `bitgen_t` (python/numlir/_numpy/generator.py draws from it with NumPy's
/// own functions, so the Python object's state advances).
pub(crate) fn generator_type() -> ArgType {
    let class = NamedClass { name: "numpy.random:Generator".into(), fields: vec!["bit_generator".into()] };
    ArgType::Tuple(TupleId::intern_named(Some(&class), &[ArgType::Scalar(ScalarType::Int64)]))
}

/// The `bitgen_t` address of a `np.random.Generator`, or None for any other value.
fn generator_bitgen(value: &Bound<'_, PyAny>) -> PyResult<Option<Slot>> {
    static CLASS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let py = value.py();
    let class = CLASS.get_or_try_init(py, || Ok::<_, PyErr>(py.import("numpy.random")?.getattr("Generator")?.unbind()))?;
    if !value.is_instance(class.bind(py))? {
        return Ok(None);
    }
    // The capsule NumPy's bit generators hold for C code: a `bitgen_t *` that lives as long
    // as the bit generator, which the caller's argument keeps alive through the call.
    let capsule = value.getattr("bit_generator")?.getattr("capsule")?;
    let capsule = capsule.cast::<PyCapsule>()?;
    let pointer = capsule.pointer_checked(Some(c"BitGenerator"))?;
    Ok(Some(pointer.as_ptr() as Slot))
}
