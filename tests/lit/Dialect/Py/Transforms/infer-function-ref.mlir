// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-infer-types)" | FileCheck %s

// A function as a value has the function in its type; a call of the value becomes a
// py.call of a typed copy of that function, and the call of the value goes.
// CHECK-LABEL: func.func @f_i64(%arg0: i64) -> i64
// CHECK: py.function_ref @sq : !py.funcref<"sq">
// CHECK-NOT: call_value
// CHECK: py.call @sq_i64(%arg0) : (i64) -> i64
// CHECK-LABEL: func.func @sq_i64(%arg0: i64) -> i64
module attributes {py.entry = @f, py.entry_types = [i64]} {
  func.func @f(%x: !py.object) -> !py.object attributes {py.template} {
    %r = py.function_ref @sq : !py.object
    %y = py.call_builtin "call_value"(%r, %x) : (!py.object, !py.object) -> !py.object
    return %y : !py.object
  }
  func.func @sq(%x: !py.object) -> !py.object attributes {py.template} {
    %y = py.binop "mul" %x, %x : (!py.object, !py.object) -> !py.object
    return %y : !py.object
  }
}
