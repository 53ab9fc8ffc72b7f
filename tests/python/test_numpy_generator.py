"""np.random.Generator objects passed to compiled code: each method's draws equal NumPy's
from a Generator seeded the same, and compiled code advances the Python object's own state."""
import numpy as np
import pytest
from numpy.random import MT19937, PCG64, SFC64, Generator, Philox

import numlir

SEEDS = [0, 7, 12345]


def twins(seed, bit_generator=PCG64):
    return Generator(bit_generator(seed)), Generator(bit_generator(seed))


def assert_same(compiled, expected):
    assert type(compiled) is type(expected) or isinstance(expected, np.ndarray)
    if isinstance(expected, np.ndarray):
        assert compiled.dtype == expected.dtype
        assert compiled.shape == expected.shape
        np.testing.assert_array_equal(compiled, expected)
    else:
        assert compiled == expected


# (method, positional parameters): scalar draws and sized draws of each
DISTRIBUTIONS = [
    ("random", ()),
    ("standard_normal", ()),
    ("standard_exponential", ()),
    ("standard_cauchy", ()),
    ("normal", (1.5, 2.0)),
    ("exponential", (3.0,)),
    ("uniform", (-2.0, 5.0)),
    ("standard_gamma", (0.5,)),
    ("standard_gamma", (4.0,)),
    ("gamma", (2.5, 0.5)),
    ("beta", (0.5, 0.7)),
    ("beta", (2.0, 3.0)),
    ("chisquare", (3.0,)),
    ("standard_t", (5.0,)),
    ("lognormal", (0.5, 0.25)),
    ("laplace", (1.0, 2.0)),
    ("logistic", (1.0, 2.0)),
    ("gumbel", (1.0, 2.0)),
    ("rayleigh", (2.0,)),
    ("pareto", (3.0,)),
    ("weibull", (1.5,)),
    ("poisson", (4.0,)),
    ("poisson", (60.0,)),
    ("binomial", (10, 0.3)),
    ("binomial", (1000, 0.6)),
    ("geometric", (0.2,)),
]

_SCALAR_SOURCE = '''
def draw(rng{params}):
    return rng.{method}({args}), rng.{method}({args}), rng.{method}({args})
'''
_SIZED_SOURCE = '''
def draw(rng{params}, size):
    return rng.{method}({args_comma}size=size)
'''


def compiled_method(method, count, sized):
    names = [f"p{i}" for i in range(count)]
    params = "".join(", " + n for n in names)
    args = ", ".join(names)
    source = (_SIZED_SOURCE if sized else _SCALAR_SOURCE).format(
        params=params, method=method, args=args, args_comma=args + ", " if args else "")
    namespace = {}
    exec(source, namespace)
    return numlir.njit(namespace["draw"])


@pytest.mark.parametrize("method,args", DISTRIBUTIONS, ids=lambda v: str(v))
@pytest.mark.parametrize("seed", SEEDS)
def test_scalar_draws_equal_numpys(method, args, seed):
    mine, theirs = twins(seed)
    got = compiled_method(method, len(args), False)(mine, *args)
    expected = tuple(getattr(theirs, method)(*args) for _ in range(3))
    for g, e in zip(got, expected):
        assert g == e
        assert isinstance(g, float) == isinstance(e, float)
    # The Python object's state moved on as NumPy's did.
    assert mine.random() == theirs.random()


@pytest.mark.parametrize("method,args", DISTRIBUTIONS, ids=lambda v: str(v))
@pytest.mark.parametrize("size", [5, (3, 4), 0])
def test_sized_draws_equal_numpys(method, args, size):
    mine, theirs = twins(99)
    got = compiled_method(method, len(args), True)(mine, *args, size)
    assert_same(got, getattr(theirs, method)(*args, size=size))
    assert mine.integers(0, 1000) == theirs.integers(0, 1000)


@pytest.mark.parametrize("bit_generator", [PCG64, MT19937, Philox, SFC64])
def test_every_bit_generator(bit_generator):
    @numlir.njit
    def draws(rng, n):
        return rng.random(n), rng.normal(0.0, 1.0, n), rng.integers(0, 100, n)

    mine, theirs = twins(3, bit_generator)
    got = draws(mine, 50)
    assert_same(got[0], theirs.random(50))
    assert_same(got[1], theirs.normal(0.0, 1.0, 50))
    assert_same(got[2], theirs.integers(0, 100, 50))


@pytest.mark.parametrize("low,high,endpoint", [
    (0, 10, False), (-5, 5, True), (0, 2**31, False), (0, 2**32 - 1, True), (-2**40, 2**40, False),
    (7, 8, False), (3, 3, True), (-2**62, 2**62, True),
])
def test_integers(low, high, endpoint):
    @numlir.njit
    def draw(rng, low, high, endpoint):
        return rng.integers(low, high, endpoint=endpoint), rng.integers(low, high, 20, endpoint=endpoint)

    mine, theirs = twins(11)
    got = draw(mine, low, high, endpoint)
    assert got[0] == theirs.integers(low, high, endpoint=endpoint)
    assert_same(got[1], theirs.integers(low, high, 20, endpoint=endpoint))


def test_integers_with_one_bound():
    @numlir.njit
    def draw(rng):
        return rng.integers(6), rng.integers(6, size=(2, 3))

    mine, theirs = twins(5)
    got = draw(mine)
    assert got[0] == theirs.integers(6)
    assert_same(got[1], theirs.integers(6, size=(2, 3)))


@pytest.mark.parametrize("shape", [(10,), (6, 3), (1,), (0,)])
def test_shuffle_and_permutation(shape):
    @numlir.njit
    def shuffled(rng, x, n):
        rng.shuffle(x)
        return rng.permutation(n), rng.permutation(x)

    mine, theirs = twins(21)
    x = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    y = x.copy()
    got = shuffled(mine, x, 12)
    theirs.shuffle(y)
    np.testing.assert_array_equal(x, y)
    assert_same(got[0], theirs.permutation(12))
    assert_same(got[1], theirs.permutation(y))


@pytest.mark.parametrize("population,size,shuffle", [
    (10, 3, True), (10, 10, True), (100, 7, False), (20000, 30, True), (20000, 5000, True), (20000, 5000, False),
])
def test_choice_without_replacement(population, size, shuffle):
    @numlir.njit
    def draw(rng, population, size, shuffle):
        return rng.choice(population, size, replace=False, shuffle=shuffle)

    mine, theirs = twins(8)
    assert_same(draw(mine, population, size, shuffle), theirs.choice(population, size, replace=False, shuffle=shuffle))


def test_choice_with_replacement_and_p():
    @numlir.njit
    def draw(rng, a, p):
        return rng.choice(5), rng.choice(5, (2, 3)), rng.choice(a, 4), rng.choice(5, 6, p=p), rng.choice(a, p=p), rng.choice(a)

    mine, theirs = twins(4)
    a = np.array([10.0, 20.0, 30.0, 40.0, 50.0])
    p = np.array([0.1, 0.2, 0.3, 0.25, 0.15])
    got = draw(mine, a, p)
    expected = (theirs.choice(5), theirs.choice(5, (2, 3)), theirs.choice(a, 4), theirs.choice(5, 6, p=p),
                theirs.choice(a, p=p), theirs.choice(a))
    assert got[0] == expected[0]
    for g, e in zip(got[1:4], expected[1:4]):
        assert_same(g, e)
    assert got[4] == expected[4] and got[5] == expected[5]


def test_choice_of_rows():
    @numlir.njit
    def draw(rng, a):
        return rng.choice(a, 3), rng.choice(a, 2, replace=False)

    mine, theirs = twins(6)
    a = np.arange(12.0).reshape(4, 3)
    got = draw(mine, a)
    assert_same(got[0], theirs.choice(a, 3))
    assert_same(got[1], theirs.choice(a, 2, replace=False))


def test_draws_in_compiled_code_and_python_continue_one_sequence():
    @numlir.njit
    def monte_carlo_pi(rng, n):
        inside = 0
        for _ in range(n):
            x = rng.random()
            y = rng.random()
            if x * x + y * y < 1.0:
                inside += 1
        return 4.0 * inside / n

    def plain(rng, n):
        xy = rng.random(2 * n).reshape(n, 2)
        return 4.0 * np.count_nonzero((xy ** 2).sum(axis=1) < 1.0) / n

    mine, theirs = twins(2024)
    assert monte_carlo_pi(mine, 10000) == plain(theirs, 10000)
    assert mine.random() == theirs.random()
    assert monte_carlo_pi(mine, 100) == plain(theirs, 100)


@pytest.mark.parametrize("call", [
    "rng.normal(0.0, -1.0)", "rng.normal(0.0, -0.0)", "rng.exponential(-1.0)", "rng.uniform(1.0, 0.0)",
    "rng.uniform(0.0, np.inf)", "rng.integers(5, 5)", "rng.integers(5, 4, endpoint=True)", "rng.integers(0)",
    "rng.poisson(-1.0)", "rng.poisson(1e20)", "rng.binomial(-1, 0.5)", "rng.binomial(3, 1.5)", "rng.gamma(-1.0)",
    "rng.gamma(1.0, -1.0)", "rng.beta(0.0, 1.0)", "rng.choice(0)", "rng.choice(3, 4, replace=False)",
    "rng.geometric(0.0)", "rng.chisquare(0.0)", "rng.lognormal(0.0, -1.0)",
    "rng.choice(3, p=np.array([0.5, 0.5, 0.5]))", "rng.choice(3, p=np.array([0.5, 0.6, -0.1]))",
])
def test_errors_are_numpys(call):
    namespace = {"np": np}
    exec(f"def f(rng):\n    return {call}\n", namespace)
    plain = namespace["f"]
    with pytest.raises(Exception) as expected:
        plain(np.random.default_rng(0))
    with pytest.raises(type(expected.value)) as got:
        numlir.njit(plain)(np.random.default_rng(0))
    assert str(got.value) == str(expected.value)


def test_a_generator_is_not_returned():
    @numlir.njit
    def give_back(rng):
        return rng

    with pytest.raises(numlir.TypingError, match="np.random.Generator"):
        give_back(np.random.default_rng(0))


def test_a_generator_method_on_a_number_is_a_typing_error():
    @numlir.njit
    def not_a_generator(x):
        return x.normal()

    with pytest.raises((numlir.TypingError, numlir.UnsupportedError), match="bit_generator"):
        not_a_generator(3)


def test_generator_in_a_cached_function(tmp_path, monkeypatch):
    monkeypatch.setenv("NUMLIR_CACHE_DIR", str(tmp_path))

    @numlir.njit(cache=True)
    def draws(rng, n):
        return rng.standard_normal(n)

    mine, theirs = twins(31)
    assert_same(draws(mine, 8), theirs.standard_normal(8))
    assert_same(draws(mine, 8), theirs.standard_normal(8))


def test_raw_draws_through_the_bit_generators_own_functions():
    # Compiled code calls next_double, next_uint64 and next_uint32 through the bitgen_t's
    # pointers; NumPy's ctypes interface to the same functions, on a generator seeded
    # alike, gives the reference (the state advances in the Python object).
    from numlir._numpy.bitgen import next_uint32, next_uint64, standard_uniform

    def draws(rng, n):
        g = rng.bit_generator
        out = np.empty((n, 3))
        for i in range(n):
            out[i, 0] = standard_uniform(g)
            out[i, 1] = next_uint64(g) & 0xFFFFFFFF
            out[i, 2] = next_uint32(g)
        return out

    for make in (np.random.PCG64, np.random.MT19937, np.random.Philox):
        rng = np.random.Generator(make(11))
        got = numlir.njit(draws)(rng, 50)
        reference = make(11).ctypes
        expected = np.empty((50, 3))
        for i in range(50):
            expected[i, 0] = reference.next_double(reference.state)
            expected[i, 1] = reference.next_uint64(reference.state) & 0xFFFFFFFF
            expected[i, 2] = reference.next_uint32(reference.state)
        np.testing.assert_array_equal(got, expected)
        # The Python object's state advanced: its next draw is the reference's next one.
        assert rng.bit_generator.ctypes.next_double(rng.bit_generator.ctypes.state) == reference.next_double(reference.state)
