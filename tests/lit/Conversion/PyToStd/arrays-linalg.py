# RUN: numlir-opt %s::axpy --signature "float64, float64[::1], float64[::1]" --emit typed | FileCheck %s --check-prefix=TYPED
# RUN: numlir-opt %s::axpy --signature "float64, float64[::1], float64[::1]" --emit std | FileCheck %s --check-prefix=FUSED
# RUN: numlir-opt %s::norm_above --signature "float32[:, :], float32[:, :]" --emit std | FileCheck %s --check-prefix=FUSED2
# RUN: numlir-opt %s::accumulate --signature "float64[::1], float64[::1]" --emit typed | FileCheck %s --check-prefix=INPLACE
# RUN: numlir-opt %s::product_read_twice --signature "float64[::1], float64[::1]" --emit llvm | FileCheck %s --check-prefix=FREED
# RUN: numlir-opt %s::store_expression --signature "float64[:, :], float64[:, :], float64[:]" --emit std | FileCheck %s --check-prefix=STORE
# RUN: numlir-opt %s::accumulate_product --signature "float64[::1], float64[::1], float64[::1]" --emit std | FileCheck %s --check-prefix=ACCUMULATE
# RUN: numlir-opt %s::sum_of_products --signature "float64[::1], float64[::1]" --emit llvm | FileCheck %s --check-prefix=NOTEMP

# Arrays are strided memrefs; an array expression becomes linalg.generic over a new
# buffer, with broadcasting through zero strides.
# TYPED: func.func @axpy_f64_memref
# TYPED: py.binop "mul" %{{.*}}, %{{.*}} : (f64, memref<?xf64, strided<[1], offset: ?>>) -> memref<?xf64, strided<[1], offset: ?>>
# TYPED: py.binop "add"

# `a * x + y` is one loop: one generic computes both operations, and there is no
# temporary array (one allocation: the result).
# FUSED: memref.alloc(
# FUSED-NOT: memref.alloc(
# FUSED: linalg.generic
# FUSED-SAME: ins(%{{.*}}, %{{.*}} : memref<?xf64, strided<[?], offset: ?>>, memref<?xf64, strided<[?], offset: ?>>)
# FUSED: arith.mulf
# FUSED-NEXT: arith.addf
# FUSED-NEXT: linalg.yield
# FUSED-NOT: linalg.generic
def axpy(a, x, y):
    return a * x + y

# A ufunc and a comparison fuse too; each leaf array is read once even when used twice.
# FUSED2: linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]}
# FUSED2-SAME: outs(%{{.*}} : memref<?x?xi1>)
# FUSED2: arith.mulf
# FUSED2: arith.mulf
# FUSED2: arith.addf
# FUSED2: math.sqrt
# FUSED2: arith.cmpf
# FUSED2-NOT: linalg.generic
def norm_above(a, b):
    return np.sqrt(a * a + b * b) > 1.0

# `a += b` is marked in place and gives `a` itself back (a loop writes into a's buffer).
# INPLACE: %[[R:.*]] = py.binop "add" %arg0, %arg1 {inplace} : (memref<?xf64, strided<[1], offset: ?>>, memref<?xf64, strided<[1], offset: ?>>) -> memref<?xf64, strided<[1], offset: ?>>
def accumulate(a, b):
    a += b
    return a

# A temporary that is read other than by a reduction's loops (here also by t[0]) is
# allocated and freed inside the compiled code.
# FREED: llvm.call @malloc
# FREED: llvm.call @free
def product_read_twice(x, y):
    t = x * y
    return t.sum() + t[0]

# A reduction of an expression computes the expression in its loop (numlir-fuse-reductions):
# no temporary at all.
# NOTEMP-NOT: llvm.call @malloc
# NOTEMP: llvm.fmul
# NOTEMP-NOT: llvm.call @malloc
def sum_of_products(x, y):
    return np.sum(x * y)


# `t[...] = expr` computes expr in the loop that writes t's view: no temporary. Each array
# it reads is checked against t at run time (scf.if, no new blocks): the same buffer as
# another view is read from a copy; the very elements written are read as they are (the
# check of t's view against itself folds away).
# STORE: %[[VIEW:.*]] = memref.subview %arg0
# STORE: scf.if %{{.*}} -> (memref<?x?xf64
# STORE: } else {
# STORE-NEXT: memref.alloc(
# STORE-NEXT: linalg.generic
# STORE: scf.if %{{.*}} -> (memref<?xf64
# STORE-NOT: scf.if
# STORE: cf.cond_br
# STORE-NOT: memref.alloc(
# STORE: linalg.generic
# STORE-SAME: outs(%[[VIEW]] :
# STORE: arith.mulf
# STORE: arith.addf
# STORE-NOT: linalg.generic
def store_expression(t, a, v):
    t[1:] = a[1:] * v + t[1:]

# `a += x * y` is one loop over a, reading x and y (each checked against a).
# ACCUMULATE: scf.if
# ACCUMULATE: scf.if
# ACCUMULATE: cf.cond_br
# ACCUMULATE-NOT: memref.alloc(
# ACCUMULATE: linalg.generic
# ACCUMULATE-SAME: outs(%arg0 :
# ACCUMULATE: arith.mulf
# ACCUMULATE: arith.addf
# ACCUMULATE-NOT: linalg.generic
def accumulate_product(a, x, y):
    a += x * y


import numpy as np
