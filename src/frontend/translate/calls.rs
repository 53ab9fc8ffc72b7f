//! Calls: of numlir functions (templates the frontend translates too), builtins and NumPy
//! functions (py.call_builtin by name), the operator module, and namedtuple classes; keyword
//! arguments bound by position.
use super::*;

impl<'c, 'a, 'e> Translator<'c, 'a, 'e> {
    pub(super) fn call(&mut self, state: &mut BlockState<'c, 'a>, argc: usize, location: Location<'c>) -> Result<(), CompileError> {
        let mut kw_names = std::mem::take(&mut state.kw_names);
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
            // A function passed in or stored in a variable: py-infer-types resolves the call.
            if !kw_names.is_empty() {
                return Err(CompileError::unsupported("keyword arguments in a call of a function value")
                    .hint("pass the arguments by position"));
            }
            let mut values = vec![self.value(callable, state, location)?];
            values.extend(self.values_of(&args, state, location)?);
            let op = py::CallBuiltinOperation::builder(self.context, location)
                .callee(StringAttribute::new(self.context, "call_value"))
                .args(&values)
                .result(self.object)
                .build();
            let result = self.op(state, op.into());
            state.stack.push(result);
            return Ok(());
        };
        let mut callable = self.symbols[callable].clone();
        // sorted(xs, key=f), xs.sort(key=f), min(xs, key=f), max(xs, key=f): numlir's own
        // Python helpers, compiled as any callee (python/numlir/_sorting.py).
        if kw_names.iter().any(|k| k == "key") {
            match &callable {
                Sym::Builtin(n) if n == "sorted" => callable = Sym::Function(self.env.helper("sorted_by_key")?),
                Sym::Method(n) if n == "sort" => callable = Sym::Function(self.env.helper("sort_by_key")?),
                Sym::Builtin(n) if (n == "min" || n == "max") && args.len() == kw_names.len() + 1 => {
                    callable = Sym::Function(self.env.helper(&format!("{n}_by_key"))?)
                }
                _ => {}
            }
        }
        // np.where(cond) is np.nonzero(cond).
        if matches!(&callable, Sym::Builtin(n) if n == "np.where") && args.len() == 1 && kw_names.is_empty() {
            if let GlobalValue::Function(key) = self.env.attribute("numpy", "nonzero") {
                self.needs_callee(&key);
                callable = Sym::Function(key);
            }
        }
        // Array methods numlir implements in Python (python/numlir/_numpy/): a call of the
        // implementation with the receiver first. `xs.sort(reverse=...)` is a list's sort.
        if let Sym::Method(n) = &callable {
            let list_sort = n == "sort" && kw_names.iter().any(|k| k == "reverse");
            if let Some(key) = (!list_sort).then(|| self.env.array_method(n)).flatten() {
                callable = Sym::Function(key);
            }
        }
        // Literal arguments that choose the implementation (`np.unique(a, return_counts=True)`,
        // `np.einsum("ij,jk", a, b)`).
        if let Sym::Function(key) = &callable {
            let first_keyword = args.len() - kw_names.len();
            let positional: Vec<_> = args[..first_keyword].iter().map(|slot| self.literal(*slot)).collect();
            let keywords: Vec<_> =
                kw_names.iter().zip(&args[first_keyword..]).map(|(k, slot)| (k.clone(), self.literal(*slot))).collect();
            if let Some(chosen) = self.env.specialize(key, &positional, &keywords)? {
                let mut kept_args: Vec<_> = args[..first_keyword]
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !chosen.taken_positions.contains(i))
                    .map(|(_, slot)| *slot)
                    .collect();
                let mut kept_names = Vec::new();
                for (name, slot) in kw_names.iter().zip(&args[first_keyword..]) {
                    if !chosen.taken_keywords.contains(name) {
                        kept_args.push(*slot);
                        kept_names.push(name.clone());
                    }
                }
                self.needs_callee(&chosen.key);
                callable = Sym::Function(chosen.key);
                args = kept_args;
                kw_names = kept_names;
            }
        }
        // "{:>8.2f} {}".format(x, s): formatting/`brace_pieces`.
        if let (Sym::Method(n), Some(first)) = (&callable, args.first()) {
            if let Some(text) = (n == "format").then(|| self.constant_text(*first)).flatten() {
                let first_keyword = args.len() - kw_names.len();
                let keywords: Vec<_> = kw_names.iter().cloned().zip(args[first_keyword..].iter().copied()).collect();
                let pieces = super::formatting::brace_pieces(&text)?;
                let s = self.format_pieces(state, pieces, &args[1..first_keyword], &keywords, false, location)?;
                state.stack.push(s);
                return Ok(());
            }
        }
        let builtin_like = matches!(&callable, Sym::Builtin(n) if n.starts_with("np.") || n.starts_with("cuda.") || n.ends_with("isclose") || n == "enumerate" || n == "print" || n == "sorted" || n.starts_with("typed."))
            || matches!(callable, Sym::Method(_) | Sym::Function(_) | Sym::Closure(_) | Sym::Overloaded(_) | Sym::NamedTupleClass { .. });
        if !kw_names.is_empty() && !builtin_like {
            return Err(CompileError::unsupported("keyword arguments are only supported in calls of compiled functions, NumPy functions, array methods, isclose, enumerate, sorted and print")
                .hint("pass the arguments by position"));
        }
        let result = match callable {
            Sym::ExceptionClass(class) => match args.as_slice() {
                [] => self.sym(Sym::Exception { class, message: String::new() }),
                [Slot::Sym(i)] if matches!(&self.symbols[*i], Sym::Str(_)) => {
                    let Sym::Str(message) = self.symbols[*i].clone() else { unreachable!() };
                    self.sym(Sym::Exception { class, message })
                }
                [message] => {
                    // A message made at run time (an f-string, a number): its str().
                    let text = self.call_builtin(state, "str", &[*message], &[], location)?;
                    let text = self.value(text, state, location)?;
                    self.exception_texts.push(text);
                    let text = self.exception_texts.len() - 1;
                    self.sym(Sym::ExceptionWithText { class, text })
                }
                _ => {
                    return Err(CompileError::unsupported("exceptions take one message")
                        .hint("write raise ValueError(f\"message {x}\")"))
                }
            },
            Sym::Builtin(name) if name == "range" || name == "prange" => {
                let prange = name == "prange";
                let values = self.values_of(&args, state, location)?;
                let (start, stop, step) = match values.len() {
                    1 => (self.int_constant(state, 0, location), values[0], self.int_constant(state, 1, location)),
                    2 => (values[0], values[1], self.int_constant(state, 1, location)),
                    3 => (values[0], values[1], values[2]),
                    n => return Err(CompileError::typing(format!("range expected 1 to 3 arguments, got {n}"))),
                };
                let mut op: melior::ir::Operation = py::RangeOperation::builder(self.context, location)
                    .start(start)
                    .stop(stop)
                    .step(step)
                    .result(self.object)
                    .build()
                    .into();
                if prange {
                    // numlir.prange: range(), made a parallel loop where parallel=True.
                    op.set_attribute("prange", melior::ir::Attribute::unit(self.context));
                }
                self.op(state, op)
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
            Sym::Builtin(name) if name == "print" => self.print(state, &args, &kw_names, location)?,
            Sym::Builtin(name) if name.starts_with("typed.") => self.empty_typed(state, &name, &args, &kw_names, location)?,
            Sym::Builtin(name) if name.starts_with("operator.") => self.call_operator(state, &name, &args, location)?,
            Sym::Builtin(name) => {
                let (args, kw_names) = self.numpy_keywords_by_position(&name, args, kw_names)?;
                self.call_builtin(state, &name, &args, &kw_names, location)?
            }
            Sym::Method(name) => self.call_builtin(state, &format!("ndarray.{name}"), &args, &kw_names, location)?,
            Sym::NamedTupleClass { class, defaults } => {
                self.construct_named_tuple(state, &class, &defaults, &args, &kw_names, location)?
            }
            Sym::Function(_) | Sym::Closure(_) => {
                let (key, captured, defaults) = match callable {
                    Sym::Closure(i) => (self.closures[i].0.clone(), self.closures[i].1, Some(self.closure_defaults[i].clone())),
                    Sym::Function(key) => (key, None, None),
                    _ => unreachable!(),
                };
                // Keyword arguments take the callee's parameter positions; omitted ones its defaults.
                let args = self.by_position(&key, args, &kw_names, defaults.as_deref(), state, location)?;
                let mut values = self.values_of(&args, state, location)?;
                values.extend(captured);
                self.needs_callee(&key);
                let op = py::CallOperation::builder(self.context, location)
                    .callee(FlatSymbolRefAttribute::new(self.context, &key))
                    .args(&values)
                    .result(self.object)
                    .build();
                self.op(state, op.into())
            }
            Sym::Overloaded(id) => {
                // numlir.extending.overload: py-infer-types picks the implementation by type.
                // Keywords and omitted defaults take the typing function's parameters.
                let args = match self.env.overload_typer(id) {
                    Some(typer) => self.by_position(&typer, args, &kw_names, None, state, location)?,
                    None if kw_names.is_empty() => args,
                    None => {
                        return Err(CompileError::unsupported("keyword arguments in a call of a function taught by @overload")
                            .hint("pass the arguments by position"))
                    }
                };
                let values = self.values_of(&args, state, location)?;
                let op = py::CallOverloadOperation::builder(self.context, location)
                    .overload(IntegerAttribute::new(IntegerType::new(self.context, 64).into(), id as i64))
                    .args(&values)
                    .result(self.object)
                    .build();
                self.op(state, op.into())
            }
            Sym::ObjModeBlock { id, outputs } => {
                // `with objmode(...)`: the interpreter runs the block (python/numlir/objmode_blocks.py).
                let values = self.values_of(&args, state, location)?;
                let types: Vec<Attribute> = outputs.iter().map(|t| TypeAttribute::new(t.to_mlir(self.context)).into()).collect();
                let op = py::ObjModeCallOperation::builder(self.context, location)
                    .block(IntegerAttribute::new(IntegerType::new(self.context, 64).into(), id as i64))
                    .args(&values)
                    .outputs(ArrayAttribute::new(self.context, &types))
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
    pub(super) fn call_operator(&mut self, state: &mut BlockState<'c, 'a>, name: &str, args: &[Slot<'c, 'a>], location: Location<'c>) -> Result<Slot<'c, 'a>, CompileError> {
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
        } else if function == "contains" {
            // operator.contains(a, b) is `b in a`
            arity(2)?;
            state.stack.truncate(state.stack.len() - 2);
            return self.call_builtin(state, "contains", args, &[], location);
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

    /// The arguments of a call of the compiled function `key` in its parameter order:
    /// keywords placed by name, omitted ones from the callee's defaults, or for an inner
    /// function made in compiled code from the values its defaults took there
    /// (`made_defaults`).
    pub(super) fn by_position(
        &mut self,
        key: &str,
        args: Vec<Slot<'c, 'a>>,
        kw_names: &[String],
        made_defaults: Option<&[Value<'c, 'a>]>,
        state: &BlockState<'c, 'a>,
        location: Location<'c>,
    ) -> Result<Vec<Slot<'c, 'a>>, CompileError> {
        let callee = self.env.source(key)?;
        // A callee with *args binds its fixed parameters as any function does; the positional
        // arguments past them go into a tuple, its last parameter. Keyword-only parameters
        // (between them) take keywords only.
        let varargs = callee.flags & 0x04 != 0;
        let fixed = callee.arg_count - usize::from(varargs);
        let params = &callee.varnames[..fixed.min(callee.varnames.len())];
        let positional_params = params.len() - callee.kwonly;
        let positional = args.len() - kw_names.len();
        let mut args = args;
        let extra: Vec<Slot<'c, 'a>> = if varargs && positional > positional_params {
            args.drain(positional_params..positional).collect()
        } else {
            Vec::new()
        };
        if args.len() - kw_names.len() > positional_params {
            return Err(CompileError::typing(format!(
                "{}() takes {} positional arguments but {} were given",
                callee.name,
                positional_params,
                args.len() - kw_names.len()
            )));
        }
        let placed = place_arguments(&callee.name, params, &args, kw_names)?;
        let default_count = made_defaults.map_or(callee.defaults.len(), <[_]>::len).min(positional_params);
        let first_default = positional_params - default_count;
        let mut out = Vec::with_capacity(placed.len());
        for (i, a) in placed.into_iter().enumerate() {
            let missing = || CompileError::typing(format!("{}() missing the argument '{}'", callee.name, params[i]));
            out.push(match a {
                Some(a) => a,
                None if i >= positional_params => {
                    let default = callee.kwdefaults.get(i - positional_params).cloned().flatten().ok_or_else(missing)?;
                    self.global(state, default, &params[i], location)?
                }
                None if i >= first_default => match made_defaults {
                    Some(made) => Slot::Val(made[i - first_default]),
                    None => self.global(state, callee.defaults[i - first_default].clone(), &params[i], location)?,
                },
                None => return Err(missing()),
            });
        }
        if varargs {
            let rest = self.values_of(&extra, state, location)?;
            out.push(Slot::Val(self.make_tuple(state, &rest, location)));
        }
        Ok(out)
    }

    /// `Point(x, y=2)` of a namedtuple class: its fields in order (a missing one from the
    /// class's defaults), built as a `!py.namedtuple` by a py.make_tuple that names the class.
    pub(super) fn construct_named_tuple(
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
    /// print(...): a py.call_builtin "print" of the values, with the constant pieces (strings,
    /// None) and `sep=`/`end=` as attributes: `py.print_pieces` lists each argument as its
    /// text or its operand's index.
    fn print(&mut self, state: &BlockState<'c, 'a>, args: &[Slot<'c, 'a>], kw_names: &[String], location: Location<'c>) -> Result<Slot<'c, 'a>, CompileError> {
        let positional = args.len() - kw_names.len();
        let text_of = |slot: &Slot<'c, 'a>| match slot {
            Slot::Sym(i) => match &self.symbols[*i] {
                Sym::Str(s) => Some(s.clone()),
                Sym::None => Some("None".to_string()),
                _ => None,
            },
            _ => None,
        };
        let mut values = Vec::new();
        let mut pieces: Vec<Attribute> = Vec::new();
        for a in &args[..positional] {
            if let Some(text) = text_of(a) {
                pieces.push(StringAttribute::new(self.context, &text).into());
            } else {
                let index = IntegerAttribute::new(IntegerType::new(self.context, 64).into(), values.len() as i64);
                values.push(self.value(*a, state, location)?);
                pieces.push(index.into());
            }
        }
        let mut sep = " ".to_string();
        let mut end = "\n".to_string();
        for (name, a) in kw_names.iter().zip(&args[positional..]) {
            if name != "sep" && name != "end" {
                return Err(CompileError::unsupported(format!("print() does not take {name}= in compiled code (sep= and end= only)")));
            }
            let text = match (a, text_of(a)) {
                (Slot::Sym(i), _) if self.symbols[*i] == Sym::None => continue, // the default
                (_, Some(t)) => t,
                _ => return Err(CompileError::unsupported(format!("print()'s {name}= must be a constant string"))),
            };
            if name == "sep" {
                sep = text;
            } else {
                end = text;
            }
        }
        let mut op: Operation<'c> = py::CallBuiltinOperation::builder(self.context, location)
            .callee(StringAttribute::new(self.context, "print"))
            .args(&values)
            .result(self.object)
            .build()
            .into();
        op.set_attribute("py.print_pieces", ArrayAttribute::new(self.context, &pieces).into());
        op.set_attribute("py.print_sep", StringAttribute::new(self.context, &sep).into());
        op.set_attribute("py.print_end", StringAttribute::new(self.context, &end).into());
        state.block.append_operation(op);
        Ok(self.sym(Sym::None))
    }

    /// Keyword arguments of a NumPy function numlir lowers itself, other than the ones its
    /// rules read by name (`dtype=`, `axis=`, `out=`), move to their parameter's position
    /// (`np.clip(a, a_min=0, a_max=1)` is `np.clip(a, 0, 1)`), as NumPy's signature places them.
    fn numpy_keywords_by_position(
        &self,
        name: &str,
        args: Vec<Slot<'c, 'a>>,
        kw_names: Vec<String>,
    ) -> Result<(Vec<Slot<'c, 'a>>, Vec<String>), CompileError> {
        const BY_NAME: &[&str] = &["dtype", "axis", "out"];
        let Some(function) = name.strip_prefix("np.") else { return Ok((args, kw_names)) };
        if kw_names.iter().all(|k| BY_NAME.contains(&k.as_str())) {
            return Ok((args, kw_names));
        }
        let params = self.env.numpy_parameters(function);
        let first_keyword = args.len() - kw_names.len();
        let mut positional: Vec<Option<Slot<'c, 'a>>> = args[..first_keyword].iter().copied().map(Some).collect();
        let (mut kept, mut kept_names) = (Vec::new(), Vec::new());
        for (keyword, slot) in kw_names.iter().zip(&args[first_keyword..]) {
            match params.iter().position(|p| p == keyword).filter(|_| !BY_NAME.contains(&keyword.as_str())) {
                Some(i) => {
                    if positional.len() <= i {
                        positional.resize(i + 1, None);
                    }
                    if positional[i].is_some() {
                        return Err(CompileError::typing(format!("{name}() got multiple values for argument '{keyword}'")));
                    }
                    positional[i] = Some(*slot);
                }
                None => {
                    kept.push(*slot);
                    kept_names.push(keyword.clone());
                }
            }
        }
        let Some(missing) = positional.iter().position(Option::is_none) else {
            let mut args: Vec<_> = positional.into_iter().flatten().collect();
            args.extend(kept);
            return Ok((args, kept_names));
        };
        Err(CompileError::unsupported(format!("{name}() without its argument '{}' before the ones given by keyword", params[missing]))
            .hint("pass the arguments before it too"))
    }

    pub(super) fn call_builtin(
        &mut self,
        state: &BlockState<'c, 'a>,
        name: &str,
        args: &[Slot<'c, 'a>],
        kw_names: &[String],
        location: Location<'c>,
    ) -> Result<Slot<'c, 'a>, CompileError> {
        let takes_dtype = name.starts_with("np.") || name.starts_with("ndarray.") || name.starts_with("cuda.");
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

    /// `List.empty_list(t)` and `Dict.empty(key_type=k, value_type=v)`: an empty list or dict
    /// whose item types the attributes give (py-infer-types starts from them).
    fn empty_typed(&mut self, state: &BlockState<'c, 'a>, name: &str, args: &[Slot<'c, 'a>], kw_names: &[String], location: Location<'c>) -> Result<Slot<'c, 'a>, CompileError> {
        let params: &[&str] = if name == "typed.List.empty_list" { &["item_type", "allocated"] } else { &["key_type", "value_type", "n_keys"] };
        let params: Vec<String> = params.iter().map(|p| p.to_string()).collect();
        let placed = place_arguments(name, &params, args, kw_names)?;
        let dtype = |i: usize| -> Result<String, CompileError> {
            match placed.get(i).copied().flatten() {
                Some(Slot::Sym(s)) => match &self.symbols[s] {
                    Sym::Dtype(d) => Ok(d.clone()),
                    _ => Err(CompileError::unsupported(format!("{name}'s {} must be a numlir type of a number (types.int64, types.float64, ...)", params[i]))),
                },
                _ => Err(CompileError::unsupported(format!("{name} needs {} as a numlir type of a number", params[i]))),
            }
        };
        let mut op: Operation = if name == "typed.List.empty_list" {
            let mut op: Operation = py::MakeListOperation::builder(self.context, location).elements(&[]).result(self.object).build().into();
            op.set_attribute("py.element_dtype", StringAttribute::new(self.context, &dtype(0)?).into());
            op
        } else {
            let mut op: Operation = py::MakeDictOperation::builder(self.context, location).keys(&[]).values(&[]).result(self.object).build().into();
            op.set_attribute("operandSegmentSizes", DenseI32ArrayAttribute::new(self.context, &[0, 0]).into());
            op.set_attribute("py.key_dtype", StringAttribute::new(self.context, &dtype(0)?).into());
            op.set_attribute("py.value_dtype", StringAttribute::new(self.context, &dtype(1)?).into());
            op
        };
        if let Some(store) = self.instructions.get(self.current + 1).filter(|i| i.name == "STORE_FAST") {
            op.set_attribute("py.name", StringAttribute::new(self.context, &self.source.varnames[store.arg as usize]).into());
        }
        Ok(self.op(state, op))
    }

    pub(super) fn int_constant(&mut self, state: &BlockState<'c, 'a>, v: i64, location: Location<'c>) -> Value<'c, 'a> {
        match self.constant(state, &Constant::Int(v), location) {
            Ok(Slot::Val(v)) => v,
            _ => unreachable!("int constants are values"),
        }
    }
}
