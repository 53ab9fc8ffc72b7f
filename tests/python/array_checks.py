"""Shared by the array tests: ``check`` runs a function as plain Python and compiled on
copies of the same inputs and compares results and inputs (same dtype and shape, values
within a tolerance only where float32 or a different summation order needs one); sample
inputs of each layout and dtype."""
import math

import numpy as np

import numlir


def _copy(x):
    return x.copy() if isinstance(x, np.ndarray) else x


def _same(got, expected, rtol):
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and len(got) == len(expected)
        for g, e in zip(got, expected):
            _same(g, e, rtol)
        return
    if isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray), f"expected an array, got {got!r}"
        assert got.dtype == expected.dtype, f"dtype {got.dtype} != {expected.dtype}"
        assert got.shape == expected.shape, f"shape {got.shape} != {expected.shape}"
        if expected.dtype.kind in "fc":
            np.testing.assert_allclose(got, expected, rtol=rtol, atol=0, equal_nan=True)
        else:
            np.testing.assert_array_equal(got, expected)
        return
    if expected is None:
        assert got is None
        return
    if isinstance(expected, (bool, np.bool_)):
        assert got is bool(expected) or got == bool(expected)
        return
    # NumPy's narrow scalar types (int8-uint64, float32, complex64) come back as themselves,
    # or as Python's type of their kind where numlir's variable was one (a loop-carried sum
    # that starts as a Python 0 stays an int64; NumPy 2 makes it the elements' type).
    if isinstance(expected, np.generic) and expected.dtype not in (np.int64, np.float64, np.complex128):
        python = {"b": bool, "i": int, "u": int, "f": float, "c": complex}[expected.dtype.kind]
        assert type(got) in (type(expected), python), f"expected {expected!r}, got {got!r}"
    if isinstance(expected, (complex, np.complexfloating)):
        assert isinstance(got, (complex, np.complexfloating)), f"expected a complex, got {got!r}"
        for g, e in ((got.real, expected.real), (got.imag, expected.imag)):
            assert (math.isnan(g) and math.isnan(e)) or math.isclose(g, e, rel_tol=rtol, abs_tol=1e-15 * (1 + abs(expected))), (got, expected)
        return
    if isinstance(expected, (int, np.integer)):
        assert isinstance(got, (int, np.integer)) and not isinstance(got, bool), f"expected an int, got {got!r}"
        assert got == int(expected)
        return
    assert isinstance(got, (float, np.floating)), f"expected a float, got {got!r}"
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert math.isclose(got, float(expected), rel_tol=rtol, abs_tol=1e-300), (got, expected)


def check(func, *args, rtol=1e-12, **options):
    """Runs ``func`` in Python and compiled on copies of ``args``; compares results and inputs."""
    py_args = [_copy(a) for a in args]
    jit_args = [_copy(a) for a in args]
    expected = func(*py_args)
    got = numlir.njit(**options)(func)(*jit_args)
    _same(got, expected, rtol)
    for g, e in zip(jit_args, py_args):
        if isinstance(e, np.ndarray):
            _same(g, e, rtol)
    return got


def layouts(a):
    """The same values in C order, Fortran order, a strided view and a reversed view."""
    out = [("C", np.ascontiguousarray(a)), ("F", np.asfortranarray(a))]
    big = np.zeros(tuple(2 * s for s in a.shape), dtype=a.dtype)
    view = big[tuple(slice(None, None, 2) for _ in a.shape)]
    view[...] = a
    out.append(("strided", view))
    out.append(("reversed", np.ascontiguousarray(a[::-1])[::-1]))
    return out


RNG = np.random.default_rng(1234)
VEC = RNG.standard_normal(17)
MAT = RNG.standard_normal((5, 7))
DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
          np.uint64, np.float32, np.float64]


def sample(dtype, shape):
    if np.dtype(dtype).kind == "b":
        return RNG.integers(0, 2, shape).astype(dtype)
    if np.dtype(dtype).kind in "iu":
        return RNG.integers(0, 5, shape).astype(dtype)  # small: int8 sums must not overflow
    return RNG.standard_normal(shape).astype(dtype)
