"""`for x in a` over NumPy arrays: every dtype, rank and layout (rows of 2-D and 3-D arrays,
Fortran order, strided and negative-stride views, read-only arrays), with loop-carried values
that start as bool, int, float or complex and widen as elements of each dtype arrive.

Iterating over a complex array once crashed the interpreter (a zero of the element type was
built as an integer constant). The class is every construct that builds a value of an element
type; these tests run each body over every dtype so no type is left out again. A seeded fuzzer
adds random combinations of dtype, shape, view and body on top of the fixed grid.
"""
import itertools
import math
import random

import numpy as np
import pytest

import numlir
from conftest import pure_python

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float32", "float64", "complex64", "complex128"]
INITS = ["bool", "int", "float", "complex"]


# Each body exists once per starting value of its loop-carried `res` ({init}): compiled from
# this source as a user's function would be (numlir reads bytecode, not text).
BODIES = {
    "sum_1d": """
def sum_1d_{name}(a):
    res = {init}
    for x in a:
        res += x
    return res
""",
    "first": """
def first_{name}(a):
    for x in a:
        return x
    return {init}
""",
    "sum_2d": """
def sum_2d_{name}(a):
    res = {init}
    for row in a:
        for x in row:
            res += x
    return res
""",
    "rows_first": """
def rows_first_{name}(a):
    res = {init}
    for row in a:
        res = res + row[0] * 2
    return res
""",
    "sum_3d": """
def sum_3d_{name}(a):
    res = {init}
    for plane in a:
        for row in plane:
            for x in row:
                res += x
    return res
""",
}
for _body in BODIES.values():
    for _name, _init in {"bool": "False", "int": "0", "float": "0.0", "complex": "0j"}.items():
        exec(compile(_body.format(name=_name, init=_init), f"<iteration body {_name}>", "exec"), globals())


def count_truthy(a):
    n = 0
    for x in a:
        if x:
            n += 1
    return n


def widening(a):
    # res is a bool, then an int, a float and a complex as the loop goes on.
    res = True
    k = 0
    for x in a:
        if k == 1:
            res = res + 1
        elif k == 2:
            res = res * 1.5
        elif k == 3:
            res = res + 1j
        else:
            res = res + x
        k += 1
    return res


def sample(dtype, shape, seed=0):
    """Small values every dtype holds (no overflow in sums of a few dozen)."""
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 4, size=shape)
    a = values.astype(dtype)
    if np.dtype(dtype).kind == "f":
        a = (values * 0.5 - 0.25).astype(dtype)
    if np.dtype(dtype).kind == "c":
        a = (values * 0.5 + 1j * rng.integers(-2, 3, size=shape)).astype(dtype)
    return a


def views(a):
    """The array in every layout numlir distinguishes, by name."""
    out = {"C": a, "F": np.asfortranarray(a), "strided": a[::2] if a.ndim == 1 else a[::2, ::2],
           "reversed": a[::-1] if a.ndim == 1 else a[::-1, ::-1]}
    ro = a.copy()
    ro.flags.writeable = False
    out["readonly"] = ro
    return out


def assert_close(got, expected, dtype, where):
    """Values must match; float32/complex64 elements summed by CPython in their own precision
    (NumPy 2 keeps `0.0 + np.float32(x)` a float32) meet numlir's float64 sums within 1e-5."""
    narrow = dtype in ("float32", "complex64")
    if isinstance(expected, (np.ndarray,)):
        np.testing.assert_allclose(got, expected, rtol=1e-5 if narrow else 1e-12)
        return
    if isinstance(expected, (complex, np.complexfloating)) or isinstance(got, (complex, np.complexfloating)):
        assert complex(got) == pytest.approx(complex(expected), rel=1e-5 if narrow else 1e-12), where
        return
    if isinstance(expected, (float, np.floating)) or isinstance(got, (float, np.floating)):
        assert float(got) == pytest.approx(float(expected), rel=1e-5 if narrow else 1e-12), where
        return
    assert int(got) == int(expected), where
    assert bool(got) == bool(expected), where


def run(func, a, dtype):
    # numlir reads bool elements as Python bools (True + True == 2), as numba does; NumPy's
    # np.bool_ adds as a logical or. CPython computes the expected value on Python bools.
    expected = pure_python(func)(a.astype(object) if dtype == "bool" else a)
    got = numlir.njit(func)(a)
    assert_close(got, expected, dtype, f"{func.__name__}({dtype} {a.shape} {a.strides})")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("init", INITS)
@pytest.mark.parametrize("layout", ["C", "strided", "reversed", "readonly"])
def test_sum_over_1d(dtype, init, layout):
    a = views(sample(dtype, (9,)))[layout]
    run(globals()[f"sum_1d_{init}"], a, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("init", INITS)
def test_first_element(dtype, init):
    func = globals()[f"first_{init}"]
    run(func, sample(dtype, (5,), seed=3), dtype)
    run(func, sample(dtype, (0,)), dtype)  # an empty array returns the starting value


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("init", INITS)
@pytest.mark.parametrize("layout", ["C", "F", "strided", "reversed", "readonly"])
def test_rows_of_2d(dtype, init, layout):
    a = views(sample(dtype, (6, 5), seed=1))[layout]
    run(globals()[f"sum_2d_{init}"], a, dtype)
    run(globals()[f"rows_first_{init}"], a, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", ["C", "F", "strided", "reversed"])
def test_planes_of_3d(dtype, layout):
    base = sample(dtype, (4, 3, 5), seed=2)
    a = {"C": base, "F": np.asfortranarray(base), "strided": base[::2, :, ::2],
         "reversed": base[::-1, ::-1, ::-1]}[layout]
    run(sum_3d_complex, a, dtype)
    if np.dtype(dtype).kind != "c":
        run(sum_3d_int, a, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_truth_of_elements(dtype):
    run(count_truthy, sample(dtype, (11,), seed=4), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_values_widen_bool_int_float_complex(dtype):
    for n in range(6):  # stop after each widening step
        run(widening, sample(dtype, (n,), seed=5), dtype)


def test_complex_array_iteration_from_the_report():
    def f(a):
        res = 0.0
        for x in a:
            res += x
        return res

    a = np.arange(5) + 1j
    assert numlir.njit(f)(a) == f(a) == 10 + 5j
    eager = numlir.njit("complex128(complex128[:])")(f)
    assert eager(a) == f(a)
    assert numlir.njit(f)(a.astype(np.complex64)) == f(a.astype(np.complex64))


FUZZ_BODIES = ["sum_1d_bool", "sum_1d_int", "sum_1d_float", "sum_1d_complex", "first_int",
               "first_complex", "count_truthy", "widening", "sum_2d_float", "rows_first_int",
               "sum_3d_complex"]


@pytest.mark.parametrize("seed", range(40))
def test_fuzz_iteration(seed):
    """Random dtype, shape (empty ones too), view and body; the body's rank picks the rank."""
    rnd = random.Random(seed)
    body = rnd.choice(FUZZ_BODIES)
    ndim = 3 if "3d" in body else 2 if ("2d" in body or "rows" in body) else 1
    dtype = rnd.choice(DTYPES)
    if body == "sum_3d_int" and dtype.startswith("complex"):
        dtype = "float64"
    shape = tuple(rnd.randint(0, 7) for _ in range(ndim))
    if body.startswith("rows_first"):
        shape = (shape[0], max(shape[1], 1))
    a = sample(dtype, shape, seed=seed)
    kind = rnd.choice(["C", "F", "step", "neg", "readonly"])
    if kind == "F":
        a = np.asfortranarray(a)
    elif kind == "step":
        a = a[(slice(None, None, 2),) + (slice(None),) * (ndim - 1)]
    elif kind == "neg":
        a = a[(slice(None, None, -1),) * ndim]
    elif kind == "readonly":
        a = a.copy()
        a.flags.writeable = False
    run(globals()[body], a, dtype)
