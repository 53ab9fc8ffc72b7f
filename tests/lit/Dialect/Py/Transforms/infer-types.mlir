// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-infer-types)" | FileCheck %s

// Types flow from the entry's argument types; int and float meet as float at the loop
// header; the call to a template makes a typed copy of it.

// CHECK: module attributes {py.entry = @f_i64}
// CHECK-LABEL: func.func @f_i64(%arg0: i64) -> f64
// CHECK: py.constant 0 : i64 -> i64
// CHECK: py.cast %{{.*}} : i64 to f64
// CHECK: ^bb{{[0-9]+}}(%{{.*}}: f64, %{{.*}}: i64):
// CHECK: %[[HALF:.*]] = py.constant 5.000000e-01 : f64 -> f64
// CHECK: py.binop "add" %{{.*}}, %[[HALF]] : (f64, f64) -> f64
// CHECK: py.call @g_f64(%{{.*}}) : (f64) -> f64
// CHECK-LABEL: func.func @g_f64(%arg0: f64) -> f64
// CHECK-NOT: py.template
// CHECK-NOT: !py.object
module attributes {py.entry = @f, py.entry_types = [i64]} {
  func.func @f(%n: !py.object) -> !py.object attributes {py.template} {
    %zero = py.constant 0 : i64 -> !py.object
    cf.br ^loop(%zero, %zero : !py.object, !py.object)
  ^loop(%s: !py.object, %i: !py.object):
    %lt = py.cmp "lt" %i, %n : (!py.object, !py.object) -> !py.object
    %c = py.truth %lt : !py.object
    cf.cond_br %c, ^body, ^exit
  ^body:
    %half = py.constant 0.5 : f64 -> !py.object
    %s2 = py.binop "add" %s, %half : (!py.object, !py.object) -> !py.object
    %one = py.constant 1 : i64 -> !py.object
    %i2 = py.binop "add" %i, %one : (!py.object, !py.object) -> !py.object
    cf.br ^loop(%s2, %i2 : !py.object, !py.object)
  ^exit:
    %r = py.call @g(%s) : (!py.object) -> !py.object
    return %r : !py.object
  }
  func.func @g(%x: !py.object) -> !py.object attributes {py.template} {
    %two = py.constant 2 : i64 -> !py.object
    %y = py.binop "mul" %x, %two : (!py.object, !py.object) -> !py.object
    return %y : !py.object
  }
}
