// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-infer-types)" | FileCheck %s

// A subscript the frontend marked with numlir's advanced indexing (`py.advanced`, in a
// module built again after an array index was found) becomes a py.call of that
// implementation where the index is an array; an int index stays a py.getitem.
// CHECK-LABEL: func.func @pick_memref
// CHECK: py.getitem %arg0[%{{.*}}] {py.advanced = @getitem} : (memref<?xf64, strided<[1], offset: ?>>, i64) -> f64
// CHECK: py.call @getitem_memref{{.*}}(%arg0, %arg1)
// CHECK-NOT: py.getitem %arg0[%arg1]
// CHECK: py.call @setitem_memref{{.*}}(%arg0, %arg1, %{{.*}})
// CHECK-NOT: py.setitem
module attributes {py.entry = @pick, py.entry_types = [memref<?xf64, strided<[1], offset: ?>>, memref<?xi1, strided<[1], offset: ?>>]} {
  func.func @pick(%a: !py.object, %mask: !py.object) -> !py.object attributes {py.template} {
    %zero = py.constant 0 : i64 -> !py.object
    %first = py.getitem %a[%zero] {py.advanced = @getitem} : (!py.object, !py.object) -> !py.object
    %picked = py.getitem %a[%mask] {py.advanced = @getitem} : (!py.object, !py.object) -> !py.object
    py.setitem %a[%mask] = %first {py.advanced = @setitem} : !py.object, !py.object, !py.object
    return %picked : !py.object
  }
  func.func @getitem(%a: !py.object, %index: !py.object) -> !py.object attributes {py.template} {
    return %a : !py.object
  }
  func.func @setitem(%a: !py.object, %index: !py.object, %value: !py.object) -> !py.object attributes {py.template} {
    %none = py.none : !py.object
    return %none : !py.object
  }
}
