//! Bytecode -> untyped py IR, one basic block at a time.
//!
//! The CPython value stack is simulated at compile time. A slot holds either an SSA value
//! or a compile-time-only thing (the NULL of a call, a module, a builtin function, an
//! exception class, a constant string). At block boundaries the live locals and the stack
//! become block arguments; compile-time things travel along unchanged and must agree on
//! every incoming edge.
use super::bytecode::{decode, ends_flow, Instruction, Span};
use super::cfg::{self, Cfg};
use super::environment::{Constant, Environment, FunctionSource, GlobalValue};
use crate::compiler::CompileOptions;
use crate::types::NamedClass;
use crate::diagnostics::{CompileError, SourceSpan};
use crate::dialect::py;
use melior::{
    dialect::{cf, func},
    ir::{
        attribute::{
            ArrayAttribute, FlatSymbolRefAttribute, FloatAttribute, IntegerAttribute,
            StringAttribute, TypeAttribute,
        },
        r#type::{FunctionType, IntegerType},
        operation::OperationMutLike, Attribute, Block, BlockLike, BlockRef, Identifier, Location, Module, Operation, Region,
        RegionLike, Type, Value,
    },
    Context,
};
use std::collections::HashSet;

/// A compile-time-only stack or local value.
#[derive(Debug, Clone, PartialEq)]
enum Sym {
    Null,
    None,
    Str(String),
    Module(String),
    Builtin(String),
    Function(String),
    ExceptionClass(String),
    Exception { class: String, message: String },
    /// A NumPy dtype (`np.float32`), by name.
    Dtype(String),
    /// A method looked up on a value (`a.sum`): the value follows it on the stack.
    Method(String),
    /// A namedtuple class, and its fields' defaults.
    NamedTupleClass { class: NamedClass, defaults: Vec<Option<Constant>> },
    Unsupported { what: String, name: String },
}

/// py.cmp's predicates in the order of CPython's COMPARE_OP argument (and operator.lt & co.).
const COMPARISONS: [&str; 6] = ["lt", "le", "eq", "ne", "gt", "ge"];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot<'c, 'a> {
    Val(Value<'c, 'a>),
    Sym(usize), // index into the translator's symbol table
    Undef,
}

#[derive(Debug, Clone, PartialEq)]
enum Layout {
    Arg,
    Sym(usize),
}

/// Builds the untyped module: the entry function and, transitively, every numlir function
/// it calls, each as a `py.template`; the module attributes tell py-infer-types the entry.
pub fn build_module<'c>(
    context: &'c Context,
    env: &dyn Environment,
    entry: &str,
    arg_types: &[Type<'c>],
    return_type: Option<Type<'c>>,
    options: &CompileOptions,
) -> Result<Module<'c>, CompileError> {
    let source = env.source(entry)?;
    let mut module = Module::new(Location::new(context, &source.filename, source.def_span.line as usize, 1));
    let mut done = HashSet::new();
    let mut pending = vec![entry.to_string()];
    while let Some(key) = pending.pop() {
        if !done.insert(key.clone()) {
            continue;
        }
        let source = if key == entry { source.clone() } else { env.source(&key)? };
        let mut callees = Vec::new();
        let function = translate_function(context, env, &source, &mut callees)?;
        module.body().append_operation(function);
        pending.extend(callees);
    }
    let mut op = module.as_operation_mut();
    op.set_attribute("py.entry", FlatSymbolRefAttribute::new(context, entry).into());
    let types: Vec<Attribute> = arg_types.iter().map(|t| TypeAttribute::new(*t).into()).collect();
    op.set_attribute("py.entry_types", ArrayAttribute::new(context, &types).into());
    if let Some(ret) = return_type {
        op.set_attribute("py.return_type", TypeAttribute::new(ret).into());
    }
    if !options.fastmath.is_empty() {
        op.set_attribute("py.fastmath", StringAttribute::new(context, &options.fastmath).into());
    }
    if options.numpy_errors {
        op.set_attribute("py.error_model", StringAttribute::new(context, "numpy").into());
    }
    if options.boundscheck {
        op.set_attribute("py.boundscheck", Attribute::unit(context));
    }
    Ok(module)
}

fn translate_function<'c>(
    context: &'c Context,
    env: &dyn Environment,
    source: &FunctionSource,
    callees: &mut Vec<String>,
) -> Result<Operation<'c>, CompileError> {
    let def_error = |e: CompileError| e.at(span_of(source, source.def_span));
    let instructions = decode(&source.code, &source.positions, source.version)
        .map_err(|e| def_error(CompileError::compile(format!("cannot decode bytecode: {e}"))))?;
    check_code_flags(source, &instructions)?;
    let cfg = cfg::build(&instructions, source.varnames.len());
    let object = crate::dialect::object_type(context);
    let location = Location::new(context, &source.filename, source.def_span.line as usize, 1);

    let region = Region::new();
    {
        let args: Vec<_> = (0..source.arg_count).map(|_| (object, location)).collect();
        let entry = region.append_block(Block::new(&args));
        let blocks: Vec<BlockRef> =
            cfg.blocks.iter().map(|_| region.append_block(Block::new(&[]))).collect();
        let mut t = Translator {
            context,
            env,
            source,
            instructions: &instructions,
            cfg: &cfg,
            blocks,
            layouts: vec![None; cfg.blocks.len()],
            symbols: Vec::new(),
            object,
            callees,
        };
        let mut locals = vec![Slot::Undef; source.varnames.len()];
        for (i, local) in locals.iter_mut().enumerate().take(source.arg_count) {
            *local = Slot::Val(entry.argument(i).unwrap().into());
        }
        let operands = t.edge(&entry, 0, &locals, &[], location)?;
        entry.append_operation(cf::br(&t.blocks[0], &operands, location));
        t.translate_all()?;
        // Blocks never reached (dead code after return) stay empty: give them a terminator.
        for (b, block) in t.blocks.iter().enumerate() {
            if t.layouts[b].is_none() {
                block.append_operation(
                    py::RaiseOperation::builder(context, location)
                        .exception(StringAttribute::new(context, "SystemError"))
                        .message(StringAttribute::new(context, "unreachable"))
                        .build()
                        .into(),
                );
            }
        }
    }
    let function_type = FunctionType::new(context, &vec![object; source.arg_count], &[object]);
    Ok(func::func(
        context,
        StringAttribute::new(context, &source.key),
        TypeAttribute::new(function_type.into()),
        region,
        &[(Identifier::new(context, "py.template"), Attribute::unit(context))],
        location,
    ))
}

/// Rejects whole-function constructs, pointing at the first instruction that shows them.
fn check_code_flags(source: &FunctionSource, instructions: &[Instruction]) -> Result<(), CompileError> {
    const VARARGS: u32 = 0x04;
    const VARKEYWORDS: u32 = 0x08;
    const GENERATOR: u32 = 0x20;
    const COROUTINE: u32 = 0x80 | 0x100 | 0x200;
    let first = |names: &[&str]| {
        instructions.iter().find(|i| names.contains(&i.name) && i.span.line > 0).map(|i| i.span)
    };
    let (what, span) = if source.flags & GENERATOR != 0 {
        ("generators (`yield`)", first(&["YIELD_VALUE"]))
    } else if source.flags & COROUTINE != 0 {
        ("async functions", first(&["GET_AWAITABLE", "YIELD_VALUE"]))
    } else if source.flags & (VARARGS | VARKEYWORDS) != 0 {
        ("*args, **kwargs and keyword-only parameters", None)
    } else if let Some(start) = source.exception_table_start {
        // The `try:` line is a NOP just before the first covered instruction; failing that,
        // the first covered instruction with a position.
        let index = instructions.iter().position(|i| i.offset >= start).unwrap_or(0);
        let try_line = index.checked_sub(1).map(|i| &instructions[i]).filter(|i| i.name == "NOP");
        let covered = try_line
            .into_iter()
            .chain(&instructions[index..])
            .find(|i| i.span.line > 0)
            .map(|i| i.span);
        ("try/except/finally and with-statements", first(&["BEFORE_WITH"]).or(covered))
    } else {
        return Ok(());
    };
    Err(CompileError::unsupported(format!("{what} are not supported in compiled functions"))
        .hint("numlir compiles numeric code: numbers, arithmetic, loops, branches and calls")
        .at(span_of(source, span.unwrap_or(source.def_span))))
}

fn span_of(source: &FunctionSource, span: Span) -> SourceSpan {
    SourceSpan {
        file: source.filename.clone(),
        line: span.line,
        col: span.col,
        end_line: span.end_line,
        end_col: span.end_col,
    }
}

struct Translator<'c, 'a, 'e> {
    context: &'c Context,
    env: &'e dyn Environment,
    source: &'e FunctionSource,
    instructions: &'e [Instruction],
    cfg: &'e Cfg,
    blocks: Vec<BlockRef<'c, 'a>>,
    layouts: Vec<Option<Vec<Layout>>>,
    symbols: Vec<Sym>,
    object: Type<'c>,
    callees: &'e mut Vec<String>,
}

impl<'c, 'a, 'e> Translator<'c, 'a, 'e> {
    fn sym(&mut self, s: Sym) -> Slot<'c, 'a> {
        let index = self.symbols.iter().position(|x| *x == s).unwrap_or_else(|| {
            self.symbols.push(s);
            self.symbols.len() - 1
        });
        Slot::Sym(index)
    }

    fn loc(&self, span: Span) -> Location<'c> {
        if span.line == 0 {
            return Location::new(self.context, &self.source.filename, self.source.def_span.line as usize, 1);
        }
        Location::file_line_col_range(
            self.context,
            &self.source.filename,
            span.line as usize,
            span.col as usize + 1,
            span.end_line as usize,
            span.end_col as usize + 1,
        )
    }

    /// The operands for a branch from `from` to block `target`, creating the target's block
    /// arguments on the first edge into it.
    fn edge(
        &mut self,
        from: &BlockRef<'c, 'a>,
        target: usize,
        locals: &[Slot<'c, 'a>],
        stack: &[Slot<'c, 'a>],
        location: Location<'c>,
    ) -> Result<Vec<Value<'c, 'a>>, CompileError> {
        let live = &self.cfg.live_in[target];
        let slots: Vec<Slot> = live.iter().map(|&l| locals[l]).chain(stack.iter().copied()).collect();
        if self.layouts[target].is_none() {
            let layout: Vec<Layout> = slots
                .iter()
                .map(|s| match s {
                    Slot::Sym(i) if self.symbols[*i] != Sym::None => Layout::Sym(*i),
                    _ => Layout::Arg,
                })
                .collect();
            for (i, l) in layout.iter().enumerate() {
                if *l == Layout::Arg {
                    // A local's argument is named after it, so type errors can say which variable.
                    let arg_location = match live.get(i) {
                        Some(&local) => Location::name(self.context, &self.source.varnames[local], location),
                        None => location,
                    };
                    self.blocks[target].add_argument(self.object, arg_location);
                }
            }
            self.layouts[target] = Some(layout);
        }
        let layout = self.layouts[target].clone().unwrap();
        if layout.len() != slots.len() {
            return Err(CompileError::compile("inconsistent stack depth where control flow meets"));
        }
        let mut operands = Vec::new();
        for (slot, l) in slots.iter().zip(&layout) {
            match (slot, l) {
                (Slot::Val(v), Layout::Arg) => operands.push(*v),
                (Slot::Undef, Layout::Arg) => operands.push(append(
                    from,
                    py::UndefOperation::builder(self.context, location).result(self.object).build().into(),
                )),
                (Slot::Sym(i), Layout::Arg) if self.symbols[*i] == Sym::None => operands.push(append(
                    from,
                    py::NoneOperation::builder(self.context, location).result(self.object).build().into(),
                )),
                (Slot::Sym(i), Layout::Sym(j)) if i == j => {}
                _ => {
                    return Err(CompileError::unsupported(
                        "a variable holds a function, module or string on one path and something else on another",
                    ))
                }
            }
        }
        Ok(operands)
    }

    fn translate_all(&mut self) -> Result<(), CompileError> {
        let mut queue = vec![0usize];
        let mut visited = vec![false; self.cfg.blocks.len()];
        visited[0] = true;
        while let Some(b) = queue.pop() {
            let successors = self.translate_block(b)?;
            // Visit in order so that a loop header is translated before its back edge.
            for s in successors.into_iter().rev() {
                if !visited[s] {
                    visited[s] = true;
                    queue.push(s);
                }
            }
        }
        Ok(())
    }

    fn error_at(&self, ins: &Instruction, e: CompileError) -> CompileError {
        let span = if ins.span.line > 0 { ins.span } else { self.source.def_span };
        e.at(span_of(self.source, span))
    }

    fn translate_block(&mut self, b: usize) -> Result<Vec<usize>, CompileError> {
        let block = self.blocks[b];
        let layout = self.layouts[b].clone().expect("a block is translated after an edge into it");
        let live = self.cfg.live_in[b].clone();
        let mut locals = vec![Slot::Undef; self.source.varnames.len()];
        let mut stack = Vec::new();
        let mut arg = 0;
        for (i, l) in layout.iter().enumerate() {
            let slot = match l {
                Layout::Arg => {
                    arg += 1;
                    Slot::Val(block.argument(arg - 1).unwrap().into())
                }
                Layout::Sym(s) => Slot::Sym(*s),
            };
            if i < live.len() {
                locals[live[i]] = slot;
            } else {
                stack.push(slot);
            }
        }
        let range = self.cfg.blocks[b].start..self.cfg.blocks[b].end;
        let mut state = BlockState { block, locals, stack, kw_names: Vec::new() };
        for index in range.clone() {
            let ins = &self.instructions[index];
            self.translate_instruction(&mut state, ins, b)
                .map_err(|e| if e.span.is_none() { self.error_at(ins, e) } else { e })?;
        }
        let last = &self.instructions[range.end - 1];
        if last.jump.is_none() && !ends_flow(last.name) {
            // Falls through into the next block.
            let location = self.loc(last.span);
            let operands = self.edge(&block, b + 1, &state.locals, &state.stack, location)?;
            block.append_operation(cf::br(&self.blocks[b + 1], &operands, location));
        }
        Ok(self.cfg.blocks[b].successors.clone())
    }

    fn pop(&self, state: &mut BlockState<'c, 'a>) -> Result<Slot<'c, 'a>, CompileError> {
        state.stack.pop().ok_or_else(|| CompileError::compile("value stack underflow"))
    }

    /// The SSA value of a slot, or an error naming what it is instead.
    fn value(&self, slot: Slot<'c, 'a>, state: &BlockState<'c, 'a>, location: Location<'c>) -> Result<Value<'c, 'a>, CompileError> {
        match slot {
            Slot::Val(v) => Ok(v),
            Slot::Undef => Err(CompileError::compile("use of an unassigned variable")),
            Slot::Sym(i) => match &self.symbols[i] {
                Sym::None => Ok(append(
                    &state.block,
                    py::NoneOperation::builder(self.context, location).result(self.object).build().into(),
                )),
                Sym::Str(_) => Err(CompileError::unsupported("strings are not supported in compiled code")
                    .hint("strings may only appear as the message of a raised exception")),
                Sym::Module(m) => Err(CompileError::unsupported(format!("module '{m}' used as a value")).hint(
                    format!("use its functions and constants, e.g. {m}.sqrt(x)"),
                )),
                Sym::Dtype(d) => Err(CompileError::unsupported(format!("the dtype '{d}' used as a value"))
                    .hint("dtypes may be passed to NumPy functions (dtype=np.float32) or called (np.float32(x))")),
                Sym::Method(m) => Err(CompileError::unsupported(format!("method '{m}' used as a value; methods can only be called"))),
                Sym::Builtin(f) | Sym::Function(f) => Err(CompileError::unsupported(format!(
                    "function '{f}' used as a value; functions can only be called"
                ))),
                Sym::NamedTupleClass { class, .. } => Err(CompileError::unsupported(format!(
                    "the namedtuple class '{}' used as a value; it can only be called",
                    class.short_name()
                ))),
                Sym::ExceptionClass(c) | Sym::Exception { class: c, .. } => Err(CompileError::unsupported(
                    format!("exception '{c}' used as a value; exceptions can only be raised"),
                )),
                Sym::Unsupported { what, name } => Err(CompileError::unsupported(format!(
                    "'{name}' is {what}, which compiled code cannot use"
                ))
                .hint("compiled code can use int, float and bool globals, math, builtins and @njit functions")),
                Sym::Null => Err(CompileError::compile("NULL on the value stack")),
            },
        }
    }

    fn constant(&mut self, state: &BlockState<'c, 'a>, c: &Constant, location: Location<'c>) -> Result<Slot<'c, 'a>, CompileError> {
        let ctx = self.context;
        let attr: Attribute = match c {
            Constant::Int(i) => IntegerAttribute::new(IntegerType::new(ctx, 64).into(), *i).into(),
            Constant::Bool(b) => IntegerAttribute::new(IntegerType::new(ctx, 1).into(), *b as i64).into(),
            Constant::Float(f) => FloatAttribute::new(ctx, Type::float64(ctx), *f).into(),
            Constant::Complex(re, im) => {
                // complex(re, im): py-to-std folds it into one complex constant.
                let parts = [
                    self.constant(state, &Constant::Float(*re), location)?,
                    self.constant(state, &Constant::Float(*im), location)?,
                ];
                return self.call_builtin(state, "complex", &parts, &[], location);
            }
            Constant::None => return Ok(self.sym(Sym::None)),
            Constant::Str(s) => return Ok(self.sym(Sym::Str(s.clone()))),
            Constant::Tuple(items) => {
                let mut values = Vec::new();
                for item in items {
                    let slot = self.constant(state, item, location)?;
                    values.push(self.value(slot, state, location)?);
                }
                return Ok(Slot::Val(append(
                    &state.block,
                    py::MakeTupleOperation::builder(ctx, location)
                        .elements(&values)
                        .result(self.object)
                        .build()
                        .into(),
                )));
            }
            Constant::Other(what) if what == "code" => {
                return Err(CompileError::unsupported(
                    "comprehensions, lambdas and nested functions are not supported in compiled functions",
                )
                .hint("write the loop out with for/while"))
            }
            Constant::Other(what) => {
                return Err(CompileError::unsupported(format!("constants of type '{what}' are not supported"))
                    .hint("integers must fit in int64"))
            }
        };
        Ok(Slot::Val(append(
            &state.block,
            py::ConstantOperation::builder(ctx, location).value(attr).result(self.object).build().into(),
        )))
    }

    fn global(&mut self, state: &BlockState<'c, 'a>, g: GlobalValue, name: &str, location: Location<'c>) -> Result<Slot<'c, 'a>, CompileError> {
        Ok(match g {
            GlobalValue::Int(i) => self.constant(state, &Constant::Int(i), location)?,
            GlobalValue::Float(f) => self.constant(state, &Constant::Float(f), location)?,
            GlobalValue::Bool(b) => self.constant(state, &Constant::Bool(b), location)?,
            GlobalValue::Constant(c) => self.constant(state, &c, location)?,
            GlobalValue::Module(m) => self.sym(Sym::Module(m)),
            GlobalValue::Builtin(f) => self.sym(Sym::Builtin(f)),
            GlobalValue::Dtype(d) => self.sym(Sym::Dtype(d)),
            GlobalValue::Function(k) => self.sym(Sym::Function(k)),
            GlobalValue::ExceptionClass(c) => self.sym(Sym::ExceptionClass(c)),
            GlobalValue::NamedTupleClass { class, defaults } => self.sym(Sym::NamedTupleClass { class, defaults }),
            GlobalValue::Unsupported(what) => self.sym(Sym::Unsupported { what, name: name.to_string() }),
            GlobalValue::Missing => {
                return Err(CompileError::typing(format!("name '{name}' is not defined")))
            }
        })
    }

    fn op(&self, state: &BlockState<'c, 'a>, op: Operation<'c>) -> Slot<'c, 'a> {
        Slot::Val(append(&state.block, op))
    }

    fn binop(&self, state: &mut BlockState<'c, 'a>, kind: &str, inplace: bool, location: Location<'c>) -> Result<(), CompileError> {
        let rhs = self.pop(state)?;
        let lhs = self.pop(state)?;
        let (l, r) = (self.value(lhs, state, location)?, self.value(rhs, state, location)?);
        let mut op = py::BinOperation::builder(self.context, location)
            .kind(StringAttribute::new(self.context, kind))
            .lhs(l)
            .rhs(r)
            .result(self.object)
            .build();
        if inplace {
            op.set_inplace(Attribute::unit(self.context));
        }
        let v = self.op(state, op.into());
        state.stack.push(v);
        Ok(())
    }

    /// Pops two values and pushes their comparison by `predicate` (lt, le, eq, ne, gt, ge).
    fn compare(&self, state: &mut BlockState<'c, 'a>, predicate: &str, location: Location<'c>) -> Result<(), CompileError> {
        let rhs = self.pop(state)?;
        let lhs = self.pop(state)?;
        let (l, r) = (self.value(lhs, state, location)?, self.value(rhs, state, location)?);
        let op = py::CmpOperation::builder(self.context, location)
            .predicate(StringAttribute::new(self.context, predicate))
            .lhs(l)
            .rhs(r)
            .result(self.object)
            .build();
        let v = self.op(state, op.into());
        state.stack.push(v);
        Ok(())
    }

    fn unop(&self, state: &mut BlockState<'c, 'a>, kind: &str, location: Location<'c>) -> Result<(), CompileError> {
        let x = self.pop(state)?;
        let x = self.value(x, state, location)?;
        let op = py::UnOperation::builder(self.context, location)
            .kind(StringAttribute::new(self.context, kind))
            .operand(x)
            .result(self.object)
            .build();
        let v = self.op(state, op.into());
        state.stack.push(v);
        Ok(())
    }

    fn truth(&self, state: &BlockState<'c, 'a>, v: Value<'c, 'a>, location: Location<'c>) -> Value<'c, 'a> {
        append(
            &state.block,
            py::TruthOperation::builder(self.context, location)
                .operand(v)
                .result(IntegerType::new(self.context, 1).into())
                .build()
                .into(),
        )
    }

    fn cond_br(
        &mut self,
        state: &BlockState<'c, 'a>,
        cond: Value<'c, 'a>,
        (t, t_stack): (usize, &[Slot<'c, 'a>]),
        (f, f_stack): (usize, &[Slot<'c, 'a>]),
        location: Location<'c>,
    ) -> Result<(), CompileError> {
        let t_ops = self.edge(&state.block, t, &state.locals, t_stack, location)?;
        let f_ops = self.edge(&state.block, f, &state.locals, f_stack, location)?;
        state.block.append_operation(cf::cond_br(
            self.context,
            cond,
            &self.blocks[t],
            &self.blocks[f],
            &t_ops,
            &f_ops,
            location,
        ));
        Ok(())
    }

    fn target(&self, ins: &Instruction) -> usize {
        self.cfg.block_at_offset(self.instructions, ins.jump.unwrap()).expect("jump target starts a block")
    }

    fn call(&mut self, state: &mut BlockState<'c, 'a>, argc: usize, location: Location<'c>) -> Result<(), CompileError> {
        let kw_names = std::mem::take(&mut state.kw_names);
        let mut args = Vec::new();
        for _ in 0..argc {
            args.push(self.pop(state)?);
        }
        args.reverse();
        // 3.11 keeps [NULL, callable, args...] or [callable, self, args...] (a bound method:
        // `self` is the first argument). `assert c, "msg"` builds AssertionError that way.
        let second = self.pop(state)?;
        let first = self.pop(state)?;
        let callable = match first {
            Slot::Sym(i) if self.symbols[i] == Sym::Null => second,
            method => {
                args.insert(0, second);
                method
            }
        };
        let Slot::Sym(callable) = callable else {
            return Err(CompileError::unsupported("calling a value that is not a known function")
                .hint("call @njit functions, builtins or math functions by name"));
        };
        let callable = self.symbols[callable].clone();
        let builtin_like = matches!(&callable, Sym::Builtin(n) if n.starts_with("np.") || n.ends_with("isclose"))
            || matches!(callable, Sym::Method(_) | Sym::Function(_) | Sym::NamedTupleClass { .. });
        if !kw_names.is_empty() && !builtin_like {
            return Err(CompileError::unsupported("keyword arguments are only supported in calls of compiled functions, NumPy functions, array methods and isclose")
                .hint("pass the arguments by position"));
        }
        let result = match callable {
            Sym::ExceptionClass(class) => {
                let message = match args.as_slice() {
                    [] => String::new(),
                    [Slot::Sym(i)] => match &self.symbols[*i] {
                        Sym::Str(s) => s.clone(),
                        _ => return Err(CompileError::unsupported("exception arguments must be constant strings")),
                    },
                    _ => {
                        return Err(CompileError::unsupported(
                            "exception arguments must be one constant string",
                        )
                        .hint("write raise ValueError(\"message\")"))
                    }
                };
                self.sym(Sym::Exception { class, message })
            }
            Sym::Builtin(name) if name == "range" => {
                let mut values = Vec::new();
                for a in &args {
                    values.push(self.value(*a, state, location)?);
                }
                let (start, stop, step) = match values.len() {
                    1 => (self.int_constant(state, 0, location), values[0], self.int_constant(state, 1, location)),
                    2 => (values[0], values[1], self.int_constant(state, 1, location)),
                    3 => (values[0], values[1], values[2]),
                    n => return Err(CompileError::typing(format!("range expected 1 to 3 arguments, got {n}"))),
                };
                let op = py::RangeOperation::builder(self.context, location)
                    .start(start)
                    .stop(stop)
                    .step(step)
                    .result(self.object)
                    .build();
                self.op(state, op.into())
            }
            Sym::Dtype(dtype) if dtype == "bool" && args.len() == 1 => {
                // np.bool_(x) is x's truth value
                let v = self.value(args[0], state, location)?;
                Slot::Val(self.truth(state, v, location))
            }
            Sym::Dtype(dtype) => {
                // np.float32(x) converts as float(x) does, then to float32 (the dtype
                // attribute); int and complex kinds likewise.
                let kind = if dtype.starts_with("float") {
                    "float"
                } else if dtype.starts_with("complex") {
                    "complex"
                } else {
                    "int"
                };
                let values = args.iter().map(|a| self.value(*a, state, location)).collect::<Result<Vec<_>, _>>()?;
                let op = py::CallBuiltinOperation::builder(self.context, location)
                    .callee(StringAttribute::new(self.context, kind))
                    .args(&values)
                    .dtype(StringAttribute::new(self.context, &dtype))
                    .result(self.object)
                    .build();
                self.op(state, op.into())
            }
            // bool(x) is x's truth value, as in `if x:` (a tuple's is whether it has elements).
            Sym::Builtin(name) if name == "bool" && args.len() == 1 => {
                let v = self.value(args[0], state, location)?;
                Slot::Val(self.truth(state, v, location))
            }
            Sym::Builtin(name) if name.starts_with("operator.") => self.call_operator(state, &name, &args, location)?,
            Sym::Builtin(name) => self.call_builtin(state, &name, &args, &kw_names, location)?,
            Sym::Method(name) => self.call_builtin(state, &format!("ndarray.{name}"), &args, &kw_names, location)?,
            Sym::NamedTupleClass { class, defaults } => {
                self.construct_named_tuple(state, &class, &defaults, &args, &kw_names, location)?
            }
            Sym::Function(key) => {
                // Keyword arguments take the callee's parameter positions.
                let args = if kw_names.is_empty() { args } else { self.by_position(&key, args, &kw_names)? };
                let mut values = Vec::new();
                for a in &args {
                    values.push(self.value(*a, state, location)?);
                }
                if !self.callees.contains(&key) {
                    self.callees.push(key.clone());
                }
                let op = py::CallOperation::builder(self.context, location)
                    .callee(FlatSymbolRefAttribute::new(self.context, &key))
                    .args(&values)
                    .result(self.object)
                    .build();
                self.op(state, op.into())
            }
            Sym::Unsupported { what, name } => {
                return Err(CompileError::unsupported(format!("cannot call '{name}': it is {what}"))
                    .hint(format!("numlir calls @njit functions, builtins and math; decorate '{name}' with @numlir.njit")))
            }
            other => {
                return Err(CompileError::unsupported(format!("cannot call {other:?}")))
            }
        };
        state.stack.push(result);
        Ok(())
    }

    /// `operator.add(a, b)` and the rest of the operator module: the operator itself
    /// (`operator.iadd` is `a += b`, in place for arrays).
    fn call_operator(&self, state: &mut BlockState<'c, 'a>, name: &str, args: &[Slot<'c, 'a>], location: Location<'c>) -> Result<Slot<'c, 'a>, CompileError> {
        let function = name.trim_start_matches("operator.");
        let arity = |n: usize| -> Result<(), CompileError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(CompileError::typing(format!("{name}() takes {n} argument{} but {} were given", if n == 1 { "" } else { "s" }, args.len())))
            }
        };
        let binary = |f: &str| -> Option<&'static str> {
            Some(match f {
                "add" => "add", "sub" => "sub", "mul" => "mul", "truediv" => "truediv", "floordiv" => "floordiv",
                "mod" => "mod", "pow" => "pow", "lshift" => "lshift", "rshift" => "rshift", "and_" => "and",
                "or_" => "or", "xor" => "xor", "matmul" => "matmul",
                _ => return None,
            })
        };
        args.iter().for_each(|a| state.stack.push(*a));
        if let Some(kind) = binary(function) {
            arity(2)?;
            self.binop(state, kind, false, location)?;
        } else if let Some(kind) = function.strip_prefix('i').and_then(|f| binary(f).or_else(|| binary(&format!("{f}_")))) {
            // iadd, and iand/ior (no underscore: `and` is a keyword only without the i)
            arity(2)?;
            self.binop(state, kind, true, location)?;
        } else if let Some(predicate) = COMPARISONS.iter().find(|p| **p == function) {
            arity(2)?;
            self.compare(state, predicate, location)?;
        } else if let Some(kind) = match function { "neg" => Some("neg"), "pos" => Some("pos"), "invert" | "inv" => Some("invert"), "not_" => Some("not"), _ => None } {
            arity(1)?;
            self.unop(state, kind, location)?;
        } else if function == "truth" {
            arity(1)?;
            let x = self.pop(state)?;
            let x = self.value(x, state, location)?;
            let v = Slot::Val(self.truth(state, x, location));
            state.stack.push(v);
        } else {
            state.stack.truncate(state.stack.len() - args.len());
            return Err(CompileError::unsupported(format!("{name} is not supported in compiled code")));
        }
        self.pop(state)
    }

    /// The arguments of a call of the compiled function `key` in parameter order: the
    /// positional ones, then each keyword one at its parameter's place.
    fn by_position(&self, key: &str, args: Vec<Slot<'c, 'a>>, kw_names: &[String]) -> Result<Vec<Slot<'c, 'a>>, CompileError> {
        let callee = self.env.source(key)?;
        let params = &callee.varnames[..callee.arg_count.min(callee.varnames.len())];
        let placed = place_arguments(&callee.name, params, &args, kw_names)?;
        placed
            .into_iter()
            .enumerate()
            .map(|(i, a)| {
                a.ok_or_else(|| CompileError::typing(format!("{}() missing the argument '{}'", callee.name, params[i])))
            })
            .collect()
    }

    /// `Point(x, y=2)` of a namedtuple class: its fields in order (a missing one from the
    /// class's defaults), built as a `!py.namedtuple` by a py.make_tuple that names the class.
    fn construct_named_tuple(
        &mut self,
        state: &BlockState<'c, 'a>,
        class: &NamedClass,
        defaults: &[Option<Constant>],
        args: &[Slot<'c, 'a>],
        kw_names: &[String],
        location: Location<'c>,
    ) -> Result<Slot<'c, 'a>, CompileError> {
        let name = class.short_name();
        if args.len() - kw_names.len() > class.fields.len() {
            return Err(CompileError::typing(format!(
                "{name}() takes {} positional arguments but {} were given",
                class.fields.len(),
                args.len() - kw_names.len()
            )));
        }
        let placed = place_arguments(name, &class.fields, args, kw_names)?;
        let mut values = Vec::new();
        for (i, a) in placed.into_iter().enumerate() {
            let slot = match (a, &defaults[i]) {
                (Some(a), _) => a,
                (None, Some(d)) => self.constant(state, d, location)?,
                (None, None) => {
                    return Err(CompileError::typing(format!("{name}() missing the argument '{}'", class.fields[i])))
                }
            };
            values.push(self.value(slot, state, location)?);
        }
        let fields: Vec<Attribute> = class.fields.iter().map(|f| StringAttribute::new(self.context, f).into()).collect();
        let op = py::MakeTupleOperation::builder(self.context, location)
            .elements(&values)
            .class_name(StringAttribute::new(self.context, &class.name))
            .fields(ArrayAttribute::new(self.context, &fields))
            .result(self.object)
            .build();
        Ok(self.op(state, op.into()))
    }

    /// A call of a builtin, NumPy function or array method. Dtype arguments (np.float32,
    /// or float/int/bool where a dtype is expected) become the `dtype` attribute; keyword
    /// arguments trail the positional ones and are named by `kwnames`.
    fn call_builtin(
        &mut self,
        state: &BlockState<'c, 'a>,
        name: &str,
        args: &[Slot<'c, 'a>],
        kw_names: &[String],
        location: Location<'c>,
    ) -> Result<Slot<'c, 'a>, CompileError> {
        let takes_dtype = name.starts_with("np.") || name.starts_with("ndarray.");
        let first_keyword = args.len() - kw_names.len();
        let mut values = Vec::new();
        let mut names = Vec::new();
        let mut dtype = None;
        for (i, a) in args.iter().enumerate() {
            let keyword = i.checked_sub(first_keyword).map(|k| kw_names[k].as_str());
            let as_dtype = match a {
                Slot::Sym(s) if takes_dtype => match &self.symbols[*s] {
                    Sym::Dtype(d) => Some(d.clone()),
                    Sym::Builtin(b) if ["float", "int", "bool"].contains(&b.as_str()) => Some(
                        match b.as_str() { "float" => "float64", "int" => "int64", _ => "bool" }.to_string(),
                    ),
                    _ => None,
                },
                _ => None,
            };
            if let Some(d) = as_dtype {
                if keyword.is_some_and(|k| k != "dtype") {
                    return Err(CompileError::typing(format!("a dtype was passed as '{}'", keyword.unwrap())));
                }
                dtype = Some(d);
                continue;
            }
            values.push(self.value(*a, state, location)?);
            if let Some(k) = keyword {
                names.push(k.to_string());
            }
        }
        let mut builder = py::CallBuiltinOperation::builder(self.context, location)
            .callee(StringAttribute::new(self.context, name))
            .args(&values)
            .result(self.object);
        if !names.is_empty() {
            let attrs: Vec<Attribute> = names.iter().map(|n| StringAttribute::new(self.context, n).into()).collect();
            builder = builder.kwnames(ArrayAttribute::new(self.context, &attrs));
        }
        if let Some(d) = dtype {
            builder = builder.dtype(StringAttribute::new(self.context, &d));
        }
        Ok(self.op(state, builder.build().into()))
    }

    fn int_constant(&mut self, state: &BlockState<'c, 'a>, v: i64, location: Location<'c>) -> Value<'c, 'a> {
        match self.constant(state, &Constant::Int(v), location) {
            Ok(Slot::Val(v)) => v,
            _ => unreachable!("int constants are values"),
        }
    }

    fn translate_instruction(&mut self, state: &mut BlockState<'c, 'a>, ins: &Instruction, b: usize) -> Result<(), CompileError> {
        let location = self.loc(ins.span);
        let arg = ins.arg as usize;
        let fallthrough = b + 1;
        match ins.name {
            // MAKE_CELL/COPY_FREE_VARS only set up closures: the error comes at the use.
            "RESUME" | "NOP" | "PRECALL" | "CACHE" | "MAKE_CELL" | "COPY_FREE_VARS" => {}
            "PUSH_NULL" => {
                let s = self.sym(Sym::Null);
                state.stack.push(s);
            }
            "LOAD_FAST" => {
                let slot = state.locals[arg];
                if slot == Slot::Undef {
                    return Err(CompileError::typing(format!(
                        "local variable '{}' is used before it is assigned",
                        self.source.varnames[arg]
                    )));
                }
                state.stack.push(slot);
            }
            "STORE_FAST" => state.locals[arg] = self.pop(state)?,
            "LOAD_CONST" => {
                let c = self.source.consts[arg].clone();
                let s = self.constant(state, &c, location)?;
                state.stack.push(s);
            }
            "LOAD_GLOBAL" => {
                if arg & 1 == 1 {
                    let s = self.sym(Sym::Null);
                    state.stack.push(s);
                }
                let name = self.source.names[arg >> 1].clone();
                let g = self.env.global(&self.source.key, &name);
                let s = self.global(state, g, &name, location)?;
                state.stack.push(s);
            }
            // A variable of an enclosing function: its value now, as a global's (numba
            // freezes closure variables the same way). The function's own captured cells
            // (read by an inner function) are not supported.
            "LOAD_DEREF" if self.source.deref_names.get(arg).is_some_and(|n| self.source.freevars.contains(n)) => {
                let name = self.source.deref_names[arg].clone();
                let g = self.env.closure(&self.source.key, &name);
                let s = self.global(state, g, &name, location)?;
                state.stack.push(s);
            }
            "LOAD_ATTR" | "LOAD_METHOD" => {
                let name = self.source.names[arg].clone();
                let base = self.pop(state)?;
                if let Slot::Val(object) = base {
                    if ins.name == "LOAD_METHOD" {
                        let m = self.sym(Sym::Method(name));
                        state.stack.push(m);
                        state.stack.push(base);
                    } else {
                        let op = py::GetAttrOperation::builder(self.context, location)
                            .field(StringAttribute::new(self.context, &name))
                            .object(object)
                            .result(self.object)
                            .build();
                        let v = self.op(state, op.into());
                        state.stack.push(v);
                    }
                    return Ok(());
                }
                let module = match base {
                    Slot::Sym(i) => match &self.symbols[i] {
                        Sym::Module(m) => m.clone(),
                        _ => String::new(),
                    },
                    _ => String::new(),
                };
                if module.is_empty() {
                    return Err(CompileError::unsupported(format!("attribute access '.{name}' is not supported here"))
                        .hint("compiled code can read attributes of the math module (math.pi, math.sqrt)"));
                }
                if ins.name == "LOAD_METHOD" {
                    let s = self.sym(Sym::Null);
                    state.stack.push(s);
                }
                let g = self.env.attribute(&module, &name);
                if g == GlobalValue::Missing {
                    return Err(CompileError::typing(format!("module '{module}' has no attribute '{name}'")));
                }
                let s = self.global(state, g, &format!("{module}.{name}"), location)?;
                state.stack.push(s);
            }
            "KW_NAMES" => {
                state.kw_names = match &self.source.consts[arg] {
                    Constant::Tuple(items) => items
                        .iter()
                        .map(|c| match c {
                            Constant::Str(s) => s.clone(),
                            _ => String::new(),
                        })
                        .collect(),
                    _ => return Err(CompileError::compile("KW_NAMES without a tuple of names")),
                }
            }
            "BINARY_SUBSCR" => {
                let index = self.pop(state)?;
                let base = self.pop(state)?;
                let (base, index) = (self.value(base, state, location)?, self.value(index, state, location)?);
                let op = py::GetItemOperation::builder(self.context, location)
                    .base(base)
                    .index(index)
                    .result(self.object)
                    .build();
                let v = self.op(state, op.into());
                state.stack.push(v);
            }
            "STORE_SUBSCR" => {
                let index = self.pop(state)?;
                let base = self.pop(state)?;
                let value = self.pop(state)?;
                let (base, index) = (self.value(base, state, location)?, self.value(index, state, location)?);
                let value = self.value(value, state, location)?;
                state.block.append_operation(
                    py::SetItemOperation::builder(self.context, location)
                        .base(base)
                        .index(index)
                        .value(value)
                        .build()
                        .into(),
                );
            }
            "BUILD_SLICE" => {
                let mut parts = Vec::new();
                for _ in 0..arg {
                    let s = self.pop(state)?;
                    parts.push(self.value(s, state, location)?);
                }
                parts.reverse();
                if parts.len() == 2 {
                    let none = py::NoneOperation::builder(self.context, location).result(self.object).build();
                    parts.push(append(&state.block, none.into()));
                }
                let op = py::SliceOperation::builder(self.context, location)
                    .start(parts[0])
                    .stop(parts[1])
                    .step(parts[2])
                    .result(self.object)
                    .build();
                let v = self.op(state, op.into());
                state.stack.push(v);
            }
            "CALL" => self.call(state, arg, location)?,
            "BINARY_OP" => {
                const KINDS: [&str; 13] = [
                    "add", "and", "floordiv", "lshift", "matmul", "mul", "mod", "or", "pow", "rshift", "sub",
                    "truediv", "xor",
                ];
                // 13 and up: the augmented assignments (`+=`), in place on arrays.
                let kind = KINDS[arg % 13];
                self.binop(state, kind, arg >= 13, location)?;
            }
            "UNARY_NEGATIVE" => self.unop(state, "neg", location)?,
            "UNARY_POSITIVE" => self.unop(state, "pos", location)?,
            "UNARY_INVERT" => self.unop(state, "invert", location)?,
            "UNARY_NOT" => self.unop(state, "not", location)?,
            "COMPARE_OP" => self.compare(state, COMPARISONS[arg], location)?,
            "POP_JUMP_FORWARD_IF_FALSE" | "POP_JUMP_BACKWARD_IF_FALSE" | "POP_JUMP_FORWARD_IF_TRUE"
            | "POP_JUMP_BACKWARD_IF_TRUE" => {
                let v = self.pop(state)?;
                let v = self.value(v, state, location)?;
                let cond = self.truth(state, v, location);
                let target = self.target(ins);
                let stack = state.stack.clone();
                if ins.name.ends_with("TRUE") {
                    self.cond_br(state, cond, (target, &stack), (fallthrough, &stack), location)?;
                } else {
                    self.cond_br(state, cond, (fallthrough, &stack), (target, &stack), location)?;
                }
            }
            "JUMP_IF_FALSE_OR_POP" | "JUMP_IF_TRUE_OR_POP" => {
                let top = *state.stack.last().ok_or_else(|| CompileError::compile("value stack underflow"))?;
                let v = self.value(top, state, location)?;
                let cond = self.truth(state, v, location);
                let target = self.target(ins);
                let kept = state.stack.clone();
                let popped = kept[..kept.len() - 1].to_vec();
                if ins.name == "JUMP_IF_TRUE_OR_POP" {
                    self.cond_br(state, cond, (target, &kept), (fallthrough, &popped), location)?;
                } else {
                    self.cond_br(state, cond, (fallthrough, &popped), (target, &kept), location)?;
                }
            }
            "JUMP_FORWARD" | "JUMP_BACKWARD" | "JUMP_BACKWARD_NO_INTERRUPT" => {
                let target = self.target(ins);
                let operands = self.edge(&state.block, target, &state.locals, &state.stack.clone(), location)?;
                state.block.append_operation(cf::br(&self.blocks[target], &operands, location));
            }
            "GET_ITER" => {
                let v = self.pop(state)?;
                let v = self.value(v, state, location)?;
                let op = py::GetIterOperation::builder(self.context, location)
                    .iterable(v)
                    .result(self.object)
                    .build();
                let it = self.op(state, op.into());
                state.stack.push(it);
            }
            "FOR_ITER" => {
                let it = *state.stack.last().ok_or_else(|| CompileError::compile("value stack underflow"))?;
                let it = self.value(it, state, location)?;
                let next = state.block.append_operation(
                    py::IterNextOperation::builder(self.context, location)
                        .iterator(it)
                        .valid(IntegerType::new(self.context, 1).into())
                        .value(self.object)
                        .build()
                        .into(),
                );
                let valid: Value = next.result(0).unwrap().into();
                let value: Value = next.result(1).unwrap().into();
                let mut body = state.stack.clone();
                body.push(Slot::Val(value));
                let exit = state.stack[..state.stack.len() - 1].to_vec();
                let target = self.target(ins);
                self.cond_br(state, valid, (fallthrough, &body), (target, &exit), location)?;
            }
            "RETURN_VALUE" => {
                let v = self.pop(state)?;
                let v = self.value(v, state, location)?;
                state.block.append_operation(func::r#return(&[v], location));
            }
            "POP_TOP" => {
                self.pop(state)?;
            }
            "COPY" => {
                let v = state.stack[state.stack.len() - arg];
                state.stack.push(v);
            }
            "SWAP" => {
                let n = state.stack.len();
                state.stack.swap(n - 1, n - arg);
            }
            "BUILD_TUPLE" => {
                let mut values = Vec::new();
                for _ in 0..arg {
                    let s = self.pop(state)?;
                    values.push(self.value(s, state, location)?);
                }
                values.reverse();
                let op = py::MakeTupleOperation::builder(self.context, location)
                    .elements(&values)
                    .result(self.object)
                    .build();
                let t = self.op(state, op.into());
                state.stack.push(t);
            }
            "UNPACK_SEQUENCE" => {
                let t = self.pop(state)?;
                let t = self.value(t, state, location)?;
                for i in (0..arg).rev() {
                    let op = py::TupleGetOperation::builder(self.context, location)
                        .tuple(t)
                        .index(IntegerAttribute::new(IntegerType::new(self.context, 64).into(), i as i64))
                        .result(self.object)
                        .build();
                    let v = self.op(state, op.into());
                    state.stack.push(v);
                }
            }
            "LOAD_ASSERTION_ERROR" => {
                let s = self.sym(Sym::ExceptionClass("AssertionError".into()));
                state.stack.push(s);
            }
            "RAISE_VARARGS" if arg == 1 => {
                let e = self.pop(state)?;
                let (class, message) = match e {
                    Slot::Sym(i) => match &self.symbols[i] {
                        Sym::Exception { class, message } => (class.clone(), message.clone()),
                        Sym::ExceptionClass(class) => (class.clone(), String::new()),
                        _ => return Err(CompileError::unsupported("only builtin exceptions can be raised")),
                    },
                    _ => return Err(CompileError::unsupported("only builtin exceptions can be raised")),
                };
                state.block.append_operation(
                    py::RaiseOperation::builder(self.context, location)
                        .exception(StringAttribute::new(self.context, &class))
                        .message(StringAttribute::new(self.context, &message))
                        .build()
                        .into(),
                );
            }
            other => return Err(unsupported_instruction(other, ins.arg)),
        }
        Ok(())
    }
}

struct BlockState<'c, 'a> {
    block: BlockRef<'c, 'a>,
    locals: Vec<Slot<'c, 'a>>,
    stack: Vec<Slot<'c, 'a>>,
    /// Names of the keyword arguments of the next CALL (from KW_NAMES).
    kw_names: Vec<String>,
}

fn append<'c, 'a>(block: &BlockRef<'c, 'a>, op: Operation<'c>) -> Value<'c, 'a> {
    block.append_operation(op).result(0).unwrap().into()
}

/// A message saying which Python construct an unsupported instruction comes from.
fn unsupported_instruction(name: &str, arg: u32) -> CompileError {
    let what = match name {
        "BUILD_LIST" | "LIST_APPEND" | "LIST_EXTEND" | "LIST_TO_TUPLE" => "lists (and list comprehensions)",
        "BUILD_MAP" | "MAP_ADD" | "DICT_UPDATE" | "DICT_MERGE" | "BUILD_CONST_KEY_MAP" => "dicts",
        "BUILD_SET" | "SET_ADD" | "SET_UPDATE" => "sets",
        "FORMAT_VALUE" | "BUILD_STRING" => "strings and f-strings",
        "IMPORT_NAME" | "IMPORT_FROM" | "IMPORT_STAR" => "imports inside a compiled function",
        "MAKE_FUNCTION" => "nested functions and lambdas",
        "LOAD_BUILD_CLASS" => "classes",
        "DELETE_SUBSCR" => "`del a[i]`",
        "YIELD_VALUE" | "RETURN_GENERATOR" | "SEND" => "generators",
        "LOAD_DEREF" | "STORE_DEREF" | "LOAD_CLOSURE" | "LOAD_CLASSDEREF" => {
            "variables shared with an inner function, and assigning to variables of an enclosing function"
        }
        "STORE_GLOBAL" | "DELETE_GLOBAL" => "assigning to globals",
        "STORE_ATTR" | "DELETE_ATTR" => "assigning to attributes",
        "CALL_FUNCTION_EX" => "calls with *args or **kwargs",
        "IS_OP" => "`is` / `is not` comparisons",
        "CONTAINS_OP" => "`in` / `not in` tests",
        "POP_JUMP_FORWARD_IF_NONE" | "POP_JUMP_FORWARD_IF_NOT_NONE" | "POP_JUMP_BACKWARD_IF_NONE"
        | "POP_JUMP_BACKWARD_IF_NOT_NONE" => "comparisons with None",
        "RAISE_VARARGS" if arg == 0 => "bare `raise`",
        "RAISE_VARARGS" => "`raise ... from ...`",
        "DELETE_FAST" => "`del` of a local variable",
        "UNPACK_EX" => "starred assignment (a, *b = ...)",
        "GET_LEN" | "MATCH_CLASS" | "MATCH_MAPPING" | "MATCH_SEQUENCE" | "MATCH_KEYS" => "match statements",
        _ => "",
    };
    let message = if what.is_empty() {
        format!("the bytecode instruction {name} is not supported")
    } else {
        format!("{what} are not supported in compiled functions")
    };
    CompileError::unsupported(message)
        .hint("numlir compiles numbers (int, float, bool), tuples, NumPy arrays, arithmetic, loops, branches and calls")
}

/// Each parameter's argument, from the positional ones and then those `kw_names` names
/// (the last of `args`), with CPython's messages for unknown and repeated keywords; None
/// where a parameter got nothing. Extra positional arguments are kept after the parameters.
fn place_arguments<'c, 'a>(
    callee: &str,
    params: &[String],
    args: &[Slot<'c, 'a>],
    kw_names: &[String],
) -> Result<Vec<Option<Slot<'c, 'a>>>, CompileError> {
    let first_keyword = args.len() - kw_names.len();
    let mut placed: Vec<Option<Slot<'c, 'a>>> = args[..first_keyword].iter().map(|a| Some(*a)).collect();
    placed.resize(params.len().max(first_keyword), None);
    for (name, arg) in kw_names.iter().zip(&args[first_keyword..]) {
        let Some(i) = params.iter().position(|p| p == name) else {
            return Err(CompileError::typing(format!("{callee}() got an unexpected keyword argument '{name}'")));
        };
        if placed[i].replace(*arg).is_some() {
            return Err(CompileError::typing(format!("{callee}() got multiple values for argument '{name}'")));
        }
    }
    Ok(placed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::bytecode::PyVersion;
    use melior::ir::operation::OperationLike;

    /// CPython 3.11's bytecode of:
    /// ```python
    /// def f(n):
    ///     s = 0.0
    ///     for i in range(n):
    ///         if i % 2 == 0 and i > 3:
    ///             s += math.sqrt(i)
    ///         else:
    ///             s -= 1
    ///     a, b = s, n
    ///     return a, b
    /// ```
    const CODE: &[u8] = &[
        151, 0, 100, 1, 125, 1, 116, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 124, 0, 166, 1, 0, 0, 171, 1, 0,
        0, 0, 0, 0, 0, 0, 0, 68, 0, 93, 46, 125, 2, 124, 2, 100, 2, 122, 6, 0, 0, 100, 3, 107, 2, 0,
        0, 0, 0, 114, 30, 124, 2, 100, 4, 107, 4, 0, 0, 0, 0, 114, 24, 124, 1, 116, 3, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 106, 2, 0, 0, 0, 0, 0, 0, 0, 0, 124, 2, 166, 1, 0, 0, 171, 1, 0, 0, 0, 0, 0, 0,
        0, 0, 122, 13, 0, 0, 125, 1, 140, 41, 124, 1, 100, 5, 122, 23, 0, 0, 125, 1, 140, 47, 124,
        1, 124, 0, 125, 4, 125, 3, 124, 3, 124, 4, 102, 2, 83, 0,
    ];

    struct MockEnv;

    impl Environment for MockEnv {
        fn source(&self, key: &str) -> Result<FunctionSource, CompileError> {
            Ok(FunctionSource {
                key: key.into(),
                name: "f".into(),
                filename: "mock.py".into(),
                version: PyVersion::Py311,
                code: CODE.to_vec(),
                positions: vec![],
                consts: vec![
                    Constant::None,
                    Constant::Float(0.0),
                    Constant::Int(2),
                    Constant::Int(0),
                    Constant::Int(3),
                    Constant::Int(1),
                ],
                names: vec!["range".into(), "math".into(), "sqrt".into()],
                varnames: ["n", "s", "i", "a", "b"].map(String::from).to_vec(),
                deref_names: ["n", "s", "i", "a", "b"].map(String::from).to_vec(),
                freevars: vec![],
                arg_count: 1,
                flags: 3,
                exception_table_start: None,
                def_span: Span { line: 1, end_line: 1, col: 0, end_col: 0 },
            })
        }
        fn global(&self, _key: &str, name: &str) -> GlobalValue {
            match name {
                "range" => GlobalValue::Builtin("range".into()),
                "math" => GlobalValue::Module("math".into()),
                _ => GlobalValue::Missing,
            }
        }
        fn attribute(&self, module: &str, name: &str) -> GlobalValue {
            GlobalValue::Builtin(format!("{module}.{name}"))
        }
        fn closure(&self, _key: &str, _name: &str) -> GlobalValue {
            GlobalValue::Missing
        }
    }

    #[test]
    fn stack_simulation_builds_loops_calls_and_tuples() {
        let context = crate::dialect::new_context();
        let module = build_module(&context, &MockEnv, "f", &[], None, &CompileOptions::default()).unwrap();
        assert!(module.as_operation().verify());
        let ir = module.as_operation().to_string();
        for expected in [
            "py.range",
            "py.get_iter",
            "py.iter_next",
            "py.binop \"mod\"",
            "py.cmp \"eq\"",
            "py.cmp \"gt\"",
            "py.call_builtin \"math.sqrt\"",
            "py.binop \"add\"",
            "py.binop \"sub\"",
            "py.make_tuple",
            "attributes {py.template}",
        ] {
            assert!(ir.contains(expected), "missing {expected} in\n{ir}");
        }
        // The loop header carries the live locals (n, s) and the iterator on the stack.
        assert!(ir.contains("(%arg0 : !py.object)") || ir.contains("!py.object, !py.object, !py.object"), "{ir}");
    }

    #[test]
    fn unsupported_constructs_name_themselves() {
        let e = unsupported_instruction("BUILD_LIST", 0);
        assert_eq!(e.kind, crate::diagnostics::ErrorKind::Unsupported);
        assert!(e.message.contains("lists"));
        assert!(unsupported_instruction("RAISE_VARARGS", 0).message.contains("bare `raise`"));
    }
}
