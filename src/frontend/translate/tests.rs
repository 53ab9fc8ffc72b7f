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
    fn function_key(&self, _id: crate::types::FunctionId) -> Result<String, CompileError> {
        Err(CompileError::compile("no function arguments here"))
    }

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
            kwonly: 0,
            kwdefaults: vec![],
            deref_names: ["n", "s", "i", "a", "b"].map(String::from).to_vec(),
            freevars: vec![],
            arg_count: 1,
            flags: 3,
            exception_table: Vec::new(),
            def_span: Span { line: 1, end_line: 1, col: 0, end_col: 0 },
            nested: false,
            closure_vars: vec![],
            defaults: vec![],
        })
    }
    fn nested(&self, key: &str, _index: usize) -> Result<String, CompileError> {
        Err(CompileError::compile(format!("no nested functions in {key}")))
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
    let module = build_module(&context, &MockEnv, "f", &[], None, &[]).unwrap();
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
