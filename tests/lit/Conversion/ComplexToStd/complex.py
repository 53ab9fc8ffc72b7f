# RUN: numlir-opt %s::axpy --signature "complex128, complex64[::1], complex64[::1]" --emit std | FileCheck %s --check-prefix=ARRAY
# RUN: numlir-opt %s::rotate --signature "complex128, float64" --emit std | FileCheck %s --check-prefix=SCALAR
# RUN: numlir-opt %s::rotate --signature "complex128, float64" --emit llvm | FileCheck %s --check-prefix=LLVM

# Complex arrays are memrefs of complex<f32>/complex<f64>; their arithmetic is complex
# dialect ops in the fused loop (a Python complex scalar keeps a complex64 array complex64).
# ARRAY: linalg.generic
# ARRAY-SAME: outs(%{{.*}} : memref<?xcomplex<f32>>)
# ARRAY: complex.mul %{{.*}}, %{{.*}} : complex<f32>
# ARRAY-NEXT: complex.add %{{.*}}, %{{.*}} : complex<f32>
def axpy(a, x, y):
    return a * x + y

# A Python complex is one complex<f64> value; real operands are converted with
# complex.create; z ** 2 multiplies (as CPython does) instead of calling pow.
# SCALAR-LABEL: func.func @rotate
# SCALAR-SAME: (%[[Z:.*]]: complex<f64>, %[[T:.*]]: f64) -> (i32, complex<f64>)
# SCALAR: complex.create %[[T]], %{{.*}} : complex<f64>
# SCALAR: complex.mul
# SCALAR-NOT: complex.pow
# SCALAR: return
# convert-complex-to-standard and convert-to-llvm leave no complex op behind.
# LLVM-NOT: complex.
# LLVM: llvm.return
def rotate(z, t):
    return z * t + z ** 2

# RUN: numlir-opt %s::iterate --signature "complex64[:]" --emit std | FileCheck %s --check-prefix=ITER
# `for x in a` over a complex array: past the end, the loop's value is a complex zero of the
# element type (a complex<f32> made of two f32 zeros), not an integer constant.
# ITER-LABEL: func.func @iterate
# ITER: scf.if
# ITER: memref.load %{{.*}} : memref<?xcomplex<f32>, strided<[?], offset: ?>>
# ITER: else
# ITER-NEXT: scf.yield %{{.*}} : complex<f32>
# `res = 0.0` only held a literal, so adding complex64 elements makes it a complex64 (NEP 50).
# ITER: complex.add %{{.*}}, %{{.*}} : complex<f32>
def iterate(a):
    res = 0.0
    for x in a:
        res += x
    return res
