"""np.random's legacy functions (NumPy's ``RandomState``, as numba compiles them): ``seed
random random_sample ranf sample rand randn standard_normal normal uniform
standard_exponential exponential randint shuffle permutation choice``.

Compiled code draws from its own generator, one per thread (src/runtime/random.rs, through
the ``mt19937`` builtins): ``np.random.seed(s)`` inside compiled code seeds it, and then
every function here gives exactly the sequence NumPy's ``np.random.seed(s)`` gives in the
interpreter, by the same algorithms (NumPy's ``legacy`` distributions and its masked
rejection for bounded integers). ``size=`` takes an int or a tuple; distribution parameters
are numbers (not arrays).
"""
import math

import numpy as np

from ..extending import register_jitable
from .mt19937 import gauss, next_double, next_u32, seed as _seed_generator
from .typing import is_array, is_integer

_UINT32_MAX = 0xFFFFFFFF


@register_jitable
def seed(seed=None):
    if seed is None:
        raise NotImplementedError("numlir's np.random.seed() in compiled code takes an int seed")
    if seed < 0 or seed > _UINT32_MAX:
        raise ValueError("Seed must be between 0 and 2**32 - 1")
    _seed_generator(seed)


@register_jitable
def _interval(top):
    """A uniform int in [0, top] (top >= 0): NumPy's masked rejection (``random_interval``,
    and legacy ``randint``'s ``bounded_masked`` draws), 32 bits a draw while top fits."""
    if top == 0:
        return 0
    mask = top
    mask |= mask >> 1
    mask |= mask >> 2
    mask |= mask >> 4
    mask |= mask >> 8
    mask |= mask >> 16
    mask |= mask >> 32
    if top <= _UINT32_MAX:
        value = next_u32() & mask
        while value > top:
            value = next_u32() & mask
        return value
    value = ((next_u32() << 32) | next_u32()) & mask
    while value > top:
        value = ((next_u32() << 32) | next_u32()) & mask
    return value


@register_jitable
def _doubles(size):
    """An array of `size` doubles in [0, 1)."""
    out = np.empty(size, np.float64)
    flat = out.reshape(out.size)
    for i in range(flat.shape[0]):
        flat[i] = next_double()
    return out


@register_jitable
def random_sample(size=None):
    if size is None:
        return next_double()
    return _doubles(size)


@register_jitable
def rand(d0=None, d1=None, d2=None, d3=None):
    if d0 is None:
        return next_double()
    if d1 is None:
        return _doubles((d0,))
    if d2 is None:
        return _doubles((d0, d1))
    if d3 is None:
        return _doubles((d0, d1, d2))
    return _doubles((d0, d1, d2, d3))


@register_jitable
def _normals(size, loc, scale):
    out = np.empty(size, np.float64)
    flat = out.reshape(out.size)
    for i in range(flat.shape[0]):
        flat[i] = loc + scale * gauss()
    return out


@register_jitable
def standard_normal(size=None):
    if size is None:
        return gauss()
    return _normals(size, 0.0, 1.0)


@register_jitable
def randn(d0=None, d1=None, d2=None, d3=None):
    if d0 is None:
        return gauss()
    if d1 is None:
        return _normals((d0,), 0.0, 1.0)
    if d2 is None:
        return _normals((d0, d1), 0.0, 1.0)
    if d3 is None:
        return _normals((d0, d1, d2), 0.0, 1.0)
    return _normals((d0, d1, d2, d3), 0.0, 1.0)


@register_jitable
def normal(loc=0.0, scale=1.0, size=None):
    if scale < 0:
        raise ValueError("scale < 0")
    if size is None:
        return loc + scale * gauss()
    return _normals(size, loc, scale)


@register_jitable
def uniform(low=0.0, high=1.0, size=None):
    span = high - low
    if not math.isfinite(span):
        raise OverflowError("Range exceeds valid bounds")
    if size is None:
        return low + span * next_double()
    out = np.empty(size, np.float64)
    flat = out.reshape(out.size)
    for i in range(flat.shape[0]):
        flat[i] = low + span * next_double()
    return out


@register_jitable
def _exponentials(size, scale):
    out = np.empty(size, np.float64)
    flat = out.reshape(out.size)
    for i in range(flat.shape[0]):
        flat[i] = scale * -math.log(1.0 - next_double())
    return out


@register_jitable
def standard_exponential(size=None):
    if size is None:
        return -math.log(1.0 - next_double())
    return _exponentials(size, 1.0)


@register_jitable
def exponential(scale=1.0, size=None):
    if scale < 0:
        raise ValueError("scale < 0")
    if size is None:
        return scale * -math.log(1.0 - next_double())
    return _exponentials(size, scale)


@register_jitable
def randint(low, high=None, size=None, dtype=None):
    if high is None:
        lo, hi = 0, low
    else:
        lo, hi = low, high
    if lo >= hi:
        raise ValueError("low >= high")
    top = hi - 1 - lo
    if size is None:
        return lo + _interval(top)
    out = np.empty(size, np.int64)
    flat = out.reshape(out.size)
    for i in range(flat.shape[0]):
        flat[i] = lo + _interval(top)
    return out


@register_jitable
def shuffle(x):
    """Fisher-Yates from the end, as NumPy's legacy shuffle (rows of an n-d array)."""
    n = x.shape[0]
    if x.ndim == 1:
        for i in range(n - 1, 0, -1):
            j = _interval(i)
            x[i], x[j] = x[j], x[i]
    else:
        row = np.empty_like(x[0])
        for i in range(n - 1, 0, -1):
            j = _interval(i)
            if i != j:
                row[:] = x[j]
                x[j] = x[i]
                x[i] = row


@register_jitable
def permutation(x):
    if is_array(x):
        out = x.copy()
    else:
        out = np.arange(x)
    shuffle(out)
    return out


@register_jitable
def _cdf_index(cdf):
    """The index a uniform draw falls at in a cumulative distribution (side='right')."""
    u = next_double()
    lo, hi = 0, cdf.shape[0]
    while lo < hi:
        mid = (lo + hi) // 2
        if u < cdf[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


@register_jitable
def choice(a, size=None, replace=True, p=None):
    if is_array(a):
        population = a.shape[0]
    else:
        population = a
    if population <= 0 and (size is None or replace):
        raise ValueError("a must be a positive integer unless no samples are taken")
    if p is not None:
        if not replace:
            raise NotImplementedError("numlir's np.random.choice takes p= with replace=True only")
        if p.shape[0] != population:
            raise ValueError("'a' and 'p' must have same size")
        total = 0.0
        for i in range(population):
            if p[i] < 0:
                raise ValueError("probabilities are not non-negative")
            total += p[i]
        if abs(total - 1.0) > math.sqrt(2.220446049250313e-16):
            raise ValueError("probabilities do not sum to 1")
        cdf = np.cumsum(p)
        cdf /= cdf[population - 1]
        if size is None:
            index = _cdf_index(cdf)
        else:
            index = np.empty(size, np.int64)
            flat = index.reshape(index.size)
            for i in range(flat.shape[0]):
                flat[i] = _cdf_index(cdf)
    elif replace:
        index = randint(0, population, size)
    else:
        if size is None:
            index = permutation(population)[0]
        else:
            count = np.empty(size, np.int64).size
            if count > population:
                raise ValueError("Cannot take a larger sample than population when 'replace=False'")
            index = permutation(population)[:count].reshape(size)
    if not is_array(a):
        return index
    if is_array(index):
        # (Advanced indexing takes a 1-d index array.)
        return a[index.ravel()].reshape(index.shape)
    return a[index]


IMPLEMENTS = {
    "random.seed": seed,
    "random.random": random_sample,
    "random.random_sample": random_sample,
    "random.ranf": random_sample,
    "random.sample": random_sample,
    "random.rand": rand,
    "random.randn": randn,
    "random.standard_normal": standard_normal,
    "random.normal": normal,
    "random.uniform": uniform,
    "random.standard_exponential": standard_exponential,
    "random.exponential": exponential,
    "random.randint": randint,
    "random.shuffle": shuffle,
    "random.permutation": permutation,
    "random.choice": choice,
}
