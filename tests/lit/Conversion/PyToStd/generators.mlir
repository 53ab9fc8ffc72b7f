// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-to-std)" | FileCheck %s
// A generator function makes its generator object (a runtime block: words 2 the handle,
// 3 the status, 9 on the slot and then the arguments it keeps), marks where the coroutine
// begins, and suspends before its body; a yield stores the value in the slot, sets the
// status to -1 and suspends. numlir-generator-coroutines turns the markers into LLVM's
// coroutine intrinsics later.

// The kept list argument's word is counted: [count, word].
// CHECK: llvm.mlir.global internal constant @numlir_counted_1_0(dense<[1, 0]> : tensor<2xi64>)

// CHECK-LABEL: func.func private @items
// CHECK: %[[G:.*]] = call @numlir_generator_new(%{{.*}}, %{{.*}}, %{{.*}}) : (i64, i64, !llvm.ptr) -> !llvm.ptr
// The list argument takes a reference and goes into the object, after the one-word slot.
// CHECK: llvm.atomicrmw add
// CHECK: call @numlir.coro_begin(%[[G]]) : (!llvm.ptr) -> ()
// CHECK: %[[START:.*]] = call @numlir.coro_suspend() : () -> i1
// CHECK: cf.cond_br %[[START]], ^[[BODY:.*]], ^[[DROPPED:[a-z0-9]+]]
// CHECK: ^[[DROPPED]]:
// CHECK: return %{{.*}}, %[[G]], %{{.*}} : i32, !llvm.ptr, !llvm.ptr
// The yield: the value into the slot (word 9), status -1 (word 3), suspend.
// CHECK: %[[NINE:.*]] = arith.constant 9 : i64
// CHECK: %[[SLOT:.*]] = llvm.getelementptr %[[G]][%[[NINE]]]
// CHECK: llvm.store %{{.*}}, %{{.*}} : i64, !llvm.ptr
// CHECK: %[[MINUS1:.*]] = arith.constant -1 : i64
// CHECK: llvm.store %[[MINUS1]]
// CHECK: %[[RESUMED:.*]] = call @numlir.coro_suspend() : () -> i1
// CHECK: cf.cond_br %[[RESUMED]]
func.func @items(%xs: !py.list<i64>) -> !py.generator<i64> {
  %g = py.make_generator : !py.generator<i64>
  %zero = py.constant 0 : i64 -> i64
  %x = py.getitem %xs[%zero] : (!py.list<i64>, i64) -> i64
  %r = py.yield %g, %x : (!py.generator<i64>, i64) -> i1
  cf.cond_br %r, ^more, ^dropped
^more:
  return %g : !py.generator<i64>
^dropped:
  return %g : !py.generator<i64>
}

// A step of a for loop over a generator (its object and its coroutine's handle): resume
// the handle unless the generator finished (status >= 0),
// read the status; -1 means a value waits in the slot; > 0 is an exception it raised,
// which goes on from the consumer.
// CHECK-LABEL: func.func private @consume
// CHECK-SAME: (%[[OBJ:.*]]: !llvm.ptr, %[[HANDLE:.*]]: !llvm.ptr)
// CHECK: scf.if
// CHECK: call @llvm.coro.resume(%[[HANDLE]])
// CHECK: %[[AFTER:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i64
// CHECK: arith.cmpi eq, %[[AFTER]], %{{.*}} : i64
// CHECK: arith.cmpi sgt
// CHECK: cf.cond_br
func.func @consume(%g: !py.generator<i64>) -> i64 {
  %it = py.get_iter %g : (!py.generator<i64>) -> !py.iter<"generator", tuple<!py.generator<i64>>>
  %valid, %v = py.iter_next %it : (!py.iter<"generator", tuple<!py.generator<i64>>>) -> (i1, i64)
  py.decref %it : !py.iter<"generator", tuple<!py.generator<i64>>>
  return %v : i64
}
