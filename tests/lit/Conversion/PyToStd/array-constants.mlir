// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-to-std)" | FileCheck %s
// A frozen array (py.array_constant) is its bytes in an internal, writable, 64-byte aligned
// module global, one per distinct array and shared by the module's functions, and a
// C-contiguous descriptor of them whose allocated pointer is MLIR's mark of constant memory
// (0xdeadbeef: nothing frees it). A splat is written out element by element, bools as bytes.

// CHECK-DAG: llvm.mlir.global internal @[[F64:numlir_array_[0-9_]+]](dense<[0, 0, 0, 0, 0, 0, -16, 63, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0, 8, 64, 0, 0, 0, 0, 0, 0, 16, 64]> : tensor<32xi8>) {addr_space = 0 : i32, alignment = 64 : i64} : !llvm.array<32 x i8>
// CHECK-DAG: llvm.mlir.global internal @[[SPLAT:numlir_array_[0-9_]+]](dense<7> : tensor<3xi8>) {{.*}} : !llvm.array<3 x i8>
// CHECK-DAG: llvm.mlir.global internal @[[BOOL:numlir_array_[0-9_]+]](dense<[1, 0, 1]> : tensor<3xi8>) {{.*}} : !llvm.array<3 x i8>
// CHECK-DAG: llvm.mlir.global internal @[[EMPTY:numlir_array_[0-9_]+]](dense<0> : tensor<1xi8>) {{.*}} : !llvm.array<1 x i8>
// CHECK-NOT: llvm.mlir.global

// A 2x2 array: sizes [2, 2], strides [2, 1].
// CHECK-LABEL: func.func private @matrix(
// CHECK: %[[MARK:.*]] = llvm.mlir.constant(3735928559 : i64) : i64
// CHECK: %[[UNOWNED:.*]] = llvm.inttoptr %[[MARK]] : i64 to !llvm.ptr
// CHECK: llvm.insertvalue %[[UNOWNED]], %{{.*}}[0]
// CHECK: %[[DATA:.*]] = llvm.mlir.addressof @[[F64]] : !llvm.ptr
// CHECK: llvm.insertvalue %[[DATA]], %{{.*}}[1]
// CHECK: llvm.insertvalue %{{.*}}, %{{.*}}[3, 1]
// CHECK: %[[ONE:.*]] = llvm.mlir.constant(1 : i64) : i64
// CHECK-NEXT: llvm.insertvalue %[[ONE]], %{{.*}}[4, 1]
// CHECK: llvm.insertvalue %{{.*}}, %{{.*}}[3, 0]
// CHECK: %[[TWO:.*]] = llvm.mlir.constant(2 : i64) : i64
// CHECK-NEXT: llvm.insertvalue %[[TWO]], %{{.*}}[4, 0]
// CHECK: %[[A:.*]] = builtin.unrealized_conversion_cast %{{.*}} : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> to memref<?x?xf64, strided<[?, 1], offset: ?>>
// CHECK: return %{{.*}}, %[[A]]
func.func @matrix() -> memref<?x?xf64, strided<[?, 1], offset: ?>> {
  %a = py.array_constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf64> -> memref<?x?xf64, strided<[?, 1], offset: ?>>
  return %a : memref<?x?xf64, strided<[?, 1], offset: ?>>
}

// The same elements in another function: the same global.
// CHECK-LABEL: func.func private @same_matrix(
// CHECK: llvm.mlir.addressof @[[F64]] : !llvm.ptr
func.func @same_matrix() -> memref<?x?xf64, strided<[?, 1], offset: ?>> {
  %a = py.array_constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf64> -> memref<?x?xf64, strided<[?, 1], offset: ?>>
  return %a : memref<?x?xf64, strided<[?, 1], offset: ?>>
}

// CHECK-LABEL: func.func private @splat_bools_and_empty(
// CHECK: llvm.mlir.addressof @[[SPLAT]]
// CHECK: to memref<?xi8, strided<[1], offset: ?>>
// CHECK: llvm.mlir.addressof @[[BOOL]]
// CHECK: to memref<?xi1, strided<[1], offset: ?>>
// CHECK: llvm.mlir.addressof @[[EMPTY]]
func.func @splat_bools_and_empty() -> (memref<?xui8, strided<[1], offset: ?>>, memref<?xi1, strided<[1], offset: ?>>, memref<?xf64, strided<[1], offset: ?>>) {
  %s = py.array_constant dense<7> : tensor<3xui8> -> memref<?xui8, strided<[1], offset: ?>>
  %b = py.array_constant dense<[true, false, true]> : tensor<3xi1> -> memref<?xi1, strided<[1], offset: ?>>
  %e = py.array_constant dense<> : tensor<0xf64> -> memref<?xf64, strided<[1], offset: ?>>
  return %s, %b, %e : memref<?xui8, strided<[1], offset: ?>>, memref<?xi1, strided<[1], offset: ?>>, memref<?xf64, strided<[1], offset: ?>>
}
