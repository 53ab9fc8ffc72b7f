// RUN: numlir-opt %s --pass-pipeline "builtin.module(numlir-bool-bytes)" | FileCheck %s

// Bool arrays become byte arrays: signatures, views and block arguments change type, a load
// is a byte load and a compare with 0, a store zero-extends the bool to a byte.
// CHECK-LABEL: func.func @load_store
// CHECK-SAME: (%[[M:.*]]: memref<?xi8, strided<[?], offset: ?>>, %[[I:.*]]: index, %[[V:.*]]: i1) -> (i1, memref<?xi8, strided<[?], offset: ?>>)
// CHECK: %[[S:.*]] = memref.subview %[[M]]{{.*}} to memref<?xi8, strided<[?], offset: ?>>
// CHECK: cf.br ^bb1(%[[S]] : memref<?xi8, strided<[?], offset: ?>>)
// CHECK: ^bb1(%[[A:.*]]: memref<?xi8, strided<[?], offset: ?>>):
// CHECK: %[[B:.*]] = memref.load %[[A]][%[[I]]] : memref<?xi8, strided<[?], offset: ?>>
// CHECK: %[[T:.*]] = arith.cmpi ne, %[[B]], %{{.*}} : i8
// CHECK: %[[E:.*]] = arith.extui %[[V]] : i1 to i8
// CHECK: memref.store %[[E]], %[[A]][%[[I]]] : memref<?xi8, strided<[?], offset: ?>>
// CHECK: return %[[T]], %[[A]] : i1, memref<?xi8, strided<[?], offset: ?>>
func.func @load_store(%m: memref<?xi1, strided<[?], offset: ?>>, %i: index, %v: i1) -> (i1, memref<?xi1, strided<[?], offset: ?>>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %m, %c0 : memref<?xi1, strided<[?], offset: ?>>
  %s = memref.subview %m[%c0] [%n] [%c1] : memref<?xi1, strided<[?], offset: ?>> to memref<?xi1, strided<[?], offset: ?>>
  cf.br ^bb1(%s : memref<?xi1, strided<[?], offset: ?>>)
^bb1(%a: memref<?xi1, strided<[?], offset: ?>>):
  %x = memref.load %a[%i] : memref<?xi1, strided<[?], offset: ?>>
  memref.store %v, %a[%i] : memref<?xi1, strided<[?], offset: ?>>
  return %x, %a : i1, memref<?xi1, strided<[?], offset: ?>>
}

// Other element types are left alone.
// CHECK-LABEL: func.func @floats
// CHECK-SAME: memref<4xf64>
// CHECK-NOT: arith.cmpi
func.func @floats(%m: memref<4xf64>, %i: index) -> f64 {
  %x = memref.load %m[%i] : memref<4xf64>
  return %x : f64
}
