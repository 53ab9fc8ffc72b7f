"""njit options that change the generated code: fastmath flag sets and error_model="numpy".

fastmath results are compared with CPython within a tolerance (fast-math may regroup sums);
error_model="numpy" results are compared with NumPy's own scalar arithmetic on the same
operands, division by zero included.
"""
import math

import numpy as np
import pytest

import numlir
from conftest import assert_same, compare

inf = math.inf
nan = math.nan


def dot_loop(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s


def poly(x, n):
    s = 0.0
    for i in range(n):
        s = s * x + 1.0 / (i + 1)
    return s


FLAG_SETS = [{"nnan"}, {"ninf"}, {"nsz"}, {"arcp"}, {"contract"}, {"afn"}, {"reassoc"},
             {"nnan", "ninf", "nsz"}, {"reassoc", "contract"}, {"fast"},
             set(numlir.FASTMATH_FLAGS)]


@pytest.mark.parametrize("flags", FLAG_SETS, ids=lambda f: "+".join(sorted(f)))
def test_fastmath_flag_sets_agree_with_cpython(flags):
    rng = np.random.default_rng(3)
    a, b = rng.random(1001), rng.random(1001)
    f = numlir.njit(fastmath=flags)(dot_loop)
    assert_same(f(a, b), dot_loop(a, b), rel_tol=1e-9)
    g = numlir.njit(fastmath=flags)(poly)
    for x, n in [(0.5, 50), (-1.25, 20), (2.0, 0)]:
        assert_same(g(x, n), poly(x, n), rel_tol=1e-9)


@pytest.mark.parametrize("flags, text", [
    ({"nnan", "contract"}, "fastmath<nnan,contract>"), ({"reassoc"}, "fastmath<reassoc>"),
    (True, "fastmath<fast>")], ids=["nnan+contract", "reassoc", "fast"])
def test_fastmath_flags_reach_the_ir(flags, text):
    f = numlir.njit(fastmath=flags)(poly)
    f(0.5, 3)
    std = f.inspect_ir("std")
    assert text in std
    # Only the named flags: no other flag sneaks in.
    if flags is not True:
        assert "fastmath<fast>" not in std


def test_fastmath_reduction_vectorizes():
    """With reassoc, a sum loop becomes a vector reduction (<4 x double> or wider)."""
    rng = np.random.default_rng(0)
    a, b = rng.random(64), rng.random(64)
    fast = numlir.njit(fastmath={"reassoc", "contract"})(dot_loop)
    fast(a, b)
    ir = next(iter(fast.inspect_llvm().values()))
    assert "x double>" in ir
    strict = numlir.njit(dot_loop)
    strict(a, b)
    strict_ir = next(iter(strict.inspect_llvm().values()))
    # Without reassoc the adds stay in order: no vector fadd reduction of the sum.
    assert "reassoc" not in strict_ir


# ---------------------------------------------------------------------------------------------
# error_model="numpy"
# ---------------------------------------------------------------------------------------------

def floordiv(a, b):
    return a // b


def mod(a, b):
    return a % b


def truediv(a, b):
    return a / b


def power(a, b):
    return a ** b


INT_PAIRS = [(7, 2), (-7, 2), (7, -2), (-7, -2), (5, 0), (-5, 0), (0, 0), (2 ** 62, 3),
             (-(2 ** 63), -1), (-(2 ** 63), 1), (123456789, -1000)]
FLOAT_PAIRS = [(7.5, 2.0), (-7.5, 2.0), (7.5, -2.0), (5.0, 0.0), (-5.0, 0.0), (0.0, 0.0),
               (5.0, -0.0), (inf, 0.0), (nan, 0.0), (1e300, 1e-300), (-0.0, 3.0), (2.0, inf)]


def numpy_result(func, a, b):
    """What NumPy's scalar arithmetic gives (int64 or float64 operands), warnings off."""
    cast = np.int64 if isinstance(a, int) and isinstance(b, int) else np.float64
    with np.errstate(all="ignore"):
        return func(cast(a), cast(b)).item()


@pytest.mark.parametrize("func", [floordiv, mod, truediv], ids=lambda f: f.__name__)
@pytest.mark.parametrize("pairs", [INT_PAIRS, FLOAT_PAIRS], ids=["int", "float"])
def test_numpy_error_model_matches_numpy(func, pairs):
    f = numlir.njit(error_model="numpy")(func)
    for a, b in pairs:
        assert_same(f(a, b), numpy_result(func, a, b), path=f"{func.__name__}{(a, b)!r}")


def test_numpy_error_model_float_power_of_zero():
    f = numlir.njit(error_model="numpy")(power)
    for a, b in [(0.0, -1.0), (-0.0, -3.0), (0.0, -0.5), (2.0, -1.0)]:
        assert_same(f(a, b), numpy_result(power, a, b), path=f"power{(a, b)!r}")


@pytest.mark.parametrize("func", [floordiv, mod, truediv], ids=lambda f: f.__name__)
def test_python_error_model_still_raises(func):
    """The default error model is Python's: the same ZeroDivisionError as CPython."""
    for args in [(5, 0), (5.0, 0.0), (0, 0)]:
        compare(numlir.njit(error_model="python")(func), func, args)


def test_numpy_error_model_in_a_loop():
    def harmonic_ratio(n):
        s = 0.0
        for i in range(n):
            s += 1.0 / (i - 3)   # divides by zero at i == 3: inf, as NumPy
        return s
    f = numlir.njit(error_model="numpy")(harmonic_ratio)
    with np.errstate(all="ignore"):
        expected = float(sum(np.float64(1.0) / np.float64(i - 3) for i in range(10)))
    assert_same(f(10), expected)
    with pytest.raises(ZeroDivisionError):
        numlir.njit(harmonic_ratio)(10)


def plus_one(x):
    return x + 1


@pytest.mark.parametrize("option", [{"inline": "always"}, {"no_rewrites": True}, {"no_cpython_wrapper": False},
                                    {"no_cfunc_wrapper": True}, {"debug": False}])
def test_numba_build_options_are_accepted(option):
    # They change how numba builds code, not what it computes.
    assert numlir.njit(**option)(plus_one)(2) == plus_one(2)


def test_an_unknown_option_is_a_type_error():
    with pytest.raises(TypeError, match="unknown option\\(s\\) for njit: fast_math"):
        numlir.njit(fast_math=True)(plus_one)
