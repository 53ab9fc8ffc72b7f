"""numba-style type objects: ``numlir.float64``, ``numlir.int64``, signatures like
``float64(int64, float64)`` and their string form ``"float64(int64, float64)"``."""


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


class Signature:
    def __init__(self, return_type, args):
        self.return_type = return_type
        self.args = args

    def __repr__(self):
        return f"{self.return_type}({', '.join(map(str, self.args))})"


int64 = Type("int64")
float64 = Type("float64")
boolean = Type("boolean")
_ALIASES = {"int64": int64, "i8": int64, "intp": int64, "int_": int64,
            "float64": float64, "f8": float64, "double": float64, "float_": float64,
            "boolean": boolean, "b1": boolean, "bool_": boolean}
intp = int_ = i8 = int64
f8 = double = float_ = float64
b1 = bool_ = boolean


def _as_type(t):
    if isinstance(t, Type):
        return t
    if isinstance(t, str) and t.strip() in _ALIASES:
        return _ALIASES[t.strip()]
    raise TypeError(f"numlir does not support the type {t!r} yet; "
                    f"supported: {', '.join(sorted(_ALIASES))}")


def parse_signature(sig):
    """``"float64(int64, float64)"`` or a Signature, or a tuple of argument types
    -> (return type name or None, [argument type names])."""
    if isinstance(sig, Signature):
        return sig.return_type.name, [a.name for a in sig.args]
    if isinstance(sig, (tuple, list)):
        return None, [_as_type(a).name for a in sig]
    if not isinstance(sig, str):
        raise TypeError(f"a signature is a string like 'float64(int64)', got {sig!r}")
    text = sig.strip()
    if "(" not in text or not text.endswith(")"):
        raise TypeError(f"cannot parse signature {sig!r}; write it like 'float64(int64, float64)'")
    ret, args = text[:-1].split("(", 1)
    arg_types = [_as_type(a).name for a in args.split(",") if a.strip()]
    return (_as_type(ret).name if ret.strip() else None), arg_types
