// RUN: not numlir-opt %s --pass-pipeline="builtin.module()" 2>&1 | FileCheck %s

// CHECK: unknown binary operator 'matpow'
module {
  func.func @f(%a: i64, %b: i64) -> i64 {
    %0 = py.binop "matpow" %a, %b : (i64, i64) -> i64
    return %0 : i64
  }
}
