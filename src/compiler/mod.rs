//! The compile driver: frontend -> pipelines (`pipeline`: the named pass pipelines of each
//! stage) -> JIT, and the IR of any stage on request. One compiler (one MLIR context) per
//! process, used by one thread at a time.
pub mod cuda;
pub mod pipeline;

use pipeline::{pipeline_between, run_pipeline, Stage, PIPELINES};
use crate::{
    backend::cpu::{stream_min_bytes, CompiledFunction},
    dialect::{self, ffi},
    diagnostics::CompileError,
    frontend::{build_module, Environment},
    runtime::errors::RaiseTable,
    types::{ArgType, ReturnType},
};
use melior::{
    ir::{
        attribute::{ArrayAttribute, AttributeLike, IntegerAttribute, StringAttribute},
        operation::{OperationLike, OperationMutLike},
        Attribute, BlockLike, Module, RegionLike, Type,
    },
    Context,
};
use std::{
    ffi::c_void,
    sync::{Mutex, OnceLock},
    time::{Duration, Instant},
};

/// How to compile: the options of `@njit` that change the generated code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CompileOptions {
    /// LLVM fast-math flags for float arithmetic: "fast", or a comma list such as
    /// "nnan,ninf,contract"; empty for none.
    pub fastmath: String,
    pub boundscheck: bool,
    /// `parallel=True`: prange loops become parallel loops (py-parallel-loops).
    pub parallel: bool,
    /// `error_model="numpy"`: division by zero gives inf/nan (0 for integers), no exception.
    pub numpy_errors: bool,
    /// Keep the object file (for the on-disk cache).
    pub keep_object: bool,
    /// A `@cuda.jit` kernel (or the simulator's code of one): its cuda builtins lower to the
    /// simulator's runtime calls, and its raise sites name their source line.
    pub cuda_kernel: bool,
}

/// What to compile: a function (through its environment) for argument types.
pub struct Request<'a> {
    pub env: &'a dyn Environment,
    pub entry: &'a str,
    pub args: &'a [ArgType],
    pub ret: Option<ArgType>,
    pub options: &'a CompileOptions,
}

/// Owns the one MLIR context of the process.
pub struct Compiler {
    context: Context,
}

// SAFETY: the context is only used by one thread at a time (the Compiler lives behind a Mutex).
unsafe impl Send for Compiler {}

impl Default for Compiler {
    fn default() -> Self {
        Self::new()
    }
}

/// The process's compiler (one MLIR context), used by one thread at a time.
pub fn compiler() -> &'static Mutex<Compiler> {
    static COMPILER: OnceLock<Mutex<Compiler>> = OnceLock::new();
    COMPILER.get_or_init(|| Mutex::new(Compiler::new()))
}

/// The compiler, even after a panic in another compilation (the context stays usable:
/// a failed compile leaves no state behind but its own module).
pub fn lock_compiler() -> std::sync::MutexGuard<'static, Compiler> {
    compiler().lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Compiler {
    pub fn new() -> Self {
        Self { context: dialect::new_context() }
    }

    pub fn context(&self) -> &Context {
        &self.context
    }

    /// The untyped py module of a request (the frontend's output), with the compile options
    /// as module attributes for the passes.
    pub fn build(&self, request: &Request) -> Result<Module<'_>, CompileError> {
        // A compiled function passed in is typed by the key this compile gives it.
        let args: Vec<_> = request
            .args
            .iter()
            .map(|a| match a {
                ArgType::Function(id) => {
                    let key = request.env.function_key(*id)?;
                    Ok(Type::parse(&self.context, &format!("!py.funcref<\"{key}\">")).expect("a funcref type"))
                }
                _ => Ok(a.to_mlir(&self.context)),
            })
            .collect::<Result<_, CompileError>>()?;
        let ret = request.ret.map(|r| r.to_mlir(&self.context));
        // Calls of functions taught by numlir.extending.overload: a trial inference says which
        // overloads it needs for which argument types; their typing functions give the
        // implementations, and the module is built again with them (and again while the
        // implementations call overloads of their own).
        let mut resolutions: Vec<(usize, String, String)> = Vec::new();
        let mut module = self.build_with_overloads(request, &args, ret, &resolutions)?;
        let mut rounds = 0;
        while calls_overloads(&module) {
            // The trial types the module in place; an untyped one is built again after it.
            run_pipeline(&self.context, &mut module, "builtin.module(py-infer-types)", false)?;
            let pending = overloads_pending(&module);
            for (id, types) in &pending {
                let key = request.env.overload_impl(*id, types)?;
                resolutions.push((*id, types.clone(), key));
            }
            module = self.build_with_overloads(request, &args, ret, &resolutions)?;
            rounds += 1;
            if pending.is_empty() {
                break;
            }
            if rounds == 16 {
                return Err(CompileError::typing("@overload implementations keep calling overloads of new types"));
            }
        }
        let options = request.options;
        let mut op = module.as_operation_mut();
        if !options.fastmath.is_empty() {
            op.set_attribute("py.fastmath", StringAttribute::new(&self.context, &options.fastmath).into());
        }
        if options.numpy_errors {
            op.set_attribute("py.error_model", StringAttribute::new(&self.context, "numpy").into());
        }
        if options.boundscheck {
            op.set_attribute("py.boundscheck", Attribute::unit(&self.context));
        }
        if options.parallel {
            op.set_attribute("py.parallel", Attribute::unit(&self.context));
        }
        if options.cuda_kernel {
            op.set_attribute("py.cuda_kernel", Attribute::unit(&self.context));
        }
        Ok(module)
    }

    /// The untyped module with the implementations of overloads resolved so far: their
    /// templates, and `py.overload_resolutions` for py-infer-types.
    fn build_with_overloads<'c>(
        &'c self,
        request: &Request,
        args: &[Type<'c>],
        ret: Option<Type<'c>>,
        resolutions: &[(usize, String, String)],
    ) -> Result<Module<'c>, CompileError> {
        let keys: Vec<String> = resolutions.iter().map(|(_, _, key)| key.clone()).collect();
        let mut module = build_module(&self.context, request.env, request.entry, args, ret, &keys)?;
        if resolutions.is_empty() {
            return Ok(module);
        }
        let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
        let table: Vec<String> = resolutions
            .iter()
            .map(|(id, types, key)| format!("[{id} : i64, \"{}\", @\"{}\"]", quote(types), quote(key)))
            .collect();
        let attr = Attribute::parse(&self.context, &format!("[{}]", table.join(", ")))
            .ok_or_else(|| CompileError::compile("cannot write the overload resolutions"))?;
        module.as_operation_mut().set_attribute("py.overload_resolutions", attr);
        Ok(module)
    }

    /// Lowers a module `build` made and JIT-compiles it (no Python involved: callers may
    /// run this without the GIL). With NUMLIR_TIMING=1 in the environment, prints the time
    /// of each phase to stderr; `start` is when the frontend started.
    pub fn compile_module(&self, mut module: Module, args: &[ArgType], options: &CompileOptions, start: Instant) -> Result<CompiledFunction, CompileError> {
        let frontend = start.elapsed();
        let mut notes = run_pipeline(&self.context, &mut module, &pipeline_between(Stage::Py, Stage::Typed), false)?;
        let (entry, ret) = entry_signature(&module)?;
        if options.cuda_kernel && ret != ReturnType::None {
            return Err(CompileError::typing(format!("a kernel returns nothing, but this one returns a value of type {}", ret.name())));
        }
        let typed = start.elapsed();
        notes.extend(run_pipeline(&self.context, &mut module, &pipeline_between(Stage::Typed, Stage::Llvm), false)?);
        let lowered = start.elapsed();
        let table = raise_table(&module);
        let shared = module.as_operation().attribute("py.cuda_shared_bytes").ok().and_then(|a| IntegerAttribute::try_from(a).ok());
        let meets = module.as_operation().has_attribute("py.cuda_meets");
        let mut compiled = CompiledFunction::jit(&module, &entry, args.to_vec(), ret, table, options.keep_object)?;
        compiled.notes = notes;
        compiled.cuda_shared_bytes = shared.map_or(0, |a| a.value() as usize);
        compiled.cuda_meets = meets;
        if timing_enabled() {
            let ms = |d: Duration| d.as_secs_f64() * 1e3;
            let total = start.elapsed();
            let (optimize, codegen, link) = compiled.llvm_times;
            eprintln!(
                "numlir: compiled {entry} in {:.2} ms (frontend {:.2}, inference {:.2}, lowering {:.2}, \
                 LLVM IR and optimization {:.2}, code generation {:.2}, linking {:.2})",
                ms(total),
                ms(frontend),
                ms(typed - frontend),
                ms(lowered - typed),
                ms(optimize),
                ms(codegen),
                ms(link)
            );
        }
        Ok(compiled)
    }

    /// Prints the py stage, then every pass after it (to stderr, like mlir-opt), and returns
    /// the IR at `stage` (numlir-opt --print-ir-after-all).
    pub fn show_with_stages(&self, mut module: Module, stage: Stage) -> Result<String, CompileError> {
        eprintln!("// -----// IR after the frontend (py, untyped) //----- //\n{}", module.as_operation());
        self.lower_and_print(&mut module, Stage::Py, stage, true)
    }

    /// Runs `module` from stage `from` to `to` and prints the result.
    /// With NUMLIR_TIMING=1 (numlir-opt --timing), prints the time of each stage to stderr.
    pub fn lower_and_print(&self, module: &mut Module, from: Stage, to: Stage, print_after_all: bool) -> Result<String, CompileError> {
        let mlir_to = to.min(Stage::Llvm);
        let mut times = Vec::new();
        // Stage by stage, each stage's own passes, so that each can be timed.
        for (stage, passes) in PIPELINES.iter().filter(|(s, _)| *s > from && *s <= mlir_to) {
            let start = Instant::now();
            // Warnings and remarks (which loops run in parallel) go to stderr, as mlir-opt's.
            for note in run_pipeline(&self.context, module, &format!("builtin.module({passes})"), print_after_all)? {
                eprintln!("{}", note.plain());
            }
            times.push((format!("{stage:?}").to_lowercase(), start.elapsed()));
        }
        let start = Instant::now();
        let (text, last) = match to {
            Stage::LlvmIr => (export(module, false)?, "LLVM IR (translation and optimization)"),
            Stage::Asm => (export(module, true)?, "assembly (translation, optimization and code generation)"),
            _ => (module.as_operation().to_string(), "printing"),
        };
        times.push((last.to_string(), start.elapsed()));
        if timing_enabled() {
            let parts: Vec<String> = times.iter().map(|(name, d)| format!("to {name} {:.2} ms", d.as_secs_f64() * 1e3)).collect();
            eprintln!("numlir: {}", parts.join(", "));
        }
        Ok(text)
    }
}

/// Whether a module the frontend built calls functions taught by @overload.
fn calls_overloads(module: &Module) -> bool {
    let mut function = module.body().first_operation();
    while let Some(f) = function {
        if let Ok(region) = f.region(0) {
            let mut block = region.first_block();
            while let Some(b) = block {
                let mut op = b.first_operation();
                while let Some(o) = op {
                    if o.name().as_string_ref().as_str() == Ok("py.call_overload") {
                        return true;
                    }
                    op = o.next_in_block();
                }
                block = b.next_in_region();
            }
        }
        function = f.next_in_block();
    }
    false
}

/// The overloads (number, argument types) a trial inference needed and did not have.
fn overloads_pending(module: &Module) -> Vec<(usize, String)> {
    let Ok(attr) = module.as_operation().attribute("py.overloads_pending") else { return Vec::new() };
    let Ok(list) = ArrayAttribute::try_from(attr) else { return Vec::new() };
    (0..list.len())
        .filter_map(|i| StringAttribute::try_from(list.element(i).ok()?).ok())
        .filter_map(|s| {
            let (id, types) = s.value().split_once('|')?;
            Some((id.parse().ok()?, types.to_string()))
        })
        .collect()
}

/// NUMLIR_TIMING=1: print compile (and cache load) times to stderr.
pub fn timing_enabled() -> bool {
    std::env::var_os("NUMLIR_TIMING").is_some_and(|v| v != "0")
}

/// The entry function's name and return type, read after py-infer-types.
fn entry_signature(module: &Module) -> Result<(String, ReturnType), CompileError> {
    let op = module.as_operation();
    let entry = op
        .attribute("py.entry")
        .map_err(|_| CompileError::compile("module has no py.entry"))?
        .to_string()
        .trim_start_matches('@')
        .trim_matches('"')
        .to_string();
    let mut current = module.body().first_operation();
    while let Some(f) = current {
        let is_entry = f.attribute("sym_name").map(|n| n.to_string().trim_matches('"') == entry).unwrap_or(false);
        if is_entry {
            let ty = f.attribute("function_type").map_err(|_| CompileError::compile("entry has no type"))?.to_string();
            let result = ty.rsplit_once("->").map(|(_, r)| r.trim()).unwrap_or("");
            // Compiled code holds a Generator as its bit generator's address (boxing.rs's
            // generator_type), which is no Generator to give back.
            if result.contains("numpy.random:Generator") {
                return Err(CompileError::typing("a np.random.Generator passed in cannot be returned to Python; return what it draws"));
            }
            let ret = ReturnType::parse_mlir(result).ok_or_else(|| {
                CompileError::typing(format!("returning a value of type {result} to Python is not supported"))
            })?;
            return Ok((entry, ret));
        }
        current = f.next_in_block();
    }
    Err(CompileError::compile(format!("entry function {entry} not found")))
}

fn raise_table(module: &Module) -> RaiseTable {
    let mut sites = Vec::new();
    if let Ok(table) = module.as_operation().attribute("py.raise_table") {
        if let Ok(table) = ArrayAttribute::try_from(table) {
            for i in 0..table.len() {
                let site = table.element(i).ok().and_then(|s| ArrayAttribute::try_from(s).ok());
                let text = |j: usize| {
                    site.and_then(|s| s.element(j).ok())
                        .and_then(|a| StringAttribute::try_from(a).ok())
                        .map(string_value)
                        .unwrap_or_default()
                };
                sites.push((text(0), text(1)));
            }
        }
    }
    RaiseTable::new(sites)
}

/// The text of a string attribute (melior's accessor panics on empty strings).
fn string_value(attribute: StringAttribute) -> String {
    // SAFETY: reads the attribute's storage, which lives as long as the context.
    let raw = unsafe { mlir_sys::mlirStringAttrGetValue(attribute.to_raw()) };
    if raw.length == 0 {
        return String::new();
    }
    let bytes = unsafe { std::slice::from_raw_parts(raw.data as *const u8, raw.length) };
    String::from_utf8_lossy(bytes).into_owned()
}

fn export(module: &Module, assembly: bool) -> Result<String, CompileError> {
    let mut out = String::new();
    let user = &mut out as *mut String as *mut c_void;
    // SAFETY: FFI into our C++ exporter; the callback appends to `out` while it runs.
    let ok = unsafe {
        if assembly {
            ffi::numlirExportAssembly(module.to_raw(), 3, stream_min_bytes(), Some(dialect::append_to_string), user)
        } else {
            ffi::numlirExportLLVMIR(module.to_raw(), 3, stream_min_bytes(), Some(dialect::append_to_string), user)
        }
    };
    if ok { Ok(out) } else { Err(CompileError::compile("translation to LLVM IR failed")) }
}
