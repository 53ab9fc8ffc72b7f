// The py dialect: registration, verifiers and folders.
#include "numlir/Dialect/Py/IR/PyDialect.h"
#include "numlir/Dialect/Py/IR/PyTypeRules.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::py;

#include "numlir/Dialect/Py/IR/PyDialect.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "numlir/Dialect/Py/IR/PyTypes.cpp.inc"

#define GET_OP_CLASSES
#include "numlir/Dialect/Py/IR/PyOps.cpp.inc"

void PyDialect::initialize() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "numlir/Dialect/Py/IR/PyTypes.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "numlir/Dialect/Py/IR/PyOps.cpp.inc"
      >();
}

Operation *PyDialect::materializeConstant(OpBuilder &builder, Attribute value, Type type,
                                          Location loc) {
  auto typed = llvm::dyn_cast<TypedAttr>(value);
  if (!typed || typed.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, type, typed);
}

std::string mlir::py::pyTypeName(Type t) {
  if (isAnyNumber(t) && !isPythonScalar(t))
    return dtypeName(t); // NumPy's own scalar types: int32, float32, ...
  if (isBool(t))
    return "bool";
  if (isInt(t))
    return "int";
  if (isFloat(t))
    return "float";
  if (isComplex(t))
    return "complex";
  if (llvm::isa<NoneType>(t))
    return "None";
  if (llvm::isa<RangeType>(t))
    return "range";
  if (llvm::isa<RangeIterType>(t))
    return "range_iterator";
  if (auto iter = llvm::dyn_cast<IterType>(t))
    return iter.getKind().str() + (llvm::is_contained({"array", "tuple", "list", "set"}, iter.getKind()) ? "_iterator" : "");
  if (llvm::isa<ObjectType>(t))
    return "<unknown>";
  if (llvm::isa<SliceType>(t))
    return "slice";
  if (llvm::isa<StrType>(t))
    return "str";
  if (llvm::isa<ExceptionType>(t))
    return "exception";
  if (auto ref = llvm::dyn_cast<FunctionRefType>(t))
    return "function " + ref.getCallee().str();
  if (auto opt = llvm::dyn_cast<OptionalType>(t))
    return "Optional[" + pyTypeName(opt.getValueType()) + "]";
  if (auto list = llvm::dyn_cast<ListType>(t))
    return isUnknown(list.getElementType()) ? "list" : "list[" + pyTypeName(list.getElementType()) + "]";
  if (auto generator = llvm::dyn_cast<GeneratorType>(t))
    return isUnknown(generator.getYieldType()) ? "generator" : "generator[" + pyTypeName(generator.getYieldType()) + "]";
  if (auto set = llvm::dyn_cast<SetType>(t))
    return isUnknown(set.getElementType()) ? "set" : "set[" + pyTypeName(set.getElementType()) + "]";
  if (auto dict = llvm::dyn_cast<DictType>(t))
    return isUnknown(dict.getKeyType()) ? "dict"
                                        : "dict[" + pyTypeName(dict.getKeyType()) + ", " + pyTypeName(dict.getValueType()) + "]";
  if (auto array = llvm::dyn_cast<MemRefType>(t)) {
    const char *layout[] = {"C", "F", "A"};
    return "array(" + dtypeName(array.getElementType()) + ", " +
           std::to_string(array.getRank()) + "d, " +
           layout[static_cast<int>(layoutOf(array))] + ")";
  }
  if (auto named = llvm::dyn_cast<NamedTupleType>(t)) {
    // numba's spelling: Point(int64, float64)
    std::string s = named.getClassName().getValue().rsplit(':').second.str() + "(";
    for (auto [i, e] : llvm::enumerate(named.getTuple().getTypes()))
      s += (i ? ", " : "") + pyTypeName(e);
    return s + ")";
  }
  if (auto tuple = llvm::dyn_cast<TupleType>(t)) {
    std::string s = "tuple[";
    for (auto [i, e] : llvm::enumerate(tuple.getTypes()))
      s += (i ? ", " : "") + pyTypeName(e);
    return s + "]";
  }
  std::string s;
  llvm::raw_string_ostream os(s);
  t.print(os);
  return s;
}

int64_t NamedTupleType::fieldIndex(StringRef name) const {
  for (auto [i, f] : llvm::enumerate(getFields()))
    if (llvm::cast<StringAttr>(f).getValue() == name)
      return static_cast<int64_t>(i);
  return -1;
}

/// The normal successor gets nothing; the handler the variables of the try.
SuccessorOperands ExcPointOp::getSuccessorOperands(unsigned index) {
  return SuccessorOperands(index == 1 ? getHandlerArgsMutable() : MutableOperandRange(getOperation(), 0, 0));
}

//===----------------------------------------------------------------------===//
// Verifiers
//===----------------------------------------------------------------------===//

static bool isOneOf(StringRef value, ArrayRef<StringRef> allowed) {
  return llvm::is_contained(allowed, value);
}

LogicalResult ConstantOp::verify() {
  if (!isUnknown(getType()) && getType() != getValue().getType())
    return emitOpError("result type ") << getType() << " does not match the value's type "
                                       << getValue().getType();
  return success();
}

LogicalResult BinOp::verify() {
  if (!isOneOf(getKind(), {"add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "lshift",
                           "rshift", "and", "or", "xor", "matmul"}))
    return emitOpError("unknown binary operator '") << getKind() << "'";
  return success();
}

LogicalResult UnOp::verify() {
  if (!isOneOf(getKind(), {"neg", "pos", "invert", "not"}))
    return emitOpError("unknown unary operator '") << getKind() << "'";
  return success();
}

LogicalResult CmpOp::verify() {
  if (!isOneOf(getPredicate(), {"lt", "le", "eq", "ne", "gt", "ge"}))
    return emitOpError("unknown comparison '") << getPredicate() << "'";
  return success();
}

LogicalResult TupleGetOp::verify() {
  auto tuple = tupleOf(getTuple().getType());
  if (getIndex() < 0)
    return emitOpError("index must be non-negative");
  if (tuple && static_cast<size_t>(getIndex()) >= tuple.size())
    return emitOpError("index ") << getIndex() << " is out of range for " << tuple;
  if (tuple && !isUnknown(getType()) && tuple.getType(getIndex()) != getType())
    return emitOpError("result type ") << getType() << " does not match element type "
                                       << tuple.getType(getIndex());
  return success();
}

//===----------------------------------------------------------------------===//
// Folders
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) {
  // Only a typed constant folds: an untyped one must keep its !py.object result.
  return isUnknown(getType()) ? OpFoldResult() : OpFoldResult(getValue());
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  if (getOperand().getType() == getType())
    return getOperand();
  return {};
}

OpFoldResult TupleGetOp::fold(FoldAdaptor) {
  if (auto make = getTuple().getDefiningOp<MakeTupleOp>())
    if (make.getElements()[getIndex()].getType() == getType())
      return make.getElements()[getIndex()];
  return {};
}
