// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-to-std)" | FileCheck %s

// Python's int modulo: the sign test that decides the rounding reads the operands (it runs
// beside the division), so the remainder itself only feeds one add and one select.
// CHECK-LABEL: func.func @f(%arg0: i64, %arg1: i64) -> (i32, i64)
// CHECK: %[[REM:.*]] = arith.remsi %arg0, %arg1 : i64
// CHECK: %[[NZ:.*]] = arith.cmpi ne, %[[REM]], %{{.*}} : i64
// CHECK: %[[X:.*]] = arith.xori %arg0, %arg1 : i64
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[X]], %{{.*}} : i64
// CHECK: %[[FIX:.*]] = arith.select %[[NEG]], %arg1, %{{.*}} : i64
// CHECK: %[[SUM:.*]] = arith.addi %[[REM]], %[[FIX]] : i64
// CHECK: arith.select %[[NZ]], %[[SUM]], %[[REM]] : i64
module attributes {py.entry = @f} {
  func.func @f(%a: i64, %b: i64) -> i64 attributes {py.entry} {
    %0 = py.binop "mod" %a, %b : (i64, i64) -> i64
    return %0 : i64
  }
}
