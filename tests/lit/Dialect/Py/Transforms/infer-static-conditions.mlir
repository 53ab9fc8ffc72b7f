// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-infer-types)" | FileCheck %s

// Conditions the types decide (`a.ndim == 1`, numlir's type tests) are known before typing,
// as `x is None` is: the branch not taken is never typed (`a[0, 0]` of a 1-d array would be
// a TypingError) and goes, so one implementation serves every rank and dtype.
// CHECK-LABEL: func.func @first_memref
// CHECK: py.call_builtin "numlir.is_float"(%arg0) {py.known = true}
// CHECK-NOT: cf.cond_br
// CHECK: py.getitem %arg0[%{{.*}}] : (memref<?xf64, strided<[1], offset: ?>>, i64) -> f64
// CHECK-NOT: py.make_tuple
module attributes {py.entry = @first, py.entry_types = [memref<?xf64, strided<[1], offset: ?>>]} {
  func.func @first(%a: !py.object) -> !py.object attributes {py.template} {
    %float = py.call_builtin "numlir.is_float"(%a) : (!py.object) -> !py.object
    %cf = py.truth %float : !py.object
    cf.cond_br %cf, ^float, ^other
  ^float:
    %ndim = py.getattr "ndim" %a : !py.object -> !py.object
    %one = py.constant 1 : i64 -> !py.object
    %eq = py.cmp "eq" %ndim, %one : (!py.object, !py.object) -> !py.object
    %c = py.truth %eq : !py.object
    cf.cond_br %c, ^vector, ^matrix
  ^vector:
    %zero = py.constant 0 : i64 -> !py.object
    %x = py.getitem %a[%zero] : (!py.object, !py.object) -> !py.object
    return %x : !py.object
  ^matrix:
    %z = py.constant 0 : i64 -> !py.object
    %ij = py.make_tuple %z, %z : (!py.object, !py.object) -> !py.object
    %y = py.getitem %a[%ij] : (!py.object, !py.object) -> !py.object
    return %y : !py.object
  ^other:
    %none = py.none : !py.object
    return %none : !py.object
  }
}
