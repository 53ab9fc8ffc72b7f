"""Differences, histograms, order statistics and comparisons: ``np.diff convolve correlate
interp histogram bincount digitize cov corrcoef median percentile quantile average nansum
nanprod nanmean nanvar nanstd nanargmin nanargmax nanmedian allclose isclose round around
cross kron vander meshgrid``.

Results follow NumPy's dtypes: order statistics and means of integers are float64, of
float32 float32; interpolation (``percentile``'s linear method) is NumPy's ``_lerp``, so
results match to the last bit.
"""
import math

import numpy as np

from ..extending import register_jitable
from .choice import literal_choice
from .indexing import getitem
from .sorting import _axis_index, _search, _select
from .typing import is_array, is_bool, is_complex, is_float, is_integer


@register_jitable
def _float_empty(shape, like):
    """An empty array of the float type NumPy computes statistics of `like` in."""
    if is_float(like):
        return np.empty(shape, like.dtype)
    return np.empty(shape, np.float64)


@register_jitable
def _diff_1d(a, n):
    m = a.shape[0]
    out = a.copy()
    for _ in range(n):
        if m == 0:
            break
        for i in range(m - 1):
            if is_bool(a):
                out[i] = out[i + 1] != out[i]
            else:
                out[i] = out[i + 1] - out[i]
        m -= 1
    return out[:m]


@register_jitable
def diff(a, n=1, axis=-1, prepend=None, append=None):
    if n < 0:
        raise ValueError("order must be non-negative")
    if a.ndim == 1:
        _axis_index(axis, 1)
        return _diff_1d(a, n)
    if a.ndim == 2:
        ax = _axis_index(axis, 2)
        if ax == 1:
            rows = a.shape[0]
            m = max(a.shape[1] - n, 0)
            out = np.empty((rows, m), a.dtype)
            for i in range(rows):
                out[i, :] = _diff_1d(a[i], n)
            return out
        cols = a.shape[1]
        m = max(a.shape[0] - n, 0)
        out = np.empty((m, cols), a.dtype)
        for j in range(cols):
            out[:, j] = _diff_1d(a[:, j], n)
        return out
    raise NotImplementedError("numlir's np.diff takes 1-d and 2-d arrays")


@register_jitable
def _conj(x):
    if is_complex(x):
        return x.conjugate()
    return x


@register_jitable
def _full_correlation(a, v, convolve):
    """The 'full' convolution (or correlation) of 1-d a and v."""
    n = a.shape[0]
    m = v.shape[0]
    if n == 0 or m == 0:
        raise ValueError("v cannot be empty" if m == 0 else "a cannot be empty")
    out = np.zeros(n + m - 1, (a[:1] * v[:1]).dtype)
    for i in range(n):
        x = a[i]
        for j in range(m):
            if convolve:
                out[i + j] += x * v[j]
            else:
                out[i + m - 1 - j] += x * _conj(v[j])
    return out


@register_jitable
def _mode_slice(full, n, m, mode, convolve):
    if mode == "full":
        return full
    if mode == "same":
        length = max(n, m)
        start = (min(n, m) - 1) // 2
        if not convolve and n < m:
            start = n - 1 - start  # NumPy correlates the longer with the shorter, reversed
        return full[start:start + length].copy()
    if mode == "valid":
        length = max(n, m) - min(n, m) + 1
        start = min(n, m) - 1
        return full[start:start + length].copy()
    raise ValueError("mode must be one of 'full', 'same' or 'valid'")


@register_jitable
def convolve(a, v, mode="full"):
    return _mode_slice(_full_correlation(a, v, True), a.shape[0], v.shape[0], mode, True)


@register_jitable
def correlate(a, v, mode="valid"):
    return _mode_slice(_full_correlation(a, v, False), a.shape[0], v.shape[0], mode, False)


@register_jitable
def _interp_one(x, xp, fp, left, right):
    n = xp.shape[0]
    if x != x:
        return x + fp[0] * 0.0
    if x < xp[0]:
        return left
    if x > xp[n - 1]:
        return right
    if x == xp[n - 1]:
        return fp[n - 1] + 0.0
    j = _search(xp, x, True) - 1
    if xp[j] == x:
        return fp[j] + 0.0
    slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
    y = slope * (x - xp[j]) + fp[j]
    if y != y:
        y = slope * (x - xp[j + 1]) + fp[j + 1]
        if y != y and fp[j] == fp[j + 1]:
            y = fp[j] + 0.0
    return y


@register_jitable
def interp(x, xp, fp, left=None, right=None, period=None):
    if period is not None:
        raise NotImplementedError("numlir's np.interp does not take period=")
    if xp.shape[0] != fp.shape[0]:
        raise ValueError("fp and xp are not of the same length.")
    if xp.shape[0] == 0:
        raise ValueError("array of sample points is empty")
    lo = fp[0] + 0.0 if left is None else left + fp[0] * 0.0
    hi = fp[fp.shape[0] - 1] + 0.0 if right is None else right + fp[0] * 0.0
    if is_array(x):
        flat = x.ravel()
        out = np.empty(flat.shape[0], (fp[:1] * 1.0).dtype)
        for i in range(flat.shape[0]):
            out[i] = _interp_one(flat[i] * 1.0, xp, fp, lo, hi)
        return out.reshape(x.shape)
    return _interp_one(x * 1.0, xp, fp, lo, hi)


@register_jitable
def _range_of(a, value_range):
    if value_range is None:
        if a.size == 0:
            lo = a[:0].sum() * 0.0  # 0.0 and 1.0 in the type of a's own ends
            hi = lo + 1.0
        else:
            lo = a.min() * 1.0
            hi = a.max() * 1.0
    else:
        lo = value_range[0] * 1.0
        hi = value_range[1] * 1.0
    if lo > hi:
        raise ValueError("max must be larger than min in range parameter.")
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError("autodetected range is not finite")
    if lo == hi:
        lo -= 0.5
        hi += 0.5
    return lo, hi


@register_jitable
def _histogram_counts(a, bins, value_range, weights):
    """NumPy's histogram: bin edges (even from an int, or given) and the counts (or summed weights)."""
    flat = a.ravel()
    if weights is None:
        hist = np.zeros(1, np.int64)
        w = flat  # not read
    else:
        w = weights.ravel()
        if w.shape[0] != flat.shape[0]:
            raise ValueError("weights should have the same shape as a.")
        hist = np.zeros(1, (w[:1] * 1.0).dtype)
    if is_array(bins):
        edges = bins * 1.0
        nbins = edges.shape[0] - 1
        for i in range(nbins):
            if edges[i] > edges[i + 1]:
                raise ValueError("bins must increase monotonically.")
        hist = np.zeros(nbins, hist.dtype)
        if nbins < 1:
            return hist, edges
        first = edges[0]
        last = edges[nbins]
        for i in range(flat.shape[0]):
            x = flat[i]
            if x >= first and x <= last:
                j = _search(edges, x, True) - 1
                if j >= nbins:
                    j = nbins - 1
                if weights is None:
                    hist[j] += 1
                else:
                    hist[j] += w[i]
        return hist, edges
    if bins < 1:
        raise ValueError("`bins` must be positive, when an integer")
    first, last = _range_of(flat, value_range)
    # np.linspace's steps, in the type of the range's ends: a float32 array's own min and
    # max, else float64; the edges then take the array's float type, as NumPy's do.
    edges = np.full(bins + 1, first)
    for i in range(bins + 1):
        edges[i] = i
    step = (last - first) / edges[bins]
    for i in range(bins):
        edges[i] = edges[i] * step + first
    edges[bins] = last
    if is_float(a):
        edges = edges.astype(a.dtype)
    hist = np.zeros(bins, hist.dtype)
    norm = bins / (last - first)
    # A value's bin is NumPy's: the one its offset gives, corrected against the edges. Only
    # a value within rounding of an edge can need the correction, so only those read them.
    eps = 1.2e-7 if is_float(a) and a.itemsize == 4 else 2.3e-16
    near = (abs(first) + abs(last)) * norm * eps * 8 + 1e-9
    for i in range(flat.shape[0]):
        x = flat[i]
        if x >= first and x <= last:
            f = (x - first) * norm
            j = int(f)
            if j == bins:
                j -= 1
            frac = f - j
            if frac < near or frac > 1.0 - near:
                if x < edges[j]:
                    j -= 1
                elif x >= edges[j + 1] and j != bins - 1:
                    j += 1
            if weights is None:
                hist[j] += 1
            else:
                hist[j] += w[i]
    return hist, edges


@register_jitable
def _histogram_density(a, bins=10, range=None, weights=None):
    hist, edges = _histogram_counts(a, bins, range, weights)
    return hist / hist.sum() / diff(edges), edges


def _choose_histogram(density=None):
    return _histogram_density if density else histogram


@literal_choice("density")(_choose_histogram)
@register_jitable
def histogram(a, bins=10, range=None, density=None, weights=None):
    return _histogram_counts(a, bins, range, weights)


@register_jitable
def bincount(x, weights=None, minlength=0):
    if minlength < 0:
        raise ValueError("'minlength' must not be negative")
    n = minlength
    for i in range(x.shape[0]):
        if x[i] < 0:
            raise ValueError("'list' argument must have no negative elements")
        if x[i] + 1 > n:
            n = x[i] + 1
    if weights is None:
        counts = np.zeros(n, np.int64)
        for i in range(x.shape[0]):
            counts[x[i]] += 1
        return counts
    if weights.shape[0] != x.shape[0]:
        raise ValueError("The weights and list don't have the same length.")
    sums = np.zeros(n, np.float64)
    for i in range(x.shape[0]):
        sums[x[i]] += weights[i]
    return sums


@register_jitable
def digitize(x, bins, right=False):
    n = bins.shape[0]
    increasing = True
    decreasing = True
    for i in range(n - 1):
        if bins[i] > bins[i + 1]:
            increasing = False
        if bins[i] < bins[i + 1]:
            decreasing = False
    if not increasing and not decreasing:
        raise ValueError("bins must be monotonically increasing or decreasing")
    flat = x.ravel()
    out = np.empty(flat.shape[0], np.int64)
    reversed_bins = bins[::-1]
    for i in range(flat.shape[0]):
        v = flat[i]
        if increasing:
            out[i] = _search(bins, v, not right)
        else:
            out[i] = n - _search(reversed_bins, v, right)
    return out.reshape(x.shape)


@register_jitable
def _as_rows(m, rowvar):
    """One array's observations as rows of variables (a 2-d float copy)."""
    if m.ndim == 1:
        return m.reshape((1, m.shape[0])) * 1.0
    x = m * 1.0
    if not rowvar:
        x = x.T.copy()
    return x


@register_jitable
def _rows(m, y, rowvar):
    """cov's observations as rows of variables: m's, then y's."""
    if y is None:
        return _as_rows(m, rowvar)
    return np.concatenate((_as_rows(m, rowvar), _as_rows(y, rowvar)), 0)


@register_jitable
def _cov(x, bias, ddof):
    variables, n = x.shape
    if ddof is None:
        d = 0 if bias else 1
    else:
        d = ddof
    fact = n - d
    if fact <= 0:
        fact = 0.0
    means = np.empty(variables, x.dtype)
    for i in range(variables):
        means[i] = x[i].sum() / n
    out = np.empty((variables, variables), x.dtype)
    for i in range(variables):
        for j in range(i, variables):
            s = x[0, 0] * 0.0
            for k in range(n):
                s += (x[i, k] - means[i]) * _conj(x[j, k] - means[j])
            out[i, j] = s / fact
            out[j, i] = _conj(out[i, j])
    return out


@register_jitable
def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, dtype=None):
    if m.ndim > 2:
        raise ValueError("m has more than 2 dimensions")
    if fweights is not None or aweights is not None:
        raise NotImplementedError("numlir's np.cov does not take fweights= or aweights=")
    return _cov(_rows(m, y, rowvar), bias, ddof)


@register_jitable
def corrcoef(x, y=None, rowvar=True, bias=None, ddof=None, dtype=None):
    c = _cov(_rows(x, y, rowvar), False, None)
    n = c.shape[0]
    d = np.empty(n, np.float64)
    for i in range(n):
        d[i] = math.sqrt(c[i, i].real)
    for i in range(n):
        for j in range(n):
            v = c[i, j] / d[i] / d[j]
            if is_complex(v):
                c[i, j] = v
            else:
                c[i, j] = max(-1.0, min(1.0, v))
    return c


@register_jitable
def _lerp(a, b, t):
    """NumPy's _lerp: exact at both ends, monotonic."""
    d = b - a
    if t >= 0.5:
        return b - d * (1 - t)
    return a + d * t


@register_jitable
def _float_copy(a):
    """A's elements in the float type of its statistics, and whether one is NaN."""
    flat = a.ravel()
    v = _float_empty(flat.shape[0], a)
    has_nan = False
    for i in range(flat.shape[0]):
        v[i] = flat[i]
        if flat[i] != flat[i]:
            has_nan = True
    return v, has_nan


@register_jitable
def _kth(v, k):
    """The k-th smallest of v (v is reordered: quickselect, as NumPy's partition)."""
    _select(v, k, 0, v.shape[0] - 1)
    return v[k]


@register_jitable
def _next_after_kth(v, k):
    """After _kth(v, k): the (k+1)-th smallest, the least of what follows v[k]."""
    m = v[k + 1]
    for i in range(k + 2, v.shape[0]):
        if v[i] < m:
            m = v[i]
    return m


@register_jitable
def _lerp_weak(a, b, t):
    """_lerp with t as NumPy takes a Python float: in a's own type (a number q)."""
    d = b - a
    if t >= 0.5:
        return b - d * _like(1 - t, a)
    return a + d * _like(t, a)


@register_jitable
def _quantile_sorted(v, has_nan, q, weak):
    n = v.shape[0]
    if has_nan or n == 0:
        return np.nan
    pos = q * (n - 1)
    lo = int(math.floor(pos))
    below = _kth(v, lo)
    above = _next_after_kth(v, lo) if lo + 1 < n else below
    # A number q interpolates in v's type, an array of them in float64, as NumPy does.
    if weak:
        return float(_lerp_weak(below, above, pos - lo))
    return _lerp(below, above, pos - lo)


@register_jitable
def _fraction(q, scale):
    """q (a percentile when scale is 100, a quantile when 1) as a fraction, checked."""
    f = q / scale
    if not (f >= 0.0 and f <= 1.0):
        raise ValueError("Percentiles must be in the range [0, 100]" if scale == 100.0 else "Quantiles must be in the range [0, 1]")
    return f


@register_jitable
def _quantile(a, q, axis, scale):
    if axis is not None:
        raise NotImplementedError("numlir's quantiles take axis=None")
    v, has_nan = _float_copy(a)
    if is_array(q):
        # Computed in float64 (q's type); an array of q's gives float64 results, as NumPy's.
        flat = q.ravel()
        out = np.empty(flat.shape[0], np.float64)
        for i in range(flat.shape[0]):
            out[i] = _quantile_sorted(v, has_nan, _fraction(flat[i], scale), False)
        return out.reshape(q.shape)
    # A number q keeps a's float type.
    return _like(_quantile_sorted(v, has_nan, _fraction(q, scale), True), v[:1].sum())


@register_jitable
def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False):
    if method != "linear":
        raise NotImplementedError("numlir's np.percentile takes method='linear'")
    return _quantile(a, q, axis, 100.0)


@register_jitable
def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False):
    if method != "linear":
        raise NotImplementedError("numlir's np.quantile takes method='linear'")
    return _quantile(a, q, axis, 1.0)


@register_jitable
def _median_1d(a):
    v, has_nan = _float_copy(a)
    n = v.shape[0]
    if has_nan or n == 0:
        return v[:0].sum() * np.nan
    half = n // 2
    upper = _kth(v, half)
    if n % 2 == 1:
        return upper
    lower = v[0]
    for i in range(1, half):  # the largest of the smaller half
        if v[i] > lower:
            lower = v[i]
    return (lower + upper) * 0.5  # in v's own type, as NumPy's mean of the two


@register_jitable
def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    if axis is None:
        return _median_1d(a)
    if a.ndim == 1:
        _axis_index(axis, 1)
        return _median_1d(a)
    if a.ndim == 2:
        ax = _axis_index(axis, 2)
        lanes = a if ax == 1 else a.T
        out = _float_empty(lanes.shape[0], a)
        for i in range(lanes.shape[0]):
            out[i] = _median_1d(lanes[i])
        return out
    raise NotImplementedError("numlir's np.median with an axis takes 1-d and 2-d arrays")


@register_jitable
def average(a, axis=None, weights=None, returned=False, keepdims=False):
    if axis is not None:
        raise NotImplementedError("numlir's np.average takes axis=None")
    if weights is None:
        return a.mean()
    flat = a.ravel()
    w = weights.ravel()
    if w.shape[0] != flat.shape[0]:
        raise ValueError("Axis must be specified when shapes of a and weights differ.")
    total = w.sum() * 1.0
    if total == 0:
        raise ZeroDivisionError("Weights sum to zero, can't be normalized")
    s = flat[0] * w[0] * 0.0
    for i in range(flat.shape[0]):
        s += flat[i] * w[i]
    return s / total


@register_jitable
def _not_nan(x):
    return x == x


@register_jitable
def nansum(a, axis=None, dtype=None, out=None, keepdims=False):
    flat = a.ravel()
    s = flat[:0].sum()
    for i in range(flat.shape[0]):
        if _not_nan(flat[i]):
            s += flat[i]
    return s


@register_jitable
def nanprod(a, axis=None, dtype=None, out=None, keepdims=False):
    flat = a.ravel()
    p = flat[:0].prod()
    for i in range(flat.shape[0]):
        if _not_nan(flat[i]):
            p *= flat[i]
    return p


@register_jitable
def nanmean(a, axis=None, dtype=None, out=None, keepdims=False):
    flat = a.ravel()
    s = flat[:0].sum() * 1.0
    n = 0
    for i in range(flat.shape[0]):
        if _not_nan(flat[i]):
            s += flat[i]
            n += 1
    if n == 0:
        return s * np.nan
    return s / n


@register_jitable
def nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    flat = a.ravel()
    m = nanmean(flat)
    s = m * 0.0
    n = 0
    for i in range(flat.shape[0]):
        if _not_nan(flat[i]):
            d = flat[i] - m
            s += d * d
            n += 1
    if n - ddof <= 0:
        return s * np.nan
    return s / (n - ddof)


@register_jitable
def nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return np.sqrt(nanvar(a, ddof=ddof))


@register_jitable
def _nanarg(a, largest):
    flat = a.ravel()
    best = -1
    for i in range(flat.shape[0]):
        x = flat[i]
        if _not_nan(x):
            if best < 0 or (x > flat[best] if largest else x < flat[best]):
                best = i
    if best < 0:
        raise ValueError("All-NaN slice encountered")
    return best


@register_jitable
def nanargmax(a, axis=None, out=None, keepdims=False):
    return _nanarg(a, True)


@register_jitable
def nanargmin(a, axis=None, out=None, keepdims=False):
    return _nanarg(a, False)


@register_jitable
def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    flat = a.ravel()
    return _median_1d(getitem(flat, flat == flat))  # the median of the numbers


@register_jitable
def _close(x, y, rtol, atol, equal_nan):
    if x == y:
        return True
    if x != x or y != y:
        return equal_nan and x != x and y != y
    if math.isinf(x) or math.isinf(y):
        return False
    return abs(x - y) <= atol + rtol * abs(y)


@register_jitable
def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    if is_array(a):
        fa = a * 1.0
        fb = b + np.zeros_like(fa)  # b broadcast to a's shape
        out = np.empty(fa.shape, np.bool_)
        ra = fa.ravel()
        rb = fb.ravel()
        ro = out.ravel()
        for i in range(ra.shape[0]):
            ro[i] = _close(ra[i], rb[i], rtol, atol, equal_nan)
        return out
    if is_array(b):
        return isclose(np.zeros_like(b * 1.0) + a, b, rtol, atol, equal_nan)
    return _close(a * 1.0, b * 1.0, rtol, atol, equal_nan)


@register_jitable
def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    if not is_array(a) and not is_array(b):
        return _close(a * 1.0, b * 1.0, rtol, atol, equal_nan)
    return bool(isclose(a, b, rtol, atol, equal_nan).all())


@register_jitable
def _like(value, x):
    """`value` in x's float type (NumPy rounds a float32 in float32)."""
    box = np.full(1, x)
    box[0] = value
    return box[0]


@register_jitable
def _round_scalar(x, decimals):
    if decimals >= 0:
        scale = _like(10.0 ** decimals, x)
        return np.rint(x * scale) / scale
    scale = _like(10.0 ** -decimals, x)
    return np.rint(x / scale) * scale


@register_jitable
def round(a, decimals=0, out=None):
    if is_integer(a) or is_bool(a):
        if decimals >= 0:
            return a.copy() if is_array(a) else a
        raise NotImplementedError("numlir rounds integers to decimals >= 0")
    if is_array(a):
        res = np.empty(a.shape, a.dtype)
        fa = a.ravel()
        fr = res.ravel()
        for i in range(fa.shape[0]):
            if is_complex(a):
                fr[i] = complex(_round_scalar(fa[i].real, decimals), _round_scalar(fa[i].imag, decimals))
            else:
                fr[i] = _round_scalar(fa[i], decimals)
        return res
    return _round_scalar(a, decimals)


@register_jitable
def cross(a, b):
    if a.ndim == 1:
        if a.shape[0] != 3 or b.shape[0] != 3:
            raise ValueError("numlir's np.cross takes vectors of 3 elements")
        out = np.empty(3, (a[:1] * b[:1]).dtype)
        out[0] = a[1] * b[2] - a[2] * b[1]
        out[1] = a[2] * b[0] - a[0] * b[2]
        out[2] = a[0] * b[1] - a[1] * b[0]
        return out
    if a.ndim == 2:
        if a.shape[1] != 3 or b.shape[1] != 3 or a.shape[0] != b.shape[0]:
            raise ValueError("numlir's np.cross takes (n, 3) arrays of one shape")
        out = np.empty((a.shape[0], 3), (a[:1] * b[:1]).dtype)
        for i in range(a.shape[0]):
            out[i, 0] = a[i, 1] * b[i, 2] - a[i, 2] * b[i, 1]
            out[i, 1] = a[i, 2] * b[i, 0] - a[i, 0] * b[i, 2]
            out[i, 2] = a[i, 0] * b[i, 1] - a[i, 1] * b[i, 0]
        return out
    raise NotImplementedError("numlir's np.cross takes 1-d and 2-d arrays")


@register_jitable
def kron(a, b):
    if a.ndim == 1 and b.ndim == 1:
        n = a.shape[0]
        m = b.shape[0]
        out = np.empty(n * m, (a[:1] * b[:1]).dtype)
        for i in range(n):
            for j in range(m):
                out[i * m + j] = a[i] * b[j]
        return out
    if a.ndim == 2 and b.ndim == 2:
        p, q = a.shape
        r, s = b.shape
        out = np.empty((p * r, q * s), (a[:1, :1] * b[:1, :1]).dtype)
        for i in range(p):
            for j in range(q):
                for k in range(r):
                    for l in range(s):
                        out[i * r + k, j * s + l] = a[i, j] * b[k, l]
        return out
    raise NotImplementedError("numlir's np.kron takes two 1-d or two 2-d arrays")


@register_jitable
def vander(x, N=None, increasing=False):
    n = x.shape[0]
    cols = n if N is None else N
    out = np.empty((n, cols), (x[:1] * 1).dtype)
    for i in range(n):
        p = x[i] ** 0
        for j in range(cols):
            k = j if increasing else cols - 1 - j
            out[i, k] = p
            p = p * x[i]
    return out


@register_jitable
def meshgrid(x, y, indexing="xy"):
    if indexing != "xy" and indexing != "ij":
        raise ValueError("Valid values for `indexing` are 'xy' and 'ij'.")
    # 'xy': rows follow y, columns x; 'ij' the other way round (xx and yy transposed).
    ij = indexing == "ij"
    rows = x.shape[0] if ij else y.shape[0]
    cols = y.shape[0] if ij else x.shape[0]
    xx = np.empty((rows, cols), x.dtype)
    yy = np.empty((rows, cols), y.dtype)
    for i in range(rows):
        for j in range(cols):
            xx[i, j] = x[i] if ij else x[j]
            yy[i, j] = y[j] if ij else y[i]
    return xx, yy


METHODS = {"round": round}

IMPLEMENTS = {
    "diff": diff, "convolve": convolve, "correlate": correlate, "interp": interp,
    "histogram": histogram, "bincount": bincount, "digitize": digitize, "cov": cov,
    "corrcoef": corrcoef, "median": median, "percentile": percentile, "quantile": quantile,
    "average": average, "nansum": nansum, "nanprod": nanprod, "nanmean": nanmean,
    "nanvar": nanvar, "nanstd": nanstd, "nanargmax": nanargmax, "nanargmin": nanargmin,
    "nanmedian": nanmedian, "isclose": isclose, "allclose": allclose, "round": round,
    "around": round, "cross": cross, "kron": kron, "vander": vander, "meshgrid": meshgrid,
}
