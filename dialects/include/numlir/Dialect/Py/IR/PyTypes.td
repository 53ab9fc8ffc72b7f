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

#endif // PY_TYPES_TD
