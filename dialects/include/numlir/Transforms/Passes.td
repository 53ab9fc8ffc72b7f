// numlir's loop-level optimizations, on std dialects and (the last two) on the llvm
// dialect. mlir-tblgen -gen-pass-decls makes their base classes, create*() functions and
// registration (Passes.h).
#ifndef NUMLIR_TRANSFORMS_PASSES_TD
#define NUMLIR_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FuseReductions : Pass<"numlir-fuse-reductions", "::mlir::func::FuncOp"> {
  let summary = "Compute elementwise expressions inside the reduction loops that read them, "
                "and merge read-only scf.for nests over one array and iteration space "
                "(reductions) into one";
  let description = [{
    A reduction of an elementwise expression (`np.sum(a * b)`) computes the expression in
    its own loop instead of reading a temporary array. Then read-only `scf.for` nests over
    one iteration space that share an array (`a.sum(), a.min(), a.max()`) merge, so the
    array is read once, and a nest identical to an earlier one is dropped.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def SinkIntChecks : Pass<"numlir-sink-int-checks", "::mlir::func::FuncOp"> {
  let summary = "Move int(float)'s fit check below a following range test that rules out "
                "its failure value";
  let description = [{
    `int(x)`'s check (on x86: the conversion gave INT64_MIN) moves below a following
    range test of the result that already excludes INT64_MIN (`0 <= k < n`), onto the
    test's failing edges, so the common path has one compare.
  }];
}

def RangeForLoops : Pass<"numlir-range-for-loops", "::mlir::func::FuncOp"> {
  let summary = "Make `for x in range(...)` loops that leave only through their test "
                "scf.for loops with one induction variable";
  let description = [{
    py-to-std keeps a range iterator in a stack slot (current, left, step, lowest) that
    the loop's header advances. A loop with no break, return or raise inside becomes an
    scf.for: over the value itself when the step is 1, else over an index k with the
    value start + k * step. The body's blocks move inside (in an scf.execute_region when
    there are several), and the values the loop carries become iter_args.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::arith::ArithDialect"];
}

def LowerMatmul : Pass<"numlir-lower-matmul", "::mlir::ModuleOp"> {
  let summary = "Lower linalg matmul/matvec/vecmat/dot on memrefs to BLAS calls above a "
                "size and blocked loops that vectorize";
  let description = [{
    np.dot and `@` of float and complex matrices call BLAS (the runtime's numlir_blas_gemm
    and numlir_blas_gemv, on OpenBLAS) where the product has at least `gemm-min-work`
    (matmul) or `gemv-min-work` (matvec, vecmat) multiplications; below that, and where
    the runtime finds no BLAS or an operand without a contiguous axis, loops run whose
    inner loop walks rows (it vectorizes): matmul in i, k, j order four rows and four
    steps of k at a time, matvec with four rows' sums in registers, vecmat with k outside.
    Matmul and vecmat elements still sum over k in order.
  }];
  let options = [
    Option<"gemmMinWork", "gemm-min-work", "int64_t", "/*m * n * k*/ 8 * 8 * 8",
           "the smallest matmul (multiplications) that calls BLAS; 0: never">,
    Option<"gemvMinWork", "gemv-min-work", "int64_t", "/*m * n*/ 128 * 128",
           "the smallest matvec or vecmat (multiplications) that calls BLAS; 0: never">,
  ];
  let dependentDialects = [
    "::mlir::scf::SCFDialect", "::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect",
    "::mlir::func::FuncDialect"
  ];
}

def ParallelArrayLoops : Pass<"numlir-parallel-array-loops", "::mlir::ModuleOp"> {
  let summary = "With parallel=True, split the loops of array code (elementwise, creation, "
                "reductions) into one chunk per OpenMP thread";
  let description = [{
    Only in modules marked `py.parallel`, outside prange bodies. Linalg ops become scf.for
    nests whose outer loop, where its dimension is parallel, runs as an scf.parallel over
    one contiguous chunk per thread (omp_get_max_threads). Read-only scf.for nests whose
    carried values are associative, commutative reductions (sum, prod, min, max, any,
    all) run the same way: each chunk from the identity, the partial results combined in
    chunk order after the loop's start; so do argmin/argmax loops (a position counter,
    the best value and its index: each chunk counts from its start, and the parts are
    taken in order through the loop's own test). Loops py-to-std marks `numlir.parallel` (the outer
    loop of a reduction along an axis) too. Below `min-work` iterations, or with one
    thread, the original loop runs. Each loop made parallel, and each reduction that is
    not, gets a remark.
  }];
  let options = [
    Option<"minWork", "min-work", "int64_t", "32768",
           "the fewest iterations (of the loop and the loops nested first in it) run in parallel">,
  ];
  let dependentDialects = [
    "::mlir::scf::SCFDialect", "::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect",
    "::mlir::func::FuncDialect", "::mlir::LLVM::LLVMDialect"
  ];
}

def BlockArgReductions : Pass<"numlir-block-arg-reductions", "::mlir::ModuleOp"> {
  let summary = "Run argmin/argmax loops in blocks: a vectorized min/max of each block, and "
                "a search of the blocks that hold a better element";
  let description = [{
    An `scf.for` py-to-std marks `numlir.arg_reduction` (its best element and index in
    selects, a chain from one element to the next) becomes a loop over blocks: each
    block's min/max (the mark's kind) is compared with the best so far by the loop's own
    test, and only a better block is searched for the first element equal to its best
    (or its first NaN). The result is the same: the first best element's index.
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", "2048", "the elements of a block">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::arith::ArithDialect"];
}

def FreeTemporaries : Pass<"numlir-free-temporaries", "::mlir::ModuleOp"> {
  let summary = "Free the arrays a function allocates (ownership-based buffer deallocation)";
  let description = [{
    Runs MLIR's ownership-based buffer deallocation on the functions that allocate or
    return arrays, lifted to scf first; functions without arrays are left alone. Functions
    other than the entry return ownership flags with their arrays.
  }];
  let dependentDialects = [
    "::mlir::bufferization::BufferizationDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def BoolBytes : Pass<"numlir-bool-bytes", "::mlir::ModuleOp"> {
  let summary = "Store bool arrays as bytes (memref i1 -> i8)";
  let description = [{
    Bool arrays as byte arrays in memory, as NumPy stores them, so that loops over them
    vectorize (LLVM packs vectors of i1 into bits); runs once arrays are plain loads and
    stores.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def LoopHints : Pass<"numlir-loop-hints", "::mlir::ModuleOp"> {
  let summary = "Tell LLVM not to runtime-unroll innermost straight-line loops (the "
                "vectorizable kind)";
  let description = [{
    Loop metadata on the llvm dialect's loops: innermost straight-line loops over memory
    are not unrolled at run time (LLVM would unroll the scalar copy it keeps beside a vector
    loop, for much compile time and little speed). Before that, a loop whose header is
    reached by several back edges (an `if` ending the body, `continue`) gets one latch they
    all go through, the form LLVM if-converts and vectorizes.
  }];
}

def HoistAllocas : Pass<"numlir-hoist-allocas", "::mlir::ModuleOp"> {
  let summary = "Move fixed-size stack slots used between a stacksave and its "
                "stackrestore to the entry block";
  let description = [{
    LLVM does not inline a function with allocas outside its entry block; memref.copy's
    lowering makes such slots on return paths.
  }];
}

def GeneratorCoroutines : Pass<"numlir-generator-coroutines", "::mlir::ModuleOp"> {
  let summary = "Make generator functions LLVM coroutines that suspend at each yield";
  let description = [{
    py-to-std marks a generator function with calls of `numlir.coro_begin` (where the
    generator object is made) and `numlir.coro_suspend` (its start and each yield). This
    pass turns them into LLVM's coroutine intrinsics (switch lowering: a frame from
    malloc, llvm.coro.suspend at each marker, the final suspend at each return, which
    stores the return's status in the generator object); LLVM's CoroSplit pass splits
    the function. Destroyed at a suspend, the function runs its return path and then
    frees the frame.
  }];
}

#endif // NUMLIR_TRANSFORMS_PASSES_TD
