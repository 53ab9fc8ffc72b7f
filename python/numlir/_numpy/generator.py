"""``np.random.Generator`` methods in compiled code: ``rng.normal(...)`` where ``rng`` is a
Generator passed in (``default_rng(seed)``).

Compiled code holds a Generator as its bit generator's ``bitgen_t`` address (a namedtuple of
one int, ``rng.bit_generator``: src/python/boxing.rs) and draws with NumPy's own C functions
on it (the ``bitgen`` builtins): the values equal NumPy's, and the Python object's state
advances, so draws in compiled code and in the interpreter continue one sequence.

The distributions draw one value per element through one template (``_DISTRIBUTIONS``);
``integers``, ``choice``, ``shuffle`` and ``permutation`` follow NumPy's ``_generator.pyx``
draw for draw. Parameters are numbers (not arrays); ``dtype=`` and ``out=`` are not taken.
"""
import math

import numpy as np

from ..extending import register_jitable
from . import bitgen
from .bitgen import bounded as _bounded, interval as _interval, standard_uniform as _standard_uniform, uniform as _uniform
from .random import index_right
from .typing import is_array

# NumPy's largest Poisson mean (POISSON_LAM_MAX in _common.pyx).
_POISSON_LAM_MAX = float(np.iinfo(np.int64).max - np.sqrt(np.iinfo(np.int64).max) * 10)

# The parameter checks of NumPy's ``check_constraint`` (_common.pyx), by kind: each line
# raises ValueError with NumPy's message.
_CHECKS = {
    # signbit, so -0.0 is refused too; NaN passes
    "non_negative": "if not math.isnan({p}) and math.copysign(1.0, {p}) < 0: raise ValueError('{p} < 0')",
    "positive": "if not math.isnan({p}) and {p} <= 0: raise ValueError('{p} <= 0')",
    "bounded_0_1": "if not ({p} >= 0 and {p} <= 1): raise ValueError('{p} < 0, {p} > 1 or {p} is NaN')",
    "bounded_gt_0_1": "if not ({p} > 0 and {p} <= 1): raise ValueError('{p} <= 0, {p} > 1 or {p} contains NaNs')",
    "poisson": ("if not ({p} >= 0): raise ValueError('{p} < 0 or {p} is NaN')\n"
                "    if {p} > _POISSON_LAM_MAX: raise ValueError('{p} value too large')"),
    "n_non_negative": "if {p} < 0: raise ValueError('{p} < 0')",
}

# method -> (parameters with their defaults, the bitgen builtin and its arguments, the
# result's dtype, the checks as (kind, parameter)).
_DISTRIBUTIONS = {
    "random": ("", "standard_uniform()", "float64", ()),
    "standard_normal": ("", "standard_normal()", "float64", ()),
    "standard_exponential": ("", "standard_exponential()", "float64", ()),
    "standard_cauchy": ("", "standard_cauchy()", "float64", ()),
    "normal": ("loc=0.0, scale=1.0", "normal(loc, scale)", "float64", (("non_negative", "scale"),)),
    "exponential": ("scale=1.0", "exponential(scale)", "float64", (("non_negative", "scale"),)),
    "standard_gamma": ("shape", "standard_gamma(shape)", "float64", (("non_negative", "shape"),)),
    "gamma": ("shape, scale=1.0", "gamma(shape, scale)", "float64", (("non_negative", "shape"), ("non_negative", "scale"))),
    "beta": ("a, b", "beta(a, b)", "float64", (("positive", "a"), ("positive", "b"))),
    "chisquare": ("df", "chisquare(df)", "float64", (("positive", "df"),)),
    "standard_t": ("df", "standard_t(df)", "float64", (("positive", "df"),)),
    "lognormal": ("mean=0.0, sigma=1.0", "lognormal(mean, sigma)", "float64", (("non_negative", "sigma"),)),
    "laplace": ("loc=0.0, scale=1.0", "laplace(loc, scale)", "float64", (("non_negative", "scale"),)),
    "logistic": ("loc=0.0, scale=1.0", "logistic(loc, scale)", "float64", (("non_negative", "scale"),)),
    "gumbel": ("loc=0.0, scale=1.0", "gumbel(loc, scale)", "float64", (("non_negative", "scale"),)),
    "rayleigh": ("scale=1.0", "rayleigh(scale)", "float64", (("non_negative", "scale"),)),
    "pareto": ("a", "pareto(a)", "float64", (("positive", "a"),)),
    "weibull": ("a", "weibull(a)", "float64", (("non_negative", "a"),)),
    "poisson": ("lam=1.0", "poisson(lam)", "int64", (("poisson", "lam"),)),
    "binomial": ("n, p", "binomial(n, p)", "int64", (("n_non_negative", "n"), ("bounded_0_1", "p"))),
    "geometric": ("p", "geometric(p)", "int64", (("bounded_gt_0_1", "p"),)),
}

_TEMPLATE = '''
def {name}(rng, {parameters}size=None):
    {checks}
    g = rng.bit_generator
    if size is None:
        return _{draw_name}(g, {draw_args})
    out = np.empty(size, np.{dtype})
    flat = out.reshape(out.size)
    for i in range(flat.shape[0]):
        flat[i] = _{draw_name}(g, {draw_args})
    return out
'''


def _distribution(name, parameters, draw, dtype, checks):
    """The compiled method ``name`` from its row of ``_DISTRIBUTIONS``."""
    draw_name, draw_args = draw[:-1].split("(")
    lines = [_CHECKS[kind].format(p=p) for kind, p in checks] or ["pass"]
    source = _TEMPLATE.format(name=name, parameters=parameters + ", " if parameters else "",
                              checks="\n    ".join(lines), draw_name=draw_name, draw_args=draw_args, dtype=dtype)
    namespace = {"np": np, "math": math, "_POISSON_LAM_MAX": _POISSON_LAM_MAX, f"_{draw_name}": getattr(bitgen, draw_name)}
    exec(compile(source, f"<np.random.Generator.{name}>", "exec"), namespace)
    return register_jitable(namespace[name])


_METHODS = {name: _distribution(name, *row) for name, row in _DISTRIBUTIONS.items()}


@register_jitable
def uniform(rng, low=0.0, high=1.0, size=None):
    span = high - low
    if not math.isfinite(span):
        raise OverflowError("high - low range exceeds valid bounds")
    if math.copysign(1.0, span) < 0:
        raise ValueError("high - low < 0")
    g = rng.bit_generator
    if size is None:
        return _uniform(g, low, span)
    out = np.empty(size, np.float64)
    flat = out.reshape(out.size)
    for i in range(flat.shape[0]):
        flat[i] = _uniform(g, low, span)
    return out


@register_jitable
def integers(rng, low, high=None, size=None, endpoint=False):
    """int64 draws in [low, high) (or [low, high] with endpoint=True): Lemire's method, as
    NumPy's ``_rand_int64``."""
    if high is None:
        lo, hi = 0, low
        if not endpoint and hi <= 0:
            raise ValueError("high <= 0")
        if endpoint and hi < 0:
            raise ValueError("high < 0")
    else:
        lo, hi = low, high
        if not endpoint and lo >= hi:
            raise ValueError("low >= high")
        if endpoint and lo > hi:
            raise ValueError("low > high")
    span = hi - lo if endpoint else hi - lo - 1
    g = rng.bit_generator
    if size is None:
        return _bounded(g, lo, span, False)
    out = np.empty(size, np.int64)
    flat = out.reshape(out.size)
    for i in range(flat.shape[0]):
        flat[i] = _bounded(g, lo, span, False)
    return out


@register_jitable
def shuffle(rng, x):
    """Fisher-Yates from the end on the first axis, as NumPy's ``_shuffle_raw``."""
    g = rng.bit_generator
    n = x.shape[0]
    if x.ndim == 1:
        for i in range(n - 1, 0, -1):
            j = _interval(g, i)
            x[i], x[j] = x[j], x[i]
    elif x.size > 0:
        row = np.empty_like(x[0])
        for i in range(n - 1, 0, -1):
            j = _interval(g, i)
            row[:] = x[j]
            x[j] = x[i]
            x[i] = row


@register_jitable
def permutation(rng, x):
    if not is_array(x):
        out = np.arange(x)
        shuffle(rng, out)
        return out
    if x.ndim == 1:
        out = x.copy()
        shuffle(rng, out)
        return out
    # NumPy shuffles an index and takes the rows: the same draws as shuffling the rows.
    order = np.arange(x.shape[0])
    shuffle(rng, order)
    return x[order]


@register_jitable
def _shuffle_int(g, data, n, first):
    """NumPy's ``_shuffle_int``: Fisher-Yates of data[first:n] from the end, Lemire draws."""
    for i in range(n - 1, first - 1, -1):
        j = _bounded(g, 0, i, False)
        data[i], data[j] = data[j], data[i]


@register_jitable
def _sample_without_replacement(g, population, count, shuffled):
    """``count`` distinct indices below ``population``: a tail shuffle for a large sample of a
    large population, Floyd's algorithm with NumPy's hash set otherwise (choice's own rule)."""
    cutoff = 50 if shuffled else 20
    if population > 10000 and count > population // cutoff:
        order = np.arange(population)
        _shuffle_int(g, order, population, max(population - count, 1))
        return order[population - count:].copy()
    out = np.empty(count, np.int64)
    mask = int(1.2 * count)
    mask |= mask >> 1
    mask |= mask >> 2
    mask |= mask >> 4
    mask |= mask >> 8
    mask |= mask >> 16
    mask |= mask >> 32
    empty = -1
    table = np.full(mask + 1, empty, np.int64)
    for j in range(population - count, population):
        value = _bounded(g, 0, j, False)
        at = value & mask
        while table[at] != empty and table[at] != value:
            at = (at + 1) & mask
        if table[at] == empty:
            table[at] = value
            out[j - population + count] = value
        else:
            at = j & mask
            while table[at] != empty:
                at = (at + 1) & mask
            table[at] = j
            out[j - population + count] = j
    if shuffled:
        _shuffle_int(g, out, count, 1)
    return out


@register_jitable
def _cdf_index(g, cdf):
    """Where a uniform draw falls in a cumulative distribution."""
    return index_right(cdf, _standard_uniform(g))


@register_jitable
def choice(rng, a, size=None, replace=True, p=None, shuffle=True):
    g = rng.bit_generator
    population = a.shape[0] if is_array(a) else a
    count = 1 if size is None else np.empty(size, np.int8).size
    if is_array(a):
        if population == 0 and count != 0:
            raise ValueError("a cannot be empty unless no samples are taken")
    elif population <= 0 and count != 0:
        raise ValueError("a must be a positive integer unless no samples are taken")
    if p is not None:
        if p.shape[0] != population:
            raise ValueError("a and p must have same size")
        total = 0.0
        for i in range(population):
            if p[i] < 0:
                raise ValueError("Probabilities are not non-negative")
            total += p[i]
        if abs(total - 1.0) > math.sqrt(2.220446049250313e-16):
            raise ValueError("Probabilities do not sum to 1. See Notes section of docstring for more information.")
        if not replace:
            raise NotImplementedError("numlir's Generator.choice takes p= with replace=True only")
    if replace:
        if p is not None:
            cdf = np.cumsum(p)
            cdf /= cdf[population - 1]
            flat_index = np.empty(count, np.int64)
            for i in range(count):
                flat_index[i] = _cdf_index(g, cdf)
        else:
            flat_index = np.empty(count, np.int64)
            for i in range(count):
                flat_index[i] = _bounded(g, 0, population - 1, False)
    else:
        if count > population:
            raise ValueError("Cannot take a larger sample than population when replace is False")
        flat_index = _sample_without_replacement(g, population, count, shuffle)
    if size is None:
        if is_array(a):
            return a[flat_index[0]]
        return flat_index[0]
    index = flat_index.reshape(size)
    if not is_array(a):
        return index
    # (Advanced indexing takes a 1-d index array.)
    return a[flat_index].reshape(index.shape + a.shape[1:])


# Array methods numlir looks up by name: ``rng.normal(...)`` calls ``normal(rng, ...)``.
METHODS = dict(_METHODS, uniform=uniform, integers=integers, shuffle=shuffle,
               permutation=permutation, choice=choice)
