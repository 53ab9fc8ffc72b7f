// py-to-std for elementwise array operations: operators and ufuncs over arrays as one
// linalg.generic each, with NumPy's broadcasting through zero strides; a chain of them
// (`a * b + c`) is built as one generic inside its last user (ElementExpr, `pending`), and
// `a op= b` computes into `a` (reading a copy of b when the two share memory).
#include "FunctionLowering.h"
#include "ElementOps.h"
#include "numlir/Dialect/Py/Transforms/ArrayTypeRules.h"

#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;
using namespace mlir::py;

/// `out[i...] = body(operand elements at i...)` over the broadcast shape of the operands.
/// Array operands broadcast through views whose strides are 0 along stretched axes;
/// scalars reach the body as they are. Writes into `into` when given, else a new array.
Value FunctionLowering::elementwise(Location loc, MemRefType resultPy, ArrayRef<Value> operands,
                                    ArrayRef<Type> operandPy, ElementFn body, Value into) {
  int64_t rank = resultPy.getRank();
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  // The broadcast shape, right-aligned; mismatched axes raise ValueError.
  SmallVector<Value> shape(rank, one);
  if (into)
    shape = sizesOf(loc, into);
  SmallVector<SmallVector<Value>> operandSizes;
  Value bad = arith::ConstantOp::create(b, loc, b.getI1Type(), b.getBoolAttr(false));
  for (Value v : operands) {
    operandSizes.emplace_back();
    if (!llvm::isa<MemRefType>(v.getType()))
      continue;
    operandSizes.back() = sizesOf(loc, v);
    int64_t r = operandSizes.back().size();
    for (int64_t d = 0; d < r; ++d) {
      Value s = operandSizes.back()[d];
      Value &out = shape[rank - r + d];
      Value sIsOne = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, s, one);
      Value outIsOne = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, out, one);
      Value same = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, s, out);
      Value ok = arith::OrIOp::create(b, loc, same, arith::OrIOp::create(b, loc, sIsOne, into ? sIsOne : outIsOne));
      bad = arith::OrIOp::create(b, loc, bad, arith::XOrIOp::create(b, loc, ok, arith::ConstantOp::create(b, loc, b.getI1Type(), b.getBoolAttr(true))));
      if (!into)
        out = arith::SelectOp::create(b, loc, sIsOne, out, s);
    }
  }
  raiseIf(loc, bad, "ValueError", into ? "could not broadcast the value into the target's shape"
                                        : "operands could not be broadcast together");
  Value result = into ? into : allocArray(loc, resultPy, shape);
  SmallVector<Value> inputs;
  SmallVector<Type> inputPy;
  SmallVector<int> slot; // operand -> input number, or -1 for a scalar
  for (auto [k, v] : llvm::enumerate(operands)) {
    auto type = llvm::dyn_cast<MemRefType>(v.getType());
    if (!type) {
      slot.push_back(-1);
      continue;
    }
    int64_t r = type.getRank();
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    auto meta = memref::ExtractStridedMetadataOp::create(b, loc, v);
    SmallVector<OpFoldResult> sizes, strides;
    for (int64_t d = 0; d < rank; ++d) {
      sizes.push_back(shape[d]);
      int64_t src = d - (rank - r);
      if (src < 0) {
        strides.push_back(b.getIndexAttr(0));
        continue;
      }
      Value stretched = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, operandSizes[k][src], shape[d]);
      strides.push_back(Value(arith::SelectOp::create(b, loc, stretched, zero, meta.getStrides()[src])));
    }
    auto viewType = MemRefType::get(SmallVector<int64_t>(rank, ShapedType::kDynamic), type.getElementType(),
                                    StridedLayoutAttr::get(b.getContext(), ShapedType::kDynamic,
                                                           SmallVector<int64_t>(rank, ShapedType::kDynamic)));
    Value view = memref::ReinterpretCastOp::create(b, loc, viewType, meta.getBaseBuffer(),
                                                     OpFoldResult(meta.getOffset()), sizes, strides);
    slot.push_back(inputs.size());
    inputs.push_back(view);
    inputPy.push_back(operandPy[k]);
  }
  SmallVector<AffineMap> maps(inputs.size() + 1, b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  SmallVector<Value> scalars(operands.begin(), operands.end());
  linalg::GenericOp::create(b, 
      loc, TypeRange{}, inputs, ValueRange{result}, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        SmallVector<Value> elements;
        for (auto [k, v] : llvm::enumerate(scalars))
          elements.push_back(slot[k] < 0 ? v : args[slot[k]]);
        linalg::YieldOp::create(nb, nl, body(nb, nl, elements));
      });
  return result;
}

/// `source` to be read while `target` is written: a copy when both share one buffer as
/// different views (NumPy gives the result of reading all of source before writing), else
/// `source` itself (also when it is the very elements being written: each is read before it
/// is written). A run-time choice, in scf.if (no new blocks: a product before the write
/// still folds into it, see numlir-lower-matmul), unless the buffers are known to differ;
/// `sourcePy` becomes the general strided layout then.
Value FunctionLowering::unaliased(Location loc, Value target, Value source, Type &sourcePy) {
  if (source == target || separateBuffers(source, target))
    return source;
  auto sourceArray = llvm::cast<MemRefType>(sourcePy);
  auto anyPy = arrayType(sourceArray.getElementType(), sourceArray.getRank(), Layout::A);
  SmallVector<Type> parts;
  lowerType(anyPy, parts);
  Type anyType = parts[0];
  Value separate = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                           memref::ExtractAlignedPointerAsIndexOp::create(b, loc, target),
                                           memref::ExtractAlignedPointerAsIndexOp::create(b, loc, source));
  Value keep = arith::OrIOp::create(b, loc, separate, sameView(b, loc, target, source));
  sourcePy = anyPy;
  auto choice = scf::IfOp::create(b, loc, TypeRange{anyType}, keep, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(choice.thenBlock());
  scf::YieldOp::create(b, loc, ValueRange{memref::CastOp::create(b, loc, anyType, source)});
  b.setInsertionPointToStart(choice.elseBlock());
  Value copy = allocArray(loc, arrayType(sourceArray.getElementType(), sourceArray.getRank(), Layout::C), sizesOf(loc, source));
  copyElements(b, loc, source, copy);
  scf::YieldOp::create(b, loc, ValueRange{memref::CastOp::create(b, loc, anyType, copy)});
  return choice.getResult(0);
}

/// `a op= b` on an array `a`: computed into `a` itself, with b's expression in the same
/// loop when it is pending (`a += x * y` makes no temporary).
Value FunctionLowering::inplace(BinOp op) {
  auto lhsPy = llvm::cast<MemRefType>(op.getLhs().getType());
  Type rhsPy = op.getRhs().getType();
  ElementExpr update{{op.getLhs(), op.getRhs()}, {lhsPy, rhsPy},
                     binOpBody(op.getKind(), lhsPy, rhsPy, lhsPy.getElementType()), lhsPy};
  Value lhs = one(op.getLhs());
  materialize(op.getLoc(), update, lhs);
  return lhs;
}

/// The elementwise operation `op` computes, when it is one with an array result.
std::optional<FunctionLowering::ElementExpr> FunctionLowering::elementExpr(Operation &op) {
  if (op.getNumResults() != 1)
    return std::nullopt;
  auto resultPy = llvm::dyn_cast<MemRefType>(op.getResult(0).getType());
  if (!resultPy)
    return std::nullopt;
  Type out = resultPy.getElementType();
  auto expr = [&](ValueRange operands, ElementFn body) {
    ElementExpr e{SmallVector<Value>(operands), {}, std::move(body), resultPy};
    for (Value v : operands)
      e.operandPy.push_back(v.getType());
    return e;
  };
  if (auto bin = llvm::dyn_cast<BinOp>(op)) {
    if (bin.getKind() == "matmul" || (bin.getInplace() && isArray(bin.getLhs().getType())))
      return std::nullopt;
    return expr(op.getOperands(), binOpBody(bin.getKind(), bin.getLhs().getType(), bin.getRhs().getType(), out));
  }
  if (auto cmp = llvm::dyn_cast<CmpOp>(op))
    return expr(op.getOperands(), cmpBody(cmp.getPredicate(), cmp.getLhs().getType(), cmp.getRhs().getType()));
  if (auto un = llvm::dyn_cast<UnOp>(op))
    return expr(op.getOperands(), unOpBody(un.getKind(), out));
  auto call = llvm::dyn_cast<CallBuiltinOp>(op);
  if (!call || call.getKwnames())
    return std::nullopt;
  StringRef name = call.getCallee();
  if (name == "abs")
    name = "np.abs";
  if (!name.consume_front("np.") || !(name == "where" || name == "clip" || isUfunc(b.getContext(), name)))
    return std::nullopt;
  SmallVector<Type> argPy(call.getArgs().getTypes());
  return expr(call.getArgs(), numpyElementBody(name, argPy, out));
}

/// Whether the elementwise `op` can be computed inside its user's loop: the user is the
/// only one, is elementwise too or writes the result into an array (`a[...] = op`,
/// `a += op`), and nothing between them may write arrays.
bool FunctionLowering::fusesIntoUser(Operation &op) {
  Value result = op.getResult(0);
  if (!result.hasOneUse())
    return false;
  Operation *user = *result.user_begin();
  auto set = llvm::dyn_cast<SetItemOp>(user);
  auto bin = llvm::dyn_cast<BinOp>(user);
  bool writes = (set && set.getValue() == result && isArray(set.getBase().getType())) ||
                (bin && bin.getInplace() && bin.getRhs() == result && bin.getLhs() != result &&
                 isArray(bin.getLhs().getType()));
  if (user->getBlock() != op.getBlock() || !(writes || elementExpr(*user)))
    return false;
  for (Operation *o = op.getNextNode(); o != user; o = o->getNextNode())
    if (mayWriteArrays(*o))
      return false;
  return true;
}

/// Builds `expr` and the pending expressions it reads as one linalg.generic over their
/// leaves (the non-pending operands, each read once), into a new array or into `into`
/// (each leaf then read unaliased from it).
Value FunctionLowering::materialize(Location loc, const ElementExpr &expr, Value into) {
  SmallVector<Value> leaves;
  SmallVector<Type> leafPy;
  std::function<void(const ElementExpr &)> collect = [&](const ElementExpr &e) {
    for (auto [v, t] : llvm::zip(e.operands, e.operandPy)) {
      if (auto it = pending.find(v); it != pending.end())
        collect(it->second);
      else if (!llvm::is_contained(leaves, v)) {
        leaves.push_back(v);
        leafPy.push_back(t);
      }
    }
  };
  collect(expr);
  SmallVector<Value> loweredLeaves;
  for (auto [v, t] : llvm::zip(leaves, leafPy)) {
    loweredLeaves.push_back(one(v));
    if (into && isArray(t))
      loweredLeaves.back() = unaliased(loc, into, loweredLeaves.back(), t);
  }
  auto body = [&](OpBuilder &nb, Location nl, ValueRange leafElements) {
    std::function<Value(const ElementExpr &)> eval = [&](const ElementExpr &e) {
      SmallVector<Value> in;
      for (Value v : e.operands) {
        auto it = pending.find(v);
        in.push_back(it != pending.end() ? eval(it->second)
                                         : leafElements[llvm::find(leaves, v) - leaves.begin()]);
      }
      return e.body(nb, nl, in);
    };
    return eval(expr);
  };
  return elementwise(loc, expr.resultPy, loweredLeaves, leafPy, body, into);
}
