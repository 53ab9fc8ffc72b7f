"""Generators in compiled code: generator expressions consumed by sum, min, max, any, all,
sorted, list, set and for, and generator functions (with `yield`) called from compiled code
or from Python; compared with CPython (see ``check`` in conftest.py).

Generator functions are @njit functions, as numba asks. Generators are lazy, as in Python:
each step resumes the function until its next yield, so infinite generators end where the
consumer stops, and side effects interleave with the consumer's (the logs below show the
order). Called from Python, a compiled generator function returns a generator object of
numlir's, which Python resumes the same way."""
import numpy as np
import pytest

import numlir
from conftest import assert_same, cases, check, run_python


def expressions(n):
    xs = [i * 0.5 for i in range(n)]
    return (sum(x * x for x in xs), sum(i for i in range(n) if i % 3),
            any(x > 2 for x in xs), all(x >= 0 for x in xs), sorted(-i for i in range(n)), list(c for c in "abc"),
            set(i % 3 for i in range(n)), [v for v in (i * i for i in range(n))])


def min_max(n):
    return min(i - n // 2 for i in range(1, n + 1)), max((i * 7) % 5 for i in range(1, n + 1))


def nested(n):
    return sum(i * j for i in range(n) for j in range(i))


def over_a_dict(n):
    d = {i: i * i for i in range(n)}
    return sum(v for v in d.values()), list(k for k, v in d.items() if v % 2 == 0)


def closure_over_locals(n, scale):
    offset = n // 2
    return sum((i - offset) * scale for i in range(n))


@numlir.njit
def evens(n):
    for i in range(n):
        if i % 2 == 0:
            yield i


@numlir.njit
def pairs(words):
    for i, w in enumerate(words):
        yield i, w.upper()
    yield -1, "END"


@numlir.njit
def early_return(n):
    i = 0
    while True:
        if i * i > n:
            return
        yield i * i
        i += 1


def consume_generators(n):
    total = 0
    for e in evens(n):
        total += e
    squares = list(early_return(n))
    return total, squares, sum(evens(n)), max(early_return(n)), list(pairs(["a", "b"]))


@cases(0, 1, 6, 10)
def test_generator_expressions(args):
    check(expressions, *args, numeric=True)  # sum of no floats: CPython's int 0, numlir's 0.0


@cases(1, 5, 12)
def test_min_and_max_of_generator_expressions(args):
    check(min_max, *args)


@cases(0, 5)
def test_nested_generator_expression(args):
    check(nested, *args)


@cases(0, 6)
def test_generator_expression_over_a_dict(args):
    check(over_a_dict, *args)


@cases((5, 2.5), (0, 1.0))
def test_generator_expression_reads_enclosing_locals(args):
    check(closure_over_locals, *args, numeric=True)


@cases(0, 7, 30)
def test_generator_functions_called_from_compiled_code(args):
    check(consume_generators, *args)


@pytest.mark.parametrize("n", [0, 9])
def test_a_generator_called_from_python_is_an_iterator(n):
    got = evens(n)
    assert iter(got) is got
    assert list(got) == list(evens.py_func(n))


@pytest.mark.parametrize("n", [0, 3, 50])
def test_a_generator_called_from_python_is_lazy(n):
    # An infinite generator: each next() resumes it once.
    got, expected = naturals(), naturals.py_func()
    assert [next(got) for _ in range(n)] == [next(expected) for _ in range(n)]
    assert next(got) == next(expected)


@numlir.njit
def labelled_rows(n):
    for i in range(n):
        yield np.arange(3.0) * i, str(i) * i, [i] * i


@pytest.mark.parametrize("n", [0, 4])
def test_values_a_generator_gives_python_stay_valid(n):
    got = list(labelled_rows(n))  # every array outlives the steps after it
    assert_same(got, list(labelled_rows.py_func(n)), path="labelled_rows")


def test_an_exception_reaches_a_python_caller_then_the_generator_is_over():
    got, expected = fails_at(5, 2), fails_at.py_func(5, 2)
    assert [next(got), next(got)] == [next(expected), next(expected)]
    with pytest.raises(ValueError, match="bad value"):
        next(got)
    with pytest.raises(ValueError, match="bad value"):
        next(expected)
    assert list(got) == list(expected)


def hands_out_a_generator(n):
    return doubled([i for i in range(n)])


@pytest.mark.parametrize("n", [0, 4])
def test_a_generator_returned_to_python_is_an_iterator(n):
    got = numlir.njit(hands_out_a_generator)(n)
    assert iter(got) is got
    assert list(got) == list(doubled.py_func([i for i in range(n)]))


def two_types(n):
    for i in range(n):
        yield i
    yield "done"


def test_a_generator_of_two_types_is_a_typing_error():
    with pytest.raises(numlir.TypingError, match=r"this generator yields int \(line \d+\) and str \(line \d+\); numlir generators yield one type"):
        numlir.njit(two_types)(3)


# Laziness: infinite generators, early exits, and the order of side effects.

@numlir.njit
def naturals():
    i = 0
    while True:
        yield i
        i += 1


def first_square_over(limit):
    for x in naturals():
        if x * x > limit:
            return x
    return -1


@cases(0, 10, 1000)
def test_an_infinite_generator_stops_where_its_consumer_stops(args):
    check(first_square_over, *args)


@numlir.njit
def logged(log, n):
    for i in range(n):
        log.append(i)
        yield i * 10
    log.append(-1)


def interleaved(n):
    log = [0]
    log.clear()
    for v in logged(log, n):
        log.append(v)
    return log


def partly_consumed(n):
    log = [0]
    log.clear()
    for v in logged(log, n):
        if v >= 20:
            break
        log.append(v + 1)
    return log


def zipped_and_enumerated(n):
    log = [0]
    log.clear()
    pairs = list(zip(logged(log, n), logged(log, n + 2)))
    numbered = list(enumerate(logged(log, n), 5))
    return pairs, numbered, log


@cases(0, 1, 4)
def test_side_effects_interleave_with_the_consumer(args):
    check(interleaved, *args)
    check(partly_consumed, *args)
    check(zipped_and_enumerated, *args)


def short_circuits(n):
    log = [0]
    log.clear()
    found = any(v > 15 for v in logged(log, n))
    every = all(v < 25 for v in logged(log, n))
    unbounded = any(x * x > n for x in naturals())
    return found, every, unbounded, log


@cases(0, 2, 5)
def test_any_and_all_stop_at_the_first_deciding_value(args):
    check(short_circuits, *args)


# next() and iter().

def steps(n):
    g = logged([0], n)
    first = next(g)
    second = next(g, -5)
    third = next(g, -5)
    it = iter([1.5, 2.5])
    return first, second, third, next(it), next(it), next(it, 0.0)


def past_the_end(n):
    g = naturals()
    total = 0
    for _ in range(n):
        total += next(g)
    h = logged([0], 1)
    return total, next(h), next(h)


@cases(1, 2, 3)
def test_next_with_and_without_a_default(args):
    check(steps, *args)


@cases(0, 4)
def test_next_past_the_end_raises_stop_iteration(args):
    check(past_the_end, *args)


def next_of_a_list(xs):
    return next(xs)


def test_next_of_something_not_an_iterator_is_a_typing_error():
    with pytest.raises(numlir.TypingError, match="'list\\[int\\]' object is not an iterator"):
        numlir.njit(next_of_a_list)([1, 2])


# What generators yield and keep.

@numlir.njit
def scaled(a, n):
    for i in range(n):
        yield a * i


@numlir.njit
def shouted(text):
    for w in text.split():
        yield w.upper(), len(w)


@numlir.njit
def growing(n):
    xs = [0]
    for i in range(n):
        xs.append(i)
        yield xs


def yields_of_every_kind(n):
    sums = [a.sum() for a in scaled(np.arange(4.0), n)]
    words = list(shouted("numlir makes generators lazy"))
    sizes = [len(xs) for xs in growing(n)]
    last = [0]
    for xs in growing(n):
        last = xs
    return sums, words, sizes, last


@cases(0, 3)
def test_generators_yield_arrays_strings_tuples_and_lists(args):
    check(yields_of_every_kind, *args)


@numlir.njit
def doubled(xs):
    for x in xs:
        yield 2 * x


@numlir.njit
def make_doubled(n):
    # The list and the iterator over it live on in the generator after this returns.
    return doubled([i + 1 for i in range(n)])


def outlives_its_arguments(n):
    g = make_doubled(n)
    h = (v * v for v in [float(i) for i in range(n)])
    arrays = scaled(np.ones(3) * n, 2)
    return list(g), list(h), [a.sum() for a in arrays]


@cases(0, 5)
def test_a_generator_keeps_its_arguments_alive(args):
    check(outlives_its_arguments, *args)


@numlir.njit
def chained(n):
    for v in doubled(naturals()):
        if v > n:
            return
        yield v + 1


def generators_of_generators(n):
    return list(chained(n)), sum(doubled(chained(n)))


@cases(0, 9)
def test_generators_consume_generators(args):
    check(generators_of_generators, *args)


# Exceptions.

@numlir.njit
def fails_at(n, bad):
    for i in range(n):
        if i == bad:
            raise ValueError("bad value")
        yield i


def consume_failing(n, bad):
    total = 0
    for v in fails_at(n, bad):
        total += v
    return total


def catch_failing(n, bad):
    got = [0]
    got.clear()
    try:
        for v in fails_at(n, bad):
            got.append(v)
    except ValueError:
        got.append(-1)
    return got, list(fails_at(bad, bad)), sum(fails_at(bad, bad))


@cases((5, 9), (5, 3), (5, 0))
def test_an_exception_in_a_generator_reaches_its_consumer(args):
    check(consume_failing, *args)
    check(catch_failing, *args)


def list_of_failing(n, bad):
    return list(fails_at(n, bad))


@cases((5, 2))
def test_an_exception_in_list_of_a_generator(args):
    check(list_of_failing, *args)


# No leaks: generators dropped before their end release what they hold.

def drop_early(n):
    total = 0
    for xs in growing(n):
        total += len(xs)
        if total > 10:
            break
    g = scaled(np.arange(100.0), 5)
    first = next(g)
    unused = growing(3)
    return total, first.sum()


def test_dropped_generators_do_not_leak():
    import resource
    check(drop_early, 20)
    f = numlir.njit(drop_early)
    for _ in range(2000):
        f(20)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(50000):
        f(20)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown < 2048, f"RSS grew by {grown} KiB over 50,000 calls"


# yield from, try blocks inside generators, tuple().

@numlir.njit
def delegating(n):
    yield -1
    yield from doubled([i for i in range(n)])
    yield from range(2)
    yield from (i * i for i in range(n))


def consume_delegating(n):
    return list(delegating(n))


@cases(0, 3)
def test_yield_from_delegates_to_any_iterable(args):
    check(consume_delegating, *args)


@numlir.njit
def guarded(log, n, bad):
    try:
        for i in range(n):
            if i == bad:
                raise ValueError("bad")
            yield i
    except ValueError:
        yield -1
    finally:
        log.append(99)


def consume_guarded(n, bad):
    log = [0]
    log.clear()
    for v in guarded(log, n, bad):
        log.append(v)
    return log


@cases((4, 9), (4, 2))
def test_try_except_finally_inside_a_generator(args):
    check(consume_guarded, *args)


def dropped_early(n, stop):
    log = [0]
    log.clear()
    for v in guarded(log, n, -1):
        if v == stop:
            break
        log.append(v)
    log.append(-5)  # after the generator's finally: it ran when the loop dropped it
    return log


@numlir.njit
def ignores_exit(log):
    try:
        yield 1
    except GeneratorExit:
        log.append(7)
    log.append(8)
    yield 2
    log.append(9)


def dropped_while_ignoring(n):
    log = [n]
    for v in ignores_exit(log):
        break
    return log


@cases((5, 2), (5, 0))
def test_finally_runs_when_a_generator_is_dropped_early(args):
    check(dropped_early, *args)


@cases(1)
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # CPython's side
def test_except_generator_exit_runs_when_a_generator_is_dropped(args):
    # CPython reports "generator ignored GeneratorExit" as unraisable at the second yield
    # and goes on; numlir ends the generator there too.
    check(dropped_while_ignoring, *args)


def tuple_of_a_tuple(n):
    t = (n, n + 1)
    return tuple(t), tuple()


@cases(3)
def test_tuple_of_a_tuple(args):
    check(tuple_of_a_tuple, *args)


def tuple_of_a_generator(n):
    return tuple(i for i in range(n))


def test_tuple_of_a_generator_is_a_typing_error():
    with pytest.raises(numlir.TypingError, match="tuple\\(\\) of a generator\\[int\\] is not supported: a numlir tuple's length"):
        numlir.njit(tuple_of_a_generator)(3)


def paired_with_a_generator(n):
    return doubled([i for i in range(n)]), n


def test_a_tuple_holding_a_generator_returns_to_python():
    got, n = numlir.njit(paired_with_a_generator)(3)
    (expected, m), exc = run_python(paired_with_a_generator, (3,))
    assert exc is None and n == m
    assert list(got) == list(expected)
