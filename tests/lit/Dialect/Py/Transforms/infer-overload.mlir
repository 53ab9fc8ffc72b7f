// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-infer-types)" | FileCheck %s

// A call of a function taught by @overload whose implementation the compiler found for these
// argument types (py.overload_resolutions) becomes a py.call of a typed copy of it.
// CHECK-LABEL: func.func @f_i64(%arg0: i64) -> i64
// CHECK-NOT: py.call_overload
// CHECK: py.call @impl_i64(%arg0) : (i64) -> i64
// CHECK-LABEL: func.func @impl_i64(%arg0: i64) -> i64
module attributes {py.entry = @f, py.entry_types = [i64], py.overload_resolutions = [[0 : i64, "i64", @impl]]} {
  func.func @f(%x: !py.object) -> !py.object attributes {py.template} {
    %y = py.call_overload 0(%x) : (!py.object) -> !py.object
    return %y : !py.object
  }
  func.func @impl(%x: !py.object) -> !py.object attributes {py.template} {
    %y = py.binop "mul" %x, %x : (!py.object, !py.object) -> !py.object
    return %y : !py.object
  }
}

