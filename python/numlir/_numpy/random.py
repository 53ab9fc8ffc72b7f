"""np.random's legacy functions (NumPy's ``RandomState``, as numba compiles them): ``seed
random random_sample ranf sample rand randn standard_normal normal uniform
standard_exponential exponential randint shuffle permutation choice`` and the
distributions ``beta binomial chisquare dirichlet f gamma geometric gumbel hypergeometric
laplace logistic lognormal logseries multinomial negative_binomial noncentral_chisquare
noncentral_f pareto poisson power rayleigh standard_cauchy standard_gamma standard_t
triangular vonmises wald weibull zipf``.

Compiled code draws from its own generator, one per thread (src/runtime/random.rs, through
the ``mt19937`` builtins): ``np.random.seed(s)`` inside compiled code seeds it, and then
every function here gives exactly the sequence NumPy's ``np.random.seed(s)`` gives in the
interpreter. Where NumPy's ``mtrand.pyx`` calls a ``legacy_*`` C function of its own
(legacy-distributions.c: those built on the legacy Gaussian, polar with its cached second
value, on the legacy exponential ``-log(1 - U)`` or the legacy gamma, and those kept at
NumPy 1.16's algorithm: geometric, logseries, rayleigh, vonmises, zipf, hypergeometric),
that function is ported here, draw for draw, on ``next_double()`` and ``gauss()``; where
it calls NumPy's current ``random_*`` function (poisson, laplace, gumbel, logistic,
triangular, binomial, multinomial's binomials), the ``bitgen`` builtin calls that C
function on this generator (``mt19937.bitgen()``).

``size=`` takes an int or a tuple. Distribution parameters are numbers or arrays: array
parameters broadcast together (and with ``size``), one draw per element in C order, as
NumPy's ``cont``/``disc`` do. Parameters are checked first, with NumPy's exception classes
and messages (``_common.pyx``'s ``check_constraint``/``check_array_constraint``).
"""
import math

import numpy as np

from ..extending import register_jitable
from .bitgen import (binomial as _binomial, gumbel as _gumbel, laplace as _laplace, legacy_binomial as _legacy_binomial,
                     logistic as _logistic, poisson as _poisson, triangular as _triangular)
from .mt19937 import bitgen as _legacy, gauss, next_double, next_u32, reseed as _reseed, seed as _seed_generator
from .typing import is_array, is_integer, is_tuple

_UINT32_MAX = 0xFFFFFFFF
# NumPy's largest legacy Poisson mean (LEGACY_POISSON_LAM_MAX in _common.pyx).
_LEGACY_POISSON_LAM_MAX = float(np.iinfo(np.int64).max - np.sqrt(np.iinfo(np.int64).max) * 10)
# INT64_MIN: what C's (long) cast of NaN or of a double out of range gives on x86-64.
_LONG_MIN = -9223372036854775808


@register_jitable
def seed(seed=None):
    if seed is None:
        _reseed()  # from entropy, as NumPy's np.random.seed()
        return
    if seed < 0 or seed > _UINT32_MAX:
        raise ValueError("Seed must be between 0 and 2**32 - 1")
    _seed_generator(seed)


# ---- parameter checks: NumPy's check_constraint (a number) and check_array_constraint (an
# array), same order and messages. Each test is True where a value is refused.

@register_jitable
def _any_value(refused, x):
    """Whether ``refused`` holds for the number x, or for some element of the array x."""
    if is_array(x):
        flat = x.ravel()
        for i in range(flat.shape[0]):
            if refused(float(flat[i])):
                return True
        return False
    return refused(float(x))


@register_jitable
def _signbit(v):  # CONS_NON_NEGATIVE: -0.0 is refused too, NaN passes
    return not math.isnan(v) and math.copysign(1.0, v) < 0


@register_jitable
def _negative(v):
    return v < 0


@register_jitable
def _not_positive(v):  # NaN passes
    return v <= 0


@register_jitable
def _outside_0_1(v):
    return not (v >= 0 and v <= 1)


@register_jitable
def _outside_gt_0_1(v):
    return not (v > 0 and v <= 1)


@register_jitable
def _outside_lt_0_1(v):
    return not (v >= 0 and v < 1)


@register_jitable
def _not_gt_1(v):
    return not (v > 1)


@register_jitable
def _not_gte_1(v):
    return not (v >= 1)


@register_jitable
def _not_gte_0(v):
    return not (v >= 0)


@register_jitable
def _poisson_too_large(v):  # NaN counts, for arrays
    return not (v <= _LEGACY_POISSON_LAM_MAX)


@register_jitable
def _check_non_negative(x, name):
    if _any_value(_signbit, x):
        raise ValueError(name + " < 0")


@register_jitable
def _check_count(x, name):  # LEGACY_CONS_NON_NEGATIVE_INBOUNDS_LONG, on ints
    if _any_value(_negative, x):
        raise ValueError(name + " < 0")


@register_jitable
def _check_positive(x, name):
    if _any_value(_not_positive, x):
        raise ValueError(name + " <= 0")


@register_jitable
def _check_bounded_0_1(x, name):
    if _any_value(_outside_0_1, x):
        if is_array(x):
            raise ValueError(f"{name} < 0, {name} > 1 or {name} contains NaNs")
        raise ValueError(f"{name} < 0, {name} > 1 or {name} is NaN")


@register_jitable
def _check_bounded_gt_0_1(x, name):
    if _any_value(_outside_gt_0_1, x):
        raise ValueError(f"{name} <= 0, {name} > 1 or {name} contains NaNs")


@register_jitable
def _check_bounded_lt_0_1(x, name):
    if _any_value(_outside_lt_0_1, x):
        if is_array(x):
            raise ValueError(f"{name} < 0, {name} >= 1 or {name} contains NaNs")
        raise ValueError(f"{name} < 0, {name} >= 1 or {name} is NaN")


@register_jitable
def _check_gt_1(x, name):
    if _any_value(_not_gt_1, x):
        if is_array(x):
            raise ValueError(f"{name} <= 1 or {name} contains NaNs")
        raise ValueError(f"{name} <= 1 or {name} is NaN")


@register_jitable
def _check_gte_1(x, name):
    if _any_value(_not_gte_1, x):
        if is_array(x):
            raise ValueError(f"{name} < 1 or {name} contains NaNs")
        raise ValueError(f"{name} < 1 or {name} is NaN")


@register_jitable
def _check_poisson(x, name):  # LEGACY_CONS_POISSON
    if is_array(x):
        if _any_value(_poisson_too_large, x):
            raise ValueError(name + " value too large")
        if _any_value(_not_gte_0, x):
            raise ValueError(f"{name} < 0 or {name} contains NaNs")
    else:
        if _not_gte_0(float(x)):
            raise ValueError(f"{name} < 0 or {name} is NaN")
        if _poisson_too_large(float(x)):
            raise ValueError(name + " value too large")


# ---- one draw per element: NumPy's cont/disc. ``draw`` takes the parameters of one element;
# array parameters broadcast together and with ``size``; the result is a number when no
# parameter is an array and size is None.

@register_jitable
def _spread(x, shape):
    """The array x broadcast to ``shape``, flat (C order)."""
    out = np.empty(shape, x.dtype)
    out[:] = x
    return out.reshape(out.size)


@register_jitable
def _flat_param(x, shape, count):
    if is_array(x):
        return _spread(x, shape)
    return np.full(count, x)


@register_jitable
def _fill1(draw, out, a):
    flat = out.reshape(out.size)
    if is_array(a):
        fa = _spread(a, out.shape)
        for i in range(flat.shape[0]):
            flat[i] = draw(fa[i])
    else:
        for i in range(flat.shape[0]):
            flat[i] = draw(a)
    return out


@register_jitable
def _fill2(draw, out, a, b):
    flat = out.reshape(out.size)
    if is_array(a) or is_array(b):
        fa = _flat_param(a, out.shape, flat.shape[0])
        fb = _flat_param(b, out.shape, flat.shape[0])
        for i in range(flat.shape[0]):
            flat[i] = draw(fa[i], fb[i])
    else:
        for i in range(flat.shape[0]):
            flat[i] = draw(a, b)
    return out


@register_jitable
def _fill3(draw, out, a, b, c):
    flat = out.reshape(out.size)
    if is_array(a) or is_array(b) or is_array(c):
        fa = _flat_param(a, out.shape, flat.shape[0])
        fb = _flat_param(b, out.shape, flat.shape[0])
        fc = _flat_param(c, out.shape, flat.shape[0])
        for i in range(flat.shape[0]):
            flat[i] = draw(fa[i], fb[i], fc[i])
    else:
        for i in range(flat.shape[0]):
            flat[i] = draw(a, b, c)
    return out


@register_jitable
def _cont1(draw, a, size):
    if size is None:
        if is_array(a):
            return _fill1(draw, np.empty(a.shape, np.float64), a)
        return draw(a)
    return _fill1(draw, np.empty(size, np.float64), a)


@register_jitable
def _cont2(draw, a, b, size):
    if size is None:
        if is_array(a) or is_array(b):
            return _fill2(draw, np.empty((a + b).shape, np.float64), a, b)
        return draw(a, b)
    return _fill2(draw, np.empty(size, np.float64), a, b)


@register_jitable
def _cont3(draw, a, b, c, size):
    if size is None:
        if is_array(a) or is_array(b) or is_array(c):
            return _fill3(draw, np.empty((a + b + c).shape, np.float64), a, b, c)
        return draw(a, b, c)
    return _fill3(draw, np.empty(size, np.float64), a, b, c)


@register_jitable
def _disc1(draw, a, size):
    if size is None:
        if is_array(a):
            return _fill1(draw, np.empty(a.shape, np.int64), a)
        return draw(a)
    return _fill1(draw, np.empty(size, np.int64), a)


@register_jitable
def _disc2(draw, a, b, size):
    if size is None:
        if is_array(a) or is_array(b):
            return _fill2(draw, np.empty((a + b).shape, np.int64), a, b)
        return draw(a, b)
    return _fill2(draw, np.empty(size, np.int64), a, b)


@register_jitable
def _disc3(draw, a, b, c, size):
    if size is None:
        if is_array(a) or is_array(b) or is_array(c):
            return _fill3(draw, np.empty((a + b + c).shape, np.int64), a, b, c)
        return draw(a, b, c)
    return _fill3(draw, np.empty(size, np.int64), a, b, c)


@register_jitable
def _to_long(x):
    """C's ``(long)x`` on x86-64: truncation; NaN and doubles out of range give INT64_MIN."""
    if math.isnan(x) or x >= 9223372036854775808.0 or x < -9223372036854775808.0:
        return _LONG_MIN
    return int(x)


# ---- uniform and bounded integers

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
def _uniform(low, span):
    return low + span * next_double()


@register_jitable
def uniform(low=0.0, high=1.0, size=None):
    if is_array(low) or is_array(high):
        span = np.subtract(np.multiply(high, 1.0), low)  # in doubles, as NumPy's
        if not np.all(np.isfinite(span)):
            raise OverflowError("Range exceeds valid bounds")
        return _cont2(_uniform, low, span, size)
    span = high - low
    if not math.isfinite(span):
        raise OverflowError("Range exceeds valid bounds")
    return _cont2(_uniform, low, span, size)


# ---- the legacy Gaussian and exponential

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
def _normal(loc, scale):
    return loc + scale * gauss()


@register_jitable
def normal(loc=0.0, scale=1.0, size=None):
    _check_non_negative(scale, "scale")
    return _cont2(_normal, loc, scale, size)


@register_jitable
def _standard_exponential():
    return -math.log(1.0 - next_double())


@register_jitable
def standard_exponential(size=None):
    if size is None:
        return _standard_exponential()
    out = np.empty(size, np.float64)
    flat = out.reshape(out.size)
    for i in range(flat.shape[0]):
        flat[i] = _standard_exponential()
    return out


@register_jitable
def _exponential(scale):
    return scale * _standard_exponential()


@register_jitable
def exponential(scale=1.0, size=None):
    _check_non_negative(scale, "scale")
    return _cont1(_exponential, scale, size)


@register_jitable
def _lognormal(mean, sigma):
    return math.exp(mean + sigma * gauss())


@register_jitable
def lognormal(mean=0.0, sigma=1.0, size=None):
    _check_non_negative(sigma, "sigma")
    return _cont2(_lognormal, mean, sigma, size)


@register_jitable
def _standard_cauchy():
    return np.divide(gauss(), gauss())


@register_jitable
def standard_cauchy(size=None):
    if size is None:
        return _standard_cauchy()
    out = np.empty(size, np.float64)
    flat = out.reshape(out.size)
    for i in range(flat.shape[0]):
        flat[i] = _standard_cauchy()
    return out


@register_jitable
def _pareto(a):
    return math.exp(_standard_exponential() / a) - 1


@register_jitable
def pareto(a, size=None):
    _check_positive(a, "a")
    return _cont1(_pareto, a, size)


@register_jitable
def _weibull(a):
    if a == 0.0:
        return 0.0
    return math.pow(_standard_exponential(), 1.0 / a)


@register_jitable
def weibull(a, size=None):
    _check_non_negative(a, "a")
    return _cont1(_weibull, a, size)


@register_jitable
def _power(a):
    return math.pow(1 - math.exp(-_standard_exponential()), 1.0 / a)


@register_jitable
def power(a, size=None):
    _check_positive(a, "a")
    return _cont1(_power, a, size)


@register_jitable
def _rayleigh(scale):
    return scale * math.sqrt(-2.0 * math.log1p(-next_double()))


@register_jitable
def rayleigh(scale=1.0, size=None):
    _check_non_negative(scale, "scale")
    return _cont1(_rayleigh, scale, size)


@register_jitable
def _wald(mean, scale):
    mu_2l = mean / (2 * scale)
    y = gauss()
    y = mean * y * y
    x = mean + mu_2l * (y - math.sqrt(4 * scale * y + y * y))
    if next_double() <= np.divide(mean, mean + x):
        return x
    return np.divide(mean * mean, x)


@register_jitable
def wald(mean, scale, size=None):
    _check_positive(mean, "mean")
    _check_positive(scale, "scale")
    return _cont2(_wald, mean, scale, size)


# ---- the legacy gamma and its family

@register_jitable
def _standard_gamma(shape):
    """legacy_standard_gamma: Marsaglia and Tsang's method on the legacy Gaussian from 1 up,
    rejection on the legacy exponential below."""
    k = float(shape)
    if k == 1.0:
        return _standard_exponential()
    if k == 0.0:
        return 0.0
    if k < 1.0:
        while True:
            u = next_double()
            v = _standard_exponential()
            if u <= 1.0 - k:
                x = math.pow(u, 1.0 / k)
                if x <= v:
                    return x
            else:
                y = -math.log((1 - u) / k)
                x = math.pow(1.0 - k + k * y, 1.0 / k)
                if x <= v + y:
                    return x
    b = k - 1.0 / 3.0
    c = 1.0 / math.sqrt(9 * b)
    while True:
        x = gauss()
        v = 1.0 + c * x
        while v <= 0.0:
            x = gauss()
            v = 1.0 + c * x
        v = v * v * v
        u = next_double()
        if u < 1.0 - 0.0331 * (x * x) * (x * x):
            return b * v
        if math.log(u) < 0.5 * x * x + b * (1.0 - v + math.log(v)):
            return b * v


@register_jitable
def standard_gamma(shape, size=None):
    _check_non_negative(shape, "shape")
    return _cont1(_standard_gamma, shape, size)


@register_jitable
def _gamma(shape, scale):
    return scale * _standard_gamma(shape)


@register_jitable
def gamma(shape, scale=1.0, size=None):
    _check_non_negative(shape, "shape")
    _check_non_negative(scale, "scale")
    return _cont2(_gamma, shape, scale, size)


@register_jitable
def _beta(a, b):
    if a <= 1.0 and b <= 1.0:
        # Johnk's algorithm
        while True:
            u = next_double()
            v = next_double()
            x = math.pow(u, 1.0 / a)
            y = math.pow(v, 1.0 / b)
            if x + y <= 1.0:
                if x + y > 0:
                    return x / (x + y)
                log_x = math.log(u) / a
                log_y = math.log(v) / b
                log_m = log_x if log_x > log_y else log_y
                log_x -= log_m
                log_y -= log_m
                return math.exp(log_x - math.log(math.exp(log_x) + math.exp(log_y)))
    ga = _standard_gamma(a)
    gb = _standard_gamma(b)
    return np.divide(ga, ga + gb)


@register_jitable
def beta(a, b, size=None):
    _check_positive(a, "a")
    _check_positive(b, "b")
    return _cont2(_beta, a, b, size)


@register_jitable
def _chisquare(df):
    return 2.0 * _standard_gamma(df / 2.0)


@register_jitable
def chisquare(df, size=None):
    _check_positive(df, "df")
    return _cont1(_chisquare, df, size)


@register_jitable
def _f(dfnum, dfden):
    num = _chisquare(dfnum) * dfden
    return np.divide(num, _chisquare(dfden) * dfnum)


@register_jitable
def f(dfnum, dfden, size=None):
    _check_positive(dfnum, "dfnum")
    _check_positive(dfden, "dfden")
    return _cont2(_f, dfnum, dfden, size)


@register_jitable
def _noncentral_chisquare(df, nonc):
    if nonc == 0:
        return _chisquare(df)
    if 1 < df:
        chi2 = _chisquare(df - 1)
        n = gauss() + math.sqrt(nonc)
        return chi2 + n * n
    i = _poisson(_legacy(), nonc / 2.0)
    out = _chisquare(df + 2 * i)
    if math.isnan(nonc):
        return math.nan
    return out


@register_jitable
def noncentral_chisquare(df, nonc, size=None):
    _check_positive(df, "df")
    _check_non_negative(nonc, "nonc")
    return _cont2(_noncentral_chisquare, df, nonc, size)


@register_jitable
def _noncentral_f(dfnum, dfden, nonc):
    t = _noncentral_chisquare(dfnum, nonc) * dfden
    return np.divide(t, _chisquare(dfden) * dfnum)


@register_jitable
def noncentral_f(dfnum, dfden, nonc, size=None):
    _check_positive(dfnum, "dfnum")
    _check_positive(dfden, "dfden")
    _check_non_negative(nonc, "nonc")
    return _cont3(_noncentral_f, dfnum, dfden, nonc, size)


@register_jitable
def _standard_t(df):
    num = gauss()
    denom = _standard_gamma(df / 2)
    return np.divide(math.sqrt(df / 2) * num, math.sqrt(denom))


@register_jitable
def standard_t(df, size=None):
    _check_positive(df, "df")
    return _cont1(_standard_t, df, size)


@register_jitable
def _vonmises(mu, kappa):
    """legacy_vonmises (Best and Fisher's rejection)."""
    if math.isnan(kappa):
        return math.nan
    if kappa < 1e-8:
        return math.pi * (2 * next_double() - 1)
    if kappa < 1e-5:
        s = 1.0 / kappa + kappa  # second order Taylor expansion around kappa = 0
    else:
        r = 1 + math.sqrt(1 + 4 * kappa * kappa)
        rho = (r - math.sqrt(2 * r)) / (2 * kappa)
        s = np.divide(1 + rho * rho, 2 * rho)
    w = 0.0
    while True:
        z = math.cos(math.pi * next_double())
        w = np.divide(1 + s * z, s + z)
        y = kappa * (s - w)
        v = next_double()
        if y * (2 - y) - v >= 0 or math.log(np.divide(y, v)) + 1 - y >= 0:
            break
    u = next_double()
    result = math.acos(w)
    if u < 0.5:
        result = -result
    result += mu
    neg = result < 0
    mod = abs(result)
    mod = math.fmod(mod + math.pi, 2 * math.pi) - math.pi
    if neg:
        mod *= -1
    return mod


@register_jitable
def vonmises(mu, kappa, size=None):
    _check_non_negative(kappa, "kappa")
    return _cont2(_vonmises, mu, kappa, size)


# ---- NumPy's current C functions (the legacy ones forward to them), through bitgen

@register_jitable
def _laplace_draw(loc, scale):
    return _laplace(_legacy(), loc, scale)


@register_jitable
def laplace(loc=0.0, scale=1.0, size=None):
    _check_non_negative(scale, "scale")
    return _cont2(_laplace_draw, loc, scale, size)


@register_jitable
def _gumbel_draw(loc, scale):
    return _gumbel(_legacy(), loc, scale)


@register_jitable
def gumbel(loc=0.0, scale=1.0, size=None):
    _check_non_negative(scale, "scale")
    return _cont2(_gumbel_draw, loc, scale, size)


@register_jitable
def _logistic_draw(loc, scale):
    return _logistic(_legacy(), loc, scale)


@register_jitable
def logistic(loc=0.0, scale=1.0, size=None):
    _check_non_negative(scale, "scale")
    return _cont2(_logistic_draw, loc, scale, size)


@register_jitable
def _triangular_draw(left, mode, right):
    return _triangular(_legacy(), left, mode, right)


@register_jitable
def triangular(left, mode, right, size=None):
    if is_array(left) or is_array(mode) or is_array(right):
        if np.any(np.greater(left, mode)):
            raise ValueError("left > mode")
        if np.any(np.greater(mode, right)):
            raise ValueError("mode > right")
        if np.any(np.equal(left, right)):
            raise ValueError("left == right")
    else:
        if left > mode:
            raise ValueError("left > mode")
        if mode > right:
            raise ValueError("mode > right")
        if left == right:
            raise ValueError("left == right")
    return _cont3(_triangular_draw, left, mode, right, size)


@register_jitable
def _poisson_draw(lam):
    return _poisson(_legacy(), lam)


@register_jitable
def poisson(lam=1.0, size=None):
    _check_poisson(lam, "lam")
    return _disc1(_poisson_draw, lam, size)


@register_jitable
def _binomial_draw(n, p):
    return _legacy_binomial(_legacy(), int(n), p)


@register_jitable
def binomial(n, p, size=None):
    if is_array(n) or is_array(p):
        _check_bounded_0_1(p, "p")
        _check_count(n, "n")
        return _disc2(_binomial_draw, n, p, size)
    trials = int(n)  # floats are truncated, as NumPy's
    _check_bounded_0_1(p, "p")
    _check_count(trials, "n")
    return _disc2(_binomial_draw, trials, p, size)


@register_jitable
def _negative_binomial(n, p):
    """legacy_negative_binomial: a legacy gamma, then NumPy's Poisson."""
    y = np.divide(1 - p, p) * _standard_gamma(n)
    return _poisson(_legacy(), y)


@register_jitable
def negative_binomial(n, p, size=None):
    _check_positive(n, "n")
    _check_bounded_0_1(p, "p")
    return _disc2(_negative_binomial, n, p, size)


# ---- legacy discrete distributions on next_double

@register_jitable
def _geometric(p):
    """legacy_random_geometric: search from p >= 1/3, else inversion."""
    if p >= 0.333333333333333333333333:
        u = next_double()
        x = 1
        total = p
        prod = p
        q = 1.0 - p
        while u > total:
            prod *= q
            total += prod
            x += 1
        return x
    return _to_long(np.ceil(np.divide(math.log1p(-next_double()), math.log(1 - p))))


@register_jitable
def geometric(p, size=None):
    _check_bounded_gt_0_1(p, "p")
    return _disc1(_geometric, p, size)


@register_jitable
def _logseries(p):
    """legacy_logseries (Kemp's second accelerated generator)."""
    r = math.log(1.0 - p)
    while True:
        v = next_double()
        if v >= p:
            return 1
        u = next_double()
        q = 1.0 - math.exp(r * u)
        if v <= q * q:
            if v == 0.0:  # C's cast of floor(+inf) is rejected too
                continue
            result = _to_long(np.floor(1 + np.divide(math.log(v), math.log(q))))
            if result < 1:
                continue
            return result
        if v >= q:
            return 1
        return 2


@register_jitable
def logseries(p, size=None):
    _check_bounded_lt_0_1(p, "p")
    return _disc1(_logseries, p, size)


@register_jitable
def _zipf(a):
    """legacy_random_zipf: NumPy 1.16's rejection (RandomState keeps it; NumPy's current
    random_zipf, which draws U above a floor, gives other values)."""
    am1 = a - 1.0
    b = math.pow(2.0, am1)
    while True:
        u = 1.0 - next_double()
        v = next_double()
        x = np.floor(math.pow(u, np.divide(-1.0, am1)))
        # The result may be above what a long holds: rejected, a Zipf truncated there.
        if x > 9223372036854775807.0 or x < 1.0:
            continue
        t = math.pow(1.0 + 1.0 / x, am1)
        if np.divide(v * x * (t - 1.0), b - 1.0) <= t / b:
            return _to_long(x)


@register_jitable
def zipf(a, size=None):
    _check_gt_1(a, "a")
    return _disc1(_zipf, a, size)


@register_jitable
def _loggam(x):
    """random_loggam: log(Gamma(x)) by SPECFUN's series (Zhang and Jin); x a float."""
    if x == 1.0 or x == 2.0:
        return 0.0
    x0 = x
    n = 0
    if x <= 7.0:
        n = int(7 - x)
        x0 = x + n
    x2 = 1.0 / (x0 * x0)
    gl0 = -1.39243221690590e+00
    gl0 *= x2
    gl0 += 1.796443723688307e-01
    gl0 *= x2
    gl0 += -2.955065359477124e-02
    gl0 *= x2
    gl0 += 6.410256410256410e-03
    gl0 *= x2
    gl0 += -1.917526917526918e-03
    gl0 *= x2
    gl0 += 8.417508417508418e-04
    gl0 *= x2
    gl0 += -5.952380952380952e-04
    gl0 *= x2
    gl0 += 7.936507936507937e-04
    gl0 *= x2
    gl0 += -2.777777777777778e-03
    gl0 *= x2
    gl0 += 8.333333333333333e-02
    gl = gl0 / x0 + 0.5 * math.log(2 * math.pi) + (x0 - 0.5) * math.log(x0) - x0
    if x <= 7.0:
        for _ in range(n):
            gl -= math.log(x0 - 1.0)
            x0 -= 1.0
    return gl


@register_jitable
def _hypergeometric_hyp(good, bad, sample):
    d1 = bad + good - sample
    d2 = float(min(bad, good))
    y = d2
    k = sample
    while y > 0.0:
        u = next_double()
        y -= _to_long(np.floor(u + y / (d1 + k)))
        k -= 1
        if k == 0:
            break
    z = _to_long(d2 - y)
    if good > bad:
        z = sample - z
    return z


@register_jitable
def _hypergeometric_hrua(good, bad, sample):
    """Stadlober's ratio of uniforms, HRUA*, with rv.py's corrections."""
    mingoodbad = min(good, bad)
    popsize = good + bad
    maxgoodbad = max(good, bad)
    m = min(sample, popsize - sample)
    d4 = float(mingoodbad) / popsize
    d5 = 1.0 - d4
    d6 = m * d4 + 0.5
    d7 = math.sqrt(float(popsize - m) * sample * d4 * d5 / (popsize - 1) + 0.5)
    d8 = 1.7155277699214135 * d7 + 0.8989161620588988  # D1 = 2*sqrt(2/e), D2 = 3 - 2*sqrt(3/e)
    d9 = _to_long(np.floor(float(m + 1) * (mingoodbad + 1) / (popsize + 2)))
    d10 = _loggam(d9 + 1) + _loggam(mingoodbad - d9 + 1) + _loggam(m - d9 + 1) + _loggam(maxgoodbad - m + d9 + 1)
    d11 = min(min(m, mingoodbad) + 1.0, np.floor(d6 + 16 * d7))
    z = 0
    while True:
        x = next_double()
        y = next_double()
        w = d6 + np.divide(d8 * (y - 0.5), x)
        if w < 0.0 or w >= d11:
            continue  # fast rejection
        z = _to_long(np.floor(w))
        t = d10 - (_loggam(z + 1) + _loggam(mingoodbad - z + 1) + _loggam(m - z + 1) + _loggam(maxgoodbad - m + z + 1))
        if x * (4.0 - x) - 3.0 <= t:
            break  # fast acceptance
        if x * (x - t) >= 1:
            continue  # fast rejection
        if 2.0 * math.log(x) <= t:
            break
    if good > bad:
        z = m - z
    if m < sample:
        z = good - z
    return z


@register_jitable
def _hypergeometric(ngood, nbad, nsample):
    good = int(ngood)
    bad = int(nbad)
    sample = int(nsample)
    if sample > 10:
        return _hypergeometric_hrua(good, bad, sample)
    if sample > 0:
        return _hypergeometric_hyp(good, bad, sample)
    return 0


@register_jitable
def hypergeometric(ngood, nbad, nsample, size=None):
    if is_array(ngood) or is_array(nbad) or is_array(nsample):
        if np.any(np.less(np.add(ngood, nbad), nsample)):
            raise ValueError("ngood + nbad < nsample")
    elif int(ngood) + int(nbad) < int(nsample):
        raise ValueError("ngood + nbad < nsample")
    _check_count(ngood, "ngood")
    _check_non_negative(nbad, "nbad")
    _check_gte_1(nsample, "nsample")
    return _disc3(_hypergeometric, ngood, nbad, nsample, size)


# ---- multivariate

@register_jitable
def _vector_shape(size, d):
    """The shape of ``size`` draws of vectors of length d."""
    if size is None:
        return (d,)
    if is_tuple(size):
        return size + (d,)
    return (size, d)


@register_jitable
def _kahan_sum(p, n):
    """_common.pyx's kahan_sum of p[:n]."""
    if n <= 0:
        return 0.0
    total = p[0]
    c = 0.0
    for i in range(1, n):
        y = p[i] - c
        t = total + y
        c = (t - total) - y
        total = t
    return total


@register_jitable
def multinomial(n, pvals, size=None):
    """NumPy's random_multinomial: a binomial draw (random_binomial) per category, each on
    what the ones before left."""
    p = np.asarray(pvals).astype(np.float64)
    d = p.shape[0]
    _check_bounded_0_1(p, "pvals")
    if d > 0 and _kahan_sum(p, d - 1) > 1.0 + 1e-12:
        raise ValueError("sum(pvals[:-1]) > 1.0")
    out = np.zeros(_vector_shape(size, d), np.int64)
    trials = int(n)
    if trials < 0:
        raise ValueError("n < 0")
    flat = out.reshape(out.size)
    rows = flat.shape[0] // d if d > 0 else 0
    g = _legacy()
    for row in range(rows):
        offset = row * d
        remaining = 1.0
        left = trials
        for j in range(d - 1):
            drawn = _binomial(g, left, np.divide(p[j], remaining))
            flat[offset + j] = drawn
            left -= drawn
            if left <= 0:
                break
            remaining -= p[j]
        if left > 0:
            flat[offset + d - 1] = left
    return out


@register_jitable
def dirichlet(alpha, size=None):
    """A legacy standard gamma per alpha, normalised (mtrand's loop, no small-alpha branch)."""
    a = np.asarray(alpha).astype(np.float64)
    k = a.shape[0]
    if _any_value(_not_positive, a):
        raise ValueError("alpha <= 0")
    out = np.zeros(_vector_shape(size, k), np.float64)
    flat = out.reshape(out.size)
    i = 0
    while i < flat.shape[0]:
        acc = 0.0
        for j in range(k):
            flat[i + j] = _standard_gamma(a[j])
            acc = acc + flat[i + j]
        invacc = np.divide(1.0, acc)
        for j in range(k):
            flat[i + j] = flat[i + j] * invacc
        i = i + k
    return out


# ---- integers, shuffles, choice

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
def index_right(cdf, u):
    """Where u falls in a cumulative distribution: searchsorted(cdf, u, side='right')."""
    lo, hi = 0, cdf.shape[0]
    while lo < hi:
        mid = (lo + hi) // 2
        if u < cdf[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


@register_jitable
def _cdf_index(cdf):
    """The index a uniform draw falls at in a cumulative distribution."""
    return index_right(cdf, next_double())


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
    "random.beta": beta,
    "random.binomial": binomial,
    "random.chisquare": chisquare,
    "random.dirichlet": dirichlet,
    "random.f": f,
    "random.gamma": gamma,
    "random.geometric": geometric,
    "random.gumbel": gumbel,
    "random.hypergeometric": hypergeometric,
    "random.laplace": laplace,
    "random.logistic": logistic,
    "random.lognormal": lognormal,
    "random.logseries": logseries,
    "random.multinomial": multinomial,
    "random.negative_binomial": negative_binomial,
    "random.noncentral_chisquare": noncentral_chisquare,
    "random.noncentral_f": noncentral_f,
    "random.pareto": pareto,
    "random.poisson": poisson,
    "random.power": power,
    "random.rayleigh": rayleigh,
    "random.standard_cauchy": standard_cauchy,
    "random.standard_gamma": standard_gamma,
    "random.standard_t": standard_t,
    "random.triangular": triangular,
    "random.vonmises": vonmises,
    "random.wald": wald,
    "random.weibull": weibull,
    "random.zipf": zipf,
}
