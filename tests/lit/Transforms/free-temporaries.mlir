// RUN: numlir-opt %s --pass-pipeline "builtin.module(numlir-free-temporaries)" | FileCheck %s

// A temporary is freed; the returned array is either a view of an argument, returned as it
// is (Python boxes it as a view of that argument), or a buffer handed out owned: the select
// picks the argument when %flag holds, so the check runs there, and the temporary is freed
// unless it is the result.
module attributes {py.entry = @entry} {
  // CHECK-LABEL: func.func @entry
  // CHECK-SAME: (%[[A:.*]]: memref<?xf64>, %[[FLAG:.*]]: i1)
  // CHECK: %[[T:.*]] = memref.alloc
  // CHECK: %[[R:.*]] = arith.select %[[FLAG]], %[[A]], %[[T]]
  // CHECK: scf.if %[[FLAG]]
  // CHECK: %[[P:.*]] = memref.extract_aligned_pointer_as_index %[[R]]
  // CHECK: %[[Q:.*]] = memref.extract_aligned_pointer_as_index %[[A]]
  // CHECK: %[[SAME:.*]] = arith.cmpi eq, %[[P]], %[[Q]]
  // CHECK: scf.if %[[SAME]]
  // CHECK-NEXT: scf.yield %[[R]]
  // CHECK-NEXT: } else {
  // CHECK-NEXT: bufferization.clone %[[R]]
  // CHECK: memref.dealloc %[[T]]
  func.func @entry(%a: memref<?xf64>, %flag: i1) -> memref<?xf64> {
    %c0 = arith.constant 0 : index
    %n = memref.dim %a, %c0 : memref<?xf64>
    %t = memref.alloc(%n) : memref<?xf64>
    %r = arith.select %flag, %a, %t : memref<?xf64>
    return %r : memref<?xf64>
  }

  // The other functions become private and return the ownership of each returned memref
  // as an extra result: a view of an argument goes back to the caller as it is, not owned.
  // CHECK-LABEL: func.func private @callee
  // CHECK-SAME: -> (memref<?xf64>, i1)
  // CHECK-NOT: clone
  // CHECK: return %arg0, %false
  // CHECK-LABEL: func.func private @caller
  // CHECK: call @callee(%arg0) : (memref<?xf64>) -> (memref<?xf64>, i1)
  func.func @callee(%a: memref<?xf64>) -> memref<?xf64> {
    return %a : memref<?xf64>
  }
  func.func @caller(%a: memref<?xf64>) -> memref<?xf64> {
    %r = func.call @callee(%a) : (memref<?xf64>) -> memref<?xf64>
    return %r : memref<?xf64>
  }
}
