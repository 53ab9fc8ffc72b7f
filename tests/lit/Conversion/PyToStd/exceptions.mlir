// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-to-std)" | FileCheck %s
// try/except: the raise paths of the ops between py.exc_begin and py.exc_point store the
// status in the function's slot and branch to the handler (a failed call too), instead of
// returning it; py.caught loads it. An except clause asks the runtime whether the status's
// class is one it names, from the module's table of raise sites (numlir_raise_sites);
// `except Exception` takes every exception numlir raises.

// CHECK: llvm.mlir.global internal constant @numlir_raise_sites("ZeroDivisionError\00integer division or modulo by zero\00
// CHECK-SAME: ValueError\00bad\00\00")
module {
  func.func private @callee(%arg0: i64) -> i64 {
    %c = py.constant 2 : i64 -> i64
    %0 = py.binop "floordiv" %c, %arg0 : (i64, i64) -> i64
    return %0 : i64
  }
  // CHECK-LABEL: func.func @catch
  // CHECK: %[[SLOT:.*]] = memref.alloca() : memref<i32>
  // CHECK: cf.cond_br %{{.*}}, ^[[DIVZERO:bb[0-9]+]], ^
  // CHECK: %[[CALL:.*]]:2 = call @callee
  // CHECK: cf.cond_br %{{.*}}, ^[[FAILED:bb[0-9]+]](%[[CALL]]#0 : i32), ^
  // CHECK: ^[[HANDLER:bb[0-9]+]](%{{.*}}: i64):
  // CHECK: %[[STATUS:.*]] = memref.load %[[SLOT]][] : memref<i32>
  // CHECK: %[[SITES:.*]] = llvm.mlir.addressof @numlir_raise_sites
  // CHECK: call @numlir_exc_matches(%[[SITES]], %[[STATUS]],
  // CHECK: return %[[STATUS]]
  // CHECK: ^[[DIVZERO]]:
  // CHECK: memref.store %{{.*}}, %[[SLOT]][] : memref<i32>
  // CHECK-NEXT: cf.br ^[[HANDLER]](%{{.*}} : i64)
  // CHECK: ^[[FAILED]](%[[S:.*]]: i32):
  // CHECK-NEXT: memref.store %[[S]], %[[SLOT]][] : memref<i32>
  // CHECK-NEXT: cf.br ^[[HANDLER]]
  func.func @catch(%arg0: i64, %arg1: i64) -> i64 attributes {py.entry} {
    %m1 = py.constant -1 : i64 -> i64
    py.exc_begin
    %1 = py.binop "floordiv" %arg0, %arg1 : (i64, i64) -> i64
    py.exc_point ^bb1, ^bb2(%m1 : i64)
  ^bb1:
    py.exc_begin
    %2 = py.call @callee(%1) : (i64) -> i64
    py.exc_point ^bb5, ^bb2(%1 : i64)
  ^bb5:
    cf.br ^bb4(%2 : i64)
  ^bb2(%r: i64):
    %e = py.caught : !py.exception
    %3 = py.exc_match %e ["LookupError", "IndexError", "KeyError"] : (!py.exception) -> i1
    cf.cond_br %3, ^bb4(%r : i64), ^bb3
  ^bb3:
    py.reraise %e : !py.exception
  ^bb4(%6: i64):
    return %6 : i64
  }
  // CHECK-LABEL: func.func @raise_in_try
  // CHECK: memref.store %c3_i32
  // CHECK-NOT: numlir_exc_matches
  // CHECK: call @numlir_exc_str(
  func.func @raise_in_try(%arg0: i64) -> !py.str attributes {py.entry} {
    %e = py.make_exception "ValueError"("bad") : !py.exception
    py.set_caught %e : !py.exception
    cf.br ^bb1
  ^bb1:
    %c = py.caught : !py.exception
    %3 = py.exc_match %c ["Exception"] : (!py.exception) -> i1
    %s = py.call_builtin "str"(%c) : (!py.exception) -> !py.str
    return %s : !py.str
  }
}

