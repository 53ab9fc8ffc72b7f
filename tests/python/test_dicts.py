"""Dicts in compiled code: displays, comprehensions, dict(), d[k], `in`, del, methods,
iteration in insertion order, dicts of lists and tuple keys, and dicts returned to Python,
compared with CPython (see ``check`` in conftest.py)."""
import pytest

import numlir
from conftest import cases, check, error_line


def fill_and_read(n):
    d = {}
    for i in range(n):
        d[i] = i * 0.5
    s = 0.0
    for k in d:
        s += d[k]
    return d, s, len(d), 3 in d, 100 in d, 3 not in d


def display_and_methods(n):
    d = {1: 2, 3: 4}
    d[5] = 6
    del d[1]
    x = d.get(3, 0) + d.get(99, -1)
    y = d.pop(5)
    z = d.pop(77, n)
    d.setdefault(10, 11)
    d.setdefault(3, 100)
    items = []
    for k, v in d.items():
        items.append(k * 10 + v)
    return d, x, y, z, items, list(d.keys()), list(d.values())


def built_display(n):
    return {n: 1.5, n + 1: 2.5, n: 3.5}


def comprehension(n):
    return {i: i * i for i in range(n) if i % 2 == 0}


def dict_of_lists(n):
    d = {i: [i] * i for i in range(n)}
    d2 = d.copy()
    d2[0] = [7]
    e = {}
    e.update(d)
    d[n - 1].append(-1)
    return d, d2, e, bool(e), bool(dict(e))


def counting(n):
    counts = {}
    for i in range(n):
        k = i % 7
        counts[k] = counts.get(k, 0) + 1
    return counts


def tuple_keys(n):
    d = {(i, i + 1): i for i in range(n)}
    return d[(1, 2)], (2, 3) in d, d


def float_keys(x):
    d = {0.0: 1, 1.5: 2}
    d[-0.0] = 3
    return d, d[x] if x in d else -1


def overwrite_keeps_order(n):
    d = {}
    for i in range(n):
        d[i % 3] = i
    return list(d.items())


def popitem_and_clear(n):
    d = {i: -i for i in range(n)}
    last = d.popitem()
    d.clear()
    d[9] = 9
    return last, d


def missing_key(k):
    d = {1: 2}
    return d[k]


def del_missing(k):
    d = {1: 2}
    del d[k]
    return len(d)


def popitem_empty(n):
    d = {1: n}
    d.popitem()
    return d.popitem()


def dict_of_dicts(n):
    outer = {}
    for i in range(n):
        inner = {}
        inner[i] = float(i)
        outer[i] = inner
    return outer


@cases(0, 1, 6)
def test_fill_and_read(args):
    check(fill_and_read, *args)


@cases(8, -2)
def test_methods(args):
    check(display_and_methods, *args)


@cases(0, 5)
def test_displays_and_comprehensions(args):
    check(built_display, *args)
    check(comprehension, *args)
    check(overwrite_keeps_order, *args)
    check(dict_of_dicts, *args)


@cases(1, 5)
def test_dicts_of_lists(args):
    check(dict_of_lists, *args)


@cases(0, 20)
def test_counting(args):
    check(counting, *args)


@cases(3, 6)
def test_tuple_keys(args):
    check(tuple_keys, *args)


@cases(0.0, -0.0, 1.5, 2.0)
def test_float_keys(args):
    check(float_keys, *args)


@cases(2, 5)
def test_popitem_and_clear(args):
    check(popitem_and_clear, *args)


@cases(1, 7, -3)
def test_key_errors(args):
    check(missing_key, *args)
    check(del_missing, *args)


def test_popitem_of_empty_dict():
    check(popitem_empty, 1)


def two_value_types(n):
    d = {}
    d[1] = 2
    d[2] = (n, n)  # ERR
    return d


def never_set(n):
    d = {}
    return len(d)


def test_dict_of_two_value_types_is_a_typing_error():
    with pytest.raises(numlir.TypingError) as info:
        numlir.njit(two_value_types)(1)
    message = str(info.value)
    assert "dict 'd' holds int values and a tuple[int, int]" in message
    assert f"line {error_line(two_value_types)}" in message


def test_empty_dict_never_set_is_a_typing_error():
    with pytest.raises(numlir.TypingError, match="key and value types of this empty dict are never given"):
        numlir.njit(never_set)(1)


def get_without_default(n):
    d = {1: 2}
    return d.get(n)


@pytest.mark.parametrize("n", [1, 5])
def test_get_without_default_gives_the_value_or_none(n):
    check(get_without_default, n)


def builtins_over_views(n):
    d = {i: i * 0.5 for i in range(n)}
    s = {3, 1, 2, n}
    return (sum(d.values()), max(d.keys()), min(d.values()), sorted(d), sorted(s, reverse=True),
            sum(s), min(s), max(s), any(s), all(d.values()), sum(range(n)), max(range(n)), sorted(range(n, 0, -2)))


@cases(3, 6)
def test_builtins_over_dicts_sets_and_ranges(args):
    check(builtins_over_views, *args)


def churn(n):
    # inserts, deletes and re-inserts past several rebuilds: removed slots are passed over
    # by lookups and dropped by rebuilds
    d = {}
    for i in range(n):
        d[i] = i * 2
        if i % 3 == 0:
            del d[i // 2]
    for i in range(0, n, 5):
        if i in d:
            d.pop(i)
    for i in range(n // 2):
        d[i * 11] = -i
    total = 0
    for k, v in d.items():
        total += k * 3 + v
    keys = [k for k in d]
    return total, len(d), keys[:10], keys[-10:]


def test_churn_matches_cpython():
    for n in (10, 100, 1000, 20000):
        check(churn, n)
