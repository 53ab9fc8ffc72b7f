# RUN: numlir-opt %s::add8 --signature "int8, int8" --emit typed | FileCheck %s --check-prefix=TYPED
# RUN: numlir-opt %s::add8 --signature "int8, int8" --emit std | FileCheck %s --check-prefix=STD
# RUN: numlir-opt %s::scale --signature "float32" --emit typed | FileCheck %s --check-prefix=WEAK
# RUN: numlir-opt %s::total --signature "uint16[:]" --emit typed | FileCheck %s --check-prefix=ACC
# RUN: numlir-opt %s::below --signature "uint64, int64" --emit std | FileCheck %s --check-prefix=U64

# NumPy's scalar types are typed py IR types of their own (i8, ui16, f32, ...); an int8 sum is
# an int8, computed in int64 and truncated (wrapping at 8 bits, as NumPy's).
# TYPED-LABEL: func.func @add8
# TYPED: py.binop "add" %arg0, %arg1 : (i8, i8) -> i8
# STD-LABEL: func.func @add8
# STD-SAME: (%[[A:.*]]: i8, %[[B:.*]]: i8) -> (i32, i8)
# STD-DAG: arith.extsi %[[A]] : i8 to i64
# STD-DAG: arith.extsi %[[B]] : i8 to i64
# STD: %[[SUM:.*]] = arith.addi
# STD: arith.trunci %[[SUM]] : i64 to i8
def add8(a, b):
    return a + b

# A Python literal is weak (NEP 50): float32 * 2.0 stays a float32.
# WEAK: py.binop "mul" %arg0, %{{.*}} : (f32, f64) -> f32
def scale(x):
    return x * 2.0

# `s = 0` only ever held a literal, so `s += x` over uint16 elements makes s a uint16.
# ACC: ^bb1(%{{.*}}: ui16
# ACC: py.binop "add" %{{.*}}, %{{.*}} {inplace} : (ui16, ui16) -> ui16
def total(a):
    s = 0
    for x in a:
        s += x
    return s

# uint64 against int64: a negative int64 is below every uint64, else an unsigned compare.
# U64-LABEL: func.func @below
# U64: arith.cmpi ult
# U64: arith.cmpi slt
# U64: arith.select
def below(u, i):
    return u < i
