"""GPU benchmarks of numlir.cuda beside numba-cuda, for a machine with an NVIDIA GPU.

The same kernel source runs under each engine, each in its own process (numlir needs
CPython 3.11; numba-cuda runs under whatever Python has it):

    python benchmarks/cuda_device.py --engine numlir      # prints one JSON line of figures
    python benchmarks/cuda_device.py --engine numba
    python benchmarks/cuda_device.py --compare numlir.json numba.json   # the table

`benchmarks/cuda_device.sh` runs all of it, and the GPU-marked tests, on the device machine.
Figures: saxpy's bandwidth as a share of a device-to-device copy's, a shared-memory
reduction, a tiled matmul (and cuBLAS through CuPy where it is there), the time of a launch
of an empty kernel, and the first call's time (compile and load) in a fresh process.
"""
import argparse
import json
import math
import sys
import time

import numpy as np

from cuda_kernels import kernels


def engine_module(name):
    if name == "numlir":
        from numlir import cuda
    else:
        from numba import cuda
    return cuda


def define(cuda):
    """The kernels (cuda_kernels.py), compiled by the engine's @cuda.jit."""
    found = kernels(cuda)
    return tuple(cuda.jit(found[name]) for name in ("saxpy", "block_sum", "matmul", "empty"))


def timed(cuda, launch, repeats=20):
    """Milliseconds per launch, from CUDA events around `repeats` launches (after a warm-up)."""
    launch()
    cuda.synchronize()
    start, end = cuda.event(), cuda.event()
    start.record()
    for _ in range(repeats):
        launch()
    end.record()
    end.synchronize()
    return start.elapsed_time(end) / repeats


def run(engine, small=False):
    t0 = time.perf_counter()
    cuda = engine_module(engine)
    saxpy, block_sum, matmul, empty = define(cuda)
    figures = {"engine": engine}
    n = 1 << (16 if small else 26)
    x = cuda.to_device(np.random.rand(n).astype(np.float32))
    y = cuda.to_device(np.random.rand(n).astype(np.float32))
    out = cuda.device_array(n, np.float32)
    # First call: compile and load (a fresh process, so nothing is cached in memory).
    first = time.perf_counter()
    saxpy[n // 256, 256](np.float32(2.0), x, y, out)
    cuda.synchronize()
    figures["first_call_ms"] = (time.perf_counter() - first) * 1e3
    figures["import_ms"] = (first - t0) * 1e3
    assert np.allclose(out.copy_to_host()[:1000], 2 * x.copy_to_host()[:1000] + y.copy_to_host()[:1000])
    figures["saxpy_ms"] = timed(cuda, lambda: saxpy[n // 256, 256](np.float32(2.0), x, y, out))
    figures["copy_ms"] = timed(cuda, lambda: out.copy_to_device(x))
    figures["saxpy_gbs"] = 3 * 4 * n / figures["saxpy_ms"] / 1e6
    figures["copy_gbs"] = 2 * 4 * n / figures["copy_ms"] / 1e6
    partial = cuda.device_array(n // 256, np.float32)
    figures["reduction_ms"] = timed(cuda, lambda: block_sum[n // 256, 256](x, partial))
    host = x.copy_to_host()
    assert math.isclose(float(partial.copy_to_host().astype(np.float64).sum()), float(host.astype(np.float64).sum()), rel_tol=1e-4)
    m = 64 if small else 2048
    a = cuda.to_device(np.random.rand(m, m).astype(np.float32))
    b = cuda.to_device(np.random.rand(m, m).astype(np.float32))
    c = cuda.device_array((m, m), np.float32)
    figures["matmul_ms"] = timed(cuda, lambda: matmul[(m // 16, m // 16), (16, 16)](a, b, c), repeats=5)
    assert np.allclose(c.copy_to_host()[:4, :4], (a.copy_to_host() @ b.copy_to_host())[:4, :4], rtol=1e-3)
    figures["matmul_tflops"] = 2 * m ** 3 / figures["matmul_ms"] / 1e9
    try:
        import cupy
        ca, cb = cupy.asarray(a.copy_to_host()), cupy.asarray(b.copy_to_host())
        cupy.matmul(ca, cb)
        cupy.cuda.Device().synchronize()
        start = time.perf_counter()
        for _ in range(20):
            cupy.matmul(ca, cb)
        cupy.cuda.Device().synchronize()
        figures["cublas_ms"] = (time.perf_counter() - start) / 20 * 1e3
    except Exception:
        pass
    # Launch overhead: host time per launch of an empty kernel, queued back to back.
    one = cuda.device_array(1, np.float32)
    empty[1, 1](one)
    cuda.synchronize()
    launches = 200 if small else 20000
    start = time.perf_counter()
    for _ in range(launches):
        empty[1, 1](one)
    cuda.synchronize()
    figures["launch_us"] = (time.perf_counter() - start) / launches * 1e6
    return figures


def compare(files):
    rows = [json.loads(open(f).read()) for f in files]
    keys = ["import_ms", "first_call_ms", "saxpy_ms", "saxpy_gbs", "copy_gbs", "reduction_ms", "matmul_ms",
            "matmul_tflops", "cublas_ms", "launch_us"]
    print("| figure | " + " | ".join(r["engine"] for r in rows) + " |")
    print("|---|" + "---|" * len(rows))
    for k in keys:
        print(f"| {k} | " + " | ".join(f"{r[k]:.3f}" if k in r else "n/a" for r in rows) + " |")
    for r in rows:
        print(f"{r['engine']}: saxpy at {100 * r['saxpy_gbs'] / r['copy_gbs']:.0f}% of the copy bandwidth")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["numlir", "numba"])
    parser.add_argument("--compare", nargs="+")
    parser.add_argument("--small", action="store_true", help="small sizes: a check of the script (in the simulator too)")
    args = parser.parse_args()
    if args.compare:
        compare(args.compare)
    else:
        print(json.dumps(run(args.engine, args.small)))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
