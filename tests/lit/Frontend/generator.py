# RUN: numlir-opt %s::squares --signature int64 --emit py | FileCheck %s
# RUN: numlir-opt %s::squares --signature int64 --emit typed | FileCheck %s --check-prefix=TYPED

# A generator runs to its end into a list: the entry makes it, each `yield` appends to it,
# and the return gives it to the caller (for, list(), sum() iterate it).
# CHECK-LABEL: func.func @squares
# CHECK: %[[L:.*]] = py.make_list {py.yields} : () -> !py.object
# CHECK: %[[V:.*]] = py.binop "mul"
# CHECK: py.call_builtin "ndarray.append"(%[[L]], %[[V]])
# CHECK: return %[[L]] : !py.object
# TYPED-LABEL: func.func @squares_i64(%arg0: i64) -> !py.list<i64>
# TYPED: py.call_builtin "list.append"
def squares(n):
    for i in range(n):
        yield i * i
