# RUN: numlir-opt %s::axpy --signature "float64[::1], float64[::1], float64, float64[::1]" --emit llvm-ir | FileCheck %s
# RUN: numlir-opt %s::axpy --signature "float64[::1], float64[::1], float64, float64[::1]" --emit asm | FileCheck %s --check-prefix=ASM

# The JIT targets the host CPU: the axpy loop over three arrays is vectorized. The arrays
# may overlap, so LLVM versions the loop with a runtime overlap check (vector.memcheck)
# and runs the vector body when they do not.
# CHECK: vector.memcheck:
# CHECK: load <{{[0-9]+}} x double>
# CHECK: fmul <{{[0-9]+}} x double>
# CHECK: fadd <{{[0-9]+}} x double>
# CHECK: store <{{[0-9]+}} x double>
# Packed double instructions (SSE2 mulpd or AVX vmulpd on xmm/ymm/zmm registers).
# ASM: {{v?}}mulpd


def axpy(out, a, x, b):
    for i in range(out.shape[0]):
        out[i] = a[i] * x + b[i]
