// The py dialect: C++ declarations generated from the ODS files beside this header.
#ifndef PY_PYDIALECT_H
#define PY_PYDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "PyDialect.h.inc"

#define GET_TYPEDEF_CLASSES
#include "PyTypes.h.inc"

#define GET_OP_CLASSES
#include "PyOps.h.inc"

#endif // PY_PYDIALECT_H
