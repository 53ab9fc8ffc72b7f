// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-infer-types)" | FileCheck %s

// A recursive call sees the return type the base case gives.
// CHECK-LABEL: func.func @fib_i64(%arg0: i64) -> i64
// CHECK: py.call @fib_i64(%{{.*}}) : (i64) -> i64
module attributes {py.entry = @fib, py.entry_types = [i64]} {
  func.func @fib(%n: !py.object) -> !py.object attributes {py.template} {
    %two = py.constant 2 : i64 -> !py.object
    %lt = py.cmp "lt" %n, %two : (!py.object, !py.object) -> !py.object
    %c = py.truth %lt : !py.object
    cf.cond_br %c, ^base, ^rec
  ^base:
    return %n : !py.object
  ^rec:
    %one = py.constant 1 : i64 -> !py.object
    %m = py.binop "sub" %n, %one : (!py.object, !py.object) -> !py.object
    %r = py.call @fib(%m) : (!py.object) -> !py.object
    %s = py.binop "add" %r, %n : (!py.object, !py.object) -> !py.object
    return %s : !py.object
  }
}
