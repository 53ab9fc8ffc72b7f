# REQUIRES: x86_64
# RUN: numlir-opt %s::f --signature "float64" --emit std | FileCheck %s

# int(x) of a float on x86: the conversion's own result is checked (cvttsd2si gives
# INT64_MIN for NaN, infinities and values beyond int64), one compare on the common path.
# Only when it is INT64_MIN does an scf.if, marked unlikely, tell NaN (site 1), infinity
# (site 2) and too large (site 3) apart from -2^63, which converts exactly (site 0: none).
# CHECK: py.raise_table = {{\[}}["ValueError", "cannot convert float NaN to integer"], ["OverflowError", "cannot convert float infinity to integer"], ["OverflowError", "float too large to convert to int64"]]
# CHECK: func.func private @llvm.x86.sse2.cvttsd2si64(vector<2xf64>) -> i64
# CHECK: %[[K:.*]] = call @llvm.x86.sse2.cvttsd2si64
# CHECK: %[[MIN:.*]] = arith.cmpi eq, %[[K]], %c-9223372036854775808_i64
# CHECK: %[[RARE:.*]] = llvm.intr.expect %[[MIN]], %false
# CHECK: %[[SITE:.*]] = scf.if %[[RARE]] -> (i32)
# CHECK: arith.cmpf uno
# CHECK: arith.cmpf oeq, %arg0, %cst
# CHECK: scf.yield
# CHECK: } else {
# CHECK-NEXT: scf.yield %c0_i32
# CHECK: %[[RAISE:.*]] = arith.cmpi ne, %[[SITE]], %c0_i32
# CHECK: cf.cond_br %[[RAISE]], ^bb1, ^bb2
# CHECK: return %[[SITE]]
# CHECK: return %c0_i32, %[[K]]


def f(x):
    return int(x)
