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

#endif // NUMLIR_DIALECT_PY_TRANSFORMS_PASSES_TD
