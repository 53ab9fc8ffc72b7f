#ifndef PY_TYPES_TD
#define PY_TYPES_TD

include "mlir/IR/AttrTypeBase.td"
include "Py/PyDialect.td"

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

#endif // PY_TYPES_TD
