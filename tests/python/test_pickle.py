"""Pickling compiled functions: by reference to a module-level function, or by value (the
Python function and the njit options) through cloudpickle, as Dask and Ray send functions.
The receiving process compiles again, or loads the cache with cache=True. The Dask test runs
a LocalCluster of two worker processes. Results are compared with CPython."""
import os
import pickle
import subprocess
import sys

import cloudpickle  # comes with dask[distributed], which make test installs
import distributed
import numpy as np
import pytest

import numlir


@numlir.njit
def collatz_steps(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


@numlir.njit(fastmath=True, error_model="numpy")
def row_norms(a):
    out = np.empty(a.shape[0])
    for i in range(a.shape[0]):
        s = 0.0
        for j in range(a.shape[1]):
            s += a[i, j] * a[i, j]
        out[i] = np.sqrt(s)
    return out


def test_module_level_function_pickles_by_reference():
    data = pickle.dumps(collatz_steps)
    assert len(data) < 200  # a reference, not the code
    assert pickle.loads(data) is collatz_steps
    assert pickle.loads(pickle.dumps(row_norms)) is row_norms


def test_local_function_pickles_by_value_with_its_options():
    @numlir.njit(fastmath={"nnan", "contract"}, boundscheck=True)
    def clipped_sum(a, lo, hi):
        s = 0.0
        for i in range(a.shape[0]):
            s += min(max(a[i], lo), hi)
        return s

    clone = cloudpickle.loads(cloudpickle.dumps(clipped_sum))
    assert isinstance(clone, numlir.Dispatcher) and clone is not clipped_sum
    a = np.linspace(-2, 2, 101)
    assert clone(a, -1.0, 1.0) == pytest.approx(clipped_sum.py_func(a, -1.0, 1.0), rel=1e-12)
    assert clone._njit_options == {"fastmath": {"nnan", "contract"}, "boundscheck": True}

    @numlir.njit(boundscheck=True)
    def at(a, i):
        return a[i]

    checked = cloudpickle.loads(cloudpickle.dumps(at))
    assert checked(np.arange(3.0), 2) == 2.0
    with pytest.raises(IndexError):  # the option travelled with the function
        checked(np.arange(3.0), 5)


def test_pickled_function_runs_in_a_new_process(tmp_path):
    """By value into a fresh interpreter, which compiles it there."""
    def poly(x):
        return 3 * x * x - 2 * x + 1

    compiled = numlir.njit("float64(float64)")(poly)
    path = tmp_path / "f.pkl"
    path.write_bytes(cloudpickle.dumps(compiled))
    script = f"import pickle; f = pickle.load(open({str(path)!r}, 'rb')); print(repr(f(2.5)), f.signatures)"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    value, _ = out.stdout.split(" ", 1)
    assert float(value) == poly(2.5)


def test_dask_local_cluster_with_two_worker_processes():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        numbers = list(range(1, 200))
        steps = client.gather(client.map(collatz_steps, numbers))
        assert steps == [collatz_steps.py_func(n) for n in numbers]
        # Work landed on both worker processes.
        pids = set(client.run(os.getpid).values())
        assert len(pids) == 2 and os.getpid() not in pids
        # Arrays in and out, through a by-value (local) function too.
        @numlir.njit
        def scale(a, k):
            return a * k

        blocks = [np.random.default_rng(i).random((50, 8)) for i in range(6)]
        norms = client.gather(client.map(row_norms, blocks))
        for got, block in zip(norms, blocks):
            np.testing.assert_allclose(got, row_norms.py_func(block), rtol=1e-12)
        scaled = client.gather(client.map(scale, blocks, [2.5] * len(blocks)))
        for got, block in zip(scaled, blocks):
            np.testing.assert_array_equal(got, block * 2.5)
