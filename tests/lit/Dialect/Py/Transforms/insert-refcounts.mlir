// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-insert-refcounts)" | FileCheck %s
// Ownership of lists: a value made here is dropped after its last use; a branch or return
// passes it on; a borrowed argument is never dropped and is increfed when passed on.

// CHECK-LABEL: func.func @dropped_after_last_use
// CHECK: %[[L:.*]] = py.make_list
// CHECK-NEXT: %[[N:.*]] = py.call_builtin "len"(%[[L]])
// CHECK-NEXT: py.decref %[[L]] : !py.list<i64>
// CHECK-NEXT: return %[[N]]
func.func @dropped_after_last_use(%x: i64) -> i64 {
  %l = py.make_list %x, %x : (i64, i64) -> !py.list<i64>
  %n = py.call_builtin "len"(%l) : (!py.list<i64>) -> i64
  return %n : i64
}

// CHECK-LABEL: func.func @returned_without_counts
// CHECK-NOT: py.incref
// CHECK-NOT: py.decref
// CHECK: return
func.func @returned_without_counts(%x: i64) -> !py.list<i64> {
  %l = py.make_list %x : (i64) -> !py.list<i64>
  %n = py.call_builtin "len"(%l) : (!py.list<i64>) -> i64
  return %l : !py.list<i64>
}

// CHECK-LABEL: func.func @borrowed_argument
// CHECK-SAME: (%[[A:.*]]: !py.list<f64>)
// CHECK-NEXT: py.incref %[[A]]
// CHECK-NEXT: return %[[A]]
func.func @borrowed_argument(%a: !py.list<f64>) -> !py.list<f64> {
  return %a : !py.list<f64>
}

// CHECK-LABEL: func.func @never_used
// CHECK: %[[L:.*]] = py.make_list
// CHECK-NEXT: py.decref %[[L]]
func.func @never_used(%x: i64) -> i64 {
  %l = py.make_list %x : (i64) -> !py.list<i64>
  return %x : i64
}

// A list used on one branch only dies on the edge into the other: the edges get blocks
// of their own (right after the branch), and the one that does not use it drops it.
// CHECK-LABEL: func.func @dies_on_an_edge
// CHECK: %[[L:.*]] = py.make_list
// CHECK: cf.cond_br %{{.*}}, ^[[USE:[a-z0-9]+]], ^[[SKIP:[a-z0-9]+]]
// CHECK: ^[[USE]]:
// CHECK-NEXT: cf.br ^[[BODY:[a-z0-9]+]]
// CHECK: ^[[SKIP]]:
// CHECK-NEXT: py.decref %[[L]]
// CHECK: ^[[BODY]]:
// CHECK-NEXT: py.call_builtin "len"(%[[L]])
// CHECK-NEXT: py.decref %[[L]]
func.func @dies_on_an_edge(%c: i1, %x: i64) -> i64 {
  %l = py.make_list %x : (i64) -> !py.list<i64>
  cf.cond_br %c, ^use, ^done(%x : i64)
^use:
  %n = py.call_builtin "len"(%l) : (!py.list<i64>) -> i64
  cf.br ^done(%n : i64)
^done(%r: i64):
  return %r : i64
}

// A loop carries the list in a block argument: no counts inside the loop; the argument is
// dropped where the loop ends.
// CHECK-LABEL: func.func @loop_carried
// CHECK: ^[[HEAD:.*]](%[[LL:.*]]: !py.list<i64>, %{{.*}}: i64):
// CHECK-NOT: py.incref
// CHECK: py.call_builtin "list.append"(%[[LL]]
// CHECK-NOT: py.decref
// CHECK: cf.br ^[[HEAD]](%[[LL]]
// CHECK: py.decref %[[LL]]
// CHECK: return
func.func @loop_carried(%n: i64) -> i64 {
  %l = py.make_list : () -> !py.list<i64>
  %zero = py.constant 0 : i64 -> i64
  %one = py.constant 1 : i64 -> i64
  cf.br ^head(%l, %zero : !py.list<i64>, i64)
^head(%ll: !py.list<i64>, %i: i64):
  %more = py.cmp "lt" %i, %n : (i64, i64) -> i1
  cf.cond_br %more, ^body, ^exit
^body:
  %none = py.call_builtin "list.append"(%ll, %i) : (!py.list<i64>, i64) -> none
  %next = py.binop "add" %i, %one : (i64, i64) -> i64
  cf.br ^head(%ll, %next : !py.list<i64>, i64)
^exit:
  %len = py.call_builtin "len"(%ll) : (!py.list<i64>) -> i64
  return %len : i64
}

// A tuple holding a list is counted too.
// CHECK-LABEL: func.func @tuple_of_list
// CHECK: %[[T:.*]] = py.make_tuple
// CHECK-NEXT: py.decref %[[L:.*]] : !py.list<i64>
// CHECK: py.tuple_get %[[T]][1]
// CHECK-NEXT: py.decref %[[T]] : tuple<i64, !py.list<i64>>
func.func @tuple_of_list(%x: i64) -> i64 {
  %l = py.make_list %x : (i64) -> !py.list<i64>
  %t = py.make_tuple %x, %l : (i64, !py.list<i64>) -> tuple<i64, !py.list<i64>>
  %m = py.tuple_get %t[1] : tuple<i64, !py.list<i64>> -> !py.list<i64>
  %n = py.call_builtin "len"(%m) : (!py.list<i64>) -> i64
  return %n : i64
}

// try/except: the handler edge of py.exc_point leaves from where py.exc_begin is (an op
// after it raised). A list whose last use is that op is still held there, and dropped on
// the edge; the list the op makes was never made on that path.
// CHECK-LABEL: func.func @handler_edge
// CHECK: %[[L:.*]] = py.make_list
// CHECK-NEXT: py.exc_begin
// CHECK-NEXT: %[[M:.*]] = py.binop "mul" %[[L]]
// CHECK-NEXT: py.decref %[[L]]
// CHECK-NEXT: py.exc_point ^[[NORMAL:bb[0-9]+]], ^[[HANDLER:bb[0-9]+]]
// CHECK: ^[[HANDLER]]:
// CHECK-NEXT: py.decref %[[L]]
// CHECK-NEXT: cf.br
// CHECK: py.caught
func.func @handler_edge(%x: i64, %i: i64) -> i64 {
  %l = py.make_list %x, %x : (i64, i64) -> !py.list<i64>
  py.exc_begin
  %m = py.binop "mul" %l, %i : (!py.list<i64>, i64) -> !py.list<i64>
  py.exc_point ^bb1, ^bb2
^bb1:
  %n = py.call_builtin "len"(%m) : (!py.list<i64>) -> i64
  return %n : i64
^bb2:
  %e = py.caught : !py.exception
  %c = py.constant -1 : i64 -> i64
  return %c : i64
}
