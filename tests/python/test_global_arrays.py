"""NumPy arrays in globals, closures and defaults: compiled in as constants, as numba freezes
them. Each compiled function's result equals the plain function's on the same inputs."""
import numpy as np
import pytest

import numlir

RNG = np.random.default_rng(11)

VECTOR = np.array([1.5, -2.0, 3.25, 0.0, 7.0])
MATRIX = np.arange(12, dtype=np.int32).reshape(3, 4)
FORTRAN = np.asfortranarray(RNG.random((3, 5)))
STRIDED = np.arange(20.0)[::3]  # not contiguous
SPLAT = np.full(6, 2.5)
EMPTY = np.zeros(0)
SCALAR = np.array(4.25)
CUBE = RNG.integers(-50, 50, (2, 3, 4)).astype(np.int16)
BIG = RNG.random(200_000)

DTYPE_ARRAYS = {
    "bool": np.array([True, False, True, True]),
    "int8": np.array([-128, 5, 127, 0], dtype=np.int8),
    "int16": np.array([-30000, 5, 300, 7], dtype=np.int16),
    "int32": np.array([-2**31, 5, 2**31 - 1, 9], dtype=np.int32),
    "int64": np.array([-2**63, 5, 2**63 - 1, 11], dtype=np.int64),
    "uint8": np.array([255, 0, 7, 128], dtype=np.uint8),
    "uint16": np.array([65535, 0, 7, 9], dtype=np.uint16),
    "uint32": np.array([2**32 - 1, 0, 7, 3], dtype=np.uint32),
    "uint64": np.array([2**64 - 1, 0, 7, 2**63], dtype=np.uint64),
    "float32": np.array([1.5, -np.inf, np.nan, 3e38], dtype=np.float32),
    "float64": np.array([1e-310, -0.0, np.inf, 2.5]),
    "complex64": np.array([1 + 2j, -3j, 0.5, np.nan], dtype=np.complex64),
    "complex128": np.array([1 + 2j, -3j, 0.5, 1e300j]),
}


NUMPY_SCALARS = [np.int8(-7), np.int16(300), np.int32(64), np.int64(-5), np.uint8(200), np.uint16(65535),
                 np.uint32(4_000_000_000), np.uint64(2**64 - 1), np.float32(2.5), np.bool_(True),
                 np.complex64(1 + 2j), np.complex128(-3j)]


def compiled(pyfunc, **options):
    return numlir.njit(**options)(pyfunc)


def assert_same(got, expected):
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and len(got) == len(expected)
        for g, e in zip(got, expected):
            assert_same(g, e)
    elif isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray)
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_array_equal(got, expected)
    else:
        np.testing.assert_equal(got, expected)


@pytest.mark.parametrize("dtype", list(DTYPE_ARRAYS))
def test_every_dtype_reads_back_exactly(dtype):
    table = DTYPE_ARRAYS[dtype]

    def element(i):
        return table[i]

    def whole():
        return table.copy()

    f = compiled(element)
    for i in range(-4, 4):
        assert_same(f(i), element(i))
    assert_same(compiled(whole)(), whole())


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NumPy's overflow warnings: the values wrap
@pytest.mark.parametrize("scalar", NUMPY_SCALARS, ids=lambda s: type(s).__name__)
def test_numpy_scalar_globals_keep_their_type(scalar):
    def value():
        return SCALAR_GLOBAL

    def arithmetic(x):
        return SCALAR_GLOBAL * 2 + x, SCALAR_GLOBAL == x

    value.__globals__["SCALAR_GLOBAL"] = scalar
    try:
        for pyfunc, args in ((value, ()), (arithmetic, (scalar,))):
            got, expected = compiled(pyfunc)(*args), pyfunc(*args)
            for g, e in zip(got, expected) if isinstance(expected, tuple) else [(got, expected)]:
                assert np.asarray(g).dtype == np.asarray(e).dtype
                assert g == e
    finally:
        del value.__globals__["SCALAR_GLOBAL"]


def test_layouts_and_ranks():
    def read(i, j):
        return (VECTOR[i] + MATRIX[i, j] + FORTRAN[i, j] + STRIDED[j] + SPLAT[j] + SCALAR[()]
                + CUBE[1, i, j] + len(EMPTY))

    def whole():
        return FORTRAN.copy(), STRIDED.copy(), MATRIX.T.copy(), CUBE[1].copy(), EMPTY.copy(), SCALAR + 1.0

    f = compiled(read)
    for i in range(3):
        for j in range(4):
            assert f(i, j) == read(i, j)
    assert_same(compiled(whole)(), whole())


def test_shapes_and_attributes_are_the_arrays():
    def attrs():
        return (VECTOR.shape, MATRIX.shape, FORTRAN.shape, CUBE.ndim, CUBE.size, EMPTY.size, SCALAR.ndim,
                len(MATRIX), MATRIX.strides)

    assert compiled(attrs)() == attrs()


def test_expressions_reductions_and_numpy_functions():
    def compute(x):
        return (VECTOR * x + 1.0, MATRIX.sum(), MATRIX.sum(axis=0), np.sin(VECTOR).max(), FORTRAN @ FORTRAN.T,
                np.sort(VECTOR), np.cumsum(MATRIX), np.dot(VECTOR, VECTOR), np.argmax(BIG), BIG.mean())

    got, expected = compiled(compute)(2.5), compute(2.5)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-12)


def test_loops_over_global_arrays():
    def total():
        s = 0.0
        for v in VECTOR:
            s += v
        for row in MATRIX:
            for v in row:
                s += v
        for i in range(CUBE.shape[0]):
            s += CUBE[i].sum()
        return s

    assert compiled(total)() == total()


def test_a_callee_reads_its_own_globals():
    @numlir.njit
    def lookup(i):
        return MATRIX[i % 3, i % 4]

    def caller(n):
        s = 0
        for i in range(n):
            s += lookup(i) * VECTOR[i % 5]
        return s

    assert compiled(caller)(40) == caller(40)


def test_closure_variables_and_defaults():
    def make(table):
        def pick(i):
            return table[i] * 2
        return pick

    def with_default(i, table=MATRIX):
        return table[i].sum()

    doubled = make(np.arange(5) ** 2)
    assert compiled(doubled)(3) == doubled(3)
    assert compiled(with_default)(2) == with_default(2)


def test_a_parallel_loop_reads_a_global_array():
    def weights(n):
        out = np.zeros(n)
        for i in numlir.prange(n):
            out[i] = VECTOR[i % 5] * BIG[i]
        return out

    np.testing.assert_array_equal(compiled(weights, parallel=True)(1000), weights(1000))


def test_returned_arrays_are_copies_of_the_frozen_elements():
    def whole():
        return VECTOR

    def view():
        return VECTOR[1:]

    for pyfunc in (whole, view):
        f = compiled(pyfunc)
        first = f()
        first[0] = 100.0
        assert_same(f(), pyfunc())  # the frozen elements are unchanged


def test_global_arrays_in_returned_lists_and_dicts_are_copies():
    def in_list():
        return [VECTOR, VECTOR * 2.0]

    def in_dict():
        return {1: MATRIX, 2: MATRIX + 1}

    def through_list():
        items = [VECTOR]
        items.append(VECTOR)
        s = 0.0
        for a in items:
            s += a.sum()
        return s

    for pyfunc in (in_list, in_dict):
        f = compiled(pyfunc)
        got = f()
        for item in (got if isinstance(got, list) else got.values()):
            item[0] = 100  # the frozen elements are unchanged
        got, expected = f(), pyfunc()
        for g, e in zip(got if isinstance(got, list) else got.values(),
                        expected if isinstance(expected, list) else expected.values()):
            assert_same(g, e)
    assert compiled(through_list)() == through_list()


def test_arrays_are_frozen_when_the_function_compiles():
    table = np.array([1.0, 2.0, 3.0])

    def total():
        return table.sum()

    f = compiled(total)
    expected = total()
    assert f() == expected
    table[0] = 50.0  # as numba: compiled code keeps the elements it was compiled with
    assert f() == expected
    assert compiled(total)() == total()  # a new function reads them anew


@pytest.mark.parametrize("source", [
    "VECTOR[0] = 1.0",
    "alias = VECTOR\n    alias[1] = 2.0",
    "VECTOR[1:][0] = 3.0",
    "MATRIX[0, 1] += 1",
])
def test_item_assignment_is_a_typing_error_naming_the_line(source):
    namespace = {"VECTOR": VECTOR, "MATRIX": MATRIX}
    exec(f"def write():\n    {source}\n", namespace)
    with pytest.raises(numlir.TypingError, match="cannot assign to an element of a global array") as info:
        numlir.njit(namespace["write"])()
    assert "<string>:" in str(info.value)
    np.testing.assert_array_equal(VECTOR, [1.5, -2.0, 3.25, 0.0, 7.0])


@pytest.mark.parametrize("array, dtype", [
    (np.array(["a", "b"]), "str32"),
    (np.array([1, "x"], dtype=object), "object"),
    (np.arange(3, dtype=">f8"), "float64' in non-native byte order"),
    (np.zeros(2, dtype=[("x", "f8")]), "void"),
    (np.array(["2020-01-01"], dtype="datetime64[D]"), "datetime64"),
])
def test_unsupported_dtypes_are_named(array, dtype):
    def read():
        return UNSUPPORTED[0]

    read.__globals__["UNSUPPORTED"] = array
    try:
        with pytest.raises(numlir.UnsupportedError, match=rf"'UNSUPPORTED' is an array of dtype '{dtype}"):
            numlir.njit(read)()
    finally:
        del read.__globals__["UNSUPPORTED"]


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_array_subclasses_are_not_compiled_in():
    def read():
        return MATRIX_SUBCLASS[0, 0]

    read.__globals__["MATRIX_SUBCLASS"] = np.asmatrix(np.eye(2))
    try:
        with pytest.raises(numlir.UnsupportedError, match="a value of type 'matrix'"):
            numlir.njit(read)()
    finally:
        del read.__globals__["MATRIX_SUBCLASS"]
