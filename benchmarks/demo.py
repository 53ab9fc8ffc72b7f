"""numlir demo: compile a few example functions and time them against CPython."""
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402

import numlir  # noqa: E402
from array_kernels import expression, pairwise, sieve, stencil  # noqa: E402
from kernels import count_primes, leibniz_pi, mandelbrot  # noqa: E402


@numlir.njit
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def fib_py(n):
    return n if n < 2 else fib_py(n - 1) + fib_py(n - 2)


def black_scholes_call(s, k, t, r, sigma):
    d1 = (math.log(s / k) + (r + 0.5 * sigma * sigma) * t) / (sigma * math.sqrt(t))
    d2 = d1 - sigma * math.sqrt(t)
    cdf1 = 0.5 * (1.0 + math.erf(d1 / math.sqrt(2.0)))
    cdf2 = 0.5 * (1.0 + math.erf(d2 / math.sqrt(2.0)))
    return s * cdf1 - k * math.exp(-r * t) * cdf2


def price_many(n):
    total = 0.0
    for i in range(n):
        total += black_scholes_call(100.0 + i % 50, 100.0, 1.0, 0.01, 0.2)
    return total


def word_count(text):
    counts = {}
    for word in text.split():
        counts[word] = counts.get(word, 0) + 1
    return counts


def some_text(words):
    vocabulary = ["numba", "numlir", "array", "loop", "fast", "python", "mlir", "jit", "über", "数据"]
    return " ".join(vocabulary[(i * 7 + i // 3) % len(vocabulary)] for i in range(words))


def speedup(ratio):
    return f"{ratio:7.1f}x" if ratio < 10 else f"{ratio:7.0f}x"


def timed(fn, *args):
    t = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - t


def main():
    examples = [
        ("count_primes(100_000)", count_primes, (100_000,)),
        ("leibniz_pi(5_000_000)", leibniz_pi, (5_000_000,)),
        ("mandelbrot(200, 150, 100)", mandelbrot, (200, 150, 100)),
        ("fib(27), recursive", fib_py, (27,)),
        ("sieve(2_000_000), bool array", sieve, (2_000_000,)),
        ("stencil, 500x500 array", stencil, (np.random.default_rng(0).random((500, 500)), np.zeros((500, 500)))),
        ("pairwise distances, 300x3", pairwise, (np.random.default_rng(1).random((300, 3)),)),
        ("a * b + c, 1M: NumPy vs fused", expression, tuple(np.random.default_rng(2).random((3, 1_000_000)))),
        ("word count, 200k words (str)", word_count, (some_text(200_000),)),
    ]
    global black_scholes_call
    bs_py = black_scholes_call
    print(f"{'function':30} {'CPython':>10} {'numlir':>10} {'compile':>9} {'speedup':>8}  same result")
    for label, fn, args in examples:
        compiled = fib if fn is fib_py else numlir.njit(fn)
        expected, t_py = timed(fn, *args)
        if t_py < 0.1:  # fast in CPython too (NumPy): the best of a few runs on both sides
            t_py = min(t_py, *(timed(fn, *args)[1] for _ in range(4 if t_py > 0.01 else 30)))
        got, t_first = timed(compiled, *args)
        got, t_run = timed(compiled, *args)
        # The best of a few runs (more for fast ones, whose single runs vary the most).
        runs = 4 if t_run > 0.01 else 30
        t_run = min(t_run, *(timed(compiled, *args)[1] for _ in range(runs)))
        if isinstance(expected, np.ndarray):
            same = bool(np.allclose(got, expected))
        else:
            same = got == expected or (isinstance(got, float) and math.isclose(got, expected))
        print(f"{label:30} {t_py * 1e3:8.1f}ms {t_run * 1e3:8.2f}ms {max(t_first - t_run, 0) * 1e3:7.1f}ms "
              f"{speedup(t_py / t_run)}  {same}")
    # Calls between compiled functions: price_many calls black_scholes_call.
    expected, t_py = timed(price_many, 200_000)
    black_scholes_call = numlir.njit(bs_py)
    compiled = numlir.njit(price_many)
    compiled(10)
    got, t_run = timed(compiled, 200_000)
    black_scholes_call = bs_py
    print(f"{'black-scholes x 200_000':30} {t_py * 1e3:8.1f}ms {t_run * 1e3:8.2f}ms {'':>9} "
          f"{speedup(t_py / t_run)}  {math.isclose(got, expected)}")
    print("\nSee each stage of the pipeline with: .venv/bin/numlir-opt benchmarks/kernels.py::leibniz_pi "
          "--signature int64 --emit typed")


if __name__ == "__main__":
    main()
