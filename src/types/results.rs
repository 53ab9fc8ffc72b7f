//! What a compiled function returns to Python, and the flattened parts of its result struct.
use super::{split_mlir_list, DType, NamedClass, ScalarType};

/// What a compiled function returns to Python (tuples nest).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ReturnType {
    None,
    Scalar(ScalarType),
    Array { dtype: DType, ndim: usize },
    Tuple(Vec<ReturnType>),
    /// An instance of a namedtuple class.
    NamedTuple(NamedClass, Vec<ReturnType>),
    /// A list made by compiled code (a pointer to its runtime block), of these items.
    List(Box<ReturnType>),
    /// A dict made by compiled code (a pointer to its runtime block): key and value types.
    Dict(Box<ReturnType>, Box<ReturnType>),
    /// A set made by compiled code (a dict block without values), of these elements.
    Set(Box<ReturnType>),
    /// A str (a pointer to its block).
    Str,
    /// A value or None: a flag (bool), then the value's parts.
    Optional(Box<ReturnType>),
    /// A generator object (a pointer to its block) that yields these values: Python gets an
    /// iterator that resumes it (src/python/generator.rs).
    Generator(Box<ReturnType>),
}

/// One flattened part of a result: a scalar or an array's memref descriptor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ResultPart {
    Scalar(ScalarType),
    Array { dtype: DType, ndim: usize },
    /// A pointer to a list or dict block the caller then owns.
    Block,
}

impl ReturnType {
    /// Reads an MLIR type as printed ("i64", "f64", "i1", "none", "tuple<i64, f64>").
    pub fn parse_mlir(text: &str) -> Option<Self> {
        let text = text.trim();
        if text == "none" {
            return Some(Self::None);
        }
        if let Some(s) = ScalarType::from_mlir(text) {
            return Some(Self::Scalar(s));
        }
        if let Some(memref) = text.strip_prefix("memref<") {
            // memref<?x?xf64, strided<...>>, memref<?xf64> or memref<?xcomplex<f64>>
            let body = match memref.find(", strided") {
                Some(end) => &memref[..end],
                None => memref.strip_suffix('>')?,
            };
            // Sizes are all dynamic: count the leading "?x" ("complex" has an x of its own).
            let element = body.trim_start_matches("?x");
            let ndim = (body.len() - element.len()) / 2;
            let dtype = DType::from_mlir(element)?;
            return Some(Self::Array { dtype, ndim });
        }
        if text == "!py.str" {
            return Some(Self::Str);
        }
        if let Some(inner) = text.strip_prefix("!py.optional<").and_then(|t| t.strip_suffix('>')) {
            return Some(Self::Optional(Box::new(Self::parse_mlir(inner)?)));
        }
        if let Some(inner) = text.strip_prefix("!py.list<").and_then(|t| t.strip_suffix('>')) {
            return Some(Self::List(Box::new(Self::parse_mlir(inner)?)));
        }
        if let Some(inner) = text.strip_prefix("!py.generator<").and_then(|t| t.strip_suffix('>')) {
            return Some(Self::Generator(Box::new(Self::parse_mlir(inner)?)));
        }
        if let Some(inner) = text.strip_prefix("!py.set<").and_then(|t| t.strip_suffix('>')) {
            return Some(Self::Set(Box::new(Self::parse_mlir(inner)?)));
        }
        if let Some(inner) = text.strip_prefix("!py.dict<").and_then(|t| t.strip_suffix('>')) {
            let parts = split_mlir_list(inner);
            let [key, value] = parts.as_slice() else { return None };
            return Some(Self::Dict(Box::new(Self::parse_mlir(key)?), Box::new(Self::parse_mlir(value)?)));
        }
        if let Some(inner) = text.strip_prefix("!py.namedtuple<").and_then(|t| t.strip_suffix('>')) {
            // "name", ["x", "y"], tuple<...>
            let parts = split_mlir_list(inner);
            let [name, fields, tuple] = parts.as_slice() else { return None };
            let unquote = |s: &str| s.trim().strip_prefix('"')?.strip_suffix('"').map(str::to_string);
            let fields = fields.trim().strip_prefix('[')?.strip_suffix(']')?;
            let fields = split_mlir_list(fields).into_iter().map(unquote).collect::<Option<Vec<_>>>()?;
            let Self::Tuple(items) = Self::parse_mlir(tuple)? else { return None };
            return Some(Self::NamedTuple(NamedClass { name: unquote(name)?, fields }, items));
        }
        let inner = text.strip_prefix("tuple<")?.strip_suffix('>')?;
        let items = split_mlir_list(inner).into_iter().map(Self::parse_mlir).collect::<Option<Vec<_>>>()?;
        Some(Self::Tuple(items))
    }

    /// The parts this value is made of, in order (what the lowered function returns).
    pub fn flatten(&self, out: &mut Vec<ResultPart>) {
        match self {
            Self::None => {}
            Self::Scalar(s) => out.push(ResultPart::Scalar(*s)),
            Self::Array { dtype, ndim } => out.push(ResultPart::Array { dtype: *dtype, ndim: *ndim }),
            Self::List(_) | Self::Dict(..) | Self::Set(_) | Self::Str => out.push(ResultPart::Block),
            // The block, and the coroutine's handle (read from the block instead).
            Self::Generator(_) => out.extend([ResultPart::Block, ResultPart::Block]),
            Self::Tuple(items) | Self::NamedTuple(_, items) => items.iter().for_each(|i| i.flatten(out)),
            Self::Optional(value) => {
                out.push(ResultPart::Scalar(ScalarType::Bool));
                value.flatten(out);
            }
        }
    }

    pub fn name(&self) -> String {
        match self {
            Self::None => "none".into(),
            Self::Scalar(s) => s.name().into(),
            Self::Array { dtype, ndim } => format!("array({}, {ndim}d, C)", dtype.name()),
            Self::Tuple(items) => {
                format!("Tuple({})", items.iter().map(|i| i.name()).collect::<Vec<_>>().join(", "))
            }
            Self::NamedTuple(class, items) => {
                format!("{}({})", class.short_name(), items.iter().map(|i| i.name()).collect::<Vec<_>>().join(", "))
            }
            Self::List(item) => format!("List({})", item.name()),
            Self::Dict(key, value) => format!("Dict({}, {})", key.name(), value.name()),
            Self::Set(item) => format!("Set({})", item.name()),
            Self::Str => "unicode_type".into(),
            Self::Optional(value) => format!("OptionalType({})", value.name()),
            Self::Generator(item) => format!("Generator({})", item.name()),
        }
    }
}
