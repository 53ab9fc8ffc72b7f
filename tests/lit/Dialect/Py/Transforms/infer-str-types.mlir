// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-infer-types)" | FileCheck %s

// A literal is a !py.str; + of two strings is a str, len an int; a method call, which the
// frontend names "ndarray.<name>", becomes "str.<name>", and split's keywords become
// positions (None and -1 where one is not given).

// CHECK-LABEL: func.func @f__py_str(%arg0: !py.str) -> !py.list<!py.str>
// CHECK: py.str_constant "!" : !py.str
// CHECK: py.binop "add" %arg0, %{{.*}} : (!py.str, !py.str) -> !py.str
// CHECK: py.call_builtin "len"(%{{.*}}) : (!py.str) -> i64
// CHECK: %[[ONE:.*]] = py.constant 1 : i64 -> i64
// CHECK: %[[NONE:.*]] = py.none : none
// CHECK: py.call_builtin "str.split"(%{{.*}}, %[[NONE]], %[[ONE]]) : (!py.str, none, i64) -> !py.list<!py.str>
module attributes {py.entry = @f, py.entry_types = [!py.str]} {
  func.func @f(%s: !py.object) -> !py.object attributes {py.template} {
    %bang = py.str_constant "!" : !py.object
    %t = py.binop "add" %s, %bang : (!py.object, !py.object) -> !py.object
    %n = py.call_builtin "len"(%t) : (!py.object) -> !py.object
    %one = py.constant 1 : i64 -> !py.object
    %words = py.call_builtin "ndarray.split"(%t, %one) {kwnames = ["maxsplit"]} : (!py.object, !py.object) -> !py.object
    return %words : !py.object
  }
}
