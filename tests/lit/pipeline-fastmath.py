# RUN: numlir-opt %s::total --signature "float64, int64" --emit std --fastmath | FileCheck %s
# RUN: numlir-opt %s::total --signature "float64, int64" --emit llvm-ir | FileCheck %s --check-prefix=IR

# fastmath marks float arithmetic; the LLVM IR is optimized like the JIT's.
# CHECK: arith.addf %{{.*}}, %{{.*}} fastmath<fast> : f64
# IR: define {{.*}} @total_f64_i64(double {{.*}}, i64 {{.*}})


def total(x, n):
    s = 0.0
    for i in range(n):
        s += x
    return s
