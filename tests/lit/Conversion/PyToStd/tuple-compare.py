# RUN: numlir-opt %s::less --signature "Tuple(int64, float64), Tuple(int64, float64)" --emit std | FileCheck %s --check-prefix=LESS
# RUN: numlir-opt %s::equal --signature "Tuple(int64, int64), Tuple(int64, int64, int64)" --emit std | FileCheck %s --check-prefix=LEN

# A tuple argument is its elements, one argument each; `<` is decided by the first elements
# that differ: a select per element, from the last back, starting from the lengths' order.
# LESS-LABEL: func.func @less
# LESS-SAME: (%[[A0:.*]]: i64, %[[A1:.*]]: f64, %[[B0:.*]]: i64, %[[B1:.*]]: f64)
# LESS-DAG: arith.cmpf oeq, %[[A1]], %[[B1]]
# LESS-DAG: arith.cmpf olt, %[[A1]], %[[B1]]
# LESS: arith.select
# LESS-DAG: arith.cmpi eq, %[[A0]], %[[B0]]
# LESS-DAG: arith.cmpi slt, %[[A0]], %[[B0]]
# LESS: arith.select
def less(a, b):
    return a < b

# Tuples of different lengths are never equal: a constant, no element compared.
# LEN-LABEL: func.func @equal
# LEN-NOT: arith.cmpi
# LEN: return
def equal(a, b):
    return a == b
