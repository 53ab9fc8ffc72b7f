# RUN: numlir-opt %s::total --signature "Tuple(int64, float64)" --emit typed | FileCheck %s

# literal_unroll over a tuple of an int and a float: the loop body is copied once per element
# (py-infer-types, LiteralUnroll.cpp), each copy typed for its element; no iterator remains.
# CHECK-LABEL: func.func @total_tuple_i64__f64_(%arg0: tuple<i64, f64>) -> f64
# CHECK-NOT: py.iter_next
# CHECK: py.tuple_get %arg0[0] : tuple<i64, f64> -> i64
# CHECK: py.tuple_get %arg0[1] : tuple<i64, f64> -> f64
# CHECK-NOT: py.iter_next
# CHECK: return
from numlir import literal_unroll


def total(t):
    s = 0.0
    for x in literal_unroll(t):
        s += x
    return s
