// RUN: numlir-opt %s --pass-pipeline "builtin.module(numlir-free-temporaries)" | FileCheck %s

// The entry returns the array a callee made, past the check of the callee's status (whose
// error path returns an empty stack array). The merge loses the callee's ownership flag,
// so deallocation returned a clone, which a dealloc also names (retained): every NumPy
// function implemented in Python copied its result once more. The clone is now a run-time
// choice like any returned one: the callee's buffer as it is where the entry owns it. The
// dealloc keeps that choice once (it named the clone, now the choice): one comparison with
// the buffer it would free, not two (retaining each returned array twice corrupted the heap
// once twelve were returned).
module attributes {py.entry = @entry} {
  // CHECK-LABEL: func.func @entry
  // CHECK: %[[CALL:.*]]:3 = call @make
  // CHECK: %[[R:.*]] = scf.if
  // CHECK: %[[OWNED:.*]] = arith.andi %{{.*}}, %[[CALL]]#2
  // CHECK: %[[OUT:.*]] = scf.if %[[OWNED]] -> (memref<?xf64>) {
  // CHECK-NEXT: scf.yield %[[R]]
  // CHECK-NEXT: } else {
  // CHECK-NEXT: bufferization.clone %[[R]]
  // CHECK: arith.cmpi ne, %{{.*}}, %{{.*}} : index
  // CHECK-NOT: arith.cmpi ne
  // CHECK: memref.dealloc
  // CHECK: return %{{.*}}, %[[OUT]]
  func.func @entry(%n: index) -> (i32, memref<?xf64>) {
    %s, %a = call @make(%n) : (index) -> (i32, memref<?xf64>)
    %c0 = arith.constant 0 : i32
    %bad = arith.cmpi ne, %s, %c0 : i32
    cf.cond_br %bad, ^err, ^ok
  ^err:
    %e = memref.alloca() : memref<0xf64>
    %cast = memref.cast %e : memref<0xf64> to memref<?xf64>
    return %s, %cast : i32, memref<?xf64>
  ^ok:
    return %c0, %a : i32, memref<?xf64>
  }
  func.func private @make(%n: index) -> (i32, memref<?xf64>) {
    %t = memref.alloc(%n) : memref<?xf64>
    %c0 = arith.constant 0 : i32
    return %c0, %t : i32, memref<?xf64>
  }
}
