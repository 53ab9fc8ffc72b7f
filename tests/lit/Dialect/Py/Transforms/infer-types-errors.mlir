// RUN: not numlir-opt %s --pass-pipeline="builtin.module(py-infer-types)" 2>&1 | FileCheck %s

// CHECK: TypingError
// CHECK: unsupported operand types for <<: 'float' and 'int'
module attributes {py.entry = @f, py.entry_types = [f64]} {
  func.func @f(%x: !py.object) -> !py.object attributes {py.template} {
    %one = py.constant 1 : i64 -> !py.object
    %y = py.binop "lshift" %x, %one : (!py.object, !py.object) -> !py.object
    return %y : !py.object
  }
}
