// Non-temporal stores for loops that stream an array out. A loop that writes an array from
// start to end without reading it still reads every line of it into the cache before
// overwriting it: a third stream of memory traffic beside its reads and writes (the 2-D
// stencil ran at 63-76% of copy bandwidth for it). Non-temporal stores write whole lines
// without reading them, but x86 has them only for aligned vectors, and LLVM's vectorizer
// neither aligns a loop nor emits them. Two LLVM IR passes do it, around the vectorizer:
// - numlir-stream-stores (before it): such an innermost loop gets a second copy, taken at
//   run time when the loop nest writes enough bytes (half the last-level cache unless
//   NUMLIR_STREAM_MIN_BYTES says otherwise: smaller arrays stay in the cache for what reads
//   them next; enclosing loops that write the same lines again do not count). First a few
//   scalar iterations run until the stored address is 64-byte aligned, then the copy,
//   whose store address is rewritten as that aligned start plus its iteration count, with
//   an assume saying it is aligned; the copy is marked `numlir.stream`, and both run in a
//   function of their own. A function with such a copy fences its stores (sfence) before
//   it returns: non-temporal stores are not ordered with other stores.
// - numlir-mark-stream-stores (at the end): vector stores in marked loops whose alignment
//   LLVM derived from the assume (AlignmentFromAssumptions) become non-temporal (only
//   proven alignment counts: an unaligned non-temporal vector store faults), and the
//   loops' vector loads get a prefetch ahead.
#include "numlir/Target/LLVMIR/StreamStores.h"

#include "llvm/Analysis/AssumptionCache.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/ScalarEvolutionExpressions.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/IntrinsicsX86.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/Transforms/Utils/CodeExtractor.h"
#include "llvm/Transforms/Utils/LoopSimplify.h"
#include "llvm/Transforms/Utils/LoopUtils.h"
#include "llvm/Transforms/Utils/ScalarEvolutionExpander.h"

#include <algorithm>
#include <optional>

using namespace llvm;

namespace {
/// x86's cache line, and the widest vector (AVX-512) a non-temporal store writes.
constexpr uint64_t kLineBytes = 64;
/// Rows shorter than this keep plain stores: aligning them costs more than it saves.
constexpr uint64_t kMinRowBytes = 1024;
/// How far ahead a streaming loop prefetches what it reads.
constexpr int64_t kPrefetchBytes = 2048;
/// Functions with more streaming candidates than this keep them all plain: LLVM made them
/// from one loop (`a * b + c` over arrays that may broadcast: one copy of the loop per
/// combination of unit and zero strides, unswitched), and a streaming copy of each doubled
/// the function's compile time.
constexpr size_t kMaxStreamedLoops = 4;
/// The loop properties that mark a streaming copy of a loop and the copy that aligns it.
constexpr StringLiteral kStreamMark = "numlir.stream";
constexpr StringLiteral kAlignMark = "numlir.stream.align";

/// What makes a loop a streaming one: its one store, walking memory element by element,
/// and the backedge-taken counts of it and of the enclosing loops that move where it stores.
struct StreamPlan {
  StoreInst *store;
  const SCEVAddRecExpr *address; // {start,+,elementBytes} over the loop
  uint64_t elementBytes;
  SmallVector<const SCEV *> backedgeCounts; // the loop's own first
};

/// A call, or a math intrinsic that becomes a libm call: such loops are bound by the math
/// (and vectorize at best with the calls scalarized), so streaming stores would only add
/// code to compile.
bool callsLibm(Instruction &inst) {
  auto *call = dyn_cast<CallBase>(&inst);
  if (!call)
    return false;
  auto *intrinsic = dyn_cast<IntrinsicInst>(call);
  if (!intrinsic)
    return true;
  switch (intrinsic->getIntrinsicID()) {
  case Intrinsic::exp: case Intrinsic::exp2: case Intrinsic::exp10: case Intrinsic::log:
  case Intrinsic::log2: case Intrinsic::log10: case Intrinsic::pow: case Intrinsic::powi:
  case Intrinsic::sin: case Intrinsic::cos: case Intrinsic::tan: case Intrinsic::asin:
  case Intrinsic::acos: case Intrinsic::atan: case Intrinsic::atan2: case Intrinsic::sinh:
  case Intrinsic::cosh: case Intrinsic::tanh:
    return true;
  default:
    return false;
  }
}

/// The plan for `loop` if it streams an array out: an innermost one-block loop (the kind
/// LLVM vectorizes) whose only memory write is one store of a float or a 4- or 8-byte int
/// at consecutive addresses, that reads nothing through the same base pointer (a loop that
/// reads what it writes, `y[i] += x[i]`, has the lines in the cache anyway), calls no libm
/// function, carries nothing but induction variables and has a trip count known on entry.
std::optional<StreamPlan> planStream(Loop &loop, ScalarEvolution &se, const DataLayout &layout) {
  BasicBlock *body = loop.getHeader();
  if (findOptionMDForLoop(&loop, kStreamMark) || findOptionMDForLoop(&loop, kAlignMark) ||
      loop.getNumBlocks() != 1 || !loop.getLoopPreheader() || !loop.getExitBlock() ||
      loop.getExitingBlock() != body)
    return std::nullopt;
  StoreInst *store = nullptr;
  SmallVector<LoadInst *> loads;
  for (Instruction &inst : *body) {
    if (auto *s = dyn_cast<StoreInst>(&inst)) {
      if (store || !s->isSimple())
        return std::nullopt;
      store = s;
    } else if (auto *load = dyn_cast<LoadInst>(&inst)) {
      loads.push_back(load);
    } else if (callsLibm(inst) || inst.mayWriteToMemory() || inst.mayThrow()) {
      return std::nullopt;
    }
  }
  if (!store)
    return std::nullopt;
  // Only induction variables around the loop: a value carried from one iteration to the
  // next (`s += a[i]; out[i] = s`) keeps the vectorizer away, and with it the streaming.
  for (PHINode &phi : body->phis()) {
    auto *induction = dyn_cast<SCEVAddRecExpr>(se.getSCEV(&phi));
    if (!induction || induction->getLoop() != &loop)
      return std::nullopt;
  }
  Type *type = store->getValueOperand()->getType();
  if (!type->isFloatTy() && !type->isDoubleTy() && !type->isIntegerTy(32) && !type->isIntegerTy(64))
    return std::nullopt;
  uint64_t elementBytes = layout.getTypeStoreSize(type);
  auto *address = dyn_cast<SCEVAddRecExpr>(se.getSCEV(store->getPointerOperand()));
  if (!address || address->getLoop() != &loop || !address->isAffine())
    return std::nullopt;
  auto *step = dyn_cast<SCEVConstant>(address->getStepRecurrence(se));
  if (!step || step->getAPInt() != elementBytes)
    return std::nullopt;
  const SCEV *base = se.getPointerBase(address);
  for (LoadInst *load : loads)
    if (se.getPointerBase(se.getSCEV(load->getPointerOperand())) == base)
      return std::nullopt;

  Instruction *entry = loop.getLoopPreheader()->getTerminator();
  SCEVExpander expander(se, "stream");
  const SCEV *count = se.getBackedgeTakenCount(&loop);
  if (isa<SCEVCouldNotCompute>(count) || !expander.isSafeToExpandAt(count, entry) ||
      !expander.isSafeToExpandAt(address->getStart(), entry))
    return std::nullopt;
  // The bytes the nest writes are what the loop writes times the trip counts of the
  // enclosing loops that move its start (rows of a 2-D array); a loop that does not (time
  // steps over the same array) writes the same lines again, which may stay in the cache.
  StreamPlan plan{store, address, elementBytes, {count}};
  const SCEV *start = address->getStart(); // where the loop starts, as the outer loops run
  for (Loop *outer = loop.getParentLoop(); outer; outer = outer->getParentLoop()) {
    if (auto *moving = dyn_cast<SCEVAddRecExpr>(start); moving && moving->getLoop() == outer)
      start = moving->getStart();
    else if (se.isLoopInvariant(start, outer))
      continue;
    const SCEV *outerCount = se.getBackedgeTakenCount(outer);
    if (isa<SCEVCouldNotCompute>(outerCount) || !expander.isSafeToExpandAt(outerCount, entry))
      break;
    plan.backedgeCounts.push_back(outerCount);
  }
  return plan;
}

/// A new distinct loop ID with `loopId`'s properties (if any) and `extra`.
MDNode *loopIdWith(LLVMContext &ctx, MDNode *loopId, ArrayRef<Metadata *> extra) {
  SmallVector<Metadata *> operands{nullptr};
  if (loopId)
    operands.append(loopId->op_begin() + 1, loopId->op_end());
  operands.append(extra.begin(), extra.end());
  MDNode *id = MDNode::getDistinct(ctx, operands);
  id->replaceOperandWith(0, id);
  return id;
}

/// Whether to take the streaming copy: the first stored address is a whole number of
/// elements from a 64-byte boundary, the row is long enough, and the nest writes at least
/// `minBytes` (`counts` are the backedge-taken counts of the plan).
Value *streamAtRunTime(IRBuilder<> &b, const StreamPlan &plan, Value *startInt, ArrayRef<Value *> counts,
                       uint64_t minBytes) {
  Value *elementAligned = b.CreateICmpEQ(b.CreateAnd(startInt, plan.elementBytes - 1), b.getInt64(0));
  Value *longRow = b.CreateICmpUGE(b.CreateZExtOrTrunc(counts[0], b.getInt64Ty()),
                                   b.getInt64(kMinRowBytes / plan.elementBytes));
  // In floating point: a product of counts may overflow an int.
  Type *f64 = b.getDoubleTy();
  Value *nestBytes = ConstantFP::get(f64, double(plan.elementBytes));
  for (Value *count : counts)
    nestBytes = b.CreateFMul(nestBytes, b.CreateFAdd(b.CreateUIToFP(count, f64), ConstantFP::get(f64, 1.0)));
  Value *large = b.CreateFCmpOGE(nestBytes, ConstantFP::get(f64, double(minBytes)));
  return b.CreateAnd(b.CreateAnd(elementAligned, longRow), large, "stream");
}

/// Gives `loop` (which `plan` describes) its aligned streaming copy, as the file header
/// says. The code in front of the loop picks the copy when the element-aligned store
/// address and sizes allow it; the loop itself stays for the rest.
void addStreamingCopy(Function &function, Loop &loop, const StreamPlan &plan, uint64_t minBytes,
                      ScalarEvolution &se, DominatorTree &dominance, LoopInfo &loops) {
  LLVMContext &ctx = function.getContext();
  const DataLayout &layout = function.getDataLayout();
  BasicBlock *body = loop.getHeader();
  BasicBlock *exit = loop.getExitBlock();
  BasicBlock *choice = loop.getLoopPreheader();
  // An empty preheader for the loop, so that the choice can branch around it.
  BasicBlock *preheader = SplitBlock(choice, choice->getTerminator(), &dominance, &loops, nullptr, "plain");

  Instruction *choiceEnd = choice->getTerminator();
  SCEVExpander expander(se, "stream");
  Value *start = expander.expandCodeFor(plan.address->getStart(), PointerType::get(ctx, 0), choiceEnd);
  SmallVector<Value *> counts;
  for (const SCEV *count : plan.backedgeCounts)
    counts.push_back(expander.expandCodeFor(count, nullptr, choiceEnd));

  IRBuilder<> b(choiceEnd);
  Type *i64 = b.getInt64Ty();
  Value *startInt = b.CreatePtrToInt(start, i64);
  Value *bytesToLine = b.CreateAnd(b.CreateNeg(startInt), kLineBytes - 1);
  Value *peelCount = b.CreateLShr(bytesToLine, Log2_64(plan.elementBytes));
  Value *stream = streamAtRunTime(b, plan, startInt, counts, minBytes);

  ValueToValueMapTy streamMap, peelMap;
  SmallVector<BasicBlock *> streamBlocks, peelBlocks;
  cloneLoopWithPreheader(preheader, choice, &loop, streamMap, ".stream", &loops, &dominance, streamBlocks);
  remapInstructionsInBlocks(streamBlocks, streamMap);
  cloneLoopWithPreheader(preheader, choice, &loop, peelMap, ".align", &loops, &dominance, peelBlocks);
  remapInstructionsInBlocks(peelBlocks, peelMap);
  auto *streamPreheader = cast<BasicBlock>(streamMap[preheader]);
  auto *streamBody = cast<BasicBlock>(streamMap[body]);
  auto *peelPreheader = cast<BasicBlock>(peelMap[preheader]);
  auto *peelBody = cast<BasicBlock>(peelMap[body]);
  auto mapped = [](ValueToValueMapTy &map, Value *value) {
    Value *copy = map.lookup(value);
    return copy ? copy : value;
  };

  // choice: stream ? (peelCount == 0 ? streamPreheader : peelPreheader) : preheader.
  auto *peelChoice = BasicBlock::Create(ctx, "stream.align.check", &function, peelPreheader);
  IRBuilder<>(peelChoice).CreateCondBr(b.CreateICmpEQ(peelCount, b.getInt64(0)), streamPreheader, peelPreheader);
  b.CreateCondBr(stream, peelChoice, preheader);
  choiceEnd->eraseFromParent();

  // The peeled copy runs peelCount iterations (fewer than the loop's: its row is long),
  // then goes on in the streaming copy.
  PHINode *peeled = PHINode::Create(i64, 2, "peeled", peelBody->begin());
  peeled->addIncoming(b.getInt64(0), peelPreheader);
  Instruction *peelEnd = peelBody->getTerminator();
  IRBuilder<> p(peelEnd);
  Value *nextPeeled = p.CreateAdd(peeled, p.getInt64(1));
  peeled->addIncoming(nextPeeled, peelBody);
  BranchInst *peelBranch = p.CreateCondBr(p.CreateICmpEQ(nextPeeled, peelCount), streamPreheader, peelBody);
  peelEnd->eraseFromParent();
  MDNode *noVectors = MDNode::get(ctx, {MDString::get(ctx, "llvm.loop.vectorize.enable"),
                                        ConstantAsMetadata::get(ConstantInt::getFalse(ctx))});
  MDNode *noUnroll = MDNode::get(ctx, MDString::get(ctx, "llvm.loop.unroll.disable"));
  MDNode *alignMark = MDNode::get(ctx, MDString::get(ctx, kAlignMark));
  peelBranch->setMetadata(LLVMContext::MD_loop, loopIdWith(ctx, nullptr, {noVectors, noUnroll, alignMark}));

  // The streaming copy starts from the loop's starting values, or from where the peeled
  // copy stopped.
  for (PHINode &phi : body->phis()) {
    PHINode *resume = PHINode::Create(phi.getType(), 2, phi.getName() + ".resume", streamPreheader->begin());
    resume->addIncoming(phi.getIncomingValueForBlock(preheader), peelChoice);
    resume->addIncoming(mapped(peelMap, phi.getIncomingValueForBlock(body)), peelBody);
    cast<PHINode>(streamMap[&phi])->setIncomingValueForBlock(streamPreheader, resume);
  }
  // Its store address: the aligned start plus its own iteration count, which SCEV (and so
  // AlignmentFromAssumptions) sees as aligned from the start on.
  auto *alignedStart = GetElementPtrInst::Create(b.getInt8Ty(), start, {bytesToLine}, "aligned.start",
                                                 streamPreheader->getFirstInsertionPt());
  PHINode *iteration = PHINode::Create(i64, 2, "streamed", streamBody->begin());
  iteration->addIncoming(b.getInt64(0), streamPreheader);
  IRBuilder<> t(streamBody->getTerminator());
  iteration->addIncoming(t.CreateAdd(iteration, t.getInt64(1)), streamBody);
  auto *streamStore = cast<StoreInst>(streamMap[plan.store]);
  t.SetInsertPoint(streamStore);
  streamStore->setOperand(1, t.CreateGEP(plan.store->getValueOperand()->getType(), alignedStart, iteration));
  // One vector per iteration (no interleaving, and so no vectorized epilogue either): 5%
  // slower than two on the stencil, but a tenth less compile time.
  MDNode *mark = MDNode::get(ctx, MDString::get(ctx, kStreamMark));
  MDNode *oneVector = MDNode::get(ctx, {MDString::get(ctx, "llvm.loop.interleave.count"),
                                        ConstantAsMetadata::get(ConstantInt::get(Type::getInt32Ty(ctx), 1))});
  streamBody->getTerminator()->setMetadata(LLVMContext::MD_loop,
                                           loopIdWith(ctx, loop.getLoopID(), {mark, oneVector}));

  // Both copies leave through the loop's exit, which takes their values.
  for (PHINode &phi : exit->phis())
    phi.addIncoming(mapped(streamMap, phi.getIncomingValueForBlock(body)), streamBody);

  // Both copies into a function of their own: inside an enclosing loop, they made LLVM's
  // loop strength reduction of that loop (over the uses of its variables in every inner
  // loop) twice as slow, half of the 2-D stencil's compile. A call per row costs nothing
  // beside a row of at least kMinRowBytes.
  DominatorTree newDominance(function);
  CodeExtractorAnalysisCache cache(function);
  CodeExtractor extractor({peelChoice, peelPreheader, peelBody, streamPreheader, streamBody}, &newDominance,
                          /*AggregateArgs=*/false, nullptr, nullptr, nullptr, /*AllowVarArgs=*/false,
                          /*AllowAlloca=*/false, nullptr, "stream");
  if (Function *outlined = extractor.extractCodeRegion(cache))
    outlined->addFnAttr(Attribute::NoInline);
  // (After the extraction, which drops assumes; the blocks themselves move.)
  IRBuilder<>(alignedStart->getNextNode()).CreateAlignmentAssumption(layout, alignedStart, kLineBytes);
}

/// An sfence before every return of `function`: stores after a non-temporal one may become
/// visible to other threads before it, unless fenced.
void fenceReturns(Function &function) {
  Function *sfence = Intrinsic::getOrInsertDeclaration(function.getParent(), Intrinsic::x86_sse_sfence);
  for (BasicBlock &block : function)
    if (auto *ret = dyn_cast<ReturnInst>(block.getTerminator()))
      CallInst::Create(sfence, {}, "", ret->getIterator());
}

struct StreamStoresPass : PassInfoMixin<StreamStoresPass> {
  uint64_t minBytes;
  PreservedAnalyses run(Function &function, FunctionAnalysisManager &analyses) {
    auto &libraryInfo = analyses.getResult<TargetLibraryAnalysis>(function);
    auto &assumptions = analyses.getResult<AssumptionAnalysis>(function);
    bool changed = false;
    // The loops to stream, each with a preheader and an exit of its own (as LLVM's
    // vectorizer makes them next anyway).
    SmallVector<BasicBlock *> headers;
    {
      DominatorTree dominance(function);
      LoopInfo loops(dominance);
      ScalarEvolution se(function, libraryInfo, assumptions, dominance, loops);
      for (Loop *loop : loops.getLoopsInPreorder()) {
        if (!loop->isInnermost())
          continue;
        changed |= simplifyLoop(loop, &dominance, &loops, &se, &assumptions, nullptr, /*PreserveLCSSA=*/false);
        if (planStream(*loop, se, function.getDataLayout()))
          headers.push_back(loop->getHeader());
      }
    }
    if (headers.empty() || headers.size() > kMaxStreamedLoops)
      return changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
    // Each copy rewires the CFG, so each loop gets analyses of its own.
    for (BasicBlock *header : headers) {
      DominatorTree dominance(function);
      LoopInfo loops(dominance);
      ScalarEvolution se(function, libraryInfo, assumptions, dominance, loops);
      Loop *loop = loops.getLoopFor(header);
      if (auto plan = planStream(*loop, se, function.getDataLayout())) {
        // Values of the loop used after it must pass through its exit's phis, which the
        // copies then feed too.
        formLCSSA(*loop, dominance, &loops, &se);
        addStreamingCopy(function, *loop, *plan, minBytes, se, dominance, loops);
      }
    }
    fenceReturns(function);
    return PreservedAnalyses::none();
  }
};

struct MarkStreamStoresPass : PassInfoMixin<MarkStreamStoresPass> {
  PreservedAnalyses run(Function &function, FunctionAnalysisManager &analyses) {
    LLVMContext &ctx = function.getContext();
    const DataLayout &layout = function.getDataLayout();
    MDNode *nontemporal = MDNode::get(ctx, ConstantAsMetadata::get(ConstantInt::get(Type::getInt32Ty(ctx), 1)));
    bool changed = false;
    for (Loop *loop : analyses.getResult<LoopAnalysis>(function).getLoopsInPreorder()) {
      if (!findOptionMDForLoop(loop, kStreamMark))
        continue;
      SmallVector<LoadInst *> vectorLoads;
      bool streams = false;
      for (BasicBlock *block : loop->blocks())
        for (Instruction &inst : *block) {
          if (auto *load = dyn_cast<LoadInst>(&inst); load && isa<FixedVectorType>(load->getType()))
            vectorLoads.push_back(load);
          auto *store = dyn_cast<StoreInst>(&inst);
          if (!store || !store->isSimple() || !isa<FixedVectorType>(store->getValueOperand()->getType()))
            continue;
          uint64_t bytes = layout.getTypeStoreSize(store->getValueOperand()->getType());
          if (bytes >= 16 && isPowerOf2_64(bytes) && store->getAlign().value() >= std::min(bytes, kLineBytes)) {
            store->setMetadata(LLVMContext::MD_nontemporal, nontemporal);
            streams = true;
          }
        }
      if (!streams)
        continue;
      changed = true;
      // The loop's reads, prefetched ahead: without it the hardware prefetcher left the
      // stencil's new row of input 15% slower (in C, prefetching 256 bytes ahead gained a
      // third as much as 2 KiB). A prefetch never faults, even past an array's end.
      for (LoadInst *load : vectorLoads) {
        IRBuilder<> b(load);
        b.CreateIntrinsic(Intrinsic::prefetch, {b.getPtrTy()},
                          {b.CreateGEP(b.getInt8Ty(), load->getPointerOperand(), b.getInt64(kPrefetchBytes)),
                           b.getInt32(0), b.getInt32(3), b.getInt32(1)});
      }
    }
    return changed ? PreservedAnalyses::allInSet<CFGAnalyses>() : PreservedAnalyses::all();
  }
};
} // namespace

void numlir::addStreamStorePasses(PassBuilder &passBuilder, const TargetMachine &machine, uint64_t minBytes) {
  if (!machine.getTargetTriple().isX86())
    return;
  passBuilder.registerVectorizerStartEPCallback(
      [minBytes](FunctionPassManager &passes, OptimizationLevel) { passes.addPass(StreamStoresPass{{}, minBytes}); });
  passBuilder.registerOptimizerLastEPCallback([](ModulePassManager &passes, OptimizationLevel, ThinOrFullLTOPhase) {
    passes.addPass(createModuleToFunctionPassAdaptor(MarkStreamStoresPass()));
  });
}
