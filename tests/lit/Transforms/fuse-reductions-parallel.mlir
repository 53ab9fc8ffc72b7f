// RUN: numlir-opt %s --pass-pipeline "builtin.module(func.func(numlir-fuse-reductions))" | FileCheck %s

// With parallel=True (py.parallel), a sum that numlir-parallel-array-loops can split among
// threads does not merge with an argmax over the same array, which it cannot split (the
// position it carries): merged, both would run in order. Two sums still merge.
module attributes {py.parallel} {
  // CHECK-LABEL: func.func @sum_argmax_sum
  // CHECK: %[[SUMS:.*]]:2 = scf.for
  // CHECK: arith.addf
  // CHECK: arith.mulf
  // CHECK: arith.addf
  // CHECK: %[[ARG:.*]]:2 = scf.for
  // CHECK: arith.cmpf ogt
  // CHECK-NOT: scf.for
  // CHECK: return %[[SUMS]]#0, %[[ARG]]#1, %[[SUMS]]#1
  func.func @sum_argmax_sum(%a: memref<?xf64>) -> (f64, i64, f64) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %zero = arith.constant 0.0 : f64
    %ninf = arith.constant 0xFFF0000000000000 : f64
    %z = arith.constant 0 : i64
    %n = memref.dim %a, %c0 : memref<?xf64>
    %sum = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
      %x = memref.load %a[%i] : memref<?xf64>
      %s = arith.addf %acc, %x fastmath<reassoc> : f64
      scf.yield %s : f64
    }
    %arg:2 = scf.for %i = %c0 to %n step %c1 iter_args(%best = %ninf, %at = %z) -> (f64, i64) {
      %x = memref.load %a[%i] : memref<?xf64>
      %better = arith.cmpf ogt, %x, %best : f64
      %nb = arith.select %better, %x, %best : f64
      %k = arith.index_cast %i : index to i64
      %na = arith.select %better, %k, %at : i64
      scf.yield %nb, %na : f64, i64
    }
    %squares = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
      %x = memref.load %a[%i] : memref<?xf64>
      %x2 = arith.mulf %x, %x : f64
      %s = arith.addf %acc, %x2 fastmath<reassoc> : f64
      scf.yield %s : f64
    }
    return %sum, %arg#1, %squares : f64, i64, f64
  }
}
