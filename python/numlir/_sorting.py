"""``sorted(xs, key=f)``, ``xs.sort(key=f)``, ``min(xs, key=f)`` and ``max(xs, key=f)`` in
compiled code: the frontend calls these functions in their place (``Environment::helper``), which compile like any ``@njit``
callee, with the key function passed as a value.

Each item gets its key and its position: the (key, position) pairs sort as tuples, so equal
keys keep their order (Python's sort is stable); for ``reverse=True`` the position counts
down, so that equal keys still keep their order in the descending result, as Python's do.
"""

from .extending import register_jitable


@register_jitable
def _order(items, key, reverse):
    sign = -1 if reverse else 1
    keyed = [(key(x), sign * i) for i, x in enumerate(items)]
    keyed.sort(reverse=reverse)
    return [sign * i for _, i in keyed]


@register_jitable
def sorted_by_key(iterable, key=None, reverse=False):
    items = list(iterable)
    return [items[i] for i in _order(items, key, reverse)]


@register_jitable
def sort_by_key(items, key=None, reverse=False):
    ordered = [items[i] for i in _order(items, key, reverse)]
    items[:] = ordered


@register_jitable
def _extreme_by_key(iterable, key, largest):
    items = list(iterable)
    if len(items) == 0:
        if largest:
            raise ValueError("max() arg is an empty sequence")
        raise ValueError("min() arg is an empty sequence")
    best, best_key = items[0], key(items[0])
    for i in range(1, len(items)):
        k = key(items[i])
        better = k > best_key if largest else k < best_key  # the first of equal keys wins
        if better:
            best, best_key = items[i], k
    return best


@register_jitable
def max_by_key(iterable, key=None):
    return _extreme_by_key(iterable, key, True)


@register_jitable
def min_by_key(iterable, key=None):
    return _extreme_by_key(iterable, key, False)
