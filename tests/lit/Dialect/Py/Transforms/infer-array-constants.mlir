// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-infer-types)" | FileCheck %s
// A global array frozen into the code (py.array_constant) is a C-contiguous array of its
// elements' type and rank, whatever its elements (infer-array-constants-errors.mlir: item
// assignment to it is a typing error).

// CHECK-LABEL: func.func @read_i64(%arg0: i64) -> f64
// CHECK: %[[A:.*]] = py.array_constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf64> -> memref<?x?xf64, strided<[?, 1], offset: ?>>
// CHECK: py.getitem %[[A]][%{{.*}}] : (memref<?x?xf64, strided<[?, 1], offset: ?>>, tuple<i64, i64>) -> f64
// CHECK: %[[S:.*]] = py.array_constant dense<7> : tensor<3xui8> -> memref<?xui8, strided<[1], offset: ?>>
module attributes {py.entry = @read, py.entry_types = [i64]} {
  func.func @read(%i: !py.object) -> !py.object attributes {py.template} {
    %a = py.array_constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf64> -> !py.object
    %ij = py.make_tuple %i, %i : (!py.object, !py.object) -> !py.object
    %x = py.getitem %a[%ij] : (!py.object, !py.object) -> !py.object
    %s = py.array_constant dense<7> : tensor<3xui8> -> !py.object
    return %x : !py.object
  }
}
