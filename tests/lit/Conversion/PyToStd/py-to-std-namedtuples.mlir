// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-to-std,canonicalize)" | FileCheck %s

// A namedtuple flattens into its elements as a tuple does; a field read by name is the
// element at its position, and building one moves no data.
// CHECK-LABEL: func.func @flip(%arg0: i64, %arg1: f64) -> (i32, f64, i64, f64)
// CHECK: return %{{.*}}, %arg1, %arg0, %arg1 : i32, f64, i64, f64
module attributes {py.entry = @flip} {
  func.func @flip(%p: !py.namedtuple<"geometry:Point", ["x", "y"], tuple<i64, f64>>)
      -> tuple<!py.namedtuple<"geometry:Point", ["x", "y"], tuple<f64, i64>>, f64> attributes {py.entry} {
    %x = py.getattr "x" %p : !py.namedtuple<"geometry:Point", ["x", "y"], tuple<i64, f64>> -> i64
    %y = py.getattr "y" %p : !py.namedtuple<"geometry:Point", ["x", "y"], tuple<i64, f64>> -> f64
    %q = py.make_tuple %y, %x {class_name = "geometry:Point", fields = ["x", "y"]}
        : (f64, i64) -> !py.namedtuple<"geometry:Point", ["x", "y"], tuple<f64, i64>>
    %r = py.make_tuple %q, %y : (!py.namedtuple<"geometry:Point", ["x", "y"], tuple<f64, i64>>, f64)
        -> tuple<!py.namedtuple<"geometry:Point", ["x", "y"], tuple<f64, i64>>, f64>
    return %r : tuple<!py.namedtuple<"geometry:Point", ["x", "y"], tuple<f64, i64>>, f64>
  }
}
