// RUN: not numlir-opt %s --pass-pipeline="builtin.module(py-infer-types)" 2>&1 | FileCheck %s

// An array index in a module built without numlir's advanced indexing: the error that
// tells the compiler to build the module again with it (src/python/compile.rs).
// CHECK: [advanced indexing] this subscript takes an array
module attributes {py.entry = @pick, py.entry_types = [memref<?xf64, strided<[1], offset: ?>>, memref<?xi1, strided<[1], offset: ?>>]} {
  func.func @pick(%a: !py.object, %mask: !py.object) -> !py.object attributes {py.template} {
    %picked = py.getitem %a[%mask] : (!py.object, !py.object) -> !py.object
    return %picked : !py.object
  }
}
