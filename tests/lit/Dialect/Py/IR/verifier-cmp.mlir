// RUN: not numlir-opt %s --pass-pipeline="builtin.module()" 2>&1 | FileCheck %s

// CHECK: unknown comparison 'is'
module {
  func.func @f(%a: i64, %b: i64) -> i1 {
    %0 = py.cmp "is" %a, %b : (i64, i64) -> i1
    return %0 : i1
  }
}
