// RUN: numlir-opt %s --pass-pipeline "builtin.module(numlir-free-temporaries)" | FileCheck %s

// A returned array whose ownership is known only at run time (here: two returns, one of a
// stack array standing in for "no result") is returned as it is when it is the buffer the
// function would free, and the deallocation keeps it; a clone is made only otherwise.
// Before, the function always returned a clone and freed the original.
module attributes {py.entry = @two_returns} {
  // CHECK-LABEL: func.func @two_returns
  // CHECK: %[[T:.*]] = memref.alloc
  // CHECK: %[[R:.*]] = scf.if
  // CHECK: %[[P:.*]] = memref.extract_aligned_pointer_as_index %[[R]]
  // CHECK: %[[Q:.*]] = memref.extract_aligned_pointer_as_index %[[T]]
  // CHECK: %[[SAME:.*]] = arith.cmpi eq, %[[P]], %[[Q]]
  // CHECK: %[[OWNED:.*]] = arith.andi %[[SAME]]
  // CHECK: %[[OUT:.*]] = scf.if %[[OWNED]]
  // CHECK-NEXT: scf.yield %[[R]]
  // CHECK-NEXT: } else {
  // CHECK-NEXT: bufferization.clone %[[R]]
  // CHECK: %[[U:.*]] = memref.extract_aligned_pointer_as_index %[[T]]
  // CHECK: %[[V:.*]] = memref.extract_aligned_pointer_as_index %[[OUT]]
  // CHECK: %[[OTHER:.*]] = arith.cmpi ne, %[[U]], %[[V]]
  // CHECK: %[[FREE:.*]] = arith.andi %[[OTHER]]
  // CHECK: scf.if %[[FREE]]
  // CHECK-NEXT: memref.dealloc %[[T]]
  // CHECK: return %{{.*}}, %[[OUT]]
  func.func @two_returns(%n: index, %flag: i1) -> (i32, memref<?xf64>) {
    %t = memref.alloc(%n) : memref<?xf64>
    cf.cond_br %flag, ^bb1, ^bb2
  ^bb1:
    %c0 = arith.constant 0 : i32
    return %c0, %t : i32, memref<?xf64>
  ^bb2:
    %c1 = arith.constant 1 : i32
    %e = memref.alloca() : memref<0xf64>
    %cast = memref.cast %e : memref<0xf64> to memref<?xf64>
    return %c1, %cast : i32, memref<?xf64>
  }
}
