# RUN: numlir-opt %s::show --signature "int64, float64" --emit py | FileCheck %s --check-prefix=PY
# RUN: numlir-opt %s::show --signature "int64, float64" --emit std | FileCheck %s --check-prefix=STD

# The frontend keeps constant pieces and sep=/end= as attributes; the values are operands.
# PY-LABEL: func.func @show
# PY: py.call_builtin "print"(%{{.*}}, %{{.*}}) {py.print_end = "!\0A", py.print_pieces = ["x =", 0, 1, "None"], py.print_sep = ", "}

# Lowered: the text is a constant global, the items a stack array of three words each
# (sep, end, the text, an int, a float's bits, None), handed to the runtime in one call.
# STD-DAG: llvm.mlir.global internal constant @numlir_text_{{[0-9]+}}("x =")
# STD-DAG: llvm.mlir.global internal constant @numlir_text_{{[0-9]+}}(", ")
# STD-LABEL: func.func @show
# STD: memref.alloca() : memref<18xi64>
# STD: arith.bitcast %{{.*}} : f64 to i64
# STD: %[[ITEMS:.*]] = memref.extract_aligned_pointer_as_index
# STD: %[[ADDRESS:.*]] = arith.index_cast %[[ITEMS]] : index to i64
# STD: call @numlir_print(%[[ADDRESS]], %c6_i64) : (i64, i64) -> ()
def show(n, x):
    print("x =", n, x, None, sep=", ", end="!\n")
    return n
