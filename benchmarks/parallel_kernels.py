"""parallel=True with prange (issue 18), each engine's own parallel loops, on 2 threads and
on 1 (numlir.set_num_threads / numba.set_num_threads around the call); and parallel=True on
array code without prange (numba's parfors, numlir-parallel-array-loops), and a @stencil.
`prange` is range here and `cross` the stencil's NumPy version; benchmarks/run.py makes them
the engine's prange and stencil before compiling. The NumPy version is the same
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


def axpy_into(a, x, y, out):
    out[:] = a * x + y
    return out


def axpy_into_numpy(a, x, y, out):
    np.multiply(x, a, out=out)
    out += y
    return out


def gauss_cos_array_sum(a):
    return np.sum(np.exp(-a * a) * np.cos(a))


def cross_kernel(a):
    return 0.25 * (a[0, 1] + a[1, 0] + a[0, -1] + a[-1, 0])


def cross_numpy(a):
    """What the stencil of cross_kernel computes, as array expressions."""
    out = np.zeros_like(a)
    out[1:-1, 1:-1] = 0.25 * (a[1:-1, 2:] + a[2:, 1:-1] + a[1:-1, :-2] + a[:-2, 1:-1])
    return out


cross = cross_numpy  # benchmarks/run.py makes it the engine's @stencil of cross_kernel


def stencil_cross(a):
    return cross(a)


def _axpy_args(n):
    def make(scale):
        rng = np.random.default_rng(5)
        m = max(int(n * scale), 1000)
        return 1.5, rng.standard_normal(m), rng.standard_normal(m), np.empty(m)
    return make


def _floats(n):
    return lambda scale: (np.random.default_rng(5).standard_normal(max(int(n * scale), 1000)),)


def _pair(n):
    def make(scale):
        a = np.random.default_rng(5).standard_normal(int(n * scale))
        return a, np.empty_like(a)
    return make


def _grid(n):
    return lambda scale: (np.random.default_rng(5).random((max(int(n * scale), 64), n)),)


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
    ("array out[:] = a*x+y 10M, 2 threads", _kernel(axpy_into, 2), _axpy_args(10_000_000), axpy_into_numpy,
     lambda a: 3 * a[1].nbytes),
    ("array out[:] = a*x+y 10M, 1 thread", _kernel(axpy_into, 1), _axpy_args(10_000_000), axpy_into_numpy,
     lambda a: 3 * a[1].nbytes),
    ("array sum(exp*cos) 10M, 2 threads", _kernel(gauss_cos_array_sum, 2), _floats(10_000_000), gauss_cos_sum_numpy, None),
    ("array sum(exp*cos) 10M, 1 thread", _kernel(gauss_cos_array_sum, 1), _floats(10_000_000), gauss_cos_sum_numpy, None),
    ("array out[:] = a*x+y 1000, 2 threads", _kernel(axpy_into, 2), _axpy_args(1000), axpy_into_numpy,
     lambda a: 3 * a[1].nbytes),
    ("stencil 2000x2000, 2 threads", _kernel(stencil_cross, 2), _grid(2000), cross_numpy, lambda a: 2 * a[0].nbytes),
    ("stencil 2000x2000, 1 thread", _kernel(stencil_cross, 1), _grid(2000), cross_numpy, lambda a: 2 * a[0].nbytes),
]
