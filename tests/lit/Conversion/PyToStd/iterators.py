# RUN: numlir-opt %s::weighted --signature "float64[::1], float64[::1]" --emit typed | FileCheck %s --check-prefix=TYPED
# RUN: numlir-opt %s::weighted --signature "float64[::1], float64[::1]" --emit std | FileCheck %s --check-prefix=STD
# RUN: numlir-opt %s::backwards --signature "int64" --emit std | FileCheck %s --check-prefix=REV
# RUN: numlir-opt %s::member --signature "int64" --emit std | FileCheck %s --check-prefix=IN

# enumerate(zip(a, b)): an iterator whose state is a counter and the zip's two array
# iterators; each iter_next advances all three.
# TYPED-LABEL: func.func @weighted
# TYPED: py.call_builtin "zip"{{.*}} -> !py.iter<"zip", tuple<!py.iter<"array", tuple<memref<?xf64, {{.*}}>, !py.range_iter>>, !py.iter<"array", tuple<memref<?xf64, {{.*}}>, !py.range_iter>>>>
# TYPED: py.call_builtin "enumerate"{{.*}} -> !py.iter<"enumerate", tuple<!py.range_iter, !py.iter<"zip"
# TYPED: py.iter_next {{.*}} -> (i1, tuple<i64, tuple<f64, f64>>)

# Lowered: no calls; three range states advance, each element load sits behind its own
# array's validity, and the loop goes on while both arrays have elements.
# STD-LABEL: func.func @weighted
# STD-NOT: call
# STD: memref.alloca() : memref<4xi64>
# STD: memref.alloca() : memref<4xi64>
# STD: memref.alloca() : memref<4xi64>
# STD: %[[A:.*]] = arith.cmpi ne
# STD: scf.if %[[A]]
# STD: memref.load
# STD: %[[B:.*]] = arith.cmpi ne
# STD: scf.if %[[B]]
# STD: memref.load
# STD: %[[BOTH:.*]] = arith.andi %[[A]], %[[B]]
# STD: cf.cond_br %[[BOTH]]
def weighted(a, b):
    s = 0.0
    for i, (x, y) in enumerate(zip(a, b)):
        s += i * x * y
    return s


# reversed(range(n)): a range iterator that starts at the last value, n - 1, counts n
# values and steps by -1; as an scf.for (numlir-range-for-loops), one induction variable
# k and the value n - 1 - k.
# REV-LABEL: func.func @backwards
# REV: %[[N:.*]] = arith.select
# REV: %[[LAST:.*]] = arith.subi %[[N]], %c1_i64
# REV-NEXT: scf.for unsigned %[[K:.*]] = %c0_i64 to %[[N]] step %c1_i64
# REV-NEXT: arith.subi %[[LAST]], %[[K]]
def backwards(n):
    s = 0
    for i in reversed(range(n)):
        s = s * 10 + i
    return s


# `x in (2, 3, 5)`: three compares joined by ori, no branches.
# IN-LABEL: func.func @member
# IN-NOT: cf.cond_br
# IN: %[[TWO:.*]] = arith.cmpi eq, %arg0, %c2_i64
# IN: %[[THREE:.*]] = arith.cmpi eq, %arg0, %c3_i64
# IN: %[[EITHER:.*]] = arith.ori %[[TWO]], %[[THREE]]
# IN: %[[FIVE:.*]] = arith.cmpi eq, %arg0, %c5_i64
# IN: %[[ANY:.*]] = arith.ori %[[EITHER]], %[[FIVE]]
# IN: return %c0_i32, %[[ANY]]
def member(x):
    return x in (2, 3, 5)
