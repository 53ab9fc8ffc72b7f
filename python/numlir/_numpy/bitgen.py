"""NumPy's own distribution functions as compiled code calls them: builtins ``bitgen.<name>``
that call ``random_<name>`` of NumPy's ``libnpyrandom`` (linked into numlir, see
src/runtime/bitgen.rs) on a bit generator ``g``: the address of a NumPy ``bitgen_t``.

``g`` is either a ``np.random.Generator``'s bit generator (``generator.py``: the state is the
Python object's own, so it advances) or this thread's legacy MT19937 (``mt19937.bitgen()``,
for the ``np.random.*`` functions whose legacy algorithm is NumPy's current one). Calling
NumPy's C gives NumPy's values bit for bit. Parameters are numbers (floats, or ints where
the comment says so); the functions below only document the builtins: the interpreter never
runs them.
"""
from .stubs import compiled_only


# The builtins, each with its arguments and result (the compiler's own table, read by
# py-infer-types and py-to-std, is ``bitgenBuiltin`` in dialects/lib/Dialect/Py/IR/PyTypeRules.cpp).
__all__ = [
    # float64 results
    "standard_uniform",               # (g): a double in [0, 1) (next_double)
    "standard_normal",                # (g): ziggurat
    "standard_exponential",           # (g): ziggurat
    "standard_gamma",                 # (g, shape)
    "standard_cauchy",                # (g)
    "standard_t",                     # (g, df)
    "normal",                         # (g, loc, scale)
    "exponential",                    # (g, scale)
    "uniform",                        # (g, low, range): low + range * next_double
    "gamma",                          # (g, shape, scale)
    "beta",                           # (g, a, b)
    "chisquare",                      # (g, df)
    "f",                              # (g, dfnum, dfden)
    "noncentral_chisquare",           # (g, df, nonc)
    "noncentral_f",                   # (g, dfnum, dfden, nonc)
    "pareto",                         # (g, a)
    "weibull",                        # (g, a)
    "power",                          # (g, a)
    "laplace",                        # (g, loc, scale)
    "gumbel",                         # (g, loc, scale)
    "logistic",                       # (g, loc, scale)
    "lognormal",                      # (g, mean, sigma)
    "rayleigh",                       # (g, mode)
    "wald",                           # (g, mean, scale)
    "vonmises",                       # (g, mu, kappa)
    "triangular",                     # (g, left, mode, right)
    # int64 results
    "poisson",                        # (g, lam)
    "binomial",                       # (g, n: int, p): random_binomial with a fresh binomial_t
    "legacy_binomial",                # (g, n: int, p): RandomState's binomial (inversion/BTPE)
    "negative_binomial",              # (g, n, p)
    "geometric",                      # (g, p)
    "zipf",                           # (g, a)
    "logseries",                      # (g, p)
    "hypergeometric",                 # (g, good: int, bad: int, sample: int)
    "interval",                       # (g, max: int): uniform in [0, max], masked rejection
    "bounded",                        # (g, off: int, rng: int, masked: bool): off + [0, rng], as Generator.integers
    "next_uint32",                    # (g): 32 random bits
    "next_uint64",                    # (g): 64 random bits (as an int64)
]


globals().update({name: compiled_only("bitgen", name) for name in __all__})
