"""parallel=True with prange (issue 18), each engine's own parallel loops, on 2 threads and
on 1 (numlir.set_num_threads / numba.set_num_threads around the call). `prange` is range here;
benchmarks/run.py makes it the engine's prange before compiling. The NumPy version is the same
computation as array expressions."""
import math

import numpy as np

prange = range


def gauss_cos_sum(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += math.exp(-a[i] * a[i]) * math.cos(a[i])
    return s


def gauss_cos_sum_numpy(a):
    return np.sum(np.exp(-a * a) * np.cos(a))


def scale_shift(a, out):
    for i in prange(a.shape[0]):
        out[i] = 2.0 * a[i] + 1.0
    return out


def scale_shift_numpy(a, out):
    np.multiply(a, 2.0, out=out)
    out += 1.0
    return out


def _floats(n):
    return lambda scale: (np.random.default_rng(5).standard_normal(max(int(n * scale), 1000)),)


def _pair(n):
    def make(scale):
        a = np.random.default_rng(5).standard_normal(int(n * scale))
        return a, np.empty_like(a)
    return make


def _kernel(fn, threads):
    """``fn`` compiled with parallel=True and run on ``threads`` threads (run.py)."""
    def kernel(*args):
        return fn(*args)
    kernel.parallel_of = fn
    kernel.parallel_threads = threads
    kernel.__name__ = fn.__name__
    return kernel


# (name, kernel, make_args, numpy version, bytes moved)
PARALLEL_KERNELS = [
    ("prange exp*cos sum 10M, 2 threads", _kernel(gauss_cos_sum, 2), _floats(10_000_000), gauss_cos_sum_numpy, None),
    ("prange exp*cos sum 10M, 1 thread", _kernel(gauss_cos_sum, 1), _floats(10_000_000), gauss_cos_sum_numpy, None),
    ("prange 2*a+1 10M, 2 threads", _kernel(scale_shift, 2), _pair(10_000_000), scale_shift_numpy,
     lambda a: 2 * a[0].nbytes),
    ("prange 2*a+1 10M, 1 thread", _kernel(scale_shift, 1), _pair(10_000_000), scale_shift_numpy,
     lambda a: 2 * a[0].nbytes),
    ("prange exp*cos sum 1000, 2 threads", _kernel(gauss_cos_sum, 2), _floats(1000), gauss_cos_sum_numpy, None),
]
