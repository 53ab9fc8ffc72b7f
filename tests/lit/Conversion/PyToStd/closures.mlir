// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-to-std)" | FileCheck %s
// A closure value (an inner function or lambda that reads its enclosing function's
// variables) is the values it captured: py.function_ref takes a reference to them, and
// py.function_captures gives them back (with a reference of its own) for a call.

// CHECK-LABEL: func.func private @make_closure
// CHECK-SAME: (%[[L:.*]]: !llvm.ptr, %[[K:.*]]: i64)
// CHECK: llvm.atomicrmw add
// CHECK: return %{{.*}}, %[[L]], %[[K]] : i32, !llvm.ptr, i64
func.func @make_closure(%l: !py.list<i64>, %k: i64) -> !py.funcref<"pick", tuple<!py.list<i64>, i64>> {
  %env = py.make_tuple %l, %k : (!py.list<i64>, i64) -> tuple<!py.list<i64>, i64>
  %f = py.function_ref @pick(%env : tuple<!py.list<i64>, i64>) : !py.funcref<"pick", tuple<!py.list<i64>, i64>>
  return %f : !py.funcref<"pick", tuple<!py.list<i64>, i64>>
}

// CHECK-LABEL: func.func private @captures_of
// CHECK-SAME: (%[[L:.*]]: !llvm.ptr, %[[K:.*]]: i64)
// CHECK: llvm.atomicrmw add
// CHECK: return %{{.*}}, %[[K]] : i32, i64
func.func @captures_of(%f: !py.funcref<"pick", tuple<!py.list<i64>, i64>>) -> i64 {
  %env = py.function_captures %f : !py.funcref<"pick", tuple<!py.list<i64>, i64>> -> tuple<!py.list<i64>, i64>
  %k = py.tuple_get %env[1] : tuple<!py.list<i64>, i64> -> i64
  return %k : i64
}

// A function that captures nothing is nothing at run time.
// CHECK-LABEL: func.func private @plain() -> i32 attributes {llvm.linkage = #llvm.linkage<internal>}
// CHECK-NOT: llvm
// CHECK: return %{{.*}} : i32
func.func @plain() -> !py.funcref<"square"> {
  %f = py.function_ref @square : !py.funcref<"square">
  return %f : !py.funcref<"square">
}
