// RUN: numlir-opt %s --pass-pipeline "builtin.module(func.func(numlir-sink-int-checks))" | FileCheck %s

// int(x) of a float as py-to-std checks it on x86 (the conversion's result is INT64_MIN for
// NaN, infinities and values beyond int64), then `if 0 <= k < n`. The test `k >= 0` rules
// out INT64_MIN, so the check moves to a block on the range test's failing edges (both of
// them, so that LLVM can still make one unsigned compare of the two tests), and the
// common path goes straight from the conversion to the test.
// CHECK-LABEL: func.func @binned
// CHECK: %[[K:.*]] = call @cvt
// CHECK-NEXT: cf.br ^[[CONT:bb[0-9]+]]
// CHECK: ^[[RAISEBB:bb[0-9]+]]:
// CHECK-NEXT: return %[[SITE:[0-9]+]]
// CHECK: ^[[CONT]]:
// CHECK-NEXT: %[[GE:.*]] = arith.cmpi sge, %[[K]], %c0_i64
// CHECK-NEXT: cf.cond_br %[[GE]], ^[[LT:bb[0-9]+]], ^[[CHECK:bb[0-9]+]](%c0_i64 : i64)
// CHECK: ^[[CHECK]](%[[V:.*]]: i64):
// CHECK-NEXT: %[[MIN:.*]] = arith.cmpi eq, %[[K]], %c-9223372036854775808_i64
// CHECK-NEXT: llvm.intr.expect %[[MIN]]
// CHECK-NEXT: %[[SITE]] = scf.if
// CHECK: %[[RAISE:.*]] = arith.cmpi ne, %[[SITE]], %c0_i32
// CHECK-NEXT: cf.cond_br %[[RAISE]], ^[[RAISEBB]], ^{{bb[0-9]+}}(%[[V]] : i64)
// CHECK: ^[[LT]]:
// CHECK-NEXT: arith.cmpi slt, %[[K]], %arg1
// CHECK-NEXT: cf.cond_br %{{.*}}, ^{{bb[0-9]+}}, ^[[CHECK]](%c0_i64 : i64)
func.func private @cvt(f64) -> i64
func.func @binned(%x: f64, %n: i64) -> (i32, i64) {
  %c0_i64 = arith.constant 0 : i64
  %c1_i64 = arith.constant 1 : i64
  %min = arith.constant -9223372036854775808 : i64
  %false = arith.constant false
  %c0_i32 = arith.constant 0 : i32
  %c2_i32 = arith.constant 2 : i32
  %k = call @cvt(%x) : (f64) -> i64
  %m = arith.cmpi eq, %k, %min : i64
  %e = llvm.intr.expect %m, %false : i1
  %site = scf.if %e -> (i32) {
    scf.yield %c2_i32 : i32
  } else {
    scf.yield %c0_i32 : i32
  }
  %r = arith.cmpi ne, %site, %c0_i32 : i32
  cf.cond_br %r, ^raise, ^cont
^raise:
  return %site, %c0_i64 : i32, i64
^cont:
  %ge = arith.cmpi sge, %k, %c0_i64 : i64
  cf.cond_br %ge, ^lt, ^skip(%c0_i64 : i64)
^lt:
  %lt = arith.cmpi slt, %k, %n : i64
  cf.cond_br %lt, ^body, ^skip(%c0_i64 : i64)
^body:
  cf.br ^skip(%c1_i64 : i64)
^skip(%v: i64):
  return %c0_i32, %v : i32, i64
}

// Kept where it is: a first test that does not rule out INT64_MIN (k < n), and a block
// between the check and the test that writes memory.
// CHECK-LABEL: func.func @kept
// CHECK: call @cvt
// CHECK-NEXT: arith.cmpi eq
// CHECK: cf.cond_br
// CHECK-LABEL: func.func @kept_before_a_store
// CHECK: call @cvt
// CHECK-NEXT: arith.cmpi eq
func.func @kept(%x: f64, %n: i64) -> (i32, i64) {
  %c0_i64 = arith.constant 0 : i64
  %min = arith.constant -9223372036854775808 : i64
  %false = arith.constant false
  %c0_i32 = arith.constant 0 : i32
  %c2_i32 = arith.constant 2 : i32
  %k = call @cvt(%x) : (f64) -> i64
  %m = arith.cmpi eq, %k, %min : i64
  %e = llvm.intr.expect %m, %false : i1
  %site = scf.if %e -> (i32) {
    scf.yield %c2_i32 : i32
  } else {
    scf.yield %c0_i32 : i32
  }
  %r = arith.cmpi ne, %site, %c0_i32 : i32
  cf.cond_br %r, ^raise, ^cont
^raise:
  return %site, %c0_i64 : i32, i64
^cont:
  %lt = arith.cmpi slt, %k, %n : i64
  cf.cond_br %lt, ^body, ^skip
^body:
  return %c0_i32, %k : i32, i64
^skip:
  return %c0_i32, %c0_i64 : i32, i64
}
func.func @kept_before_a_store(%x: f64, %out: memref<1xi64>) -> (i32, i64) {
  %c0 = arith.constant 0 : index
  %c0_i64 = arith.constant 0 : i64
  %min = arith.constant -9223372036854775808 : i64
  %false = arith.constant false
  %c0_i32 = arith.constant 0 : i32
  %c2_i32 = arith.constant 2 : i32
  %k = call @cvt(%x) : (f64) -> i64
  %m = arith.cmpi eq, %k, %min : i64
  %e = llvm.intr.expect %m, %false : i1
  %site = scf.if %e -> (i32) {
    scf.yield %c2_i32 : i32
  } else {
    scf.yield %c0_i32 : i32
  }
  %r = arith.cmpi ne, %site, %c0_i32 : i32
  cf.cond_br %r, ^raise, ^cont
^raise:
  return %site, %c0_i64 : i32, i64
^cont:
  memref.store %k, %out[%c0] : memref<1xi64>
  %ge = arith.cmpi sge, %k, %c0_i64 : i64
  cf.cond_br %ge, ^body, ^skip
^body:
  return %c0_i32, %k : i32, i64
^skip:
  return %c0_i32, %c0_i64 : i32, i64
}
