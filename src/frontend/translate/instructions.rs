//! One bytecode instruction at a time: its effect on the simulated value stack and the py
//! ops it emits.
use super::*;

impl<'c, 'a, 'e> Translator<'c, 'a, 'e> {
    /// Whether the BUILD_LIST being translated gathers the elements of `(x, *t)` or the
    /// arguments of `f(x, *t)`: the loads and LIST_EXTENDs after it end in LIST_TO_TUPLE.
    fn builds_star_arguments(&self) -> bool {
        let rest = &self.instructions[self.current + 1..];
        for ins in rest {
            match ins.name {
                "LOAD_FAST" | "LOAD_CONST" | "LOAD_GLOBAL" | "LOAD_DEREF" => {}
                "LIST_EXTEND" | "LIST_APPEND" if ins.arg == 1 => {}
                "LIST_TO_TUPLE" => return true,
                _ => return false,
            }
        }
        false
    }

    /// Whether the slot under the top one is a tuple `builds_star_arguments` is gathering.
    fn gathers_star_arguments(&self, state: &BlockState<'c, 'a>) -> bool {
        let below = state.stack.len().checked_sub(2).map(|i| state.stack[i]);
        matches!(below, Some(Slot::Val(v)) if self.star_arguments.contains(&v))
    }

    /// The class names when every slot is an exception class.
    fn exception_classes(&self, slots: &[Slot<'c, 'a>]) -> Option<Vec<String>> {
        slots
            .iter()
            .map(|s| match s {
                Slot::Sym(i) => match &self.symbols[*i] {
                    Sym::ExceptionClass(c) => Some(c.clone()),
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }

    /// The class, constant message and run-time text of an exception about to be raised.
    pub(super) fn exception_of(&self, e: Slot<'c, 'a>) -> Result<(String, String, Option<Value<'c, 'a>>), CompileError> {
        let only = || CompileError::unsupported("only exception classes and instances can be raised");
        match e {
            Slot::Sym(i) => match &self.symbols[i] {
                Sym::Exception { class, message } => Ok((class.clone(), message.clone(), None)),
                Sym::ExceptionWithText { class, text } => Ok((class.clone(), String::new(), Some(self.exception_texts[*text]))),
                Sym::ExceptionClass(class) => Ok((class.clone(), String::new(), None)),
                _ => Err(only()),
            },
            _ => Err(only()),
        }
    }

    /// The exception a RAISE_VARARGS or RERAISE raises, as a `!py.exception` value: a new
    /// one (`py.make_exception`), the handled one (a bare `raise`), or the one on the stack.
    pub(super) fn exception_raised(&mut self, state: &mut BlockState<'c, 'a>, ins: &Instruction, location: Location<'c>) -> Result<Value<'c, 'a>, CompileError> {
        match (ins.name, ins.arg) {
            ("RAISE_VARARGS", 1) if matches!(state.stack.last(), Some(Slot::Val(_))) => {
                let e = self.pop(state)?;
                self.value(e, state, location)
            }
            ("RAISE_VARARGS", 1) => {
                let e = self.pop(state)?;
                let (class, message, text) = self.exception_of(e)?;
                let make = py::MakeExceptionOperation::builder(self.context, location)
                    .exception(StringAttribute::new(self.context, &class))
                    .message(StringAttribute::new(self.context, &message))
                    .result(self.object);
                let make = match text {
                    Some(t) => make.text(t).build(),
                    None => make.build(),
                };
                Ok(append(&state.block, make.into()))
            }
            ("RAISE_VARARGS", 0) => match self.exc_info.map(|l| state.locals[l]) {
                Some(slot @ Slot::Val(_)) => self.value(slot, state, location),
                _ => Err(CompileError::unsupported("a bare `raise` outside an `except` block")
                    .hint("raise an exception class or instance, e.g. raise ValueError(\"...\")")),
            },
            ("RERAISE", _) => {
                let e = self.pop(state)?;
                self.value(e, state, location)
            }
            _ => Err(unsupported_instruction(ins.name, ins.arg)),
        }
    }

    pub(super) fn translate_instruction(&mut self, state: &mut BlockState<'c, 'a>, ins: &Instruction, b: usize) -> Result<(), CompileError> {
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
            "LOAD_CONST" if self.source.consts[arg] == Constant::Other("code".into()) => {
                let s = self.sym(Sym::Code(arg));
                state.stack.push(s);
            }
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
                let mut base = self.pop(state)?;
                if let Slot::Sym(i) = base {
                    if matches!(self.symbols[i], Sym::Str(_)) {
                        base = Slot::Val(self.value(base, state, location)?); // ", ".join(xs)
                    }
                }
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
                // List.empty_list and Dict.empty: constructors of typed containers.
                if let Slot::Sym(i) = base {
                    let constructor = match (&self.symbols[i], name.as_str()) {
                        (Sym::Builtin(b), "empty_list") if b == "list" => Some("typed.List.empty_list"),
                        (Sym::Builtin(b), "empty") if b == "typed.Dict" => Some("typed.Dict.empty"),
                        _ => None,
                    };
                    if let Some(c) = constructor {
                        if ins.name == "LOAD_METHOD" {
                            let s = self.sym(Sym::Null);
                            state.stack.push(s);
                        }
                        let s = self.sym(Sym::Builtin(c.into()));
                        state.stack.push(s);
                        return Ok(());
                    }
                }
                // A method of a function taught by @overload (a vectorize ufunc's `.reduce`).
                if let Slot::Sym(i) = base {
                    if let Sym::Overloaded(id) = self.symbols[i] {
                        let g = self.env.overload_attribute(id, &name);
                        if g == GlobalValue::Missing {
                            return Err(CompileError::unsupported(format!("attribute '.{name}' of this function is not supported in compiled code")));
                        }
                        if ins.name == "LOAD_METHOD" {
                            let s = self.sym(Sym::Null);
                            state.stack.push(s);
                        }
                        let s = self.global(state, g, &name, location)?;
                        state.stack.push(s);
                        return Ok(());
                    }
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
                let mut op: Operation = py::GetItemOperation::builder(self.context, location)
                    .base(base)
                    .index(index)
                    .result(self.object)
                    .build()
                    .into();
                self.mark_advanced(&mut op, "__getitem__");
                let v = self.op(state, op);
                state.stack.push(v);
            }
            "STORE_SUBSCR" => {
                let index = self.pop(state)?;
                let base = self.pop(state)?;
                let value = self.pop(state)?;
                let (base, index) = (self.value(base, state, location)?, self.value(index, state, location)?);
                let value = self.value(value, state, location)?;
                let mut op: Operation =
                    py::SetItemOperation::builder(self.context, location).base(base).index(index).value(value).build().into();
                self.mark_advanced(&mut op, "__setitem__");
                state.block.append_operation(op);
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
            // `f(*t)` (forwarding *args): a call whose arguments are a tuple's elements,
            // spread by py-infer-types once the tuple's type is known.
            "CALL_FUNCTION_EX" if arg == 0 => {
                let tuple = self.pop(state)?;
                let tuple = self.value(tuple, state, location)?;
                let callable = self.pop(state)?;
                if let Some(Slot::Sym(i)) = state.stack.last() {
                    if self.symbols[*i] == Sym::Null {
                        state.stack.pop();
                    }
                }
                // A callee with *args takes its fixed parameters from the tuple's first
                // elements and the rest as its *args tuple (`py.star_fixed`).
                let mut star_fixed = None;
                let function = match callable {
                    Slot::Sym(i) => match self.symbols[i].clone() {
                        Sym::Function(key) => {
                            self.needs_callee(&key);
                            let callee = self.env.source(&key)?;
                            if callee.flags & 0x04 != 0 {
                                star_fixed = Some(callee.arg_count - 1);
                            }
                            self.function_ref(state, key, None, location)
                        }
                        _ => {
                            return Err(CompileError::unsupported("`f(*t)` calls compiled functions only")
                                .hint("call the function with its arguments"))
                        }
                    },
                    other => self.value(other, state, location)?,
                };
                let mut op: Operation = py::CallBuiltinOperation::builder(self.context, location)
                    .callee(StringAttribute::new(self.context, "call_value"))
                    .args(&[function, tuple])
                    .result(self.object)
                    .build()
                    .into();
                op.set_attribute("py.star", Attribute::unit(self.context));
                if let Some(fixed) = star_fixed {
                    op.set_attribute("py.star_fixed", IntegerAttribute::new(IntegerType::new(self.context, 64).into(), fixed as i64).into());
                }
                let result = self.op(state, op);
                state.stack.push(result);
            }
            "BINARY_OP" => {
                const KINDS: [&str; 13] = [
                    "add", "and", "floordiv", "lshift", "matmul", "mul", "mod", "or", "pow", "rshift", "sub",
                    "truediv", "xor",
                ];
                // 13 and up: the augmented assignments (`+=`), in place on arrays.
                let kind = KINDS[arg % 13];
                let lhs = state.stack.len().checked_sub(2).map(|i| state.stack[i]);
                match lhs.filter(|_| kind == "mod").and_then(|l| self.constant_text(l)) {
                    // "%5.2f" % x, "%d of %d" % (i, n): formatting/`percent_pieces`.
                    Some(text) => {
                        let rhs = self.pop(state)?;
                        self.pop(state)?;
                        let args = match rhs {
                            Slot::Val(v) => self.tuple_elements(v).map(|e| e.into_iter().map(Slot::Val).collect()),
                            _ => None,
                        };
                        let pieces = formatting::percent_pieces(&text)?;
                        let s = self.format_pieces(state, pieces, &args.unwrap_or_else(|| vec![rhs]), &[], true, location)?;
                        state.stack.push(s);
                    }
                    None => self.binop(state, kind, arg >= 13, location)?,
                }
            }
            "UNARY_NEGATIVE" => self.unop(state, "neg", location)?,
            "UNARY_POSITIVE" => self.unop(state, "pos", location)?,
            "UNARY_INVERT" => self.unop(state, "invert", location)?,
            "UNARY_NOT" => self.unop(state, "not", location)?,
            "COMPARE_OP" => self.compare(state, COMPARISONS[arg], location)?,
            "CONTAINS_OP" => {
                // `item in container`: the container is on top; arg 1 is `not in`.
                let container = self.pop(state)?;
                let item = self.pop(state)?;
                let found = self.call_builtin(state, "contains", &[container, item], &[], location)?;
                state.stack.push(found);
                if arg == 1 {
                    self.unop(state, "not", location)?;
                }
            }
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
            // `if x is None:` / `if x is not None:`, jumping on `x is None`.
            "POP_JUMP_FORWARD_IF_NONE" | "POP_JUMP_BACKWARD_IF_NONE" | "POP_JUMP_FORWARD_IF_NOT_NONE"
            | "POP_JUMP_BACKWARD_IF_NOT_NONE" => {
                let v = self.pop(state)?;
                let none = self.sym(Sym::None);
                let is_none = self.call_builtin(state, "is", &[v, none], &[], location)?;
                let is_none = self.value(is_none, state, location)?;
                let cond = self.truth(state, is_none, location);
                let target = self.target(ins);
                let stack = state.stack.clone();
                if ins.name.ends_with("_IF_NONE") {
                    self.cond_br(state, cond, (target, &stack), (fallthrough, &stack), location)?;
                } else {
                    self.cond_br(state, cond, (fallthrough, &stack), (target, &stack), location)?;
                }
            }
            // `a is b` (arg 1: `is not`): numlir compares with None.
            "IS_OP" => {
                let b = self.pop(state)?;
                let a = self.pop(state)?;
                let is = self.call_builtin(state, "is", &[a, b], &[], location)?;
                if arg == 1 {
                    state.stack.push(is);
                    self.unop(state, "not", location)?;
                } else {
                    state.stack.push(is);
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
            "GET_ITER" | "GET_YIELD_FROM_ITER" => {
                let v = self.pop(state)?;
                let v = self.value(v, state, location)?;
                let op = py::GetIterOperation::builder(self.context, location)
                    .iterable(v)
                    .result(self.object)
                    .build();
                let it = self.op(state, op.into());
                state.stack.push(it);
            }
            // `yield from it` is `for x in it: yield x` (nothing is sent; its value is None).
            "FOR_ITER" | "SEND" => {
                let (valid, value) = self.for_iter_step(state, ins, location)?;
                self.for_iter_branch(state, ins, fallthrough, valid, value, location)?;
            }
            "RETURN_VALUE" => {
                let v = self.pop(state)?;
                // A generator returns its generator object (its own return value is
                // StopIteration's, which consumers ignore).
                let v = match self.yielded {
                    Some(generator) => generator,
                    None => self.value(v, state, location)?,
                };
                state.block.append_operation(func::r#return(&[v], location));
            }
            // The start of a generator: what `send` would deliver, popped at once.
            "RETURN_GENERATOR" => {
                let s = self.sym(Sym::None);
                state.stack.push(s);
            }
            "YIELD_VALUE" => self.yield_value(state, None, location)?,
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
            // `(x, *t)` and the arguments of `f(x, *t)`: BUILD_LIST, loads and LIST_EXTENDs,
            // LIST_TO_TUPLE (then CALL_FUNCTION_EX). Gathered as a tuple (py.binop "add").
            "BUILD_LIST" if self.builds_star_arguments() => {
                let values = self.pop_values(state, arg, location)?;
                let t = self.make_tuple(state, &values, location);
                self.star_arguments.push(t);
                state.stack.push(Slot::Val(t));
            }
            "LIST_EXTEND" | "LIST_APPEND" if arg == 1 && self.gathers_star_arguments(state) => {
                if ins.name == "LIST_APPEND" {
                    // One more element: a tuple of it, concatenated like an extension.
                    let item = self.pop_values(state, 1, location)?;
                    let one = self.make_tuple(state, &item, location);
                    state.stack.push(Slot::Val(one));
                }
                self.binop(state, "add", false, location)?;
                if let Some(Slot::Val(t)) = state.stack.last() {
                    self.star_arguments.push(*t);
                }
            }
            "LIST_TO_TUPLE" if matches!(state.stack.last(), Some(Slot::Val(v)) if self.star_arguments.contains(v)) => {}
            "BUILD_LIST" | "BUILD_SET" => {
                let mut values = self.pop_values(state, arg, location)?;
                // `[1, 2, 3]` is BUILD_LIST 0, LOAD_CONST (1, 2, 3), LIST_EXTEND 1: one list of
                // the constants (a set display the same with a frozenset and SET_UPDATE).
                let (instructions, current) = (self.instructions, self.current);
                let next = |k: usize| instructions.get(current + k);
                if let (0, Some(load), Some(extend)) = (arg, next(1), next(2)) {
                    if load.name == "LOAD_CONST" && matches!(extend.name, "LIST_EXTEND" | "SET_UPDATE") && extend.arg == 1 {
                        if let Constant::Tuple(items) = self.source.consts[load.arg as usize].clone() {
                            for item in &items {
                                let slot = self.constant(state, item, location)?;
                                values.push(self.value(slot, state, location)?);
                            }
                            self.skip = 2;
                        }
                    }
                }
                let mut op: Operation = if ins.name == "BUILD_LIST" {
                    py::MakeListOperation::builder(self.context, location).elements(&values).result(self.object).build().into()
                } else {
                    py::MakeSetOperation::builder(self.context, location).elements(&values).result(self.object).build().into()
                };
                // The variable it is stored to names it in type errors.
                if let Some(store) = next(1 + self.skip).filter(|i| i.name == "STORE_FAST") {
                    let name = &self.source.varnames[store.arg as usize];
                    op.set_attribute("py.name", StringAttribute::new(self.context, name).into());
                }
                let l = self.op(state, op);
                state.stack.push(l);
            }
            "LIST_APPEND" | "LIST_EXTEND" | "SET_ADD" | "SET_UPDATE" => {
                // A comprehension's append, or `[*xs]`: the list is `arg` deep under the value.
                let item = self.pop(state)?;
                let list = state.stack[state.stack.len() - arg];
                let method = match ins.name {
                    "LIST_APPEND" => "list.append",
                    "LIST_EXTEND" => "list.extend",
                    "SET_ADD" => "set.add",
                    _ => "set.update",
                };
                self.call_builtin(state, method, &[list, item], &[], location)?;
            }
            "BUILD_MAP" | "BUILD_CONST_KEY_MAP" => {
                // BUILD_MAP n: k1, v1, ..., kn, vn; BUILD_CONST_KEY_MAP n: v1..vn, then a
                // constant tuple of the keys.
                let (mut keys, mut values) = (Vec::new(), Vec::new());
                if ins.name == "BUILD_MAP" {
                    for _ in 0..arg {
                        let v = self.pop(state)?;
                        let k = self.pop(state)?;
                        values.push(self.value(v, state, location)?);
                        keys.push(self.value(k, state, location)?);
                    }
                } else {
                    let names = self.pop(state)?;
                    let names = self.value(names, state, location)?;
                    for i in (0..arg).rev() {
                        let v = self.pop(state)?;
                        values.push(self.value(v, state, location)?);
                        let op = py::TupleGetOperation::builder(self.context, location)
                            .tuple(names)
                            .index(IntegerAttribute::new(IntegerType::new(self.context, 64).into(), i as i64))
                            .result(self.object)
                            .build();
                        keys.push(append(&state.block, op.into()));
                    }
                }
                keys.reverse();
                values.reverse();
                let mut op: Operation = py::MakeDictOperation::builder(self.context, location)
                    .keys(&keys)
                    .values(&values)
                    .result(self.object)
                    .build()
                    .into();
                let sizes = [keys.len() as i32, values.len() as i32];
                op.set_attribute("operandSegmentSizes", DenseI32ArrayAttribute::new(self.context, &sizes).into());
                if let Some(store) = self.instructions.get(self.current + 1).filter(|i| i.name == "STORE_FAST") {
                    let name = &self.source.varnames[store.arg as usize];
                    op.set_attribute("py.name", StringAttribute::new(self.context, name).into());
                }
                let d = self.op(state, op);
                state.stack.push(d);
            }
            "MAP_ADD" => {
                // A dict comprehension's `d[k] = v`: the dict is `arg` deep under the pair.
                let value = self.pop(state)?;
                let key = self.pop(state)?;
                let dict = state.stack[state.stack.len() - arg];
                let (dict, key, value) =
                    (self.value(dict, state, location)?, self.value(key, state, location)?, self.value(value, state, location)?);
                state.block.append_operation(
                    py::SetItemOperation::builder(self.context, location).base(dict).index(key).value(value).build().into(),
                );
            }
            "DELETE_SUBSCR" => {
                let index = self.pop(state)?;
                let base = self.pop(state)?;
                self.call_builtin(state, "delitem", &[base, index], &[], location)?;
            }
            "MAKE_FUNCTION" => {
                let code = match self.pop(state)? {
                    Slot::Sym(i) => match self.symbols[i] {
                        Sym::Code(index) => index,
                        _ => return Err(CompileError::compile("MAKE_FUNCTION without a code object")),
                    },
                    _ => return Err(CompileError::compile("MAKE_FUNCTION without a code object")),
                };
                // Flags: 0x01 a tuple of defaults, 0x02 keyword-only defaults, 0x04
                // annotations, 0x08 the tuple of enclosing variables read (popped in reverse).
                if arg & 0x02 != 0 {
                    return Err(CompileError::unsupported(
                        "inner functions and lambdas with keyword-only parameters that have defaults are not supported",
                    ));
                }
                let captured = if arg & 0x08 != 0 {
                    let t = self.pop(state)?;
                    Some(self.value(t, state, location)?)
                } else {
                    None
                };
                if arg & 0x04 != 0 {
                    self.pop(state)?; // annotations: nothing compiled code uses
                }
                let defaults = if arg & 0x01 != 0 {
                    let t = self.pop(state)?;
                    let t = self.value(t, state, location)?;
                    self.tuple_elements(t).ok_or_else(|| {
                        CompileError::unsupported("an inner function's defaults must be written in its def")
                    })?
                } else {
                    Vec::new()
                };
                let key = self.env.nested(&self.source.key, code)?;
                self.needs_callee(&key); // it may be used as a value (py.function_ref)
                self.closures.push((key, captured));
                self.closure_defaults.push(defaults);
                let s = self.sym(Sym::Closure(self.closures.len() - 1));
                state.stack.push(s);
            }
            // f"{x!r:>{w}}": FORMAT_VALUE converts (flags & 3: str, repr) and formats (flags & 4:
            // a spec is on the stack above the value); BUILD_STRING joins the pieces.
            "FORMAT_VALUE" => {
                let spec = if arg & 4 != 0 { Some(self.pop(state)?) } else { None };
                let mut value = self.pop(state)?;
                match arg & 3 {
                    1 => value = self.call_builtin(state, "str", &[value], &[], location)?,
                    2 | 3 => value = self.call_builtin(state, "repr", &[value], &[], location)?,
                    _ => {}
                }
                let args: Vec<_> = std::iter::once(value).chain(spec).collect();
                let s = self.call_builtin(state, "format", &args, &[], location)?;
                state.stack.push(s);
            }
            "BUILD_STRING" => {
                let at = state.stack.len().checked_sub(arg).ok_or_else(|| CompileError::compile("value stack underflow"))?;
                let pieces: Vec<_> = state.stack.drain(at..).collect();
                let s = self.call_builtin(state, "str.build", &pieces, &[], location)?;
                state.stack.push(s);
            }
            "BUILD_TUPLE" if arg > 0 && state.stack.len() >= arg && self.exception_classes(&state.stack[state.stack.len() - arg..]).is_some() => {
                // `except (KeyError, IndexError):`
                let at = state.stack.len() - arg;
                let classes = self.exception_classes(&state.stack[at..]).unwrap_or_default();
                state.stack.truncate(at);
                let s = self.sym(Sym::ExceptionClasses(classes));
                state.stack.push(s);
            }
            // An inner function's annotations (`def g(x: int)`): names and types, which
            // compiled code does not use, right before its code and MAKE_FUNCTION.
            "BUILD_TUPLE"
                if matches!(
                    (self.instructions.get(self.current + 1), self.instructions.get(self.current + 2)),
                    (Some(load), Some(make)) if load.name == "LOAD_CONST"
                        && matches!(self.source.consts.get(load.arg as usize), Some(Constant::Other(w)) if w == "code")
                        && make.name == "MAKE_FUNCTION" && make.arg & 0x04 != 0
                ) =>
            {
                let at = state.stack.len().checked_sub(arg).ok_or_else(|| CompileError::compile("value stack underflow"))?;
                state.stack.truncate(at);
                let s = self.sym(Sym::None);
                state.stack.push(s);
            }
            "BUILD_TUPLE" => {
                let values = self.pop_values(state, arg, location)?;
                let t = self.make_tuple(state, &values, location);
                state.stack.push(Slot::Val(t));
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
            // `raise e` of a caught exception: raised again.
            "RAISE_VARARGS" if arg == 1 && matches!(state.stack.last(), Some(Slot::Val(_))) => {
                let exception = self.exception_raised(state, ins, location)?;
                state.block.append_operation(py::ReraiseOperation::builder(self.context, location).exception(exception).build().into());
            }
            "RAISE_VARARGS" if arg == 1 => {
                let e = self.pop(state)?;
                let (class, message, text) = self.exception_of(e)?;
                let raise = py::RaiseOperation::builder(self.context, location)
                    .exception(StringAttribute::new(self.context, &class))
                    .message(StringAttribute::new(self.context, &message));
                let raise = match text {
                    Some(t) => raise.text(t).build(),
                    None => raise.build(),
                };
                state.block.append_operation(raise.into());
            }
            // try/except outside a try body (the guarded forms are translate_guarded's).
            "RAISE_VARARGS" | "RERAISE" => {
                let exception = self.exception_raised(state, ins, location)?;
                state.block.append_operation(py::ReraiseOperation::builder(self.context, location).exception(exception).build().into());
            }
            "PUSH_EXC_INFO" => {
                // The stack keeps CPython's shape (the previous exception, then this one);
                // the hidden local is the exception a bare `raise` raises.
                let e = self.pop(state)?;
                let null = self.sym(Sym::Null);
                state.stack.push(null);
                state.stack.push(e);
                if let Some(local) = self.exc_info {
                    state.locals[local] = e;
                }
            }
            "POP_EXCEPT" => {
                self.pop(state)?;
                if let Some(local) = self.exc_info {
                    state.locals[local] = self.sym(Sym::Null);
                }
            }
            "CHECK_EXC_MATCH" => {
                let classes = match self.pop(state)? {
                    Slot::Sym(i) => match &self.symbols[i] {
                        Sym::ExceptionClass(c) => vec![c.clone()],
                        Sym::ExceptionClasses(cs) => cs.clone(),
                        _ => return Err(CompileError::unsupported("`except` takes exception classes")),
                    },
                    _ => return Err(CompileError::unsupported("`except` takes exception classes")),
                };
                let mut names: Vec<String> = Vec::new();
                for c in &classes {
                    for name in self.env.exception_subclasses(c) {
                        if !names.contains(&name) {
                            names.push(name);
                        }
                    }
                }
                let exception = match state.stack.last() {
                    Some(&slot) => self.value(slot, state, location)?,
                    None => return Err(CompileError::compile("value stack underflow")),
                };
                let attrs: Vec<Attribute> = names.iter().map(|n| StringAttribute::new(self.context, n).into()).collect();
                let op = py::ExcMatchOperation::builder(self.context, location)
                    .exception(exception)
                    .classes(ArrayAttribute::new(self.context, &attrs))
                    .result(self.object)
                    .build();
                let m = self.op(state, op.into());
                state.stack.push(m);
            }
            "DELETE_FAST" => state.locals[arg] = Slot::Undef,
            other => return Err(unsupported_instruction(other, ins.arg)),
        }
        Ok(())
    }
}

impl<'c, 'a, 'e> Translator<'c, 'a, 'e> {
    /// The step of FOR_ITER (or of `yield from`'s SEND, after popping the None it sends):
    /// `py.iter_next` on the iterator on top of the stack.
    pub(super) fn for_iter_step(
        &mut self,
        state: &mut BlockState<'c, 'a>,
        ins: &Instruction,
        location: Location<'c>,
    ) -> Result<(Value<'c, 'a>, Value<'c, 'a>), CompileError> {
        if ins.name == "SEND" {
            self.pop(state)?;
        }
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
        Ok((next.result(0).unwrap().into(), next.result(1).unwrap().into()))
    }

    /// The branch of FOR_ITER on its step: into the body with the value, or past the loop
    /// (SEND: the iterator's place holds its return value, None).
    pub(super) fn for_iter_branch(
        &mut self,
        state: &mut BlockState<'c, 'a>,
        ins: &Instruction,
        fallthrough: usize,
        valid: Value<'c, 'a>,
        value: Value<'c, 'a>,
        location: Location<'c>,
    ) -> Result<(), CompileError> {
        let mut body = state.stack.clone();
        body.push(Slot::Val(value));
        let mut exit = state.stack[..state.stack.len() - 1].to_vec();
        if ins.name == "SEND" {
            exit.push(self.sym(Sym::None));
        }
        let target = self.target(ins);
        self.cond_br(state, valid, (fallthrough, &body), (target, &exit), location)
    }

    /// `yield`: suspends. When the generator is dropped instead of resumed, it returns from
    /// there, releasing what it holds on the way out; inside a try body (`handler`: where
    /// it goes and its block), GeneratorExit is raised there instead, as CPython's close()
    /// does, so that `finally` blocks run.
    pub(super) fn yield_value(
        &mut self,
        state: &mut BlockState<'c, 'a>,
        handler: Option<(exceptions::Handler, usize)>,
        location: Location<'c>,
    ) -> Result<(), CompileError> {
        let v = self.pop(state)?;
        let v = self.value(v, state, location)?;
        let generator = self.yielded.ok_or_else(|| CompileError::compile("yield outside a generator"))?;
        let i1 = IntegerType::new(self.context, 1).into();
        let mut op: Operation = py::YieldValueOperation::builder(self.context, location).generator(generator).value(v).resumed(i1).build().into();
        if handler.is_some() {
            // Code may run after a GeneratorExit here, up to another yield (see py.yield).
            op.set_attribute("py.generator_exit", Attribute::unit(self.context));
        }
        let resumed = append(&state.block, op);
        let region = state.block.parent_region().expect("a block of the function");
        let next = region.insert_block_after(state.block, Block::new(&[]));
        let dropped = region.insert_block_after(next, Block::new(&[]));
        state.block.append_operation(cf::cond_br(self.context, resumed, &next, &dropped, &[], &[], location));
        match handler {
            None => {
                dropped.append_operation(func::r#return(&[generator], location));
            }
            Some((handler, target)) => {
                let closing = BlockState { block: dropped, locals: state.locals.clone(), stack: state.stack.clone(), kw_names: Vec::new() };
                let exit = py::MakeExceptionOperation::builder(self.context, location)
                    .exception(StringAttribute::new(self.context, "GeneratorExit"))
                    .message(StringAttribute::new(self.context, ""))
                    .result(self.object)
                    .build();
                let exit = append(&dropped, exit.into());
                let operands = self.handler_edge(&closing, handler, target, location)?;
                dropped.append_operation(py::SetCaughtOperation::builder(self.context, location).exception(exit).build().into());
                dropped.append_operation(cf::br(&self.blocks[target], &operands, location));
            }
        }
        state.block = next;
        let s = self.sym(Sym::None); // the value of the yield expression: nothing is sent
        state.stack.push(s);
        Ok(())
    }
}
