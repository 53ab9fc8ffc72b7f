"""Tuples: building, indexing, unpacking, comparing and returning them, compared with CPython.
"""
from conftest import cases, check
from scalar_inputs import nan, DIV_INT_PAIRS


# ---------------------------------------------------------------------------------------------
# Tuples
# ---------------------------------------------------------------------------------------------

def make_pair(a, b):
    return a, b


def swap(a, b):
    a, b = b, a
    return a, b


def rotate3(a, b, c):
    a, b, c = b, c, a
    return a, b, c


def unpack_tuple(a, b):
    t = (a + b, a - b)
    x, y = t
    return x * y


def nested_tuple(a, b):
    return (a, (b, a + b)), a * b


def unpack_nested(a, b, c):
    (x, (y, z)) = (a, (b, c))
    return x - y * z


def mixed_tuple(a):
    return a, a > 0, float(a), -a


def divmod_tuple(a, b):
    return a // b, a % b


def const_tuple(a):
    t = (1, 2.5, True)
    x, y, z = t
    return x + a, y, z


def minmax_tuple(a, b, c):
    lo = min(a, b, c)
    hi = max(a, b, c)
    return lo, hi


def tuple_of_bools(a, b):
    return a < b, a == b, a > b


def tuple_through_loop(n):
    t = (0, 1)
    for _ in range(n):
        a, b = t
        t = (b, a + b)
    return t


def empty_tuple(a):
    return ()


def single_tuple(a):
    return (a,)


@cases((1, 2), (1.5, -2), (True, 3), (nan, 0))
def test_return_pair(args):
    check(make_pair, *args)


@cases((1, 2), (1.5, 2.5), (-0.0, 0.0), (True, False))
def test_swap(args):
    check(swap, *args)


@cases((1, 2, 3), (1.5, 2.5, 3.5))
def test_rotate_three(args):
    check(rotate3, *args)


@cases((5, 3), (-2, 7), (1.5, 0.5))
def test_tuple_unpack(args):
    check(unpack_tuple, *args)


@cases((2, 3), (-1, 4.5))
def test_nested_tuple_return(args):
    check(nested_tuple, *args)


@cases((1, 2, 3), (10, -2, 2.5))
def test_nested_tuple_unpack(args):
    check(unpack_nested, *args)


@cases(5, -5, 0, 2 ** 62)
def test_tuple_of_mixed_types(args):
    check(mixed_tuple, *args)


@cases(*DIV_INT_PAIRS, (-7.5, 2.0), (7.5, -0.5), (-0.0, 5.0), (1.0, 0.0))
def test_divmod_tuple(args):
    check(divmod_tuple, *args)


@cases(1, -1.5)
def test_constant_tuple(args):
    check(const_tuple, *args)


@cases((1, 2, 3), (3, 1, 2), (2.5, -1.5, 0.5), (5, 5, 5))
def test_min_max_tuple(args):
    check(minmax_tuple, *args)


@cases((1, 2), (2, 2), (3.5, 2), (nan, 1.0))
def test_tuple_of_bools(args):
    check(tuple_of_bools, *args)


@cases(0, 1, 10, 80)
def test_tuple_carried_through_loop(args):
    check(tuple_through_loop, *args)


@cases(1, 2.5)
def test_empty_tuple(args):
    check(empty_tuple, *args)


@cases(1, 2.5, True)
def test_single_element_tuple(args):
    check(single_tuple, *args)


def concatenated(x, t):
    return (x,) + t + t, (*t, x, *t)


def concatenated_lists(xs):
    t = (xs, 1)
    u = t + (xs,)
    u[0].append(9)
    return u[2], len(u)


def test_tuple_concatenation():
    check(concatenated, 1, (2.5, 3))
    check(concatenated, True, ())
    check(concatenated_lists, [1, 2])


def list_out_of_a_tuple(xs):
    # an element taken out by t[i] owns its reference (a double free before)
    t = (xs, 1, xs)
    t[0].append(9)
    return t[2], len(t), t[-1][0]


def test_lists_taken_out_of_tuples_by_index():
    check(list_out_of_a_tuple, [1, 2])


# sum, any, all, sorted and list over a tuple of one type (its values as a list's), and
# over the tuple of *args.
def builtins_over_a_tuple(n):
    t = (n, 2, -3)
    f = (0.5, n * 1.0)
    return sum(t), sum(f), any(t), all(t), all((n, 0)), sorted(t), sorted(t, reverse=True), list(f)


def sum_of_star_args(*args):
    return sum(args), sorted(args)


@cases(0, 4)
def test_builtins_over_a_tuple(args):
    check(builtins_over_a_tuple, *args)
    check(sum_of_star_args, args[0], 2, 7)
