// RUN: numlir-opt %s --pass-pipeline "builtin.module(numlir-block-arg-reductions{block-size=512})" | FileCheck %s

// An argmax as py-to-std writes it (the best element and its index in selects, a position
// counting up), marked with the kind of its block reduction: it becomes a loop over blocks
// of 512 elements. Each block's best is a maximumf reduction; the loop's own test compares
// it with the best so far; a better block is searched for the least position of an element
// equal to its best or NaN (a minsi reduction), which becomes the index.
// CHECK-LABEL: func.func @argmax(
// CHECK-DAG: %[[BLOCK:.*]] = arith.constant 512 : index
// CHECK: %[[R:.*]]:3 = scf.for %[[START:.*]] = %{{.*}} to %[[N:.*]] step %[[BLOCK]] iter_args(%[[BEST:.*]] = %{{.*}}, %[[INDEX:.*]] = %{{.*}}, %[[POS:.*]] = %{{.*}})
// CHECK:   %[[END:.*]] = arith.minsi %{{.*}}, %[[N]] : index
// CHECK:   %[[M:.*]] = scf.for %[[I:.*]] = %[[START]] to %[[END]] {{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (f64)
// CHECK:     %[[X:.*]] = memref.load %{{.*}}[%[[I]]]
// CHECK-NOT: arith.select
// CHECK:     %[[MAX:.*]] = arith.maximumf %[[ACC]], %[[X]] : f64
// CHECK:     scf.yield %[[MAX]] : f64
// CHECK:   %[[GT:.*]] = arith.cmpf ogt, %[[M]], %[[BEST]] : f64
// CHECK:   %[[BETTER:.*]] = arith.andi
// CHECK:   %[[TAKEN:.*]]:2 = scf.if %[[BETTER]] -> (f64, i64) {
// CHECK:     %[[FIRST:.*]] = scf.for %[[J:.*]] = %[[START]] to %[[END]] {{.*}} iter_args(%[[F:.*]] = %[[END]]) -> (index)
// CHECK:       %[[Y:.*]] = memref.load %{{.*}}[%[[J]]]
// CHECK:       %[[EQ:.*]] = arith.cmpf oeq, %[[Y]], %[[M]] : f64
// CHECK:       %[[NAN:.*]] = arith.cmpf uno, %[[Y]], %[[Y]] : f64
// CHECK:       %[[FOUND:.*]] = arith.ori %[[EQ]], %[[NAN]] : i1
// CHECK:       %[[AT:.*]] = arith.select %[[FOUND]], %[[J]], %[[END]] : index
// CHECK:       %[[LEAST:.*]] = arith.minsi %[[F]], %[[AT]] : index
// CHECK:       scf.yield %[[LEAST]] : index
// CHECK:     %[[OFF:.*]] = arith.subi %[[FIRST]], %[[START]] : index
// CHECK:     %[[OFF64:.*]] = arith.index_cast %[[OFF]] : index to i64
// CHECK:     %[[AT64:.*]] = arith.addi %[[POS]], %[[OFF64]] : i64
// CHECK:     scf.yield %[[M]], %[[AT64]] : f64, i64
// CHECK:   } else {
// CHECK:     scf.yield %[[BEST]], %[[INDEX]] : f64, i64
// CHECK:   %[[LEN:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK:   %[[NEXT:.*]] = arith.addi %[[POS]], %[[LEN]] : i64
// CHECK:   scf.yield %[[TAKEN]]#0, %[[TAKEN]]#1, %[[NEXT]] : f64, i64, i64
// CHECK: return %[[R]]#1 : i64
func.func @argmax(%a: memref<?xf64>) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %true = arith.constant true
  %ninf = arith.constant 0xFFF0000000000000 : f64
  %zero = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %n = memref.dim %a, %c0 : memref<?xf64>
  %r:3 = scf.for %i = %c0 to %n step %c1 iter_args(%best = %ninf, %index = %zero, %pos = %zero) -> (f64, i64, i64) {
    %x = memref.load %a[%i] : memref<?xf64>
    %gt = arith.cmpf ogt, %x, %best : f64
    %xnan = arith.cmpf uno, %x, %x : f64
    %bestnan = arith.cmpf uno, %best, %best : f64
    %or = arith.ori %gt, %xnan : i1
    %notnan = arith.xori %bestnan, %true : i1
    %better = arith.andi %or, %notnan : i1
    %b = arith.select %better, %x, %best : f64
    %k = arith.select %better, %pos, %index : i64
    %p = arith.addi %pos, %one : i64
    scf.yield %b, %k, %p : f64, i64, i64
  } {numlir.arg_reduction = "maximumf"}
  return %r#1 : i64
}

// An integer argmin: a minsi block reduction, an integer equality in the search.
// CHECK-LABEL: func.func @argmin_int(
// CHECK: scf.for
// CHECK:   arith.minsi %{{.*}}, %{{.*}} : i32
// CHECK:   scf.if
// CHECK:     arith.cmpi eq, %{{.*}}, %{{.*}} : i32
// CHECK-NOT: numlir.arg_reduction
func.func @argmin_int(%a: memref<?xi32>) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %big = arith.constant 2147483647 : i32
  %zero = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %n = memref.dim %a, %c0 : memref<?xi32>
  %r:3 = scf.for %i = %c0 to %n step %c1 iter_args(%best = %big, %index = %zero, %pos = %zero) -> (i32, i64, i64) {
    %x = memref.load %a[%i] : memref<?xi32>
    %better = arith.cmpi slt, %x, %best : i32
    %b = arith.select %better, %x, %best : i32
    %k = arith.select %better, %pos, %index : i64
    %p = arith.addi %pos, %one : i64
    scf.yield %b, %k, %p : i32, i64, i64
  } {numlir.arg_reduction = "mins"}
  return %r#1 : i64
}

// A marked loop that is not of this shape (it also sums) stays as it is.
// CHECK-LABEL: func.func @not_an_argmin(
// CHECK: scf.for {{.*}} -> (f64, i64, i64, f64)
// CHECK-NOT: scf.if
func.func @not_an_argmin(%a: memref<?xf64>) -> (i64, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %ninf = arith.constant 0xFFF0000000000000 : f64
  %fzero = arith.constant 0.0 : f64
  %zero = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %n = memref.dim %a, %c0 : memref<?xf64>
  %r:4 = scf.for %i = %c0 to %n step %c1 iter_args(%best = %ninf, %index = %zero, %pos = %zero, %s = %fzero) -> (f64, i64, i64, f64) {
    %x = memref.load %a[%i] : memref<?xf64>
    %better = arith.cmpf ogt, %x, %best : f64
    %b = arith.select %better, %x, %best : f64
    %k = arith.select %better, %pos, %index : i64
    %p = arith.addi %pos, %one : i64
    %t = arith.addf %s, %x : f64
    scf.yield %b, %k, %p, %t : f64, i64, i64, f64
  } {numlir.arg_reduction = "maximumf"}
  return %r#1, %r#3 : i64, f64
}
