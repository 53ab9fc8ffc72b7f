// RUN: numlir-opt %s --pass-pipeline "builtin.module(numlir-cuda-to-gpu)" | FileCheck %s

// A kernel after py-to-std: the entry (its status first) calls the simulator's
// numlir_cuda_* functions. The pass moves the functions into gpu.module @kernels, names the
// kernel after py.cuda_name, makes the entry internal, and replaces each call.

// CHECK: module attributes {gpu.container_module, numlir.cuda_kernel_name = "k"
// CHECK: gpu.module @kernels {
// CHECK: llvm.func @vprintf(!llvm.ptr, !llvm.ptr) -> i32
// The shared memory: the static arrays' bytes, and the launch's dynamic bytes.
// CHECK: llvm.mlir.global external @__numlir_dynamic_shared() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<0 x i8>
// CHECK: llvm.mlir.global internal @__numlir_shared() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<64 x i8>
// CHECK: llvm.func @__nv_log1p(f64) -> f64
// The runtime's gcd gets a body: Euclid's loop on the magnitudes.
// CHECK: func.func private @numlir_gcd(%{{.*}}: i64, %{{.*}}: i64) -> i64
// CHECK: ^bb1(%[[X:.*]]: i64, %[[Y:.*]]: i64):
// CHECK: arith.remui %[[X]], %[[Y]] : i64
// CHECK-LABEL: func.func private @k_entry
// CHECK-SAME: llvm.linkage = #llvm.linkage<internal>
// threadIdx.x, blockDim.y, gridDim.z:
// CHECK: %[[T:.*]] = gpu.thread_id x
// CHECK: arith.index_cast %[[T]] : index to i64
// CHECK: gpu.block_dim y
// CHECK: gpu.grid_dim z
// The dynamic shared memory's bytes come from PTX's %dynamic_smem_size:
// CHECK: llvm.inline_asm has_side_effects "mov.u32 $0, %dynamic_smem_size;", "=r"
// syncthreads(), then syncthreads_count(p):
// CHECK: gpu.barrier
// CHECK: llvm.inline_asm has_side_effects "{ .reg .pred p; setp.ne.u32 p, $1, 0; bar.red.popc.u32 $0, 0, p; }", "=r,r"
// shfl_down_sync: two 32-bit shuffles of the 64 bits; of a 32-bit value (zero-extended),
// one, zero-extended again.
// CHECK-COUNT-2: shfl.sync.down.b32 $0, $1, $2, $3, $4;
// CHECK: %[[ONE:.*]] = llvm.inline_asm has_side_effects "shfl.sync.down.b32 $0, $1, $2, $3, $4;"
// CHECK-NEXT: arith.extui %[[ONE]] : i32 to i64
// ballot_sync:
// CHECK: vote.sync.ballot.b32
// The static shared array at offset 32, and the dynamic one:
// CHECK: %[[S:.*]] = llvm.mlir.addressof @__numlir_shared : !llvm.ptr<3>
// CHECK: %[[G:.*]] = llvm.getelementptr %[[S]][32] : (!llvm.ptr<3>) -> !llvm.ptr<3>, i8
// CHECK: llvm.addrspacecast %[[G]] : !llvm.ptr<3> to !llvm.ptr
// CHECK: llvm.mlir.addressof @__numlir_dynamic_shared : !llvm.ptr<3>
// libm's functions are libdevice's, the C library's complex ones complex dialect ops:
// CHECK: llvm.call @__nv_log1p(%{{.*}}) : (f64) -> f64
// CHECK: %[[Z:.*]] = complex.create %{{.*}}, %{{.*}} : complex<f64>
// CHECK: %[[E:.*]] = complex.exp %[[Z]] : complex<f64>
// CHECK: complex.re %[[E]] : complex<f64>
// CHECK: complex.im %[[E]] : complex<f64>
// print(): CUDA's vprintf of the format and the arguments (the last two operands).
// CHECK: %[[F:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr
// CHECK: %[[A:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr
// CHECK: llvm.call @vprintf(%[[F]], %[[A]]) : (!llvm.ptr, !llvm.ptr) -> i32
// The runtime's gcd is called as it was, and defined in the module (above).
// CHECK: call @numlir_gcd(%{{.*}}, %{{.*}}) : (i64, i64) -> i64
// A raise's detail is dropped: a device raises nothing.
// CHECK-NOT: numlir_raise_detail
// CHECK: return
// The kernel calls the entry and drops its status.
// CHECK: gpu.func @k(%{{.*}}: i64) kernel {
// CHECK-NEXT: func.call @k_entry(%{{.*}}) : (i64) -> i32
// CHECK-NEXT: gpu.return
// The declarations are gone:
// CHECK-NOT: func.func private @numlir_cuda
// CHECK-NOT: func.func private @cexp

module attributes {py.entry = @k_entry, py.cuda_name = "k", py.cuda_shared_bytes = 64 : i64} {
  func.func private @numlir_cuda_index(i32) -> i64
  func.func private @numlir_cuda_barrier(i32, i32, i32) -> i32
  func.func private @numlir_cuda_warp(i32, i32, i32, i64, i32, i32) -> i64
  func.func private @numlir_cuda_shared(i64) -> !llvm.ptr
  func.func private @numlir_raise_detail(i64, i64)
  func.func private @log1p(f64) -> f64
  func.func private @cexp(f64, f64) -> (f64, f64)
  func.func private @numlir_cuda_print(i64, i64, i64, i64)
  func.func private @numlir_gcd(i64, i64) -> i64
  func.func @k_entry(%n: i64) -> i32 {
    %c0 = arith.constant 0 : i32
    %c1 = arith.constant 1 : i32
    %c2 = arith.constant 2 : i32
    %c4 = arith.constant 4 : i32
    %c7 = arith.constant 7 : i32
    %c11 = arith.constant 11 : i32
    %c12 = arith.constant 12 : i32
    %cm1 = arith.constant -1 : i32
    %c32 = arith.constant 32 : i32
    %o32 = arith.constant 32 : i64
    %om1 = arith.constant -1 : i64
    %tx = func.call @numlir_cuda_index(%c0) : (i32) -> i64
    %by = func.call @numlir_cuda_index(%c7) : (i32) -> i64
    %gz = func.call @numlir_cuda_index(%c11) : (i32) -> i64
    %dyn = func.call @numlir_cuda_index(%c12) : (i32) -> i64
    %b0 = func.call @numlir_cuda_barrier(%c1, %c0, %c0) : (i32, i32, i32) -> i32
    %b1 = func.call @numlir_cuda_barrier(%c1, %c1, %c1) : (i32, i32, i32) -> i32
    %s = func.call @numlir_cuda_warp(%c2, %c2, %cm1, %n, %c1, %c32) : (i32, i32, i32, i64, i32, i32) -> i64
    %n32 = arith.trunci %n : i64 to i32
    %w = arith.extui %n32 : i32 to i64
    %s32 = func.call @numlir_cuda_warp(%c2, %c2, %cm1, %w, %c1, %c32) : (i32, i32, i32, i64, i32, i32) -> i64
    %v = func.call @numlir_cuda_warp(%c2, %c4, %cm1, %n, %c0, %c32) : (i32, i32, i32, i64, i32, i32) -> i64
    %p = func.call @numlir_cuda_shared(%o32) : (i64) -> !llvm.ptr
    %q = func.call @numlir_cuda_shared(%om1) : (i64) -> !llvm.ptr
    %x = arith.constant 0.5 : f64
    %l = func.call @log1p(%x) : (f64) -> f64
    %e:2 = func.call @cexp(%x, %l) : (f64, f64) -> (f64, f64)
    func.call @numlir_cuda_print(%n, %n, %tx, %by) : (i64, i64, i64, i64) -> ()
    %g = func.call @numlir_gcd(%n, %by) : (i64, i64) -> i64
    func.call @numlir_raise_detail(%tx, %by) : (i64, i64) -> ()
    return %c0 : i32
  }
}
