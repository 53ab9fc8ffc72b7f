// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-to-std,canonicalize)" | FileCheck %s

// Tuples flatten into their elements; a callee's nonzero status propagates.
// CHECK-LABEL: func.func @swap(%arg0: i64, %arg1: f64) -> (i32, f64, i64)
// CHECK: return %{{.*}}, %arg1, %arg0 : i32, f64, i64
// CHECK-LABEL: func.func private @callee
// CHECK-LABEL: func.func @caller
// CHECK: %[[R:.*]]:2 = call @callee
// CHECK: arith.cmpi ne, %[[R]]#0
module attributes {py.entry = @swap} {
  func.func @swap(%a: i64, %b: f64) -> tuple<f64, i64> attributes {py.entry} {
    %t = py.make_tuple %b, %a : (f64, i64) -> tuple<f64, i64>
    return %t : tuple<f64, i64>
  }
  func.func @callee(%x: f64) -> f64 {
    %0 = py.binop "truediv" %x, %x : (f64, f64) -> f64
    return %0 : f64
  }
  func.func @caller(%x: f64) -> f64 attributes {py.entry} {
    %0 = py.call @callee(%x) : (f64) -> f64
    return %0 : f64
  }
}
