//! NumPy arrays at the boundary of compiled code: an argument array becomes a memref
//! descriptor (pointers, offset, sizes, strides in elements); an array compiled code
//! returns becomes a NumPy array over the same memory, which NumPy frees when it drops it.
use crate::types::{DType, Layout};
use numpy::npyffi::{self, npy_intp, NpyTypes, PY_ARRAY_API};
use pyo3::{ffi, prelude::*, types::PyCapsule};
use super::buffers::{array_owner, numlir_free, ArrayOwner};
use super::lists::{release, retain, Counted};
use std::ffi::{c_void, CStr};

/// Words of a memref descriptor of rank `ndim` (allocated, aligned, offset, sizes, strides).
pub fn descriptor_words(ndim: usize) -> usize {
    3 + 2 * ndim
}

/// NumPy's type numbers (NPY_TYPES) of the dtypes numlir compiles, on an LP64 platform.
fn dtype_of_type_num(num: i32) -> Option<DType> {
    Some(match num {
        0 => DType::Bool,
        1 => DType::Int8,
        2 => DType::UInt8,
        3 => DType::Int16,
        4 => DType::UInt16,
        5 => DType::Int32,
        6 => DType::UInt32,
        7 | 9 => DType::Int64,
        8 | 10 => DType::UInt64,
        11 => DType::Float32,
        12 => DType::Float64,
        14 => DType::Complex64,
        15 => DType::Complex128,
        _ => return None,
    })
}

fn type_num_of(dtype: DType) -> i32 {
    match dtype {
        DType::Bool => 0,
        DType::Int8 => 1,
        DType::UInt8 => 2,
        DType::Int16 => 3,
        DType::UInt16 => 4,
        DType::Int32 => 5,
        DType::UInt32 => 6,
        DType::Int64 => 7,
        DType::UInt64 => 8,
        DType::Float32 => 11,
        DType::Float64 => 12,
        DType::Complex64 => 14,
        DType::Complex128 => 15,
    }
}

/// Why an array cannot be passed to compiled code.
pub enum ArrayRejection {
    NotAnArray,
    Unsupported(String),
}

/// An argument array: its type key and its descriptor words.
pub struct ArrayArgument {
    pub dtype: DType,
    pub ndim: usize,
    pub layout: Layout,
}

/// Reads a NumPy array as a memref descriptor appended to `words`.
pub fn read_array(value: &Bound<'_, PyAny>, words: &mut [u64]) -> Result<ArrayArgument, ArrayRejection> {
    let py = value.py();
    let object = value.as_ptr();
    // SAFETY: a type check, then reads of the fields of a live ndarray.
    unsafe {
        if npyffi::PyArray_Check(py, object) == 0 {
            return Err(ArrayRejection::NotAnArray);
        }
        let fields = &*npyffi::_PyArray_GET_ITEM_DATA(object as *const npyffi::PyArrayObject);
        let descr = &*npyffi::_PyDataType_GET_ITEM_DATA(fields.descr);
        let dtype = dtype_of_type_num(descr.type_num).ok_or_else(|| {
            ArrayRejection::Unsupported("arrays of this dtype are not supported (numlir compiles bool, int8-64, uint8-64, float32, float64, complex64 and complex128)".into())
        })?;
        if descr.byteorder as u8 == b'>' {
            return Err(ArrayRejection::Unsupported("big-endian arrays are not supported".into()));
        }
        let ndim = fields.nd as usize;
        if descriptor_words(ndim) > words.len() {
            return Err(ArrayRejection::Unsupported(format!(
                "the arguments take more words than a call holds (an array of {ndim} dimensions takes {}; at most {} in all)",
                descriptor_words(ndim),
                crate::types::MAX_WORDS
            )));
        }
        let itemsize = dtype.itemsize() as isize;
        let shape = std::slice::from_raw_parts(fields.dimensions, ndim);
        let strides = std::slice::from_raw_parts(fields.strides, ndim);
        let data = fields.data as u64;
        words[0] = super::buffers::tagged_object(object);
        words[1] = data;
        words[2] = 0;
        for d in 0..ndim {
            if strides[d] % itemsize != 0 {
                return Err(ArrayRejection::Unsupported("arrays whose strides are not a multiple of the item size are not supported".into()));
            }
            words[3 + d] = shape[d] as u64;
            // The stride of an axis of length <= 1 never matters: make it the contiguous one
            // so that the array matches a static unit stride.
            let stride = if shape[d] <= 1 { 1 } else { (strides[d] / itemsize) as i64 };
            words[3 + ndim + d] = stride as u64;
        }
        let unit = |d: usize| shape[d] <= 1 || strides[d] == itemsize;
        let layout = if ndim == 0 || unit(ndim - 1) {
            Layout::C
        } else if unit(0) {
            Layout::F
        } else {
            Layout::A
        };
        Ok(ArrayArgument { dtype, ndim, layout })
    }
}

/// The data pointer of a NumPy array and whether it is writeable; None for other objects.
pub fn data_of(value: &Bound<'_, PyAny>) -> Option<(u64, bool)> {
    // SAFETY: a type check, then reads of two fields of a live ndarray.
    unsafe {
        if npyffi::PyArray_Check(value.py(), value.as_ptr()) == 0 {
            return None;
        }
        let fields = &*npyffi::_PyArray_GET_ITEM_DATA(value.as_ptr() as *const npyffi::PyArrayObject);
        Some((fields.data as u64, fields.flags & npyffi::NPY_ARRAY_WRITEABLE != 0))
    }
}

const CAPSULE_NAME: &CStr = c"numlir.buffer";

/// An owner object for memory compiled code allocated: frees it when NumPy drops it.
pub fn owner_of(py: Python<'_>, allocated: u64) -> PyResult<Py<PyAny>> {
    let capsule = PyCapsule::new_with_value_and_destructor(py, allocated as usize, CAPSULE_NAME, |pointer, _| {
        // SAFETY: `pointer` came from numlir_malloc in compiled code and this capsule owns a
        // reference to it.
        unsafe { numlir_free(pointer as *mut c_void) }
    })?;
    Ok(capsule.into_any().unbind())
}

/// A NumPy array of an array a list item holds: `owner` (its first word) then the rest of
/// its descriptor (aligned, offset, sizes, strides). The argument array it came from when it
/// is that array whole, else a view kept alive by a reference to its owner.
///
/// # Safety
/// `owner` is a live owner block (src/runtime/buffers.rs) of the memory `rest` describes.
pub unsafe fn box_list_array(py: Python<'_>, owner: *mut Counted, rest: &[u64], dtype: DType, ndim: usize) -> PyResult<Py<PyAny>> {
    let mut words = vec![0u64];
    words.extend_from_slice(rest);
    let (base, writeable) = match unsafe { array_owner(owner) } {
        ArrayOwner::Python(object) => {
            // SAFETY: the owner holds a reference to the object.
            let array = unsafe { Bound::from_borrowed_ptr(py, object) };
            let mut own = vec![0u64; words.len()];
            if let Ok(a) = read_array(&array, &mut own) {
                if a.ndim == ndim && own[1..] == words[1..] {
                    return Ok(array.unbind());
                }
            }
            let writeable = data_of(&array).is_none_or(|(_, w)| w);
            (array.into_any().unbind(), writeable)
        }
        ArrayOwner::Buffer => {
            // SAFETY: the capsule's reference keeps the owner alive until NumPy drops it.
            unsafe { retain(owner) };
            let capsule = PyCapsule::new_with_value_and_destructor(py, owner as usize, CAPSULE_NAME, |block, _| {
                // SAFETY: the capsule owns this reference.
                unsafe { release(block as *mut Counted) }
            })?;
            (capsule.into_any().unbind(), true)
        }
        ArrayOwner::Immortal => {
            // A copy: writes to the result must not reach the frozen elements.
            let view = box_array(py, &words, dtype, ndim, &py.None(), false)?;
            return Ok(view.bind(py).call_method0("copy")?.unbind());
        }
    };
    box_array(py, &words, dtype, ndim, &base, writeable)
}

/// A NumPy array over the memory of a returned memref descriptor, kept alive by `base`
/// (read-only when `writeable` is false: a view of a read-only argument).
pub fn box_array(py: Python<'_>, words: &[u64], dtype: DType, ndim: usize, base: &Py<PyAny>, writeable: bool) -> PyResult<Py<PyAny>> {
    let itemsize = dtype.itemsize() as i64;
    let aligned = words[1] as *mut u8;
    let offset = words[2] as i64;
    let mut shape: Vec<npy_intp> = (0..ndim).map(|d| words[3 + d] as npy_intp).collect();
    let mut strides: Vec<npy_intp> = (0..ndim).map(|d| (words[3 + ndim + d] as i64 * itemsize) as npy_intp).collect();
    // SAFETY: the descriptor describes live memory that `base` keeps alive; NewFromDescr
    // steals the dtype reference and SetBaseObject steals the base reference.
    unsafe {
        let descr = PY_ARRAY_API.PyArray_DescrFromType(py, type_num_of(dtype));
        let data = aligned.offset((offset * itemsize) as isize) as *mut c_void;
        let array = PY_ARRAY_API.PyArray_NewFromDescr(
            py,
            npyffi::get_type_object(py, NpyTypes::PyArray_Type),
            descr,
            ndim as i32,
            shape.as_mut_ptr(),
            strides.as_mut_ptr(),
            data,
            if writeable { npyffi::NPY_ARRAY_WRITEABLE } else { 0 },
            std::ptr::null_mut(),
        );
        if array.is_null() {
            return Err(PyErr::fetch(py));
        }
        let base = base.clone_ref(py).into_ptr();
        if PY_ARRAY_API.PyArray_SetBaseObject(py, array as *mut npyffi::PyArrayObject, base) < 0 {
            ffi::Py_DECREF(array);
            return Err(PyErr::fetch(py));
        }
        Ok(Bound::from_owned_ptr(py, array).unbind())
    }
}

/// The unranked memref MLIR passes to `memrefCopy`: a rank and a ranked descriptor.
#[repr(C)]
pub struct UnrankedMemRef {
    rank: i64,
    descriptor: *const i64,
}

/// `memrefCopy`, which memref.copy between non-contiguous layouts lowers to (MLIR's
/// runner-utils library has it; numlir provides its own): copies `src` to `dst`, both of
/// the same shape, in C order. The trailing axes that are contiguous in both go as one
/// block (the whole array when both are C-contiguous), the rest element by element.
///
/// # Safety
/// Both descriptors must describe live memory of `element_size`-byte elements.
/// An array's aligned base pointer, offset and strides (in elements).
type Strided<'a> = (*mut u8, i64, &'a [i64]);

/// Copies the elements (rows, cols) of one tile: (from, to) address element (0, 0) of the
/// source and destination, whose strides (in elements) are given.
///
/// # Safety
/// Every element the tile names is valid in both arrays.
#[allow(clippy::type_complexity)]
unsafe fn copy_tile<T: Copy>(from: *const u8, to: *mut u8, ((i0, i1), (j0, j1), (sr, sc), (dr, dc)): ((i64, i64), (i64, i64), (i64, i64), (i64, i64))) {
    let (from, to) = (from as *const T, to as *mut T);
    for i in i0..i1 {
        for j in j0..j1 {
            // SAFETY: both are elements of their arrays; NumPy's need not be aligned.
            unsafe { to.offset((i * dr + j * dc) as isize).write_unaligned(from.offset((i * sr + j * sc) as isize).read_unaligned()) };
        }
    }
}

/// memref_copy of arrays with no contiguous axis: the outer axes one index at a time, the
/// last two in 32x32 tiles.
///
/// # Safety
/// Both arrays have `sizes` (rank >= 2) and address valid memory at every index.
unsafe fn copy_tiles(element_size: i64, src: Strided<'_>, dst: Strided<'_>, sizes: &[i64]) {
    const TILE: i64 = 32;
    let rank = sizes.len();
    let (rows, cols) = (sizes[rank - 2], sizes[rank - 1]);
    let mut index = vec![0i64; rank - 2];
    loop {
        let start = |offset: i64, strides: &[i64]| offset + index.iter().zip(strides).map(|(i, st)| i * st).sum::<i64>();
        let (src_start, dst_start) = (start(src.1, src.2), start(dst.1, dst.2));
        let (sr, sc, dr, dc) = (src.2[rank - 2], src.2[rank - 1], dst.2[rank - 2], dst.2[rank - 1]);
        for i0 in (0..rows).step_by(TILE as usize) {
            for j0 in (0..cols).step_by(TILE as usize) {
                let (i1, j1) = ((i0 + TILE).min(rows), (j0 + TILE).min(cols));
                let from = src.0.offset((src_start * element_size) as isize);
                let to = dst.0.offset((dst_start * element_size) as isize);
                let tile = ((i0, i1), (j0, j1), (sr, sc), (dr, dc));
                match element_size {
                    8 => copy_tile::<u64>(from, to, tile),
                    4 => copy_tile::<u32>(from, to, tile),
                    16 => copy_tile::<[u64; 2]>(from, to, tile),
                    2 => copy_tile::<u16>(from, to, tile),
                    _ => copy_tile::<u8>(from, to, tile),
                }
            }
        }
        if !next_index(&mut index, sizes) {
            return;
        }
    }
}

/// Steps `index` (over the first `index.len()` axes of `sizes`) to the next one in C order;
/// false after the last.
fn next_index(index: &mut [i64], sizes: &[i64]) -> bool {
    for axis in (0..index.len()).rev() {
        index[axis] += 1;
        if index[axis] < sizes[axis] {
            return true;
        }
        index[axis] = 0;
    }
    false
}

pub unsafe extern "C" fn memref_copy(element_size: i64, src: *const UnrankedMemRef, dst: *const UnrankedMemRef) {
    // SAFETY: the caller passes valid descriptors: [allocated, aligned, offset, sizes..., strides...].
    unsafe {
        let rank = (*src).rank as usize;
        let read = |m: *const UnrankedMemRef| {
            let d = (*m).descriptor;
            let aligned = *d.add(1) as *mut u8;
            let offset = *d.add(2);
            let sizes = std::slice::from_raw_parts(d.add(3), rank);
            let strides = std::slice::from_raw_parts(d.add(3 + rank), rank);
            (aligned, offset, sizes, strides)
        };
        let (src_base, src_offset, sizes, src_strides) = read(src);
        let (dst_base, dst_offset, _, dst_strides) = read(dst);
        if sizes.iter().any(|&s| s == 0) {
            return;
        }
        // Axes from `outer` on are one contiguous block of `block` elements in both.
        let (mut outer, mut block) = (rank, 1i64);
        while outer > 0 {
            let axis = outer - 1;
            let contiguous = sizes[axis] == 1 || (src_strides[axis] == block && dst_strides[axis] == block);
            if !contiguous {
                break;
            }
            block *= sizes[axis];
            outer = axis;
        }
        if outer == rank && rank >= 2 {
            // No contiguous run at all (a transposed view, as np.linalg's Fortran-ordered
            // results are): the last two axes go in tiles, so that neither side misses the
            // cache on every element (8x faster for 500x500 float64).
            copy_tiles(element_size, (src_base, src_offset, src_strides), (dst_base, dst_offset, dst_strides), sizes);
            return;
        }
        let bytes = (block * element_size) as usize;
        let mut index = vec![0i64; outer];
        loop {
            let at = |offset: i64, strides: &[i64]| {
                (offset + index.iter().zip(strides).map(|(i, st)| i * st).sum::<i64>()) * element_size
            };
            std::ptr::copy_nonoverlapping(
                src_base.offset(at(src_offset, src_strides) as isize),
                dst_base.offset(at(dst_offset, dst_strides) as isize),
                bytes,
            );
            if !next_index(&mut index, sizes) {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{memref_copy, UnrankedMemRef};

    /// Copies `src` (its values at (offset, strides)) into a fresh C-ordered array of `sizes`
    /// through memref_copy and checks every element against the source's at the same index.
    fn copied_matches(src: &[f64], offset: i64, src_strides: &[i64], sizes: &[i64]) {
        let rank = sizes.len();
        let count: i64 = sizes.iter().product();
        let mut dst = vec![0.0f64; count as usize];
        let mut dst_strides = vec![1i64; rank];
        for axis in (0..rank.saturating_sub(1)).rev() {
            dst_strides[axis] = dst_strides[axis + 1] * sizes[axis + 1];
        }
        let descriptor = |base: *const f64, offset: i64, strides: &[i64]| {
            let mut d = vec![base as i64, base as i64, offset];
            d.extend_from_slice(sizes);
            d.extend_from_slice(strides);
            d
        };
        let s = descriptor(src.as_ptr(), offset, src_strides);
        let d = descriptor(dst.as_mut_ptr(), 0, &dst_strides);
        let (s_ref, d_ref) = (UnrankedMemRef { rank: rank as i64, descriptor: s.as_ptr() }, UnrankedMemRef { rank: rank as i64, descriptor: d.as_ptr() });
        // SAFETY: both descriptors address their vectors at every index of `sizes`.
        unsafe { memref_copy(8, &s_ref, &d_ref) };
        for flat in 0..count {
            let (mut rest, mut from, mut to) = (flat, offset, 0);
            for axis in (0..rank).rev() {
                let i = rest % sizes[axis];
                rest /= sizes[axis];
                from += i * src_strides[axis];
                to += i * dst_strides[axis];
            }
            assert_eq!(dst[to as usize], src[from as usize], "element {flat}");
        }
    }

    #[test]
    fn copies_views_with_no_contiguous_axis() {
        let values: Vec<f64> = (0..4000).map(|v| v as f64 * 0.5).collect();
        // A Fortran-ordered 37x45 matrix (more than one 32x32 tile each way), a transposed
        // 3-d array with an offset, a strided view, and a contiguous one for comparison.
        copied_matches(&values, 0, &[1, 37], &[37, 45]);
        copied_matches(&values, 7, &[1, 5, 20], &[5, 4, 6]);
        copied_matches(&values, 3, &[90, 2], &[40, 33]);
        copied_matches(&values, 0, &[45, 1], &[37, 45]);
    }
}
