//! The types a compiled function's arguments and results have at the Python boundary.
use melior::{
    ir::{r#type::IntegerType, Type},
    Context,
};

/// A scalar argument type; the dispatcher keys compiled code by these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarType {
    Int64,
    Float64,
    Bool,
}

impl ScalarType {
    /// numba-compatible names: int64/i8/intp/int_, float64/f8/double/float_, boolean/b1/bool_.
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim() {
            "int64" | "i8" | "intp" | "int_" | "int" => Some(Self::Int64),
            "float64" | "f8" | "double" | "float_" | "float" => Some(Self::Float64),
            "boolean" | "b1" | "bool_" | "bool" => Some(Self::Bool),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Int64 => "int64",
            Self::Float64 => "float64",
            Self::Bool => "boolean",
        }
    }

    pub fn to_mlir(self, context: &Context) -> Type<'_> {
        match self {
            Self::Int64 => IntegerType::new(context, 64).into(),
            Self::Float64 => Type::float64(context),
            Self::Bool => IntegerType::new(context, 1).into(),
        }
    }
}

/// What a compiled function returns to Python (tuples nest).
#[derive(Debug, Clone, PartialEq)]
pub enum ReturnType {
    None,
    Scalar(ScalarType),
    Tuple(Vec<ReturnType>),
}

impl ReturnType {
    /// Reads an MLIR type as printed ("i64", "f64", "i1", "none", "tuple<i64, f64>").
    pub fn parse_mlir(text: &str) -> Option<Self> {
        let text = text.trim();
        match text {
            "i64" => return Some(Self::Scalar(ScalarType::Int64)),
            "f64" => return Some(Self::Scalar(ScalarType::Float64)),
            "i1" => return Some(Self::Scalar(ScalarType::Bool)),
            "none" => return Some(Self::None),
            _ => {}
        }
        let inner = text.strip_prefix("tuple<")?.strip_suffix('>')?;
        let mut items = Vec::new();
        let (mut depth, mut start) = (0, 0);
        for (i, c) in inner.char_indices() {
            match c {
                '<' => depth += 1,
                '>' => depth -= 1,
                ',' if depth == 0 => {
                    items.push(Self::parse_mlir(&inner[start..i])?);
                    start = i + 1;
                }
                _ => {}
            }
        }
        if !inner.trim().is_empty() {
            items.push(Self::parse_mlir(&inner[start..])?);
        }
        Some(Self::Tuple(items))
    }

    /// The scalars this value is made of, in order (what the lowered function returns).
    pub fn flatten(&self, out: &mut Vec<ScalarType>) {
        match self {
            Self::None => {}
            Self::Scalar(s) => out.push(*s),
            Self::Tuple(items) => items.iter().for_each(|i| i.flatten(out)),
        }
    }

    pub fn name(&self) -> String {
        match self {
            Self::None => "none".into(),
            Self::Scalar(s) => s.name().into(),
            Self::Tuple(items) => {
                format!("Tuple({})", items.iter().map(|i| i.name()).collect::<Vec<_>>().join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_numba_names() {
        assert_eq!(ScalarType::parse("f8"), Some(ScalarType::Float64));
        assert_eq!(ScalarType::parse(" int64 "), Some(ScalarType::Int64));
        assert_eq!(ScalarType::parse("boolean"), Some(ScalarType::Bool));
        assert_eq!(ScalarType::parse("complex128"), None);
    }

    #[test]
    fn parses_nested_tuple_types() {
        let t = ReturnType::parse_mlir("tuple<i64, tuple<f64, i1>, none>").unwrap();
        let mut flat = Vec::new();
        t.flatten(&mut flat);
        assert_eq!(flat, [ScalarType::Int64, ScalarType::Float64, ScalarType::Bool]);
        assert_eq!(ReturnType::parse_mlir("tuple<>"), Some(ReturnType::Tuple(vec![])));
        assert_eq!(ReturnType::parse_mlir("memref<?xf64>"), None);
    }
}
