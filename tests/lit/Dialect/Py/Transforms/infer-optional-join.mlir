// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-infer-types)" | FileCheck %s

// None on one path and an int on the other meet as !py.optional<i64>; `+` needs the int,
// so a py.cast takes it out (py-to-std checks it is not None).
// CHECK-LABEL: func.func @f_i64(%arg0: i64) -> i64
// CHECK: ^bb{{[0-9]+}}(%[[X:.*]]: !py.optional<i64>):
// CHECK: %[[V:.*]] = py.cast %[[X]] : !py.optional<i64> to i64
// CHECK: py.binop "add" %[[V]], %{{.*}} : (i64, i64) -> i64
module attributes {py.entry = @f, py.entry_types = [i64]} {
  func.func @f(%n: !py.object) -> !py.object attributes {py.template} {
    %none = py.none : !py.object
    %zero = py.constant 0 : i64 -> !py.object
    %gt = py.cmp "gt" %n, %zero : (!py.object, !py.object) -> !py.object
    %c = py.truth %gt : !py.object
    cf.cond_br %c, ^set, ^join(%none : !py.object)
  ^set:
    cf.br ^join(%n : !py.object)
  ^join(%x: !py.object):
    %one = py.constant 1 : i64 -> !py.object
    %r = py.binop "add" %x, %one : (!py.object, !py.object) -> !py.object
    return %r : !py.object
  }
}
