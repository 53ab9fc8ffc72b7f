"""namedtuples as arguments, results and locals: attribute access, indexing (constant and
run-time), unpacking, len, truth, comparison, construction (positional, keyword, defaults),
nesting with arrays and tuples, calls between compiled functions, and the cache.

Every result is compared with CPython's on the same inputs; a returned namedtuple must be an
instance of the same class. Run-time indexing of homogeneous plain tuples is tested here too,
since it shares the lowering.
"""
import collections
import json
import os
import subprocess
import sys
import textwrap
import typing

import numpy as np
import pytest

import numlir
from conftest import assert_same, pure_python

Rect = collections.namedtuple("Rect", ("width", "height"))
Point = collections.namedtuple("Point", ("x", "y", "z"))
Point2 = collections.namedtuple("Point2", ("x", "y", "z"))
Empty = collections.namedtuple("Empty", ())
WithDefaults = collections.namedtuple("WithDefaults", "a b c", defaults=(2.5, 7))


class Typed(typing.NamedTuple):
    """A typing.NamedTuple class: also a tuple subclass with _fields."""
    lo: int
    hi: float = 1.0


def same(got, expected, path="result"):
    """Same class (namedtuple, tuple, array or number) and same values, recursively."""
    if isinstance(expected, tuple):
        assert type(got) is type(expected), f"{path}: expected {expected!r}, got {got!r}"
        assert len(got) == len(expected), f"{path}: expected {expected!r}, got {got!r}"
        for i, (g, e) in enumerate(zip(got, expected)):
            same(g, e, f"{path}[{i}]")
    elif isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray) and got.dtype == expected.dtype, f"{path}: {got!r}"
        np.testing.assert_array_equal(got, expected)
    elif isinstance(expected, (np.float64, np.complex128)) and not isinstance(got, np.generic):
        # an array reduction is a NumPy scalar in CPython, a Python number from numlir
        same(got, expected.item(), path)
    elif isinstance(expected, np.generic):
        assert type(got) is type(expected) and got == expected, f"{path}: expected {expected!r}, got {got!r}"
    elif isinstance(expected, complex):
        assert type(got) is complex and got == expected, f"{path}: expected {expected!r}, got {got!r}"
    else:
        assert_same(got, expected, path=path)


def check(pyfunc, *args):
    got = numlir.njit(pyfunc)(*args)
    same(got, pure_python(pyfunc)(*args))
    return got


INSTANCES = [Rect(4, 5), Rect(4, 5.5), Rect(True, -3), Point(4, 5, 6), Point(4, 5.5, 6j),
             Point2(1, 2, 3), Typed(3, 4.5), WithDefaults(1), Empty()]


def first(p):
    return p[0]


def last(p):
    return p[-1]


def length(p):
    return len(p)


def truth(p):
    return bool(p)


def branch_on(p):
    if p:
        return 1
    return 0


def identity(p):
    return p


@pytest.mark.parametrize("p", INSTANCES, ids=repr)
@pytest.mark.parametrize("pyfunc", [length, truth, branch_on, identity])
def test_whole_value(pyfunc, p):
    check(pyfunc, p)


@pytest.mark.parametrize("p", [p for p in INSTANCES if len(p)], ids=repr)
@pytest.mark.parametrize("pyfunc", [first, last])
def test_constant_index(pyfunc, p):
    check(pyfunc, p)


def unpack2(p):
    a, b = p
    return b, a


def unpack3(p):
    a, b, c = p
    return a + b + c


@pytest.mark.parametrize("p", [Rect(4, 5), Rect(4, 5.5), Typed(-2, 0.5)], ids=repr)
def test_unpack_two(p):
    check(unpack2, p)


@pytest.mark.parametrize("p", [Point(4, 5, 6), Point(4, 5.5, 6j), Point2(1.0, 2, True)], ids=repr)
def test_unpack_three(p):
    check(unpack3, p)


def get_xyz(p):
    return p.x, p.y, p.z


def area(r):
    return r.width * r.height


def typed_span(t):
    return t.hi - t.lo


@pytest.mark.parametrize("p", [Point(4, 5, 6), Point(4, 5.5, 6j), Point2(-1, 0.0, 2)], ids=repr)
def test_attributes(p):
    check(get_xyz, p)


@pytest.mark.parametrize("r", [Rect(2, 3), Rect(2.5, -4), Rect(True, 7)], ids=repr)
def test_attribute_arithmetic(r):
    check(area, r)


def test_typing_namedtuple_attributes():
    check(typed_span, Typed(3, 10.5))


def index_at(p, i):
    return p[i]


@pytest.mark.parametrize("p", [Point(4, 5, 6), (1.5, -2.5, 3.5, 4.5), (7,), Rect(1j, 2j),
                               ((1, 2), (3, 4)), (np.int8(1), np.int8(-2))], ids=repr)
def test_runtime_index(p):
    for i in range(-len(p), len(p)):
        check(index_at, p, i)


@pytest.mark.parametrize("i", [np.uint64(1), np.int8(-1), np.int32(2), True])
def test_runtime_index_of_numpy_int_types(i):
    check(index_at, Point(4, 5, 6), i)


@pytest.mark.parametrize("i", [3, -4, 100])
def test_runtime_index_out_of_range_raises(i):
    compiled = numlir.njit(index_at)
    with pytest.raises(IndexError, match="tuple index out of range"):
        compiled(Point(4, 5, 6), i)
    with pytest.raises(IndexError, match="tuple index out of range"):
        index_at(Point(4, 5, 6), i)


def test_runtime_index_into_arrays():
    a, b = np.arange(3.0), np.ones(3)
    for i in (0, 1, -1):
        check(index_at, (a, b), i)


def test_runtime_index_of_mixed_tuple_is_a_typing_error():
    with pytest.raises(numlir.TypingError, match="run-time index needs elements of one type"):
        numlir.njit(index_at)(Rect(4, 5.5), 1)


def make_compare(op):
    namespace = {}
    exec(f"def compare(a, b):\n    return a {op} b\n", namespace)
    return namespace["compare"]


@pytest.mark.parametrize("op", ["==", "!=", "<", "<=", ">", ">="])
@pytest.mark.parametrize("a, b", [(Rect(4, 5), Rect(4, 5)), (Rect(4, 5), Rect(4, 6)),
                                  (Rect(4, 6), Rect(4, 5)), (Rect(4, 5), Rect(5, 4)),
                                  (Rect(4, 5), Point(4, 5, 6)), (Rect(4, 5), Point(4, 4, 6)),
                                  (Rect(4, 5), (4, 6, 7)), (Rect(4.5, 5), Rect(4, 5))], ids=repr)
def test_compare(op, a, b):
    check(make_compare(op), a, b)


def make_point(a, b, c):
    return Point(a, b, c)


def make_point_kws(a, b, c):
    return Point(z=c, y=b, x=a)


def make_point_mixed(a, b, c):
    return Point(a, z=c, y=b)


def make_with_defaults(a):
    return WithDefaults(a), WithDefaults(a, c=-1), WithDefaults(a, 0.5, 3)


def make_typed(lo):
    return Typed(lo), Typed(lo, hi=lo * 2.0)


def make_empty():
    return Empty()


@pytest.mark.parametrize("args", [(4, 5, 6), (4, 5.5, 6j), (True, np.float32(1.5), np.int16(-3))],
                         ids=repr)
@pytest.mark.parametrize("pyfunc", [make_point, make_point_kws, make_point_mixed])
def test_construct(pyfunc, args):
    check(pyfunc, *args)


@pytest.mark.parametrize("a", [1, 2.5])
def test_construct_with_defaults(a):
    check(make_with_defaults, a)
    check(make_typed, a)


def test_construct_empty():
    check(make_empty)


def build_and_read(a, b):
    p = Point(a, b, a * b)
    return p.z - p.x + p[1]


def test_construct_then_read():
    check(build_and_read, 3, 4.5)


def choose(flag, a, b):
    # Two instances of one class meet as one namedtuple (the int and float elements as float).
    if flag:
        r = Rect(a, 1)
    else:
        r = Rect(b, 2.5)
    return r


@pytest.mark.parametrize("flag", [True, False])
def test_branches_join_as_one_class(flag):
    # numlir (as numba) types the width as float on both paths: equal values, same class.
    got, expected = numlir.njit(choose)(flag, 3, 4.5), choose(flag, 3, 4.5)
    assert type(got) is Rect and got == expected
    assert [type(v) for v in got] == [float, float]


def accumulate(n):
    r = Rect(0, 0)
    for i in range(n):
        r = Rect(r.width + i, r.height + 0.5 * i)
    return r


def test_loop_carried():
    check(accumulate, 10)


def with_arrays(n):
    r = Rect(np.arange(n), np.zeros(n + 1))
    p = Point(r, len(r.width), len(r.height))
    return p


def sums(r):
    return r.width.sum() + r.height.sum(), r.width[1:]


def test_nested_with_arrays():
    check(with_arrays, 4)
    check(sums, Rect(np.arange(5.0), np.ones((2, 3))))


def nested_read(q):
    return q.x.width + q.y[1] + q.z


def test_nested_arguments():
    check(nested_read, Point(Rect(1, 2), (3, 4.5), 6))


@numlir.njit
def scale_rect(r, k):
    return Rect(r.width * k, r.height * k)


def call_compiled(r):
    s = scale_rect(r, 2)
    return s, scale_rect(s, 0.5).width


def test_calls_between_compiled_functions():
    check(call_compiled, Rect(3, 4))
    check(call_compiled, Rect(3.5, 4))


def test_dispatcher_tells_classes_apart():
    # A tuple, a Point and a Point2 of the same elements are three signatures, each returned
    # as its own class.
    compiled = numlir.njit(identity)
    for value in [(1, 2, 3), Point(1, 2, 3), Point2(1, 2, 3)]:
        same(compiled(value), value)
    assert len(compiled.signatures) == 3


def test_signatures_name_the_class():
    compiled = numlir.njit(identity)
    compiled(Point(1, 2.5, 3))
    compiled((Rect(1, 2), 3))
    assert str(compiled.signatures) == "[(Point(int64, float64, int64),), (Tuple(Rect(int64, int64), int64),)]"
    assert compiled.signatures[0][0] == numlir.types.NamedTuple((numlir.int64, numlir.float64, numlir.int64), Point)


@pytest.mark.parametrize("signature", [
    numlir.types.NamedTuple((numlir.int64, numlir.float64), Rect)(numlir.types.NamedTuple((numlir.int64, numlir.float64), Rect)),
    (numlir.types.NamedUniTuple(numlir.float64, 2, Rect),),
])
def test_explicit_signatures(signature):
    compiled = numlir.jit(signature, nopython=True)(identity)
    expected = Rect(1, 2.5) if isinstance(signature, numlir.types.Signature) else Rect(1.0, 2.5)
    same(compiled(Rect(1, 2.5)), expected)
    with pytest.raises(TypeError, match="no matching definition"):
        compiled(Point(1, 2, 3))


def test_namedtuple_type_of_a_plain_class_is_a_type_error():
    with pytest.raises(TypeError, match="is not a namedtuple class"):
        numlir.types.NamedTuple((numlir.int64,), int)


def test_class_defined_in_a_function():
    # A class made at run time, and a function whose globals hold it.
    Local = collections.namedtuple("Local", "u v")
    namespace = {"Local": Local}
    exec("def make_local(a):\n    return Local(a, -a)\n", namespace)
    check(namespace["make_local"], 5)
    check(identity, Local(1, 2.5))


def test_unknown_field_is_a_typing_error():
    def bad(p):
        return p.w

    with pytest.raises(numlir.TypingError, match=r"'Point\(int, int, int\)' has no field 'w'"):
        numlir.njit(bad)(Point(1, 2, 3))


@pytest.mark.parametrize("source, message", [
    ("Point(1, 2)", r"Point\(\) missing the argument 'z'"),
    ("Point(1, 2, 3, 4)", r"Point\(\) takes 3 positional arguments but 4 were given"),
    ("Point(1, 2, 3, w=4)", r"Point\(\) got an unexpected keyword argument 'w'"),
    ("Point(1, 2, 3, x=4)", r"Point\(\) got multiple values for argument 'x'"),
])
def test_bad_construction_is_a_typing_error(source, message):
    namespace = {"Point": Point}
    exec(f"def bad():\n    return {source}\n", namespace)
    with pytest.raises(numlir.TypingError, match=message):
        numlir.njit(namespace["bad"])()
    with pytest.raises(TypeError):
        namespace["bad"]()


def test_class_as_a_value_is_unsupported():
    def bad():
        c = Point
        return c

    with pytest.raises(numlir.UnsupportedError, match="namedtuple class 'Point' used as a value"):
        numlir.njit(bad)()


CACHED_MODULE = '''
import collections
import numlir

Pair = collections.namedtuple("Pair", "first second")


@numlir.njit(cache=True)
def swap(p):
    return Pair(p.second, p.first)
'''

CACHED_RUN = '''
import json, sys
sys.path.insert(0, {dir!r})
import nt_mod
got = nt_mod.swap(nt_mod.Pair(1, 2.5))
print(json.dumps([type(got).__name__, list(got), list(nt_mod.swap.py_func(nt_mod.Pair(1, 2.5)))]))
'''


def test_cached_function_returns_the_class_in_a_new_process(tmp_path):
    (tmp_path / "nt_mod.py").write_text(CACHED_MODULE)
    env = dict(os.environ, NUMLIR_TIMING="1")
    env.pop("NUMLIR_CACHE_DIR", None)
    for verb in ("compiled", "loaded"):
        proc = subprocess.run([sys.executable, "-c", CACHED_RUN.format(dir=str(tmp_path))], env=env,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert f"numlir: {verb} swap" in proc.stderr
        name, got, expected = json.loads(proc.stdout)
        assert name == "Pair" and got == expected


@pytest.mark.parametrize("signature, value, expected", [
    ("UniTuple(float64, 2)", (1, 2.5), (1.0, 2.5)),
    ("UniTuple(complex128, 2)", (1, 2.5), (1 + 0j, 2.5 + 0j)),
    ("Tuple(int64, Tuple(float64, complex128))", (True, (2, 3.0)), (1, (2.0, 3 + 0j))),
])
def test_explicit_tuple_signatures_convert_elements(signature, value, expected):
    # numba's safe conversions apply inside tuples too (bool -> int -> float -> complex).
    compiled = numlir.jit(f"{signature}({signature})", nopython=True)(identity)
    same(compiled(value), expected)


@pytest.mark.parametrize("signature, value, expected", [
    ("UniTuple(float32, 2)(UniTuple(int32, 2))", (4, 5), (np.float32(4), np.float32(5))),
    ("Tuple(float32, int16)(UniTuple(int32, 2))", (4, 5), (np.float32(4), np.int16(5))),
    ("UniTuple(complex128, 2)(Tuple(int64, float64))", (4, 5.5), (4 + 0j, 5.5 + 0j)),
    ("Tuple()(UniTuple(int32, 0))", (), ()),
])
def test_declared_tuple_return_types_convert_the_result(signature, value, expected):
    compiled = numlir.jit(signature, nopython=True)(identity)
    same(compiled(value), expected)


def test_declared_tuple_return_of_another_length_is_a_typing_error():
    with pytest.raises(numlir.TypingError, match=r"cannot convert tuple\[int32, int32\] to tuple\[float32\]"):
        numlir.jit("UniTuple(float32, 1)(UniTuple(int32, 2))", nopython=True)(identity)
