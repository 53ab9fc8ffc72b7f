# RUN: numlir-opt %s::axpy --signature "float64, float64[::1], float64[::1]" --emit typed | FileCheck %s --check-prefix=TYPED
# RUN: numlir-opt %s::axpy --signature "float64, float64[::1], float64[::1]" --emit std | FileCheck %s --check-prefix=STD
# RUN: numlir-opt %s::axpy --signature "float64, float64[::1], float64[::1]" --emit llvm | FileCheck %s --check-prefix=LLVM

# Arrays are strided memrefs; an array expression becomes linalg.generic over a new
# buffer, with broadcasting through zero strides; temporaries are freed.
# TYPED: func.func @axpy_f64_memref
# TYPED: py.binop "mul" %{{.*}}, %{{.*}} : (f64, memref<?xf64, strided<[1], offset: ?>>) -> memref<?xf64, strided<[1], offset: ?>>
# TYPED: py.binop "add"
# STD: memref.alloc
# STD: linalg.generic
# STD: arith.mulf
# STD: linalg.generic
# STD: arith.addf
# LLVM: llvm.call @malloc
# LLVM: llvm.call @free

def axpy(a, x, y):
    return a * x + y
