// The py dialect: C++ declarations generated from the ODS files beside this header.
#ifndef NUMLIR_DIALECT_PY_IR_PYDIALECT_H
#define NUMLIR_DIALECT_PY_IR_PYDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "numlir/Dialect/Py/IR/PyDialect.h.inc"

#define GET_TYPEDEF_CLASSES
#include "numlir/Dialect/Py/IR/PyTypes.h.inc"

#define GET_OP_CLASSES
#include "numlir/Dialect/Py/IR/PyOps.h.inc"

#endif // NUMLIR_DIALECT_PY_IR_PYDIALECT_H
