//! NumPy ufuncs whose loops are compiled code: `@numlir.vectorize` and `@numlir.guvectorize`
//! (python/numlir/ufuncs.py) build them here with NumPy's C API (`PyUFunc_FromFuncAndData`,
//! `PyUFunc_FromFuncAndDataAndSignature`). Each loop is one C function, `inner_loop`, whose
//! data names a `Kernel`: the compiled function it calls and how NumPy's arguments become its
//! arguments.
//!
//! - A vectorize loop's kernel is a compiled loop over 1-D arrays (ufuncs.py generates it:
//!   `out[i] = f(x[i], y[i])`, so f is inlined). NumPy's pointers and byte steps become the
//!   arrays' descriptors: one call per chunk NumPy hands over. A contiguous chunk runs a
//!   second copy compiled for unit strides, which vectorizes.
//! - A guvectorize loop's kernel is the user's function, called once per element of the
//!   loop dimensions with its arguments' core dimensions as arrays (or scalars).
//! - `parallel`: a chunk is split among threads (`std::thread::scope`), one call each, as
//!   many as the calling thread's `numlir.set_num_threads` (runtime/threads.rs).
use super::dispatcher::{raised_error, Dispatcher};
use crate::{
    backend::cpu::{CompiledFunction, Slot},
    runtime::buffers::CONSTANT_ALLOCATED,
    types::{ArgType, MAX_WORDS},
};
use numpy::npyffi::{npy_intp, PY_UFUNC_API};
use pyo3::{exceptions::PyValueError, prelude::*};
use std::{
    ffi::{c_char, c_int, c_void, CString},
    sync::Arc,
};

/// How one of NumPy's operands reaches the kernel.
#[derive(Clone, Copy)]
enum Operand {
    /// A scalar of this many bytes, read from NumPy's pointer.
    Scalar(usize),
    /// An array: its element size, and its core dimensions (indices into NumPy's
    /// `dimensions` after the loop dimension; none for a vectorize loop's 1-D arrays, whose
    /// one axis is the loop dimension). `rank` is the kernel's array rank (a "()" output is
    /// an array of one element).
    Array { itemsize: usize, core: [usize; 4], core_count: usize, rank: usize },
}

/// What a loop calls: compiled code and the shapes of its arguments.
struct Kernel {
    /// For a vectorize loop: compiled for unit strides (used when every step is the item
    /// size), and for any strides.
    contiguous: Option<Arc<CompiledFunction>>,
    strided: Arc<CompiledFunction>,
    operands: Vec<Operand>,
    /// Whether the kernel loops itself (vectorize: one call per chunk) or is called per
    /// element of the loop dimension (guvectorize).
    loops_itself: bool,
    /// `target="parallel"`: a chunk is split among the calling thread's count of threads
    /// (numlir.set_num_threads).
    parallel: bool,
}

/// Elements below which a chunk is not split among threads.
const PARALLEL_MIN: npy_intp = 1 << 14;

impl Kernel {
    /// The argument words of one call: operand k's data at `data[k]`, its step along the
    /// kernel's own loop `steps[k]` (vectorize), over `n` elements.
    ///
    /// # Safety
    /// `data` and `steps` have one entry per operand, `core_dims`/`core_steps` what NumPy
    /// passes after them.
    unsafe fn words(&self, data: &[*mut c_char], steps: &[npy_intp], n: npy_intp, core_dims: *const npy_intp,
                    core_steps: *const npy_intp, words: &mut [Slot; MAX_WORDS]) -> Option<usize> {
        let mut at = 0;
        let mut core_step = 0;
        for (k, operand) in self.operands.iter().enumerate() {
            match *operand {
                Operand::Scalar(size) => {
                    let mut raw = [0u8; 16];
                    unsafe { std::ptr::copy_nonoverlapping(data[k] as *const u8, raw.as_mut_ptr(), size) };
                    words[at] = Slot::from_le_bytes(raw[..8].try_into().unwrap());
                    at += 1;
                    if size > 8 {
                        words[at] = Slot::from_le_bytes(raw[8..].try_into().unwrap());
                        at += 1;
                    }
                }
                Operand::Array { itemsize, core, core_count, rank } => {
                    words[at] = CONSTANT_ALLOCATED; // no owner: compiled code frees nothing
                    words[at + 1] = data[k] as Slot;
                    words[at + 2] = 0;
                    if self.loops_itself {
                        if steps[k] % itemsize as npy_intp != 0 {
                            return None;
                        }
                        words[at + 3] = n as Slot;
                        words[at + 4] = (steps[k] / itemsize as npy_intp) as Slot;
                    } else {
                        for d in 0..rank {
                            // A "()" operand declared as an array: one element.
                            let (size, stride) = if d < core_count {
                                let step = unsafe { *core_steps.add(core_step + d) };
                                if step % itemsize as npy_intp != 0 {
                                    return None;
                                }
                                (unsafe { *core_dims.add(core[d]) }, step / itemsize as npy_intp)
                            } else {
                                (1, 1)
                            };
                            words[at + 3 + d] = size as Slot;
                            words[at + 3 + rank + d] = stride as Slot;
                        }
                        core_step += core_count;
                    }
                    at += 3 + 2 * rank;
                }
            }
        }
        Some(at)
    }

    /// Runs `function` on the words; a nonzero status becomes the pending Python exception.
    unsafe fn run(&self, function: &CompiledFunction, words: &mut [Slot]) -> bool {
        let mut out = [0 as Slot; 8];
        let status = unsafe { function.call(words, &mut out) };
        if status != 0 {
            Python::attach(|py| raised_error(py, &function.raise_table, status).restore(py));
            return false;
        }
        true
    }

    /// NumPy's loop over `n` elements from `data` (the loop dimension's steps `steps`).
    unsafe fn run_chunk(&self, data: &[*mut c_char], steps: &[npy_intp], n: npy_intp, core_dims: *const npy_intp,
                        core_steps: *const npy_intp) {
        if self.loops_itself {
            let unit = self.operands.iter().zip(steps).all(|(o, &s)| matches!(o, Operand::Array { itemsize, .. } if s == *itemsize as npy_intp));
            let function = match (&self.contiguous, unit) {
                (Some(c), true) => c,
                _ => &self.strided,
            };
            let mut words = [0 as Slot; MAX_WORDS];
            if let Some(count) = unsafe { self.words(data, steps, n, core_dims, core_steps, &mut words) } {
                unsafe { self.run(function, &mut words[..count]) };
                return;
            }
            // Steps that are no multiple of the item size (a packed record's field): one
            // element at a time, each an array of one.
        }
        unsafe { self.run_each(data, steps, n, core_dims, core_steps) };
    }

    /// The kernel for any strides once per element of the loop dimension: guvectorize's
    /// kernel, or a vectorize loop over arrays of one element.
    unsafe fn run_each(&self, data: &[*mut c_char], steps: &[npy_intp], n: npy_intp, core_dims: *const npy_intp,
                       core_steps: *const npy_intp) {
        let mut words = [0 as Slot; MAX_WORDS];
        let mut at: Vec<*mut c_char> = data.to_vec();
        // (Arrays of one element take no step; guvectorize's operands take their core steps.)
        let no_steps = vec![0; steps.len()];
        for _ in 0..n {
            let Some(count) = (unsafe { self.words(&at, &no_steps, 1, core_dims, core_steps, &mut words) }) else {
                Python::attach(|py| PyValueError::new_err("an operand's strides are not a multiple of its item size").restore(py));
                return;
            };
            if !unsafe { self.run(&self.strided, &mut words[..count]) } {
                return;
            }
            for (p, s) in at.iter_mut().zip(steps) {
                *p = unsafe { p.offset(*s) };
            }
        }
    }
}

/// NumPy's inner loop of every numlir ufunc: `data` is its `Kernel`.
unsafe extern "C" fn inner_loop(args: *mut *mut c_char, dimensions: *const npy_intp, steps: *const npy_intp, data: *mut c_void) {
    // SAFETY: NumPy passes one pointer and one step per operand, then the core dimensions
    // and their steps; `data` is the Kernel leaked for this loop.
    unsafe {
        let kernel = &*(data as *const Kernel);
        let count = kernel.operands.len();
        let pointers = std::slice::from_raw_parts(args, count);
        let loop_steps = std::slice::from_raw_parts(steps, count);
        let n = *dimensions;
        let core_dims = dimensions.add(1);
        let core_steps = steps.add(count);
        let threads = if kernel.parallel { crate::runtime::threads::num_threads() } else { 1 };
        if threads <= 1 || n < PARALLEL_MIN {
            kernel.run_chunk(pointers, loop_steps, n, core_dims, core_steps);
            return;
        }
        // Equal parts of the loop dimension, one per thread (the calling thread takes the first).
        let parts = threads as npy_intp;
        let part = (n + parts - 1) / parts;
        let starts: Vec<Vec<usize>> = (0..parts)
            .map(|t| pointers.iter().zip(loop_steps).map(|(p, s)| p.offset(t * part * s) as usize).collect())
            .collect();
        let (core_dims, core_steps) = (core_dims as usize, core_steps as usize);
        std::thread::scope(|scope| {
            for (t, start) in starts.iter().enumerate().skip(1) {
                let len = part.min(n - t as npy_intp * part);
                if len <= 0 {
                    continue;
                }
                scope.spawn(move || {
                    let data: Vec<*mut c_char> = start.iter().map(|&p| p as *mut c_char).collect();
                    kernel.run_chunk(&data, loop_steps, len, core_dims as *const npy_intp, core_steps as *const npy_intp);
                });
            }
            let data: Vec<*mut c_char> = starts[0].iter().map(|&p| p as *mut c_char).collect();
            kernel.run_chunk(&data, loop_steps, part.min(n), core_dims as *const npy_intp, core_steps as *const npy_intp);
        });
    }
}

/// The compiled function of a dispatcher built with one explicit signature.
fn only_function(dispatcher: &Bound<'_, Dispatcher>) -> PyResult<Arc<CompiledFunction>> {
    dispatcher.get().only_function().ok_or_else(|| PyValueError::new_err("the kernel has no compiled signature"))
}

/// A ufunc (`signature` None) or generalized ufunc of `loops`: per loop, NumPy's type
/// numbers of its operands (inputs, then outputs), the kernel for unit strides (vectorize
/// only) and the kernel for any, and for guvectorize each operand's core dimensions (indices
/// into the signature's distinct dimension names) and rank as the kernel takes it (0: a
/// scalar). `identity` is NumPy's PyUFunc_* code. `parallel` loops run on the calling
/// thread's count of threads.
#[pyfunction]
#[pyo3(signature = (name, doc, nin, nout, identity, signature, loops, parallel))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
pub fn _make_ufunc(
    py: Python<'_>,
    name: &str,
    doc: &str,
    nin: usize,
    nout: usize,
    identity: i32,
    signature: Option<&str>,
    loops: Vec<(Vec<i32>, Option<Bound<'_, Dispatcher>>, Bound<'_, Dispatcher>, Vec<(Vec<usize>, usize)>)>,
    parallel: bool,
) -> PyResult<Py<PyAny>> {
    let count = nin + nout;
    let mut functions: Vec<unsafe extern "C" fn(*mut *mut c_char, *const npy_intp, *const npy_intp, *mut c_void)> = Vec::new();
    let mut data: Vec<*mut c_void> = Vec::new();
    let mut types: Vec<c_char> = Vec::new();
    for (type_nums, contiguous, strided, cores) in &loops {
        if type_nums.len() != count {
            return Err(PyValueError::new_err("a loop's types do not match nin + nout"));
        }
        let strided = only_function(strided)?;
        let contiguous = contiguous.as_ref().map(only_function).transpose()?;
        let operands = if signature.is_none() {
            strided.args.iter().map(|a| match a {
                ArgType::Array { dtype, .. } => Ok(Operand::Array { itemsize: dtype.itemsize(), core: [0; 4], core_count: 0, rank: 1 }),
                _ => Err(PyValueError::new_err("a vectorize loop takes arrays")),
            }).collect::<PyResult<Vec<_>>>()?
        } else {
            strided.args.iter().zip(cores).map(|(a, (dims, rank))| match a {
                ArgType::Scalar(s) => Ok(Operand::Scalar(s.size())),
                ArgType::Array { dtype, .. } if dims.len() <= 4 => {
                    let mut core = [0; 4];
                    core[..dims.len()].copy_from_slice(dims);
                    Ok(Operand::Array { itemsize: dtype.itemsize(), core, core_count: dims.len(), rank: *rank })
                }
                _ => Err(PyValueError::new_err("a guvectorize kernel takes numbers and arrays of at most 4 core dimensions")),
            }).collect::<PyResult<Vec<_>>>()?
        };
        if operands.len() != count {
            return Err(PyValueError::new_err("the kernel's arguments do not match nin + nout"));
        }
        let kernel = Box::new(Kernel { contiguous, strided, operands, loops_itself: signature.is_none(), parallel });
        functions.push(inner_loop);
        // Leaked: a ufunc lives as long as the process may call it (NumPy never frees data).
        data.push(Box::into_raw(kernel) as *mut c_void);
        types.extend(type_nums.iter().map(|&t| t as c_char));
    }
    let name = CString::new(name).map_err(|_| PyValueError::new_err("the name has a NUL"))?;
    let doc = CString::new(doc).map_err(|_| PyValueError::new_err("the docstring has a NUL"))?;
    let signature = signature.map(CString::new).transpose().map_err(|_| PyValueError::new_err("the signature has a NUL"))?;
    // NumPy keeps pointers to all of these: they live as long as the ufunc (leaked with it).
    let functions = functions.leak();
    let data = data.leak();
    let types = types.leak();
    let (name, doc) = (name.into_raw(), doc.into_raw());
    // SAFETY: the arrays are as NumPy documents them, for `loops.len()` loops of `count` operands.
    let ufunc = unsafe {
        let functions = functions.as_mut_ptr() as *mut numpy::npyffi::PyUFuncGenericFunction;
        match &signature {
            None => PY_UFUNC_API.PyUFunc_FromFuncAndData(py, functions, data.as_mut_ptr(), types.as_mut_ptr(), loops.len() as c_int,
                                                       nin as c_int, nout as c_int, identity, name, doc, 0),
            Some(s) => PY_UFUNC_API.PyUFunc_FromFuncAndDataAndSignature(py, functions, data.as_mut_ptr(), types.as_mut_ptr(), loops.len() as c_int,
                                                                      nin as c_int, nout as c_int, identity, name, doc, 0, s.as_ptr()),
        }
    };
    if ufunc.is_null() {
        return Err(PyErr::fetch(py));
    }
    // SAFETY: a new reference NumPy returned.
    Ok(unsafe { Bound::from_owned_ptr(py, ufunc) }.unbind())
}

/// numba's `set_num_threads(n)`: the threads this Python thread's parallel work uses, 1 to
/// the pool size (NUMLIR_NUM_THREADS, else the cores).
#[pyfunction]
pub fn set_num_threads(n: i64) -> PyResult<()> {
    crate::runtime::threads::set_num_threads(n).map_err(PyValueError::new_err)
}

/// numba's `get_num_threads()`: this Python thread's count (the pool size until set).
#[pyfunction]
pub fn get_num_threads() -> usize {
    crate::runtime::threads::num_threads()
}

/// The pool size (numba's `config.NUMBA_NUM_THREADS`): NUMLIR_NUM_THREADS, else the cores.
#[pyfunction]
pub fn _pool_size() -> usize {
    crate::runtime::threads::pool_size()
}
