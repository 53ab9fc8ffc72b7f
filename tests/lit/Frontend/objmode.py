# RUN: numlir-opt %s::uses_block --signature float64[:] --emit py | FileCheck %s

# A `with objmode(...)` block is lifted into a function the interpreter runs (python/
# numlir/objmode_blocks.py); compiled code calls it with the variables it reads and
# unpacks the tuple of its declared results.
# CHECK-LABEL: func.func @uses_block
# CHECK: %[[R:.*]] = py.objmode_call {{[0-9]+}}(%{{.*}}) [f64, i64] : (!py.object) -> !py.object
# CHECK: py.tuple_get %[[R]][1]
# CHECK: py.tuple_get %[[R]][0]
import numpy as np
from numlir import objmode


def uses_block(a):
    with objmode(m="float64", k="int64"):
        m = float(np.median(a))
        k = len(a)
    return m + k
