"""np.random's legacy functions in compiled code: after the same seed, the values equal
NumPy's own RandomState sequence (each test runs the same function in the interpreter,
where np.random is NumPy's, and compiled); compiled code's generator is its own, one per
thread; errors are NumPy's."""
import threading

import numpy as np
import pytest

import numlir
from array_checks import check


def draws(seed, n):
    np.random.seed(seed)
    out = np.empty(n)
    for i in range(n):
        out[i] = np.random.random()
    return out


def scalars(seed):
    np.random.seed(seed)
    return (np.random.random(), np.random.random_sample(), np.random.rand(), np.random.randn(),
            np.random.standard_normal(), np.random.normal(), np.random.normal(2.0, 3.0),
            np.random.uniform(), np.random.uniform(-1.0, 5.0), np.random.standard_exponential(),
            np.random.exponential(), np.random.exponential(2.5), np.random.ranf(), np.random.sample())


@pytest.mark.parametrize("seed", [0, 1, 42, 2**32 - 1])
def test_scalar_draws_follow_numpy(seed):
    check(draws, seed, 2000)  # past 624 words: the generator regenerates its state
    check(scalars, seed)


def sized(seed):
    np.random.seed(seed)
    return (np.random.random(5), np.random.random_sample((2, 3)), np.random.rand(4), np.random.rand(2, 3),
            np.random.rand(2, 1, 2), np.random.randn(3), np.random.randn(2, 2), np.random.standard_normal((3, 2)),
            np.random.normal(1.0, 0.5, 7), np.random.normal(size=(2, 2)), np.random.uniform(0.0, 10.0, (3,)),
            np.random.exponential(3.0, 4), np.random.standard_exponential((2, 3)), np.random.random(0))


def test_sized_draws_follow_numpy():
    for seed in (3, 7):
        check(sized, seed)


def gaussians_interleaved(seed):
    # The legacy Gaussian keeps the second value of each polar draw: a uniform draw in
    # between does not consume it.
    np.random.seed(seed)
    return np.random.randn(), np.random.random(), np.random.randn(), np.random.randn(), np.random.random()


def test_gaussian_pairs_are_kept_across_other_draws():
    check(gaussians_interleaved, 11)


def integers(seed):
    np.random.seed(seed)
    return (np.random.randint(10), np.random.randint(-5, 5), np.random.randint(0, 1), np.random.randint(1, 2**31),
            np.random.randint(0, 2**32), np.random.randint(0, 2**32 + 1), np.random.randint(-2**40, 2**40),
            np.random.randint(0, 7, 10), np.random.randint(3, size=(2, 3)), np.random.randint(-2**62, 2**62, 3))


@pytest.mark.parametrize("seed", [0, 5, 1234])
def test_randint_follows_numpy(seed):
    check(integers, seed)


def shuffled(seed, a, m):
    np.random.seed(seed)
    np.random.shuffle(a)
    np.random.shuffle(m)
    return a, m, np.random.permutation(10), np.random.permutation(a), np.random.random()


def test_shuffle_and_permutation_follow_numpy():
    check(shuffled, 9, np.arange(20.0), np.arange(12).reshape(4, 3))
    check(shuffled, 10, np.arange(1), np.arange(3).reshape(1, 3))


def chosen(seed, a, p):
    np.random.seed(seed)
    return (np.random.choice(5), np.random.choice(a), np.random.choice(5, 3), np.random.choice(a, (2, 2)),
            np.random.choice(8, 4, replace=False), np.random.choice(a, 3, False), np.random.choice(5, replace=False),
            np.random.choice(4, 6, p=p), np.random.choice(a[:4], p=p), np.random.random())


def test_choice_follows_numpy():
    for seed in (2, 3):
        check(chosen, seed, np.arange(10.0, 20.0), np.array([0.1, 0.2, 0.3, 0.4]))


def test_compiled_generator_is_its_own():
    seeded = numlir.njit(lambda s: np.random.seed(s))
    draw = numlir.njit(lambda: np.random.random())
    np.random.seed(5)
    expected_interpreter = np.random.random()
    np.random.seed(5)
    seeded(99)  # seeds compiled code's generator only
    assert np.random.random() == expected_interpreter
    np.random.seed(99)
    assert draw() == np.random.random()


def test_each_thread_has_its_own_generator():
    compiled = numlir.njit(draws)
    results = {}

    def run(seed):
        results[seed] = [compiled(seed, 3000) for _ in range(3)]

    threads = [threading.Thread(target=run, args=(seed,)) for seed in (21, 22)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for seed, got in results.items():
        for values in got:
            np.testing.assert_array_equal(values, draws(seed, 3000))


def test_monte_carlo_pi_loop():
    def pi(seed, n):
        np.random.seed(seed)
        inside = 0
        for _ in range(n):
            x = np.random.random()
            y = np.random.random()
            if x * x + y * y < 1.0:
                inside += 1
        return 4.0 * inside / n

    check(pi, 17, 20000)


@pytest.mark.parametrize("call, error", [
    (lambda: np.random.seed(-1), ValueError),
    (lambda: np.random.seed(2**32), ValueError),
    (lambda: np.random.normal(0.0, -1.0), ValueError),
    (lambda: np.random.exponential(-1.0), ValueError),
    (lambda: np.random.randint(5, 5), ValueError),
    (lambda: np.random.randint(0), ValueError),
    (lambda: np.random.choice(3, 4, replace=False), ValueError),
    (lambda: np.random.choice(0), ValueError),
    (lambda: np.random.choice(3, p=np.array([0.5, 0.6, 0.1])), ValueError),
    (lambda: np.random.choice(3, p=np.array([0.5, 0.5])), ValueError),
])
def test_errors_are_numpys(call, error):
    with pytest.raises(error):
        call()
    with pytest.raises(error):
        numlir.njit(call)()


# ---- the distributions: each function below runs in the interpreter (NumPy's RandomState)
# and compiled after the same seed; results must be equal (rtol=0: bit for bit).

def continuous(seed):
    np.random.seed(seed)
    # (Nested tuples: numlir takes tuples of up to 30 items, CPython builds longer ones from a list.)
    return ((np.random.standard_gamma(0.5), np.random.standard_gamma(1.0), np.random.standard_gamma(3.5),
             np.random.standard_gamma(0.0), np.random.standard_gamma(2), np.random.gamma(0.3, 2.0), np.random.gamma(7.5),
             np.random.beta(0.5, 0.7), np.random.beta(2.0, 3.0), np.random.beta(0.5, 4.0), np.random.beta(1, 1),
             np.random.chisquare(3.0), np.random.chisquare(0.5), np.random.f(3.0, 7.0), np.random.f(0.4, 0.6),
             np.random.noncentral_chisquare(3.0, 2.0), np.random.noncentral_chisquare(0.5, 2.0),
             np.random.noncentral_chisquare(3.0, 0.0), np.random.noncentral_chisquare(1.0, 30.0),
             np.random.noncentral_f(3.0, 5.0, 1.5), np.random.noncentral_f(0.8, 5.0, 1.5)),
            (np.random.pareto(2.0), np.random.weibull(1.5), np.random.weibull(0.0), np.random.power(3.0),
             np.random.wald(1.0, 2.0), np.random.wald(3.0, 0.5), np.random.lognormal(), np.random.lognormal(1.0, 0.5),
             np.random.standard_t(5.0), np.random.standard_t(0.5), np.random.standard_cauchy(), np.random.rayleigh(),
             np.random.rayleigh(2.5), np.random.vonmises(0.5, 4.0), np.random.vonmises(-2.0, 1e-9),
             np.random.vonmises(1.0, 1e-6), np.random.vonmises(3.0, 1e3), np.random.laplace(), np.random.laplace(1.0, 2.0),
             np.random.gumbel(), np.random.gumbel(-1.0, 0.5), np.random.logistic(), np.random.logistic(2.0, 3.0),
             np.random.triangular(-1.0, 0.5, 2.0), np.random.triangular(0.0, 0.0, 1.0), np.random.random()))


def discrete(seed):
    np.random.seed(seed)
    return ((np.random.poisson(), np.random.poisson(3.5), np.random.poisson(40.0), np.random.poisson(0.0),
             np.random.binomial(10, 0.3), np.random.binomial(1000, 0.4), np.random.binomial(20, 0.9),
             np.random.binomial(1000, 0.95), np.random.binomial(0, 0.5), np.random.binomial(7, 0.0),
             np.random.binomial(7.9, 1.0), np.random.negative_binomial(3, 0.4), np.random.negative_binomial(0.5, 0.9),
             np.random.negative_binomial(10.0, 1.0), np.random.geometric(0.5), np.random.geometric(0.05),
             np.random.geometric(1.0)),
            (np.random.zipf(2.0), np.random.zipf(1.3), np.random.zipf(1.1), np.random.logseries(0.5),
             np.random.logseries(0.99), np.random.logseries(0.0), np.random.hypergeometric(10, 5, 7),
             np.random.hypergeometric(5, 10, 7), np.random.hypergeometric(100, 200, 50),
             np.random.hypergeometric(200, 100, 250), np.random.hypergeometric(3, 4, 1), np.random.hypergeometric(0, 4, 2),
             np.random.hypergeometric(10**6, 10**6, 10**5), np.random.random()))


@pytest.mark.parametrize("seed", [0, 1, 42, 2**32 - 1])
def test_distributions_follow_numpy(seed):
    check(continuous, seed, rtol=0)
    check(discrete, seed, rtol=0)


def many(seed, n):
    # Long runs through every branch of the rejection loops (gamma below and above 1, BTPE,
    # PTRS, HRUA); a wrong draw count anywhere shifts everything after it.
    np.random.seed(seed)
    out = np.empty((14, n))
    for i in range(n):
        out[0, i] = np.random.standard_gamma(0.2 + 0.01 * i)
        out[1, i] = np.random.beta(0.3, 0.8)
        out[2, i] = np.random.beta(1.5, 0.8)
        out[3, i] = np.random.standard_t(2.5)
        out[4, i] = np.random.noncentral_chisquare(0.7, 3.0)
        out[5, i] = np.random.vonmises(0.0, 0.5)
        out[6, i] = np.random.binomial(500, 0.3)
        out[7, i] = np.random.poisson(25.0)
        out[8, i] = np.random.hypergeometric(40, 60, 30)
        out[9, i] = np.random.hypergeometric(4, 6, 5)
        out[10, i] = np.random.logseries(0.9)
        out[11, i] = np.random.negative_binomial(2.5, 0.3)
        out[12, i] = np.random.geometric(0.01)
        out[13, i] = np.random.zipf(1.1)  # NumPy's legacy zipf is not its current random_zipf
    return out


def test_long_runs_follow_numpy():
    check(many, 123, 1000, rtol=0)


def sized_distributions(seed):
    np.random.seed(seed)
    return ((np.random.standard_gamma(2.5, 4), np.random.gamma(0.5, 3.0, (2, 3)), np.random.beta(0.5, 0.5, 5),
             np.random.chisquare(2.0, (3,)), np.random.f(2.0, 3.0, 3), np.random.noncentral_chisquare(0.5, 1.0, 4),
             np.random.noncentral_f(2.0, 3.0, 1.0, (2, 2)), np.random.pareto(3.0, 3), np.random.weibull(2.0, 3),
             np.random.power(0.5, 3), np.random.wald(1.0, 1.0, 4), np.random.lognormal(0.0, 1.0, (2, 2)),
             np.random.standard_t(3.0, 3), np.random.standard_cauchy(4), np.random.standard_cauchy((2, 2)),
             np.random.rayleigh(1.0, 3)),
            (np.random.vonmises(0.0, 2.0, 5), np.random.laplace(0.0, 1.0, 3), np.random.gumbel(0.0, 1.0, (3, 1)),
             np.random.logistic(0.0, 1.0, 2), np.random.triangular(0.0, 1.0, 3.0, 4), np.random.poisson(5.0, 6),
             np.random.poisson(100.0, (2, 3)), np.random.binomial(10, 0.5, 5), np.random.binomial(100, 0.7, (2, 2)),
             np.random.negative_binomial(2, 0.5, 4), np.random.geometric(0.2, 5), np.random.zipf(3.0, 4),
             np.random.logseries(0.7, (2, 3)), np.random.hypergeometric(20, 30, 15, 5),
             np.random.hypergeometric(5, 5, 3, (2, 2)), np.random.exponential(2.0, 0), np.random.random()))


def test_sized_distributions_follow_numpy():
    for seed in (3, 7):
        check(sized_distributions, seed, rtol=0)


def array_parameters(seed, mu, sigma, m2, lam, n, p):
    # One array parameter and one number, two arrays of one shape, and arrays that
    # broadcast: one draw per element of the broadcast shape, in C order.
    np.random.seed(seed)
    return ((np.random.normal(mu, 1.0), np.random.normal(0.0, sigma), np.random.normal(mu, sigma),
             np.random.normal(m2, 2.0), np.random.normal(m2, sigma[:3]), np.random.normal(m2[:, :1], sigma[:3]),
             np.random.uniform(mu, 10.0), np.random.uniform(m2, m2 + 1.0), np.random.uniform(-1.0, sigma),
             np.random.exponential(sigma), np.random.exponential(m2 + 1.0), np.random.poisson(lam),
             np.random.poisson(m2 + 1.0), np.random.binomial(n, 0.3), np.random.binomial(10, p), np.random.binomial(n, p)),
            (np.random.gamma(sigma, 2.0), np.random.gamma(sigma, sigma), np.random.gamma(m2 + 0.5),
             np.random.beta(sigma, 0.5), np.random.beta(m2 + 0.5, m2 + 1.0), np.random.standard_gamma(sigma),
             np.random.chisquare(sigma), np.random.f(sigma, 2.0), np.random.lognormal(mu, sigma),
             np.random.vonmises(mu, sigma), np.random.laplace(mu, sigma), np.random.gumbel(m2, 1.0),
             np.random.logistic(mu, 2.0), np.random.wald(sigma, 1.0), np.random.pareto(sigma), np.random.weibull(sigma),
             np.random.power(sigma), np.random.rayleigh(sigma), np.random.standard_t(sigma), np.random.geometric(p),
             np.random.negative_binomial(sigma, p), np.random.logseries(p * 0.9), np.random.zipf(sigma + 1.0),
             np.random.noncentral_chisquare(sigma, 1.0), np.random.noncentral_f(sigma, 3.0, sigma),
             np.random.triangular(mu - 1.0, mu, mu + 2.0), np.random.hypergeometric(n, 5, 3)),
            (np.random.normal(mu, 1.0, (2, 5)), np.random.poisson(lam, (3, 5)), np.random.random()))


def test_array_parameters_follow_numpy():
    mu = np.array([0.0, 1.0, -2.0, 3.5, 10.0])
    sigma = np.array([0.5, 1.0, 2.0, 0.1, 3.0])
    m2 = np.arange(6.0).reshape(2, 3)
    lam = np.array([0.5, 3.0, 12.0, 40.0, 0.0])
    n = np.array([0, 5, 10, 100, 1000])
    p = np.array([0.1, 0.5, 0.9, 1.0, 0.3])
    for seed in (5, 6):
        check(array_parameters, seed, mu, sigma, m2, lam, n, p, rtol=0)
    # a strided view and a Fortran-ordered array: still C order of the broadcast shape
    check(array_parameters, 8, mu[::-1].copy()[::-1], np.asfortranarray(sigma), np.asfortranarray(m2), lam, n, p, rtol=0)


def vectors(seed, pvals, alpha):
    np.random.seed(seed)
    return (np.random.multinomial(20, pvals), np.random.multinomial(100, pvals, 3), np.random.multinomial(5, pvals, (2, 2)),
            np.random.multinomial(0, pvals), np.random.multinomial(10, np.array([0.0, 1.0, 0.0])),
            np.random.multinomial(10, np.array([0.3, 0.3, 0.3, 0.5])), np.random.dirichlet(alpha),
            np.random.dirichlet(alpha, 4), np.random.dirichlet(alpha, (2, 3)), np.random.dirichlet(np.array([0.05, 0.1])),
            np.random.random())


def test_multinomial_and_dirichlet_follow_numpy():
    for seed in (1, 2):
        check(vectors, seed, np.array([0.2, 0.3, 0.1, 0.4]), np.array([0.5, 1.0, 2.5]), rtol=0)


def vectors_from_sequences(seed):
    np.random.seed(seed)
    return (np.random.multinomial(20, [0.25, 0.25, 0.5]), np.random.multinomial(6, (0.5, 0.5), size=2),
            np.random.dirichlet((10.0, 5.0, 3.0)), np.random.dirichlet([1.0, 2.0], 3), np.random.random())


def test_multinomial_and_dirichlet_take_sequences():
    check(vectors_from_sequences, 4, rtol=0)


def test_seed_without_argument_draws_from_entropy():
    @numlir.njit
    def reseeded():
        np.random.seed()
        return np.random.random(4), np.random.randint(0, 2**62)

    first, second = reseeded(), reseeded()
    assert numlir.njit(lambda: (np.random.seed(None), np.random.random())[1])() != first[0][0]
    assert first[1] != second[1] and not np.array_equal(first[0], second[0])
    assert np.all((first[0] >= 0) & (first[0] < 1))


@pytest.mark.parametrize("call, error", [
    (lambda: np.random.normal(0.0, -0.0), ValueError),  # NumPy tests the sign bit
    (lambda: np.random.normal(0.0, np.array([1.0, -1.0])), ValueError),
    (lambda: np.random.uniform(0.0, np.inf), OverflowError),
    (lambda: np.random.uniform(np.zeros(2), np.array([1.0, np.inf])), OverflowError),
    (lambda: np.random.exponential(np.array([-1.0])), ValueError),
    (lambda: np.random.standard_gamma(-1.0), ValueError),
    (lambda: np.random.gamma(1.0, -1.0), ValueError),
    (lambda: np.random.gamma(np.array([1.0, -2.0]), 1.0), ValueError),
    (lambda: np.random.beta(0.0, 1.0), ValueError),
    (lambda: np.random.beta(1.0, np.array([1.0, -1.0])), ValueError),
    (lambda: np.random.chisquare(0.0), ValueError),
    (lambda: np.random.f(0.0, 1.0), ValueError),
    (lambda: np.random.f(1.0, -1.0), ValueError),
    (lambda: np.random.noncentral_chisquare(0.0, 1.0), ValueError),
    (lambda: np.random.noncentral_chisquare(1.0, -1.0), ValueError),
    (lambda: np.random.noncentral_f(1.0, 1.0, -1.0), ValueError),
    (lambda: np.random.noncentral_f(1.0, 0.0, 1.0), ValueError),
    (lambda: np.random.pareto(0.0), ValueError),
    (lambda: np.random.weibull(-1.0), ValueError),
    (lambda: np.random.power(0.0), ValueError),
    (lambda: np.random.wald(0.0, 1.0), ValueError),
    (lambda: np.random.wald(1.0, 0.0), ValueError),
    (lambda: np.random.lognormal(0.0, -1.0), ValueError),
    (lambda: np.random.standard_t(0.0), ValueError),
    (lambda: np.random.rayleigh(-1.0), ValueError),
    (lambda: np.random.vonmises(0.0, -1.0), ValueError),
    (lambda: np.random.laplace(0.0, -1.0), ValueError),
    (lambda: np.random.gumbel(0.0, -1.0), ValueError),
    (lambda: np.random.logistic(0.0, -1.0), ValueError),
    (lambda: np.random.triangular(1.0, 0.0, 2.0), ValueError),
    (lambda: np.random.triangular(0.0, 3.0, 2.0), ValueError),
    (lambda: np.random.triangular(1.0, 1.0, 1.0), ValueError),
    (lambda: np.random.triangular(np.zeros(2), np.array([0.5, 2.0]), 1.0), ValueError),
    (lambda: np.random.poisson(-1.0), ValueError),
    (lambda: np.random.poisson(np.nan), ValueError),
    (lambda: np.random.poisson(1e19), ValueError),
    (lambda: np.random.poisson(np.array([1.0, -1.0])), ValueError),
    (lambda: np.random.poisson(np.array([1.0, np.nan])), ValueError),
    (lambda: np.random.binomial(-1, 0.5), ValueError),
    (lambda: np.random.binomial(3, 1.5), ValueError),
    (lambda: np.random.binomial(3, np.nan), ValueError),
    (lambda: np.random.binomial(np.array([3, -1]), 0.5), ValueError),
    (lambda: np.random.binomial(3, np.array([0.5, -0.5])), ValueError),
    (lambda: np.random.negative_binomial(0.0, 0.5), ValueError),
    (lambda: np.random.negative_binomial(1.0, 1.5), ValueError),
    (lambda: np.random.geometric(0.0), ValueError),
    (lambda: np.random.geometric(1.5), ValueError),
    (lambda: np.random.geometric(np.array([0.5, 0.0])), ValueError),
    (lambda: np.random.zipf(1.0), ValueError),
    (lambda: np.random.zipf(np.nan), ValueError),
    (lambda: np.random.logseries(1.0), ValueError),
    (lambda: np.random.logseries(-0.1), ValueError),
    (lambda: np.random.logseries(np.array([0.5, 1.0])), ValueError),
    (lambda: np.random.hypergeometric(1, 1, 3), ValueError),
    (lambda: np.random.hypergeometric(-1, 1, 0), ValueError),
    (lambda: np.random.hypergeometric(1, -1, 0), ValueError),
    (lambda: np.random.hypergeometric(1, 1, 0), ValueError),
    (lambda: np.random.hypergeometric(np.array([5, 5]), 5, np.array([3, 11])), ValueError),
    (lambda: np.random.hypergeometric(np.array([5, -1]), 5, 1), ValueError),
    (lambda: np.random.multinomial(3, np.array([0.5, 0.6, 0.1])), ValueError),
    (lambda: np.random.multinomial(3, np.array([-0.5, 0.6, 0.1])), ValueError),
    (lambda: np.random.multinomial(3, np.array([0.5, np.nan])), ValueError),
    (lambda: np.random.multinomial(-1, np.array([0.5, 0.5])), ValueError),
    (lambda: np.random.dirichlet(np.array([1.0, 0.0])), ValueError),
    (lambda: np.random.dirichlet(np.array([-1.0, 1.0]), 3), ValueError),
])
def test_distribution_errors_are_numpys(call, error):
    with pytest.raises(error) as expected:
        call()
    with pytest.raises(error) as got:
        numlir.njit(call)()
    assert str(got.value) == str(expected.value)
