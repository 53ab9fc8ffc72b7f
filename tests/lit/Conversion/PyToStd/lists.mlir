// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-to-std)" | FileCheck %s
// Lists lower to pointers to runtime blocks: len, indexing and append with room are inline
// loads and stores (word 2 the length, 3 the capacity, 4 the items); a new list and a
// full append call the runtime; a dropped reference that was the last releases the block.

// The table of @nested below, [count, word...], is a module constant.
// CHECK: llvm.mlir.global internal constant @numlir_counted_1_0(dense<[1, 0]> : tensor<2xi64>)

// CHECK-LABEL: func.func private @make_and_len
// CHECK: %[[L:.*]] = call @numlir_list_new(%{{.*}}, %{{.*}}, %{{.*}}) : (i64, i64, !llvm.ptr) -> !llvm.ptr
// CHECK: llvm.store
// CHECK: %[[LENP:.*]] = llvm.getelementptr %[[L]][%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, i64
// CHECK: %[[LEN:.*]] = llvm.load %[[LENP]] : !llvm.ptr -> i64
// CHECK: llvm.atomicrmw sub
// CHECK: call @numlir_release
// CHECK: return %{{.*}}, %[[LEN]]
func.func @make_and_len(%x: i64) -> i64 {
  %l = py.make_list %x, %x : (i64, i64) -> !py.list<i64>
  %n = py.call_builtin "len"(%l) : (!py.list<i64>) -> i64
  py.decref %l : !py.list<i64>
  return %n : i64
}

// CHECK-LABEL: func.func private @append_inline
// CHECK: %[[FULL:.*]] = arith.cmpi sge
// CHECK: scf.if
// CHECK-NEXT: func.call @numlir_list_grow
// CHECK: arith.bitcast %{{.*}} : f64 to i64
// CHECK: llvm.store
func.func @append_inline(%l: !py.list<f64>, %x: f64) {
  %none = py.call_builtin "list.append"(%l, %x) : (!py.list<f64>, f64) -> none
  return
}

// A negative index counts from the end; outside the list is IndexError.
// CHECK-LABEL: func.func private @getitem
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK: arith.cmpi uge
// CHECK: cf.cond_br
// CHECK: llvm.load %{{.*}} : !llvm.ptr -> i64
// CHECK: arith.trunci %{{.*}} : i64 to i1
func.func @getitem(%l: !py.list<i1>, %i: i64) -> i1 {
  %v = py.getitem %l[%i] : (!py.list<i1>, i64) -> i1
  return %v : i1
}

// A list of lists has a table of the item words that hold counted pointers.
// CHECK-LABEL: func.func private @nested
// CHECK: llvm.mlir.addressof @numlir_counted_1_0
// CHECK: call @numlir_list_new
// CHECK: llvm.atomicrmw add
func.func @nested(%inner: !py.list<i64>) -> !py.list<!py.list<i64>> {
  %l = py.make_list %inner : (!py.list<i64>) -> !py.list<!py.list<i64>>
  return %l : !py.list<!py.list<i64>>
}

// An array item takes its descriptor's words (3 + 2 * rank); storing one takes a reference
// to what owns its memory (numlir_array_share, word 0), then stores the rest.
// CHECK-LABEL: func.func private @append_array
// CHECK: builtin.unrealized_conversion_cast %{{.*}} : memref<?xf64, strided<[?], offset: ?>> to !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
// CHECK: llvm.extractvalue %{{.*}}[0]
// CHECK: %[[OWNER:.*]] = call @numlir_array_share(%{{.*}}) : (i64) -> !llvm.ptr
// CHECK: llvm.store %[[OWNER]]
// CHECK-COUNT-4: llvm.extractvalue
func.func @append_array(%l: !py.list<memref<?xf64, strided<[?], offset: ?>>>, %a: memref<?xf64, strided<[?], offset: ?>>) {
  %none = py.call_builtin "list.append"(%l, %a) : (!py.list<memref<?xf64, strided<[?], offset: ?>>>, memref<?xf64, strided<[?], offset: ?>>) -> none
  return
}

// Reading one gives a view the list keeps alive: a descriptor whose allocated pointer is
// the owner's address + 16 (the buffer's own, for compiled code's buffers).
// CHECK-LABEL: func.func private @array_item
// CHECK: %[[ITEMS:.*]] = llvm.load %{{.*}} : !llvm.ptr -> !llvm.ptr
// CHECK: %[[OWNP:.*]] = llvm.getelementptr %[[ITEMS]][%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, i64
// CHECK-NEXT: %[[OWN:.*]] = llvm.load %[[OWNP]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[ALLOC:.*]] = llvm.getelementptr %[[OWN]][16] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK: llvm.insertvalue %[[ALLOC]], %{{.*}}[0]
// CHECK: builtin.unrealized_conversion_cast %{{.*}} : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> to memref<?x?xf64, strided<[?, ?], offset: ?>>
func.func @array_item(%l: !py.list<memref<?x?xf64, strided<[?, ?], offset: ?>>>, %i: i64) -> f64 {
  %a = py.getitem %l[%i] : (!py.list<memref<?x?xf64, strided<[?, ?], offset: ?>>>, i64) -> memref<?x?xf64, strided<[?, ?], offset: ?>>
  %n = py.call_builtin "len"(%l) : (!py.list<memref<?x?xf64, strided<[?, ?], offset: ?>>>) -> i64
  %f = arith.sitofp %n : i64 to f64
  return %f : f64
}

// Popping one drops the list's reference to its owner (the address 16 before the allocated
// pointer); the runtime frees a shared buffer when the call returns.
// CHECK-LABEL: func.func private @pop_array
// CHECK: call @numlir_list_close_gap
// CHECK: llvm.getelementptr %{{.*}}[-16] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK: llvm.atomicrmw sub
// CHECK: call @numlir_release
func.func @pop_array(%l: !py.list<memref<?xi64>>) -> memref<?xi64> {
  %a = py.call_builtin "list.pop"(%l) : (!py.list<memref<?xi64>>) -> memref<?xi64>
  return %a : memref<?xi64>
}
