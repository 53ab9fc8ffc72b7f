"""numba-style type objects: ``numlir.float64``, ``numlir.int32[:]`` (an array),
``numlir.float64[:, ::1]`` (a C-contiguous 2-D array), signatures like
``float64(int64, float64[:])`` and their string form ``"float64(int64, float64[:])"``."""


class Type:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name

    __str__ = __repr__

    def __eq__(self, other):
        return isinstance(other, Type) and other.name == self.name

    def __hash__(self):
        return hash(self.name)

    def __call__(self, *args):
        """``float64(int64, int64)`` builds a signature, as in numba."""
        return Signature(self, tuple(_as_type(a) for a in args))

    def __getitem__(self, dims):
        """``float64[:]``, ``float64[:, ::1]`` (C layout), ``float64[::1, :]`` (F layout)."""
        if not isinstance(dims, tuple):
            dims = (dims,)
        text = []
        for d in dims:
            if not isinstance(d, slice) or d.start is not None or d.stop is not None \
                    or d.step not in (None, 1):
                raise TypeError("array types are written like float64[:] or float64[:, ::1]")
            text.append("::1" if d.step == 1 else ":")
        return Array(self, len(text), _layout_of(text))


# numba's classes of types, for the typing functions of numlir.extending.overload
# (`isinstance(x, types.Integer)`): every type object is an instance of one.
class Number(Type):
    pass


class Integer(Number):
    @property
    def signed(self):
        return not self.name.startswith("uint")

    @property
    def bitwidth(self):
        return int(self.name.lstrip("uint"))


class Float(Number):
    @property
    def bitwidth(self):
        return int(self.name[len("float"):])


class Complex(Number):
    @property
    def bitwidth(self):
        return int(self.name[len("complex"):])


class Boolean(Type):
    pass


class UnicodeType(Type):
    pass


class NoneType(Type):
    pass


class Array(Type):
    """An array type: ``dtype`` (a type object), ``ndim`` and ``layout`` ("C", "F" or "A")."""

    def __init__(self, dtype, ndim, layout="A"):
        self.dtype, self.ndim, self.layout = dtype, ndim, layout
        dims = [":"] * ndim
        if ndim and layout == "C":
            dims[-1] = "::1"
        elif ndim and layout == "F":
            dims[0] = "::1"
        super().__init__(f"{dtype.name}[{', '.join(dims)}]")


class List(Type):
    """A list of ``dtype`` items (what compiled code sees of a list)."""

    def __init__(self, dtype):
        self.dtype = dtype
        super().__init__(f"List({dtype})")


class Set(Type):
    def __init__(self, dtype):
        self.dtype = dtype
        super().__init__(f"Set({dtype})")


class DictType(Type):
    def __init__(self, key_type, value_type):
        self.key_type, self.value_type = key_type, value_type
        super().__init__(f"DictType({key_type}, {value_type})")


class Optional(Type):
    def __init__(self, type):
        self.type = type
        super().__init__(f"Optional({type})")


def _layout_of(dims):
    if dims and dims[-1] == "::1" and all(d == ":" for d in dims[:-1]):
        return "C"
    if dims and dims[0] == "::1" and all(d == ":" for d in dims[1:]):
        return "F"
    return "A"


class _TupleType(Type):
    # numba's types.BaseTuple, types.Tuple and types.UniTuple are all this class here.
    """``Tuple((int64, float32))`` or ``UniTuple(int64, 3)``: a tuple argument's type."""

    def __init__(self, items):
        self.items = tuple(_as_type(t) for t in items)
        super().__init__(f"Tuple({', '.join(t.name for t in self.items)})")

    def __repr__(self):
        return f"Tuple({', '.join(map(repr, self.items))})"

    __str__ = __repr__

    def __getitem__(self, dims):
        raise TypeError("arrays of tuples are not supported")


def Tuple(*items):
    """numba's ``Tuple((int64, float32))`` (also ``Tuple(int64, float32)``)."""
    if len(items) == 1 and isinstance(items[0], (tuple, list)):
        items = items[0]
    return _TupleType(items)


def UniTuple(item, count):
    """numba's ``UniTuple(int64, 3)``: a tuple of ``count`` elements of one type."""
    return _TupleType([item] * count)


class _NamedTupleType(Type):
    """numba's ``NamedTuple((int64, float64), Point)``: an argument that is a Point. Its
    name is the form the compiler reads; it prints as numba does, ``Point(int64, float64)``."""

    def __init__(self, items, cls):
        from numlir import _core
        self.items = tuple(_as_type(t) for t in items)
        self.cls = cls
        qualified = _core._named_class(cls)  # also makes results box as cls
        super().__init__(f"NamedTuple({qualified}[{', '.join(cls._fields)}], "
                         f"{', '.join(t.name for t in self.items)})")

    def __repr__(self):
        return f"{self.cls.__name__}({', '.join(map(repr, self.items))})"

    __str__ = __repr__

    def __getitem__(self, dims):
        raise TypeError("arrays of namedtuples are not supported")


def NamedTuple(items, cls):
    """numba's ``NamedTuple((int64, float64), Point)``: a ``Point`` of those element types."""
    return _NamedTupleType(items, cls)


def NamedUniTuple(item, count, cls):
    """numba's ``NamedUniTuple(int64, 3, Point)``: a ``Point`` of ``count`` elements of one type."""
    return _NamedTupleType([item] * count, cls)


class Signature:
    def __init__(self, return_type, args):
        self.return_type = return_type
        self.args = args

    def __repr__(self):
        return f"{self.return_type}({', '.join(map(str, self.args))})"


int64 = Integer("int64")
float64 = Float("float64")
boolean = Boolean("boolean")
int8, int16, int32 = Integer("int8"), Integer("int16"), Integer("int32")
uint8, uint16, uint32, uint64 = Integer("uint8"), Integer("uint16"), Integer("uint32"), Integer("uint64")
float32 = Float("float32")
complex64, complex128 = Complex("complex64"), Complex("complex128")
# Python's str, by numba's name.
unicode_type = string = UnicodeType("unicode_type")
# A compiled function passed as an argument (shown in signatures; not for declaring them).
function = Type("function")
# The return type of a function that returns nothing (signatures only).
void = none = NoneType("none")
_ALIASES = {"single": float32, "csingle": complex64, "uintp": uint64, "complex64": complex64, "c8": complex64, "complex128": complex128, "c16": complex128,
            "void": void, "none": void,"int64": int64, "i8": int64, "intp": int64, "int_": int64,
            "float64": float64, "f8": float64, "double": float64, "float_": float64,
            "boolean": boolean, "b1": boolean, "bool_": boolean, "bool": boolean,
            "int8": int8, "i1": int8, "int16": int16, "i2": int16, "int32": int32, "i4": int32,
            "uint8": uint8, "u1": uint8, "uint16": uint16, "u2": uint16,
            "uint32": uint32, "u4": uint32, "uint64": uint64, "u8": uint64,
            "float32": float32, "f4": float32, "unicode_type": unicode_type, "string": unicode_type, "function": function}
intp = int_ = i8 = int64
f8 = double = float_ = float64
b1 = bool_ = boolean
i1, i2, i4 = int8, int16, int32
u1, u2, u4, u8 = uint8, uint16, uint32, uint64
f4 = float32
c8, c16 = complex64, complex128


def _as_type(t):
    if isinstance(t, Type):
        return t
    if isinstance(t, tuple):
        return _TupleType(t)
    if isinstance(t, str):
        text = t.strip()
        if text in _ALIASES:
            return _ALIASES[text]
        for prefix in ("UniTuple(", "Tuple(", "("):
            if text.startswith(prefix) and text.endswith(")"):
                parts = _split(text[len(prefix):-1])
                if prefix == "UniTuple(":
                    return UniTuple(parts[0], int(parts[1]))
                if prefix == "Tuple(" and len(parts) == 1 and parts[0].strip().startswith("("):
                    parts = _split(parts[0].strip()[1:-1])
                return _TupleType([p.strip() for p in parts])
        if "[" in text and text.endswith("]"):
            base, dims = text[:-1].split("[", 1)
            if base.strip() in _ALIASES:
                parts = [d.strip() for d in dims.split(",")]
                if all(p in (":", "::1") for p in parts):
                    return Array(_ALIASES[base.strip()], len(parts), _layout_of(parts))
    raise TypeError(f"numlir does not support the type {t!r}; "
                    f"supported: {', '.join(sorted(_ALIASES))} and arrays of them "
                    f"(float64[:], int32[:, ::1])")


def _split(text):
    """Splits "float64[:, :], int64" at the commas outside brackets."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in "[(":
            depth += 1
        elif c in "])":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if text[start:].strip():
        parts.append(text[start:])
    return parts


_MLIR_SCALARS = {"i1": boolean, "i8": int8, "i16": int16, "i32": int32, "i64": int64,
                 "ui8": uint8, "ui16": uint16, "ui32": uint32, "ui64": uint64, "f32": float32,
                 "f64": float64, "complex<f32>": complex64, "complex<f64>": complex128,
                 "!py.str": unicode_type, "none": none}


def from_mlir(text):
    """The type object of a type of typed py IR ("i64", "memref<?x?xf64, strided<[?, 1],
    offset: ?>>", "tuple<i64, f64>", "!py.list<i64>"): what an overload's typing function
    gets. Types it does not know are plain ``Type`` objects named by their MLIR text."""
    text = text.strip()
    if text in _MLIR_SCALARS:
        return _MLIR_SCALARS[text]
    for prefix, make in (("tuple<", lambda items: _TupleType(items)),
                         ("!py.list<", lambda items: List(items[0])),
                         ("!py.set<", lambda items: Set(items[0])),
                         ("!py.dict<", lambda items: DictType(items[0], items[1])),
                         ("!py.optional<", lambda items: Optional(items[0]))):
        if text.startswith(prefix) and text.endswith(">"):
            inner = text[len(prefix):-1]
            return make([from_mlir(p) for p in _split_angles(inner)] if inner else [])
    if text.startswith("memref<"):
        body = text[len("memref<"):-1]
        shape, _, layout = body.partition(", strided<[")
        element = shape
        ndim = 0
        while element.startswith("?x"):
            element, ndim = element[2:], ndim + 1
        dtype = _MLIR_SCALARS.get(element)
        if dtype is not None:
            strides = [s.strip() for s in layout.split("]")[0].split(",")] if layout else None
            if strides is None or ndim <= 1 and strides == ["1"]:
                kind = "C"
            elif strides[-1] == "1":
                kind = "C"
            elif strides[0] == "1":
                kind = "F"
            else:
                kind = "A"
            return Array(dtype, ndim, kind)
    return Type(text)


def _split_angles(text):
    """Splits "i64, tuple<i64, f64>" at the commas outside <>, [] and ()."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in "<[(":
            depth += 1
        elif c in ">])":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


def from_name(name):
    """The type object for a name as numlir reports it ("float64", "int32[:, ::1]"); a type
    no signature can name (a np.random.Generator argument, "Generator(int64)") by its name."""
    try:
        return _as_type(name)
    except TypeError:
        return Type(name)


def parse_signature(sig):
    """``"float64(int64, float64[:])"`` or a Signature, or a tuple of argument types
    -> (return type name or None, [argument type names])."""
    if isinstance(sig, Signature):
        return _return_name(sig.return_type), [a.name for a in sig.args]
    if isinstance(sig, (tuple, list)):
        return None, [_as_type(a).name for a in sig]
    if not isinstance(sig, str):
        raise TypeError(f"a signature is a string like 'float64(int64)', got {sig!r}")
    text = sig.strip()
    if "(" not in text or not text.endswith(")"):
        raise TypeError(f"cannot parse signature {sig!r}; write it like 'float64(int64, float64)'")
    # The argument list opens at the "(" that matches the final ")": a return type may have
    # parentheses of its own ("UniTuple(int64, 2)(int64)").
    depth, opening = 0, 0
    for i in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            opening = i
            break
    ret, args = text[:opening], text[opening + 1:-1]
    arg_types = [_as_type(a).name for a in _split(args) if a.strip()]
    return (_return_name(_as_type(ret)) if ret.strip() else None), arg_types


def _return_name(t):
    """A declared return type's name; None for void (the result is inferred: None)."""
    return None if t == void else t.name
