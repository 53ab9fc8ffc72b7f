"""NumPy's advanced indexing: ``a[idx]`` and ``a[mask]`` (get and set) with an index array
of ints (negative ones count from the end) or bools, or a list of ints; ``np.take``,
``np.put``, ``a.take()``, ``a.put()``.

py-infer-types calls ``getitem``/``setitem`` in place of a subscript whose index is an
array (in a module built again once inference found one: src/python/compile.rs). An int index array picks
along the first axis, as NumPy's does; a bool mask of the array's shape picks elements in
C order, a 1-d mask on a 2-d array picks rows.
"""
import numpy as np

from ..extending import register_jitable
from .typing import is_array, is_bool


@register_jitable
def _position(i, n):
    """An index into an axis of length n, as NumPy reads it (IndexError past either end)."""
    j = i + n if i < 0 else i
    if j < 0 or j >= n:
        raise IndexError("index is out of bounds for axis 0")
    return j


@register_jitable
def _mask_count(mask):
    n = 0
    for x in mask.ravel():
        if x:
            n += 1
    return n


@register_jitable
def _check_mask(a, mask):
    if mask.ndim != a.ndim and mask.ndim != 1:
        raise IndexError("boolean index did not match indexed array")
    if mask.ndim == a.ndim:
        for d in range(a.ndim):
            if mask.shape[d] != a.shape[d]:
                raise IndexError("boolean index did not match indexed array along an axis")
    elif mask.shape[0] != a.shape[0]:
        raise IndexError("boolean index did not match indexed array along axis 0")


@register_jitable
def getitem(a, index):
    if is_array(index) and is_bool(index):
        _check_mask(a, index)
        k = _mask_count(index)
        if index.ndim == a.ndim:
            out = np.empty(k, a.dtype)
            j = 0
            flat = a.ravel()
            fm = index.ravel()
            for i in range(fm.shape[0]):
                if fm[i]:
                    out[j] = flat[i]
                    j += 1
            return out
        # A 1-d mask picks rows of a 2-d array.
        rows = np.empty((k, a.shape[1]), a.dtype)
        j = 0
        for i in range(index.shape[0]):
            if index[i]:
                rows[j] = a[i]
                j += 1
        return rows
    if is_array(index) and index.ndim != 1:
        raise NotImplementedError("numlir indexes with 1-d arrays of ints")
    n = len(index)
    if a.ndim == 1:
        out = np.empty(n, a.dtype)
        for k in range(n):
            out[k] = a[_position(index[k], a.shape[0])]
        return out
    if a.ndim == 2:
        out2 = np.empty((n, a.shape[1]), a.dtype)
        for k in range(n):
            out2[k] = a[_position(index[k], a.shape[0])]
        return out2
    raise NotImplementedError("numlir's advanced indexing takes 1-d and 2-d arrays")


@register_jitable
def setitem(a, index, value):
    if is_array(index) and is_bool(index):
        _check_mask(a, index)
        if index.ndim == a.ndim:
            if is_array(value):
                v = value.ravel()
                if v.shape[0] != _mask_count(index) and v.shape[0] != 1:
                    raise ValueError("NumPy boolean array indexing assignment cannot assign that many "
                                     "input values to the output values where the mask is true")
                step = 1 if v.shape[0] > 1 else 0
                j = 0
                if a.ndim == 1:
                    for i in range(a.shape[0]):
                        if index[i]:
                            a[i] = v[j]
                            j += step
                    return
                if a.ndim == 2:
                    for i in range(a.shape[0]):
                        for c in range(a.shape[1]):
                            if index[i, c]:
                                a[i, c] = v[j]
                                j += step
                    return
                raise NotImplementedError("numlir's boolean mask assignment takes 1-d and 2-d arrays")
            if a.ndim == 1:
                for i in range(a.shape[0]):
                    if index[i]:
                        a[i] = value
                return
            if a.ndim == 2:
                for i in range(a.shape[0]):
                    for c in range(a.shape[1]):
                        if index[i, c]:
                            a[i, c] = value
                return
            raise NotImplementedError("numlir's boolean mask assignment takes 1-d and 2-d arrays")
        for i in range(index.shape[0]):
            if index[i]:
                a[i] = value
        return
    n = len(index)
    if is_array(value):
        if value.ndim == 1 and a.ndim == 1:
            if value.shape[0] != n and value.shape[0] != 1:
                raise ValueError("shape mismatch: value array could not be broadcast to indexing result")
            for k in range(n):
                a[_position(index[k], a.shape[0])] = value[k if value.shape[0] > 1 else 0]
            return
    for k in range(n):
        a[_position(index[k], a.shape[0])] = value


@register_jitable
def take(a, indices, axis=None, out=None, mode="raise"):
    if axis is not None:
        if a.ndim == 1 or axis == 0 or axis == -a.ndim:
            return getitem(a, indices)
        raise NotImplementedError("numlir's np.take takes axis=None or 0")
    flat = a.ravel()
    if is_array(indices):
        picked = np.empty(indices.size, a.dtype)
        fi = indices.ravel()
        for k in range(fi.shape[0]):
            picked[k] = flat[_position(fi[k], flat.shape[0])]
        return picked.reshape(indices.shape)
    return flat[_position(indices, flat.shape[0])]


@register_jitable
def put(a, ind, v, mode="raise"):
    n = a.size
    if is_array(ind):
        fi = ind.ravel()
    else:
        fi = np.full(1, ind)
    if is_array(v):
        fv = v.ravel()
    else:
        fv = np.full(1, v)
    if fv.shape[0] == 0:
        return
    if a.ndim == 1:
        for k in range(fi.shape[0]):
            a[_position(fi[k], n)] = fv[k % fv.shape[0]]
    elif a.ndim == 2:
        cols = a.shape[1]
        for k in range(fi.shape[0]):
            p = _position(fi[k], n)
            a[p // cols, p % cols] = fv[k % fv.shape[0]]
    else:
        raise NotImplementedError("numlir's np.put takes 1-d and 2-d arrays")


METHODS = {"__getitem__": getitem, "__setitem__": setitem, "take": take, "put": put}

IMPLEMENTS = {"take": take, "put": put}
