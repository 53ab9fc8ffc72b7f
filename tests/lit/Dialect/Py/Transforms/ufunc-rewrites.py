# RUN: numlir-opt %s::add_into --signature "float64[::1], float64[::1], float64[::1]" --emit typed | FileCheck %s --check-prefix=OUT
# RUN: numlir-opt %s::parts --signature "float32[::1]" --emit typed | FileCheck %s --check-prefix=PAIR

# py-infer-types: `np.add(a, b, out)` is `out[:] = np.add(a, b)`, and the call's value is out.
# OUT-LABEL: func.func @add_into
# OUT: %[[SUM:.*]] = py.call_builtin "np.add"(%arg0, %arg1)
# OUT: %[[ALL:.*]] = py.slice
# OUT: py.setitem %arg2[%[[ALL]]] = %[[SUM]]
# OUT: return %arg2
def add_into(a, b, out):
    return np.add(a, b, out)

# np.modf and np.frexp are tuples of two one-result ufuncs.
# PAIR-LABEL: func.func @parts
# PAIR: py.call_builtin "np._modf_fraction"(%arg0) : (memref<?xf32, strided<[1], offset: ?>>) -> memref<?xf32
# PAIR: py.call_builtin "np._modf_whole"(%arg0)
# PAIR: py.make_tuple
# PAIR: py.call_builtin "np._frexp_mantissa"(%arg0)
# PAIR: py.call_builtin "np._frexp_exponent"(%arg0) : (memref<?xf32, strided<[1], offset: ?>>) -> memref<?xi32
def parts(a):
    return np.modf(a), np.frexp(a)

import numpy as np
