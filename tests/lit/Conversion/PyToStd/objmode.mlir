// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-to-std)" | FileCheck %s
// A `with objmode(...)` block: the arguments go as words in a stack buffer (a scalar as two
// words, an array as its descriptor) with the text of their types; the runtime runs the
// block and leaves the results' words in a second buffer. An array result comes back as its
// shape: compiled code allocates a buffer of that shape, which the runtime fills, so compiled
// code owns it. A Python exception in the block is raised as the runtime recorded it.

// CHECK: llvm.mlir.global internal constant @[[TYPES:.*]]("i64;memref<?xf64, strided<[?], offset: ?>>;")
// CHECK-LABEL: func.func @block
// CHECK-DAG: %[[OUT:.*]] = memref.alloca() : memref<3xi64>
// CHECK-DAG: %[[IN:.*]] = memref.alloca() : memref<7xi64>
// CHECK: memref.store %arg0, %[[IN]]
// CHECK: %[[OK:.*]] = call @numlir_objmode_call(%c3_i64,
// CHECK: %[[FAILED:.*]] = arith.xori %[[OK]], %true
// CHECK: cf.cond_br %[[FAILED]]
// CHECK: %[[W:.*]] = memref.load %[[OUT]][%{{.*}}] : memref<3xi64>
// CHECK: %[[M:.*]] = arith.bitcast %[[W]] : i64 to f64
// CHECK: %[[N:.*]] = memref.load %[[OUT]]
// CHECK: %[[SIZE:.*]] = arith.index_cast %[[N]] : i64 to index
// CHECK: %[[BUF:.*]] = memref.alloc(%[[SIZE]]) : memref<?xf64>
// CHECK: call @numlir_objmode_fill(
// CHECK: return %{{.*}}, %[[M]] : i32, f64
module {
  func.func @block(%n: i64, %a: memref<?xf64, strided<[?], offset: ?>>) -> f64 attributes {py.entry} {
    %r = py.objmode_call 3(%n, %a) [f64, memref<?xf64, strided<[?], offset: ?>>] : (i64, memref<?xf64, strided<[?], offset: ?>>) -> tuple<f64, memref<?xf64, strided<[?], offset: ?>>>
    %m = py.tuple_get %r[0] : tuple<f64, memref<?xf64, strided<[?], offset: ?>>> -> f64
    return %m : f64
  }
}
