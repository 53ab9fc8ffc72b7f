"""numba's own test modules run twice: as they are, and with numba's `jit`/`njit` swapped for
numlir's, as a numba user switching over would. Prints, per module, how many of the tests
numba passes also pass with numlir, and writes each miss and its first error line to
--misses, grouped by message.

It measures compatibility; it is not part of numlir's test suite (numlir's tests check these
behaviours themselves). Run it with a Python that has numba (make bench creates
benchmarks/.venv-numba):

    benchmarks/.venv-numba/bin/python benchmarks/numba_tests.py [module ...]

Each module runs in its own process, so that a crash costs one module, not the run.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import unittest

# The modules numlir's core covers (issue 14): control flow, builtins, math and the numbers.
CORE_MODULES = ["test_flow_control", "test_range", "test_builtins", "test_operators", "test_mathlib",
                "test_complex", "test_tuples", "test_numberctor", "test_recursion", "test_ufuncs"]

HERE = os.path.dirname(os.path.abspath(__file__))


def numlir_type(t):
    """A numba type as numlir's spelling of it (a string, or a numlir.types object)."""
    import numba
    import numlir
    from numba.core import types

    if isinstance(t, types.Array):
        dims = [":"] * t.ndim
        if t.layout == "C" and t.ndim:
            dims[-1] = "::1"
        elif t.layout == "F" and t.ndim:
            dims[0] = "::1"
        return f"{numlir_type(t.dtype)}[{', '.join(dims)}]"
    if isinstance(t, (types.NamedUniTuple, types.NamedTuple)):
        return numlir.types.NamedTuple([numlir_type(x) for x in t.types], t.instance_class)
    if isinstance(t, types.BaseTuple):
        return numlir.types.Tuple([numlir_type(x) for x in t.types])
    if isinstance(t, types.NoneType) or t == types.void:
        return "none"
    if isinstance(t, types.Boolean):
        return "boolean"
    del numba
    return str(t)


def numlir_signature(sig):
    """numba's signature (a string, a Signature or a list of them) in numlir's terms."""
    from numba.core import typing

    from numba.core import types

    if isinstance(sig, list):
        return [numlir_signature(s) for s in sig]
    if isinstance(sig, tuple):  # argument types only
        return tuple(numlir_type(t) if isinstance(t, types.Type) else t for t in sig)
    if isinstance(sig, typing.Signature):
        import numlir
        ret = numlir_type(sig.return_type) if sig.return_type is not None else "none"
        args = [numlir_type(a) for a in sig.args]
        ret = ret if isinstance(ret, numlir.types.Type) else numlir.types.from_name(ret)
        return ret(*args)
    return sig


def swap_decorators():
    """numba.jit and numba.njit (and their home module's) become numlir's."""
    import numba
    import numba.core.decorators as decorators
    import numlir

    def jit(*args, **options):
        # numba's internal flags (_nrt, _target) and type hints for locals have no numlir meaning
        for name in [n for n in options if n.startswith("_") or n in ("locals", "pipeline_class")]:
            options.pop(name)
        if args and not callable(args[0]):
            args = (numlir_signature(args[0]),) + args[1:]
        if "signature_or_function" in options:
            options["signature_or_function"] = numlir_signature(options["signature_or_function"])
        return numlir.jit(*args, **options)

    def njit(*args, **options):
        options["nopython"] = True
        return jit(*args, **options)

    numba.jit, numba.njit = jit, njit
    decorators.jit, decorators.njit = jit, njit


class Recorder(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.outcomes = {}

    def addSuccess(self, test):
        self.outcomes[test.id()] = ["pass", ""]

    def addFailure(self, test, err):
        self.outcomes[test.id()] = ["fail", first_line(err)]

    def addError(self, test, err):
        self.outcomes[test.id()] = ["error", first_line(err)]

    def addSkip(self, test, reason):
        self.outcomes[test.id()] = ["skip", reason]

    def addExpectedFailure(self, test, err):
        self.outcomes[test.id()] = ["xfail", ""]

    def addUnexpectedSuccess(self, test):
        self.outcomes[test.id()] = ["pass", ""]


def first_line(err):
    kind, value, _ = err
    text = str(value).strip().splitlines()
    return f"{kind.__name__}: {text[0] if text else ''}"[:200]


def run_module(module, swapped):
    """Runs one module in this process: {test id: [outcome, message]}."""
    sys.path.insert(0, os.path.join(os.path.dirname(HERE), "python"))
    if swapped:
        swap_decorators()
    suite = unittest.defaultTestLoader.loadTestsFromName(f"numba.tests.{module}")
    result = Recorder()
    suite.run(result)
    return result.outcomes


def in_subprocess(module, swapped):
    proc = subprocess.run([sys.executable, __file__, "--one", module] + (["--swapped"] if swapped else []),
                          capture_output=True, text=True, timeout=3600)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        return None, proc.stderr.strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
    return json.loads(lines[-1]), None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", default=CORE_MODULES)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--swapped", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--misses", default=os.path.join(HERE, "numba_tests_misses.txt"))
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_module(args.one, args.swapped)))
        return
    total_numba = total_numlir = 0
    misses = collections.defaultdict(list)
    for module in args.modules:
        baseline, crash = in_subprocess(module, False)
        if baseline is None:
            print(f"{module}: numba's run failed: {crash}")
            continue
        swapped, crash = in_subprocess(module, True)
        passing = [t for t, (o, _) in baseline.items() if o == "pass"]
        if swapped is None:
            print(f"{module}: 0/{len(passing)} (the swapped run crashed: {crash})")
            total_numba += len(passing)
            continue
        ok = [t for t in passing if swapped.get(t, ["missing"])[0] == "pass"]
        for t in passing:
            if t not in ok:
                misses[swapped.get(t, ["missing", ""])[1]].append(t)
        print(f"{module}: {len(ok)}/{len(passing)}")
        total_numba += len(passing)
        total_numlir += len(ok)
    print(f"total: {total_numlir}/{total_numba} of the tests numba passes pass with numlir")
    with open(args.misses, "w") as f:
        for message, tests in sorted(misses.items(), key=lambda m: -len(m[1])):
            f.write(f"{len(tests):4d}  {message}\n")
            for t in tests:
                f.write(f"        {t}\n")


if __name__ == "__main__":
    main()
