"""Array benchmark kernels: plain Python/NumPy functions, compiled by each engine in turn.

Each entry of ARRAY_KERNELS: (name, function, make_args, numpy_version, bytes_moved).
`make_args(n_scale)` builds fresh inputs; `numpy_version` does the same work with NumPy
calls (None where NumPy has no counterpart); `bytes_moved(args)` is the memory traffic of a
streaming kernel (for its bandwidth), None for compute-bound ones."""
import math

import numpy as np


def axpy_loop(a, x, y):
    for i in range(x.shape[0]):
        y[i] += a * x[i]
    return y


def axpy_numpy(a, x, y):
    y += a * x
    return y


def expression(a, b, c):
    return a * b + c


def stencil(u, out):
    n, m = u.shape
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            out[i, j] = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1])
    return out


def stencil_numpy(u, out):
    out[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])
    return out


def matmul_loops(a, b):
    n, k = a.shape
    m = b.shape[1]
    c = np.zeros((n, m))
    for i in range(n):
        for p in range(k):
            aip = a[i, p]
            for j in range(m):
                c[i, j] += aip * b[p, j]
    return c


def matmul_numpy(a, b):
    return a @ b


def pairwise(x):
    n, d = x.shape
    out = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            s = 0.0
            for k in range(d):
                t = x[i, k] - x[j, k]
                s += t * t
            out[i, j] = math.sqrt(s)
    return out


def pairwise_numpy(x):
    diff = x[:, None, :] - x[None, :, :]
    return np.sqrt((diff * diff).sum(axis=-1))


def histogram(values, bins):
    counts = np.zeros(bins, dtype=np.int64)
    for v in values:
        k = int(v * bins)
        if 0 <= k < bins:
            counts[k] += 1
    return counts


def histogram_numpy(values, bins):
    return np.histogram(values, bins=bins, range=(0.0, 1.0))[0]


def sieve(n):
    is_prime = np.ones(n + 1, dtype=np.bool_)
    is_prime[0] = False
    is_prime[1] = False
    i = 2
    while i * i <= n:
        if is_prime[i]:
            for j in range(i * i, n + 1, i):
                is_prime[j] = False
        i += 1
    return is_prime.sum()


def sieve_numpy(n):
    is_prime = np.ones(n + 1, dtype=np.bool_)
    is_prime[:2] = False
    i = 2
    while i * i <= n:
        if is_prime[i]:
            is_prime[i * i::i] = False
        i += 1
    return is_prime.sum()


def black_scholes(price, strike, t, rate, vol, call):
    for i in range(price.shape[0]):
        s, k, tt = price[i], strike[i], t[i]
        d1 = (math.log(s / k) + (rate + 0.5 * vol * vol) * tt) / (vol * math.sqrt(tt))
        d2 = d1 - vol * math.sqrt(tt)
        n1 = 0.5 * (1.0 + math.erf(d1 / math.sqrt(2.0)))
        n2 = 0.5 * (1.0 + math.erf(d2 / math.sqrt(2.0)))
        call[i] = s * n1 - k * math.exp(-rate * tt) * n2
    return call


def reductions(a):
    s = 0.0
    for x in a:
        s += x * x
    return s, a.sum(), a.min(), a.max(), a.mean()


def reductions_numpy(a):
    return np.dot(a, a), a.sum(), a.min(), a.max(), a.mean()


def expression_reductions(a, b):
    return np.sum(a * b), math.sqrt(((a - b) ** 2).sum()), np.abs(a - b).max()


def _rng():
    return np.random.default_rng(42)


N = 10_000_000


def _axpy_args(scale):
    r = _rng()
    n = int(N * scale)
    return 2.5, r.standard_normal(n), r.standard_normal(n)


def _expression_args(scale):
    r = _rng()
    n = int(N * scale)
    return r.standard_normal(n), r.standard_normal(n), r.standard_normal(n)


def _stencil_args(scale):
    n = int(2000 * math.sqrt(scale))
    return _rng().standard_normal((n, n)), np.zeros((n, n))


def _matmul_args(scale):
    n = int(300 * scale ** (1 / 3))
    r = _rng()
    return r.standard_normal((n, n)), r.standard_normal((n, n))


def _pairwise_args(scale):
    return (_rng().standard_normal((int(1000 * math.sqrt(scale)), 3)),)


def _histogram_args(scale):
    return _rng().random(int(N * scale)), 100


def _sieve_args(scale):
    return (int(N * scale),)


def _black_scholes_args(scale):
    r = _rng()
    n = int(1_000_000 * scale)
    return (r.uniform(10, 100, n), r.uniform(10, 100, n), r.uniform(0.1, 2.0, n), 0.02, 0.3,
            np.zeros(n))


def _reductions_args(scale):
    return (_rng().standard_normal(int(N * scale)),)


ARRAY_KERNELS = [
    ("axpy loop", axpy_loop, _axpy_args, axpy_numpy, lambda a: 3 * a[1].nbytes),
    ("axpy y += a * x", axpy_numpy, _axpy_args, axpy_numpy, lambda a: 3 * a[1].nbytes),
    ("array expression", expression, _expression_args, expression, lambda a: 4 * a[0].nbytes),
    ("2-D stencil", stencil, _stencil_args, stencil_numpy, lambda a: 2 * a[0].nbytes),
    ("matmul loops", matmul_loops, _matmul_args, matmul_numpy, None),
    ("pairwise distances", pairwise, _pairwise_args, pairwise_numpy, None),
    ("histogram", histogram, _histogram_args, histogram_numpy, None),
    ("sieve", sieve, _sieve_args, sieve_numpy, None),
    ("black-scholes (erf)", black_scholes, _black_scholes_args, None, None),
    ("reductions", reductions, _reductions_args, reductions_numpy, lambda a: 5 * a[0].nbytes),
]


def _expression_reductions_args(scale):
    r = _rng()
    n = int(N * scale)
    return r.standard_normal(n), r.standard_normal(n)


def _crc_table():
    table = np.zeros(256, dtype=np.uint32)
    for i in range(256):
        c = i
        for _ in range(8):
            c = (0xEDB88320 ^ (c >> 1)) if c & 1 else c >> 1
        table[i] = c
    return table


# A global lookup table: compiled in as a constant by numlir and numba alike.
CRC_TABLE = _crc_table()


def crc32(data):
    crc = np.uint32(0xFFFFFFFF)
    for b in data:
        crc = CRC_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ np.uint32(0xFFFFFFFF)


def _crc_args(scale):
    return (_rng().integers(0, 256, int(1_000_000 * scale), dtype=np.uint8),)


# Kernels beyond the suite the issues name; run.py shows them, but not in its geomean.
EXTRA_KERNELS = [
    ("expression reductions", expression_reductions, _expression_reductions_args, expression_reductions,
     lambda a: 2 * a[0].nbytes),
    # numba calls BLAS (through SciPy) for `@`; numlir compiles its own loops.
    ("a @ b (numba: BLAS)", matmul_numpy, _matmul_args, matmul_numpy, None),
    ("CRC-32 (global table)", crc32, _crc_args, None, None),
]
