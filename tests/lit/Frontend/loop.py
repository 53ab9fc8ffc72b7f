# RUN: numlir-opt %s::count --signature "int64" --emit py | FileCheck %s --check-prefix=PY
# RUN: numlir-opt %s::count --signature "int64" --emit typed | FileCheck %s --check-prefix=TYPED
# RUN: numlir-opt %s::count --signature "int64" --emit llvm | FileCheck %s --check-prefix=LLVM

# The frontend turns `for i in range(n)` into get_iter / iter_next with the loop's
# variables as block arguments; inference types them; the end is the llvm dialect.
# PY: func.func @count(%arg0: !py.object) -> !py.object attributes {py.template}
# PY: py.range
# PY: py.get_iter
# PY: py.iter_next
# PY: py.binop "mod"
# TYPED: func.func @count_i64(%arg0: i64) -> i64
# TYPED: py.iter_next %{{.*}} : (!py.range_iter) -> (i1, i64)
# LLVM: llvm.func @count_i64(%arg0: i64) -> !llvm.struct<(i32, i64)>


def count(n):
    c = 0
    for i in range(n):
        if i % 3 == 0:
            c += 1
    return c
