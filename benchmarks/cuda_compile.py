"""Compile time of CUDA kernels to PTX, numlir beside numba-cuda, with or without a GPU:
each engine in a fresh process compiles the same kernels for sm_90 (numlir through
`kernel.inspect_ptx`, numba-cuda through `cuda.compile_ptx`) and reports the first kernel's
time (the process's first compile) and each later one's.

    make bench-cuda-compile      # both engines, and the table

numba-cuda runs in its own environment (benchmarks/.venv-numba-cuda: numba-cuda with
NVIDIA's NVVM, runtime and NVRTC wheels), found through CUDA_HOME (set here to the nvcc
wheel's folder).
"""
import argparse
import json
import os
import subprocess
import sys
import time

from cuda_kernels import kernels

SIGNATURES = {
    "saxpy": "void(float32, float32[::1], float32[::1], float32[::1])",
    "block_sum": "void(float32[::1], float32[::1])",
    "matmul": "void(float32[:, ::1], float32[:, ::1], float32[:, ::1])",
    "histogram": "void(int64[::1], int32[::1])",
    "warp_sum": "void(float64[::1], float64[::1])",
}


def run(engine):
    start = time.perf_counter()
    if engine == "numlir":
        from numlir import cuda

        def compile_ptx(function, signature):
            args = signature.split("(", 1)[1].rstrip(")")
            return cuda.jit(function).inspect_ptx(tuple(_split(args)), cc=(9, 0))
    else:
        from numba import cuda

        def compile_ptx(function, signature):
            return cuda.compile_ptx(function, signature, cc=(9, 0))[0]
    figures = {"engine": engine, "import_ms": (time.perf_counter() - start) * 1e3}
    for name in SIGNATURES:
        function = kernels(cuda)[name]
        begin = time.perf_counter()
        ptx = compile_ptx(function, SIGNATURES[name])
        figures[name + "_ms"] = (time.perf_counter() - begin) * 1e3
        assert ".entry" in ptx
    return figures


def _split(args):
    """Argument types of a signature, split at the commas outside brackets."""
    parts, depth, current = [], 0, ""
    for c in args:
        depth += {"[": 1, "]": -1}.get(c, 0)
        if c == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += c
    return parts + [current.strip()] if current.strip() else parts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["numlir", "numba"])
    parser.add_argument("--numba-python", default="benchmarks/.venv-numba-cuda/bin/python")
    args = parser.parse_args()
    if args.engine:
        print(json.dumps(run(args.engine)))
        return
    env = dict(os.environ)
    found = subprocess.run([args.numba_python, "-c", "import nvidia.cuda_nvcc; print(list(nvidia.cuda_nvcc.__path__)[0])"],
                           capture_output=True, text=True)
    if found.returncode == 0:
        env.setdefault("CUDA_HOME", found.stdout.strip())
    rows = []
    for engine, python in (("numlir", sys.executable), ("numba", args.numba_python)):
        out = subprocess.run([python, __file__, "--engine", engine], capture_output=True, text=True, env=env)
        if out.returncode:
            print(f"{engine}: {out.stderr.strip().splitlines()[-1] if out.stderr.strip() else 'failed'}")
            continue
        rows.append(json.loads(out.stdout))
    keys = ["import_ms"] + [n + "_ms" for n in SIGNATURES]
    print("| figure | " + " | ".join(r["engine"] for r in rows) + " |")
    print("|---|" + "---|" * len(rows))
    for k in keys:
        print(f"| {k} | " + " | ".join(f"{r[k]:.1f}" for r in rows) + " |")
    if len(rows) == 2:
        total = lambda r: sum(r[n + "_ms"] for n in SIGNATURES)
        print(f"compile, all kernels: numlir {total(rows[0]):.0f} ms, numba-cuda {total(rows[1]):.0f} ms "
              f"({total(rows[1]) / total(rows[0]):.1f}x)")


if __name__ == "__main__":
    main()
