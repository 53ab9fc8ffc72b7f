//! Tuple argument types: interned once per process so that `ArgType` stays `Copy`, and
//! namedtuple classes as compiled code sees them.
use super::ArgType;
use std::sync::{Arc, OnceLock, RwLock};

/// A namedtuple class as compiled code sees it: `module:qualname` (how the runtime finds the
/// class to box a result as) and its `_fields`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct NamedClass {
    pub name: String,
    pub fields: Vec<String>,
}

impl NamedClass {
    /// The class's own name, for messages: "Point" of "geometry:Point".
    pub fn short_name(&self) -> &str {
        self.name.rsplit(':').next().unwrap_or(&self.name)
    }

    /// The `!py.namedtuple` of this class over `tuple` (an MLIR tuple type).
    pub fn mlir(&self, tuple: &str) -> String {
        let fields: Vec<String> = self.fields.iter().map(|f| format!("\"{f}\"")).collect();
        format!("!py.namedtuple<\"{}\", [{}], {tuple}>", self.name, fields.join(", "))
    }
}

/// A tuple argument's element types (and its namedtuple class, if any), interned once per
/// process: `ArgType` stays `Copy` (the dispatcher keys a call by a fixed array of them,
/// with no allocation) and two tuple types compare by their id. Serialized as the class and
/// element types themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TupleId(u32);

type TupleEntry = (Option<Arc<NamedClass>>, Arc<[ArgType]>);

fn tuple_table() -> &'static RwLock<Vec<TupleEntry>> {
    static TABLE: OnceLock<RwLock<Vec<TupleEntry>>> = OnceLock::new();
    TABLE.get_or_init(|| RwLock::new(Vec::new()))
}

impl TupleId {
    pub fn intern(items: &[ArgType]) -> Self {
        Self::intern_named(None, items)
    }

    /// A tuple of `items`, an instance of the namedtuple `class` where given.
    pub fn intern_named(class: Option<&NamedClass>, items: &[ArgType]) -> Self {
        let same = |(c, t): &TupleEntry| c.as_deref() == class && **t == *items;
        if let Some(i) = tuple_table().read().unwrap().iter().position(same) {
            return Self(i as u32);
        }
        let mut table = tuple_table().write().unwrap();
        if let Some(i) = table.iter().position(same) {
            return Self(i as u32);
        }
        table.push((class.cloned().map(Arc::new), items.into()));
        Self(table.len() as u32 - 1)
    }

    pub fn items(self) -> Arc<[ArgType]> {
        tuple_table().read().unwrap()[self.0 as usize].1.clone()
    }

    /// The namedtuple class of this tuple type, if it is one.
    pub fn class(self) -> Option<Arc<NamedClass>> {
        tuple_table().read().unwrap()[self.0 as usize].0.clone()
    }
}

/// A compiled function passed as an argument, by the identity of its Python function
/// (`id(py_func)`): the dispatcher keys a call on which function it is, as numba's dispatcher
/// type does. The Python side keeps the function alive while the id is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct FunctionId(pub usize);

impl serde::Serialize for TupleId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (self.class().as_deref(), self.items().to_vec()).serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for TupleId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (class, items) = <(Option<NamedClass>, Vec<ArgType>)>::deserialize(deserializer)?;
        Ok(Self::intern_named(class.as_ref(), &items))
    }
}
