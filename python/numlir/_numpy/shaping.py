"""Joining, shaping and views: ``np.reshape transpose ravel expand_dims flip fliplr flipud
roll repeat tile triu tril diag diagonal concatenate stack hstack vstack column_stack append
array asarray`` and the methods ``a.item() a.tolist() a.repeat() a.diagonal()``.

Views stay views where NumPy's are (``flip``, ``transpose``, ``diagonal`` copies, as NumPy's
read-only view is a copy here); joins take a tuple or list of arrays of one dtype and rank.
"""
import numpy as np

from ..extending import register_jitable
from .sorting import _axis_index
from .typing import is_array, is_sequence


_axis = _axis_index  # a normalized axis, or NumPy's AxisError


@register_jitable
def reshape(a, shape=None, order="C", newshape=None, copy=None):
    if shape is None:
        return a.reshape(newshape)
    return a.reshape(shape)


@register_jitable
def transpose(a, axes=None):
    if axes is not None:
        if a.ndim == 2:
            if _axis(axes[0], 2) == 0:
                return a
            return a.T
        raise NotImplementedError("numlir's np.transpose(a, axes) takes 2-d arrays")
    return a.T


@register_jitable
def ravel(a, order="C"):
    return a.ravel()


@register_jitable
def expand_dims(a, axis):
    if a.ndim == 1:
        if _axis(axis, 2) == 0:
            return a.reshape((1, a.shape[0]))
        return a.reshape((a.shape[0], 1))
    if a.ndim == 2:
        ax = _axis(axis, 3)
        if ax == 0:
            return a.reshape((1, a.shape[0], a.shape[1]))
        if ax == 1:
            return a.reshape((a.shape[0], 1, a.shape[1]))
        return a.reshape((a.shape[0], a.shape[1], 1))
    raise NotImplementedError("numlir's np.expand_dims takes 1-d and 2-d arrays")


@register_jitable
def flip(m, axis=None):
    if m.ndim == 1:
        if axis is not None:
            _axis(axis, 1)
        return m[::-1]
    if m.ndim == 2:
        if axis is None:
            return m[::-1, ::-1]
        if _axis(axis, 2) == 0:
            return m[::-1, :]
        return m[:, ::-1]
    raise NotImplementedError("numlir's np.flip takes 1-d and 2-d arrays")


@register_jitable
def fliplr(m):
    if m.ndim < 2:
        raise ValueError("Input must be >= 2-d.")
    return m[:, ::-1]


@register_jitable
def flipud(m):
    if m.ndim < 1:
        raise ValueError("Input must be >= 1-d.")
    return m[::-1]


@register_jitable
def roll(a, shift, axis=None):
    if axis is None or a.ndim == 1:
        if axis is not None:
            _axis(axis, 1)
        flat = a.ravel()
        n = flat.shape[0]
        out = np.empty(n, a.dtype)
        if n == 0:
            return out.reshape(a.shape)
        s = shift % n
        for i in range(n):
            out[(i + s) % n] = flat[i]
        return out.reshape(a.shape)
    if a.ndim == 2:
        out = np.empty(a.shape, a.dtype)
        if _axis(axis, 2) == 0:
            n = a.shape[0]
            for i in range(n):
                out[(i + shift) % n, :] = a[i, :]
        else:
            n = a.shape[1]
            for j in range(n):
                out[:, (j + shift) % n] = a[:, j]
        return out
    raise NotImplementedError("numlir's np.roll with an axis takes 1-d and 2-d arrays")


@register_jitable
def repeat(a, repeats, axis=None):
    if axis is not None:
        raise NotImplementedError("numlir's np.repeat takes axis=None")
    if is_array(a):
        flat = a.ravel()
    else:
        flat = np.full(1, a)
    n = flat.shape[0]
    if is_array(repeats):
        if repeats.shape[0] != n and repeats.shape[0] != 1:
            raise ValueError("operands could not be broadcast together")
        total = 0
        for i in range(repeats.shape[0]):
            if repeats[i] < 0:
                raise ValueError("repeats may not contain negative values.")
            total += repeats[i]
        if repeats.shape[0] == 1:
            total = repeats[0] * n
        out = np.empty(total, flat.dtype)
        k = 0
        for i in range(n):
            r = repeats[0] if repeats.shape[0] == 1 else repeats[i]
            for _ in range(r):
                out[k] = flat[i]
                k += 1
        return out
    if repeats < 0:
        raise ValueError("negative dimensions are not allowed")
    out = np.empty(n * repeats, flat.dtype)
    for i in range(n):
        for j in range(repeats):
            out[i * repeats + j] = flat[i]
    return out


@register_jitable
def tile(A, reps):
    if A.ndim == 1:
        n = A.shape[0]
        out = np.empty(n * reps, A.dtype)
        for r in range(reps):
            out[r * n:(r + 1) * n] = A
        return out
    if A.ndim == 2:
        rows, cols = A.shape
        out = np.empty((rows, cols * reps), A.dtype)
        for r in range(reps):
            out[:, r * cols:(r + 1) * cols] = A
        return out
    raise NotImplementedError("numlir's np.tile takes 1-d and 2-d arrays and an int")


@register_jitable
def _triangle(m, k, upper):
    if m.ndim != 2:
        raise NotImplementedError("numlir's np.triu/np.tril take 2-d arrays")
    out = m.copy()
    rows, cols = m.shape
    for i in range(rows):
        for j in range(cols):
            keep = j - i >= k if upper else j - i <= k
            if not keep:
                out[i, j] = 0
    return out


@register_jitable
def triu(m, k=0):
    return _triangle(m, k, True)


@register_jitable
def tril(m, k=0):
    return _triangle(m, k, False)


@register_jitable
def diagonal(a, offset=0, axis1=0, axis2=1):
    if a.ndim != 2:
        raise NotImplementedError("numlir's np.diagonal takes 2-d arrays")
    rows, cols = a.shape
    if offset >= 0:
        n = max(0, min(rows, cols - offset))
    else:
        n = max(0, min(rows + offset, cols))
    out = np.empty(n, a.dtype)
    for i in range(n):
        if offset >= 0:
            out[i] = a[i, i + offset]
        else:
            out[i] = a[i - offset, i]
    return out


@register_jitable
def diag(v, k=0):
    if v.ndim == 1:
        n = v.shape[0] + abs(k)
        out = np.zeros((n, n), v.dtype)
        for i in range(v.shape[0]):
            if k >= 0:
                out[i, i + k] = v[i]
            else:
                out[i - k, i] = v[i]
        return out
    if v.ndim == 2:
        return diagonal(v, k)
    raise ValueError("Input must be 1- or 2-d.")


@register_jitable
def concatenate(arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    first = arrays[0]
    if axis is None:
        total = 0
        for x in arrays:
            total += x.size
        result = np.empty(total, first.dtype)
        k = 0
        for x in arrays:
            flat = x.ravel()
            result[k:k + flat.shape[0]] = flat
            k += flat.shape[0]
        return result
    if first.ndim == 1:
        _axis(axis, 1)
        total = 0
        for x in arrays:
            total += x.shape[0]
        result = np.empty(total, first.dtype)
        k = 0
        for x in arrays:
            result[k:k + x.shape[0]] = x
            k += x.shape[0]
        return result
    if first.ndim == 2:
        ax = _axis(axis, 2)
        total = 0
        for x in arrays:
            if x.shape[1 - ax] != first.shape[1 - ax]:
                raise ValueError("all the input array dimensions except for the concatenation axis must match exactly")
            total += x.shape[ax]
        if ax == 0:
            result = np.empty((total, first.shape[1]), first.dtype)
            k = 0
            for x in arrays:
                result[k:k + x.shape[0], :] = x
                k += x.shape[0]
            return result
        result = np.empty((first.shape[0], total), first.dtype)
        k = 0
        for x in arrays:
            result[:, k:k + x.shape[1]] = x
            k += x.shape[1]
        return result
    raise NotImplementedError("numlir's np.concatenate takes 1-d and 2-d arrays")


@register_jitable
def stack(arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    first = arrays[0]
    if first.ndim != 1:
        raise NotImplementedError("numlir's np.stack takes 1-d arrays")
    n = first.shape[0]
    count = len(arrays)
    ax = _axis(axis, 2)
    if ax == 0:
        result = np.empty((count, n), first.dtype)
    else:
        result = np.empty((n, count), first.dtype)
    i = 0
    for x in arrays:
        if x.shape[0] != n:
            raise ValueError("all input arrays must have the same shape")
        if ax == 0:
            result[i, :] = x
        else:
            result[:, i] = x
        i += 1
    return result


@register_jitable
def vstack(tup):
    if tup[0].ndim == 1:
        return stack(tup, 0)
    return concatenate(tup, 0)


@register_jitable
def hstack(tup):
    if tup[0].ndim == 1:
        return concatenate(tup, 0)
    return concatenate(tup, 1)


@register_jitable
def column_stack(tup):
    if tup[0].ndim == 1:
        return stack(tup, 1)
    return concatenate(tup, 1)


@register_jitable
def dstack(tup):
    first = tup[0]
    count = len(tup)
    if first.ndim == 1:
        out = np.empty((1, first.shape[0], count), first.dtype)
        k = 0
        for x in tup:
            out[0, :, k] = x
            k += 1
        return out
    if first.ndim == 2:
        out3 = np.empty((first.shape[0], first.shape[1], count), first.dtype)
        k = 0
        for x in tup:
            out3[:, :, k] = x
            k += 1
        return out3
    raise NotImplementedError("numlir's np.dstack takes 1-d and 2-d arrays")


@register_jitable
def _split_bounds(n, sections, equal):
    """Where each of `sections` parts of an axis of length n starts (NumPy's array_split:
    the first n % sections parts are one longer)."""
    if sections <= 0:
        raise ValueError("number sections must be larger than 0.")
    if equal and n % sections != 0:
        raise ValueError("array split does not result in an equal division")
    bounds = np.empty(sections + 1, np.int64)
    size = n // sections
    extra = n % sections
    bounds[0] = 0
    for i in range(sections):
        bounds[i + 1] = bounds[i] + size + (1 if i < extra else 0)
    return bounds


@register_jitable
def _split(ary, indices_or_sections, axis, equal):
    if ary.ndim > 2:
        raise NotImplementedError("numlir's np.split and np.array_split take 1-d and 2-d arrays")
    ax = _axis(axis, ary.ndim)
    n = ary.shape[ax]
    if is_array(indices_or_sections):
        cuts = indices_or_sections
        bounds = np.empty(cuts.shape[0] + 2, np.int64)
        bounds[0] = 0
        for i in range(cuts.shape[0]):
            bounds[i + 1] = min(max(cuts[i] + n if cuts[i] < 0 else cuts[i], 0), n)
        bounds[cuts.shape[0] + 1] = n
    else:
        bounds = _split_bounds(n, indices_or_sections, equal)
    parts = []
    for i in range(bounds.shape[0] - 1):
        lo = bounds[i]
        hi = max(bounds[i + 1], lo)
        if ary.ndim == 1 or ax == 0:
            parts.append(ary[lo:hi])
        else:
            parts.append(ary[:, lo:hi])
    return parts


@register_jitable
def split(ary, indices_or_sections, axis=0):
    return _split(ary, indices_or_sections, axis, True)


@register_jitable
def array_split(ary, indices_or_sections, axis=0):
    return _split(ary, indices_or_sections, axis, False)


@register_jitable
def squeeze(a, axis=None):
    if axis is None:
        raise NotImplementedError("numlir's np.squeeze needs axis=: the rank of its result must be known when compiling")
    ax = _axis(axis, a.ndim)
    if a.shape[ax] != 1:
        raise ValueError("cannot select an axis to squeeze out which has size not equal to one")
    if a.ndim == 2:
        return a[0] if ax == 0 else a[:, 0]
    if a.ndim == 3:
        if ax == 0:
            return a[0]
        if ax == 1:
            return a[:, 0]
        return a[:, :, 0]
    raise NotImplementedError("numlir's np.squeeze takes 2-d and 3-d arrays")


@register_jitable
def append(arr, values, axis=None):
    if axis is not None:
        raise NotImplementedError("numlir's np.append takes axis=None")
    a = arr.ravel()
    if is_array(values):
        b = values.ravel()
    else:
        b = np.full(1, values)
    out = np.empty(a.shape[0] + b.shape[0], a.dtype)
    out[:a.shape[0]] = a
    out[a.shape[0]:] = b
    return out


@register_jitable
def array(obj, dtype=None, copy=True, order="K", ndmin=0):
    if is_array(obj):
        if dtype is None:
            return obj.copy()
        return obj.astype(dtype)
    n = len(obj)
    if n == 0:
        raise NotImplementedError("numlir's np.array of an empty sequence has no dtype")
    if is_sequence(obj[0]):
        cols = len(obj[0])
        if dtype is None:
            rows = np.full((n, cols), obj[0][0])
        else:
            rows = np.empty((n, cols), dtype)
        i = 0
        for row in obj:
            if len(row) != cols:
                raise ValueError("setting an array element with a sequence: the rows differ in length")
            j = 0
            for x in row:
                rows[i, j] = x
                j += 1
            i += 1
        return rows
    if dtype is None:
        out = np.full(n, obj[0])
    else:
        out = np.empty(n, dtype)
    i = 0
    for x in obj:
        out[i] = x
        i += 1
    return out


@register_jitable
def asarray(a, dtype=None, order=None):
    if is_array(a):
        if dtype is None:
            return a
        return a.astype(dtype)
    return array(a, dtype)


@register_jitable
def array_item(a):
    if a.size != 1:
        raise ValueError("can only convert an array of size 1 to a Python scalar")
    return a.ravel()[0]


@register_jitable
def array_tolist(a):
    if a.ndim == 1:
        return [x for x in a]
    if a.ndim == 2:
        return [[x for x in row] for row in a]
    raise NotImplementedError("numlir's a.tolist() takes 1-d and 2-d arrays")


METHODS = {
    "item": array_item,
    "tolist": array_tolist,
    "repeat": repeat,
    "diagonal": diagonal,
}

IMPLEMENTS = {
    "reshape": reshape, "transpose": transpose, "ravel": ravel, "expand_dims": expand_dims,
    "flip": flip, "fliplr": fliplr, "flipud": flipud, "roll": roll, "repeat": repeat,
    "tile": tile, "triu": triu, "tril": tril, "diag": diag, "diagonal": diagonal,
    "concatenate": concatenate, "stack": stack, "vstack": vstack, "hstack": hstack,
    "column_stack": column_stack, "append": append, "array": array, "asarray": asarray,
    "dstack": dstack, "split": split, "array_split": array_split, "squeeze": squeeze,
}
