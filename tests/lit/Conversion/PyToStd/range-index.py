# RUN: numlir-opt %s::strike --signature "boolean[::1], int64" --emit std | FileCheck %s

# A range iterator keeps a lower bound of its values (start going up, stop + 1 going
# down). An index that is the loop variable plus a constant (j - 1 here) skips the
# negative-index wrap when that bound keeps it >= 0: a test of loop-invariant values, so
# LLVM unswitches the loop and the common copy has no wrap. The loop is an scf.for
# (numlir-range-for-loops) over k that carries j from i * i, adding the step i, and the
# bound is the value the iterator's slot held.
# CHECK: %[[LEN:.*]] = arith.index_cast %dim : index to i64
# CHECK: %[[UP:.*]] = arith.cmpi sgt, %arg1, %c0_i64 : i64
# CHECK: %[[STOP1:.*]] = arith.addi %[[LEN]], %c1_i64 : i64
# CHECK-NEXT: %[[LOWEST:.*]] = arith.select %[[UP]], %[[START:.*]], %[[STOP1]] : i64
# CHECK-NEXT: scf.for unsigned %[[K:.*]] = %c0_i64 to %{{.*}} step %c1_i64 iter_args(%[[J:.*]] = %[[START]]) -> (i64)
# CHECK-NEXT: arith.addi %[[J]], %arg1 : i64
# CHECK: %[[NONNEG:.*]] = arith.cmpi sge, %[[LOWEST]], %c1_i64 : i64
# CHECK: %[[INDEX:.*]] = arith.select %[[NONNEG]], %[[RAW:.*]], %[[WRAPPED:.*]] : index
# CHECK: memref.store %false, %{{.*}}[%[[INDEX]]]
# CHECK: } {numlir.range_loop}

def strike(flags, i):
    for j in range(i * i, flags.shape[0], i):
        flags[j - 1] = False
