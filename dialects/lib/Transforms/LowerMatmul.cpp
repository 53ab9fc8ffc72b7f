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
//
// Large products of floats and complex numbers call BLAS instead (OpenBLAS's gemm and
// gemv, through the runtime's numlir_blas_gemm/numlir_blas_gemv in src/runtime/linalg.rs):
// above gemm-min-work multiplications its packed, cache-blocked kernels are twice as fast
// as these loops; below, the loops win (no call, no packing). The runtime says whether it
// ran the product: it does not where no OpenBLAS was loaded or an operand has no
// contiguous axis, and the loops run then.
//
// An expression of gemm's shape, `alpha * (A @ B) + beta * C` (and its variants: without
// either scale, with C subtracted, or without C), is one gemm call: py-to-std makes the
// product into a zero-filled temporary P and then one elementwise op O = alpha * P + beta * C
// (`GemmShape`). Where P is not broadcast into O and the product is large enough, O gets C's
// values and gemm adds alpha * A @ B to beta * O: no product temporary, no second pass over
// the result. Elsewhere (small, broadcast, or no BLAS) the product and the sum run as
// py-to-std made them.
#include "numlir/Transforms/Passes.h"
#include "numlir/Conversion/PyToStd/LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/Pass.h"

namespace mlir::py {
#define GEN_PASS_DEF_LOWERMATMUL
#include "numlir/Transforms/Passes.h.inc"
} // namespace mlir::py

using namespace mlir;
using mlir::py::blasKind;
using mlir::py::bufferRoot;
using mlir::py::copyElements;
using mlir::py::sameView;
using mlir::py::separateBuffers;

namespace {
/// Rows of C (and of a matvec's result) computed together, and steps of k taken at once.
constexpr int64_t kRows = 4, kDepth = 4;

/// The linalg.fill of zeros into `output` right before `op`, or null.
linalg::FillOp zeroFillOf(Operation *op, Value output) {
  auto fill = llvm::dyn_cast_or_null<linalg::FillOp>(op->getPrevNode());
  if (!fill || fill.getDpsInits()[0] != output)
    return {};
  Operation *value = fill.getInputs()[0].getDefiningOp();
  if (auto c = llvm::dyn_cast_or_null<arith::ConstantOp>(value))
    if (auto f = llvm::dyn_cast<FloatAttr>(c.getValue()); f && f.getValue().isZero())
      return fill;
  if (auto c = llvm::dyn_cast_or_null<complex::ConstantOp>(value))
    if (llvm::all_of(c.getValue().getAsRange<FloatAttr>(), [](FloatAttr f) { return f.getValue().isZero(); }))
      return fill;
  return {};
}

/// `sum` = alpha * P + beta * C, elementwise: P the product of `product` (through a view
/// of it), C another input or none; alpha and beta are scalars from outside the body, null
/// for 1 (beta also for no C), each negated where `negate...`.
struct GemmShape {
  linalg::MatmulOp product;
  linalg::FillOp zeroFill;
  linalg::GenericOp sum;
  Value alpha, beta, c;
  bool negateAlpha = false, negateBeta = false;
};

/// The scalar `v` multiplies a body argument by, seen from outside the body: a value from
/// outside, or a float conversion (in the body) of one. Null where `v` is not one.
Value outsideScalar(Value v, Region &body) {
  auto outside = [&](Value x) { return !body.isAncestor(x.getParentRegion()); };
  if (outside(v))
    return v;
  if (auto conversion = v.getDefiningOp(); conversion && llvm::isa<arith::TruncFOp, arith::ExtFOp>(conversion))
    if (outside(conversion->getOperand(0)))
      return conversion->getOperand(0);
  return {};
}

/// A term of the sum: a body argument, alone or times an outside scalar (else null).
std::pair<BlockArgument, Value> termOf(Value v, Region &body) {
  if (auto arg = llvm::dyn_cast<BlockArgument>(v); arg && arg.getOwner()->getParent() == &body)
    return {arg, Value()};
  auto mul = v.getDefiningOp<arith::MulFOp>();
  if (!mul)
    return {};
  for (int side = 0; side < 2; ++side) {
    auto arg = llvm::dyn_cast<BlockArgument>(mul->getOperand(side));
    if (arg && arg.getOwner()->getParent() == &body)
      if (Value scalar = outsideScalar(mul->getOperand(1 - side), body))
        return {arg, scalar};
  }
  return {};
}

/// Whether nothing from just after `from` to just before `to` writes memory: `to` in the
/// same block, or at the start of the one block `from`'s block branches to alone.
/// Writes into arrays `op` allocates itself (py-to-std's copy of an operand that shares
/// the target's buffer, in an scf.if) do not count.
bool noWritesBetween(Operation *from, Operation *to) {
  auto writesNothing = [](Operation &op) {
    auto ownWrites = [&](Operation *inner) {
      if (inner->hasTrait<OpTrait::IsTerminator>())
        return true;
      auto effects = llvm::dyn_cast<MemoryEffectOpInterface>(inner);
      if (!effects) // (then its nested ops say)
        return inner->hasTrait<OpTrait::HasRecursiveMemoryEffects>();
      SmallVector<MemoryEffects::EffectInstance> list;
      effects.getEffects(list);
      return llvm::all_of(list, [&](const MemoryEffects::EffectInstance &e) {
        if (!llvm::isa<MemoryEffects::Write, MemoryEffects::Free>(e.getEffect()))
          return true;
        Value root = e.getValue() ? bufferRoot(e.getValue()) : Value();
        Operation *alloc = root ? root.getDefiningOp<memref::AllocOp>() : nullptr;
        return inner != &op && alloc && op.isAncestor(alloc);
      });
    };
    return !op.walk([&](Operation *inner) { return ownWrites(inner) ? WalkResult::advance() : WalkResult::interrupt(); })
                .wasInterrupted();
  };
  Block *start = from->getBlock(), *end = to->getBlock();
  if (start != end && end->getSinglePredecessor() != start)
    return false;
  for (Operation *op = from->getNextNode(); op && op != to; op = op->getNextNode())
    if (!writesNothing(*op))
      return false;
  if (start != end)
    for (Operation &op : *end) {
      if (&op == to)
        break;
      if (!writesNothing(op))
        return false;
    }
  return true;
}

/// The gemm shape whose product is `product`, or nothing.
std::optional<GemmShape> gemmShapeOf(linalg::MatmulOp product) {
  Value p = product.getDpsInits()[0];
  auto fill = zeroFillOf(product, p);
  if (!fill || !p.getDefiningOp<memref::AllocOp>() || blasKind(llvm::cast<MemRefType>(p.getType()).getElementType()) < 0 ||
      llvm::isa<ComplexType>(llvm::cast<MemRefType>(p.getType()).getElementType()))
    return std::nullopt;
  // P is read once, by the sum, through a view (py-to-std's broadcast view) or itself.
  Operation *reader = nullptr;
  for (Operation *user : p.getUsers()) {
    if (user == product || user == fill || llvm::isa<memref::DimOp, memref::ExtractStridedMetadataOp>(user))
      continue;
    if (reader || !llvm::isa<memref::ReinterpretCastOp, memref::CastOp, linalg::GenericOp>(user))
      return std::nullopt;
    reader = user;
  }
  if (!reader)
    return std::nullopt;
  Value view = p;
  if (!llvm::isa<linalg::GenericOp>(reader)) {
    view = reader->getResult(0);
    if (!view.hasOneUse())
      return std::nullopt;
    reader = *view.getUsers().begin();
  }
  auto sum = llvm::dyn_cast<linalg::GenericOp>(reader);
  if (!sum || !sum.hasPureBufferSemantics() || sum.getNumDpsInits() != 1 || sum.getNumDpsInputs() > 2 ||
      !llvm::all_of(sum.getIndexingMapsArray(), [](AffineMap m) { return m.isIdentity(); }) ||
      llvm::cast<MemRefType>(sum.getDpsInits()[0].getType()).getElementType() !=
          llvm::cast<MemRefType>(p.getType()).getElementType() ||
      !noWritesBetween(product, sum))
    return std::nullopt;
  Region &body = sum.getRegion();
  Value result = body.front().getTerminator()->getOperand(0);
  GemmShape shape{product, fill, sum, {}, {}, {}};
  SmallVector<std::pair<BlockArgument, Value>> terms;
  bool subtracted = false;
  if (auto add = result.getDefiningOp<arith::AddFOp>()) {
    terms = {termOf(add.getLhs(), body), termOf(add.getRhs(), body)};
  } else if (auto sub = result.getDefiningOp<arith::SubFOp>()) {
    terms = {termOf(sub.getLhs(), body), termOf(sub.getRhs(), body)};
    subtracted = true;
  } else {
    terms = {termOf(result, body)};
  }
  auto inputs = sum.getDpsInputs();
  auto found = llvm::find(inputs, view);
  if (found == inputs.end() || sum.getNumDpsInputs() != terms.size())
    return std::nullopt;
  unsigned productInput = found - inputs.begin();
  for (auto [index, term] : llvm::enumerate(terms)) {
    if (!term.first || term.first.getArgNumber() >= sum.getNumDpsInputs())
      return std::nullopt;
    bool isProduct = term.first.getArgNumber() == productInput;
    bool negated = subtracted && index == 1;
    if (isProduct) {
      shape.alpha = term.second;
      shape.negateAlpha = negated;
    } else {
      shape.c = sum.getDpsInputs()[term.first.getArgNumber()];
      shape.beta = term.second;
      shape.negateBeta = negated;
    }
  }
  // Both terms are needed, the product's and C's, each once.
  if (terms.size() == 2 && terms[0].first == terms[1].first)
    return std::nullopt;
  return shape;
}

struct Lowering {
  OpBuilder &b;
  Location loc;
  Block &body; // the named op's update: (x, y, acc) -> acc + x * y

  Value i64(Value index) { return arith::IndexCastOp::create(b, loc, b.getI64Type(), index); }
  Value i64(int64_t v) { return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v); }
  /// An operand as the runtime takes it: its aligned pointer and offset, and its strides.
  void describe(Value array, SmallVectorImpl<Value> &args) {
    auto meta = memref::ExtractStridedMetadataOp::create(b, loc, array);
    args.push_back(i64(memref::ExtractAlignedPointerAsIndexOp::create(b, loc, array)));
    args.push_back(i64(meta.getOffset()));
    for (Value stride : meta.getStrides())
      args.push_back(i64(stride));
  }
  /// Where `work` (multiplications) reaches `minWork`, calls `routine` with `args` (it
  /// returns whether it computed the product); then runs `loops` unless it did.
  /// A product's output is often just filled with zeros (np.dot's fresh result): BLAS
  /// then overwrites it (beta = 0) and only the loops need the fill, which moves there.
  void blasOrLoops(func::FuncOp routine, Value work, int64_t minWork, linalg::FillOp zeroFill,
                   llvm::function_ref<void(SmallVectorImpl<Value> &, Value beta)> args, llvm::function_ref<void()> loops) {
    if (!routine || minWork <= 0) {
      loops();
      return;
    }
    Value beta = arith::ConstantFloatOp::create(b, loc, b.getF64Type(), APFloat(zeroFill ? 0.0 : 1.0));
    Value big = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, work, index(minWork));
    callOr(routine, big, [&](SmallVectorImpl<Value> &operands) { args(operands, beta); }, [&] {
      if (zeroFill) {
        b.clone(*zeroFill.getOperation());
        zeroFill.erase();
      }
      loops();
    });
  }
  /// Where `go` holds, builds the operands of `routine` (`args`, which may emit work before
  /// the call) and calls it (it returns whether it ran); then `otherwise` unless it did.
  void callOr(func::FuncOp routine, Value go, llvm::function_ref<void(SmallVectorImpl<Value> &)> args,
              llvm::function_ref<void()> otherwise) {
    auto ifGo = scf::IfOp::create(b, loc, TypeRange{b.getI1Type()}, go, /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifGo.thenBlock());
      SmallVector<Value> operands;
      args(operands);
      Value done = func::CallOp::create(b, loc, routine, operands).getResult(0);
      scf::YieldOp::create(b, loc, done);
      b.setInsertionPointToStart(ifGo.elseBlock());
      scf::YieldOp::create(b, loc, ValueRange{arith::ConstantIntOp::create(b, loc, b.getI1Type(), 0)});
    }
    Value notDone = arith::XOrIOp::create(b, loc, ifGo.getResult(0), arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1));
    auto ifNot = scf::IfOp::create(b, loc, notDone, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(ifNot.thenBlock()->getTerminator());
    otherwise();
  }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value one() { return arith::ConstantFloatOp::create(b, loc, b.getF64Type(), APFloat(1.0)); }

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
  void matmul(linalg::MatmulOp op, func::FuncOp gemm, int64_t minWork) {
    Value a = op.getDpsInputs()[0], bm = op.getDpsInputs()[1], c = op.getDpsInits()[0];
    linalg::FillOp zeroFill = zeroFillOf(op, c); // (before any op goes in front of `op`)
    Value n = dim(a, 0), depth = dim(a, 1), m = dim(bm, 1);
    int64_t kind = blasKind(llvm::cast<MemRefType>(c.getType()).getElementType());
    blasOrLoops(kind < 0 ? func::FuncOp() : gemm, mul(mul(n, depth), m), minWork, zeroFill,
                [&](SmallVectorImpl<Value> &args, Value beta) {
                  // C = 1 * A @ B + beta * C: linalg's matmul accumulates into C.
                  args.append({i64(kind), i64(n), i64(m), i64(depth), one(), beta});
                  describe(a, args);
                  describe(bm, args);
                  describe(c, args);
                },
                [&] { matmulLoops(a, bm, c, n, depth, m); });
  }

  /// A scale as gemm takes it: an f64, 1 where none, negated where asked.
  Value scale(Value v, bool negate, double none) {
    Value x = v ? v : arith::ConstantFloatOp::create(b, loc, b.getF64Type(), APFloat(none)).getResult();
    if (x.getType().isF32())
      x = arith::ExtFOp::create(b, loc, b.getF64Type(), x);
    return negate ? arith::NegFOp::create(b, loc, x).getResult() : x;
  }

  /// `shape` as one gemm into the sum's output where the product is not broadcast into it
  /// and reaches `minWork`; the product and the sum as they were otherwise. Returns the
  /// product that still runs (in the fallback), which lowers as any product.
  linalg::MatmulOp foldGemm(GemmShape shape, func::FuncOp gemm, int64_t minWork) {
    linalg::MatmulOp product = shape.product;
    Value a = product.getDpsInputs()[0], bm = product.getDpsInputs()[1], p = product.getDpsInits()[0];
    Value out = shape.sum.getDpsInits()[0];
    Value n = dim(a, 0), depth = dim(a, 1), m = dim(bm, 1);
    Value unbroadcast = arith::AndIOp::create(b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, dim(out, 0), dim(p, 0)),
                                              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, dim(out, 1), dim(p, 1)));
    Value big = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, mul(mul(n, depth), m), index(minWork));
    int64_t kind = blasKind(llvm::cast<MemRefType>(p.getType()).getElementType());
    Value go = arith::AndIOp::create(b, loc, unbroadcast, big);
    // gemm must not write where it reads A or B (`C[:] = C @ B + C`): the product then runs
    // apart, as py-to-std made it.
    for (Value operand : {a, bm})
      if (!separateBuffers(operand, out))
        go = arith::AndIOp::create(b, loc, go, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                                                     memref::ExtractAlignedPointerAsIndexOp::create(b, loc, operand),
                                                                     memref::ExtractAlignedPointerAsIndexOp::create(b, loc, out)));
    linalg::MatmulOp fallback;
    callOr(gemm, go,
           [&](SmallVectorImpl<Value> &args) {
             if (shape.c) { // out = C (C's broadcast view), which gemm scales by beta and adds to;
                            // nothing to copy where C is out itself (`C[:] = A @ B + C`)
               Value copy = separateBuffers(shape.c, out)
                                ? arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1).getResult()
                                : arith::XOrIOp::create(b, loc, sameView(b, loc, shape.c, out),
                                                        arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1)).getResult();
               auto ifCopy = scf::IfOp::create(b, loc, copy, /*withElseRegion=*/false);
               OpBuilder::InsertionGuard guard(b);
               b.setInsertionPoint(ifCopy.thenBlock()->getTerminator());
               copyElements(b, loc, shape.c, out);
             }
             args.append({i64(kind), i64(n), i64(m), i64(depth), scale(shape.alpha, shape.negateAlpha, 1.0),
                          shape.c ? scale(shape.beta, shape.negateBeta, 1.0) : scale({}, false, 0.0)});
             describe(a, args);
             describe(bm, args);
             describe(out, args);
           },
           [&] {
             b.clone(*shape.zeroFill.getOperation());
             fallback = llvm::cast<linalg::MatmulOp>(b.clone(*product.getOperation()));
             b.clone(*shape.sum.getOperation());
           });
    shape.sum.erase();
    product.erase();
    shape.zeroFill.erase();
    return fallback;
  }

  void matmulLoops(Value a, Value bm, Value c, Value n, Value depth, Value m) {
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
  void matvec(linalg::MatvecOp op, func::FuncOp gemv, int64_t minWork) {
    Value a = op.getDpsInputs()[0], v = op.getDpsInputs()[1], y = op.getDpsInits()[0];
    linalg::FillOp zeroFill = zeroFillOf(op, y);
    Value n = dim(a, 0), depth = dim(a, 1);
    blasOrLoops(blasKind(llvm::cast<MemRefType>(y.getType()).getElementType()) < 0 ? func::FuncOp() : gemv,
                mul(n, depth), minWork, zeroFill,
                [&](SmallVectorImpl<Value> &args, Value beta) { gemvArgs(args, beta, false, a, v, y); },
                [&] { matvecLoops(a, v, y, n, depth); });
  }

  /// numlir_blas_gemv's arguments: y = 1 * A @ x + beta * y, or A.T @ x (`transposed`).
  void gemvArgs(SmallVectorImpl<Value> &args, Value beta, bool transposed, Value a, Value x, Value y) {
    int64_t kind = blasKind(llvm::cast<MemRefType>(y.getType()).getElementType());
    args.append({i64(kind), arith::ConstantIntOp::create(b, loc, b.getI1Type(), transposed), i64(dim(a, 0)),
                 i64(dim(a, 1)), one(), beta});
    describe(a, args);
    describe(x, args);
    describe(y, args);
  }

  void matvecLoops(Value a, Value v, Value y, Value n, Value depth) {
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
  void vecmat(linalg::VecmatOp op, func::FuncOp gemv, int64_t minWork) {
    Value v = op.getDpsInputs()[0], bm = op.getDpsInputs()[1], y = op.getDpsInits()[0];
    linalg::FillOp zeroFill = zeroFillOf(op, y);
    Value depth = dim(bm, 0), m = dim(bm, 1);
    blasOrLoops(blasKind(llvm::cast<MemRefType>(y.getType()).getElementType()) < 0 ? func::FuncOp() : gemv,
                mul(depth, m), minWork, zeroFill,
                [&](SmallVectorImpl<Value> &args, Value beta) { gemvArgs(args, beta, true, bm, v, y); },
                [&] { vecmatLoops(v, bm, y, depth, m); });
  }

  void vecmatLoops(Value v, Value bm, Value y, Value depth, Value m) {
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
  using LowerMatmulBase::LowerMatmulBase;

  void runOnOperation() override {
    // The runtime's BLAS entries, declared in the module once (they return success).
    SymbolTable symbols(getOperation());
    auto declared = [&](StringRef name, ArrayRef<Type> inputs) {
      return py::declareExternal(symbols, getOperation().getLoc(), name,
                                 FunctionType::get(&getContext(), inputs, {IntegerType::get(&getContext(), 1)}));
    };
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      // (Only the ops' default maps: a matmul may also be given transposing ones.)
      auto linalgOp = llvm::dyn_cast<linalg::LinalgOp>(op);
      if (llvm::isa<linalg::MatmulOp, linalg::MatvecOp, linalg::VecmatOp, linalg::DotOp>(op) &&
          linalgOp.hasPureBufferSemantics() &&
          !linalgOp.hasUserDefinedMaps())
        ops.push_back(op);
    });
    MLIRContext *ctx = &getContext();
    Type i64 = IntegerType::get(ctx, 64), f64 = Float64Type::get(ctx), i1 = IntegerType::get(ctx, 1);
    // (kind, m, n, k, alpha, beta, then aligned pointer, offset and two strides of A, B, C)
    SmallVector<Type> gemmInputs{i64, i64, i64, i64, f64, f64};
    gemmInputs.append(12, i64);
    // (kind, transposed, m, n, alpha, beta, A's four words, x's three, y's three)
    SmallVector<Type> gemvInputs{i64, i1, i64, i64, f64, f64};
    gemvInputs.append(10, i64);
    func::FuncOp gemm, gemv;
    // Gemm shapes first: each leaves its product (in the fallback) to lower as any.
    if (gemmMinWork > 0)
      for (Operation *&op : ops)
        if (auto mm = llvm::dyn_cast<linalg::MatmulOp>(op))
          if (std::optional<GemmShape> shape = gemmShapeOf(mm)) {
            gemm = declared("numlir_blas_gemm", gemmInputs);
            OpBuilder b(shape->sum);
            Lowering lowering{b, mm->getLoc(), mm->getRegion(0).front()};
            op = lowering.foldGemm(*shape, gemm, gemmMinWork);
          }
    for (Operation *op : ops) {
      if (!gemm && gemmMinWork > 0 && llvm::isa<linalg::MatmulOp>(op))
        gemm = declared("numlir_blas_gemm", gemmInputs);
      if (!gemv && gemvMinWork > 0 && llvm::isa<linalg::MatvecOp, linalg::VecmatOp>(op))
        gemv = declared("numlir_blas_gemv", gemvInputs);
    }
    for (Operation *op : ops) {
      OpBuilder b(op);
      Lowering lowering{b, op->getLoc(), op->getRegion(0).front()};
      if (auto mm = llvm::dyn_cast<linalg::MatmulOp>(op))
        lowering.matmul(mm, gemm, gemmMinWork);
      else if (auto mv = llvm::dyn_cast<linalg::MatvecOp>(op))
        lowering.matvec(mv, gemv, gemvMinWork);
      else if (auto d = llvm::dyn_cast<linalg::DotOp>(op))
        lowering.dot(d);
      else
        lowering.vecmat(llvm::cast<linalg::VecmatOp>(op), gemv, gemvMinWork);
      op->erase();
    }
  }
};
} // namespace

