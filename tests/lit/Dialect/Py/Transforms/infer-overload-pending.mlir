// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-infer-types)" | FileCheck %s

// Without one, the pass records what it needs (the overload and the argument types) for the
// compiler, which asks the typing function and builds the module again; the half-typed
// functions of this trial go.
// CHECK: module attributes {{{.*}}py.overloads_pending = ["0|i64;f64"]{{.*}}} {
// CHECK-NEXT: }
module attributes {py.entry = @g, py.entry_types = [i64, f64]} {
  func.func @g(%x: !py.object, %k: !py.object) -> !py.object attributes {py.template} {
    %y = py.call_overload 0(%x, %k) : (!py.object, !py.object) -> !py.object
    return %y : !py.object
  }
}
