//! The CPU backend: an llvm-dialect module JIT-compiled by MLIR's ExecutionEngine at O3
//! for the host CPU, called through the engine's packed wrapper `_mlir_<name>(void **)`.
use crate::{
    diagnostics::CompileError,
    runtime::errors::RaiseTable,
    types::{ArgType, ResultPart, ReturnType, ScalarType},
};
use super::object::LoadedObject;
use melior::{ir::Module, ExecutionEngine};
use std::{
    ffi::c_void,
    time::{Duration, Instant},
};

/// Most arguments a compiled function takes, and most argument words (an array takes
/// 3 + 2 * ndim): the call path uses fixed-size stack arrays.
pub const MAX_ARGS: usize = 16;
pub const MAX_WORDS: usize = 64;

type PackedFn = unsafe extern "C" fn(*mut *mut c_void);

/// Machine code for one signature of one Python function.
pub struct CompiledFunction {
    _code: MachineCode,
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
    /// Time spent translating to LLVM IR and optimizing it, and generating machine code
    /// (zero for code loaded from the cache).
    pub llvm_times: (Duration, Duration),
}

/// What owns the machine code: the JIT that compiled it, or the object loaded from cache.
/// Held only to keep the code mapped while the function lives.
#[allow(dead_code)]
enum MachineCode {
    Jit(ExecutionEngine),
    Cached(LoadedObject),
}

/// LLVM's optimization level: 3, or NUMLIR_OPT_LEVEL (0-3) for experiments.
fn opt_level() -> usize {
    std::env::var("NUMLIR_OPT_LEVEL").ok().and_then(|v| v.parse().ok()).filter(|l| *l <= 3).unwrap_or(3)
}

/// (name, address) of every runtime function compiled code may call.
fn runtime_symbols() -> Vec<(&'static str, *mut ())> {
    let arrays = [
        ("memrefCopy", crate::runtime::arrays::memref_copy as *mut ()),
        ("malloc", crate::runtime::arrays::numlir_malloc as *mut ()),
        ("numlir_raise_detail", crate::runtime::errors::numlir_raise_detail as *mut ()),
    ];
    crate::runtime::math::symbols().into_iter().chain(arrays).collect()
}

fn check_arity(args: &[ArgType]) -> Result<(), CompileError> {
    if args.len() > MAX_ARGS || args.iter().map(ArgType::words).sum::<usize>() > MAX_WORDS {
        return Err(CompileError::unsupported(format!(
            "functions of more than {MAX_ARGS} arguments or {MAX_WORDS} words of array descriptors"
        )));
    }
    Ok(())
}

/// The object file the engine compiled (it writes it only to a path).
fn dump_object(engine: &ExecutionEngine) -> Result<Vec<u8>, CompileError> {
    let io = |e: std::io::Error| CompileError::compile(format!("could not keep the object file for the cache: {e}"));
    let file = tempfile::NamedTempFile::new().map_err(io)?;
    let path = file.path().to_str().ok_or_else(|| CompileError::compile("temporary path is not UTF-8"))?;
    engine.dump_to_object_file(path);
    std::fs::read(file.path()).map_err(io)
}

// SAFETY: the engine is immutable after creation and owns its code; calling the compiled
// function from several threads is as safe as calling any reentrant C function.
unsafe impl Send for CompiledFunction {}
unsafe impl Sync for CompiledFunction {}

/// A raw scalar argument or result slot: i64, f64 bits, or a bool in the low byte.
pub type Slot = u64;

impl CompiledFunction {
    /// JIT-compiles an llvm-dialect module. With `keep_object`, the object file is kept in
    /// `object` for the on-disk cache.
    pub fn jit(
        module: &Module,
        entry: &str,
        args: Vec<ArgType>,
        ret: ReturnType,
        raise_table: RaiseTable,
        keep_object: bool,
    ) -> Result<Self, CompileError> {
        check_arity(&args)?;
        // The engine translates to LLVM IR and optimizes it when created; code generation
        // and linking happen at the first lookup.
        let start = Instant::now();
        let engine = ExecutionEngine::new(module, opt_level(), &[], keep_object, false);
        let optimized = start.elapsed();
        for (name, address) in runtime_symbols() {
            // SAFETY: the address of an extern "C" function that lives as long as the process.
            unsafe { engine.register_symbol(name, address) };
        }
        let pointer = engine.lookup(&format!("_mlir_{entry}"));
        if pointer.is_null() {
            return Err(CompileError::compile(format!("the JIT did not produce '{entry}'")));
        }
        let generated = start.elapsed() - optimized;
        // A failure to keep the object only loses the cache entry (the caller warns).
        let object = if keep_object { dump_object(&engine).ok() } else { None };
        let mut function = Self::assemble(MachineCode::Jit(engine), pointer, entry, args, ret, raise_table);
        function.object = object;
        function.llvm_times = (optimized, generated);
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
        let code = LoadedObject::load(&object, &runtime_symbols())?;
        let pointer = code.lookup(&format!("_mlir_{entry}"))?;
        let mut function = Self::assemble(MachineCode::Cached(code), pointer, entry, args, ret, raise_table);
        function.object = Some(object);
        Ok(function)
    }

    fn assemble(code: MachineCode, pointer: *mut (), entry: &str, args: Vec<ArgType>, ret: ReturnType, raise_table: RaiseTable) -> Self {
        // SAFETY: `_mlir_<entry>` is the packed wrapper the ExecutionEngine generates.
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
                    ResultPart::Scalar(ScalarType::Bool) => (1, 1),
                    ResultPart::Scalar(ScalarType::Complex128) => (8, 16),
                    ResultPart::Scalar(_) => (8, 8),
                    ResultPart::Array { ndim, .. } => (8, 8 * (3 + 2 * ndim)),
                };
                offset = offset.div_ceil(align) * align;
                let at = offset;
                offset += size;
                (part, at)
            })
            .collect();
        let argument_starts = args.contains(&ArgType::Scalar(ScalarType::Complex128)).then(|| {
            let mut starts = Vec::new();
            let mut word = 0;
            for a in &args {
                match a {
                    ArgType::Scalar(_) => starts.push(word),
                    ArgType::Array { .. } => starts.extend(word..word + a.words()),
                }
                word += a.words();
            }
            starts
        });
        Self {
            _code: code,
            invoke,
            entry: entry.to_string(),
            args,
            ret,
            results,
            raise_table,
            argument_starts,
            object: None,
            llvm_times: Default::default(),
        }
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
            ResultPart::Scalar(s) => at / 8 + s.words(),
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
                ResultPart::Scalar(ScalarType::Bool) => *bytes.add(at) as Slot,
                _ => (bytes.add(at + 8 * word) as *const u64).read_unaligned(),
            }
        }
    }
}
