// py-to-std for linear algebra: np.dot and @ through linalg's named ops (dot, matvec,
// vecmat, matmul; numlir-lower-matmul makes their loops later), np.outer and np.trace, and
// the LAPACK calls of np.linalg's implementation (python/numlir/_numpy/linalg.py).
#include "FunctionLowering.h"
#include "ElementOps.h"
#include "numlir/Dialect/Py/Transforms/ArrayTypeRules.h"

#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;
using namespace mlir::py;

/// np.dot / @ of 1-D and 2-D arrays through linalg's named ops (dot, matvec, vecmat, matmul).
Value FunctionLowering::dot(Location loc, Value a, MemRefType aPy, Value c, MemRefType cPy, Type resultPy) {
  Type e = isArray(resultPy) ? elemOf(resultPy) : elementwiseElement(aPy, cPy);
  // Operands of another dtype are converted first (linalg multiplies one element type).
  auto asElement = [&](Value v, MemRefType py) -> Value {
    if (py.getElementType() == e)
      return v;
    Type from = py.getElementType();
    return elementwise(loc, arrayType(e, py.getRank(), Layout::C), {v}, {py},
                       [&](OpBuilder &nb, Location nl, ValueRange x) { return convertElement(nb, nl, x[0], from, e); });
  };
  a = asElement(a, aPy);
  c = asElement(c, cPy);
  int64_t ra = aPy.getRank(), rc = cPy.getRank();
  Value inner = memref::DimOp::create(b, loc, a, ra - 1);
  Value innerC = memref::DimOp::create(b, loc, c, 0);
  raiseIf(loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, inner, innerC), "ValueError",
          "shapes not aligned: the last axis of the first operand and the first axis of the second differ");
  Type st = storageType(e);
  Value zero = elementConstant(b, loc, 0, e);
  if (ra == 1 && rc == 1) {
    Value acc = memref::AllocaOp::create(b, loc, MemRefType::get({}, st));
    fillArray(loc, acc, zero);
    linalg::DotOp::create(b, loc, ValueRange{a, c}, ValueRange{acc});
    Value r = memref::LoadOp::create(b, loc, acc, ValueRange{});
    return convertElement(b, loc, r, e, resultPy);
  }
  auto out = llvm::cast<MemRefType>(resultPy);
  SmallVector<Value> sizes;
  if (ra == 2)
    sizes.push_back(memref::DimOp::create(b, loc, a, 0));
  if (rc == 2)
    sizes.push_back(memref::DimOp::create(b, loc, c, 1));
  Value result = allocArray(loc, out, sizes);
  fillArray(loc, result, zero);
  if (ra == 2 && rc == 2)
    linalg::MatmulOp::create(b, loc, ValueRange{a, c}, ValueRange{result});
  else if (ra == 2)
    linalg::MatvecOp::create(b, loc, ValueRange{a, c}, ValueRange{result});
  else
    linalg::VecmatOp::create(b, loc, ValueRange{a, c}, ValueRange{result});
  return result;
}

/// np.outer: the flattened operands as a column and a row, multiplied with broadcasting.
Value FunctionLowering::outer(Location loc, Value a, MemRefType aPy, Value c, MemRefType cPy, MemRefType resultPy) {
  auto asAxis = [&](Value array, MemRefType py, int64_t axis) {
    Value v = flat(loc, array, py, false);
    Value n = memref::DimOp::create(b, loc, v, 0);
    auto meta = memref::ExtractStridedMetadataOp::create(b, loc, v);
    SmallVector<OpFoldResult> sizes{b.getIndexAttr(1), b.getIndexAttr(1)}, strides{b.getIndexAttr(0), b.getIndexAttr(0)};
    sizes[axis] = n;
    strides[axis] = b.getIndexAttr(1);
    auto type = MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic}, storageType(py.getElementType()),
                                StridedLayoutAttr::get(b.getContext(), ShapedType::kDynamic, {ShapedType::kDynamic, ShapedType::kDynamic}));
    return memref::ReinterpretCastOp::create(b, loc, type, meta.getBaseBuffer(), OpFoldResult(meta.getOffset()), sizes, strides).getResult();
  };
  auto colPy = arrayType(aPy.getElementType(), 2, Layout::A), rowPy = arrayType(cPy.getElementType(), 2, Layout::A);
  return elementwise(loc, resultPy, {asAxis(a, aPy, 0), asAxis(c, cPy, 1)}, {colPy, rowPy},
                     binOpBody("mul", colPy, rowPy, resultPy.getElementType()));
}

/// np.trace of a 2-D array: the sum of its main diagonal.
Value FunctionLowering::trace(Location loc, Value array, MemRefType arrayPy, Type resultPy) {
  Type e = arrayPy.getElementType();
  Value n = arith::MinSIOp::create(b, loc, memref::DimOp::create(b, loc, array, 0), memref::DimOp::create(b, loc, array, 1));
  Value zero = elementConstant(b, loc, 0, resultPy);
  auto loop = scf::ForOp::create(b, loc, arith::ConstantIndexOp::create(b, loc, 0), n, arith::ConstantIndexOp::create(b, loc, 1),
                                   ValueRange{zero}, [&](OpBuilder &nb, Location nl, Value i, ValueRange acc) {
                                     Value x = convertElement(nb, nl, memref::LoadOp::create(nb, nl, array, ValueRange{i, i}), e, resultPy);
                                     scf::YieldOp::create(nb, nl, accumulate(nb, nl, "add", acc[0], x));
                                   });
  return loop.getResult(0);
}

/// A `lapack.<routine>(...)` call of python/numlir/_numpy/linalg.py: the runtime's
/// numlir_lapack_<routine>(kind, ...) (src/runtime/linalg.rs), which returns LAPACK's info.
/// The kind is the first array's element type (0-3: float32, float64, complex64,
/// complex128); arrays pass as the address of their element 0, numbers as int64 or float64.
Value FunctionLowering::lowerLapackCall(CallBuiltinOp op) {
  Location loc = op.getLoc();
  SmallVector<Value> args;
  int64_t kind = -1;
  for (Value a : op.getArgs()) {
    Type t = a.getType();
    if (!isArray(t)) {
      args.push_back(llvm::isa<FloatType>(t) ? toF64(loc, widen(loc, one(a), t)) : toI64(loc, widen(loc, one(a), t)));
      continue;
    }
    Type e = elemOf(t);
    if (kind < 0)
      kind = blasKind(e);
    auto meta = memref::ExtractStridedMetadataOp::create(b, loc, one(a));
    Value aligned = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, one(a));
    int64_t bytes = llvm::isa<ComplexType>(e) ? 2 * llvm::cast<ComplexType>(e).getElementType().getIntOrFloatBitWidth() / 8
                                               : std::max<int64_t>(1, e.getIntOrFloatBitWidth() / 8);
    Value offset = arith::MulIOp::create(b, loc, meta.getOffset(), arith::ConstantIndexOp::create(b, loc, bytes));
    args.push_back(arith::IndexCastOp::create(b, loc, i64(), arith::AddIOp::create(b, loc, aligned, offset)));
  }
  args.insert(args.begin(), cInt(loc, kind, i64()));
  std::string routine = ("numlir_lapack_" + op.getCallee().drop_front(strlen("lapack."))).str();
  return callExternal(b, loc, symbols, routine, args, i64());
}
