# numlir_dialect_tablegen(DIALECT TD_FILE TARGET): generates the op, dialect and type
# declarations/definitions of one ODS dialect into the build folder
# (<X>.h.inc / <X>.cpp.inc with X in PyOps, PyDialect, PyTypes) and a target for them.
function(numlir_dialect_tablegen dialect td_file target)
  set(LLVM_TARGET_DEFINITIONS ${td_file})
  mlir_tablegen(PyOps.h.inc -gen-op-decls)
  mlir_tablegen(PyOps.cpp.inc -gen-op-defs)
  mlir_tablegen(PyDialect.h.inc -gen-dialect-decls -dialect=${dialect})
  mlir_tablegen(PyDialect.cpp.inc -gen-dialect-defs -dialect=${dialect})
  mlir_tablegen(PyTypes.h.inc -gen-typedef-decls -typedefs-dialect=${dialect})
  mlir_tablegen(PyTypes.cpp.inc -gen-typedef-defs -typedefs-dialect=${dialect})
  add_public_tablegen_target(${target})
endfunction()
