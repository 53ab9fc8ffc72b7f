// py-parallel-loops: with parallel=True (`py.parallel` on the module), each loop over
// numlir.prange (a `py.range` marked `prange`) becomes a `py.parallel_for`. Its body is
// outlined into a function of the index and the values it reads from outside; variables the
// loop carries from one iteration to the next must be reductions (`s += x`, `s -= x`,
// `s *= x`, `s = min(s, x)`, `s = max(s, x)`): inside the body function the variable is the
// reduction's identity, so the body returns the iteration's contribution, and py-to-std
// combines them race-free (scf.parallel with scf.reduce, then OpenMP). Values the loop only
// passes on (arrays it writes, constants) are read-only captures.
//
// A nested prange runs in order inside the outer one's body (its mark is dropped), as in
// numba. A loop that breaks out or returns, reads a reduction variable, or assigns a
// variable that is not a reduction and is live after the loop is an UnsupportedError.
#include "numlir/Dialect/Py/IR/PyDialect.h"
#include "numlir/Dialect/Py/IR/PyTypeRules.h"
#include "numlir/Dialect/Py/Transforms/Passes.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::py {
#define GEN_PASS_DEF_PARALLELLOOPS
#include "numlir/Dialect/Py/Transforms/Passes.h.inc"
} // namespace mlir::py

using namespace mlir;
using namespace mlir::py;

namespace {
/// How a variable the loop carries changes per iteration.
enum class Carried { Invariant, Add, Mul, Min, Max, Last };

StringRef kindName(Carried c) {
  switch (c) {
  case Carried::Add: return "add";
  case Carried::Mul: return "mul";
  case Carried::Min: return "min";
  case Carried::Last: return "last";
  default: return "max";
  }
}

/// The reduction `next` makes of `arg` (`arg + x`, `arg - x`, `arg * x`, `min(arg, x)`,
/// `max(arg, x)`), or none.
std::optional<Carried> reductionOf(Value next, Value arg) {
  if (auto bin = next.getDefiningOp<BinOp>()) {
    StringRef kind = bin.getKind();
    if (bin.getLhs() == arg && bin.getRhs() != arg) {
      if (kind == "add" || kind == "sub")
        return Carried::Add;
      if (kind == "mul")
        return Carried::Mul;
    }
    if (bin.getRhs() == arg && bin.getLhs() != arg && (kind == "add" || kind == "mul"))
      return kind == "add" ? Carried::Add : Carried::Mul;
  }
  if (auto call = next.getDefiningOp<CallBuiltinOp>(); call && call.getArgs().size() == 2 && !call.getKwnames() &&
                                                      (call.getCallee() == "min" || call.getCallee() == "max") &&
                                                      llvm::count(call.getArgs(), arg) == 1)
    return call.getCallee() == "min" ? Carried::Min : Carried::Max;
  return std::nullopt;
}

struct Outliner {
  ModuleOp module;
  func::FuncOp fn;
  RangeOp range;
  unsigned &counter;
  Block *header = nullptr, *exitBlock = nullptr; // the loop's header and the block after it

  InFlightDiagnostic unsupported(Operation *at, const Twine &what) {
    return at->emitError("UnsupportedError: ") << what;
  }

  /// The first op that reads variable `j`'s value from before the iteration (the header's
  /// argument, through the blocks that pass it on), other than passing it on; none when
  /// iterations only assign it.
  Operation *readerOfPrevious(unsigned j, DenseMap<unsigned, Value> &inBody) {
    llvm::SetVector<Value> previous;
    previous.insert(header->getArgument(j));
    if (inBody.count(j))
      previous.insert(inBody[j]);
    for (unsigned k = 0; k < previous.size(); ++k)
      for (OpOperand &use : previous[k].getUses()) {
        Operation *user = use.getOwner();
        auto br = llvm::dyn_cast<BranchOpInterface>(user);
        if (!br)
          return user;
        for (unsigned s = 0; s < user->getNumSuccessors(); ++s) {
          Block *dest = user->getSuccessor(s);
          for (auto [m, operand] : llvm::enumerate(br.getSuccessorOperands(s).getForwardedOperands()))
            if (operand == previous[k] && dest != header && dest != exitBlock)
              previous.insert(dest->getArgument(m));
        }
      }
    return nullptr;
  }

  /// Warns about array writes whose array and index do not depend on the loop's index:
  /// every iteration writes the same element (`out[0] = x`), a race numba is silent about.
  void warnAboutSharedWrites(func::FuncOp body) {
    llvm::SetVector<Value> varying; // values that depend on the index
    varying.insert(body.getArgument(0));
    for (bool changed = true; changed;) {
      changed = false;
      body.walk([&](Operation *op) {
        if (llvm::any_of(op->getOperands(), [&](Value v) { return varying.contains(v); })) {
          for (Value result : op->getResults())
            changed |= varying.insert(result);
          if (auto br = llvm::dyn_cast<BranchOpInterface>(op))
            for (unsigned s = 0; s < op->getNumSuccessors(); ++s)
              for (auto [m, operand] : llvm::enumerate(br.getSuccessorOperands(s).getForwardedOperands()))
                if (varying.contains(operand))
                  changed |= varying.insert(op->getSuccessor(s)->getArgument(m));
        }
      });
    }
    body.walk([&](SetItemOp set) {
      if (!isArray(set.getBase().getType()) || varying.contains(set.getBase()) || varying.contains(set.getIndex()))
        return;
      set->emitWarning("every iteration of this prange loop writes this same array element (its index does not "
                       "depend on the loop's index): the iterations race, and which write stays is unspecified");
    });
  }

  LogicalResult run() {
    // The loop's shape as the frontend makes it: iter() of the range passed to a header
    // whose only ops are py.iter_next and a branch into the body or past the loop.
    auto iter = range->hasOneUse() ? llvm::dyn_cast<GetIterOp>(*range->getUsers().begin()) : GetIterOp();
    auto entry = iter && iter->hasOneUse() ? llvm::dyn_cast<cf::BranchOp>(*iter->getUsers().begin()) : cf::BranchOp();
    if (!entry)
      return unsupported(range, "this prange loop has a shape py-parallel-loops does not know (write `for i in prange(n):`)");
    header = entry.getDest();
    unsigned iterArg = llvm::find(entry.getDestOperands(), iter.getResult()) - entry.getDestOperands().begin();
    auto next = llvm::dyn_cast<IterNextOp>(&header->front());
    auto branch = next ? llvm::dyn_cast<cf::CondBranchOp>(next->getNextNode()) : cf::CondBranchOp();
    if (!branch || branch.getCondition() != next.getValid() || next.getIterator() != header->getArgument(iterArg))
      return unsupported(range, "this prange loop has a shape py-parallel-loops does not know (write `for i in prange(n):`)");
    Block *body = branch.getTrueDest(), *exit = branch.getFalseDest();
    exitBlock = exit;

    // The body's blocks: reachable from its entry without passing the header.
    llvm::SetVector<Block *> blocks;
    SmallVector<cf::BranchOp> backEdges;
    blocks.insert(body);
    for (unsigned k = 0; k < blocks.size(); ++k) {
      Operation *terminator = blocks[k]->getTerminator();
      if (llvm::isa<func::ReturnOp>(terminator))
        return unsupported(terminator, "a prange loop cannot return from the function");
      // A conditional jump back (an inner loop's exit that is also the end of the body)
      // goes through a block of its own: every back edge is then a plain jump.
      if (auto cbr = llvm::dyn_cast<cf::CondBranchOp>(terminator);
          cbr && (cbr.getTrueDest() == header || cbr.getFalseDest() == header)) {
        OpBuilder eb(cbr);
        auto edgeTo = [&](Block *dest, ValueRange operands) -> std::pair<Block *, SmallVector<Value>> {
          if (dest != header)
            return {dest, SmallVector<Value>(operands)};
          OpBuilder::InsertionGuard guard(eb);
          Block *edge = eb.createBlock(header->getParent(), std::next(blocks[k]->getIterator()));
          cf::BranchOp::create(eb, cbr.getLoc(), header, operands);
          return {edge, {}};
        };
        auto [trueDest, trueOperands] = edgeTo(cbr.getTrueDest(), cbr.getTrueDestOperands());
        auto [falseDest, falseOperands] = edgeTo(cbr.getFalseDest(), cbr.getFalseDestOperands());
        eb.setInsertionPoint(cbr);
        auto replaced = cf::CondBranchOp::create(eb, cbr.getLoc(), cbr.getCondition(), trueDest, trueOperands, falseDest, falseOperands);
        cbr.erase();
        terminator = replaced;
      }
      for (Block *succ : terminator->getSuccessors()) {
        if (succ == header) {
          auto br = llvm::dyn_cast<cf::BranchOp>(terminator);
          if (!br)
            return unsupported(terminator, "a prange loop's body must end in a plain jump back");
          backEdges.push_back(br);
        } else if (succ == exit || succ == entry->getBlock()) {
          return unsupported(terminator, "a prange loop cannot break out of the loop");
        } else {
          blocks.insert(succ);
        }
      }
    }
    // Where each header argument reaches the body (its argument there, if passed).
    DenseMap<unsigned, Value> inBody; // header argument -> body argument
    Value index;
    for (auto [m, operand] : llvm::enumerate(branch.getTrueDestOperands())) {
      if (operand == next.getValue())
        index = body->getArgument(m);
      else if (auto arg = llvm::dyn_cast<BlockArgument>(operand); arg && arg.getOwner() == header)
        inBody[arg.getArgNumber()] = body->getArgument(m);
      else
        return unsupported(branch, "this prange loop has a shape py-parallel-loops does not know");
    }
    // Classify what the loop carries. For each variable, the values in the body that hold
    // it (`running`): the header's argument, the body arguments all of whose incoming
    // values hold it, and updates of one by a reduction (`s + x`, `min(s, x)`: chains and
    // updates in branches included). Every back edge must pass one of them on; a variable
    // never updated is invariant.
    auto incoming = [&](BlockArgument arg) {
      SmallVector<Value> values;
      for (Block *pred : arg.getOwner()->getPredecessors()) {
        auto br = llvm::dyn_cast<BranchOpInterface>(pred->getTerminator());
        if (!br)
          return SmallVector<Value>{Value()};
        for (unsigned s = 0; s < pred->getTerminator()->getNumSuccessors(); ++s)
          if (pred->getTerminator()->getSuccessor(s) == arg.getOwner())
            values.push_back(br.getSuccessorOperands(s)[arg.getArgNumber()]);
      }
      return values;
    };
    SmallVector<Carried> carried(header->getNumArguments(), Carried::Invariant);
    for (unsigned j = 0; j < header->getNumArguments(); ++j) {
      if (j == iterArg)
        continue;
      llvm::SetVector<Value> r; // the values holding variable j (`running`)
      // Optimistic start, then drop what cannot hold the variable until nothing changes
      // (the largest such set: values going round inner loops hold it too).
      r.insert(header->getArgument(j));
      if (inBody.count(j))
        r.insert(inBody[j]);
      for (Block *block : blocks) {
        if (block != body)
          for (BlockArgument arg : block->getArguments())
            r.insert(arg);
        for (Operation &op : *block)
          if (op.getNumResults() == 1 && llvm::any_of(op.getOperands(), [&](Value o) { return reductionOf(op.getResult(0), o).has_value(); }))
            r.insert(op.getResult(0));
      }
      auto holds = [&](Value v) {
        if (v == header->getArgument(j) || (inBody.count(j) && inBody[j] == v))
          return true;
        if (auto arg = llvm::dyn_cast<BlockArgument>(v)) {
          SmallVector<Value> in = incoming(arg);
          return !in.empty() && llvm::all_of(in, [&](Value x) { return x && r.contains(x); });
        }
        Operation *op = v.getDefiningOp();
        int inside = llvm::count_if(op->getOperands(), [&](Value o) { return r.contains(o); });
        return inside == 1 && llvm::any_of(op->getOperands(), [&](Value o) {
          return r.contains(o) && reductionOf(v, o).has_value();
        });
      };
      for (bool changed = true; changed;) {
        changed = false;
        for (Value v : SmallVector<Value>(r.begin(), r.end()))
          if (!holds(v)) {
            r.remove(v);
            changed = true;
          }
      }
      // Only the values that go on to a back edge update the variable; the others read it
      // (`n - 1` of an invariant `n` is no reduction of n).
      llvm::SetVector<Value> updates;
      updates.insert(header->getArgument(j));
      if (inBody.count(j))
        updates.insert(inBody[j]);
      SmallVector<Value> work;
      for (cf::BranchOp edge : backEdges)
        if (Value v = edge.getDestOperands()[j]; r.contains(v) && updates.insert(v))
          work.push_back(v);
      while (!work.empty()) {
        Value v = work.pop_back_val();
        SmallVector<Value> sources;
        if (auto arg = llvm::dyn_cast<BlockArgument>(v))
          sources = incoming(arg);
        else
          sources = SmallVector<Value>(v.getDefiningOp()->getOperands());
        for (Value source : sources)
          if (source && r.contains(source) && updates.insert(source))
            work.push_back(source);
      }
      r = std::move(updates);
      std::optional<Carried> kind;
      for (Value v : r)
        if (Operation *op = v.getDefiningOp())
          for (Value o : op->getOperands())
            if (r.contains(o)) {
              Carried k = *reductionOf(v, o);
              if (kind && *kind != k)
                return unsupported(op, "a prange reduction variable is updated by different reductions");
              kind = k;
            }
      auto notReduction = llvm::find_if(backEdges, [&](cf::BranchOp edge) { return !r.contains(edge.getDestOperands()[j]); });
      if (notReduction != backEdges.end()) {
        // Assigned, not reduced. Read in the body, it would be another iteration's value:
        // an error. Only written (and used after the loop), it races, as in numba, which
        // keeps whichever write came last; here the last iteration's value is kept (py-to-std
        // runs that iteration after the others), with a warning.
        if (Operation *reader = readerOfPrevious(j, inBody))
          return unsupported(reader, "a prange loop reads a variable that an iteration assigns and that is not a "
                                     "reduction (`s += x`, `s -= x`, `s *= x`, `s = min(s, x)`, `s = max(s, x)`): "
                                     "each iteration would see another's value");
        Value assigned = notReduction->getDestOperands()[j];
        Operation *at = assigned.getDefiningOp() ? assigned.getDefiningOp() : range.getOperation();
        at->emitWarning("a prange loop assigns a variable in its iterations that is used after the loop; they run "
                        "at once, so this keeps the value of the last iteration (for i = n - 1), as if that "
                        "iteration ran last (a race numba leaves unspecified)");
        kind = Carried::Last;
      }
      if (!kind)
        continue;
      carried[j] = *kind;
      if (!llvm::isa<FloatType, IntegerType>(header->getArgument(j).getType()))
        return unsupported(entry, *kind == Carried::Last ? "a variable a prange loop assigns and that is used after it must be of an int, float or bool type"
                                                         : "a prange reduction must be of an int or float type");
      if (*kind == Carried::Last)
        continue;
      // The running value goes only into its updates and on to the next iteration: read
      // anywhere else, it would be this iteration's part, not the running value.
      for (Value v : r)
        for (OpOperand &use : v.getUses()) {
          Operation *user = use.getOwner();
          if (user == branch || user == next || user == entry)
            continue;
          if (user->getNumResults() == 1 && r.contains(user->getResult(0)) && reductionOf(user->getResult(0), v))
            continue;
          if (auto br = llvm::dyn_cast<BranchOpInterface>(user)) {
            bool passedOn = true;
            for (unsigned s = 0; s < user->getNumSuccessors(); ++s) {
              Block *dest = user->getSuccessor(s);
              OperandRange operands = br.getSuccessorOperands(s).getForwardedOperands();
              for (auto [k, operand] : llvm::enumerate(operands))
                if (operand == v && !(dest == header ? k == j : r.contains(dest->getArgument(k))))
                  passedOn = false;
            }
            if (passedOn)
              continue;
          }
          return unsupported(user, "a prange loop reads its reduction variable other than to update it");
        }
    }
    // The iterator only goes round the loop.
    for (Value carrier : {Value(header->getArgument(iterArg)), inBody.count(iterArg) ? inBody[iterArg] : Value()})
      if (carrier)
        for (Operation *user : carrier.getUsers())
          if (user != next && !llvm::isa<BranchOpInterface>(user))
            return unsupported(user, "a prange loop's iterator is read in its body");

    // What the body reads from outside: captures (constants are copied in). A value
    // belongs to the block of the function's body that holds its definition.
    auto topBlock = [&](Value v) {
      Block *owner = llvm::isa<BlockArgument>(v) ? llvm::cast<BlockArgument>(v).getOwner() : v.getDefiningOp()->getBlock();
      while (owner && owner->getParent() != &fn.getBody())
        owner = owner->getParentOp()->getBlock();
      return owner;
    };
    llvm::SetVector<Value> captures;
    for (Block *block : blocks)
      block->walk([&](Operation *inner) {
        for (Value v : inner->getOperands()) {
          Block *owner = topBlock(v);
          if (!blocks.contains(owner) && owner != header && !v.getDefiningOp<ConstantOp>())
            captures.insert(v);
        }
      });
    // Invariant header arguments read in the body come in as their values before the loop.
    for (unsigned j = 0; j < header->getNumArguments(); ++j)
      if (j != iterArg && (carried[j] == Carried::Invariant || carried[j] == Carried::Last))
        captures.insert(entry.getDestOperands()[j]);

    // The body function: (index, captures...) -> tuple of contributions.
    MLIRContext *ctx = module.getContext();
    Location loc = range.getLoc();
    SmallVector<Type> inputs{next.getValue().getType()};
    for (Value v : captures)
      inputs.push_back(v.getType());
    SmallVector<unsigned> reductions;
    SmallVector<Type> contributionTypes;
    for (unsigned j = 0; j < header->getNumArguments(); ++j)
      if (j != iterArg && carried[j] != Carried::Invariant) {
        reductions.push_back(j);
        contributionTypes.push_back(header->getArgument(j).getType());
      }
    auto tupleType = TupleType::get(ctx, contributionTypes);
    OpBuilder mb = OpBuilder::atBlockEnd(module.getBody());
    std::string name = (fn.getSymName() + "__prange" + Twine(counter++)).str();
    auto outlined = func::FuncOp::create(mb, loc, name, FunctionType::get(ctx, inputs, {tupleType}));
    outlined.setPrivate();
    outlined->setAttr("py.prange_body", UnitAttr::get(ctx));
    Block *start = outlined.addEntryBlock();
    OpBuilder b = OpBuilder::atBlockEnd(start);
    IRMapping map;
    for (auto [k, v] : llvm::enumerate(captures))
      map.map(v, start->getArgument(k + 1));
    // Body arguments: the index, invariants' values, reductions' identities.
    if (index)
      map.map(index, start->getArgument(0));
    map.map(next.getValue(), start->getArgument(0));
    for (unsigned j = 0; j < header->getNumArguments(); ++j) {
      if (j == iterArg) {
        // The iterator only travels through the body's blocks to the back edges, which
        // become returns: an empty one of its type stands in for it.
        if (inBody.count(j)) {
          Value zero = ConstantOp::create(b, loc, next.getValue().getType(), IntegerAttr::get(next.getValue().getType(), 0));
          Value none = RangeOp::create(b, loc, range.getType(), zero, zero, ConstantOp::create(b, loc, next.getValue().getType(),
                                                                                            IntegerAttr::get(next.getValue().getType(), 1)));
          map.map(inBody[j], GetIterOp::create(b, loc, header->getArgument(j).getType(), none).getResult());
        }
        continue;
      }
      Value inside;
      if (carried[j] == Carried::Invariant || carried[j] == Carried::Last)
        inside = map.lookup(entry.getDestOperands()[j]);
      else {
        Type type = header->getArgument(j).getType();
        inside = ConstantOp::create(b, loc, type, reductionIdentity(type, kindName(carried[j]), type.isUnsignedInteger()));
      }
      map.map(header->getArgument(j), inside);
      if (inBody.count(j))
        map.map(inBody[j], inside);
    }
    // Constants the body reads from outside, copied in.
    for (Block *block : blocks)
      block->walk([&](Operation *inner) {
        for (Value v : inner->getOperands())
          if (auto c = v.getDefiningOp<ConstantOp>(); c && !map.contains(v) && !blocks.contains(c->getBlock()))
            map.map(v, b.clone(*c)->getResult(0));
      });
    // The body's blocks, its entry's ops continuing the function's entry block.
    for (Block *block : blocks)
      if (block != body)
        map.map(block, new Block());
    map.map(body, start);
    for (Block *block : blocks) {
      Block *copy = map.lookup(block);
      if (copy != start) {
        outlined.getBody().push_back(copy);
        for (BlockArgument arg : block->getArguments())
          map.map(arg, copy->addArgument(arg.getType(), arg.getLoc()));
      }
      b.setInsertionPointToEnd(copy);
      for (Operation &op : *block) {
        if (auto br = llvm::dyn_cast<cf::BranchOp>(op); br && br.getDest() == header) {
          // A back edge: the iteration's contributions are the function's result.
          SmallVector<Value> contributions;
          for (unsigned j : reductions)
            contributions.push_back(map.lookupOrDefault(br.getDestOperands()[j]));
          Value tuple = MakeTupleOp::create(b, br.getLoc(), tupleType, contributions, StringAttr(), ArrayAttr());
          func::ReturnOp::create(b, br.getLoc(), tuple);
          continue;
        }
        b.clone(op, map);
      }
    }
    // A prange nested in this one runs in order.
    outlined.walk([](RangeOp r) {
      if (r->hasAttr("prange"))
        r->emitRemark("this prange loop runs in order: it is inside another prange loop, which runs in parallel");
      r->removeAttr("prange");
    });
    warnAboutSharedWrites(outlined);

    // The loop itself: py.parallel_for, then on to the exit with the final values.
    b.setInsertionPoint(entry);
    SmallVector<Value> operands{range.getStart(), range.getStop(), range.getStep()};
    llvm::append_range(operands, captures);
    SmallVector<Attribute> kinds;
    for (unsigned j : reductions) {
      operands.push_back(entry.getDestOperands()[j]);
      kinds.push_back(StringAttr::get(ctx, kindName(carried[j])));
    }
    auto loop = ParallelForOp::create(b, loc, tupleType, FlatSymbolRefAttr::get(ctx, name), operands,
                                      b.getI64IntegerAttr(captures.size()), b.getArrayAttr(kinds));
    std::string reduced;
    for (Attribute kind : kinds)
      reduced += (reduced.empty() ? "" : ", ") + llvm::cast<StringAttr>(kind).getValue().str();
    range->emitRemark("this prange loop runs in parallel") << (reduced.empty() ? "" : " (what it carries: " + reduced + ")");
    // Each header argument after the loop: its value before it, or the reduction's result.
    SmallVector<Value> after(header->getNumArguments());
    for (unsigned j = 0; j < header->getNumArguments(); ++j) {
      if (j == iterArg)
        continue;
      if (carried[j] == Carried::Invariant) {
        after[j] = entry.getDestOperands()[j];
      } else {
        int64_t at = llvm::find(reductions, j) - reductions.begin();
        after[j] = TupleGetOp::create(b, loc, header->getArgument(j).getType(), loop.getResult(), b.getI64IntegerAttr(at));
      }
    }
    SmallVector<Value> exitValues;
    for (Value v : branch.getFalseDestOperands()) {
      auto arg = llvm::dyn_cast<BlockArgument>(v);
      if (!arg || arg.getOwner() != header || arg.getArgNumber() == iterArg)
        return unsupported(branch, "this prange loop has a shape py-parallel-loops does not know");
      exitValues.push_back(after[arg.getArgNumber()]);
    }
    cf::BranchOp::create(b, entry.getLoc(), exit, exitValues);
    entry.erase();
    // The loop's blocks are unreachable now; what after the loop read of the header's
    // arguments (they dominate the exit) reads their values after the loop.
    SmallVector<Block *> dead(blocks.begin(), blocks.end());
    dead.push_back(header);
    for (unsigned j = 0; j < header->getNumArguments(); ++j)
      if (after[j])
        header->getArgument(j).replaceUsesWithIf(after[j], [&](OpOperand &use) {
          return !llvm::is_contained(dead, use.getOwner()->getBlock());
        });
    for (Block *block : dead)
      for (Operation &op : *block)
        op.dropAllReferences();
    for (Block *block : dead) {
      block->dropAllUses();
      block->erase();
    }
    iter.erase();
    if (range->use_empty())
      range.erase();
    return success();
  }

};

struct ParallelLoopsPass : py::impl::ParallelLoopsBase<ParallelLoopsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    bool parallel = module->hasAttr("py.parallel");
    unsigned counter = 0;
    while (true) {
      // The first prange loop of a function that is no outlined body (outer loops first).
      RangeOp found;
      func::FuncOp owner;
      for (auto fn : module.getOps<func::FuncOp>()) {
        if (fn->hasAttr("py.prange_body"))
          continue;
        fn.walk([&](RangeOp r) {
          if (!found && r->hasAttr("prange")) {
            found = r;
            owner = fn;
          }
        });
        if (found)
          break;
      }
      if (!found)
        return;
      if (!parallel) {
        // Without parallel=True, prange is range.
        module.walk([](RangeOp r) { r->removeAttr("prange"); });
        return;
      }
      Outliner outliner{module, owner, found, counter};
      if (failed(outliner.run()))
        return signalPassFailure();
    }
  }
};
} // namespace
