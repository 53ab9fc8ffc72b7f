"""Shared helpers for the numlir test suite.

``check(pyfunc, *args)`` compiles ``pyfunc`` with a fresh ``numlir.njit`` and compares the
compiled result with what CPython computes for the same arguments.
"""
import faulthandler
import inspect
import math
import os
import subprocess
import sys
import textwrap
import types

import numpy as np
import pytest

import numlir

INT64_MIN = -(2 ** 63)
INT64_MAX = 2 ** 63 - 1


def rss_growth_kib(call, times, warmup=2000):
    """How much the resident set grows (KiB, from /proc) over ``times`` calls of ``call``,
    after ``warmup`` calls that let the allocator settle: a leak test's measure."""
    import gc

    def rss():
        with open(f"/proc/{os.getpid()}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    for _ in range(warmup):
        call()
    gc.collect()
    before = rss()
    for _ in range(times):
        call()
    gc.collect()
    return rss() - before


needs_proc = pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads RSS from /proc")


def wrap64(x):
    """``x`` reduced to a signed 64-bit integer, as numpy's int64 arithmetic wraps."""
    return ((x + 2 ** 63) % 2 ** 64) - 2 ** 63


def _wrap_result(value):
    if isinstance(value, tuple):
        return tuple(_wrap_result(v) for v in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return wrap64(value)
    return value


def _describe(value):
    return f"{value!r} ({type(value).__name__})"


def assert_same(got, expected, *, numeric=False, exact=False, rel_tol=1e-12, signed_zero=True,
                path="result"):
    """Assert that ``got`` (from numlir) matches ``expected`` (from CPython).

    * bool, int and tuple results must have exactly the same type (bool stays bool, int stays
      int); float results must be floats.
    * ``numeric=True`` allows an int/bool result of CPython to come back as a float (numlir
      unifies mixed int/float values to float where numba does, e.g. ``max(1, 2.5)``), and
      compares the values numerically.
    * floats compare with ``math.isclose(rel_tol=1e-12)``, or exactly with ``exact=True``;
      NaN equals NaN; zeros must have the same sign (``signed_zero=False`` to relax).
    """
    if isinstance(expected, tuple):
        assert type(got) is tuple, f"{path}: expected a tuple {expected!r}, got {_describe(got)}"
        assert len(got) == len(expected), f"{path}: expected {expected!r}, got {got!r}"
        for i, (g, e) in enumerate(zip(got, expected)):
            assert_same(g, e, numeric=numeric, exact=exact, rel_tol=rel_tol,
                        signed_zero=signed_zero, path=f"{path}[{i}]")
        return
    if isinstance(expected, list):
        assert type(got) is list, f"{path}: expected a list {expected!r}, got {_describe(got)}"
        assert len(got) == len(expected), f"{path}: expected {expected!r}, got {got!r}"
        for i, (g, e) in enumerate(zip(got, expected)):
            assert_same(g, e, numeric=numeric, exact=exact, rel_tol=rel_tol,
                        signed_zero=signed_zero, path=f"{path}[{i}]")
        return
    if isinstance(expected, str):
        assert type(got) is str, f"{path}: expected a str {expected!r}, got {_describe(got)}"
        assert got == expected, f"{path}: expected {expected!r}, got {got!r}"
        return
    if isinstance(expected, set):  # elements in any order, as Python's sets
        assert type(got) is set, f"{path}: expected a set {expected!r}, got {_describe(got)}"
        assert got == expected, f"{path}: expected {expected!r}, got {got!r}"
        return
    if isinstance(expected, dict):
        assert type(got) is dict, f"{path}: expected a dict {expected!r}, got {_describe(got)}"
        assert list(got) == list(expected), f"{path}: expected keys {list(expected)!r} in order, got {list(got)!r}"
        for k in expected:
            assert_same(got[k], expected[k], numeric=numeric, exact=exact, rel_tol=rel_tol,
                        signed_zero=signed_zero, path=f"{path}[{k!r}]")
        return
    if expected is None:
        assert got is None, f"{path}: expected None, got {_describe(got)}"
        return
    if isinstance(expected, np.ndarray):  # an array inside a container: dtype, shape, values
        assert isinstance(got, np.ndarray), f"{path}: expected an array {expected!r}, got {_describe(got)}"
        assert got.dtype == expected.dtype, f"{path}: expected dtype {expected.dtype}, got {got.dtype}"
        if exact:
            np.testing.assert_array_equal(got, expected, err_msg=path)
        else:
            np.testing.assert_allclose(got, expected, rtol=rel_tol, atol=0, err_msg=path)
        return
    if isinstance(expected, (np.int64, np.float64, np.complex128, np.bool_)):
        expected = expected.item()  # Python's own types in compiled code: int, float, complex, bool
    if type(expected) is complex:
        assert type(got) is complex, f"{path}: expected {_describe(expected)}, got {_describe(got)}"
        for part in ("real", "imag"):
            assert_same(getattr(got, part), getattr(expected, part), numeric=numeric, exact=exact,
                        rel_tol=rel_tol, signed_zero=signed_zero, path=f"{path}.{part}")
        return
    if isinstance(expected, np.generic):  # NumPy's other scalar types come back as themselves
        assert type(got) is type(expected), f"{path}: expected {_describe(expected)}, got {_describe(got)}"
        assert got == expected or (got != got and expected != expected), f"{path}: expected {expected!r}, got {got!r}"
        return
    if isinstance(expected, int) and not numeric:  # bool or int: same type, same value
        assert type(got) is type(expected), (
            f"{path}: expected {_describe(expected)}, got {_describe(got)}")
        assert got == expected, f"{path}: expected {expected!r}, got {got!r}"
        return
    if isinstance(expected, int):
        # numeric=True: a bool/int CPython result may come back unified to int or float
        assert type(got) in (bool, int, float), (
            f"{path}: expected a number, got {_describe(got)}")
        if type(got) is not float:
            assert got == expected, f"{path}: expected {expected!r}, got {got!r}"
        else:
            assert math.isclose(got, expected, rel_tol=rel_tol) or got == float(expected), (
                f"{path}: expected {expected!r}, got {got!r}")
        return
    assert isinstance(expected, float), f"unexpected CPython result type {_describe(expected)}"
    assert type(got) is float, f"{path}: expected {_describe(expected)}, got {_describe(got)}"
    if math.isnan(expected):
        assert math.isnan(got), f"{path}: expected nan, got {got!r}"
        return
    if exact:
        assert got == expected, f"{path}: expected exactly {expected!r}, got {got!r}"
    else:
        assert got == expected or math.isclose(got, expected, rel_tol=rel_tol), (
            f"{path}: expected {expected!r}, got {got!r}")
    if signed_zero and expected == 0.0:
        assert math.copysign(1.0, got) == math.copysign(1.0, expected), (
            f"{path}: expected {expected!r}, got {got!r} (sign of zero differs)")


def pure_python(pyfunc):
    """A copy of ``pyfunc`` whose globals see every ``@njit`` function as its plain Python
    ``py_func``, so that an expected value (recursion, calls between compiled functions) is
    computed by CPython alone, never by compiled code."""
    if isinstance(pyfunc, numlir.Dispatcher):
        pyfunc = pyfunc.py_func
    original = pyfunc.__globals__
    if not any(isinstance(v, numlir.Dispatcher) for v in original.values()):
        return pyfunc
    namespace = dict(original)

    def copy(func):
        clone = types.FunctionType(func.__code__, namespace, func.__name__, func.__defaults__,
                                   func.__closure__)
        clone.__kwdefaults__ = func.__kwdefaults__
        return clone

    for name, value in original.items():
        if isinstance(value, numlir.Dispatcher) and value.py_func.__globals__ is original:
            namespace[name] = copy(value.py_func)
    return copy(pyfunc)


def run_python(pyfunc, args):
    """(result, None) or (None, exception) of running the plain Python function."""
    try:
        return pure_python(pyfunc)(*args), None
    except Exception as exc:  # noqa: BLE001 - every exception CPython raises is compared
        return None, exc


def compare(compiled, pyfunc, args, *, wrap=False, **options):
    """Call the compiled function and compare it with CPython on ``args``."""
    if isinstance(pyfunc, numlir.Dispatcher):
        pyfunc = pyfunc.py_func
    expected, exc = run_python(pyfunc, args)
    if exc is not None:
        with pytest.raises(Exception) as info:
            compiled(*args)
        got = info.value
        assert type(got) is type(exc), (
            f"{pyfunc.__name__}{args!r}: CPython raised {type(exc).__name__}({exc}), "
            f"numlir raised {type(got).__name__}({got})")
        assert str(got) == str(exc), (
            f"{pyfunc.__name__}{args!r}: CPython message {str(exc)!r}, numlir {str(got)!r}")
        return got
    if wrap:
        expected = _wrap_result(expected)
    got = compiled(*args)
    assert_same(got, expected, path=f"{pyfunc.__name__}{args!r}", **options)
    return got


def check(pyfunc, *args, wrap=False, fastmath=False, **options):
    """Compile ``pyfunc`` with a fresh ``numlir.njit`` and compare it with CPython on ``args``.

    Keyword options: ``numeric=True`` (int results may be unified to float), ``exact=True``
    (floats must be bit-for-bit equal in value), ``rel_tol``, ``signed_zero``,
    ``wrap=True`` (CPython int results reduced to int64 like numpy), ``fastmath=True``.
    """
    if isinstance(pyfunc, numlir.Dispatcher):
        pyfunc = pyfunc.py_func
    compiled = numlir.njit(fastmath=True)(pyfunc) if fastmath else numlir.njit(pyfunc)
    return compare(compiled, pyfunc, args, wrap=wrap, **options)


def error_line(func, marker="# ERR"):
    """The line number (in its file) of the line of ``func``'s source marked with ``marker``."""
    lines, start = inspect.getsourcelines(func)
    hits = [start + i for i, text in enumerate(lines) if marker in text]
    assert len(hits) == 1, f"{func.__name__} must have exactly one line marked {marker!r}"
    return hits[0]


def def_line(func):
    """The line of the ``def`` statement of ``func`` (skipping decorators)."""
    lines, start = inspect.getsourcelines(func)
    for i, text in enumerate(lines):
        if text.lstrip().startswith("def "):
            return start + i
    raise AssertionError(f"no def line for {func.__name__}")


def cases(*arglists):
    """``@cases((1, 2), (3, 4))``: parametrize a test's ``args`` over argument tuples."""
    arglists = [a if isinstance(a, tuple) else (a,) for a in arglists]
    return pytest.mark.parametrize("args", arglists, ids=[repr(a) for a in arglists])


# A compiled function that never returns would hang the whole run: after this many seconds
# in one test, dump every thread's traceback and exit, so the hanging test is named.
HANG_TIMEOUT_S = 300


@pytest.fixture(autouse=True)
def _hang_guard():
    faulthandler.dump_traceback_later(HANG_TIMEOUT_S, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def check_in_subprocess(module_file, func_name, *args, timeout=120):
    """Run ``check(module.func_name, *args)`` in a child interpreter, for functions that crash
    or panic numlir: a crash there cannot take the rest of the run down with it.
    Returns (returncode, output)."""
    script = textwrap.dedent(f"""
        import importlib.util, os, sys
        sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r})
        import faulthandler; faulthandler.enable()
        from conftest import check
        spec = importlib.util.spec_from_file_location("_isolated_module", {module_file!r})
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        nan, inf = float("nan"), float("inf")
        check(getattr(module, {func_name!r}), *eval({repr(args)!r}))
        # the compiler must still work after that
        import numlir
        def after(a, b):
            return a * b + 1
        assert numlir.njit(after)(6, 7) == after(6, 7)
        print("ISOLATED-OK")
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=timeout)
    return proc.returncode, proc.stdout + proc.stderr
