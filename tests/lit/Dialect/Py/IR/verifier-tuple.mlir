// RUN: not numlir-opt %s --pass-pipeline="builtin.module()" 2>&1 | FileCheck %s

// CHECK: index 2 is out of range for 'tuple<i64, f64>'
module {
  func.func @f(%t: tuple<i64, f64>) -> i64 {
    %0 = py.tuple_get %t[2] : tuple<i64, f64> -> i64
    return %0 : i64
  }
}
