"""Inspecting the compilation pipeline: Dispatcher.inspect_ir / inspect_llvm / inspect_asm and
the numlir-opt console script."""
import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import numlir
from conftest import compare

NUMLIR_OPT = os.path.join(os.path.dirname(sys.executable), "numlir-opt")
STAGES = ["py", "typed", "std", "llvm", "llvm-ir", "asm"]


def arith_fn(a, b):
    return a * b + a // b


def float_fn(x, y):
    return math.sqrt(x) + x / y


def loop_fn(n):
    s = 0
    for i in range(n):
        s += i * i
    return s


@pytest.fixture
def compiled_arith():
    f = numlir.njit(arith_fn)
    compare(f, arith_fn, (17, 5))
    return f


@pytest.fixture
def compiled_float():
    f = numlir.njit(float_fn)
    compare(f, float_fn, (2.0, 4.0))
    return f


# ---------------------------------------------------------------------------------------------
# Dispatcher.inspect_ir
# ---------------------------------------------------------------------------------------------

def test_inspect_py_stage(compiled_arith):
    text = compiled_arith.inspect_ir("py")
    assert isinstance(text, str)
    assert "py.binop" in text
    assert '"mul"' in text and '"floordiv"' in text and '"add"' in text
    assert "!py.object" in text  # untyped
    assert "func.func @arith_fn" in text


def test_inspect_typed_stage(compiled_arith):
    text = compiled_arith.inspect_ir("typed")
    assert "py.binop" in text
    assert "i64" in text
    assert "!py.object" not in text  # every value has a concrete type
    assert "arith_fn_i64_i64" in text


def test_inspect_std_stage(compiled_arith):
    text = compiled_arith.inspect_ir("std")
    assert "arith." in text
    assert "arith.muli" in text
    assert "py.binop" not in text  # py ops are lowered
    # floor division by zero raises ZeroDivisionError: the raise table carries the message
    with pytest.raises(ZeroDivisionError) as info:
        arith_fn(1, 0)
    assert "ZeroDivisionError" in text
    assert str(info.value) in text


def test_inspect_llvm_stage(compiled_arith):
    text = compiled_arith.inspect_ir("llvm")
    assert "llvm." in text
    assert "llvm.func" in text
    assert "arith." not in text


def test_inspect_llvm_ir_stage(compiled_arith):
    text = compiled_arith.inspect_ir("llvm-ir")
    assert "define" in text
    assert "arith_fn_i64_i64" in text
    assert "target triple" in text


def test_inspect_asm_stage(compiled_arith):
    text = compiled_arith.inspect_ir("asm")
    assert "arith_fn_i64_i64:" in text  # the function's label
    assert "ret" in text
    assert ".globl" in text or ".global" in text


def test_inspect_math_and_float_ops(compiled_float):
    std = compiled_float.inspect_ir("std")
    assert "math.sqrt" in std
    assert "arith.divf" in std and "arith.addf" in std
    typed = compiled_float.inspect_ir("typed")
    assert "f64" in typed
    assert "math.sqrt" in typed


def test_inspect_loop_has_control_flow():
    f = numlir.njit(loop_fn)
    compare(f, loop_fn, (10,))
    std = f.inspect_ir("std")
    assert "cf.cond_br" in std or "scf." in std
    assert "define" in f.inspect_ir("llvm-ir")


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_is_text(compiled_arith, stage):
    text = compiled_arith.inspect_ir(stage)
    assert isinstance(text, str) and text.strip()


def test_inspect_per_signature():
    f = numlir.njit(arith_fn)
    compare(f, arith_fn, (17, 5))
    compare(f, arith_fn, (17.5, 5.0))
    ints = f.inspect_ir("typed", (numlir.int64, numlir.int64))
    floats = f.inspect_ir("typed", (numlir.float64, numlir.float64))
    assert "arith_fn_i64_i64" in ints and "f64" not in ints
    assert "arith_fn_f64_f64" in floats and "f64" in floats
    # without a signature: the first compiled specialization
    assert f.inspect_ir("typed") == ints
    with pytest.raises(ValueError):
        f.inspect_ir("typed", (numlir.boolean, numlir.boolean))


def test_inspect_before_compiling():
    f = numlir.njit(arith_fn)
    with pytest.raises(ValueError):
        f.inspect_ir("py")


def test_inspect_unknown_stage(compiled_arith):
    with pytest.raises(ValueError) as info:
        compiled_arith.inspect_ir("bogus")
    assert "bogus" in str(info.value)


def test_inspect_llvm_and_asm_dicts():
    f = numlir.njit(arith_fn)
    compare(f, arith_fn, (17, 5))
    compare(f, arith_fn, (2.5, 0.5))
    llvm = f.inspect_llvm()
    asm = f.inspect_asm()
    keys = [(numlir.int64, numlir.int64), (numlir.float64, numlir.float64)]
    assert isinstance(llvm, dict) and isinstance(asm, dict)
    assert sorted(llvm, key=str) == sorted(keys, key=str)
    assert sorted(asm, key=str) == sorted(keys, key=str)
    assert sorted(map(tuple, f.signatures), key=str) == sorted(keys, key=str)
    for key in keys:
        assert "define" in llvm[key]
        assert "ret" in asm[key]
    assert "arith_fn_i64_i64" in llvm[keys[0]]
    assert "arith_fn_f64_f64" in llvm[keys[1]]
    # one signature at a time
    assert f.inspect_llvm(keys[0]) == llvm[keys[0]]
    assert f.inspect_asm(keys[1]) == asm[keys[1]]


def test_inspect_explicit_signature():
    f = numlir.njit("float64(float64, float64)")(float_fn)
    # compiled eagerly: inspectable without a call
    assert "define" in f.inspect_ir("llvm-ir")
    assert list(f.inspect_llvm()) == [(numlir.float64, numlir.float64)]


def test_fastmath_flags_in_ir():
    fast = numlir.njit(fastmath=True)(float_fn)
    slow = numlir.njit(float_fn)
    compare(fast, float_fn, (2.0, 4.0))
    compare(slow, float_fn, (2.0, 4.0))
    assert "fastmath" in fast.inspect_ir("llvm")
    assert "fastmath" not in slow.inspect_ir("llvm")
    assert " fast " in fast.inspect_ir("llvm-ir")
    assert " fast " not in slow.inspect_ir("llvm-ir")


# ---------------------------------------------------------------------------------------------
# numlir-opt
# ---------------------------------------------------------------------------------------------

OPT_SOURCE = textwrap.dedent("""\
    import math


    def add_mul(a, b):
        return a * b + 1


    def hyp(x, y):
        return math.sqrt(x * x + y * y) / 2.0


    def bad_list(x):
        return "x".expandtabs()
""")


@pytest.fixture
def source_file(tmp_path):
    path = tmp_path / "opt_input.py"
    path.write_text(OPT_SOURCE)
    return path


def run_opt(*args, cwd=None):
    return subprocess.run([NUMLIR_OPT, *map(str, args)], capture_output=True, text=True,
                          timeout=120, cwd=cwd)


def test_numlir_opt_exists():
    assert os.path.exists(NUMLIR_OPT)


def test_numlir_opt_help():
    proc = run_opt("--help")
    assert proc.returncode == 0
    assert "py-infer-types" in proc.stdout
    assert "py-to-std" in proc.stdout
    for stage in STAGES:
        assert stage in proc.stdout


def test_numlir_opt_emit_typed(source_file):
    proc = run_opt(f"{source_file}::add_mul", "--signature", "int64, int64", "--emit", "typed")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "py.binop" in out
    assert '"mul"' in out and '"add"' in out
    assert "i64" in out
    assert "!py.object" not in out
    assert "add_mul_i64_i64" in out


def test_numlir_opt_typed_matches_dispatcher(source_file, tmp_path):
    # the same function and signature give the same typed IR through both interfaces
    namespace = {}
    exec(compile(OPT_SOURCE, str(source_file), "exec"), namespace)
    f = numlir.njit(namespace["add_mul"])
    compare(f, namespace["add_mul"], (6, 7))
    proc = run_opt(f"{source_file}::add_mul", "--signature", "int64, int64", "--emit", "typed")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f.inspect_ir("typed").strip()


@pytest.mark.parametrize("stage,expected", [("py", "!py.object"), ("typed", "py.binop"),
                                            ("std", "arith."), ("llvm", "llvm."),
                                            ("llvm-ir", "define"), ("asm", "ret")])
def test_numlir_opt_each_stage(source_file, stage, expected):
    proc = run_opt(f"{source_file}::hyp", "--signature", "float64, float64", "--emit", stage)
    assert proc.returncode == 0, proc.stderr
    assert expected in proc.stdout


def test_numlir_opt_print_ir_after_all(source_file):
    proc = run_opt(f"{source_file}::add_mul", "--signature", "int64, int64", "--emit", "llvm",
                   "--print-ir-after-all")
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr
    assert "IR Dump After" in err
    assert "py-infer-types" in err
    assert "py-to-std" in err
    assert err.count("IR Dump After") >= 3
    # the final result is still printed on stdout
    assert "llvm.func" in proc.stdout


def test_numlir_opt_output_file(source_file, tmp_path):
    out_path = tmp_path / "out.mlir"
    proc = run_opt(f"{source_file}::add_mul", "--signature", "int64, int64", "--emit", "std",
                   "-o", out_path)
    assert proc.returncode == 0, proc.stderr
    assert out_path.exists()
    text = out_path.read_text()
    assert "arith.muli" in text
    assert "arith.muli" not in proc.stdout
    same = run_opt(f"{source_file}::add_mul", "--signature", "int64, int64", "--emit", "std")
    assert same.stdout.strip() == text.strip()


def test_numlir_opt_output_into_a_closed_pipe(source_file):
    # `numlir-opt ... | head -1` where the reader is gone before numlir-opt writes: it stops
    # quietly, as other command-line tools do (it used to panic on the broken pipe).
    proc = subprocess.Popen([NUMLIR_OPT, f"{source_file}::hyp", "--signature", "float64, float64",
                             "--emit", "llvm-ir"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert "panicked" not in err and "Broken pipe" not in err and "LLVM ERROR" not in err


def test_numlir_opt_fastmath(source_file):
    fast = run_opt(f"{source_file}::hyp", "--signature", "float64, float64", "--emit", "llvm",
                   "--fastmath")
    slow = run_opt(f"{source_file}::hyp", "--signature", "float64, float64", "--emit", "llvm")
    assert fast.returncode == 0 and slow.returncode == 0
    assert "fastmath" in fast.stdout
    assert "fastmath" not in slow.stdout


def test_numlir_opt_timing(source_file):
    """--timing prints each stage's time to stderr and leaves the output as it was."""
    timed = run_opt(f"{source_file}::hyp", "--signature", "float64, float64", "--emit", "asm",
                    "--timing")
    plain = run_opt(f"{source_file}::hyp", "--signature", "float64, float64", "--emit", "asm")
    assert timed.returncode == 0, timed.stderr
    for stage in ("to typed", "to std", "to llvm", "to assembly"):
        assert stage in timed.stderr, timed.stderr
    assert "to typed" not in plain.stderr
    assert timed.stdout == plain.stdout


def test_numlir_opt_error_model_and_boundscheck(source_file):
    numpy = run_opt(f"{source_file}::add_mul", "--signature", "int64, int64", "--emit", "std",
                    "--error-model", "numpy")
    assert numpy.returncode == 0, numpy.stderr
    bad = run_opt(f"{source_file}::add_mul", "--signature", "int64, int64", "--error-model", "c")
    assert bad.returncode != 0 and "error-model" in bad.stderr


def test_numlir_opt_mlir_input_with_pipeline(source_file, tmp_path):
    typed = tmp_path / "typed.mlir"
    proc = run_opt(f"{source_file}::add_mul", "--signature", "int64, int64", "--emit", "typed",
                   "-o", typed)
    assert proc.returncode == 0, proc.stderr
    lowered = run_opt(typed, "--pass-pipeline", "builtin.module(py-to-std)")
    assert lowered.returncode == 0, lowered.stderr
    assert "arith.muli" in lowered.stdout
    assert "py.binop" not in lowered.stdout


def test_numlir_opt_compile_error(source_file):
    proc = run_opt(f"{source_file}::bad_list", "--signature", "int64", "--emit", "typed")
    assert proc.returncode != 0
    # the diagnostic points into the input file at the string method numlir lacks
    line = OPT_SOURCE.splitlines().index('    return "x".expandtabs()') + 1
    assert f"{source_file}:{line}:" in proc.stderr
    assert "^" in proc.stderr


def test_numlir_opt_missing_function(source_file):
    proc = run_opt(f"{source_file}::no_such_function", "--signature", "int64", "--emit", "typed")
    assert proc.returncode != 0
    assert "no_such_function" in proc.stderr


def test_numlir_opt_bad_signature(source_file):
    proc = run_opt(f"{source_file}::add_mul", "--signature", "str, int64", "--emit", "typed")
    assert proc.returncode != 0
    assert "str" in proc.stderr


def test_numlir_timing_reports_each_phase(tmp_path):
    script = tmp_path / "timed.py"
    script.write_text(
        "import numlir\n"
        "@numlir.njit\n"
        "def f(x):\n"
        "    return x * 2\n"
        "assert f(21) == (lambda x: x * 2)(21)\n")
    env = dict(os.environ, NUMLIR_TIMING="1")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    for phase in ("frontend", "inference", "lowering", "LLVM IR and optimization", "code generation",
                  "linking"):
        assert phase in proc.stderr, proc.stderr


def test_inspect_dicts_with_a_generator_argument():
    # A np.random.Generator argument has no signature name; the dicts key it by its own.
    def draw(rng):
        return rng.random()
    f = numlir.njit(draw)
    value = f(np.random.default_rng(3))
    assert value == np.random.default_rng(3).random()
    (key, text), = f.inspect_asm().items()
    assert "Generator" in str(key[0]) and "_mlir_draw_" in text
    assert list(f.inspect_llvm()) == [key]
