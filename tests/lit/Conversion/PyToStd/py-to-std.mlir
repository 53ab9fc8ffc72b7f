// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-to-std)" | FileCheck %s

// Floor division: a zero check that returns the raise-site status, then Python's rounding.
// CHECK: module attributes {py.entry = @f, py.raise_table = {{\[}}["ZeroDivisionError", "integer division or modulo by zero"]]}
// CHECK-LABEL: func.func @f(%arg0: i64, %arg1: i64) -> (i32, i64)
// CHECK: %[[Z:.*]] = arith.cmpi eq, %arg1
// CHECK: cf.cond_br %[[Z]], ^[[RAISE:bb[0-9]+]], ^[[CONT:bb[0-9]+]]
// CHECK: ^[[RAISE]]:
// CHECK: %[[ONE:.*]] = arith.constant 1 : i32
// CHECK: return %[[ONE]]
// CHECK: ^[[CONT]]:
// CHECK: arith.divsi
// CHECK: arith.remsi
// CHECK: return %{{.*}}, %{{.*}} : i32, i64
module attributes {py.entry = @f} {
  func.func @f(%a: i64, %b: i64) -> i64 attributes {py.entry} {
    %0 = py.binop "floordiv" %a, %b : (i64, i64) -> i64
    return %0 : i64
  }
}
