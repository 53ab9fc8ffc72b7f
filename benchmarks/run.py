"""Scalar and array kernels under CPython, NumPy, numba and numlir in one run.

    python benchmarks/run.py [--numba-python PATH] [--quick]

numba runs in its own virtual environment (never a numlir dependency): this script
re-runs itself there with --engine numba and reads its JSON. Streaming array kernels are
compared with this machine's copy bandwidth, measured in the same run. Prints Markdown
tables and writes them to benchmarks/results.md."""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import timeit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def best_of(fn, args, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t)
    return min(times)


def small_function():
    # A fresh 10-line function each time, so each compile is a real one.
    def f(n, x):
        s = 0.0
        for i in range(n):
            if i % 3 == 0:
                s += x * i
            elif i % 3 == 1:
                s -= x / (i + 1)
            else:
                s += 1.0
        return s
    return f


def copy_bandwidth(repeat=7):
    """Bytes per second of np.copyto between two 80 MB arrays (read + write)."""
    import numpy as np
    src, dst = np.ones(10_000_000), np.zeros(10_000_000)
    t = best_of(np.copyto, (dst, src), repeat)
    return 2 * src.nbytes / t


def measure_arrays(jit, engine, quick):
    """Each array kernel: first call (compile + run) and the best of a few runs."""
    from array_kernels import ARRAY_KERNELS
    scale = 0.1 if quick else 1.0
    out = {}
    for name, fn, make_args, numpy_version, bytes_moved in ARRAY_KERNELS:
        args = make_args(scale)
        if engine == "numpy":
            if numpy_version is not None:
                out[name] = {"run": best_of(numpy_version, args, 3)}
            continue
        if jit is None:
            out[name] = {"run": best_of(fn, args, 1)}
            continue
        compiled = jit(fn)
        t = time.perf_counter()
        compiled(*args)
        first = time.perf_counter() - t
        run = best_of(compiled, args, 3 if quick else 5)
        entry = {"run": run, "first_call": first, "compile": max(first - run, 0.0)}
        if bytes_moved is not None:
            entry["bytes_per_s"] = bytes_moved(args) / run
        out[name] = entry
    return out


def measure(engine, quick):
    if engine == "numpy":
        return {"arrays": measure_arrays(None, "numpy", quick), "copy_bandwidth": copy_bandwidth()}
    from kernels import KERNELS
    if engine == "numba":
        import numba
        jit = numba.njit
    elif engine == "numlir":
        import numlir
        jit = numlir.njit
    else:
        jit = None
    repeat = 1 if quick else 3
    out = {"kernels": {}, "arrays": measure_arrays(jit, engine, quick)}
    for name, fn, args in KERNELS:
        if jit is None:
            out["kernels"][name] = {"run": best_of(fn, args, 1)}
            continue
        compiled = jit(fn)
        if name == "gcd":  # gcd_sum calls gcd through globals: compile it too
            import kernels
            kernels.gcd = jit(kernels.gcd.py_func if hasattr(kernels.gcd, "py_func") else kernels.gcd)
            compiled = jit(fn)
        t = time.perf_counter()
        compiled(*args)
        first = time.perf_counter() - t
        run = best_of(compiled, args, repeat)
        out["kernels"][name] = {"run": run, "first_call": first, "compile": max(first - run, 0.0)}
    if jit is not None:
        compiles = []
        for _ in range(5 if quick else 15):
            f = jit(small_function())
            t = time.perf_counter()
            f(10, 1.5)
            compiles.append(time.perf_counter() - t)
        out["compile_small_median"] = statistics.median(compiles)

        def ident(x):
            return x
        g = jit(ident)
        g(1)
        n = 200_000 if quick else 1_000_000
        out["call_overhead"] = min(timeit.repeat(lambda: g(1), number=n, repeat=5)) / n
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["python", "numpy", "numba", "numlir"])
    parser.add_argument("--numba-python", default=os.environ.get(
        "NUMBA_PYTHON", os.path.join(HERE, ".venv-numba", "bin", "python")))
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.engine:
        print(json.dumps(measure(args.engine, args.quick)))
        return
    results = {"python": measure("python", args.quick), "numpy": measure("numpy", args.quick),
               "numlir": measure("numlir", args.quick)}
    if os.path.exists(args.numba_python):
        cmd = [args.numba_python, __file__, "--engine", "numba"] + (["--quick"] if args.quick else [])
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode == 0:
            results["numba"] = json.loads(proc.stdout.strip().splitlines()[-1])
        else:
            print("numba run failed:\n" + proc.stderr[-2000:], file=sys.stderr)
    else:
        print(f"numba not found at {args.numba_python}: run `make bench` to create it",
              file=sys.stderr)
    report = render(results)
    print(report)
    with open(os.path.join(HERE, "results.md"), "w") as f:
        f.write(report + "\n")


def render(r):
    has_numba = "numba" in r
    lines = [f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}", ""]
    header = "| kernel | CPython s | numlir s | speedup vs CPython |"
    sep = "|---|---|---|---|"
    if has_numba:
        header += " numba s | numlir vs numba | numlir compile ms | numba compile ms |"
        sep += "---|---|---|---|"
    lines += [header, sep]
    ratios = []
    for name, py in r["python"]["kernels"].items():
        nl = r["numlir"]["kernels"][name]
        row = f"| {name} | {py['run']:.3f} | {nl['run']:.4f} | {py['run'] / nl['run']:.0f}x |"
        if has_numba:
            nb = r["numba"]["kernels"][name]
            ratios.append(nb["run"] / nl["run"])
            row += (f" {nb['run']:.4f} | {nb['run'] / nl['run']:.2f}x | {nl['compile'] * 1e3:.1f} |"
                    f" {nb['compile'] * 1e3:.1f} |")
        lines.append(row)
    lines.append("")
    if ratios:
        geo = statistics.geometric_mean(ratios)
        lines.append(f"numlir speed relative to numba (geomean, >1 = faster): {geo:.2f}x")
    for engine in ("numlir", "numba"):
        if engine in r:
            lines.append(f"{engine}: median compile of a 10-line function "
                         f"{r[engine]['compile_small_median'] * 1e3:.1f} ms; call overhead "
                         f"{r[engine]['call_overhead'] * 1e9:.0f} ns")
    lines += ["", render_arrays(r)]
    return "\n".join(lines)


def render_arrays(r):
    has_numba = "numba" in r
    bandwidth = r["numpy"]["copy_bandwidth"]
    lines = [f"Array kernels. Copy bandwidth (np.copyto, 80 MB): {bandwidth / 1e9:.1f} GB/s", "",
             "| kernel | CPython s | NumPy s | numlir s | numlir vs NumPy |"
             + (" numba s | numlir vs numba | numlir compile ms | numba compile ms |" if has_numba else "")
             + " numlir GB/s (% of copy) |",
             "|---|---|---|---|---|" + ("---|---|---|---|" if has_numba else "") + "---|"]
    ratios = []
    for name, py in r["python"]["arrays"].items():
        nl = r["numlir"]["arrays"][name]
        np_run = r["numpy"]["arrays"].get(name, {}).get("run")
        row = (f"| {name} | {py['run']:.3f} | " + (f"{np_run:.4f}" if np_run else "n/a")
               + f" | {nl['run']:.4f} | " + (f"{np_run / nl['run']:.2f}x" if np_run else "n/a") + " |")
        if has_numba:
            nb = r["numba"]["arrays"][name]
            ratios.append(nb["run"] / nl["run"])
            row += (f" {nb['run']:.4f} | {nb['run'] / nl['run']:.2f}x | {nl['compile'] * 1e3:.0f} |"
                    f" {nb['compile'] * 1e3:.0f} |")
        if "bytes_per_s" in nl:
            row += f" {nl['bytes_per_s'] / 1e9:.1f} ({100 * nl['bytes_per_s'] / bandwidth:.0f}%) |"
        else:
            row += " |"
        lines.append(row)
    if ratios:
        lines += ["", f"numlir array speed relative to numba (geomean, >1 = faster): "
                      f"{statistics.geometric_mean(ratios):.2f}x"]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
