"""Object mode: jit(forceobj=True) runs the function in the interpreter and compiles the loops
it can (loop lifting); jit(nopython=False) falls back to it. Results are CPython's."""
import warnings

import numpy as np
import pytest

import numlir


def labelled_sum(data, n):
    names = [str(k) for k in range(3)]  # a list of strings: interpreter
    total = 0.0
    for i in range(n):  # lifted: compiled
        total += data[i] * 2.0
    return "sum-" + names[-1], total


def two_loops_and_a_while(a, scale):
    out = np.empty_like(a)
    for i in range(len(a)):
        out[i] = a[i] * scale
    k = 0
    while k < len(a) and out[k] < 10.0:
        k += 1
    info = (b"first_big", k)  # bytes: interpreter
    return out, info


def loop_over_a_list(xs):
    acc = b""
    for x in xs:  # a list of bytes: runs in the interpreter, with a warning
        acc += x
    return acc


def returns_from_its_loop(a):
    for i in range(len(a)):
        if a[i] > 2:
            return i
    return -1


def assigns_what_it_reads_after(a):
    for i in range(len(a)):
        last = a[i]  # `last` is not bound before the loop: the loop is not lifted
    return last


def with_defaults(a, start=1.0, *, step=2):
    acc = start
    for i in range(0, len(a), step):
        acc = acc * 1.5 + a[i]
    return acc


def run_both(func, *args, **kwargs):
    compiled = numlir.jit(forceobj=True)(func)
    got, expected = compiled(*args, **kwargs), func(*args, **kwargs)
    return compiled, got, expected


def test_the_loop_of_an_object_mode_function_is_compiled():
    compiled, got, expected = run_both(labelled_sum, np.arange(10.0), 10)
    assert got == expected
    assert len(compiled.lifted_loops) == 1 and compiled.lifted_loops[0].compiled


def test_several_loops_with_arrays_in_place():
    a = np.linspace(0.0, 5.0, 11)
    compiled, (out, info), (out_py, info_py) = run_both(two_loops_and_a_while, a, 3.0)
    np.testing.assert_array_equal(out, out_py)
    assert info == info_py
    assert [loop.compiled for loop in compiled.lifted_loops] == [True, True]


def test_a_loop_that_does_not_compile_runs_in_the_interpreter():
    compiled = numlir.jit(forceobj=True)(loop_over_a_list)
    with pytest.warns(numlir.NumlirWarning, match="runs in the interpreter"):
        assert compiled([b"a", b"b", b"c"]) == loop_over_a_list([b"a", b"b", b"c"])
    assert not compiled.lifted_loops[0].compiled
    assert compiled([b"d", b"e"]) == loop_over_a_list([b"d", b"e"])  # no second compile attempt


@pytest.mark.parametrize("func,args", [(returns_from_its_loop, (np.array([1, 2, 3, 4]),)),
                                       (returns_from_its_loop, (np.array([0, 1]),)),
                                       (assigns_what_it_reads_after, (np.arange(3.0),))])
def test_loops_that_cannot_be_lifted_stay_in_python(func, args):
    compiled, got, expected = run_both(func, *args)
    assert got == expected
    assert compiled.lifted_loops == []


def test_defaults_and_keywords_in_object_mode():
    a = np.arange(9.0)
    for kwargs in ({}, {"start": 0.5}, {"step": 3}, {"start": 2.0, "step": 1}):
        compiled, got, expected = run_both(with_defaults, a, **kwargs)
        assert got == pytest.approx(expected, rel=1e-12)
    assert compiled.lifted_loops[0].compiled


def test_nopython_false_falls_back_with_a_warning():
    compiled = numlir.jit(nopython=False)(two_loops_and_a_while)
    a = np.arange(5.0)
    with pytest.warns(numlir.NumlirWarning, match="runs in object mode"):
        out, info = compiled(a, 4.0)
    out_py, info_py = two_loops_and_a_while(a, 4.0)
    np.testing.assert_array_equal(out, out_py)
    assert info == info_py


def test_nopython_false_stays_compiled_where_it_compiles():
    def plain(a):
        return a.sum() * 2

    compiled = numlir.jit(nopython=False)(plain)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fallback warning
        assert compiled(np.arange(4.0)) == plain(np.arange(4.0))
    assert compiled.objmode is None and compiled.dispatcher.signatures


def test_jit_defaults_to_nopython():
    def uses_with(n):
        with n:
            return n + 1

    with pytest.raises(numlir.UnsupportedError):
        numlir.jit(uses_with)(3)


def scaled_total(a, scale):
    out = np.empty_like(a)
    for i in range(len(a)):
        out[i] = a[i] * scale
    return out.sum()


def test_lifting_leaves_the_module_global_of_the_function_alone():
    # numba's tests compile one module-level function in object mode, then in nopython mode.
    original = scaled_total
    objmode = numlir.jit(forceobj=True)(scaled_total)
    assert globals()["scaled_total"] is original
    a = np.arange(6.0)
    assert objmode(a, 2.0) == original(a, 2.0)
    assert numlir.njit(scaled_total)(a, 2.0) == original(a, 2.0)
