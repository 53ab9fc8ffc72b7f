// numlir.literal_unroll (part of py-infer-types): `for x in literal_unroll(t)` over a tuple
// whose elements differ in type runs the loop body once per element, each copy typed for its
// element, as numba does.
//
// Done on each function as it is instantiated, before types flow: the tuple's length is
// known from the function's argument types or from the py.make_tuple that builds it, and the
// frontend's loop is regular (the iterator enters a header block whose py.iter_next branches
// to the body or the exit). Each copy i gets a header of its own that takes element i
// (py.tuple_get) and enters a copy of the body; the body's back edges go to the next copy's
// header, the last copy's to a block that branches to the exit.
#include "Inferencer.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"

using namespace mlir;
using namespace mlir::py;

namespace {

/// The number of elements of a tuple value, where the untyped IR shows it: a typed
/// argument, a py.make_tuple, or block arguments every predecessor of which agrees on one.
std::optional<int64_t> tupleArity(Value v, llvm::SmallPtrSetImpl<Value> &seen) {
  if (!seen.insert(v).second)
    return std::nullopt;
  if (auto make = v.getDefiningOp<MakeTupleOp>())
    return make.getElements().size();
  if (auto tuple = tupleOf(v.getType()))
    return tuple.size();
  auto arg = llvm::dyn_cast<BlockArgument>(v);
  if (!arg || arg.getOwner()->isEntryBlock())
    return std::nullopt;
  std::optional<int64_t> arity;
  for (auto it = arg.getOwner()->pred_begin(); it != arg.getOwner()->pred_end(); ++it) {
    auto branch = llvm::dyn_cast<BranchOpInterface>((*it)->getTerminator());
    if (!branch)
      return std::nullopt;
    Value incoming = branch.getSuccessorOperands(it.getSuccessorIndex())[arg.getArgNumber()];
    std::optional<int64_t> n = incoming ? tupleArity(incoming, seen) : std::nullopt;
    if (!n || (arity && *arity != *n))
      return std::nullopt;
    arity = n;
  }
  return arity;
}

/// Unrolls the loop that iterates `iter` (a py.get_iter of literal_unroll(t)); false when its
/// shape is not the frontend's.
bool unroll(GetIterOp iter, CallBuiltinOp call, int64_t count) {
  Value tuple = call.getArgs()[0];
  // The branch that enters the header with the iterator.
  if (!iter->hasOneUse())
    return false;
  OpOperand &use = *iter->getUses().begin();
  auto enter = llvm::dyn_cast<cf::BranchOp>(use.getOwner());
  if (!enter)
    return false;
  Block *header = enter.getDest();
  Value iterArg = header->getArgument(use.getOperandNumber());
  auto next = llvm::dyn_cast<IterNextOp>(&header->front());
  auto test = llvm::dyn_cast<cf::CondBranchOp>(header->getTerminator());
  if (!next || next.getIterator() != iterArg || !test || next->getNextNode() != test.getOperation() ||
      test.getCondition() != next.getValid())
    return false;
  Block *body = test.getTrueDest(), *exit = test.getFalseDest();
  // The loop: what the body reaches without passing the header or the exit.
  llvm::SetVector<Block *> loop;
  SmallVector<Block *> pending{body};
  while (!pending.empty()) {
    Block *b = pending.pop_back_val();
    if (b == header || b == exit || !loop.insert(b))
      continue;
    for (Block *s : b->getSuccessors())
      pending.push_back(s);
  }
  Region *region = header->getParent();
  OpBuilder builder(call.getContext());
  Location loc = iter.getLoc();
  auto newHeader = [&]() {
    Block *h = new Block();
    region->getBlocks().insert(Region::iterator(header), h);
    for (BlockArgument a : header->getArguments())
      h->addArgument(a.getType(), a.getLoc());
    return h;
  };
  SmallVector<Block *> headers;
  for (int64_t i = 0; i <= count; ++i)
    headers.push_back(newHeader());
  for (int64_t i = 0; i <= count; ++i) {
    IRMapping map;
    for (auto [from, to] : llvm::zip(header->getArguments(), headers[i]->getArguments()))
      map.map(from, to);
    builder.setInsertionPointToEnd(headers[i]);
    if (i == count) { // after the last element: the loop's exit
      cf::BranchOp::create(builder, loc, exit, llvm::map_to_vector(test.getFalseDestOperands(), [&](Value v) { return map.lookupOrDefault(v); }));
      break;
    }
    Value element = TupleGetOp::create(builder, loc, ObjectType::get(call.getContext()), tuple, builder.getI64IntegerAttr(i));
    map.map(next.getValue(), element);
    // This element's copy of the loop: back edges go to the next element's header.
    IRMapping bodyMap;
    bodyMap.map(header, headers[i + 1]);
    SmallVector<Block *> copies;
    for (Block *b : loop) {
      Block *copy = new Block();
      region->getBlocks().insert(Region::iterator(headers[i + 1]), copy);
      for (BlockArgument a : b->getArguments())
        bodyMap.map(a, copy->addArgument(a.getType(), a.getLoc()));
      bodyMap.map(b, copy);
      copies.push_back(copy);
    }
    for (auto [b, copy] : llvm::zip(loop, copies)) {
      builder.setInsertionPointToEnd(copy);
      for (Operation &op : *b)
        builder.clone(op, bodyMap);
    }
    builder.setInsertionPointToEnd(headers[i]);
    cf::BranchOp::create(builder, loc, bodyMap.lookup(body),
                         llvm::map_to_vector(test.getTrueDestOperands(), [&](Value v) { return map.lookupOrDefault(v); }));
  }
  enter.setDest(headers[0]);
  // The iterator is not needed: None stands for it (nothing at run time).
  builder.setInsertionPoint(iter);
  Value none = NoneOp::create(builder, loc, NoneType::get(call.getContext()));
  iter.getResult().replaceAllUsesWith(none);
  iter.erase();
  if (call->use_empty())
    call.erase();
  for (Block *b : loop)
    b->dropAllDefinedValueUses();
  header->dropAllDefinedValueUses();
  for (Block *b : loop)
    b->erase();
  header->erase();
  return true;
}

} // namespace

namespace mlir::py {

void unrollLiteralLoops(func::FuncOp func) {
  SmallVector<std::pair<GetIterOp, CallBuiltinOp>> loops;
  func.walk([&](GetIterOp iter) {
    auto call = iter.getIterable().getDefiningOp<CallBuiltinOp>();
    if (call && call.getCallee() == "literal_unroll" && call.getArgs().size() == 1)
      loops.push_back({iter, call});
  });
  for (auto [iter, call] : loops) {
    llvm::SmallPtrSet<Value, 8> seen;
    if (std::optional<int64_t> n = tupleArity(call.getArgs()[0], seen))
      unroll(iter, call, *n);
  }
}

} // namespace mlir::py
