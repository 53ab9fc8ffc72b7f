# RUN: numlir-opt %s::strike --signature "boolean[::1], int64" --emit std | FileCheck %s

# A range iterator keeps a lower bound of its values (field 3: start going up, stop + 1
# going down). An index that is the loop variable plus a constant (j - 1 here) skips the
# negative-index wrap when that bound keeps it >= 0: a test of loop-invariant values, so
# LLVM unswitches the loop and the common copy has no wrap.
# CHECK: %[[STATE:.*]] = memref.alloca() : memref<4xi64>
# CHECK: %[[LOWEST:.*]] = memref.load %{{.*}}[%c3] : memref<4xi64>
# CHECK: %[[NONNEG:.*]] = arith.cmpi sge, %[[LOWEST]], %c1_i64 : i64
# CHECK: %[[INDEX:.*]] = arith.select %[[NONNEG]], %[[RAW:.*]], %[[WRAPPED:.*]] : index
# CHECK: memref.store %false, %{{.*}}[%[[INDEX]]]
# CHECK: %[[UP:.*]] = arith.cmpi sgt, %arg1, %c0_i64 : i64
# CHECK: arith.select %{{.*}}, %{{.*}}, %c0_i64 : i64
# CHECK-NEXT: %[[STOP1:.*]] = arith.addi %{{.*}}, %c1_i64 : i64
# CHECK-NEXT: %[[BOUND:.*]] = arith.select %[[UP]], %[[START:.*]], %[[STOP1]] : i64
# CHECK-NEXT: memref.store %[[START]], %[[STATE]][%c0]
# CHECK: memref.store %[[BOUND]], %[[STATE]][%c3]


def strike(flags, i):
    for j in range(i * i, flags.shape[0], i):
        flags[j - 1] = False
