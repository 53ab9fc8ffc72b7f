// The passes of the py dialect itself. mlir-tblgen -gen-pass-decls makes their base
// classes, create*() functions and registration (Passes.h).
#ifndef NUMLIR_DIALECT_PY_TRANSFORMS_PASSES_TD
#define NUMLIR_DIALECT_PY_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def InferTypes : Pass<"py-infer-types", "::mlir::ModuleOp"> {
  let summary = "Infer concrete types for !py.object values, specializing called templates";
  let description = [{
    Gives every `!py.object` value a concrete type. The entry function's arguments carry
    their types (`py.instance_of`); types flow forward through every op to a fixpoint and
    join where control-flow paths meet (bool < int < float, tuples elementwise), with
    `py.cast` inserted there. A `py.call` of a template (`py.template`) makes a typed copy
    of it once per argument types; recursive calls see the callee's return type as unknown
    until a base case gives it one. A value that cannot be typed is a TypingError with its
    location. Scalar rules are in ScalarTypeRules.cpp, array rules (NumPy's
    promotion, indexing, creation, reductions) in InferArrayTypes.cpp.
  }];
}

def InsertRefcounts : Pass<"py-insert-refcounts", "::mlir::ModuleOp"> {
  let summary = "Make the ownership of counted values (lists) explicit with py.incref/py.decref";
  let description = [{
    Every counted value (a list, a tuple or iterator holding one) that an op or a block
    argument defines owns one reference; a function's arguments are borrowed from its
    caller. Branches and returns pass ownership on; every other op borrows its operands.
    So, from liveness: a value is `py.decref`'d after its last use (or where it is
    defined when it is never used, or on the edge where it stops being live), and
    `py.incref`'d before a branch or return that passes on a value still used later, or a
    borrowed one. Edges out of conditional branches are split first, so that each edge
    can drop what dies on it. Functions without counted values are left as they are.

    ```mlir
    %l = py.make_list %a : (i64) -> !py.list<i64>
    %n = py.call_builtin "len"(%l) : (!py.list<i64>) -> i64
    py.decref %l : !py.list<i64>
    ```
  }];
  let dependentDialects = ["::mlir::cf::ControlFlowDialect"];
}

#endif // NUMLIR_DIALECT_PY_TRANSFORMS_PASSES_TD
