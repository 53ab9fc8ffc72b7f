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

# name -> True where the builtin returns an int64, False where a float64 (documentation:
# the compiler's table is ``bitgenBuiltin`` in dialects/lib/Dialect/Py/IR/PyTypeRules.cpp).
SIGNATURES = {
    # floats
    "standard_uniform": False,       # (g): a double in [0, 1) (next_double)
    "standard_normal": False,        # (g): ziggurat
    "standard_exponential": False,   # (g): ziggurat
    "standard_gamma": False,         # (g, shape)
    "standard_cauchy": False,        # (g)
    "standard_t": False,             # (g, df)
    "normal": False,                 # (g, loc, scale)
    "exponential": False,            # (g, scale)
    "uniform": False,                # (g, low, range): low + range * next_double
    "gamma": False,                  # (g, shape, scale)
    "beta": False,                   # (g, a, b)
    "chisquare": False,              # (g, df)
    "f": False,                      # (g, dfnum, dfden)
    "noncentral_chisquare": False,   # (g, df, nonc)
    "noncentral_f": False,           # (g, dfnum, dfden, nonc)
    "pareto": False,                 # (g, a)
    "weibull": False,                # (g, a)
    "power": False,                  # (g, a)
    "laplace": False,                # (g, loc, scale)
    "gumbel": False,                 # (g, loc, scale)
    "logistic": False,               # (g, loc, scale)
    "lognormal": False,              # (g, mean, sigma)
    "rayleigh": False,               # (g, mode)
    "wald": False,                   # (g, mean, scale)
    "vonmises": False,               # (g, mu, kappa)
    "triangular": False,             # (g, left, mode, right)
    # ints
    "poisson": True,                 # (g, lam)
    "binomial": True,                # (g, n: int, p): random_binomial with a fresh binomial_t
    "legacy_binomial": True,         # (g, n: int, p): RandomState's binomial (inversion/BTPE)
    "negative_binomial": True,       # (g, n, p)
    "geometric": True,               # (g, p)
    "zipf": True,                    # (g, a)
    "logseries": True,               # (g, p)
    "hypergeometric": True,          # (g, good: int, bad: int, sample: int)
    "interval": True,                # (g, max: int): uniform in [0, max], masked rejection
    "bounded": True,                 # (g, off: int, rng: int, masked: bool): off + [0, rng], as Generator.integers
    "next_uint32": True,             # (g): 32 random bits
    "next_uint64": True,             # (g): 64 random bits (as an int64)
}

__all__ = list(SIGNATURES)


def _builtin(name):
    def compiled_only(*args):
        raise NotImplementedError(f"bitgen.{name} is called from compiled code only")
    compiled_only.__name__ = name
    return compiled_only


globals().update({name: _builtin(name) for name in SIGNATURES})
