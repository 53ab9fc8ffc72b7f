"""cache=True: machine code on disk, loaded by a new process without compiling.

Each test writes a small module into a temporary directory and runs it in fresh
interpreters; NUMLIR_TIMING=1 makes each process say whether it compiled a function or
loaded it from the cache. Results are compared with the plain Python function's.
"""
import json
import os
import subprocess
import sys
import textwrap

import pytest

MODULE = '''
import numpy as np
import numlir

SCALE = {scale}


@numlir.njit(cache=True)
def helper(x):
    return x * {helper_factor}


@numlir.njit(cache=True)
def kernel(n):
    s = 0
    for i in range(n):
        s += helper(i) // 3
    return s * SCALE


@numlir.njit(cache=True)
def divide(a, b):
    return a // b


@numlir.njit(cache=True)
def normalize(a):
    return (a - a.mean()) / a.std()


@numlir.njit(cache=True)
def ordered(a):
    # numlir's NumPy functions (python/numlir/_numpy/) and advanced indexing, cached too.
    return np.sort(a)[a > 0.5], np.unique(a, return_counts=True)[1]


@numlir.njit(cache=True)
def linear(a):
    # LAPACK (np.linalg) and BLAS (a product above the gemm threshold): a new process that
    # loads this code loads OpenBLAS first.
    return np.linalg.inv(a) @ a
'''

RUN = '''
import json, sys, warnings
import numpy as np
sys.path.insert(0, {dir!r})
warnings.simplefilter("always")
import mod
results = {{}}
results["kernel"] = [mod.kernel(50), mod.kernel.py_func(50)]
try:
    mod.divide(7, 0)
except ZeroDivisionError as e:
    results["divide"] = str(e)
a = np.arange(10.0)
results["normalize"] = [mod.normalize(a).tolist(), mod.normalize.py_func(a).tolist()]
b = np.array([0.9, 0.1, 0.7, 0.1, 0.3])
results["ordered"] = [[x.tolist() for x in mod.ordered(b)], [x.tolist() for x in mod.ordered.py_func(b)]]
m = np.arange(400.0).reshape(20, 20) % 7 + 20 * np.eye(20)
results["linear"] = [mod.linear(m).tolist(), mod.linear.py_func(m).tolist()]
print(json.dumps(results))
'''


# Every compiled function: the Python reference call kernel.py_func(50) calls helper too.
ALL = ["divide", "helper", "kernel", "linear", "normalize", "ordered"]


def write_module(directory, scale=3, helper_factor=2):
    path = os.path.join(directory, "mod.py")
    with open(path, "w") as f:
        f.write(MODULE.format(scale=scale, helper_factor=helper_factor))
    # A rewrite within the same second must still be seen as new source by Python.
    pycache = os.path.join(directory, "__pycache__")
    for name in os.listdir(pycache) if os.path.isdir(pycache) else []:
        if name.endswith(".pyc"):
            os.remove(os.path.join(pycache, name))


def run(directory, extra_env=None):
    """Runs the module's functions in a new interpreter: (results, compiled names, loaded
    names, stderr)."""
    env = dict(os.environ, NUMLIR_TIMING="1")
    env.pop("NUMLIR_CACHE_DIR", None)
    env.update(extra_env or {})
    proc = subprocess.run([sys.executable, "-c", RUN.format(dir=str(directory))], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    # "numlir: compiled kernel_i64 in ...": the function name before its type suffix.
    def names(verb):
        return sorted(line.split()[2].split("_")[0] for line in proc.stderr.splitlines()
                      if line.startswith(f"numlir: {verb} "))
    compiled, loaded = names("compiled"), names("loaded")
    return json.loads(proc.stdout), compiled, loaded, proc.stderr


def check_results(results):
    got, expected = results["kernel"]
    assert got == expected
    assert results["divide"] == "integer division or modulo by zero"
    got, expected = results["normalize"]
    assert got == pytest.approx(expected, rel=1e-12)
    got, expected = results["ordered"]
    assert got == expected
    got, expected = results["linear"]
    import numpy as np
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


def cache_files(directory):
    pycache = os.path.join(directory, "__pycache__")
    return sorted(f for f in os.listdir(pycache) if f.endswith(".nlc"))


def test_second_process_loads_without_compiling(tmp_path):
    write_module(tmp_path)
    results, compiled, loaded, _ = run(tmp_path)
    check_results(results)
    assert compiled == ALL and loaded == []
    assert len(cache_files(tmp_path)) == len(ALL)
    results, compiled, loaded, stderr = run(tmp_path)
    check_results(results)
    assert compiled == [], stderr
    assert loaded == ALL


def test_another_streaming_threshold_recompiles(tmp_path):
    """The machine code depends on NUMLIR_STREAM_MIN_BYTES (numlir-stream-stores), so the
    cache does not reuse code compiled under another value."""
    write_module(tmp_path)
    run(tmp_path, {"NUMLIR_STREAM_MIN_BYTES": "1"})
    results, compiled, loaded, _ = run(tmp_path, {"NUMLIR_STREAM_MIN_BYTES": "1000000"})
    check_results(results)
    assert compiled == ALL and loaded == []
    _, compiled, loaded, _ = run(tmp_path, {"NUMLIR_STREAM_MIN_BYTES": "1000000"})
    assert compiled == [] and loaded == ALL


def test_editing_the_function_or_a_callee_or_a_global_recompiles(tmp_path):
    write_module(tmp_path)
    first, _, _, _ = run(tmp_path)
    # The called function changes: numba would reuse the stale kernel here.
    write_module(tmp_path, helper_factor=5)
    results, compiled, loaded, _ = run(tmp_path)
    check_results(results)
    assert results["kernel"] != first["kernel"]
    assert "kernel" in compiled and "kernel" not in loaded
    assert "divide" in loaded
    # A global the function reads changes.
    write_module(tmp_path, scale=4, helper_factor=5)
    results, compiled, loaded, _ = run(tmp_path)
    check_results(results)
    assert "kernel" in compiled
    # The same source again: the replaced entries load.
    _, compiled, _, _ = run(tmp_path)
    assert compiled == []


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "flip"])
def test_damaged_files_recompile_with_a_warning(tmp_path, damage):
    write_module(tmp_path)
    run(tmp_path)
    for name in cache_files(tmp_path):
        path = os.path.join(tmp_path, "__pycache__", name)
        data = open(path, "rb").read()
        if damage == "truncate":
            data = data[: len(data) // 3]
        elif damage == "garbage":
            data = os.urandom(len(data))
        elif damage == "empty":
            data = b""
        else:
            data = bytearray(data)
            data[len(data) // 2] ^= 0xFF
            data = bytes(data)
        open(path, "wb").write(data)
    results, compiled, loaded, stderr = run(tmp_path)
    check_results(results)
    assert compiled == ALL
    assert "NumlirWarning" in stderr and "recompiling" in stderr
    # The damaged entries were rewritten whole.
    _, compiled, loaded, stderr = run(tmp_path)
    assert compiled == [] and "NumlirWarning" not in stderr


def test_unwritable_cache_dir_warns_and_runs(tmp_path):
    write_module(tmp_path)
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    results, compiled, _, stderr = run(tmp_path, {"NUMLIR_CACHE_DIR": str(blocker / "cache")})
    check_results(results)
    assert compiled == ALL
    assert "NumlirWarning" in stderr and "cannot write the cache file" in stderr


def test_numlir_cache_dir_overrides(tmp_path):
    source, cache = tmp_path / "src", tmp_path / "cache"
    source.mkdir()
    write_module(source)
    run(source, {"NUMLIR_CACHE_DIR": str(cache)})
    assert len([f for f in os.listdir(cache) if f.endswith(".nlc")]) == len(ALL)
    assert not os.path.isdir(source / "__pycache__") or cache_files(source) == []
    _, compiled, loaded, _ = run(source, {"NUMLIR_CACHE_DIR": str(cache)})
    assert compiled == [] and loaded == ALL


def test_concurrent_writers_leave_a_valid_entry(tmp_path):
    write_module(tmp_path)
    env = dict(os.environ)
    env.pop("NUMLIR_CACHE_DIR", None)
    procs = [subprocess.Popen([sys.executable, "-c", RUN.format(dir=str(tmp_path))], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        check_results(json.loads(out))
        assert "NumlirWarning" not in err
    assert len(cache_files(tmp_path)) == len(ALL)
    results, compiled, loaded, stderr = run(tmp_path)
    check_results(results)
    assert compiled == [] and "NumlirWarning" not in stderr


def test_no_stray_temporary_files(tmp_path):
    write_module(tmp_path)
    run(tmp_path)
    names = os.listdir(tmp_path / "__pycache__")
    assert all(n.endswith((".nlc", ".pyc")) for n in names), names


def test_cache_in_process_without_source_file(tmp_path):
    """A function typed at the prompt has no source file: the user cache directory serves."""
    script = textwrap.dedent('''
        import numlir
        src = "def f(x):\\n    return x * 2 + 1\\n"
        ns = {}
        exec(compile(src, "<stdin>", "exec"), ns)
        g = numlir.njit(cache=True)(ns["f"])
        print(g(20), ns["f"](20))
    ''')
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path), NUMLIR_TIMING="1")
    env.pop("NUMLIR_CACHE_DIR", None)
    for expect in ("compiled", "loaded"):
        proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        got, expected = proc.stdout.split()
        assert got == expected
        assert f"numlir: {expect} f" in proc.stderr
    assert any(n.endswith(".nlc") for n in os.listdir(tmp_path / "numlir"))


CLOSURE_MODULE = '''
import numlir


def make(k):
    @numlir.njit(cache=True)
    def times(x):
        return x * k
    return times


times2, times3 = make(2), make(3)
'''


def test_closure_values_are_part_of_the_key(tmp_path):
    """Two closures of one function share a cache file name but not a key: each process
    gets each closure's own result, whichever entry the file holds."""
    (tmp_path / "clo.py").write_text(CLOSURE_MODULE)
    script = f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import clo; print(clo.times2(5), clo.times3(5))"
    env = dict(os.environ)
    env.pop("NUMLIR_CACHE_DIR", None)
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.split() == ["10", "15"]


DEFAULTS_MODULE = '''
import numlir


@numlir.njit
def shifted(x, by=SHIFT, *, k=SCALE):
    return x * k + by


@numlir.njit(cache=True)
def uses_defaults(x):
    return shifted(x)
'''


def test_callee_defaults_are_part_of_the_key(tmp_path):
    """A callee's defaults (positional and keyword-only) are compiled in: changing them
    changes the cached entry's key, as changing a global does."""
    script = f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import dflt; print(dflt.uses_defaults(5))"
    env = dict(os.environ)
    env.pop("NUMLIR_CACHE_DIR", None)
    for shift, scale in [(1, 2), (1, 3), (4, 3)]:
        (tmp_path / "dflt.py").write_text(DEFAULTS_MODULE.replace("SHIFT", str(shift)).replace("SCALE", str(scale)))
        # -B: no .pyc, which a rewrite within the same second and size would leave stale.
        proc = subprocess.run([sys.executable, "-B", "-c", script], env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.split() == [str(5 * scale + shift)]


GLOBAL_ARRAY_MODULE = '''
import numpy as np
import numlir

TABLE = np.arange(1000.0) * FACTOR


@numlir.njit(cache=True)
def weighted(i):
    return TABLE[i] + TABLE.sum()
'''


def test_global_array_elements_are_part_of_the_key(tmp_path):
    """A global array is compiled in by its elements: the same elements load the entry, and
    other elements of the same shape and dtype compile anew."""
    script = (f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import garr; "
              "print(garr.weighted(7), garr.weighted.py_func(7))")
    env = dict(os.environ, NUMLIR_TIMING="1")
    env.pop("NUMLIR_CACHE_DIR", None)
    for factor, verb in [(2, "compiled"), (2, "loaded"), (3, "compiled")]:
        (tmp_path / "garr.py").write_text(GLOBAL_ARRAY_MODULE.replace("FACTOR", str(factor)))
        proc = subprocess.run([sys.executable, "-B", "-c", script], env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        got, expected = proc.stdout.split()
        assert float(got) == float(expected)
        assert f"numlir: {verb} weighted" in proc.stderr


ESCAPE_HATCH_MODULE = '''
import numlir
from numlir import objmode, types
from numlir.extending import overload


def scale(x, k):
    return x * k + 1


@overload(scale)
def _scale(x, k):
    if isinstance(x, types.Number):
        def impl(x, k):
            return x * k + 1
        return impl


@numlir.njit(cache=True)
def uses_overload(x):
    return scale(x, 3)


@numlir.njit(cache=True)
def uses_objmode(x):
    with objmode(y="int64"):
        y = x * 10
    return y + 1


@numlir.njit(cache=True)
def plain(x):
    return x + 1
'''


def test_objmode_and_overload_code_is_compiled_in_each_process(tmp_path):
    """An objmode block is named by its number in the process and an overload's
    implementation is not part of the key: code that reaches either is compiled again in
    each process (without a warning), and the rest is cached as before."""
    (tmp_path / "esc.py").write_text(ESCAPE_HATCH_MODULE)
    script = (f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import esc; "
              "print(esc.uses_overload(2), esc.uses_objmode(4), esc.plain(1))")
    env = dict(os.environ, NUMLIR_CACHE_DIR=str(tmp_path / "cache"))
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.split() == ["7", "41", "2"]
        assert "Warning" not in proc.stderr
    names = os.listdir(tmp_path / "cache")
    assert any(n.startswith("esc.plain") for n in names)
    assert not any(n.startswith(("esc.uses_overload", "esc.uses_objmode")) for n in names)


UFUNC_MODULE = '''
import math
import numlir


@numlir.vectorize(["float64(float64, float64)", "float32(float32, float32)"], cache=True)
def gauss(x, s):
    return math.exp(-x * x / s) * {factor}


@numlir.guvectorize(["void(float64[:], float64[:])"], "(n)->()", cache=True)
def total(x, out):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] * {factor}
    out[0] = s


@numlir.njit(cache=True)
def uses(x):
    return gauss(x, 2.0).sum() + total(x) + gauss.reduce(x)
'''


def test_ufunc_and_gufunc_loops_are_cached(tmp_path):
    """vectorize(cache=True) keeps its loops (generated code: in the cache directory) and
    guvectorize(cache=True) its kernels; so does a function that calls them (their kernels
    are in its key); an edited kernel compiles all again."""
    script = (f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import numpy as np, ufmod; "
              "x = np.linspace(0, 1, 5); "
              "print(repr((ufmod.gauss(x, 2.0).tolist(), ufmod.total(x).item(), float(ufmod.uses(x)), float(ufmod.uses.py_func(x)))))")
    env = dict(os.environ, NUMLIR_CACHE_DIR=str(tmp_path / "cache"), NUMLIR_TIMING="1")

    def run_with(factor):
        (tmp_path / "ufmod.py").write_text(UFUNC_MODULE.format(factor=factor))
        for name in os.listdir(tmp_path / "__pycache__") if (tmp_path / "__pycache__").is_dir() else []:
            os.remove(tmp_path / "__pycache__" / name)
        proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        verbs = [line.split()[1] for line in proc.stderr.splitlines() if line.startswith("numlir: ")]
        return eval(proc.stdout), verbs

    import math
    import numpy as np
    x = np.linspace(0, 1, 5)
    for factor in (1, 3):
        expected = ([math.exp(-v * v / 2.0) * factor for v in x], float(sum(v * factor for v in x)))
        (gauss_values, total_value, uses, uses_python), verbs = run_with(factor)
        np.testing.assert_allclose(gauss_values, expected[0], rtol=1e-15)
        assert total_value == pytest.approx(expected[1], rel=1e-15)
        assert uses == pytest.approx(uses_python, rel=1e-14)
        assert verbs == ["compiled"] * 6                 # 2 signatures x 2 layouts, 1 gufunc, uses
        _, verbs = run_with(factor)
        assert verbs == ["loaded"] * 6
