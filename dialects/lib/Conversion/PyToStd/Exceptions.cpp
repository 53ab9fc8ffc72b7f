// py-to-std for try/except. An exception is its raise status (the number of its raise site).
//
// In a try body, the ops between `py.exc_begin` and the block's `py.exc_point` raise to
// the handler: FunctionLowering::returnStatus stores the status in the function's slot and
// branches to the lowered handler edge instead of returning it; `py.caught` reads the slot.
// What an `except` clause needs to know of a status (its class, its message) is in the
// module's table of raise sites, which the pass leaves as the global `numlir_raise_sites`
// for the runtime (src/runtime/errors.rs) once every function is lowered.
#include "FunctionLowering.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"

using namespace mlir;
using namespace mlir::py;

namespace mlir::py {

/// The status of a raise of `exception(message)`, or with `text` (a !py.str made at run
/// time) the status of the site that raises what the runtime recorded. A kernel's message
/// names its line, as its other raise sites do (`cudaKernel`).
Value FunctionLowering::exceptionStatus(Location loc, StringRef exception, StringRef message, Value text) {
  if (!text) {
    std::string where = cudaKernel ? atLine(loc) : "";
    return cInt(loc, table.add(exception, message.empty() ? StringRef(where).ltrim().str() : message.str() + where),
                b.getI32Type());
  }
  callListRuntime(loc, "numlir_str_raise",
                  ValueRange{textAddress(loc, exception), cInt(loc, exception.size(), i64()), one(text)}, Type());
  return cInt(loc, table.add("<recorded>", ""), b.getI32Type());
}

/// str(e) (or repr(e)) of the exception of `status`, as a new str.
Value FunctionLowering::exceptionText(Location loc, Value status, bool repr) {
  return callListRuntime(loc, "numlir_exc_str", ValueRange{raiseSites(loc), status, cInt(loc, repr, i1())}, ptrType());
}

FailureOr<bool> FunctionLowering::lowerExceptionOp(Operation &op) {
  Location loc = op.getLoc();
  if (llvm::isa<ExcBeginOp>(op)) {
    auto point = llvm::dyn_cast<ExcPointOp>(op.getBlock()->getTerminator());
    if (!point)
      return op.emitError("py.exc_begin in a block that does not end in py.exc_point"), failure();
    handler = blocks[point.getHandler()];
    handlerArgs = lowered(point.getHandlerArgs());
    handlerFromCall = nullptr;
    return true;
  }
  if (auto point = llvm::dyn_cast<ExcPointOp>(op)) {
    handler = nullptr;
    handlerFromCall = nullptr;
    cf::BranchOp::create(b, loc, blocks[point.getNormal()], ValueRange{});
    return true;
  }
  if (auto caught = llvm::dyn_cast<CaughtOp>(op)) {
    mapValue(caught, memref::LoadOp::create(b, loc, exceptionSlot(loc)).getResult());
    return true;
  }
  if (auto set = llvm::dyn_cast<SetCaughtOp>(op)) {
    memref::StoreOp::create(b, loc, one(set.getException()), exceptionSlot(loc));
    return true;
  }
  if (auto make = llvm::dyn_cast<MakeExceptionOp>(op)) {
    mapValue(make, exceptionStatus(loc, make.getException(), make.getMessage(), make.getText()));
    return true;
  }
  if (auto match = llvm::dyn_cast<ExcMatchOp>(op)) {
    // numlir raises only Exceptions: `except Exception` takes them all.
    SmallVector<StringRef> classes;
    for (Attribute c : match.getClasses())
      classes.push_back(llvm::cast<StringAttr>(c).getValue());
    if (llvm::is_contained(classes, "Exception") || llvm::is_contained(classes, "BaseException")) {
      mapValue(match, cInt(loc, 1, i1()));
      return true;
    }
    std::string names = llvm::join(classes, ",");
    Value sites = raiseSites(loc);
    Value matches = callListRuntime(loc, "numlir_exc_matches",
                                    ValueRange{sites, one(match.getException()), textAddress(loc, names),
                                               cInt(loc, names.size(), i64())},
                                    i1());
    mapValue(match, matches);
    return true;
  }
  if (auto reraise = llvm::dyn_cast<ReraiseOp>(op)) {
    returnStatus(loc, one(reraise.getException()));
    return true;
  }
  // str(e), repr(e), an f-string's {e}: the message (or `Class('message')`) as a new str.
  if (auto call = llvm::dyn_cast<CallBuiltinOp>(op)) {
    if (call.getArgs().empty() || !llvm::isa<ExceptionType>(call.getArgs()[0].getType()) ||
        !llvm::is_contained({"str", "repr", "format"}, call.getCallee()))
      return false;
    mapValue(call, exceptionText(loc, one(call.getArgs()[0]), call.getCallee() == "repr"));
    return true;
  }
  // e.args: a 1-tuple of the message.
  if (auto get = llvm::dyn_cast<GetAttrOp>(op); get && llvm::isa<ExceptionType>(get.getObject().getType())) {
    mapValue(get, exceptionText(loc, one(get.getObject()), /*repr=*/false));
    return true;
  }
  return false;
}

} // namespace mlir::py
