// RUN: numlir-opt %s --pass-pipeline="builtin.module()" | FileCheck %s
// !py.iter round-trips: its kind and the py types of its state. An iterator is its own
// iterator (py.get_iter of one gives the same type), and py.iter_next gives its values.

// CHECK-LABEL: func.func @enumerate_of_zip
// CHECK-SAME: (%[[IT:.*]]: !py.iter<"enumerate", tuple<!py.range_iter, !py.iter<"zip", tuple<!py.range_iter, !py.iter<"tuple", tuple<tuple<f64, f64>, !py.range_iter>>>>>>)
// CHECK: %[[SAME:.*]] = py.get_iter %[[IT]]
// CHECK: py.iter_next %[[SAME]] : {{.*}} -> (i1, tuple<i64, tuple<i64, f64>>)
func.func @enumerate_of_zip(%it: !py.iter<"enumerate", tuple<!py.range_iter, !py.iter<"zip", tuple<!py.range_iter, !py.iter<"tuple", tuple<tuple<f64, f64>, !py.range_iter>>>>>>) -> i1 {
  %same = py.get_iter %it : (!py.iter<"enumerate", tuple<!py.range_iter, !py.iter<"zip", tuple<!py.range_iter, !py.iter<"tuple", tuple<tuple<f64, f64>, !py.range_iter>>>>>>) -> !py.iter<"enumerate", tuple<!py.range_iter, !py.iter<"zip", tuple<!py.range_iter, !py.iter<"tuple", tuple<tuple<f64, f64>, !py.range_iter>>>>>>
  %ok, %v = py.iter_next %same : (!py.iter<"enumerate", tuple<!py.range_iter, !py.iter<"zip", tuple<!py.range_iter, !py.iter<"tuple", tuple<tuple<f64, f64>, !py.range_iter>>>>>>) -> (i1, tuple<i64, tuple<i64, f64>>)
  return %ok : i1
}
