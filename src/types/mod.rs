//! The types a compiled function's arguments and results have at the Python boundary.
use melior::{
    ir::Type,
    Context,
};

mod results;
mod tuples;

pub use results::{ResultPart, ReturnType};
pub use tuples::{FunctionId, NamedClass, TupleId};

/// Most arguments a compiled function takes, and most argument words (an array takes
/// 3 + 2 * ndim): the call path uses fixed-size stack arrays.
pub const MAX_ARGS: usize = 16;
pub const MAX_WORDS: usize = 64;

/// A scalar argument or result type; the dispatcher keys compiled code by these. Python's
/// own numbers are Int64, Float64, Bool and Complex128; the rest are NumPy's scalar types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ScalarType {
    Int64,
    Float64,
    Bool,
    /// Python's complex: two float64 words (real, imaginary).
    Complex128,
    Int8,
    Int16,
    Int32,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Float32,
    /// Two float32 halves in one word.
    Complex64,
}

impl ScalarType {
    /// (type, numba's name, the MLIR type typed py IR uses, its size in bytes)
    const ALL: [(ScalarType, &'static str, &'static str, usize); 13] = [
        (Self::Bool, "boolean", "i1", 1),
        (Self::Int8, "int8", "i8", 1),
        (Self::Int16, "int16", "i16", 2),
        (Self::Int32, "int32", "i32", 4),
        (Self::Int64, "int64", "i64", 8),
        (Self::UInt8, "uint8", "ui8", 1),
        (Self::UInt16, "uint16", "ui16", 2),
        (Self::UInt32, "uint32", "ui32", 4),
        (Self::UInt64, "uint64", "ui64", 8),
        (Self::Float32, "float32", "f32", 4),
        (Self::Float64, "float64", "f64", 8),
        (Self::Complex64, "complex64", "complex<f32>", 8),
        (Self::Complex128, "complex128", "complex<f64>", 16),
    ];

    fn entry(self) -> &'static (ScalarType, &'static str, &'static str, usize) {
        Self::ALL.iter().find(|e| e.0 == self).expect("every scalar type is listed")
    }

    /// numba's names and aliases: int32/i4, uint8/u1, float32/f4, complex64/c8, boolean/b1, ...
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim() {
            "int" | "intp" | "int_" => Some(Self::Int64),
            "float" | "double" | "float_" => Some(Self::Float64),
            "bool" | "bool_" => Some(Self::Bool),
            "complex" | "cdouble" | "complex_" => Some(Self::Complex128),
            "single" => Some(Self::Float32),
            "csingle" => Some(Self::Complex64),
            "uintp" => Some(Self::UInt64),
            name => DType::parse(name).map(Self::from_dtype),
        }
    }

    pub fn name(self) -> &'static str {
        self.entry().1
    }

    /// The MLIR type of this scalar in typed py IR (ui8 for uint8: signedness matters there).
    pub fn mlir(self) -> &'static str {
        self.entry().2
    }

    /// Bytes the value takes in a result struct (and in the low bytes of an argument slot).
    pub fn size(self) -> usize {
        self.entry().3
    }

    /// Alignment in a C struct: a complex aligns as its part.
    pub fn align(self) -> usize {
        match self {
            Self::Complex64 => 4,
            Self::Complex128 => 8,
            s => s.size(),
        }
    }

    /// Words the value takes in a call: a complex128 is two, everything else one.
    pub fn words(self) -> usize {
        if self == Self::Complex128 { 2 } else { 1 }
    }

    pub fn to_mlir(self, context: &Context) -> Type<'_> {
        Type::parse(context, self.mlir()).expect("a valid scalar type")
    }

    pub fn from_dtype(dtype: DType) -> Self {
        match dtype {
            DType::Bool => Self::Bool,
            DType::Int8 => Self::Int8,
            DType::Int16 => Self::Int16,
            DType::Int32 => Self::Int32,
            DType::Int64 => Self::Int64,
            DType::UInt8 => Self::UInt8,
            DType::UInt16 => Self::UInt16,
            DType::UInt32 => Self::UInt32,
            DType::UInt64 => Self::UInt64,
            DType::Float32 => Self::Float32,
            DType::Float64 => Self::Float64,
            DType::Complex64 => Self::Complex64,
            DType::Complex128 => Self::Complex128,
        }
    }

    fn from_mlir(text: &str) -> Option<Self> {
        Self::ALL.iter().find(|e| e.2 == text).map(|e| e.0)
    }

    /// One of Python's own number types (boxed as int, float, bool, complex), not NumPy's.
    pub fn is_python(self) -> bool {
        matches!(self, Self::Int64 | Self::Float64 | Self::Bool | Self::Complex128)
    }
}

/// The element type of an array (a NumPy dtype numlir compiles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum DType {
    Bool,
    Int8,
    Int16,
    Int32,
    Int64,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Float32,
    Float64,
    Complex64,
    Complex128,
}

impl DType {
    const ALL: [(DType, &'static str, &'static str); 13] = [
        (DType::Bool, "bool", "i1"),
        (DType::Int8, "int8", "i8"),
        (DType::Int16, "int16", "i16"),
        (DType::Int32, "int32", "i32"),
        (DType::Int64, "int64", "i64"),
        (DType::UInt8, "uint8", "ui8"),
        (DType::UInt16, "uint16", "ui16"),
        (DType::UInt32, "uint32", "ui32"),
        (DType::UInt64, "uint64", "ui64"),
        (DType::Float32, "float32", "f32"),
        (DType::Float64, "float64", "f64"),
        (DType::Complex64, "complex64", "complex<f32>"),
        (DType::Complex128, "complex128", "complex<f64>"),
    ];

    /// From a NumPy dtype name ("float64", "int32", "bool") or a numba alias ("f8", "i4").
    pub fn parse(name: &str) -> Option<Self> {
        let name = match name.trim() {
            "boolean" | "b1" | "bool_" => "bool",
            "i1" => "int8",
            "i2" => "int16",
            "i4" => "int32",
            "i8" | "intp" | "int_" => "int64",
            "u1" => "uint8",
            "u2" => "uint16",
            "u4" => "uint32",
            "u8" => "uint64",
            "f4" => "float32",
            "f8" | "double" | "float_" => "float64",
            "c8" | "csingle" => "complex64",
            "c16" | "cdouble" | "complex_" => "complex128",
            n => n,
        };
        Self::ALL.iter().find(|(_, n, _)| *n == name).map(|(d, _, _)| *d)
    }

    fn from_mlir(text: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, _, m)| *m == text).map(|(d, _, _)| *d)
    }

    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(d, _, _)| *d == self).map(|(_, n, _)| *n).unwrap()
    }

    fn mlir(self) -> &'static str {
        Self::ALL.iter().find(|(d, _, _)| *d == self).map(|(_, _, m)| *m).unwrap()
    }

    pub fn itemsize(self) -> usize {
        match self {
            Self::Bool | Self::Int8 | Self::UInt8 => 1,
            Self::Int16 | Self::UInt16 => 2,
            Self::Int32 | Self::UInt32 | Self::Float32 => 4,
            Self::Complex128 => 16,
            _ => 8,
        }
    }
}

/// How an array's elements are laid out: C (the last axis has unit stride), F (the first
/// axis has unit stride) or A (any strides). Compiled code is specialized on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Layout {
    C,
    F,
    A,
}

/// The type of one argument: a scalar, an array of a dtype, rank and layout, or a tuple.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ArgType {
    Scalar(ScalarType),
    Array { dtype: DType, ndim: usize, layout: Layout },
    Tuple(TupleId),
    /// A Python list passed in (numba's reflected list): its one item type, interned as a
    /// tuple of one. Compiled code gets a list block copied from it; changes are written
    /// back to the Python list after the call.
    List(TupleId),
    /// A `numlir.typed.Dict` passed in: its key and value types, interned as a pair. Compiled
    /// code gets its block itself.
    Dict(TupleId),
    /// A Python str passed in: compiled code gets a str block copied from it.
    Str,
    /// None passed in (`out=None`): no words; compiled code is specialized on it, and a
    /// branch on `x is None` takes its one way.
    None,
    /// A compiled function passed in: no words; compiled code is specialized on which one
    /// (`!py.funcref<"key">`, the key the compile's environment gives it).
    Function(FunctionId),
}

impl ArgType {
    /// The list type of items of `item`.
    pub fn list_of(item: ArgType) -> Self {
        Self::List(TupleId::intern(&[item]))
    }

    /// The item type of a list type.
    pub fn list_item(id: TupleId) -> ArgType {
        id.items()[0]
    }

    /// numba's type strings: "float64", "f8", "int32[:]", "float64[:, ::1]" (C), "f8[::1, :]" (F),
    /// and tuples: "UniTuple(int64, 3)", "Tuple((int64, float32))", "Tuple(int64, f4[:])", "(i8, f8)".
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if matches!(text, "unicode_type" | "str" | "string") {
            return Some(Self::Str);
        }
        if matches!(text, "none" | "NoneType") {
            return Some(Self::None);
        }
        // List(int64), as name() writes it; numba's "reflected list(int64)" and "list(int64)"
        let list = ["List(", "reflected list(", "list("].iter().find_map(|p| text.strip_prefix(p)).and_then(|t| t.strip_suffix(')'));
        if let Some(item) = list {
            return Some(Self::list_of(Self::parse(item)?));
        }
        if let Some(inner) = text.strip_prefix("Dict(").and_then(|t| t.strip_suffix(')')) {
            let parts = split_type_list(inner);
            let [key, value] = parts.as_slice() else { return None };
            return Some(Self::Dict(TupleId::intern(&[Self::parse(key)?, Self::parse(value)?])));
        }
        if let Some(inner) = text.strip_prefix("UniTuple(").and_then(|t| t.strip_suffix(')')) {
            let parts = split_type_list(inner);
            let [item, count] = parts.as_slice() else { return None };
            let item = Self::parse(item)?;
            return Some(Self::Tuple(TupleId::intern(&vec![item; count.trim().parse().ok()?])));
        }
        if let Some(inner) = text.strip_prefix("NamedTuple(").and_then(|t| t.strip_suffix(')')) {
            // NamedTuple(module:Point[x, y], int64, float64), as numlir.types.NamedTuple writes it
            let parts = split_type_list(inner);
            let (class, items) = parts.split_first()?;
            let (name, fields) = class.strip_suffix(']')?.split_once('[')?;
            let fields = fields.split(',').map(|f| f.trim().to_string()).filter(|f| !f.is_empty()).collect();
            let class = NamedClass { name: name.trim().to_string(), fields };
            let items = items.iter().map(|t| Self::parse(t)).collect::<Option<Vec<_>>>()?;
            return Some(Self::Tuple(TupleId::intern_named(Some(&class), &items)));
        }
        let tuple = text.strip_prefix("Tuple(").and_then(|t| t.strip_suffix(')')).or_else(|| text.strip_prefix('(').and_then(|t| t.strip_suffix(')')));
        if let Some(mut inner) = tuple {
            // Tuple((a, b)) as numba writes it, or Tuple(a, b)
            if let Some(nested) = inner.trim().strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
                if split_type_list(inner).len() == 1 {
                    inner = nested;
                }
            }
            let items = split_type_list(inner).into_iter().map(Self::parse).collect::<Option<Vec<_>>>()?;
            return Some(Self::Tuple(TupleId::intern(&items)));
        }
        let Some((dtype, dims)) = text.split_once('[') else {
            return ScalarType::parse(text).map(Self::Scalar);
        };
        let dtype = DType::parse(dtype)?;
        let dims: Vec<&str> = dims.strip_suffix(']')?.split(',').map(str::trim).collect();
        if dims.iter().any(|d| *d != ":" && *d != "::1") {
            return None;
        }
        let ndim = dims.len();
        let layout = if dims.last() == Some(&"::1") {
            Layout::C
        } else if dims.first() == Some(&"::1") {
            Layout::F
        } else {
            Layout::A
        };
        Some(Self::Array { dtype, ndim, layout })
    }

    pub fn name(&self) -> String {
        match self {
            Self::Scalar(s) => s.name().into(),
            Self::Array { dtype, ndim, layout } => {
                let mut dims = vec![":"; *ndim];
                match layout {
                    Layout::C if *ndim > 0 => dims[ndim - 1] = "::1",
                    Layout::F if *ndim > 0 => dims[0] = "::1",
                    _ => {}
                }
                format!("{}[{}]", dtype.name(), dims.join(", "))
            }
            Self::List(id) => format!("List({})", Self::list_item(*id).name()),
            Self::Dict(id) => format!("Dict({}, {})", id.items()[0].name(), id.items()[1].name()),
            Self::Str => "unicode_type".into(),
            Self::None => "none".into(),
            Self::Function(_) => "function".into(),
            Self::Tuple(id) => {
                let items = id.items().iter().map(Self::name).collect::<Vec<_>>().join(", ");
                match id.class() {
                    Some(class) => format!("{}({items})", class.short_name()),
                    None => format!("Tuple({items})"),
                }
            }
        }
    }

    /// The MLIR type typed py IR uses: a scalar type, a strided memref or a tuple of them.
    pub fn to_mlir(self, context: &Context) -> Type<'_> {
        Type::parse(context, &self.mlir()).expect("a valid argument type")
    }

    fn mlir(self) -> String {
        match self {
            Self::Scalar(s) => s.mlir().into(),
            Self::Array { dtype, ndim, layout } => {
                let mut strides = vec!["?"; ndim];
                match layout {
                    Layout::C if ndim > 0 => strides[ndim - 1] = "1",
                    Layout::F if ndim > 0 => strides[0] = "1",
                    _ => {}
                }
                let shape: String = (0..ndim).map(|_| "?x").collect();
                format!("memref<{shape}{}, strided<[{}], offset: ?>>", dtype.mlir(), strides.join(", "))
            }
            Self::List(id) => format!("!py.list<{}>", Self::list_item(id).mlir()),
            Self::Dict(id) => format!("!py.dict<{}, {}>", id.items()[0].mlir(), id.items()[1].mlir()),
            Self::Str => "!py.str".into(),
            Self::None => "none".into(),
            Self::Function(_) => unreachable!("a function argument's type names it by its key (Compiler::build)"),
            Self::Tuple(id) => {
                let tuple = format!("tuple<{}>", id.items().iter().map(|t| t.mlir()).collect::<Vec<_>>().join(", "));
                match id.class() {
                    Some(class) => class.mlir(&tuple),
                    None => tuple,
                }
            }
        }
    }

    /// Words the argument takes in a call: one per scalar (two for a complex128); an array's
    /// memref descriptor (allocated and aligned pointers, offset, sizes, strides); a tuple's
    /// elements one after another.
    pub fn words(&self) -> usize {
        match self {
            Self::Scalar(s) => s.words(),
            Self::Array { ndim, .. } => 3 + 2 * ndim,
            Self::Tuple(id) => id.items().iter().map(Self::words).sum(),
            Self::List(_) | Self::Dict(_) | Self::Str => 1,
            Self::None | Self::Function(_) => 0,
        }
    }

    /// Appends where each machine-level argument of this one starts among the argument
    /// words (from `word`): one per word but a complex128, which is one argument of two.
    pub fn machine_starts(&self, word: usize, starts: &mut Vec<usize>) -> usize {
        match self {
            Self::Scalar(_) | Self::List(_) | Self::Dict(_) | Self::Str => starts.push(word),
            Self::None | Self::Function(_) => {}
            Self::Array { .. } => starts.extend(word..word + self.words()),
            Self::Tuple(id) => {
                let mut at = word;
                for item in id.items().iter() {
                    at = item.machine_starts(at, starts);
                }
            }
        }
        word + self.words()
    }

    /// Whether some machine-level argument takes more than one word (a complex128).
    pub fn has_wide_scalar(&self) -> bool {
        match self {
            Self::Scalar(s) => s.words() > 1,
            Self::Array { .. } => false,
            Self::Tuple(id) => id.items().iter().any(Self::has_wide_scalar),
            Self::List(_) | Self::Dict(_) | Self::Str | Self::None | Self::Function(_) => false,
        }
    }
}

/// Splits "float64[:, :], int64" at the commas outside brackets.
pub fn split_type_list(text: &str) -> Vec<&str> {
    let (mut depth, mut start, mut out) = (0, 0, Vec::new());
    for (i, c) in text.char_indices() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(text[start..].trim());
    }
    out
}

/// Splits printed MLIR ("i64, tuple<f64, i1>, \"a, b\"") at the commas outside brackets
/// and quotes.
pub(super) fn split_mlir_list(text: &str) -> Vec<&str> {
    let (mut depth, mut quoted, mut start, mut out) = (0, false, 0, Vec::new());
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '<' | '[' | '(' if !quoted => depth += 1,
            '>' | ']' | ')' if !quoted => depth -= 1,
            ',' if depth == 0 && !quoted => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if !text.trim().is_empty() {
        out.push(&text[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_numba_names() {
        assert_eq!(ScalarType::parse("f8"), Some(ScalarType::Float64));
        assert_eq!(ScalarType::parse(" int64 "), Some(ScalarType::Int64));
        assert_eq!(ScalarType::parse("boolean"), Some(ScalarType::Bool));
        assert_eq!(ScalarType::parse("c16"), Some(ScalarType::Complex128));
        assert_eq!(ScalarType::parse("float16"), None);
        assert_eq!(ScalarType::parse("i4"), Some(ScalarType::Int32));
        assert_eq!(ScalarType::parse("u8"), Some(ScalarType::UInt64));
        assert_eq!(ScalarType::parse("f4"), Some(ScalarType::Float32));
        assert_eq!(ScalarType::parse("c8"), Some(ScalarType::Complex64));
        assert_eq!(ScalarType::parse("uint16"), Some(ScalarType::UInt16));
        assert_eq!(ReturnType::parse_mlir("ui32"), Some(ReturnType::Scalar(ScalarType::UInt32)));
        assert_eq!(ReturnType::parse_mlir("complex<f32>"), Some(ReturnType::Scalar(ScalarType::Complex64)));
    }

    #[test]
    fn reads_namedtuple_types_both_ways() {
        let class = NamedClass { name: "geo:Point".into(), fields: vec!["x".into(), "y".into()] };
        let point = ArgType::parse("NamedTuple(geo:Point[x, y], int64, f8)").unwrap();
        assert_eq!(point.name(), "Point(int64, float64)");
        assert_eq!(point.mlir(), r#"!py.namedtuple<"geo:Point", ["x", "y"], tuple<i64, f64>>"#);
        assert_ne!(point, ArgType::parse("Tuple(int64, f8)").unwrap());
        let nested = format!("tuple<{}, i1>", point.mlir().replace("i64", "tuple<i64, i1>"));
        assert_eq!(
            ReturnType::parse_mlir(&nested),
            Some(ReturnType::Tuple(vec![
                ReturnType::NamedTuple(
                    class,
                    vec![
                        ReturnType::Tuple(vec![ReturnType::Scalar(ScalarType::Int64), ReturnType::Scalar(ScalarType::Bool)]),
                        ReturnType::Scalar(ScalarType::Float64)
                    ]
                ),
                ReturnType::Scalar(ScalarType::Bool),
            ]))
        );
        let local = r#"!py.namedtuple<"m:f.<locals>.P", [], tuple<>>"#;
        assert!(matches!(ReturnType::parse_mlir(local), Some(ReturnType::NamedTuple(c, items)) if c.name == "m:f.<locals>.P" && items.is_empty()));
    }

    #[test]
    fn parses_nested_tuple_types() {
        let t = ReturnType::parse_mlir("tuple<i64, tuple<f64, i1>, none>").unwrap();
        let mut flat = Vec::new();
        t.flatten(&mut flat);
        assert_eq!(
            flat,
            [ResultPart::Scalar(ScalarType::Int64), ResultPart::Scalar(ScalarType::Float64), ResultPart::Scalar(ScalarType::Bool)]
        );
        assert_eq!(ReturnType::parse_mlir("tuple<>"), Some(ReturnType::Tuple(vec![])));
        assert_eq!(
            ReturnType::parse_mlir("memref<?x?xui8, strided<[?, 1], offset: ?>>"),
            Some(ReturnType::Array { dtype: DType::UInt8, ndim: 2 })
        );
        assert_eq!(
            ReturnType::parse_mlir("memref<?xcomplex<f64>>"),
            Some(ReturnType::Array { dtype: DType::Complex128, ndim: 1 })
        );
        assert_eq!(
            ReturnType::parse_mlir("tuple<complex<f64>, memref<?x?xcomplex<f32>, strided<[?, 1], offset: ?>>>"),
            Some(ReturnType::Tuple(vec![
                ReturnType::Scalar(ScalarType::Complex128),
                ReturnType::Array { dtype: DType::Complex64, ndim: 2 }
            ]))
        );
    }

    #[test]
    fn parses_array_signatures() {
        assert_eq!(
            ArgType::parse("float64[:, ::1]"),
            Some(ArgType::Array { dtype: DType::Float64, ndim: 2, layout: Layout::C })
        );
        assert_eq!(ArgType::parse("i4[::1, :]"), Some(ArgType::Array { dtype: DType::Int32, ndim: 2, layout: Layout::F }));
        assert_eq!(ArgType::parse("uint8[:]"), Some(ArgType::Array { dtype: DType::UInt8, ndim: 1, layout: Layout::A }));
        assert_eq!(ArgType::parse("f8"), Some(ArgType::Scalar(ScalarType::Float64)));
        assert_eq!(ArgType::parse("f8[1:]"), None);
        let pair = ArgType::parse("Tuple((int64, float32))").unwrap();
        assert_eq!(ArgType::parse("Tuple(i8, f4)"), Some(pair));
        assert_eq!(ArgType::parse("(int64, float32)"), Some(pair));
        assert_eq!(pair.name(), "Tuple(int64, float32)");
        assert_eq!(ArgType::parse("UniTuple(int64, 3)"), ArgType::parse("Tuple(int64, int64, int64)"));
        let nested = ArgType::parse("Tuple(Tuple(i8, c16), f8[:, ::1])").unwrap();
        assert_eq!(nested.words(), 3 + 3 + 4);
        let mut starts = Vec::new();
        nested.machine_starts(0, &mut starts);
        assert_eq!(starts, [0, 1, 3, 4, 5, 6, 7, 8, 9]);
    }
}
