# REQUIRES: x86_64
# RUN: numlir-opt %s::stencil --signature "float64[:, ::1], float64[:, ::1]" --emit llvm-ir | FileCheck %s
# RUN: numlir-opt %s::stencil --signature "float64[:, ::1], float64[:, ::1]" --emit llvm-ir | FileCheck %s --check-prefix=PLAIN
# RUN: numlir-opt %s::stencil --signature "float64[:, ::1], float64[:, ::1]" --emit asm | FileCheck %s --check-prefix=ASM
# RUN: numlir-opt %s::scale --signature "int32[::1], int32[::1]" --emit llvm-ir | FileCheck %s --check-prefix=INT
# RUN: numlir-opt %s::accumulate --signature "float64[::1], float64[::1]" --emit llvm-ir | FileCheck %s --check-prefix=INPLACE
# RUN: numlir-opt %s::exponentials --signature "float64[::1], float64[::1]" --emit llvm-ir | FileCheck %s --check-prefix=CALLS
# RUN: numlir-opt %s::prefix --signature "float64[::1], float64[::1]" --emit llvm-ir | FileCheck %s --check-prefix=CARRIED
# RUN: numlir-opt %s::time_steps --signature "float64[:, ::1], float64[:, ::1], int64" --emit llvm-ir | FileCheck %s --check-prefix=TIME
# RUN: numlir-opt %s::strided --signature "float64[:], float64[:]" --emit llvm-ir | FileCheck %s --check-prefix=STRIDED

# numlir-stream-stores: the stencil's inner loop writes `out` without reading it. When
# the nest stores at least half the last-level cache (a run-time test), a copy of the loop
# runs in a function of its own: scalar iterations up to a 64-byte boundary of `out`, then
# a loop whose store address is the aligned start plus its iteration count (assumed
# aligned), one vector per iteration. numlir-mark-stream-stores makes the vector stores LLVM
# proved aligned non-temporal; the function fences them (sfence) before it returns.
# CHECK-LABEL: define void @_mlir_stencil
# CHECK: fcmp oge double
# CHECK: call void @_mlir_stencil{{.*}}.stream(
# CHECK: call void @llvm.x86.sse.sfence()
# CHECK-NEXT: ret void
# CHECK: define internal void @_mlir_stencil{{.*}}.stream({{.*}}) [[ATTRS:#[0-9]+]]
# CHECK: call void @llvm.assume(i1 true) [ "align"(ptr %aligned.start, i64 64) ]
# Its loads are prefetched 2 KiB ahead (rows i-1 and i+1, and row i at j-1 and at j+1).
# CHECK-COUNT-4: call void @llvm.prefetch.p0(ptr %{{.*}}, i32 0, i32 3, i32 1)
# CHECK: store <{{[0-9]+}} x double> %{{.*}}, ptr %{{.*}}, align {{16|32|64}}, {{.*}}!nontemporal
# CHECK: attributes [[ATTRS]] = {{{.*}}noinline
# The vector stores of the loop that runs otherwise stay plain.
# PLAIN: define void @_mlir_stencil
# PLAIN-NOT: !nontemporal
# PLAIN: define internal void @_mlir_stencil{{.*}}.stream(
# ASM: {{v?}}movntpd
def stencil(u, out):
    n, m = u.shape
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            out[i, j] = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1])


# The bytes a nest stores count the loops that move the stored row (i), not those that
# store the same rows again (time steps, k): one factor beyond the row's bytes.
# TIME: fmul double %{{.*}}, 8.000000e+00
# TIME-NEXT: uitofp
# TIME-NEXT: fadd
# TIME-NEXT: fmul
# TIME-NEXT: fcmp oge
def time_steps(u, out, t):
    n, m = u.shape
    for k in range(t):
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                out[i, j] = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1])


# Ints are streamed too (a 4-byte element: up to 15 iterations to align).
# INT: define internal void @{{.*}}.stream(
# INT: store <{{[0-9]+}} x i32> {{.*}}!nontemporal
def scale(a, out):
    for i in range(a.shape[0]):
        out[i] = a[i] * 3 + 1


# A loop that reads what it writes has its lines in the cache already: plain stores.
# INPLACE-NOT: .stream(
# INPLACE-NOT: !nontemporal
# INPLACE-NOT: sfence
def accumulate(y, x):
    for i in range(y.shape[0]):
        y[i] += 2.0 * x[i]


# A loop that calls libm does not vectorize, so it is left alone.
# CALLS-NOT: .stream(
# CALLS-NOT: sfence
def exponentials(a, out):
    for i in range(a.shape[0]):
        out[i] = math.exp(a[i])


# Nor is one that carries a value other than induction variables from one iteration to the
# next (it does not vectorize).
# CARRIED-NOT: .stream(
# CARRIED-NOT: sfence
def prefix(a, out):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
        out[i] = s


# Nor is a store whose stride is not known to be one element.
# STRIDED-NOT: .stream(
# STRIDED-NOT: sfence
def strided(a, out):
    for i in range(a.shape[0]):
        out[i] = a[i] + 1.0


import math
