//! The CPU backend: an llvm-dialect module compiled at O3 for the host CPU to an object file
//! (dialects/lib/Target/LLVMIR/Export.cpp), which is linked into the process (object.rs, as a cached
//! object is) and called through its packed wrapper `_mlir_<name>(void **)`.
pub mod object;

use crate::{
    dialect::{append_to_bytes, append_to_string, ffi},
    diagnostics::{CompileError, Note},
    runtime::errors::RaiseTable,
    types::{ArgType, ResultPart, ReturnType, MAX_ARGS, MAX_WORDS},
};
use object::LoadedObject;
use melior::ir::Module;
use std::{
    ffi::c_void,
    sync::{Arc, OnceLock},
    time::{Duration, Instant},
};


type PackedFn = unsafe extern "C" fn(*mut *mut c_void);

/// Machine code for one signature of one Python function.
pub struct CompiledFunction {
    /// Keeps the code mapped while the function lives (and while a generator it returned
    /// does).
    code: Arc<LoadedObject>,
    invoke: PackedFn,
    /// The entry function's symbol (its packed wrapper is `_mlir_<entry>`).
    pub entry: String,
    pub args: Vec<ArgType>,
    pub ret: ReturnType,
    /// The parts of the result and their byte offsets in the result struct (status first).
    pub results: Vec<(ResultPart, usize)>,
    pub raise_table: RaiseTable,
    /// Where each machine-level argument starts among the argument words, when that is not
    /// one word each: a complex scalar is one argument of two words.
    argument_starts: Option<Vec<usize>>,
    /// The object file of this code, kept when it is to be cached.
    pub object: Option<Vec<u8>>,
    /// Time spent translating to LLVM IR and optimizing it, generating machine code, and
    /// linking it into the process (zero for code loaded from the cache).
    pub llvm_times: (Duration, Duration, Duration),
    /// The warnings and remarks the passes made (f.parallel_diagnostics() shows them).
    pub notes: Vec<Note>,
    /// Bytes of a CUDA kernel's `cuda.shared.array`s (the simulator gives each block as many).
    pub cuda_shared_bytes: usize,
    /// A CUDA kernel whose threads meet at barriers or warp intrinsics (the simulator runs
    /// its threads as coroutines; others one after another).
    pub cuda_meets: bool,
}

/// LLVM's optimization level: 3, or NUMLIR_OPT_LEVEL (0-3) for experiments.
fn opt_level() -> usize {
    std::env::var("NUMLIR_OPT_LEVEL").ok().and_then(|v| v.parse().ok()).filter(|l| *l <= 3).unwrap_or(3)
}

/// Loop nests that store at least this many bytes write them with non-temporal stores
/// (numlir-stream-stores): NUMLIR_STREAM_MIN_BYTES, or half the largest cache of this
/// machine (its last level, from Linux's sysfs), or 16 MiB where sysfs does not say. Smaller
/// arrays stay in the cache for whatever reads them next.
pub fn stream_min_bytes() -> u64 {
    static HALF_CACHE: OnceLock<u64> = OnceLock::new();
    if let Some(bytes) = std::env::var("NUMLIR_STREAM_MIN_BYTES").ok().and_then(|v| v.trim().parse().ok()) {
        return bytes;
    }
    *HALF_CACHE.get_or_init(|| {
        let largest = (0..8)
            .filter_map(|index| std::fs::read_to_string(format!("/sys/devices/system/cpu/cpu0/cache/index{index}/size")).ok())
            .filter_map(|text| cache_size_bytes(text.trim()))
            .max();
        largest.map_or(16 << 20, |bytes| bytes / 2)
    })
}

/// "32768K", "1M" or "512" (sysfs's cache sizes) in bytes.
fn cache_size_bytes(text: &str) -> Option<u64> {
    let (digits, shift) = match text.as_bytes().last()? {
        b'K' => (&text[..text.len() - 1], 10),
        b'M' => (&text[..text.len() - 1], 20),
        b'G' => (&text[..text.len() - 1], 30),
        _ => (text, 0),
    };
    digits.parse::<u64>().ok().map(|n| n << shift)
}

/// (name, address) of every runtime function compiled code may call.
fn runtime_symbols() -> Vec<(&'static str, *mut ())> {
    let arrays = [
        ("memrefCopy", crate::runtime::arrays::memref_copy as *mut ()),
        ("numlir_raise_detail", crate::runtime::errors::numlir_raise_detail as *mut ()),
        ("numlir_exc_matches", crate::runtime::errors::numlir_exc_matches as *mut ()),
        ("numlir_exc_str", crate::runtime::errors::numlir_exc_str as *mut ()),
        ("numlir_objmode_call", crate::python::objmode::numlir_objmode_call as *mut ()),
        ("numlir_objmode_fill", crate::python::objmode::numlir_objmode_fill as *mut ()),
        ("numlir_print", crate::runtime::print::numlir_print as *mut ()),
    ];
    crate::runtime::math::symbols().into_iter().chain(arrays).chain(crate::runtime::buffers::symbols()).chain(crate::runtime::lists::symbols()).chain(crate::runtime::dicts::symbols()).chain(crate::runtime::strings::symbols()).chain(crate::runtime::generators::symbols()).chain(crate::runtime::linalg::symbols()).chain(crate::runtime::random::symbols()).chain(crate::runtime::bitgen::symbols()).chain(crate::runtime::cuda_sim::symbols()).collect()
}

fn check_arity(args: &[ArgType]) -> Result<(), CompileError> {
    if args.len() > MAX_ARGS || args.iter().map(ArgType::words).sum::<usize>() > MAX_WORDS {
        return Err(CompileError::unsupported(format!(
            "functions of more than {MAX_ARGS} arguments or {MAX_WORDS} words of array descriptors"
        )));
    }
    Ok(())
}

/// The object file of an llvm-dialect module, and the time spent translating and optimizing.
fn compile_object(module: &Module) -> Result<(Vec<u8>, Duration), CompileError> {
    let (mut object, mut error, mut optimize_seconds) = (Vec::new(), String::new(), 0.0);
    // SAFETY: the module is live; the callbacks append to `object` and `error` during the call.
    let ok = unsafe {
        ffi::numlirCompileObject(
            module.to_raw(),
            opt_level() as i32,
            stream_min_bytes(),
            &mut optimize_seconds,
            Some(append_to_bytes),
            &mut object as *mut Vec<u8> as *mut c_void,
            Some(append_to_string),
            &mut error as *mut String as *mut c_void,
        )
    };
    if !ok {
        return Err(CompileError::compile(format!("LLVM could not compile the module: {error}")));
    }
    Ok((object, Duration::from_secs_f64(optimize_seconds)))
}

// SAFETY: the loaded code is immutable after linking; calling the compiled function from
// several threads is as safe as calling any reentrant C function.
unsafe impl Send for CompiledFunction {}
unsafe impl Sync for CompiledFunction {}

/// A raw scalar argument or result slot: i64, f64 bits, or a bool in the low byte.
pub type Slot = u64;

impl CompiledFunction {
    /// Compiles an llvm-dialect module and links it into the process. With `keep_object`,
    /// the object file is kept in `object` for the on-disk cache.
    pub fn jit(
        module: &Module,
        entry: &str,
        args: Vec<ArgType>,
        ret: ReturnType,
        raise_table: RaiseTable,
        keep_object: bool,
    ) -> Result<Self, CompileError> {
        check_arity(&args)?;
        let start = Instant::now();
        let (object, optimized) = compile_object(module)?;
        let emitted = start.elapsed();
        crate::runtime::linalg::load_for(&object);
        crate::runtime::openmp::load_for(&object).map_err(CompileError::compile)?;
        let code = LoadedObject::load(&object, &runtime_symbols()).map_err(CompileError::compile)?;
        let pointer = code.lookup(&format!("_mlir_{entry}")).map_err(CompileError::compile)?;
        let mut function = Self::assemble(code, pointer, entry, args, ret, raise_table);
        function.object = keep_object.then_some(object);
        function.llvm_times = (optimized, emitted.saturating_sub(optimized), start.elapsed().saturating_sub(emitted));
        Ok(function)
    }

    /// Links machine code from an object file `jit` kept (no MLIR, no code generation).
    pub fn from_object(
        object: Vec<u8>,
        entry: &str,
        args: Vec<ArgType>,
        ret: ReturnType,
        raise_table: RaiseTable,
    ) -> Result<Self, String> {
        check_arity(&args).map_err(|e| e.message)?;
        crate::runtime::linalg::load_for(&object);
        crate::runtime::openmp::load_for(&object)?;
        let code = LoadedObject::load(&object, &runtime_symbols())?;
        let pointer = code.lookup(&format!("_mlir_{entry}"))?;
        let mut function = Self::assemble(code, pointer, entry, args, ret, raise_table);
        function.object = Some(object);
        Ok(function)
    }

    fn assemble(code: LoadedObject, pointer: *mut (), entry: &str, args: Vec<ArgType>, ret: ReturnType, raise_table: RaiseTable) -> Self {
        // SAFETY: `_mlir_<entry>` is the packed wrapper numlirCompileObject generates.
        let invoke = unsafe { std::mem::transmute::<*mut (), PackedFn>(pointer) };
        let mut flat = Vec::new();
        ret.flatten(&mut flat);
        // C struct layout of {i32 status, results...}: i64/f64 align to 8, bools are 1 byte,
        // a memref descriptor is 3 + 2 * ndim words aligned to 8.
        let mut offset: usize = 4;
        let results = flat
            .into_iter()
            .map(|part| {
                let (align, size) = match part {
                    ResultPart::Scalar(s) => (s.align(), s.size()),
                    ResultPart::Array { ndim, .. } => (8, 8 * (3 + 2 * ndim)),
                    ResultPart::Block => (8, 8),
                };
                offset = offset.div_ceil(align) * align;
                let at = offset;
                offset += size;
                (part, at)
            })
            .collect();
        let argument_starts = args.iter().any(ArgType::has_wide_scalar).then(|| {
            let mut starts = Vec::new();
            args.iter().fold(0, |word, a| a.machine_starts(word, &mut starts));
            starts
        });
        Self {
            code: Arc::new(code),
            invoke,
            entry: entry.to_string(),
            args,
            ret,
            results,
            raise_table,
            argument_starts,
            object: None,
            llvm_times: Default::default(),
            notes: Vec::new(),
            cuda_shared_bytes: 0,
            cuda_meets: false,
        }
    }

    /// The loaded code, for what must keep it mapped.
    pub fn code(&self) -> Arc<LoadedObject> {
        self.code.clone()
    }

    /// Calls the machine code with `args` (one slot per argument) and writes the result
    /// struct into `out` (at least `result_words()` words). Returns the status.
    ///
    /// # Safety
    /// `args` must hold exactly `self.args.len()` slots of the matching types.
    #[inline]
    pub unsafe fn call(&self, args: &mut [Slot], out: &mut [Slot]) -> i32 {
        // Uninitialized on purpose: zeroing it would cost more than the call (hot path).
        let mut pointers = [std::mem::MaybeUninit::<*mut c_void>::uninit(); MAX_WORDS + 1];
        let n = match &self.argument_starts {
            None => {
                for (p, a) in pointers.iter_mut().zip(args.iter_mut()) {
                    p.write(a as *mut Slot as *mut c_void);
                }
                args.len().min(MAX_WORDS)
            }
            Some(starts) => {
                for (p, &start) in pointers.iter_mut().zip(starts) {
                    p.write(&mut args[start] as *mut Slot as *mut c_void);
                }
                starts.len()
            }
        };
        pointers[n].write(out.as_mut_ptr() as *mut c_void);
        unsafe { (self.invoke)(pointers.as_mut_ptr() as *mut *mut c_void) };
        // The status is the first i32 of the result struct (or the whole i32 result).
        unsafe { *(out.as_ptr() as *const i32) }
    }

    /// Words of result storage `call` needs.
    pub fn result_words(&self) -> usize {
        self.results.last().map_or(1, |(part, at)| match part {
            ResultPart::Array { ndim, .. } => at / 8 + 3 + 2 * ndim,
            ResultPart::Scalar(s) => (at + s.size()).div_ceil(8),
            ResultPart::Block => at / 8 + 1,
        })
    }

    /// Reads word `word` of result part `i` out of the buffer `call` filled (a scalar has
    /// one word; an array descriptor has 3 + 2 * ndim).
    pub fn read_result(&self, out: &[Slot], i: usize, word: usize) -> Slot {
        let (part, at) = self.results[i];
        let bytes = out.as_ptr() as *const u8;
        // SAFETY: offsets were computed for this struct and `out` is large enough.
        unsafe {
            match part {
                // A scalar narrower than a word: its bytes, zero-extended (the boxer
                // sign-extends signed ones).
                ResultPart::Scalar(s) if s.size() < 8 => {
                    let mut raw = [0u8; 8];
                    std::ptr::copy_nonoverlapping(bytes.add(at), raw.as_mut_ptr(), s.size());
                    Slot::from_le_bytes(raw)
                }
                _ => (bytes.add(at + 8 * word) as *const u64).read_unaligned(),
            }
        }
    }
}

/// A kernel's machine code is what the CUDA simulator runs per thread.
impl crate::runtime::cuda_sim::KernelCode for CompiledFunction {
    fn result_words(&self) -> usize {
        CompiledFunction::result_words(self)
    }

    fn threads_meet(&self) -> bool {
        self.cuda_meets
    }

    unsafe fn call(&self, args: &mut [Slot], out: &mut [Slot]) -> i32 {
        // SAFETY: the caller's contract is call's.
        unsafe { CompiledFunction::call(self, args, out) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_sizes_read_as_sysfs_writes_them() {
        assert_eq!(cache_size_bytes("32768K"), Some(32 << 20));
        assert_eq!(cache_size_bytes("1M"), Some(1 << 20));
        assert_eq!(cache_size_bytes("512"), Some(512));
        assert_eq!(cache_size_bytes(""), None);
        assert_eq!(cache_size_bytes("K"), None);
    }
}
