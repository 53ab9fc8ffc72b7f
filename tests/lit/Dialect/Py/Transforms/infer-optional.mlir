// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-infer-types)" | FileCheck %s

// A None argument: `default is None` is known, so the branch that would return None as an
// int is never typed and goes; the function returns the int.
// CHECK-LABEL: func.func @pick_i64_none(%arg0: i64, %arg1: none) -> i64
// CHECK: py.call_builtin "is"(%arg1, %{{.*}}) {py.known = true} : (none, none) -> i1
// CHECK-NOT: cf.cond_br
// CHECK: return %arg0 : i64
module attributes {py.entry = @pick, py.entry_types = [i64, none]} {
  func.func @pick(%x: !py.object, %default: !py.object) -> !py.object attributes {py.template} {
    %none = py.none : !py.object
    %is = py.call_builtin "is"(%default, %none) : (!py.object, !py.object) -> !py.object
    %c = py.truth %is : !py.object
    cf.cond_br %c, ^value, ^given
  ^given:
    %one = py.constant 1 : i64 -> !py.object
    %bad = py.binop "add" %default, %one : (!py.object, !py.object) -> !py.object
    return %bad : !py.object
  ^value:
    return %x : !py.object
  }
}
