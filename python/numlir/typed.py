"""numba's typed containers: ``numlir.typed.List`` and ``numlir.typed.Dict`` hold their items
in native memory, are usable from the interpreter, and pass to compiled functions as they
are (no copy, no conversion: what compiled code changes is changed in them).

    from numlir.typed import List, Dict
    from numlir import types
    l = List.empty_list(types.float64)
    d = Dict.empty(key_type=types.int64, value_type=types.float64)
"""
from ._core import TypedDict, TypedList

__all__ = ["List", "Dict"]


def _type_name(t):
    return t.name if hasattr(t, "name") else str(t)


class List(TypedList):
    """A list of one item type. ``List()`` takes it from the first append; ``List(iterable)``
    from the first item; ``List.empty_list(types.int64)`` says it."""

    def __new__(cls, iterable=(), item_type=None):
        return super().__new__(cls, None if item_type is None else _type_name(item_type))

    def __init__(self, iterable=(), item_type=None):
        self.extend(iterable)

    @classmethod
    def empty_list(cls, item_type, allocated=0):
        return cls(item_type=item_type)

    def __iter__(self):
        return iter(self._items())

    def __repr__(self):
        return f"ListType[{self._item_type}]({self._items()!r})"

    def __eq__(self, other):
        if isinstance(other, (List, list)):
            return self._items() == list(other)
        return NotImplemented

    def __contains__(self, value):
        return value in self._items()

    def __reduce__(self):
        return (_rebuild_list, (self._item_type, self._items()))

    def insert(self, i, value):
        items = self._items()
        items.insert(i, value)
        self._replace(items)

    def _replace(self, items):
        while len(self):
            self.pop()
        self.extend(items)

    def copy(self):
        return List(self._items(), item_type=self._item_type)

    def index(self, value):
        return self._items().index(value)

    def count(self, value):
        return self._items().count(value)


def _rebuild_list(item_type, items):
    return List(items, item_type=item_type)


class Dict(TypedDict):
    """A dict of one key type and one value type: ``Dict.empty(key_type=types.int64,
    value_type=types.float64)``."""

    def __new__(cls, key_type, value_type):
        return super().__new__(cls, _type_name(key_type), _type_name(value_type))

    @classmethod
    def empty(cls, key_type, value_type, n_keys=0):
        return cls(key_type, value_type)

    def __iter__(self):
        return iter(self._keys())

    def keys(self):
        return self._items().keys()

    def values(self):
        return self._items().values()

    def items(self):
        return self._items().items()

    def get(self, key, default=None):
        return self[key] if key in self else default

    def pop(self, key, *default):
        if key in self:
            value = self[key]
            del self[key]
            return value
        if default:
            return default[0]
        raise KeyError(key)

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, other):
        for k, v in dict(other).items():
            self[k] = v

    def copy(self):
        out = Dict(*self._types)
        out.update(self._items())
        return out

    def __eq__(self, other):
        if isinstance(other, (Dict, dict)):
            return self._items() == dict(other)
        return NotImplemented

    def __repr__(self):
        return f"DictType[{self._types[0]},{self._types[1]}]({self._items()!r})"

    def __reduce__(self):
        return (_rebuild_dict, (self._types, self._items()))


def _rebuild_dict(types, items):
    d = Dict(*types)
    d.update(items)
    return d
