# RUN: numlir-opt %s::maximum --signature "float64[::1, :]" --emit std | FileCheck %s --check-prefix=FORTRAN
# RUN: numlir-opt %s::maximum --signature "float64[:, :]" --emit std | FileCheck %s --check-prefix=STRIDED
# RUN: numlir-opt %s::maximum --signature "float64[:, ::1]" --emit std | FileCheck %s --check-prefix=CONTIGUOUS
# RUN: numlir-opt %s::position --signature "int32[:, ::1]" --emit std | FileCheck %s --check-prefix=ARGMAX

# A whole Fortran-ordered array reduces in memory order: the outer loop runs over the
# last axis, the inner loop over the first, whose elements are contiguous (maximumf then
# vectorizes in LLVM).
# FORTRAN: scf.for %[[J:.*]] = %{{.*}} to %{{.*}}
# FORTRAN:   scf.for %[[I:.*]] = %{{.*}} to %{{.*}}
# FORTRAN:     memref.load %{{.*}}[%[[I]], %[[J]]] : memref<?x?xf64, strided<[1, ?], offset: ?>>
# FORTRAN:     arith.maximumf

# Where the inner loop's elements are not contiguous, the loop stays scalar: maxnumf and
# a separate NaN flag (a chain of one instruction per element, not maximumf's several);
# the result is NaN where the flag is set.
# STRIDED: %[[R:.*]]:2 = scf.for
# STRIDED:   arith.cmpf uno
# STRIDED:   arith.maxnumf
# STRIDED:   arith.ori
# STRIDED: %[[NAN:.*]] = arith.cmpi ne, %[[R]]#1, %{{.*}} : i64
# STRIDED: arith.select %[[NAN]], %{{.*}}, %[[R]]#0 : f64
# CONTIGUOUS: arith.maximumf
# CONTIGUOUS-NOT: arith.maxnumf
def maximum(a):
    return a.max()

# argmax keeps the best element and its index in selects; its inner loop is marked with
# the kind of min/max numlir-block-arg-reductions runs its blocks by.
# ARGMAX: scf.for
# ARGMAX:   scf.for {{.*}} -> (i32, i64, i64)
# ARGMAX:     arith.cmpi sgt
# ARGMAX:     arith.select
# ARGMAX:   } {numlir.arg_reduction = "maxs"}
def position(a):
    return a.argmax()
