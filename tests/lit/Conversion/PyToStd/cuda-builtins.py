# RUN: numlir-opt %s::kernel --signature "float32[:], int64[:]" --target cuda --emit typed | FileCheck %s --check-prefix=TYPED
# RUN: numlir-opt %s::kernel --signature "float32[:], int64[:]" --target cuda --emit std | FileCheck %s --check-prefix=STD
# RUN: numlir-opt %s::kernel --signature "float32[:], int64[:]" --target cuda --emit ptx | FileCheck %s --check-prefix=PTX
import numpy as np
from numlir import cuda

# The kernel builtins are py.call_builtin "cuda.*": indices are ints, a shared array is a
# C-contiguous array of its dtype, an atomic gives the old element.
# TYPED-LABEL: func.func @kernel
# TYPED: py.call_builtin "cuda.grid"(%{{.*}}) : (i64) -> i64
# TYPED: py.call_builtin "cuda.shared.array"(%{{.*}}) {dtype = "float32"} : (i64) -> memref<?xf32, strided<[1], offset: ?>>
# TYPED: py.call_builtin "cuda.threadIdx.x"() : () -> i64
# TYPED: py.call_builtin "cuda.syncthreads"() : () -> none
# TYPED: py.call_builtin "cuda.shfl_xor_sync"(%{{.*}}, %{{.*}}, %{{.*}}) : (i64, f32, i64) -> f32
# TYPED: py.call_builtin "cuda.atomic.add"(%{{.*}}, %{{.*}}, %{{.*}}) : (memref<?xi64, strided<[?], offset: ?>>, i64, i64) -> i64

# Lowered, each is a call of the simulator's runtime (numlir-cuda-to-gpu replaces them for
# a GPU): the barrier and the shuffle name their raise site (the misuse the simulator
# reports, with the line), the shared array is a view at its offset, the atomic an atomic_rmw.
# STD: py.raise_table = [{{.*}}["numlir.cuda.driver:CudaSimulatorError", "the threads of a block cannot meet at cuda.syncthreads() at {{.*}}cuda-builtins.py:44
# STD-LABEL: func.func @kernel
# STD: call @numlir_cuda_index(%{{.*}}) : (i32) -> i64
# STD: %[[P:.*]] = call @numlir_cuda_shared(%c0_i64) : (i64) -> !llvm.ptr
# STD: builtin.unrealized_conversion_cast %{{.*}} : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> to memref<?xf32, strided<[1], offset: ?>>
# STD: call @numlir_cuda_barrier(%{{.*}}, %c0_i32, %c0_i32) : (i32, i32, i32) -> i32
# STD: call @numlir_cuda_warp(%{{.*}}, %c3_i32, %{{.*}}, %{{.*}}, %{{.*}}, %c32_i32) : (i32, i32, i32, i64, i32, i32) -> i64
# STD: memref.atomic_rmw addi %{{.*}}, %{{.*}}[%{{.*}}] : (i64, memref<?xi64, strided<[?], offset: ?>>) -> i64

# The PTX has the entry point, the shared array, the barrier, the shuffle (one: a float32 is
# 32 bits) and the atomic.
# PTX: .visible .entry kernel(
# PTX: .shared .align 16 .b8 __numlir_shared[512];
# PTX: bar.sync 0;
# PTX: shfl.sync.bfly.b32
# PTX-NOT: shfl.sync
# PTX: atom.{{.*}}add.u64


def kernel(x, counts):
    i = cuda.grid(1)
    tile = cuda.shared.array(128, dtype=np.float32)
    t = cuda.threadIdx.x
    tile[t] = x[i]
    cuda.syncthreads()
    v = cuda.shfl_xor_sync(0xffffffff, tile[t], 1)
    if v > 0:
        cuda.atomic.add(counts, 0, 1)
