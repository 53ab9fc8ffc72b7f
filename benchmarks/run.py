"""The whole kernel suite (scalar and array kernels) under CPython, NumPy, numba and numlir
in one run, plus the costs around a call: compile time, first call in a fresh process,
loading from the on-disk cache, call overhead and import time.

    python benchmarks/run.py [--numba-python PATH] [--quick] [--no-chart]

numba runs in its own virtual environment (never a numlir dependency): this script re-runs
itself there with --engine numba and reads its JSON. Streaming array kernels are compared
with this machine's copy bandwidth, measured in the same run. Writes the Markdown table to
benchmarks/results.md and a chart of the ratios to benchmarks/results.png (matplotlib)."""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
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


# Input size of the first-call and cache measurements: small, so that what they time is
# the compile or the load, not the page faults of a first touch of large arrays.
SMALL = 0.01


def all_kernels(quick, scale=None):
    """(name, kind, function, args, numpy version, bytes moved) of every kernel."""
    from kernels import KERNELS
    from array_kernels import ARRAY_KERNELS, EXTRA_KERNELS
    from container_kernels import CONTAINER_KERNELS
    from numpy_kernels import NUMPY_KERNELS
    from ufunc_kernels import UFUNC_KERNELS
    from parallel_kernels import PARALLEL_KERNELS
    scale = scale or (0.1 if quick else 1.0)
    out = [(name, "scalar", fn, args, None, None) for name, fn, args in KERNELS]
    for kind, kernels in (("array", ARRAY_KERNELS), ("extra", EXTRA_KERNELS), ("container", CONTAINER_KERNELS),
                          ("numpy", NUMPY_KERNELS), ("ufunc", UFUNC_KERNELS), ("parallel", PARALLEL_KERNELS)):
        out += [(name, kind, fn, make_args(scale), numpy_version, bytes_moved)
                for name, fn, make_args, numpy_version, bytes_moved in kernels]
    return out


def jit_of(engine, **options):
    if engine == "numba":
        import numba as module
    elif engine == "numlir":
        import numlir as module
    else:
        return None
    jit = lambda f: module.njit(**options)(f)  # noqa: E731
    jit.module, jit.options = module, options  # (ufunc and prange kernels build their own)
    return jit


def compiled_kernel(jit, name, fn):
    """The compiled kernel; gcd_sum calls gcd through its module's globals: compile it too.
    A ufunc kernel (ufunc_kernels.py) becomes the engine's @vectorize ufunc."""
    if hasattr(fn, "ufunc_target"):
        return jit.module.vectorize(["float64(float64, float64)"], target=fn.ufunc_target)(fn.ufunc_of)
    if hasattr(fn, "parallel_threads"):
        # A prange kernel: the engine's prange (read when it compiles, at the first call;
        # each engine runs in a process of its own), parallel=True, on that many threads.
        import parallel_kernels
        parallel_kernels.prange = jit.module.prange
        parallel_kernels.cross = jit.module.stencil(parallel_kernels.cross_kernel)
        compiled = jit.module.njit(parallel=True, **jit.options)(fn.parallel_of)
        pool = jit.module.get_num_threads()
        threads = min(fn.parallel_threads, pool)

        def run(*args):
            jit.module.set_num_threads(threads)
            try:
                return compiled(*args)
            finally:
                jit.module.set_num_threads(pool)
        return run
    if name == "gcd":
        import kernels
        plain = getattr(kernels.gcd, "py_func", kernels.gcd)
        kernels.gcd = jit(plain)
    if name.startswith("generator"):
        import container_kernels
        plain = getattr(container_kernels.residues, "py_func", container_kernels.residues)
        container_kernels.residues = jit(plain)
    return jit(fn)


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


def call_overheads(jit):
    """Seconds per call of a function returning its int argument, and of one taking three
    arrays (timeit of the call statement itself, as a user's loop would run it)."""
    import numpy as np

    def ident(x):
        return x

    def three(a, b, c):
        return a.shape[0]

    g, h = jit(ident), jit(three)
    a, b, c = np.zeros(3), np.zeros(3), np.zeros(3)
    g(1), h(a, b, c)
    n = 1_000_000
    scope = {"g": g, "h": h, "a": a, "b": b, "c": c}
    return {stmt: min(timeit.repeat(stmt, number=n, repeat=7, globals=scope)) / n
            for stmt in ("g(1)", "h(a, b, c)")}


def measure(engine, quick):
    """Run time (best of a few) of every kernel, and for the JITs the first call."""
    jit = jit_of(engine)
    out = {"kernels": {}}
    small = {k[0]: k[3] for k in all_kernels(quick, SMALL)}
    for name, kind, fn, args, numpy_version, bytes_moved in all_kernels(quick):
        if engine == "numpy":
            if numpy_version is not None:
                out["kernels"][name] = {"run": best_of(numpy_version, args, 3)}
            continue
        if jit is None:
            # (a ufunc kernel in CPython: NumPy's np.vectorize of it, once)
            import numpy as np
            plain = np.vectorize(fn.ufunc_of) if hasattr(fn, "ufunc_target") else getattr(fn, "parallel_of", fn)
            out["kernels"][name] = {"run": best_of(plain, args, 1)}
            continue
        compiled = compiled_kernel(jit, name, fn)
        t = time.perf_counter()
        try:
            compiled(*small[name])
        except Exception as exc:  # numba leaves a NumPy feature out (np.unique(return_counts=))
            lines = [line.strip() for line in str(exc).splitlines() if "Error:" in line] or [str(exc)]
            out.setdefault("unsupported", {})[name] = lines[-1][:200]  # the most specific
            continue
        first = time.perf_counter() - t
        compile_time = max(first - best_of(compiled, small[name], 3), 0.0)
        run = best_of(compiled, args, 3 if quick else 5)
        entry = {"run": run, "compile": compile_time}
        if bytes_moved is not None:
            entry["bytes_per_s"] = bytes_moved(args) / run
        out["kernels"][name] = entry
    if engine == "numpy":
        out["copy_bandwidth"] = copy_bandwidth()
    if jit is not None:
        compiles = []
        for _ in range(5 if quick else 15):
            f = jit(small_function())
            t = time.perf_counter()
            f(10, 1.5)
            compiles.append(time.perf_counter() - t)
        out["compile_small_median"] = statistics.median(compiles)
        out["call_overhead"] = call_overheads(jit)
    return out


def cached_calls(engine, quick, only):
    """With cache=True (the cache directory comes from the environment): the first call of
    kernel `only` less its run time, i.e. the cost of loading (or compiling) it."""
    jit = jit_of(engine, cache=True)
    for name, kind, fn, args, _, _ in all_kernels(quick, SMALL):
        if name != only:
            continue
        compiled = compiled_kernel(jit, name, fn)
        t = time.perf_counter()
        compiled(*args)
        first = time.perf_counter() - t
        return max(first - best_of(compiled, args, 3), 0.0)
    raise KeyError(only)


# Kinds of kernels shown beside the suite but not in its geomean: (marker, what they are).
FOOTNOTES = {
    "extra": ("†", "Kernels beyond the issues' suite"),
    "container": ("‡", "Containers (issue 16)"),
    "numpy": ("§", "NumPy functions (issue 17)"),
    "ufunc": ("¶", "Ufuncs built with @vectorize (issue 18)"),
    "parallel": ("∥", "parallel=True: prange loops and array code (issue 18)"),
}


def kernel_kinds():
    """Each kernel's name and kind ("scalar", "array", or "extra" and "container": shown, not in
    the geomean), without building its inputs."""
    from kernels import KERNELS
    from array_kernels import ARRAY_KERNELS, EXTRA_KERNELS
    from container_kernels import CONTAINER_KERNELS
    from numpy_kernels import NUMPY_KERNELS
    from ufunc_kernels import UFUNC_KERNELS
    from parallel_kernels import PARALLEL_KERNELS
    return {k[0]: kind for kind, kernels in (("scalar", KERNELS), ("array", ARRAY_KERNELS), ("extra", EXTRA_KERNELS),
                                             ("container", CONTAINER_KERNELS), ("numpy", NUMPY_KERNELS),
                                             ("ufunc", UFUNC_KERNELS), ("parallel", PARALLEL_KERNELS))
            for k in kernels}


def kernel_names():
    return list(kernel_kinds())


def run_self(python, args, env=None):
    proc = subprocess.run([python, __file__] + args, capture_output=True, text=True,
                          env=dict(os.environ, **(env or {})))
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def around_calls(python, engine, quick, names):
    """Fresh-process first calls, cache loads and import time of one engine, for the
    kernels `names` it compiles."""
    flag = ["--quick"] if quick else []
    out = {"fresh_first_call": {}, "cache_load": {}}
    for name in names:
        out["fresh_first_call"][name] = run_self(
            python, ["--engine", engine, "--first-call", name] + flag)
    with tempfile.TemporaryDirectory() as cache:
        env = {"NUMLIR_CACHE_DIR": cache, "NUMBA_CACHE_DIR": cache}
        for name in names:  # fill the cache, one process per kernel
            run_self(python, ["--engine", engine, "--cached", name] + flag, env)
        for name in names:
            out["cache_load"][name] = run_self(
                python, ["--engine", engine, "--cached", name] + flag, env)
    imports = []
    module = "numlir" if engine == "numlir" else "numba"
    for _ in range(5):
        code = (f"import time, numpy; t = time.perf_counter(); import {module}; "
                f"print(time.perf_counter() - t)")
        proc = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True)
        imports.append(float(proc.stdout.strip()))
    out["import"] = min(imports)
    return out


ROUNDS = 3


def best_of_rounds(runs):
    """One engine's measurements from several processes, each figure the best of them."""
    best = runs[0]
    for run in runs[1:]:
        for name, entry in run["kernels"].items():
            for key, value in entry.items():
                pick = max if key == "bytes_per_s" else min
                best["kernels"][name][key] = pick(best["kernels"][name][key], value)
        best["compile_small_median"] = min(best["compile_small_median"], run["compile_small_median"])
        for stmt, value in run["call_overhead"].items():
            best["call_overhead"][stmt] = min(best["call_overhead"][stmt], value)
    return best


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    except (ValueError, OSError):
        memory = float("nan")
    import numpy
    return (f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB, {platform.system()} "
            f"{platform.release()}; CPython {platform.python_version()}, NumPy {numpy.__version__}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["python", "numpy", "numba", "numlir"])
    parser.add_argument("--first-call", metavar="KERNEL")
    parser.add_argument("--cached", metavar="KERNEL")
    parser.add_argument("--numba-python", default=os.environ.get(
        "NUMBA_PYTHON", os.path.join(HERE, ".venv-numba", "bin", "python")))
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-chart", action="store_true")
    args = parser.parse_args()
    if args.engine and args.first_call:
        kernels = [k for k in all_kernels(args.quick, SMALL) if k[0] == args.first_call]
        jit = jit_of(args.engine)
        name, _, fn, call_args, _, _ = kernels[0]
        compiled = compiled_kernel(jit, name, fn)
        t = time.perf_counter()
        compiled(*call_args)
        first = time.perf_counter() - t
        print(json.dumps(max(first - best_of(compiled, call_args, 3), 0.0)))
        return
    if args.engine and args.cached:
        print(json.dumps(cached_calls(args.engine, args.quick, args.cached)))
        return
    if args.engine:
        out = measure(args.engine, args.quick)
        if args.engine == "numba":
            import numba
            out["version"] = numba.__version__
        print(json.dumps(out))
        return
    results = {"python": measure("python", args.quick), "numpy": measure("numpy", args.quick),
               "machine": machine()}
    pythons = {"numlir": sys.executable}
    if os.path.exists(args.numba_python):
        pythons["numba"] = args.numba_python
    else:
        print(f"numba not found at {args.numba_python}: run `make bench` to create it",
              file=sys.stderr)
    # Each JIT measures its kernels in ROUNDS processes, the two JITs taking turns; each
    # figure is the best over them. One process's timings can sit several percent off
    # another's for memory-bound kernels (where its arrays landed in memory), and the
    # turns spread the machine's slower moments over both.
    rounds = {engine: [] for engine in pythons}
    flag = ["--quick"] if args.quick else []
    for _ in range(1 if args.quick else ROUNDS):
        for engine, python in list(pythons.items()):
            try:
                rounds[engine].append(run_self(python, ["--engine", engine] + flag))
            except RuntimeError as exc:
                if engine == "numlir":
                    raise
                print(f"numba run failed: {exc}", file=sys.stderr)
                del pythons[engine], rounds[engine]
    for engine, python in pythons.items():
        results[engine] = best_of_rounds(rounds[engine])
        results[engine].update(around_calls(python, engine, args.quick, list(results[engine]["kernels"])))
    report = render(results)
    print(report)
    with open(os.path.join(HERE, "results.md"), "w") as f:
        f.write(report + "\n")
    with open(os.path.join(HERE, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    if not args.no_chart and "numba" in results:
        chart(results, os.path.join(HERE, "results.png"))


def ms(seconds):
    return f"{seconds * 1e3:.1f}" if seconds is not None else "n/a"


def render(r):
    has_numba = "numba" in r
    nl, nb = r["numlir"], r.get("numba", {})
    bandwidth = r["numpy"]["copy_bandwidth"]
    lines = [f"Machine: {r['machine']}" + (f"; numba {nb['version']}" if has_numba else "")
             + f". Copy bandwidth (np.copyto, 80 MB): {bandwidth / 1e9:.1f} GB/s.", "",
             "Times are the best of several runs (numba and numlir: in each of "
             f"{ROUNDS} processes, taking turns); ratios > 1 mean numlir is faster. "
             "Compile: the first call less a later call, in a process that has compiled "
             "other kernels. Fresh process: the same for the first kernel a new process "
             "compiles (after the imports). Cache: the same in a new process with "
             "cache=True and the entry already on disk. These three use inputs "
             f"{SMALL:g} times the size, so that page faults of large new arrays do not count "
             "as compile or load time.", ""]
    header = ("| kernel | CPython s | NumPy s | numba s | numlir s | numlir vs numba | "
              "numlir vs NumPy | compile ms numlir / numba | fresh process ms numlir / numba | "
              "cache load ms numlir / numba | numlir GB/s (% of copy) |")
    lines += [header, "|" + "---|" * (header.count("|") - 1)]
    ratios = {}
    kinds = kernel_kinds()
    for name, py in r["python"]["kernels"].items():
        k = nl["kernels"][name]
        np_run = r["numpy"]["kernels"].get(name, {}).get("run")
        b = nb.get("kernels", {}).get(name)
        if b:
            ratios[name] = b["run"] / k["run"]
        cells = [
            name + (f" ({FOOTNOTES[kinds[name]][0]})" if kinds[name] in FOOTNOTES else ""), f"{py['run']:.3f}", f"{np_run:.4f}" if np_run else "n/a",
            f"{b['run']:.4f}" if b else "n/a", f"{k['run']:.4f}",
            f"{ratios[name]:.2f}x" if b else "n/a",
            f"{np_run / k['run']:.2f}x" if np_run else "n/a",
            f"{ms(k['compile'])} / {ms(b['compile']) if b else 'n/a'}",
            f"{ms(nl['fresh_first_call'][name])} / "
            + (ms(nb['fresh_first_call'][name]) if b else "n/a"),
            f"{ms(nl['cache_load'][name])} / " + (ms(nb['cache_load'][name]) if b else "n/a"),
            (f"{k['bytes_per_s'] / 1e9:.1f} ({100 * k['bytes_per_s'] / bandwidth:.0f}%)"
             if "bytes_per_s" in k else ""),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    all_ratios = ratios
    ratios = {n: v for n, v in ratios.items() if kinds[n] in ("scalar", "array")}
    if ratios:
        geo = statistics.geometric_mean(ratios.values())
        scalar = statistics.geometric_mean([v for n, v in ratios.items() if kinds[n] == "scalar"])
        array = statistics.geometric_mean([v for n, v in ratios.items() if kinds[n] == "array"])
        low = min(ratios, key=ratios.get)
        lines.append(f"- numlir speed relative to numba, geomean of all {len(ratios)} kernels: "
                     f"{geo:.2f}x (scalar kernels {scalar:.2f}x, array kernels {array:.2f}x); "
                     f"lowest: {low} {ratios[low]:.2f}x.")
        # A first call no slower than the later ones (a busy machine during the later calls)
        # measures no compile time: such a kernel is left out of the compile ratio.
        timed = [n for n in ratios if nb["kernels"][n]["compile"] > 0 and nl["kernels"][n]["compile"] > 0]
        compile_ratio = statistics.geometric_mean(
            [nb["kernels"][n]["compile"] / nl["kernels"][n]["compile"] for n in timed])
        fresh_ratio = statistics.geometric_mean(
            [nb["fresh_first_call"][n] / nl["fresh_first_call"][n] for n in ratios])
        untimed = f" ({len(ratios) - len(timed)} kernels without a measurable compile left out)" if len(timed) < len(ratios) else ""
        lines.append(f"- Compile time, numba / numlir (geomean): {compile_ratio:.1f}x in a warm "
                     f"process{untimed}, {fresh_ratio:.1f}x for the first call in a fresh process.")
    # The kernels outside the geomean, one line per kind.
    for kind, (marker, label) in FOOTNOTES.items():
        shown = {n: v for n, v in all_ratios.items() if kinds[n] == kind}
        if shown:
            lines.append(f"- ({marker}) {label}, not in the geomean: " + ", ".join(f"{n} {v:.2f}x" for n, v in shown.items()) + ".")
    for name, why in nb.get("unsupported", {}).items():
        lines.append(f"- numba does not compile {name}: {why}")
    for engine in ("numlir", "numba"):
        if engine not in r:
            continue
        e = r[engine]
        loads = list(e["cache_load"].values())
        lines.append(
            f"- {engine}: median compile of a 10-line function {ms(e['compile_small_median'])} ms; "
            f"call overhead {e['call_overhead']['g(1)'] * 1e9:.0f} ns (one int), "
            f"{e['call_overhead']['h(a, b, c)'] * 1e9:.0f} ns (three arrays); "
            f"`import {engine}` after NumPy {ms(e['import'])} ms; "
            f"cache load median {ms(statistics.median(loads))} ms, max {ms(max(loads))} ms.")
    return "\n".join(lines)


def chart(r, path):
    """Bar chart: speed relative to numba per kernel, and first-call compile times."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no chart (make bench installs it)", file=sys.stderr)
        return
    names = [n for n in r["python"]["kernels"] if n in r["numba"]["kernels"]]
    nl, nb = r["numlir"], r["numba"]
    ratios = [nb["kernels"][n]["run"] / nl["kernels"][n]["run"] for n in names]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 6), sharey=True)
    ys = range(len(names))
    left.barh(ys, ratios, color=["#2a7" if x >= 1 else "#d73" for x in ratios])
    left.axvline(1.0, color="black", linewidth=0.8)
    left.set_yticks(list(ys), names)
    left.invert_yaxis()
    left.set_xlabel("numlir speed relative to numba (>1: numlir faster)")
    for y, x in zip(ys, ratios):
        left.text(x, y, f" {x:.2f}x", va="center", fontsize=8)
    width = 0.4
    right.barh([y - width / 2 for y in ys], [nl["fresh_first_call"][n] * 1e3 for n in names],
               height=width, label="numlir", color="#2a7")
    right.barh([y + width / 2 for y in ys], [nb["fresh_first_call"][n] * 1e3 for n in names],
               height=width, label="numba", color="#888")
    right.set_xscale("log")
    right.set_xlabel("first call in a fresh process, compile ms (log)")
    right.legend(loc="upper center", bbox_to_anchor=(0.5, 1.07), ncol=2, frameon=False)
    fig.suptitle(f"numlir vs numba — {r['machine']}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
