// Helpers of py-to-std that other passes use too (numlir/Conversion/PyToStd/LoweringUtils.h):
// constants of every element type, conversions between py element types, calls of external
// functions declared once per module, and empty stand-in arrays.
#include "numlir/Conversion/PyToStd/LoweringUtils.h"
#include "numlir/Conversion/ComplexToStd/ComplexToStd.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::py;

Type mlir::py::storageType(Type e) {
  if (auto i = llvm::dyn_cast<IntegerType>(e))
    if (!i.isSignless())
      return IntegerType::get(e.getContext(), i.getWidth());
  return e;
}

Value mlir::py::numberConstant(OpBuilder &b, Location loc, Type t, double v) {
  if (auto c = llvm::dyn_cast<ComplexType>(t)) {
    Value re = numberConstant(b, loc, c.getElementType(), v), im = numberConstant(b, loc, c.getElementType(), 0.0);
    return complex::CreateOp::create(b, loc, c, re, im);
  }
  if (llvm::isa<FloatType>(t))
    return arith::ConstantOp::create(b, loc, t, b.getFloatAttr(t, v));
  if (llvm::isa<IndexType>(t))
    return arith::ConstantIndexOp::create(b, loc, static_cast<int64_t>(v));
  auto i = llvm::cast<IntegerType>(t); // an unsigned py type is stored signless
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(IntegerType::get(t.getContext(), i.getWidth()), static_cast<int64_t>(v)));
}

Value mlir::py::convertElement(OpBuilder &b, Location loc, Value v, Type from, Type to) {
  if (from == to)
    return v;
  if (auto c = llvm::dyn_cast<ComplexType>(to))
    return complexFrom(b, loc, v, from, c);
  if (auto c = llvm::dyn_cast<ComplexType>(from)) {
    // To a real type: the truth of both parts for bool, else the real part (as NumPy).
    if (to.isInteger(1))
      return complexTruth(b, loc, v);
    return convertElement(b, loc, complex::ReOp::create(b, loc, v), c.getElementType(), to);
  }
  Type target = storageType(to);
  auto fi = llvm::dyn_cast<IntegerType>(from), ti = llvm::dyn_cast<IntegerType>(to);
  if (to.isInteger(1)) {
    if (fi)
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, v,
                                     arith::ConstantOp::create(b, loc, v.getType(), b.getIntegerAttr(v.getType(), 0)));
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v,
                                   arith::ConstantOp::create(b, loc, v.getType(), b.getFloatAttr(v.getType(), 0.0)));
  }
  bool fromSigned = fi && !fi.isUnsigned() && fi.getWidth() > 1;
  if (fi && ti) {
    if (ti.getWidth() > fi.getWidth())
      return fromSigned ? arith::ExtSIOp::create(b, loc, target, v).getResult()
                        : arith::ExtUIOp::create(b, loc, target, v).getResult();
    if (ti.getWidth() < fi.getWidth())
      return arith::TruncIOp::create(b, loc, target, v);
    return v;
  }
  if (fi)
    return fromSigned ? arith::SIToFPOp::create(b, loc, target, v).getResult()
                      : arith::UIToFPOp::create(b, loc, target, v).getResult();
  if (ti)
    return ti.isUnsigned() ? arith::FPToUIOp::create(b, loc, target, v).getResult()
                           : arith::FPToSIOp::create(b, loc, target, v).getResult();
  auto ff = llvm::cast<FloatType>(from), tf = llvm::cast<FloatType>(to);
  if (tf.getWidth() > ff.getWidth())
    return arith::ExtFOp::create(b, loc, target, v);
  return arith::TruncFOp::create(b, loc, target, v);
}

Value mlir::py::emptyArray(OpBuilder &b, Location loc, MemRefType type) {
  auto plain = MemRefType::get(type.getShape(), type.getElementType());
  SmallVector<Value> zeros(type.getNumDynamicDims(), arith::ConstantIndexOp::create(b, loc, 0));
  Value empty = memref::AllocaOp::create(b, loc, plain, zeros);
  return plain == type ? empty : memref::CastOp::create(b, loc, type, empty).getResult();
}

func::FuncOp mlir::py::declareExternal(SymbolTable &symbols, Location loc, StringRef name, FunctionType type) {
  auto decl = symbols.lookup<func::FuncOp>(name);
  if (!decl) {
    decl = func::FuncOp::create(loc, name, type);
    decl.setPrivate();
    symbols.insert(decl);
  }
  return decl;
}

ValueRange mlir::py::callExternal(OpBuilder &b, Location loc, SymbolTable &symbols, StringRef name,
                                  ValueRange args, TypeRange results) {
  func::FuncOp decl = declareExternal(symbols, loc, name, b.getFunctionType(TypeRange(args), results));
  return func::CallOp::create(b, loc, decl, args).getResults();
}

Value mlir::py::callExternal(OpBuilder &b, Location loc, SymbolTable &symbols, StringRef name, ValueRange args,
                             Type result) {
  return callExternal(b, loc, symbols, name, args, TypeRange{result})[0];
}

int64_t mlir::py::blasKind(Type element) {
  bool complex = llvm::isa<ComplexType>(element);
  if (complex)
    element = llvm::cast<ComplexType>(element).getElementType();
  int64_t precision = element.isF32() ? 0 : element.isF64() ? 1 : -1;
  return precision < 0 ? -1 : precision + (complex ? 2 : 0);
}

void mlir::py::copyElements(OpBuilder &b, Location loc, Value from, Value to) {
  int64_t rank = llvm::cast<MemRefType>(to.getType()).getRank();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  SmallVector<utils::IteratorType> parallel(rank, utils::IteratorType::parallel);
  linalg::GenericOp::create(b, loc, ValueRange{from}, ValueRange{to}, ArrayRef<AffineMap>{identity, identity}, parallel,
                            [](OpBuilder &nb, Location nl, ValueRange in) { linalg::YieldOp::create(nb, nl, in[0]); });
}

Value mlir::py::bufferRoot(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (llvm::isa<memref::CastOp, memref::ReinterpretCastOp, memref::SubViewOp, memref::TransposeOp,
                  memref::ExpandShapeOp, memref::CollapseShapeOp, memref::ExtractStridedMetadataOp>(def))
      v = def->getOperand(0);
    else
      break;
  }
  return v;
}

bool mlir::py::separateBuffers(Value x, Value y) {
  Value rx = bufferRoot(x), ry = bufferRoot(y);
  auto fresh = [](Value r) { return static_cast<bool>(r.getDefiningOp<memref::AllocOp>()); };
  // An argument of the function itself (a block argument elsewhere may carry an allocation).
  auto argument = [](Value r) {
    auto arg = llvm::dyn_cast<BlockArgument>(r);
    return arg && arg.getOwner()->isEntryBlock() && llvm::isa<func::FuncOp>(arg.getOwner()->getParentOp());
  };
  return rx != ry && ((fresh(rx) && (fresh(ry) || argument(ry))) || (fresh(ry) && argument(rx)));
}

Value mlir::py::sameView(OpBuilder &b, Location loc, Value x, Value y) {
  auto rank = [](Value v) { return llvm::cast<MemRefType>(v.getType()).getRank(); };
  if (rank(x) != rank(y))
    return arith::ConstantIntOp::create(b, loc, b.getI1Type(), 0);
  auto eq = [&](Value p, Value q) { return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, p, q).getResult(); };
  Value same = eq(memref::ExtractAlignedPointerAsIndexOp::create(b, loc, x), memref::ExtractAlignedPointerAsIndexOp::create(b, loc, y));
  auto mx = memref::ExtractStridedMetadataOp::create(b, loc, x), my = memref::ExtractStridedMetadataOp::create(b, loc, y);
  same = arith::AndIOp::create(b, loc, same, eq(mx.getOffset(), my.getOffset()));
  for (int64_t d = 0; d < rank(x); ++d) {
    same = arith::AndIOp::create(b, loc, same, eq(mx.getSizes()[d], my.getSizes()[d]));
    same = arith::AndIOp::create(b, loc, same, eq(mx.getStrides()[d], my.getStrides()[d]));
  }
  return same;
}
