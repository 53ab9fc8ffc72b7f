// numlir-bool-bytes: bool arrays become byte arrays (memref<...xi1> -> memref<...xi8>) just
// before the llvm lowering. NumPy stores a bool in a byte, and so does LLVM for a scalar i1,
// but LLVM packs vectors of i1 into bits, so loops over i1 memory do not vectorize (no
// memset for np.ones(n, bool), element-by-element loads for sums). With bytes in memory,
// loads become a byte load and a compare, stores a zero-extension and a byte store.
#include "numlir/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::py {
#define GEN_PASS_DEF_BOOLBYTES
#include "numlir/Transforms/Passes.h.inc"
} // namespace mlir::py

using namespace mlir;

namespace {
/// The type with every bool memref (also inside nothing else: memrefs do not nest) as bytes.
Type asBytes(Type t) {
  auto mem = llvm::dyn_cast<MemRefType>(t);
  if (!mem || !mem.getElementType().isInteger(1))
    return t;
  return MemRefType::get(mem.getShape(), IntegerType::get(t.getContext(), 8), mem.getLayout(),
                         mem.getMemorySpace());
}

struct BoolBytesPass : py::impl::BoolBytesBase<BoolBytesPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    Type i1 = IntegerType::get(ctx, 1), i8 = IntegerType::get(ctx, 8);
    getOperation().walk([&](Operation *op) {
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            arg.setType(asBytes(arg.getType()));
      for (OpResult r : op->getResults())
        r.setType(asBytes(r.getType()));
      OpBuilder b(op);
      if (auto load = llvm::dyn_cast<memref::LoadOp>(op); load && load.getType().isInteger(1)) {
        // A byte in, its truth out (as NumPy reads any nonzero byte).
        b.setInsertionPointAfter(load);
        load.getResult().setType(i8);
        Value zero = arith::ConstantOp::create(b, load.getLoc(), b.getIntegerAttr(i8, 0));
        auto truth = arith::CmpIOp::create(b, load.getLoc(), arith::CmpIPredicate::ne, load.getResult(), zero);
        load.getResult().replaceAllUsesExcept(truth, truth);
      } else if (auto store = llvm::dyn_cast<memref::StoreOp>(op); store && store.getValue().getType() == i1) {
        Value byte = arith::ExtUIOp::create(b, store.getLoc(), i8, store.getValue());
        store.getValueMutable().assign(byte);
      }
    });
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      SmallVector<Type> inputs, results;
      for (Type t : func.getArgumentTypes())
        inputs.push_back(asBytes(t));
      for (Type t : func.getResultTypes())
        results.push_back(asBytes(t));
      func.setFunctionType(FunctionType::get(ctx, inputs, results));
    }
  }
};
} // namespace

