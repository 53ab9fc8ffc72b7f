# RUN: numlir-opt %s::f --signature "int64, int64" --emit std | FileCheck %s --check-prefix=PY
# RUN: numlir-opt %s::f --signature "int64, int64" --emit std --error-model numpy | FileCheck %s --check-prefix=NP
# RUN: numlir-opt %s::g --signature "float64, float64" --emit std --error-model numpy | FileCheck %s --check-prefix=NPF

# Python's error model raises ZeroDivisionError; NumPy's divides by 1 instead and selects 0.
# PY: py.raise_table = {{.*}}"ZeroDivisionError", "integer division or modulo by zero"
# NP-NOT: ZeroDivisionError
# NP: %[[ZERO:.*]] = arith.cmpi eq, %arg1, %c0_i64
# NP: arith.select %[[ZERO]], %c1_i64, %arg1
# NP: arith.select %[[ZERO]], %c0_i64
# A float floor division by zero is a / b (inf or nan), as in NumPy.
# NPF-NOT: ZeroDivisionError
# NPF: arith.divf %arg0, %arg1
# NPF: arith.select


def f(a, b):
    return a // b


def g(a, b):
    return a // b
