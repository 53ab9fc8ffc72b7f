// RUN: numlir-opt %s --pass-pipeline "builtin.module(numlir-lower-matmul{gemm-min-work=0 gemv-min-work=0},canonicalize,cse)" | FileCheck %s
// RUN: numlir-opt %s --pass-pipeline "builtin.module(numlir-lower-matmul,canonicalize,cse)" | FileCheck %s --check-prefix=BLAS

// With BLAS (the default options): a float matmul of at least 8**3 multiplications calls
// the runtime's gemm with kind 1 (float64), the sizes, alpha = beta = 1 (linalg's matmul
// accumulates into C) and each operand's aligned pointer, offset and strides; the loops run
// where it did not (smaller, no BLAS, or no contiguous axis). A matvec calls gemv from
// 128**2 multiplications, a vecmat gemv transposed. Integer products keep their loops.
// BLAS-LABEL: func.func @matmul
// BLAS: %[[WORK:.*]] = arith.muli %{{.*}}, %dim_1
// BLAS: %[[BIG:.*]] = arith.cmpi uge, %[[WORK]], %c512
// BLAS: %[[DONE:.*]] = scf.if %[[BIG]] -> (i1)
// BLAS: %[[P:.*]] = memref.extract_aligned_pointer_as_index %arg0
// BLAS: func.call @numlir_blas_gemm(%c1_i64, {{.*}}, %cst, %cst, {{.*}}) : (i64, i64, i64, i64, f64, f64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i1
// BLAS: } else {
// BLAS-NEXT: scf.yield %false
// BLAS: %[[LOOPS:.*]] = arith.xori %[[DONE]], %true
// BLAS: scf.if %[[LOOPS]] {
// BLAS: scf.for
// BLAS-LABEL: func.func @matvec
// BLAS: arith.cmpi uge, %{{.*}}, %c16384
// BLAS: func.call @numlir_blas_gemv(%c0_i64, %false, {{.*}}) : (i64, i1, i64, i64, f64, f64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i1
// BLAS-LABEL: func.func @vecmat
// BLAS-NOT: numlir_blas

// C += A @ B: rows of C four at a time (then one by one), k four steps at a time (then one
// by one); the inner loop walks a row of B and of C (j), which vectorizes, and each element
// of C takes its four products in order of k.
// CHECK-LABEL: func.func @matmul
// CHECK-NOT: linalg.matmul
// CHECK: scf.for %[[I:.*]] = %c0 to %{{.*}} step %c4
// CHECK: scf.for %[[K:.*]] = %c0 to %{{.*}} step %c4
// CHECK-COUNT-16: memref.load %arg0
// CHECK: scf.for %[[J:.*]] = %c0 to %{{.*}} step %c1
// CHECK-COUNT-4: memref.load %arg1[%{{.*}}, %[[J]]]
// CHECK: %[[C:.*]] = memref.load %arg2[%[[I]], %[[J]]]
// CHECK-NEXT: %[[P0:.*]] = arith.mulf
// CHECK-NEXT: %[[S0:.*]] = arith.addf %[[C]], %[[P0]]
// CHECK-NEXT: %[[P1:.*]] = arith.mulf
// CHECK-NEXT: %[[S1:.*]] = arith.addf %[[S0]], %[[P1]]
// CHECK: memref.store %{{.*}}, %arg2[%[[I]], %[[J]]]
func.func @matmul(%a: memref<?x?xf64>, %b: memref<?x?xf64>, %c: memref<?x?xf64>) {
  linalg.matmul ins(%a, %b : memref<?x?xf64>, memref<?x?xf64>) outs(%c : memref<?x?xf64>)
  return
}

// y += A @ v: four rows' sums carried through the loop over k, each a dot product that
// may be summed in any order (reassoc, as np.sum's), so that it vectorizes along k.
// CHECK-LABEL: func.func @matvec
// CHECK-NOT: linalg.matvec
// CHECK: scf.for %{{.*}} = %c0 to %{{.*}} step %c4
// CHECK: scf.for %{{.*}} = %c0 to %{{.*}} step %c1 iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (f32, f32, f32, f32)
// CHECK: arith.mulf
// CHECK-NEXT: arith.addf %{{.*}}, %{{.*}} fastmath<reassoc> : f32
func.func @matvec(%a: memref<?x?xf32>, %v: memref<?xf32>, %y: memref<?xf32>) {
  linalg.matvec ins(%a, %v : memref<?x?xf32>, memref<?xf32>) outs(%y : memref<?xf32>)
  return
}

// y += v @ B: k outside (four steps at a time), the row of y inside; integers too.
// CHECK-LABEL: func.func @vecmat
// CHECK-NOT: linalg.vecmat
// CHECK: scf.for %{{.*}} = %c0 to %{{.*}} step %c4
// CHECK: scf.for %[[J:.*]] = %c0 to %{{.*}} step %c1
// CHECK: memref.load %arg2[%[[J]]]
// CHECK-COUNT-4: arith.muli
// CHECK: memref.store %{{.*}}, %arg2[%[[J]]]
func.func @vecmat(%v: memref<?xi64>, %b: memref<?x?xi64>, %y: memref<?xi64>) {
  linalg.vecmat ins(%v, %b : memref<?xi64>, memref<?x?xi64>) outs(%y : memref<?xi64>)
  return
}

// np.dot of two vectors: one loop, its sum reassociable so that it vectorizes.
// CHECK-LABEL: func.func @dot
// CHECK-NOT: linalg.dot
// CHECK: %[[INIT:.*]] = memref.load %arg2[]
// CHECK: %[[SUM:.*]] = scf.for %{{.*}} iter_args(%{{.*}} = %[[INIT]]) -> (f64)
// CHECK: arith.addf %{{.*}}, %{{.*}} fastmath<reassoc> : f64
// CHECK: memref.store %[[SUM]], %arg2[]
func.func @dot(%x: memref<?xf64>, %y: memref<?xf64>, %acc: memref<f64>) {
  linalg.dot ins(%x, %y : memref<?xf64>, memref<?xf64>) outs(%acc : memref<f64>)
  return
}

// A product into a result just filled with zeros (np.dot's): BLAS overwrites it (beta = 0),
// and the fill moves into the loops' branch, the only one that reads it.
// BLAS-LABEL: func.func @fresh_product
// BLAS-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// BLAS-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// BLAS-NOT: linalg.fill
// BLAS: func.call @numlir_blas_gemm({{.*}}, %[[ONE]], %[[ZERO]], {{.*}})
// BLAS: scf.if
// BLAS-NEXT: linalg.fill ins(%[[ZERO]] : f64) outs(%arg2
func.func @fresh_product(%a: memref<?x?xf64>, %b: memref<?x?xf64>, %c: memref<?x?xf64>) {
  %zero = arith.constant 0.0 : f64
  linalg.fill ins(%zero : f64) outs(%c : memref<?x?xf64>)
  linalg.matmul ins(%a, %b : memref<?x?xf64>, memref<?x?xf64>) outs(%c : memref<?x?xf64>)
  return
}
// BLAS: func.func private @numlir_blas_gemm
// BLAS: func.func private @numlir_blas_gemv
