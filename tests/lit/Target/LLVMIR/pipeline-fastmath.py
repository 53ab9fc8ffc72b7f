# RUN: numlir-opt %s::total --signature "float64, int64" --emit std --fastmath | FileCheck %s
# RUN: numlir-opt %s::total --signature "float64, int64" --emit llvm-ir | FileCheck %s --check-prefix=IR
# RUN: numlir-opt %s::total --signature "float64, int64" --emit std --fastmath=nnan,contract | FileCheck %s --check-prefix=FLAGS
# RUN: numlir-opt %s::total --signature "float64, int64" --emit llvm-ir --fastmath=reassoc | FileCheck %s --check-prefix=REASSOC

# fastmath marks float arithmetic; the LLVM IR is optimized like the JIT's.
# CHECK: arith.addf %{{.*}}, %{{.*}} fastmath<fast> : f64
# A set of flags (numba's fastmath={"nnan", "contract"}) sets exactly those flags.
# FLAGS: arith.addf %{{.*}}, %{{.*}} fastmath<nnan,contract> : f64
# reassoc lets LLVM vectorize the sum: a vector fadd reduction.
# REASSOC: fadd reassoc <{{[0-9]+}} x double>
# The JIT's module: the packed-call wrapper the dispatcher calls, with the function inlined
# into it (an internal function, so no second copy of it is compiled).
# IR: define void @_mlir_total_f64_i64(ptr
# IR-NOT: define


def total(x, n):
    s = 0.0
    for i in range(n):
        s += x
    return s
