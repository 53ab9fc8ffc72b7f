"""Threads: the dispatcher is thread-safe, compiling releases the GIL for the passes and
LLVM, and nogil=True releases it while compiled code runs. Results are compared with the
plain Python functions."""
import threading
import time

import numpy as np

import numlir


def triangle(n):
    s = 0
    for i in range(n):
        s += i
    return s


def scaled(a, k):
    return a * k + 1.0


def spin(n):
    """About n multiply-adds of work that LLVM cannot fold away."""
    x = 0.5
    for i in range(n):
        x = x * 0.999999 + 1e-9 * i
    return x


def big(a, b, c):
    # Enough array code that compiling it takes tens of milliseconds.
    d = np.sqrt(a * a + b * b) + np.exp(-c) * np.sin(a) - np.cos(b) * np.tanh(c)
    e = np.where(d > 0.5, d * 2.0, d / 3.0) + np.clip(a - b, -1.0, 1.0)
    s = 0.0
    for i in range(e.shape[0]):
        s += e[i] * a[i] - b[i] / (1.0 + c[i] * c[i])
    return e.sum() + d.mean() + s + np.std(e) + np.var(d) + e.max() - d.min()


def test_eight_threads_call_and_compile_at_once():
    shared = numlir.njit(triangle)
    shared(10)  # compiled before the threads start
    per_thread = numlir.njit(scaled)
    errors, barrier = [], threading.Barrier(8)

    def work(k):
        try:
            barrier.wait()
            # New signatures compile concurrently (float, int and bool k; 1-D and 2-D a),
            # while other threads call the shared compiled function.
            a = np.arange(12.0).reshape(3, 4) if k % 2 else np.arange(5.0)
            scalar = [2.5, 3, True][k % 3]
            for i in range(200):
                assert shared(i) == triangle(i)
            got = per_thread(a, scalar)
            np.testing.assert_array_equal(got, scaled(a, scalar))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    # Each distinct signature was compiled once, however many threads asked for it.
    keys = [tuple(str(t) for t in sig) for sig in per_thread.signatures]
    assert len(keys) == len(set(keys)) <= 6


def test_compiling_does_not_block_calls_from_other_threads():
    fast = numlir.njit(triangle)
    fast(3)
    slow_to_compile = numlir.njit(big)
    a, b, c = (np.linspace(0.1, 1.0, 100) + k for k in range(3))
    window = {}

    def compile_it():
        window["start"] = time.perf_counter()
        window["result"] = slow_to_compile(a, b, c)
        window["end"] = time.perf_counter()

    thread = threading.Thread(target=compile_it)
    calls = []
    thread.start()
    while thread.is_alive():
        assert fast(100) == triangle(100)
        calls.append(time.perf_counter())
    thread.join()
    start, end = window["start"], window["end"]
    # Calls ran during the second half of the compile, when only LLVM is at work: with the
    # GIL held there, none could.
    middle = [t for t in calls if start + (end - start) / 2 < t < end]
    assert len(middle) > 0, f"no call during a compile of {(end - start) * 1e3:.0f} ms"
    np.testing.assert_allclose(window["result"], big(a, b, c), rtol=1e-9)


def test_nogil_lets_python_run_during_a_call():
    """One call of a few hundred milliseconds: Python code keeps running in the main thread
    while it runs (without nogil, the main thread would wait for the whole call). The result
    is checked against the same code compiled without nogil; test_nogil_functions_run_in_
    parallel_threads compares spin itself with CPython."""
    n = 200_000_000
    free = numlir.njit(nogil=True)(spin)
    free(10)
    window = {}

    def call():
        window["start"] = time.perf_counter()
        window["result"] = free(n)
        window["end"] = time.perf_counter()

    thread = threading.Thread(target=call)
    ticks = []
    thread.start()
    while thread.is_alive():
        ticks.append(time.perf_counter())
        time.sleep(0.0005)
    thread.join()
    start, end = window["start"], window["end"]
    middle = [t for t in ticks if start + (end - start) / 4 < t < end - (end - start) / 4]
    assert len(middle) > 0, f"Python did not run during a nogil call of {(end - start) * 1e3:.0f} ms"
    assert window["result"] == numlir.njit(spin)(n)


def test_nogil_functions_run_in_parallel_threads():
    free = numlir.njit(nogil=True)(spin)
    results = [None] * 4

    def call(k):
        results[k] = free(100_000 + k)

    threads = [threading.Thread(target=call, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(4):
        np.testing.assert_allclose(results[k], spin(100_000 + k), rtol=1e-12)
