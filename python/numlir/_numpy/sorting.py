"""Sorting, searching and counting: ``np.sort argsort searchsorted unique nonzero
flatnonzero argwhere count_nonzero`` and ``np.where(cond)``.

Sorts follow NumPy's order: NaNs last, complex numbers by real part, then imaginary part.
``np.sort`` is an introsort (quicksort with a heapsort fallback and insertion sort for short
runs; NaNs are moved to the end first, so the loops compare with a plain ``<``);
``np.argsort`` is always stable, so ties come out in the order of ``kind="stable"``
whatever ``kind`` says: a radix sort of the elements' order bits with their indices from
``_RADIX_MIN`` elements on (real dtypes), a merge sort of the indices below it.
"""
import numpy as np
from numpy.exceptions import AxisError

from ..extending import register_jitable
from .choice import literal_choice
from .indexing import take
from .bits import float_bits
from .typing import is_array, is_bool, is_complex, is_float, is_integer, is_unsigned

_SMALL = 16  # runs this short are insertion-sorted


@register_jitable
def _lt(x, y):
    """NumPy's sort order: NaNs after everything; complex by (real, imag)."""
    if is_complex(x):
        if x.real < y.real:
            return True
        if x.real == y.real:
            return x.imag < y.imag or (y.imag != y.imag and x.imag == x.imag)
        return y.real != y.real and x.real == x.real
    if is_float(x):
        return x < y or (y != y and x == x)
    return x < y


@register_jitable
def _lt_no_nans(x, y):
    """_lt for floats known not to be NaN (np.sort moves NaNs to the end first)."""
    if is_float(x):
        return x < y
    return _lt(x, y)


@register_jitable
def _insertion_sort(v, lo, hi, nan_aware):
    for i in range(lo + 1, hi + 1):
        x = v[i]
        j = i - 1
        while j >= lo and _less(x, v[j], nan_aware):
            v[j + 1] = v[j]
            j -= 1
        v[j + 1] = x


@register_jitable
def _sift_down(v, lo, start, n):
    root = start
    while True:
        child = 2 * root + 1
        if child >= n:
            return
        if child + 1 < n and _lt_no_nans(v[lo + child], v[lo + child + 1]):
            child += 1
        if _lt_no_nans(v[lo + root], v[lo + child]):
            t = v[lo + root]
            v[lo + root] = v[lo + child]
            v[lo + child] = t
            root = child
        else:
            return


@register_jitable
def _heapsort(v, lo, hi):
    n = hi - lo + 1
    for start in range(n // 2 - 1, -1, -1):
        _sift_down(v, lo, start, n)
    for end in range(n - 1, 0, -1):
        t = v[lo]
        v[lo] = v[lo + end]
        v[lo + end] = t
        _sift_down(v, lo, 0, end)


@register_jitable
def _less(x, y, nan_aware):
    return _lt(x, y) if nan_aware else _lt_no_nans(x, y)


@register_jitable
def _partition_around_median(v, lo, hi, nan_aware):
    """Partitions v[lo..hi] (longer than _SMALL) around the median of its first, middle and
    last elements; returns where that pivot lands: no larger element before it, no smaller
    after it."""
    mid = lo + ((hi - lo) >> 1)
    if _less(v[mid], v[lo], nan_aware):
        t = v[mid]
        v[mid] = v[lo]
        v[lo] = t
    if _less(v[hi], v[mid], nan_aware):
        t = v[hi]
        v[hi] = v[mid]
        v[mid] = t
        if _less(v[mid], v[lo], nan_aware):
            t = v[mid]
            v[mid] = v[lo]
            v[lo] = t
    pivot = v[mid]
    v[mid] = v[hi - 1]
    v[hi - 1] = pivot
    i = lo
    j = hi - 1
    while True:
        i += 1
        while _less(v[i], pivot, nan_aware):
            i += 1
        j -= 1
        while _less(pivot, v[j], nan_aware):
            j -= 1
        if i >= j:
            break
        t = v[i]
        v[i] = v[j]
        v[j] = t
    t = v[i]
    v[i] = v[hi - 1]
    v[hi - 1] = t
    return i


@register_jitable
def _quicksort(v, lo, hi):
    """Sorts v[lo..hi] in place: median-of-three quicksort on the shorter side first
    (so the stack stays short), heapsort past a depth limit, insertion sort for short runs."""
    stack = np.empty(3 * 128, np.int64)
    top = 0
    depth = 0
    n = hi - lo + 1
    while n > 1:
        depth += 2
        n >>= 1
    while True:
        while hi - lo > _SMALL:
            if depth == 0:
                _heapsort(v, lo, hi)
                break
            depth -= 1
            i = _partition_around_median(v, lo, hi, False)
            # The longer side waits on the stack; the loop goes on with the shorter.
            if i - lo < hi - i:
                stack[top] = i + 1
                stack[top + 1] = hi
                stack[top + 2] = depth
                hi = i - 1
            else:
                stack[top] = lo
                stack[top + 1] = i - 1
                stack[top + 2] = depth
                lo = i + 1
            top += 3
        if hi - lo <= _SMALL:
            _insertion_sort(v, lo, hi, False)
        if top == 0:
            return
        top -= 3
        lo = stack[top]
        hi = stack[top + 1]
        depth = stack[top + 2]


@register_jitable
def _int_span(v):
    """The least of v's ints and how many values lie from it to the greatest."""
    lo = v[0]
    hi = v[0]
    for i in range(1, v.shape[0]):
        x = v[i]
        if x < lo:
            lo = x
        if x > hi:
            hi = x
    return lo, int(hi) - int(lo) + 1


@register_jitable
def _int_counts(v, lo, span):
    counts = np.zeros(span, np.int64)
    for i in range(v.shape[0]):
        counts[int(v[i]) - int(lo)] += 1
    return counts


@register_jitable
def _sort_inplace_1d(v):
    n = v.shape[0]
    if is_integer(v) and n > 64:
        # Ints within a span no wider than their count: a counting sort, O(n).
        lo, span = _int_span(v)
        if 0 < span <= n:
            counts = _int_counts(v, lo, span)
            k = 0
            for j in range(span):
                x = lo + j
                for _ in range(counts[j]):
                    v[k] = x
                    k += 1
            return
    if is_float(v):
        # NaNs to the end, so that the sort itself compares with a plain `<`.
        k = 0
        for i in range(n):
            x = v[i]
            if x == x:
                v[k] = x
                k += 1
        for i in range(k, n):
            v[i] = np.nan
        n = k
    if n > 1:
        _quicksort(v, 0, n - 1)


@register_jitable
def _axis_index(axis, ndim):
    """A normalized axis, or NumPy's AxisError (a ValueError and IndexError)."""
    if axis < -ndim or axis >= ndim:
        raise AxisError("axis is out of bounds for the array's dimension")
    return axis + ndim if axis < 0 else axis


@register_jitable
def _sort_inplace(a, axis):
    """Sorts every 1-d lane of `a` along `axis` in place."""
    if a.ndim == 1:
        _axis_index(axis, 1)
        _sort_inplace_1d(a)
    elif a.ndim == 2:
        ax = _axis_index(axis, 2)
        if ax == 1:
            for i in range(a.shape[0]):
                _sort_inplace_1d(a[i])
        else:
            t = a.T
            for i in range(t.shape[0]):
                _sort_inplace_1d(t[i])
    else:
        ax = _axis_index(axis, a.ndim)
        if ax != a.ndim - 1:
            raise NotImplementedError("numlir sorts arrays of 3 or more dimensions along the last axis only")
        rows = a.reshape((-1, a.shape[a.ndim - 1]))
        for i in range(rows.shape[0]):
            _sort_inplace_1d(rows[i])


@register_jitable
def sort(a, axis=-1, kind=None, order=None, stable=None):
    if axis is None:
        out = a.flatten()
        _sort_inplace_1d(out)
        return out
    out = a.copy()
    _sort_inplace(out, axis)
    return out


@register_jitable
def _merge_argsort(v, idx, buf, lo, hi):
    """Stable sort of idx[lo..hi] by v[idx]: insertion-sorted runs, merged bottom-up."""
    for start in range(lo, hi + 1, _SMALL):
        end = min(start + _SMALL - 1, hi)
        for i in range(start + 1, end + 1):
            x = idx[i]
            key = v[x]
            j = i - 1
            while j >= start and _lt(key, v[idx[j]]):
                idx[j + 1] = idx[j]
                j -= 1
            idx[j + 1] = x
    width = _SMALL
    n = hi - lo + 1
    while width < n:
        for left in range(lo, hi + 1, 2 * width):
            mid = left + width - 1
            if mid >= hi:
                break
            right = min(left + 2 * width - 1, hi)
            if not _lt(v[idx[mid + 1]], v[idx[mid]]):
                continue  # already in order
            for k in range(left, mid + 1):
                buf[k - left] = idx[k]
            i = 0
            i_end = mid - left + 1
            j = mid + 1
            k = left
            while i < i_end and j <= right:
                if _lt(v[idx[j]], v[buf[i]]):
                    idx[k] = idx[j]
                    j += 1
                else:
                    idx[k] = buf[i]
                    i += 1
                k += 1
            while i < i_end:
                idx[k] = buf[i]
                i += 1
                k += 1
        width *= 2


_RADIX_MIN = 1024  # argsorts this long or longer are radix sorts
_SIGN = -0x8000000000000000  # int64's sign bit


@register_jitable
def _order_bits(x):
    """x's place in NumPy's sort order as an int64's bits, in unsigned order: -0.0 is 0.0,
    every NaN the same and after +inf; unsigned ints and bools as they are."""
    if is_float(x):
        if x != x:
            x = np.nan
        bits = float_bits(x + 0.0)  # (-0.0 + 0.0 is 0.0)
        if bits < 0:
            bits ^= 0x7FFFFFFFFFFFFFFF  # negative floats: larger magnitude first
        return bits ^ _SIGN
    if is_unsigned(x) or is_bool(x):
        return int(x)  # (a uint64 from 2**63 on as its bits: int64 is wrapped)
    return int(x) ^ _SIGN


@register_jitable
def _radix_argsort(v, out):
    """Stable argsort of a 1-d real array by LSD radix sort: 8 passes of 8 bits over the
    elements' order bits, moving each element's bits with its index (no comparisons, no
    reads at random places of v); a pass whose digit is the same everywhere is skipped."""
    n = v.shape[0]
    keys = np.empty(n, np.int64)
    index = np.empty(n, np.int64)
    counts = np.zeros((8, 256), np.int64)
    for i in range(n):
        k = _order_bits(v[i])
        keys[i] = k
        index[i] = i
        for p in range(8):
            counts[p, (k >> (8 * p)) & 255] += 1
    keys2 = np.empty(n, np.int64)
    index2 = np.empty(n, np.int64)
    starts = np.empty(256, np.int64)
    flipped = False
    for p in range(8):
        shift = 8 * p
        if counts[p, (keys[0] >> shift) & 255] == n:
            continue
        total = 0
        for d in range(256):
            starts[d] = total
            total += counts[p, d]
        if flipped:
            _radix_pass(keys2, index2, keys, index, starts, shift)
        else:
            _radix_pass(keys, index, keys2, index2, starts, shift)
        flipped = not flipped
    last = index2 if flipped else index
    for i in range(n):
        out[i] = last[i]


@register_jitable
def _radix_pass(keys, index, to_keys, to_index, starts, shift):
    """One stable pass: each element (its bits and index) to the next place of its digit."""
    for i in range(keys.shape[0]):
        k = keys[i]
        d = (k >> shift) & 255
        at = starts[d]
        starts[d] = at + 1
        to_keys[at] = k
        to_index[at] = index[i]


@register_jitable
def _argsort_1d(v, out):
    n = v.shape[0]
    if n >= _RADIX_MIN and not is_complex(v):
        _radix_argsort(v, out)
        return
    for i in range(n):
        out[i] = i
    if n > 1:
        buf = np.empty(n, np.int64)
        _merge_argsort(v, out, buf, 0, n - 1)


@register_jitable
def argsort(a, axis=-1, kind=None, order=None, stable=None):
    if axis is None:
        flat = a.flatten()
        out = np.empty(flat.shape[0], np.int64)
        _argsort_1d(flat, out)
        return out
    out = np.empty(a.shape, np.int64)
    if a.ndim == 1:
        _axis_index(axis, 1)
        _argsort_1d(a, out)
    elif a.ndim == 2:
        ax = _axis_index(axis, 2)
        if ax == 1:
            for i in range(a.shape[0]):
                _argsort_1d(a[i], out[i])
        else:
            t = a.T
            o = out.T
            for i in range(t.shape[0]):
                _argsort_1d(t[i], o[i])
    else:
        ax = _axis_index(axis, a.ndim)
        if ax != a.ndim - 1:
            raise NotImplementedError("numlir sorts arrays of 3 or more dimensions along the last axis only")
        last = a.shape[a.ndim - 1]
        rows = a.reshape((-1, last))
        o = out.reshape((-1, last))
        for i in range(rows.shape[0]):
            _argsort_1d(rows[i], o[i])
    return out


@register_jitable
def _select(v, k, lo, hi):
    """Moves the k-th smallest of v[lo..hi] to v[k], smaller ones before it and larger
    ones after (NaNs last): quickselect with a median of three, insertion sort for short
    ranges."""
    while hi - lo > _SMALL:
        i = _partition_around_median(v, lo, hi, True)
        if k < i:
            hi = i - 1
        elif k > i:
            lo = i + 1
        else:
            return
    _insertion_sort(v, lo, hi, True)


@register_jitable
def _partition_1d(v, kth):
    n = v.shape[0]
    if is_array(kth):
        # Several kth: each selected in the part the earlier ones left (kth sorted).
        ks = np.sort(kth)
        lo = 0
        for i in range(ks.shape[0]):
            k = ks[i] + n if ks[i] < 0 else ks[i]
            if k < 0 or k >= n:
                raise ValueError("kth out of bounds")
            if k >= lo:
                _select(v, k, lo, n - 1)
                lo = k + 1
        return
    k = kth + n if kth < 0 else kth
    if k < 0 or k >= n:
        raise ValueError("kth out of bounds")
    _select(v, k, 0, n - 1)


@register_jitable
def partition(a, kth, axis=-1, kind="introselect", order=None):
    if a.ndim != 1:
        raise NotImplementedError("numlir's np.partition takes 1-d arrays")
    _axis_index(axis, 1)
    out = a.copy()
    _partition_1d(out, kth)
    return out


@register_jitable
def argpartition(a, kth, axis=-1, kind="introselect", order=None):
    # A stable argsort is one valid partition order (NumPy's differs among equals).
    if a.ndim != 1:
        raise NotImplementedError("numlir's np.argpartition takes 1-d arrays")
    _axis_index(axis, 1)
    out = np.empty(a.shape[0], np.int64)
    _argsort_1d(a, out)
    return out


@register_jitable
def _search(a, x, right):
    """The insertion point of x in sorted a (NumPy's order, NaNs last)."""
    lo = 0
    hi = a.shape[0]
    while lo < hi:
        mid = (lo + hi) >> 1
        if right:
            go_right = not _lt(x, a[mid])
        else:
            go_right = _lt(a[mid], x)
        if go_right:
            lo = mid + 1
        else:
            hi = mid
    return lo


@register_jitable
def searchsorted(a, v, side="left", sorter=None):
    if side != "left" and side != "right":
        raise ValueError("side must be 'left' or 'right'")
    right = side == "right"
    if sorter is not None:
        return searchsorted(take(a, sorter), v, side)
    if is_array(v):
        flat = v.ravel()
        out = np.empty(flat.shape[0], np.int64)
        for i in range(flat.shape[0]):
            out[i] = _search(a, flat[i], right)
        return out.reshape(v.shape)
    return _search(a, v, right)


@register_jitable
def _unique_sorted(a):
    """The sorted copy of a's elements and the stable order that sorts them."""
    flat = a.ravel()
    order = np.empty(flat.shape[0], np.int64)
    _argsort_1d(flat, order)
    return flat, order


@register_jitable
def _same(x, y):
    """Equal, with NaNs equal to each other (np.unique's equal_nan=True)."""
    return x == y or (x != x and y != y)


@register_jitable
def _run_starts(v):
    """Where each run of equal values of sorted v starts (the end last), and how many runs."""
    n = v.shape[0]
    starts = np.empty(n + 1, np.int64)
    k = 0
    for i in range(n):
        if i == 0 or not _same(v[i], v[i - 1]):
            starts[k] = i
            k += 1
    starts[k] = n
    return starts, k


@register_jitable
def _unique_runs(ar):
    """A sorted copy of ar's elements, and where each run of equal ones starts (and how
    many runs): np.unique's values and counts need no stable order, so no argsort."""
    v = ar.flatten()
    _sort_inplace_1d(v)
    starts, k = _run_starts(v)
    return v, starts, k


@register_jitable
def _unique_counted(ar):
    """np.unique's values and counts of ints within a span no wider than twice their
    count, by counting: no sort. None where the span is wider."""
    v = ar.ravel()
    n = v.shape[0]
    if n == 0:
        return None
    lo, span = _int_span(v)
    if span <= 0 or span > 2 * n:  # (a span past int64 wraps below 1)
        return None
    counts = _int_counts(v, lo, span)
    k = 0
    for j in range(span):
        if counts[j] > 0:
            k += 1
    values = np.empty(k, v.dtype)
    kept = np.empty(k, np.int64)
    k = 0
    for j in range(span):
        if counts[j] > 0:
            values[k] = lo + j
            kept[k] = counts[j]
            k += 1
    return values, kept


@register_jitable
def _unique_values(ar):
    if is_integer(ar):
        counted = _unique_counted(ar)
        if counted is not None:
            return counted[0]
    v, starts, k = _unique_runs(ar)
    values = np.empty(k, v.dtype)
    for j in range(k):
        values[j] = v[starts[j]]
    return values


@register_jitable
def _unique_all(ar):
    """np.unique's four results: the values, where each first occurs, the inverse (shaped
    as `ar`, as NumPy 2 gives it) and the counts."""
    flat, order = _unique_sorted(ar)
    starts, k = _run_starts(take(flat, order))
    values = np.empty(k, flat.dtype)
    index = np.empty(k, np.int64)
    counts = np.empty(k, np.int64)
    inverse = np.empty(flat.shape[0], np.int64)
    for j in range(k):
        values[j] = flat[order[starts[j]]]
        index[j] = order[starts[j]]  # the stable order puts the first occurrence first
        counts[j] = starts[j + 1] - starts[j]
        for i in range(starts[j], starts[j + 1]):
            inverse[order[i]] = j
    return values, index, inverse.reshape(ar.shape), counts


@register_jitable
def _unique_i(ar):
    r = _unique_all(ar)
    return r[0], r[1]


@register_jitable
def _unique_v(ar):
    r = _unique_all(ar)
    return r[0], r[2]


@register_jitable
def _unique_c(ar):
    if is_integer(ar):
        counted = _unique_counted(ar)
        if counted is not None:
            return counted
    v, starts, k = _unique_runs(ar)
    values = np.empty(k, v.dtype)
    counts = np.empty(k, np.int64)
    for j in range(k):
        values[j] = v[starts[j]]
        counts[j] = starts[j + 1] - starts[j]
    return values, counts


@register_jitable
def _unique_iv(ar):
    r = _unique_all(ar)
    return r[0], r[1], r[2]


@register_jitable
def _unique_ic(ar):
    r = _unique_all(ar)
    return r[0], r[1], r[3]


@register_jitable
def _unique_vc(ar):
    r = _unique_all(ar)
    return r[0], r[2], r[3]


_UNIQUE_CHOICES = {
    (True, False, False): _unique_i,
    (False, True, False): _unique_v, (False, False, True): _unique_c,
    (True, True, False): _unique_iv, (True, False, True): _unique_ic,
    (False, True, True): _unique_vc, (True, True, True): _unique_all,
}


def _choose_unique(return_index=False, return_inverse=False, return_counts=False):
    if not (return_index or return_inverse or return_counts):
        return unique  # the values alone: np.unique itself, with its checks
    return _UNIQUE_CHOICES[bool(return_index), bool(return_inverse), bool(return_counts)]


@literal_choice("return_index", "return_inverse", "return_counts")(_choose_unique)
@register_jitable
def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, equal_nan=True):
    if axis is not None:
        raise NotImplementedError("numlir's np.unique takes axis=None only")
    return _unique_values(ar)


@register_jitable
def count_nonzero(a, axis=None, keepdims=False):
    if not is_array(a):
        return 1 if a != 0 else 0
    flat = a.ravel()
    n = 0
    for i in range(flat.shape[0]):
        if flat[i] != 0:
            n += 1
    return n


@register_jitable
def flatnonzero(a):
    flat = a.ravel()
    n = count_nonzero(flat)
    out = np.empty(n, np.int64)
    k = 0
    for i in range(flat.shape[0]):
        if flat[i] != 0:
            out[k] = i
            k += 1
    return out


@register_jitable
def argwhere(a):
    flat = a.ravel()
    hits = flatnonzero(flat)
    out = np.empty((hits.shape[0], a.ndim), np.int64)
    for k in range(hits.shape[0]):
        rest = hits[k]
        for d in range(a.ndim - 1, -1, -1):
            out[k, d] = rest % a.shape[d]
            rest //= a.shape[d]
    return out


@register_jitable
def nonzero(a):
    if a.ndim == 1:
        return (flatnonzero(a),)
    where = argwhere(a)
    if a.ndim == 2:
        return (where[:, 0].copy(), where[:, 1].copy())
    if a.ndim == 3:
        return (where[:, 0].copy(), where[:, 1].copy(), where[:, 2].copy())
    raise NotImplementedError("numlir's np.nonzero takes arrays of 1 to 3 dimensions")


@register_jitable
def _list_sort(xs):
    xs.sort(reverse=False)  # with `reverse`, the frontend keeps a list's own sort


@register_jitable
def method_sort(a, axis=-1, kind=None, order=None, stable=None):
    """``x.sort()``: an array's in-place sort, or a list's."""
    if is_array(a):
        _sort_inplace(a, axis)
    else:
        _list_sort(a)


# Array methods take the array first, as these functions do.
METHODS = {
    "sort": method_sort,
    "argsort": argsort,
    "searchsorted": searchsorted,
    "nonzero": nonzero,
}

IMPLEMENTS = {
    "sort": sort,
    "partition": partition,
    "argpartition": argpartition,
    "argsort": argsort,
    "searchsorted": searchsorted,
    "unique": unique,
    "count_nonzero": count_nonzero,
    "flatnonzero": flatnonzero,
    "argwhere": argwhere,
    "nonzero": nonzero,
}
