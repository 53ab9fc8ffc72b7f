#ifndef PY_TYPES_TD
#define PY_TYPES_TD

include "mlir/IR/AttrTypeBase.td"
include "numlir/Dialect/Py/IR/PyDialect.td"

class Py_Type<string name, string typeMnemonic> : TypeDef<Py_Dialect, name> {
  let mnemonic = typeMnemonic;
}

def Py_ObjectType : Py_Type<"Object", "object"> {
  let summary = "a Python value whose type is not inferred yet";
  let description = [{
    Every value the frontend cannot type by itself starts as `!py.object`.
    `py-infer-types` replaces it; none may remain after that pass.
  }];
}

def Py_RangeType : Py_Type<"Range", "range"> {
  let summary = "a `range(start, stop, step)` object of int64 bounds";
}

def Py_RangeIterType : Py_Type<"RangeIter", "range_iter"> {
  let summary = "the iterator of a range; mutable state advanced by `py.iter_next`";
}

def Py_IterType : Py_Type<"Iter", "iter"> {
  let summary = "an iterator over an array or a tuple, or of enumerate() or zip()";
  let description = [{
    `kind` says how `py.iter_next` advances it, and `state` holds the py types of what it
    keeps (lowered, the iterator is the parts of `state`):
    - "array": the array and a `!py.range_iter` over its first axis (rows of a 2-D array);
    - "tuple": a tuple of one element type and a `!py.range_iter` over its indices;
    - "enumerate": a `!py.range_iter` that counts from `start`, and the inner iterator;
    - "zip": the inner iterators, advanced together until the first one ends;
    - "list": the list and a `!py.range_iter` over its indices (the length is read each step);
    - "dict_keys", "dict_values", "dict_items": the dict and a `!py.range_iter` whose
      current value is the runtime's cursor into the dict's entries;
    - "set": the set and a cursor, as "dict_keys".
    `reversed(x)` is the iterator of `x` with its range running backwards.

    ```mlir
    !py.iter<"array", tuple<memref<?xf64, strided<[?], offset: ?>>, !py.range_iter>>
    !py.iter<"enumerate", tuple<!py.range_iter, !py.range_iter>>
    ```
  }];
  let parameters = (ins StringRefParameter<"how py.iter_next advances it">:$kind, "TupleType":$state);
  let assemblyFormat = "`<` $kind `,` $state `>`";
}

def Py_SliceType : Py_Type<"Slice", "slice"> {
  let summary = "a `start:stop:step` slice; None parts are `none` operands of its py.slice";
}

def Py_NamedTupleType : Py_Type<"NamedTuple", "namedtuple"> {
  let summary = "an instance of a collections.namedtuple class: a tuple with field names";
  let description = [{
    A tuple whose elements are also read by name. `className` is the class's
    `module:qualname`, which the runtime boxes a returned value as; `fields` are its
    `_fields`. Everything that takes a tuple takes it (see `tupleOf`).

    ```mlir
    !py.namedtuple<"geometry:Point", ["x", "y"], tuple<i64, f64>>
    ```
  }];
  let parameters = (ins "StringAttr":$className, "ArrayAttr":$fields, "TupleType":$tuple);
  let assemblyFormat = "`<` $className `,` $fields `,` $tuple `>`";
  let extraClassDeclaration = [{
    /// The index of field `name`, or -1.
    int64_t fieldIndex(StringRef name) const;
  }];
}

def Py_ListType : Py_Type<"List", "list"> {
  let summary = "a Python list of one element type, in a reference-counted block";
  let description = [{
    Lists are shared by reference, as in Python: `b = a` aliases, `b.append(x)` is seen
    through `a`. The element type is fixed per list; an empty `[]` takes it from later
    uses during type inference (`!py.list<!py.object>` until then). Lowered, a list is a
    pointer to a runtime block (src/runtime/lists.rs): an atomic reference count, the
    length, the capacity and the element storage.

    ```mlir
    !py.list<i64>
    !py.list<tuple<i64, f64>>
    !py.list<!py.list<f64>>
    ```
  }];
  let parameters = (ins "Type":$elementType);
  let assemblyFormat = "`<` $elementType `>`";
}

def Py_GeneratorType : Py_Type<"Generator", "generator"> {
  let summary = "a generator object: a suspended generator function that yields one type";
  let description = [{
    What calling a generator function (a function with `yield`) gives. It runs lazily, as
    in Python: each `next` resumes it until its next `yield`. The yielded type joins every
    `yield`'s (numbers widen) and is `!py.object` until type inference. Lowered, it is a
    pointer to a reference-counted block (src/runtime/generators.rs) that holds the
    function's coroutine, the slot a value is yielded through and the arguments.

    ```mlir
    !py.generator<i64>
    !py.generator<tuple<i64, f64>>
    ```
  }];
  let parameters = (ins "Type":$yieldType);
  let assemblyFormat = "`<` $yieldType `>`";
}

def Py_DictType : Py_Type<"Dict", "dict"> {
  let summary = "a Python dict of one key type and one value type, in a reference-counted block";
  let description = [{
    Shared by reference as in Python, iterated in insertion order. An empty `{}` takes its
    key and value types from later uses during type inference (`!py.object` until then).
    Lowered, a dict is a pointer to a runtime block (src/runtime/dicts.rs): the reference
    count, the length, and a hash table of the entries.

    ```mlir
    !py.dict<i64, f64>
    !py.dict<tuple<i64, i64>, !py.list<i64>>
    ```
  }];
  let parameters = (ins "Type":$keyType, "Type":$valueType);
  let assemblyFormat = "`<` $keyType `,` $valueType `>`";
}

def Py_SetType : Py_Type<"Set", "set"> {
  let summary = "a Python set of one element type: a dict without values at run time";
  let description = [{
    An empty `set()` takes its element type from later `add`s during type inference.
    Lowered, a set is a pointer to a dict block (src/runtime/dicts.rs) whose values take
    no words.

    ```mlir
    !py.set<i64>
    ```
  }];
  let parameters = (ins "Type":$elementType);
  let assemblyFormat = "`<` $elementType `>`";
}

def Py_OptionalType : Py_Type<"Optional", "optional"> {
  let summary = "a value of one type, or None (numba's Optional)";
  let description = [{
    What a variable holds where None and a value meet (`x = None` on one path, a number
    on another), and what a function returns that returns None on some paths. An
    operation on it that needs the value checks that it is not None (TypeError).
    Lowered, a flag (i1, true when there is a value) then the value's parts.

    ```mlir
    !py.optional<i64>
    ```
  }];
  let parameters = (ins "Type":$valueType);
  let assemblyFormat = "`<` $valueType `>`";
}

def Py_FunctionRefType : Py_Type<"FunctionRef", "funcref"> {
  let summary = "a compiled function as a value: which one is in the type";
  let description = [{
    An `@njit` function, inner function or lambda passed as an argument, stored in a
    variable or captured by a comprehension. Calls of it become calls of the function
    (py-infer-types makes a `py.call`); at run time it takes no space, but for an inner
    function or lambda that reads variables of its enclosing function (a closure): it
    carries their values, `captures`, which calls pass as the callee's last argument.

    ```mlir
    !py.funcref<"square">
    !py.funcref<"by_count", tuple<!py.dict<!py.str, i64>>>
    ```
  }];
  let parameters = (ins "StringAttr":$callee, OptionalParameter<"TupleType">:$captures);
  let assemblyFormat = "`<` $callee (`,` $captures^)? `>`";
}

def Py_StrType : Py_Type<"Str", "str"> {
  let summary = "a Python str: immutable text in a reference-counted block";
  let description = [{
    Stored as CPython stores text (PEP 393): one, two or four bytes a character, the
    narrowest that holds its widest character, so that length and indexing are O(1) and
    equal strings have equal bytes. Lowered, a str is a pointer to a runtime block
    (src/runtime/strings.rs): the reference count, the length in characters, the width of
    a character, a cached hash, then the characters. A literal's block is made once for
    the process and never freed.

    ```mlir
    !py.str
    ```
  }];
}

def Py_ExceptionType : Py_Type<"Exception", "exception"> {
  let summary = "an exception being handled: `except E as e`";
  let description = [{
    Lowered, the raise status of the exception: the number of its raise site, whose
    class and message the module's `numlir_raise_sites` table holds (for a message made
    at run time, the runtime's recorded exception).

    ```mlir
    !py.exception
    ```
  }];
}

#endif // PY_TYPES_TD
