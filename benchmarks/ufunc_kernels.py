"""Ufuncs built with @vectorize (issue 18): the same scalar kernel made a NumPy ufunc by each
JIT, on one thread (target="cpu") and on all cores (target="parallel"), over 10M float64.
The NumPy version is the same arithmetic as NumPy array expressions."""
import math

import numpy as np


def gauss_cos(x, s):
    return math.exp(-x * x / s) * math.cos(x)


def gauss_cos_numpy(x, s):
    return np.exp(-x * x / s) * np.cos(x)


def axpb(a, b):
    return a + 2.0 * b


def axpb_numpy(a, b):
    return a + 2.0 * b


def _pair(scale):
    r = np.random.default_rng(7)
    n = int(10_000_000 * scale)
    return r.standard_normal(n), r.random(n) + 0.5


def _kernel(fn, target):
    """The scalar kernel, marked with how to build its ufunc (benchmarks/run.py)."""
    def kernel(a, b):
        return fn(a, b)
    kernel.ufunc_of = fn
    kernel.ufunc_target = target
    kernel.__name__ = fn.__name__
    return kernel


# (name, kernel, make_args, numpy version, bytes moved)
UFUNC_KERNELS = [
    ("vectorize exp*cos 10M", _kernel(gauss_cos, "cpu"), _pair, gauss_cos_numpy, None),
    ("vectorize exp*cos 10M parallel", _kernel(gauss_cos, "parallel"), _pair, gauss_cos_numpy, None),
    ("vectorize a + 2*b 10M", _kernel(axpb, "cpu"), _pair, axpb_numpy, lambda a: 3 * a[0].nbytes),
    ("vectorize a + 2*b 10M parallel", _kernel(axpb, "parallel"), _pair, axpb_numpy, lambda a: 3 * a[0].nbytes),
]
