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

def ParallelLoops : Pass<"py-parallel-loops", "::mlir::ModuleOp"> {
  let summary = "With parallel=True, make prange loops py.parallel_for over an outlined body";
  let description = [{
    With `py.parallel` on the module (`parallel=True`), each loop over a `py.range` marked
    `prange` becomes a `py.parallel_for`: the body is outlined into a function of the index
    and the values it reads from outside (`py.prange_body`), which returns the iteration's
    contribution to each reduction (`s += x`, `s -= x`, `s *= x`, `s = min(s, x)`,
    `s = max(s, x)`: the variable is the reduction's identity inside). py-to-std runs it as
    `scf.parallel` with `scf.reduce`. A prange nested in the body runs in order. Loops
    that break, return, read a reduction variable or carry a variable that is no reduction
    are an UnsupportedError. Without `py.parallel`, prange is range.

    ```mlir
    %r = py.parallel_for @f__prange0(%start, %stop, %step, %a, %s0)
        {captureCount = 1 : i64, reductions = ["add"]} : (i64, i64, i64, memref<?xf64>, f64) -> tuple<f64>
    ```
  }];
  let dependentDialects = ["::mlir::cf::ControlFlowDialect", "::mlir::func::FuncDialect"];
}

#endif // NUMLIR_DIALECT_PY_TRANSFORMS_PASSES_TD
