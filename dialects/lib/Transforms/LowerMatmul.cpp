// numlir-lower-matmul: loops for linalg's matmul, matvec and vecmat (np.dot and @) in an
// order that vectorizes and keeps data in registers. convert-linalg-to-loops makes the
// textbook i, j, k nest, whose inner loop is a sum along a column of B: strided, and a
// chain of dependent additions LLVM must not reorder. 300x300 took 20 ms that way, and
// numba (which calls BLAS) 0.6 ms.
//
// matmul runs i, k, j: the inner loop walks rows of B and C, which LLVM vectorizes. Rows
// of C come four at a time and k four at a time, so each element of C is loaded and
// stored once per four products, and each element of B feeds four rows. matvec keeps four
// rows' sums in registers along k; vecmat runs k outside, the row of the result inside.
// matmul and vecmat elements still sum their products in order of k, as the textbook nest
// does: the blocking changes which elements are computed together, not their rounding.
// A matvec row, and linalg.dot (np.dot of two vectors), are dot products, summed in any
// order (as np.sum is), so that they vectorize.
// Each update is the named op's own body (mul then add, in whatever element type: floats,
// ints, complex), cloned.
#include "numlir/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/Pass.h"

namespace mlir::py {
#define GEN_PASS_DEF_LOWERMATMUL
#include "numlir/Transforms/Passes.h.inc"
} // namespace mlir::py

using namespace mlir;

namespace {
/// Rows of C (and of a matvec's result) computed together, and steps of k taken at once.
constexpr int64_t kRows = 4, kDepth = 4;

struct Lowering {
  OpBuilder &b;
  Location loc;
  Block &body; // the named op's update: (x, y, acc) -> acc + x * y

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, int64_t v) { return v == 0 ? x : arith::AddIOp::create(b, loc, x, index(v)).getResult(); }
  Value dim(Value array, int64_t axis) { return memref::DimOp::create(b, loc, array, axis); }
  /// `n` rounded down to a multiple of `step`.
  Value roundDown(Value n, int64_t step) {
    return arith::MulIOp::create(b, loc, arith::DivUIOp::create(b, loc, n, index(step)), index(step));
  }
  Value load(Value array, ValueRange at) { return memref::LoadOp::create(b, loc, array, at); }
  /// acc + x * y; with `reassociate`, a float sum LLVM may reorder (and so vectorize), as
  /// np.sum's is.
  Value update(Value x, Value y, Value acc, bool reassociate = false) {
    IRMapping map;
    map.map(body.getArgument(0), x);
    map.map(body.getArgument(1), y);
    map.map(body.getArgument(2), acc);
    for (Operation &op : body.without_terminator()) {
      Operation *copy = b.clone(op, map);
      if (auto sum = llvm::dyn_cast<arith::AddFOp>(copy); sum && reassociate)
        sum.setFastmath(sum.getFastmath() | arith::FastMathFlags::reassoc);
    }
    return map.lookup(body.getTerminator()->getOperand(0));
  }
  /// for i in [from, to) step `step`: `each(i)`, with the insertion point restored after.
  void loop(Value from, Value to, int64_t step, llvm::function_ref<void(Value)> each) {
    auto forOp = scf::ForOp::create(b, loc, from, to, index(step));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(forOp.getBody()->getTerminator());
    each(forOp.getInductionVar());
  }
  /// Dot products along k in [0, depth), in any order (they vectorize): from `inits`,
  /// each adds `terms(k)`'s pairs (x, y) as x * y. Returns the sums.
  SmallVector<Value> dotProducts(Value depth, ValueRange inits,
                                 llvm::function_ref<SmallVector<std::pair<Value, Value>>(Value)> terms) {
    auto forOp = scf::ForOp::create(b, loc, index(0), depth, index(1), inits);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(forOp.getBody());
    SmallVector<Value> next;
    for (auto [pair, sum] : llvm::zip(terms(forOp.getInductionVar()), forOp.getRegionIterArgs()))
      next.push_back(update(pair.first, pair.second, sum, /*reassociate=*/true));
    scf::YieldOp::create(b, loc, next);
    return SmallVector<Value>(forOp.getResults());
  }
  /// Runs `block(start, size)` over [0, n) in blocks of `size` and then one at a time.
  void blocked(Value n, int64_t size, llvm::function_ref<void(Value, int64_t)> block) {
    Value full = roundDown(n, size);
    loop(index(0), full, size, [&](Value i) { block(i, size); });
    loop(full, n, 1, [&](Value i) { block(i, 1); });
  }

  /// C[i, :] += A[i, k] * B[k, :] for `rows` rows from i0 and `depth` steps of k from k0.
  void matmulBlock(Value a, Value bm, Value c, Value i0, int64_t rows, Value k0, int64_t depth, Value m) {
    SmallVector<SmallVector<Value>> aik(rows);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t q = 0; q < depth; ++q)
        aik[r].push_back(load(a, {add(i0, r), add(k0, q)}));
    loop(index(0), m, 1, [&](Value j) {
      SmallVector<Value> bkj;
      for (int64_t q = 0; q < depth; ++q)
        bkj.push_back(load(bm, {add(k0, q), j}));
      for (int64_t r = 0; r < rows; ++r) {
        Value at[] = {add(i0, r), j};
        Value acc = load(c, at);
        for (int64_t q = 0; q < depth; ++q)
          acc = update(aik[r][q], bkj[q], acc);
        memref::StoreOp::create(b, loc, acc, c, at);
      }
    });
  }

  /// Whole blocks of rows and steps of k first; then one nest, one row and one step at a
  /// time, for what they leave: the last steps of k of the whole blocks' rows, and the last
  /// rows entirely. (Two copies of the inner loop, not four: compile time.)
  void matmul(linalg::MatmulOp op) {
    Value a = op.getDpsInputs()[0], bm = op.getDpsInputs()[1], c = op.getDpsInits()[0];
    Value n = dim(a, 0), depth = dim(a, 1), m = dim(bm, 1);
    Value rowsInBlocks = roundDown(n, kRows), depthInBlocks = roundDown(depth, kDepth);
    loop(index(0), rowsInBlocks, kRows, [&](Value i0) {
      loop(index(0), depthInBlocks, kDepth, [&](Value k0) { matmulBlock(a, bm, c, i0, kRows, k0, kDepth, m); });
    });
    loop(index(0), n, 1, [&](Value i) {
      Value inBlocks = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, i, rowsInBlocks);
      Value from = arith::SelectOp::create(b, loc, inBlocks, depthInBlocks, index(0));
      loop(from, depth, 1, [&](Value k) { matmulBlock(a, bm, c, i, 1, k, 1, m); });
    });
  }

  /// y[i] += sum over k of A[i, k] * v[k], `rows` rows at a time, the sums in registers.
  /// Each row's sum is a dot product and, like np.sum and np.dot of two vectors in
  /// NumPy, may be added in another order: LLVM then vectorizes it along k.
  void matvec(linalg::MatvecOp op) {
    Value a = op.getDpsInputs()[0], v = op.getDpsInputs()[1], y = op.getDpsInits()[0];
    Value n = dim(a, 0), depth = dim(a, 1);
    blocked(n, kRows, [&](Value i0, int64_t rows) {
      SmallVector<Value> inits;
      for (int64_t r = 0; r < rows; ++r)
        inits.push_back(load(y, {add(i0, r)}));
      SmallVector<Value> sums = dotProducts(depth, inits, [&](Value k) {
        Value vk = load(v, {k});
        SmallVector<std::pair<Value, Value>> terms;
        for (int64_t r = 0; r < rows; ++r)
          terms.push_back({load(a, {add(i0, r), k}), vk});
        return terms;
      });
      for (int64_t r = 0; r < rows; ++r)
        memref::StoreOp::create(b, loc, sums[r], y, ValueRange{add(i0, r)});
    });
  }

  /// acc += sum over k of x[k] * y[k], a dot product in any order (it vectorizes).
  void dot(linalg::DotOp op) {
    Value x = op.getDpsInputs()[0], y = op.getDpsInputs()[1], acc = op.getDpsInits()[0];
    SmallVector<Value> sum = dotProducts(dim(x, 0), ValueRange{load(acc, {})}, [&](Value k) {
      return SmallVector<std::pair<Value, Value>>{{load(x, {k}), load(y, {k})}};
    });
    memref::StoreOp::create(b, loc, sum[0], acc, ValueRange{});
  }

  /// y[:] += v[k] * B[k, :], `depth` steps of k at a time.
  void vecmat(linalg::VecmatOp op) {
    Value v = op.getDpsInputs()[0], bm = op.getDpsInputs()[1], y = op.getDpsInits()[0];
    Value depth = dim(bm, 0), m = dim(bm, 1);
    blocked(depth, kDepth, [&](Value k0, int64_t steps) {
      SmallVector<Value> vk;
      for (int64_t q = 0; q < steps; ++q)
        vk.push_back(load(v, {add(k0, q)}));
      loop(index(0), m, 1, [&](Value j) {
        Value acc = load(y, {j});
        for (int64_t q = 0; q < steps; ++q)
          acc = update(vk[q], load(bm, {add(k0, q), j}), acc);
        memref::StoreOp::create(b, loc, acc, y, ValueRange{j});
      });
    });
  }
};

struct LowerMatmulPass : py::impl::LowerMatmulBase<LowerMatmulPass> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      // (Only the ops' default maps: a matmul may also be given transposing ones.)
      auto linalgOp = llvm::dyn_cast<linalg::LinalgOp>(op);
      if (llvm::isa<linalg::MatmulOp, linalg::MatvecOp, linalg::VecmatOp, linalg::DotOp>(op) &&
          linalgOp.hasPureBufferSemantics() &&
          !linalgOp.hasUserDefinedMaps())
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      OpBuilder b(op);
      Lowering lowering{b, op->getLoc(), op->getRegion(0).front()};
      if (auto mm = llvm::dyn_cast<linalg::MatmulOp>(op))
        lowering.matmul(mm);
      else if (auto mv = llvm::dyn_cast<linalg::MatvecOp>(op))
        lowering.matvec(mv);
      else if (auto d = llvm::dyn_cast<linalg::DotOp>(op))
        lowering.dot(d);
      else
        lowering.vecmat(llvm::cast<linalg::VecmatOp>(op));
      op->erase();
    }
  }
};
} // namespace

