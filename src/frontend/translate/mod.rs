//! Bytecode -> untyped py IR, one basic block at a time.
//!
//! The CPython value stack is simulated at compile time. A slot holds either an SSA value
//! or a compile-time-only thing (the NULL of a call, a module, a builtin function, an
//! exception class, a constant string). At block boundaries the live locals and the stack
//! become block arguments; compile-time things travel along unchanged and must agree on
//! every incoming edge.
use super::bytecode::{decode, ends_flow, Instruction, Span};
use super::cfg::{self, Cfg};
use super::exceptions;
use super::environment::{ArrayConstant, Constant, Environment, FunctionSource, GlobalValue};
use crate::types::NamedClass;
use crate::diagnostics::{CompileError, SourceSpan};
use crate::dialect::py;
use melior::{
    dialect::{cf, func},
    ir::{
        attribute::{
            ArrayAttribute, DenseI32ArrayAttribute, FlatSymbolRefAttribute, FloatAttribute, IntegerAttribute,
            StringAttribute, TypeAttribute,
        },
        r#type::{FunctionType, IntegerType},
        operation::{OperationLike, OperationMutLike}, Attribute, AttributeLike, Block, BlockLike, BlockRef, Identifier, Location, Module, Operation, Region,
        RegionLike, Type, Value,
    },
    Context,
};
use std::collections::HashSet;

mod calls;
mod formatting;
mod instructions;

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
    /// An exception whose message is a str made at run time (the translator's
    /// `exception_texts[text]`).
    ExceptionWithText { class: String, text: usize },
    /// A NumPy dtype (`np.float32`), by name.
    Dtype(String),
    /// A method looked up on a value (`a.sum`): the value follows it on the stack.
    Method(String),
    /// Exception classes in a tuple (`except (KeyError, IndexError):`).
    ExceptionClasses(Vec<String>),
    /// A function taught by numlir.extending.overload (GlobalValue::Overloaded).
    Overloaded(usize),
    /// A `with objmode(...)` block (GlobalValue::ObjModeBlock).
    ObjModeBlock { id: usize, outputs: Vec<crate::types::ArgType> },
    /// Where a handler's exception goes on the stack: its `py.caught` at the handler's start.
    Caught,
    /// A code object constant (co_consts[index]): the body of a comprehension, lambda or
    /// inner function, made into a function by MAKE_FUNCTION.
    Code(usize),
    /// A function made by MAKE_FUNCTION (index into the translator's `closures`).
    Closure(usize),
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
    extra: &[String],
) -> Result<Module<'c>, CompileError> {
    let source = env.source(entry)?;
    let mut module = Module::new(Location::new(context, &source.filename, source.def_span.line as usize, 1));
    let mut done = HashSet::new();
    let mut pending = vec![entry.to_string()];
    // Implementations of overloads (numlir.extending.overload) join as templates too.
    pending.extend(extra.iter().cloned());
    // Compiled functions passed as arguments: their templates join the module.
    for t in arg_types {
        let text = t.to_string();
        if let Some(key) = text.strip_prefix("!py.funcref<\"").and_then(|k| k.strip_suffix("\">")) {
            pending.push(key.to_string());
        }
    }
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
    let (mut source, instructions) = cells_as_locals(source, instructions)?;
    // try/except: where each instruction raises to, and a hidden local for the exception
    // being handled (a bare `raise` raises it again).
    let handlers = exceptions::handlers(&instructions, &source.exception_table);
    let exc_info = (!source.exception_table.is_empty()).then(|| {
        source.varnames.push("<exception>".to_string());
        source.varnames.len() - 1
    });
    let (source, instructions) = (&source, &instructions);
    let cfg = cfg::build(instructions, source.varnames.len(), &handlers, exc_info);
    let object = crate::dialect::object_type(context);
    let location = Location::new(context, &source.filename, source.def_span.line as usize, 1);

    let region = Region::new();
    {
        let params = source.arg_count + usize::from(!source.closure_vars.is_empty());
        let args: Vec<_> = (0..params).map(|_| (object, location)).collect();
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
            closures: Vec::new(),
            closure_defaults: Vec::new(),
            current: 0,
            skip: 0,
            exception_texts: Vec::new(),
            yielded: None,
            handlers: &handlers,
            exc_info,
            star_arguments: Vec::new(),
        };
        const GENERATOR: u32 = 0x20;
        if source.flags & GENERATOR != 0 {
            let make: Operation = py::MakeGeneratorOperation::builder(context, location).result(object).build().into();
            t.yielded = Some(append(&entry, make));
        }
        let mut locals = vec![Slot::Undef; source.varnames.len()];
        if let Some(e) = exc_info {
            locals[e] = t.sym(Sym::Null); // no exception is being handled
        }
        for (i, local) in locals.iter_mut().enumerate().take(source.arg_count) {
            *local = Slot::Val(entry.argument(i).unwrap().into());
        }
        // A closure's enclosing variables arrive as a tuple, its last argument.
        if !source.closure_vars.is_empty() {
            let tuple: Value = entry.argument(source.arg_count).unwrap().into();
            for (i, &local) in source.closure_vars.iter().enumerate() {
                let op = py::TupleGetOperation::builder(context, location)
                    .tuple(tuple)
                    .index(IntegerAttribute::new(IntegerType::new(context, 64).into(), i as i64))
                    .result(object)
                    .build();
                locals[local] = Slot::Val(append(&entry, op.into()));
            }
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
    let params = source.arg_count + usize::from(!source.closure_vars.is_empty());
    let function_type = FunctionType::new(context, &vec![object; params], &[object]);
    Ok(func::func(
        context,
        StringAttribute::new(context, &source.key),
        TypeAttribute::new(function_type.into()),
        region,
        &[(Identifier::new(context, "py.template"), Attribute::unit(context))],
        location,
    ))
}

/// Variables shared with nested functions (cells) become plain locals: a comprehension,
/// lambda or inner function reads their values when it is made, and gets them as an
/// argument. A nested function's own free variables become locals set from that argument
/// (`closure_vars`). Free variables of a function compiled by itself stay LOAD_DEREF: their
/// values are frozen at compile time, as numba does.
fn cells_as_locals(source: &FunctionSource, mut instructions: Vec<Instruction>) -> Result<(FunctionSource, Vec<Instruction>), CompileError> {
    let mut source = source.clone();
    let slot = |source: &mut FunctionSource, name: &str| {
        source.varnames.iter().position(|v| v == name).unwrap_or_else(|| {
            source.varnames.push(name.to_string());
            source.varnames.len() - 1
        })
    };
    if source.nested {
        let free = source.freevars.clone();
        source.closure_vars = free.iter().map(|name| slot(&mut source, name)).collect();
    }
    for ins in &mut instructions {
        let name = match ins.name {
            "MAKE_CELL" | "COPY_FREE_VARS" => {
                ins.name = "NOP";
                continue;
            }
            "LOAD_DEREF" | "LOAD_CLOSURE" | "STORE_DEREF" => source.deref_names.get(ins.arg as usize).cloned(),
            _ => continue,
        };
        let Some(name) = name else { continue };
        let free = source.freevars.contains(&name);
        if ins.name == "STORE_DEREF" && free {
            return Err(CompileError::unsupported(format!(
                "assigning to '{name}', a variable of an enclosing function (nonlocal), is not supported"
            ))
            .at(span_of(&source, ins.span)));
        }
        if free && !source.nested {
            ins.name = "LOAD_DEREF";
            continue;
        }
        ins.arg = slot(&mut source, &name) as u32;
        ins.name = if ins.name == "STORE_DEREF" { "STORE_FAST" } else { "LOAD_FAST" };
    }
    Ok((source, instructions))
}

/// Rejects whole-function constructs, pointing at the first instruction that shows them.
fn check_code_flags(source: &FunctionSource, instructions: &[Instruction]) -> Result<(), CompileError> {
    const VARKEYWORDS: u32 = 0x08;
    const COROUTINE: u32 = 0x80 | 0x100 | 0x200;
    let first = |names: &[&str]| {
        instructions.iter().find(|i| names.contains(&i.name) && i.span.line > 0).map(|i| i.span)
    };
    let (what, span) = if source.flags & COROUTINE != 0 {
        ("async functions", first(&["GET_AWAITABLE", "YIELD_VALUE"]))
    } else if source.flags & VARKEYWORDS != 0 {
        ("**kwargs", None)
    } else if let Some(span) = first(&["BEFORE_WITH"]) {
        ("with-statements", Some(span))
    } else if let Some(span) = first(&["CHECK_EG_MATCH"]) {
        ("except* (exception groups)", Some(span))
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
    /// Functions made by MAKE_FUNCTION: the key of their template, and the tuple of the
    /// enclosing variables they read (passed as their last argument).
    closures: Vec<(String, Option<Value<'c, 'a>>)>,
    /// The values of each one's parameter defaults (`def f(x, y=2)` inside a compiled
    /// function: made where it is defined), for calls that omit them.
    closure_defaults: Vec<Vec<Value<'c, 'a>>>,
    /// The index of the instruction being translated, and how many after it to skip (a
    /// list display of constants reads three instructions at once).
    current: usize,
    skip: usize,
    /// The run-time messages of exceptions about to be raised (Sym::ExceptionWithText).
    exception_texts: Vec<Value<'c, 'a>>,
    /// In a generator (a function with `yield`, a generator expression): the generator
    /// object (`py.make_generator`) its yields go through and its returns return.
    yielded: Option<Value<'c, 'a>>,
    /// try/except: the handler each instruction raises to, and the hidden local that holds
    /// the exception being handled.
    handlers: &'e [Option<exceptions::Handler>],
    exc_info: Option<usize>,
    /// The elements of `(x, *t)` or arguments of `f(x, *t)` being gathered: CPython builds a
    /// list of them (BUILD_LIST, LIST_EXTEND, LIST_TO_TUPLE); here a tuple, concatenated.
    star_arguments: Vec<Value<'c, 'a>>,
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
                    // None and strings are values where paths meet (`s = ""` before a loop that
                    // does `s += c`); other symbols stay symbols.
                    Slot::Sym(i) if !matches!(self.symbols[*i], Sym::None | Sym::Str(_)) => Layout::Sym(*i),
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
                (Slot::Sym(i), Layout::Arg) if matches!(self.symbols[*i], Sym::Str(_)) => {
                    let Sym::Str(text) = &self.symbols[*i] else { unreachable!() };
                    operands.push(append(
                        from,
                        py::StrConstantOperation::builder(self.context, location)
                            .value(StringAttribute::new(self.context, text))
                            .result(self.object)
                            .build()
                            .into(),
                    ))
                }
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
                // A handler no instruction raised to has no edge in (nor a layout).
                if !visited[s] && self.layouts[s].is_some() {
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
        // A handler: the exception it was entered with.
        let caught = self.sym(Sym::Caught);
        if let Some(slot) = stack.iter_mut().find(|s| **s == caught) {
            let location = self.loc(self.instructions[range.start].span);
            *slot = Slot::Val(append(&block, py::CaughtOperation::builder(self.context, location).result(self.object).build().into()));
        }
        let mut state = BlockState { block, locals, stack, kw_names: Vec::new() };
        for index in range.clone() {
            if self.skip > 0 {
                self.skip -= 1;
                continue;
            }
            self.current = index;
            let ins = &self.instructions[index];
            let translated = match self.handlers[index] {
                Some(handler) => self.translate_guarded(&mut state, ins, b, handler),
                None => self.translate_instruction(&mut state, ins, b),
            };
            translated.map_err(|e| if e.span.is_none() { self.error_at(ins, e) } else { e })?;
        }
        let last = &self.instructions[range.end - 1];
        if last.jump.is_none() && !ends_flow(last.name) {
            // Falls through into the next block.
            let location = self.loc(last.span);
            let from = state.block;
            let operands = self.edge(&from, b + 1, &state.locals, &state.stack, location)?;
            from.append_operation(cf::br(&self.blocks[b + 1], &operands, location));
        }
        Ok(self.cfg.blocks[b].successors.clone())
    }

    /// An instruction of a try body that may raise (`handler` says where to). Its ops go
    /// between `py.exc_begin` and a `py.exc_point` that continues in a new block or at the
    /// handler; a `raise` branches to the handler with its exception.
    fn translate_guarded(
        &mut self,
        state: &mut BlockState<'c, 'a>,
        ins: &Instruction,
        b: usize,
        handler: exceptions::Handler,
    ) -> Result<(), CompileError> {
        let location = self.loc(ins.span);
        let target = self
            .cfg
            .blocks
            .iter()
            .position(|block| block.start == handler.target)
            .ok_or_else(|| CompileError::compile("an exception handler is not the start of a block"))?;
        if ins.name == "YIELD_VALUE" {
            return self.yield_value(state, Some((handler, target)), location);
        }
        if matches!(ins.name, "RAISE_VARARGS" | "RERAISE") {
            let exception = self.exception_raised(state, ins, location)?;
            let operands = self.handler_edge(state, handler, target, location)?;
            state.block.append_operation(py::SetCaughtOperation::builder(self.context, location).exception(exception).build().into());
            state.block.append_operation(cf::br(&self.blocks[target], &operands, location));
            return Ok(());
        }
        let operands = self.handler_edge(state, handler, target, location)?;
        state.block.append_operation(py::ExcBeginOperation::builder(self.context, location).build().into());
        // A loop's step may raise (what a generator raised); its branch comes after the
        // exc_point, in the block that goes on.
        let step = if matches!(ins.name, "FOR_ITER" | "SEND") { Some(self.for_iter_step(state, ins, location)?) } else { None };
        if step.is_none() {
            self.translate_instruction(state, ins, b)?;
        }
        let region = state.block.parent_region().expect("a block of the function");
        let next = region.insert_block_after(state.block, Block::new(&[]));
        let point = melior::ir::operation::OperationBuilder::new("py.exc_point", location)
            .add_operands(&operands)
            .add_successors(&[&*next, &*self.blocks[target]])
            .build()
            .map_err(|e| CompileError::compile(format!("cannot build py.exc_point: {e}")))?;
        state.block.append_operation(point);
        state.block = next;
        if let Some((valid, value)) = step {
            self.for_iter_branch(state, ins, b + 1, valid, value, location)?;
        }
        Ok(())
    }

    /// The operands of the edge to a handler: the locals, the stack cut to the handler's
    /// depth, CPython's `lasti` where it pushes one, and the exception (`py.caught` there).
    fn handler_edge(
        &mut self,
        state: &BlockState<'c, 'a>,
        handler: exceptions::Handler,
        target: usize,
        location: Location<'c>,
    ) -> Result<Vec<Value<'c, 'a>>, CompileError> {
        if state.stack.len() < handler.depth {
            return Err(CompileError::compile("the value stack is shallower than its exception handler expects"));
        }
        let mut stack = state.stack[..handler.depth].to_vec();
        if handler.lasti {
            stack.push(self.sym(Sym::Null));
        }
        stack.push(self.sym(Sym::Caught));
        self.edge(&state.block, target, &state.locals, &stack, location)
    }

    fn pop(&self, state: &mut BlockState<'c, 'a>) -> Result<Slot<'c, 'a>, CompileError> {
        state.stack.pop().ok_or_else(|| CompileError::compile("value stack underflow"))
    }

    /// The SSA values of slots (see `value`).
    fn values_of(&self, slots: &[Slot<'c, 'a>], state: &BlockState<'c, 'a>, location: Location<'c>) -> Result<Vec<Value<'c, 'a>>, CompileError> {
        slots.iter().map(|s| self.value(*s, state, location)).collect()
    }

    /// The SSA values of the top `n` stack slots, popped, in stack order.
    fn pop_values(&self, state: &mut BlockState<'c, 'a>, n: usize, location: Location<'c>) -> Result<Vec<Value<'c, 'a>>, CompileError> {
        let at = state.stack.len().checked_sub(n).ok_or_else(|| CompileError::compile("value stack underflow"))?;
        let slots: Vec<Slot> = state.stack.drain(at..).collect();
        self.values_of(&slots, state, location)
    }

    /// A py.make_tuple of `elements`.
    fn make_tuple(&self, state: &BlockState<'c, 'a>, elements: &[Value<'c, 'a>], location: Location<'c>) -> Value<'c, 'a> {
        let op = py::MakeTupleOperation::builder(self.context, location).elements(elements).result(self.object).build();
        append(&state.block, op.into())
    }

    /// A subscript whose index may be an array (`a[mask]`, `a[idx] = v`) names numlir's
    /// Python implementation of advanced indexing (`py.advanced`), which py-infer-types
    /// calls instead where the index is one. Only in a module built again after inference
    /// found such an index (src/python/compile.rs): other modules carry no templates for it.
    fn mark_advanced(&mut self, op: &mut Operation<'c>, method: &str) {
        if !self.env.advanced_indexing() {
            return;
        }
        if let Some(key) = self.env.array_method(method) {
            self.needs_callee(&key);
            op.set_attribute("py.advanced", FlatSymbolRefAttribute::new(self.context, &key).into());
        }
    }

    /// Records a compiled function the module needs a template of.
    fn needs_callee(&mut self, key: &str) {
        if !self.callees.iter().any(|k| k == key) {
            self.callees.push(key.to_string());
        }
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
                Sym::Str(text) => Ok(append(
                    &state.block,
                    py::StrConstantOperation::builder(self.context, location)
                        .value(StringAttribute::new(self.context, text))
                        .result(self.object)
                        .build()
                        .into(),
                )),
                Sym::Module(m) => Err(CompileError::unsupported(format!("module '{m}' used as a value")).hint(
                    format!("use its functions and constants, e.g. {m}.sqrt(x)"),
                )),
                Sym::Dtype(d) => Err(CompileError::unsupported(format!("the dtype '{d}' used as a value"))
                    .hint("dtypes may be passed to NumPy functions (dtype=np.float32) or called (np.float32(x))")),
                Sym::Method(m) => Err(CompileError::unsupported(format!("method '{m}' used as a value; methods can only be called"))),
                // A compiled function (or an inner one that captures nothing) as a value: a
                // reference that calls resolve (py-infer-types).
                Sym::Function(key) => Ok(self.function_ref(state, key.clone(), None, location)),
                // An inner function or lambda as a value: a closure carries the values of the
                // enclosing variables it reads (py.function_ref's captured tuple).
                Sym::Closure(i) => {
                    let (key, captured) = self.closures[*i].clone();
                    Ok(self.function_ref(state, key, captured, location))
                }
                Sym::Code(_) => Err(CompileError::unsupported(
                    "an inner function that reads variables of its enclosing function, used as a value; numlir calls it where it is defined",
                )),
                Sym::Builtin(f) => Err(CompileError::unsupported(format!(
                    "function '{f}' used as a value; builtins can only be called"
                ))),
                Sym::NamedTupleClass { class, .. } => Err(CompileError::unsupported(format!(
                    "the namedtuple class '{}' used as a value; it can only be called",
                    class.short_name()
                ))),
                Sym::ExceptionClasses(_) => Err(CompileError::unsupported(
                    "a tuple of exception classes used as a value; it can name what `except` catches",
                )),
                Sym::Caught => Err(CompileError::compile("the exception of a handler used before the handler")),
                Sym::ObjModeBlock { .. } => Err(CompileError::unsupported("an objmode block used as a value")),
                Sym::Overloaded(_) => Err(CompileError::unsupported(
                    "a function taught by @overload used as a value; compiled code can only call it",
                )),
                Sym::ExceptionClass(c) | Sym::Exception { class: c, .. } | Sym::ExceptionWithText { class: c, .. } => Err(CompileError::unsupported(
                    format!("exception '{c}' used as a value; exceptions can only be raised"),
                )),
                Sym::Unsupported { what, name } => Err(CompileError::unsupported(format!(
                    "'{name}' is {what}, which compiled code cannot use"
                ))
                .hint("compiled code can use number, str, tuple and NumPy array globals, math, NumPy, builtins and @njit functions")),
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
            GlobalValue::Intrinsic(f) => self.call_builtin(state, &f, &[], &[], location)?,
            GlobalValue::Dtype(d) => self.sym(Sym::Dtype(d)),
            GlobalValue::Array(array) => self.array_constant(state, &array, location)?,
            GlobalValue::Function(k) => {
                self.needs_callee(&k); // it may be used as a value (py.function_ref)
                self.sym(Sym::Function(k))
            }
            GlobalValue::ExceptionClass(c) => self.sym(Sym::ExceptionClass(c)),
            GlobalValue::ObjModeBlock { id, outputs } => self.sym(Sym::ObjModeBlock { id, outputs }),
            GlobalValue::Overloaded(id) => self.sym(Sym::Overloaded(id)),
            GlobalValue::NamedTupleClass { class, defaults } => self.sym(Sym::NamedTupleClass { class, defaults }),
            GlobalValue::Unsupported(what) => self.sym(Sym::Unsupported { what, name: name.to_string() }),
            GlobalValue::Missing => {
                return Err(CompileError::typing(format!("name '{name}' is not defined")))
            }
        })
    }

    /// A frozen NumPy array: `py.array_constant` of its elements; a NumPy scalar: the element
    /// of one.
    fn array_constant(&mut self, state: &BlockState<'c, 'a>, array_info: &ArrayConstant, location: Location<'c>) -> Result<Slot<'c, 'a>, CompileError> {
        let ctx = self.context;
        let element = crate::types::ScalarType::from_dtype(array_info.dtype).to_mlir(ctx);
        let tensor = melior::ir::r#type::RankedTensorType::new(&array_info.shape, element, None);
        let value = dense_elements(tensor.into(), array_info)
            .ok_or_else(|| CompileError::compile("an array constant's bytes do not match its shape and dtype"))?;
        let array = append(
            &state.block,
            py::ArrayConstantOperation::builder(ctx, location).value(value).result(self.object).build().into(),
        );
        if !array_info.scalar {
            return Ok(Slot::Val(array));
        }
        // A NumPy scalar: the element of its 0-d array, `a[()]`.
        let empty = self.constant(state, &Constant::Tuple(Vec::new()), location)?;
        let index = self.value(empty, state, location)?;
        Ok(Slot::Val(append(
            &state.block,
            py::GetItemOperation::builder(ctx, location).base(array).index(index).result(self.object).build().into(),
        )))
    }

    /// The literal a slot holds: a bool, int, string or None written in the source.
    fn literal(&self, slot: Slot<'c, 'a>) -> Option<Constant> {
        if let Some(text) = self.constant_text(slot) {
            return Some(Constant::Str(text));
        }
        match slot {
            Slot::Sym(i) => (self.symbols[i] == Sym::None).then_some(Constant::None),
            Slot::Val(v) => {
                let made = melior::ir::operation::OperationResult::try_from(v).ok()?.owner();
                let name = made.name().as_string_ref().as_str().ok()?.to_string();
                if name == "py.make_tuple" {
                    // (0, 1): a tuple of literals (np.linalg.norm's axis=)
                    let items = (0..made.operand_count()).map(|i| self.literal(Slot::Val(made.operand(i).ok()?)));
                    return items.collect::<Option<Vec<_>>>().map(Constant::Tuple);
                }
                if name != "py.constant" {
                    return None;
                }
                let value = IntegerAttribute::try_from(made.attribute("value").ok()?).ok()?;
                let width = IntegerType::try_from(value.r#type()).ok()?.width();
                Some(if width == 1 { Constant::Bool(value.value() != 0) } else { Constant::Int(value.value()) })
            }
            Slot::Undef => None,
        }
    }

    /// The text of a str constant (a literal, or the py.str_constant made of one).
    fn constant_text(&self, slot: Slot<'c, 'a>) -> Option<String> {
        match slot {
            Slot::Sym(i) => match &self.symbols[i] {
                Sym::Str(text) => Some(text.clone()),
                _ => None,
            },
            Slot::Val(v) => {
                let made = melior::ir::operation::OperationResult::try_from(v).ok()?.owner();
                if made.name().as_string_ref().as_str().ok()? != "py.str_constant" {
                    return None;
                }
                let value = StringAttribute::try_from(made.attribute("value").ok()?).ok()?;
                // melior's value() fails on an empty string.
                Some(if value.to_string() == "\"\"" { String::new() } else { value.value().to_string() })
            }
            Slot::Undef => None,
        }
    }

    /// The elements of a tuple that a py.make_tuple here made (an inner function's defaults).
    fn tuple_elements(&self, tuple: Value<'c, 'a>) -> Option<Vec<Value<'c, 'a>>> {
        let made = melior::ir::operation::OperationResult::try_from(tuple).ok()?.owner();
        (made.name().as_string_ref().as_str().ok()? == "py.make_tuple").then(|| made.operands().collect())
    }

    /// A `py.function_ref` of the compiled function `key` (a callee of the module since its
    /// symbol was made: `global`, MAKE_FUNCTION).
    fn function_ref(&self, state: &BlockState<'c, 'a>, key: String, captured: Option<Value<'c, 'a>>, location: Location<'c>) -> Value<'c, 'a> {
        let builder = py::FunctionRefOperation::builder(self.context, location)
            .callee(FlatSymbolRefAttribute::new(self.context, &key))
            .result(self.object);
        let op = match captured {
            Some(tuple) => builder.captured(tuple).build(),
            None => builder.build(),
        };
        append(&state.block, op.into())
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
        "BUILD_LIST" | "LIST_APPEND" | "LIST_EXTEND" => "lists (and list comprehensions)",
        "LIST_TO_TUPLE" => "tuples made from lists (`tuple(*xs)` of a list)",
        "BUILD_MAP" | "MAP_ADD" | "DICT_UPDATE" | "DICT_MERGE" | "BUILD_CONST_KEY_MAP" => "dicts",
        "BUILD_SET" | "SET_ADD" | "SET_UPDATE" => "sets",
        "IMPORT_NAME" | "IMPORT_FROM" | "IMPORT_STAR" => "imports inside a compiled function",
        "MAKE_FUNCTION" => "nested functions and lambdas",
        "LOAD_BUILD_CLASS" => "classes",
        "DELETE_SUBSCR" => "`del a[i]`",
        "LOAD_DEREF" | "STORE_DEREF" | "LOAD_CLOSURE" | "LOAD_CLASSDEREF" => {
            "variables shared with an inner function, and assigning to variables of an enclosing function"
        }
        "STORE_GLOBAL" | "DELETE_GLOBAL" => "assigning to globals",
        "STORE_ATTR" | "DELETE_ATTR" => "assigning to attributes",
        "CALL_FUNCTION_EX" => "calls with **kwargs, or with *args beside other arguments",
        "RAISE_VARARGS" if arg == 0 => "bare `raise`",
        "RAISE_VARARGS" => "`raise ... from ...`",
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
mod tests;

/// The DenseElementsAttr of `array`'s elements, of type `tensor`; None where the bytes do
/// not fill it. MLIR copies the bytes into the context.
fn dense_elements<'c>(tensor: Type<'c>, array: &ArrayConstant) -> Option<Attribute<'c>> {
    use melior::ir::TypeLike;
    // SAFETY: C API calls on a live type, with a buffer that outlives them; each returns a
    // null attribute rather than failing on a mismatch.
    let raw = unsafe {
        if array.dtype == crate::types::DType::Bool {
            // Bools through their own constructor, which takes an int per element whatever
            // MLIR's storage of i1 (the raw buffer form has its own rules for it).
            let flags: Vec<std::ffi::c_int> = array.data.iter().map(|&b| (b != 0) as std::ffi::c_int).collect();
            mlir_sys::mlirDenseElementsAttrBoolGet(tensor.to_raw(), flags.len() as isize, flags.as_ptr())
        } else {
            mlir_sys::mlirDenseElementsAttrRawBufferGet(tensor.to_raw(), array.data.len(), array.data.as_ptr().cast())
        }
    };
    (!raw.ptr.is_null()).then(|| unsafe { Attribute::from_raw(raw) })
}
