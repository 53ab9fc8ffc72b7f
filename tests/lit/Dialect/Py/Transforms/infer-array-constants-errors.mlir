// RUN: not numlir-opt %s --pass-pipeline="builtin.module(py-infer-types)" 2>&1 | FileCheck %s
// Item assignment to a global array frozen into the code is a typing error (numba's
// read-only arrays), also through a view of it made by indexing.

// CHECK: TypingError
// CHECK: cannot assign to an element of a global array
module attributes {py.entry = @write_view, py.entry_types = [i64]} {
  func.func @write_view(%i: !py.object) -> !py.object attributes {py.template} {
    %a = py.array_constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf64> -> !py.object
    %row = py.getitem %a[%i] : (!py.object, !py.object) -> !py.object
    %x = py.constant 5.0 : f64 -> !py.object
    py.setitem %row[%i] = %x : !py.object, !py.object, !py.object
    return %x : !py.object
  }
}
