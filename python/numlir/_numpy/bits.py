"""Bit-level builtins for numlir's NumPy implementations (compiled code only).

``float_bits(x)``: the IEEE-754 bits of float ``x`` as float64 (a float32 widens exactly),
as an int64 (py-to-std: ``arith.bitcast``). The radix argsort orders floats by them.
"""
from .stubs import compiled_only

__all__ = ["float_bits"]

float_bits = compiled_only("numlir", "float_bits")
