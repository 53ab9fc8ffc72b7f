// numlir-opt --help lists every numlir pass (declared in the Passes.td files) with its
// summary, in pipeline order, then the upstream passes the pipelines name.
// RUN: numlir-opt --help | FileCheck %s

// CHECK-LABEL: numlir passes:
// CHECK-NEXT: --py-infer-types - Infer concrete types for !py.object values
// CHECK-NEXT: --py-parallel-loops - With parallel=True, make prange loops py.parallel_for
// CHECK-NEXT: --py-insert-refcounts - Make the ownership of counted values (lists) explicit
// CHECK-NEXT: --py-to-std - Lower typed py ops to arith/math/cf/func/memref
// CHECK-NEXT: --numlir-fuse-reductions - Compute elementwise expressions inside the reduction loops
// CHECK-NEXT: --numlir-sink-int-checks - Move int(float)'s fit check
// CHECK-NEXT: --numlir-range-for-loops - Make `for x in range(...)` loops
// CHECK-NEXT: --numlir-lower-matmul - Lower linalg matmul/matvec/vecmat/dot on memrefs to BLAS calls
// CHECK-NEXT: --gemm-min-work=<long> - the smallest matmul
// CHECK-NEXT: --gemv-min-work=<long> - the smallest matvec or vecmat
// CHECK-NEXT: --numlir-parallel-array-loops - With parallel=True, split the loops of array code
// CHECK-NEXT: --min-work=<long> - the fewest iterations
// CHECK-NEXT: --numlir-block-arg-reductions - Run argmin/argmax loops in blocks
// CHECK-NEXT: --block-size=<long> - the elements of a block
// CHECK-NEXT: --numlir-free-temporaries - Free the arrays a function allocates
// CHECK-NEXT: --numlir-bool-bytes - Store bool arrays as bytes
// CHECK-NEXT: --numlir-loop-hints - Tell LLVM not to runtime-unroll
// CHECK-NEXT: --numlir-hoist-allocas - Move fixed-size stack slots
// CHECK: Upstream passes registered for pipelines:
// CHECK: canonicalize, cse
// CHECK: convert-scf-to-openmp
