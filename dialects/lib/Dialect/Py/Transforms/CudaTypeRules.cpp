// py-infer-types' rules for the builtins of CUDA kernels (python/numlir/cuda/intrinsics.py):
// thread indexing, shared and local arrays, barriers, warp intrinsics and atomics. Indices
// and counts are Python ints (int64), as everywhere in numlir; an atomic gives the old
// element, in the array's dtype.
#include "ArrayRules.h"

#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::py;

std::optional<SmallVector<int64_t>> mlir::py::constantShape(Value shape) {
  using rules::constantInt;
  if (auto n = constantInt(shape))
    return SmallVector<int64_t>{*n};
  auto tuple = shape.getDefiningOp<MakeTupleOp>();
  if (!tuple)
    return std::nullopt;
  SmallVector<int64_t> sizes;
  for (Value e : tuple.getElements()) {
    auto n = constantInt(e);
    if (!n)
      return std::nullopt;
    sizes.push_back(*n);
  }
  return sizes;
}

namespace mlir::py::rules {

FailureOr<Type> cudaCall(CallBuiltinOp op, StringRef name, const CallArgs &args) {
  MLIRContext *ctx = op.getContext();
  SmallVector<Type> types;
  for (Value v : args.positional)
    types.push_back(v.getType());
  // Keyword arguments as numba names them, moved to their place.
  auto argument = [&](size_t i, StringRef keyword) -> Value {
    if (i < args.positional.size())
      return args.positional[i];
    return args.keyword(keyword);
  };
  auto fail = [&]() -> FailureOr<Type> { return failure(); };
  auto need = [&](size_t lo, size_t hi) {
    size_t given = args.positional.size() + args.keywords.size();
    if (given < lo || given > hi) {
      auto d = typingError(op) << "cuda." << name << "() takes ";
      if (lo == hi)
        d << lo;
      else
        d << lo << " to " << hi;
      d << " argument" << (hi == 1 ? "" : "s") << " but " << given << " were given";
      return false;
    }
    return true;
  };
  auto intArgument = [&](Value v, StringRef what) {
    if (v && isIntLike(v.getType()))
      return true;
    typingError(op) << "cuda." << name << "()'s " << what << " is an int, not "
                    << (v ? pyTypeName(v.getType()) : std::string("missing"));
    return false;
  };
  Type i64 = rules::i64(ctx);
  // Thread indexing: threadIdx.x ... gridDim.z, laneid.
  if (name.starts_with("threadIdx.") || name.starts_with("blockIdx.") || name.starts_with("blockDim.") ||
      name.starts_with("gridDim.") || name == "laneid")
    return i64;
  if (name == "grid" || name == "gridsize") {
    if (!need(1, 1))
      return fail();
    auto n = constantInt(args.positional[0]);
    if (!n || *n < 1 || *n > 3) {
      typingError(op) << "cuda." << name << "() takes the number of dimensions, 1, 2 or 3, written as a constant";
      return fail();
    }
    if (*n == 1)
      return i64;
    return Type(TupleType::get(ctx, SmallVector<Type>(*n, i64)));
  }
  if (name == "syncthreads" || name == "threadfence" || name == "threadfence_block" || name == "threadfence_system") {
    if (!need(0, 0))
      return fail();
    return Type(NoneType::get(ctx));
  }
  if (name == "syncthreads_count" || name == "syncthreads_and" || name == "syncthreads_or") {
    if (!need(1, 1) || !isNumber(types[0])) {
      if (types.size() == 1)
        typingError(op) << "cuda." << name << "() takes a predicate (a number or bool), not " << pyTypeName(types[0]);
      return fail();
    }
    return i64;
  }
  if (name == "syncwarp") {
    if (!need(0, 1) || (!types.empty() && !intArgument(args.positional[0], "mask")))
      return fail();
    return Type(NoneType::get(ctx));
  }
  if (name == "activemask" || name == "lanemask_lt") {
    if (!need(0, 0))
      return fail();
    return i64;
  }
  if (name == "ballot_sync" || name == "all_sync" || name == "any_sync") {
    if (!need(2, 2) || !intArgument(args.positional[0], "mask"))
      return fail();
    if (!isNumber(types[1])) {
      typingError(op) << "cuda." << name << "() takes a predicate (a number or bool), not " << pyTypeName(types[1]);
      return fail();
    }
    return i64;
  }
  if (name.starts_with("shfl_")) {
    if (!need(3, 4) || !intArgument(args.positional[0], "mask") || !intArgument(argument(2, ""), name == "shfl_sync" ? "source lane" : "lane offset"))
      return fail();
    Type value = types[1];
    if (!isNumber(value)) {
      typingError(op) << "cuda." << name << "() shuffles an int, float or bool, not " << pyTypeName(value);
      return fail();
    }
    if (types.size() == 4 && !intArgument(args.positional[3], "width"))
      return fail();
    return value;
  }
  if (name == "shared.array" || name == "local.array") {
    if (!need(1, 2))
      return fail();
    Value shape = argument(0, "shape");
    auto sizes = shape ? constantShape(shape) : std::nullopt;
    if (!sizes || llvm::any_of(*sizes, [&](int64_t s) { return s < 0 || (s == 0 && name == "local.array"); })) {
      typingError(op) << "cuda." << name << "()'s shape is an int or a tuple of ints written as constants "
                      << "(a global or a literal)" << (name == "shared.array" ? "; 0 for dynamic shared memory" : "");
      return fail();
    }
    if (!op.getDtype()) {
      typingError(op) << "cuda." << name << "() takes a dtype: cuda." << name << "(shape, dtype=np.float32)";
      return fail();
    }
    Type e = dtypeFromName(ctx, *op.getDtype());
    if (!e || !(isNumber(e) || llvm::isa<ComplexType>(e))) {
      typingError(op) << "cuda." << name << "()'s dtype '" << *op.getDtype() << "' is not a number type";
      return fail();
    }
    return Type(arrayType(e, sizes->size(), Layout::C));
  }
  if (name == "const.array_like") {
    // The array's elements frozen into the kernel's module, as any global array is read.
    if (!need(1, 1))
      return fail();
    Value array = args.positional.empty() ? Value() : args.positional[0];
    if (!array || !array.getDefiningOp<ArrayConstantOp>()) {
      typingError(op) << "cuda.const.array_like() takes a global NumPy array, whose elements are compiled into the "
                         "kernel, not "
                      << (!array ? std::string("a keyword argument")
                          : isArray(array.getType()) ? std::string("an array the kernel computes or is given")
                                                     : pyTypeName(array.getType()));
      return fail();
    }
    return array.getType();
  }
  if (name.consume_front("atomic.")) {
    bool cas = name == "cas", compareAndSwap = name == "compare_and_swap";
    size_t count = cas ? 4 : 3;
    if (!need(count, count))
      return fail();
    auto array = llvm::dyn_cast<MemRefType>(types[0]);
    if (!array) {
      typingError(op) << "cuda.atomic." << name << "() updates an element of an array, not a " << pyTypeName(types[0]);
      return fail();
    }
    Type e = array.getElementType();
    bool integer = llvm::isa<IntegerType>(e) && !e.isInteger(1), floating = isFloat(e);
    bool bitwise = name == "and" || name == "or" || name == "xor" || name == "inc" || name == "dec";
    if (!(integer || (floating && !bitwise)) || (e.getIntOrFloatBitWidth() != 32 && e.getIntOrFloatBitWidth() != 64)) {
      typingError(op) << "cuda.atomic." << name << "() works on arrays of " << (bitwise ? "" : "float32, float64, ")
                      << "int32, int64, uint32 and uint64, not " << pyTypeName(e);
      return fail();
    }
    if (!compareAndSwap) {
      Type index = types[1];
      auto tuple = tupleOf(index);
      bool ok = tuple ? static_cast<int64_t>(tuple.size()) == array.getRank() && llvm::all_of(tuple.getTypes(), isIntLike)
                      : isIntLike(index) && array.getRank() == 1;
      if (!ok) {
        typingError(op) << "cuda.atomic." << name << "()'s index names one element of the " << array.getRank()
                        << "-d array: " << (array.getRank() == 1 ? "an int" : "a tuple of ints") << ", not "
                        << pyTypeName(index);
        return fail();
      }
    } else if (array.getRank() != 1) {
      typingError(op) << "cuda.atomic.compare_and_swap() works on the first element of a 1-d array";
      return fail();
    }
    for (size_t i = compareAndSwap ? 1 : 2; i < count; ++i)
      if (!isNumber(types[i])) {
        typingError(op) << "cuda.atomic." << name << "() takes a number, not " << pyTypeName(types[i]);
        return fail();
      }
    return e;
  }
  typingError(op) << "cuda." << name << " is not supported in kernels";
  return fail();
}

} // namespace mlir::py::rules
