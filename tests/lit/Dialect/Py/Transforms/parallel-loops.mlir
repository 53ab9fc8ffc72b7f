// RUN: numlir-opt %s --pass-pipeline "builtin.module(py-parallel-loops)" | FileCheck %s
// RUN: numlir-opt %s --pass-pipeline "builtin.module(py-parallel-loops)" 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK
// REMARK: remark: this prange loop runs in parallel (what it carries: add)

// `for i in prange(n): out[i] = a[i] * 2.0; s += a[i]` with parallel=True (py.parallel):
// the loop becomes py.parallel_for over its range; the body is outlined into a function of
// the index and what it reads from outside (a and out), with the reduction variable its
// identity (0.0) inside, returning the iteration's contribution. The arrays the loop
// passes on unchanged are captures; the loop's blocks are gone.
// CHECK-LABEL: func.func @f(
// CHECK-SAME: %[[A:.*]]: memref<?xf64, strided<[1], offset: ?>>, %[[OUT:.*]]: memref<?xf64, strided<[1], offset: ?>>)
// CHECK: %[[ZERO:.*]] = py.constant 0.000000e+00 : f64 -> f64
// CHECK: %[[N:.*]] = py.getitem
// CHECK-NOT: py.get_iter
// CHECK: %[[R:.*]] = py.parallel_for @f__prange0(%{{.*}}, %[[N]], %{{.*}}, %[[A]], %[[OUT]], %[[ZERO]]) {captureCount = 2 : i64, reductions = ["add"]}
// CHECK: %[[S:.*]] = py.tuple_get %[[R]][0] : tuple<f64> -> f64
// CHECK-NEXT: cf.br ^bb1(%[[S]] : f64)
// CHECK-NOT: py.iter_next
// CHECK: func.func private @f__prange0(%[[I:.*]]: i64, %[[A2:.*]]: memref<?xf64, strided<[1], offset: ?>>, %[[OUT2:.*]]: memref<?xf64, strided<[1], offset: ?>>) -> tuple<f64> attributes {py.prange_body}
// CHECK: %[[ID:.*]] = py.constant 0.000000e+00 : f64 -> f64
// CHECK: py.getitem %[[A2]][%[[I]]]
// CHECK: py.setitem %[[OUT2]][%[[I]]]
// CHECK: %[[C:.*]] = py.binop "add" %[[ID]], %{{.*}} {inplace}
// CHECK: %[[T:.*]] = py.make_tuple %[[C]] : (f64) -> tuple<f64>
// CHECK: return %[[T]] : tuple<f64>
module attributes {py.entry = @f, py.parallel} {
  func.func @f(%arg0: memref<?xf64, strided<[1], offset: ?>>, %arg1: memref<?xf64, strided<[1], offset: ?>>) -> f64 attributes {py.entry} {
    %0 = py.constant 2.000000e+00 : f64 -> f64
    %1 = py.constant 1 : i64 -> i64
    %2 = py.constant 0 : i64 -> i64
    %3 = py.constant 0.000000e+00 : f64 -> f64
    %4 = py.getattr "shape" %arg0 : memref<?xf64, strided<[1], offset: ?>> -> tuple<i64>
    %5 = py.getitem %4[%2] : (tuple<i64>, i64) -> i64
    %6 = py.range %2, %5, %1 {prange} : (i64, i64, i64) -> !py.range
    %7 = py.get_iter %6 : (!py.range) -> !py.range_iter
    cf.br ^bb1(%arg0, %arg1, %3, %7 : memref<?xf64, strided<[1], offset: ?>>, memref<?xf64, strided<[1], offset: ?>>, f64, !py.range_iter)
  ^bb1(%8: memref<?xf64, strided<[1], offset: ?>>, %9: memref<?xf64, strided<[1], offset: ?>>, %10: f64, %11: !py.range_iter):
    %valid, %value = py.iter_next %11 : (!py.range_iter) -> (i1, i64)
    cf.cond_br %valid, ^bb2(%8, %9, %10, %11, %value : memref<?xf64, strided<[1], offset: ?>>, memref<?xf64, strided<[1], offset: ?>>, f64, !py.range_iter, i64), ^bb3(%10 : f64)
  ^bb2(%12: memref<?xf64, strided<[1], offset: ?>>, %13: memref<?xf64, strided<[1], offset: ?>>, %14: f64, %15: !py.range_iter, %16: i64):
    %17 = py.getitem %12[%16] : (memref<?xf64, strided<[1], offset: ?>>, i64) -> f64
    %18 = py.binop "mul" %17, %0 : (f64, f64) -> f64
    py.setitem %13[%16] = %18 : memref<?xf64, strided<[1], offset: ?>>, i64, f64
    %19 = py.getitem %12[%16] : (memref<?xf64, strided<[1], offset: ?>>, i64) -> f64
    %20 = py.binop "add" %14, %19 {inplace} : (f64, f64) -> f64
    cf.br ^bb1(%12, %13, %20, %15 : memref<?xf64, strided<[1], offset: ?>>, memref<?xf64, strided<[1], offset: ?>>, f64, !py.range_iter)
  ^bb3(%21: f64):
    return %21 : f64
  }
}

