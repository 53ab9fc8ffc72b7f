# RUN: numlir-opt %s::bits --signature "float32" --emit std | FileCheck %s

# float_bits (numlir's NumPy implementations: the radix argsort's keys) widens a float32
# exactly and reinterprets the float64's bits as an int64.
# CHECK: func.func @bits_f32(%[[X:.*]]: f32)
# CHECK: %[[W:.*]] = arith.extf %[[X]] : f32 to f64
# CHECK: %[[B:.*]] = arith.bitcast %[[W]] : f64 to i64
# CHECK: return %{{.*}}, %[[B]]
from numlir._numpy.bits import float_bits


def bits(x):
    return float_bits(x)
