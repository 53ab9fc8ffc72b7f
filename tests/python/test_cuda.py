"""numlir.cuda: kernels run in the simulator against a NumPy reference, and every kernel's
PTX is checked by ptxas (the ``nvidia-cuda-nvcc-cu12`` wheel, a test dependency) for sm_80
and sm_90. Tests that need a GPU are marked ``gpu`` and skip without one."""
import cmath
import importlib.util
import math
import os
import subprocess
import tempfile

import numpy as np
import pytest

import numlir
from numlir import cuda

RNG = np.random.default_rng(7)


# NUMLIR_TEST_ON_GPU=1 (benchmarks/cuda_device.sh on a machine with a GPU): the kernels
# launch on the device instead of the simulator; tests of what only the simulator reports skip.
ON_GPU = os.environ.get("NUMLIR_TEST_ON_GPU") == "1"
simulator_only = pytest.mark.skipif(ON_GPU, reason="checks what the simulator reports")


@pytest.fixture(autouse=True)
def simulator():
    """Kernels in these tests run in the simulator (on the GPU with NUMLIR_TEST_ON_GPU=1)."""
    before = numlir.config.CUDA_SIMULATOR
    if ON_GPU:
        assert cuda.is_available(), "NUMLIR_TEST_ON_GPU=1 needs a GPU"
    numlir.config.CUDA_SIMULATOR = not ON_GPU
    yield
    numlir.config.CUDA_SIMULATOR = before


def _ptxas():
    spec = importlib.util.find_spec("nvidia.cuda_nvcc")
    if spec is not None:
        return os.path.join(spec.submodule_search_locations[0], "bin", "ptxas")
    import shutil
    found = shutil.which("ptxas")  # a CUDA toolkit's, on a device machine
    assert found or ON_GPU, "the tests need ptxas from the nvidia-cuda-nvcc-cu12 wheel (make test installs it)"
    return found


def assert_ptxas_accepts(kernel):
    """Every compiled signature of ``kernel`` gives PTX that ptxas accepts for sm_80 and sm_90."""
    assert kernel.signatures, "the kernel was not compiled"
    if _ptxas() is None:  # on a device without a toolkit: the driver compiled the PTX already
        return
    for signature in kernel.signatures:
        for cc in ((8, 0), (9, 0)):
            ptx = kernel.inspect_ptx(signature, cc=cc)
            assert f".target sm_{cc[0]}{cc[1]}" in ptx
            with tempfile.NamedTemporaryFile("w", suffix=".ptx") as f:
                f.write(ptx)
                f.flush()
                run = subprocess.run([_ptxas(), f"-arch=sm_{cc[0]}{cc[1]}", f.name, "-o", os.devnull],
                                     capture_output=True, text=True)
            assert run.returncode == 0, f"ptxas rejects {kernel.__name__}{signature} for sm_{cc[0]}{cc[1]}:\n{run.stderr}"


def launch(kernel, griddim, blockdim, *args, **config):
    """Runs the kernel in the simulator and checks its PTX."""
    kernel[griddim, blockdim, config.get("stream", 0), config.get("sharedmem", 0)](*args)
    assert_ptxas_accepts(kernel)


# ---- indexing -------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_saxpy_with_a_partial_last_block(dtype):
    @cuda.jit
    def saxpy(a, x, y, out):
        i = cuda.grid(1)
        if i < out.size:
            out[i] = a * x[i] + y[i]

    n = 1000
    x, y = RNG.random(n).astype(dtype), RNG.random(n).astype(dtype)
    out = np.zeros(n, dtype)
    a = dtype(2.5)
    launch(saxpy, (n + 127) // 128, 128, a, x, y, out)
    np.testing.assert_array_equal(out, a * x + y)


def test_grid_stride_loop_over_a_2d_grid():
    @cuda.jit
    def add(a, b, out):
        x0, y0 = cuda.grid(2)
        sx, sy = cuda.gridsize(2)
        for i in range(x0, out.shape[0], sx):
            for j in range(y0, out.shape[1], sy):
                out[i, j] = a[i, j] + b[i, j]

    a, b = RNG.random((70, 45)), RNG.random((70, 45))
    out = np.zeros_like(a)
    launch(add, (3, 2), (8, 4), a, b, out)
    np.testing.assert_array_equal(out, a + b)


def test_3d_grid_indices():
    @cuda.jit
    def where(out):
        x = cuda.threadIdx.x + cuda.blockIdx.x * cuda.blockDim.x
        y = cuda.threadIdx.y + cuda.blockIdx.y * cuda.blockDim.y
        z = cuda.threadIdx.z + cuda.blockIdx.z * cuda.blockDim.z
        out[x, y, z, 0] = x
        out[x, y, z, 1] = y
        out[x, y, z, 2] = z
        out[x, y, z, 3] = cuda.gridDim.x * 100 + cuda.gridDim.y * 10 + cuda.gridDim.z

    out = np.zeros((4, 6, 6, 4), np.int64)
    launch(where, (2, 3, 2), (2, 2, 3), out)
    grid = np.indices((4, 6, 6))
    for axis in range(3):
        np.testing.assert_array_equal(out[..., axis], grid[axis])
    assert (out[..., 3] == 232).all()


def test_grid_3_and_gridsize_3():
    @cuda.jit
    def count(out):
        x, y, z = cuda.grid(3)
        sx, sy, sz = cuda.gridsize(3)
        out[x + sx * (y + sy * z)] = x * 10000 + y * 100 + z

    out = np.full(2 * 3 * 4 * 8, -1, np.int64)
    launch(count, (1, 3, 2), (2, 1, 2), out)
    expected = [x * 10000 + y * 100 + z for z in range(4) for y in range(3) for x in range(2)]
    np.testing.assert_array_equal(out[: len(expected)], expected)


def test_laneid_and_warpsize():
    @cuda.jit
    def lanes(out):
        i = cuda.grid(1)
        out[i, 0] = cuda.laneid
        out[i, 1] = cuda.warpsize

    out = np.zeros((96, 2), np.int64)
    launch(lanes, 2, 48, out)
    linear = np.arange(96) % 48  # lanes count from each block's first thread
    np.testing.assert_array_equal(out[:, 0], linear % 32)
    assert (out[:, 1] == 32).all()


# ---- shared memory and barriers ----------------------------------------------------------

def block_sums(x, threads):
    padded = np.zeros(-(-x.size // threads) * threads)
    padded[: x.size] = x
    return padded.reshape(-1, threads).sum(axis=1)


def test_shared_memory_reduction_with_barriers():
    @cuda.jit
    def block_sum(x, partial):
        tile = cuda.shared.array(256, dtype=np.float64)
        t = cuda.threadIdx.x
        i = cuda.grid(1)
        tile[t] = x[i] if i < x.size else 0.0
        cuda.syncthreads()
        s = cuda.blockDim.x // 2
        while s > 0:
            if t < s:
                tile[t] += tile[t + s]
            cuda.syncthreads()
            s //= 2
        if t == 0:
            partial[cuda.blockIdx.x] = tile[0]

    x = RNG.random(100_000)
    partial = np.zeros(-(-x.size // 256))
    launch(block_sum, partial.size, 256, x, partial)
    np.testing.assert_allclose(partial, block_sums(x, 256), rtol=1e-12)


TPB = 8


def test_tiled_matmul_with_2d_shared_arrays():
    @cuda.jit
    def matmul(a, b, c):
        sa = cuda.shared.array((TPB, TPB), dtype=np.float32)
        sb = cuda.shared.array(shape=(TPB, TPB), dtype=np.float32)
        x, y = cuda.grid(2)
        tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
        acc = np.float32(0.0)
        for k in range(0, a.shape[1], TPB):
            sa[tx, ty] = a[x, k + ty] if x < a.shape[0] and k + ty < a.shape[1] else 0.0
            sb[tx, ty] = b[k + tx, y] if k + tx < b.shape[0] and y < b.shape[1] else 0.0
            cuda.syncthreads()
            for j in range(TPB):
                acc += sa[tx, j] * sb[j, ty]
            cuda.syncthreads()
        if x < c.shape[0] and y < c.shape[1]:
            c[x, y] = acc

    a = RNG.random((37, 29)).astype(np.float32)
    b = RNG.random((29, 41)).astype(np.float32)
    c = np.zeros((37, 41), np.float32)
    launch(matmul, (-(-37 // TPB), -(-41 // TPB)), (TPB, TPB), a, b, c)
    np.testing.assert_allclose(c, a @ b, rtol=1e-5)


def test_dynamic_shared_memory_from_the_launch():
    @cuda.jit
    def reverse(x, out):
        buf = cuda.shared.array(0, dtype=np.float32)
        t = cuda.threadIdx.x
        buf[t] = x[cuda.grid(1)]
        cuda.syncthreads()
        out[cuda.grid(1)] = buf[buf.size - 1 - t]

    x = np.arange(128, dtype=np.float32)
    out = np.zeros_like(x)
    launch(reverse, 4, 32, x, out, sharedmem=32 * 4)
    np.testing.assert_array_equal(out, x.reshape(4, 32)[:, ::-1].ravel())


def test_shared_memory_is_per_block():
    @cuda.jit
    def blocks(out):
        flag = cuda.shared.array(1, dtype=np.int64)
        if cuda.threadIdx.x == 0:
            flag[0] = cuda.blockIdx.x
        cuda.syncthreads()
        out[cuda.grid(1)] = flag[0]

    out = np.zeros(64, np.int64)
    launch(blocks, 8, 8, out)
    np.testing.assert_array_equal(out, np.repeat(np.arange(8), 8))


@pytest.mark.parametrize("kind", ["count", "and", "or"])
def test_syncthreads_reductions(kind):
    @cuda.jit
    def vote(x, out):
        i = cuda.grid(1)
        p = x[i] > 0.5
        out[i, 0] = cuda.syncthreads_count(p)
        out[i, 1] = cuda.syncthreads_and(p)
        out[i, 2] = cuda.syncthreads_or(p)

    x = RNG.random(96)
    if kind == "and":
        x[:32] = 1.0  # the first block: all true
    if kind == "or":
        x[32:64] = 0.0  # the second block: all false
    out = np.zeros((96, 3), np.int64)
    launch(vote, 3, 32, x, out)
    blocks = (x > 0.5).reshape(3, 32)
    np.testing.assert_array_equal(out[:, 0], np.repeat(blocks.sum(axis=1), 32))
    np.testing.assert_array_equal(out[:, 1], np.repeat(blocks.all(axis=1), 32))
    np.testing.assert_array_equal(out[:, 2], np.repeat(blocks.any(axis=1), 32))


def test_local_arrays_are_per_thread():
    @cuda.jit
    def digits(values, out):
        i = cuda.grid(1)
        d = cuda.local.array(4, dtype=np.int64)
        v = values[i]
        for k in range(4):
            d[k] = v % 10
            v //= 10
        s = 0
        for k in range(4):
            s = s * 10 + d[k]
        out[i] = s

    values = RNG.integers(0, 10_000, 64)
    out = np.zeros_like(values)
    launch(digits, 2, 32, values, out)
    expected = [int(f"{v:04d}"[::-1]) for v in values]
    np.testing.assert_array_equal(out, expected)


STENCIL = np.array([0.0625, 0.25, 0.375, 0.25, 0.0625], dtype=np.float32)
POWERS = np.array([[1, 2, 4, 8], [1, 3, 9, 27]], dtype=np.int64)


def test_const_array_like_freezes_a_global_array_into_the_kernel():
    @cuda.jit
    def blur(x, out):
        w = cuda.const.array_like(STENCIL)
        i = cuda.grid(1)
        if i < out.size:
            s = np.float32(0.0)
            for k in range(w.size):  # w's index is not a constant: the weights stay in memory
                j = min(max(i + k - 2, 0), x.size - 1)
                s += w[k] * x[j]
            out[i] = s

    x = RNG.random(200).astype(np.float32)
    out = np.zeros_like(x)
    launch(blur, 4, 64, x, out)
    padded = np.concatenate([[x[0]] * 2, x, [x[-1]] * 2])
    expected = np.array([np.float32(sum(STENCIL[k] * padded[i + k] for k in range(5))) for i in range(200)])
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_kernels_read_global_arrays_directly():
    @cuda.jit
    def power(which, out):
        i = cuda.grid(1)
        if i < out.shape[0]:
            out[i] = POWERS[which[i], i % 4]

    which = RNG.integers(0, 2, 64)
    out = np.zeros(64, np.int64)
    launch(power, 2, 32, which, out)
    np.testing.assert_array_equal(out, POWERS[which, np.arange(64) % 4])
    # Indexed at run time, the elements stay in the module, as a global of its PTX.
    assert ".global .align 64 .b8 numlir_array_" in power.inspect_ptx(cc=(8, 0))


# ---- atomics ------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64])
def test_histogram_with_atomic_add(dtype):
    @cuda.jit
    def histogram(values, bins):
        i = cuda.grid(1)
        if i < values.size:
            cuda.atomic.add(bins, values[i], 1)

    values = RNG.integers(0, 16, 5000)
    bins = np.zeros(16, dtype)
    launch(histogram, 20, 256, values, bins)
    np.testing.assert_array_equal(bins, np.bincount(values, minlength=16).astype(dtype))


def test_shared_histogram_then_global_atomics():
    @cuda.jit
    def histogram(values, bins):
        local = cuda.shared.array(16, dtype=np.int32)
        t = cuda.threadIdx.x
        if t < 16:
            local[t] = 0
        cuda.syncthreads()
        i = cuda.grid(1)
        if i < values.size:
            cuda.atomic.add(local, values[i], 1)
        cuda.syncthreads()
        if t < 16:
            cuda.atomic.add(bins, t, local[t])

    values = RNG.integers(0, 16, 3000)
    bins = np.zeros(16, np.int32)
    launch(histogram, 12, 256, values, bins)
    np.testing.assert_array_equal(bins, np.bincount(values, minlength=16))


def test_atomics_on_2d_arrays_with_tuple_indices():
    @cuda.jit
    def scatter(rows, cols, grid):
        i = cuda.grid(1)
        if i < rows.size:
            cuda.atomic.add(grid, (rows[i], cols[i]), 1.5)

    rows, cols = RNG.integers(0, 4, 500), RNG.integers(0, 5, 500)
    grid = np.zeros((4, 5))
    launch(scatter, 4, 128, rows, cols, grid)
    expected = np.zeros((4, 5))
    np.add.at(expected, (rows, cols), 1.5)
    np.testing.assert_array_equal(grid, expected)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint32, np.float32, np.float64])
def test_atomic_max_min_sub_and_old_values(dtype):
    @cuda.jit
    def extremes(x, out, olds):
        i = cuda.grid(1)
        if i < x.size:
            olds[i] = cuda.atomic.max(out, 0, x[i])
            cuda.atomic.min(out, 1, x[i])
            cuda.atomic.sub(out, 2, x[i])

    x = (RNG.random(300) * 1000).astype(dtype)
    out = np.array([0, 1000, 100000], dtype)
    olds = np.zeros_like(x)
    launch(extremes, 3, 128, x, out, olds)
    assert out[0] == x.max() and out[1] == x.min()
    if x.dtype.kind == "f":
        np.testing.assert_allclose(out[2], 100000 - x.sum(dtype=np.float64), rtol=1e-5)
    else:  # integers wrap, as NumPy's do
        assert out[2] == np.array(100000, dtype) - np.add.reduce(x, dtype=dtype)
    assert (olds <= out[0]).all()  # each old value is the maximum so far


def test_atomic_nanmax_nanmin_ignore_nan_and_max_propagates_it():
    @cuda.jit
    def extremes(x, out):
        i = cuda.grid(1)
        if i < x.size:
            cuda.atomic.nanmax(out, 0, x[i])
            cuda.atomic.nanmin(out, 1, x[i])
            cuda.atomic.max(out, 2, x[i])

    x = RNG.random(64)
    x[5] = np.nan
    out = np.array([-1.0, 2.0, -1.0])
    launch(extremes, 1, 64, x, out)
    assert out[0] == np.nanmax(x) and out[1] == np.nanmin(x)
    assert np.isnan(out[2])


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint64])
def test_atomic_bitwise_operations(dtype):
    @cuda.jit
    def bits(x, out):
        i = cuda.grid(1)
        if i < x.size:
            cuda.atomic.and_(out, 0, x[i])
            cuda.atomic.or_(out, 1, x[i])
            cuda.atomic.xor(out, 2, x[i])

    x = RNG.integers(0, 2 ** 30, 200).astype(dtype)
    out = np.array([np.iinfo(dtype).max if dtype == np.uint64 else -1, 0, 0], dtype)
    launch(bits, 2, 128, x, out)
    assert out[0] == np.bitwise_and.reduce(x)
    assert out[1] == np.bitwise_or.reduce(x)
    assert out[2] == np.bitwise_xor.reduce(x)


@pytest.mark.parametrize("dtype", [np.uint32, np.uint64])
def test_atomic_inc_and_dec_wrap_as_cuda_defines_them(dtype):
    @cuda.jit
    def counters(out, olds):
        i = cuda.grid(1)
        olds[i] = cuda.atomic.inc(out, 0, 9)
        cuda.atomic.dec(out, 1, 6)

    out = np.array([0, 3], dtype)
    olds = np.zeros(50, dtype)
    launch(counters, 2, 25, out, olds)
    inc, dec = 0, 3
    for _ in range(50):  # the same operation each time: the order does not matter
        inc = 0 if inc >= 9 else inc + 1
        dec = 6 if dec == 0 or dec > 6 else dec - 1
    assert out[0] == inc and out[1] == dec
    assert sorted(olds.tolist()) == sorted([k % 10 for k in range(50)])


def test_atomic_exch_and_compare_and_swap_elect_one_winner():
    @cuda.jit
    def elect(winner, seen, swapped):
        i = cuda.grid(1)
        old = cuda.atomic.cas(winner, 0, -1, i)
        if old == -1:
            cuda.atomic.add(swapped, 0, 1)
        seen[i] = cuda.atomic.exch(winner, 1, i)
        if cuda.atomic.compare_and_swap(swapped[1:], 0, i + 1) == 0:
            cuda.atomic.add(swapped, 2, 1)

    winner = np.array([-1, -1], np.int64)
    seen = np.zeros(64, np.int64)
    swapped = np.zeros(3, np.int64)
    launch(elect, 2, 32, winner, seen, swapped)
    assert 0 <= winner[0] < 64 and swapped[0] == 1 and swapped[2] == 1
    # exch hands each thread the previous value: together they are -1 and all ids but the last.
    assert sorted(seen.tolist() + [winner[1]]) == [-1] + list(range(64))


# ---- warp intrinsics ----------------------------------------------------------------------

def test_warp_shuffle_reduction():
    @cuda.jit
    def warp_sums(x, out):
        i = cuda.grid(1)
        v = x[i]
        offset = 16
        while offset > 0:
            v += cuda.shfl_down_sync(0xFFFFFFFF, v, offset)
            offset //= 2
        if cuda.laneid == 0:
            out[i // 32] = v

    x = RNG.random(256)
    out = np.zeros(8)
    launch(warp_sums, 2, 128, x, out)
    np.testing.assert_allclose(out, x.reshape(8, 32).sum(axis=1), rtol=1e-12)


def test_shuffle_up_scan_xor_butterfly_and_broadcast():
    @cuda.jit
    def shuffles(x, out):
        i = cuda.grid(1)
        lane = cuda.laneid
        v = x[i]
        scan = v
        d = 1
        while d < 32:
            up = cuda.shfl_up_sync(0xFFFFFFFF, scan, d)
            if lane >= d:
                scan += up
            d *= 2
        out[i, 0] = scan
        total = v
        for m in (16, 8, 4, 2, 1):
            total += cuda.shfl_xor_sync(0xFFFFFFFF, total, m)
        out[i, 1] = total
        out[i, 2] = cuda.shfl_sync(0xFFFFFFFF, v, 3)
        out[i, 3] = cuda.shfl_sync(0xFFFFFFFF, v, 1, 8)  # lane 1 of each group of 8

    x = RNG.integers(0, 100, 64)
    out = np.zeros((64, 4), np.int64)
    launch(shuffles, 1, 64, x, out)
    warps = x.reshape(2, 32)
    np.testing.assert_array_equal(out[:, 0], np.cumsum(warps, axis=1).ravel())
    np.testing.assert_array_equal(out[:, 1], np.repeat(warps.sum(axis=1), 32))
    np.testing.assert_array_equal(out[:, 2], np.repeat(warps[:, 3], 32))
    np.testing.assert_array_equal(out[:, 3], np.repeat(x.reshape(8, 8)[:, 1], 8))


def test_shuffles_of_each_type():
    @cuda.jit
    def rotate(x, out):
        i = cuda.grid(1)
        out[i] = cuda.shfl_sync(0xFFFFFFFF, x[i], (cuda.laneid + 1) % 32)

    for dtype in (np.int32, np.int64, np.float32, np.float64):
        rotate_d = cuda.jit(rotate.py_func)
        x = (RNG.random(32) * 100).astype(dtype)
        out = np.zeros_like(x)
        launch(rotate_d, 1, 32, x, out)
        np.testing.assert_array_equal(out, np.roll(x, -1))


def test_votes_and_masks():
    @cuda.jit
    def votes(x, out):
        i = cuda.grid(1)
        p = x[i] > 0
        out[i, 0] = cuda.ballot_sync(0xFFFFFFFF, p)
        out[i, 1] = cuda.all_sync(0xFFFFFFFF, p)
        out[i, 2] = cuda.any_sync(0xFFFFFFFF, p)
        out[i, 3] = cuda.activemask()
        out[i, 4] = cuda.lanemask_lt()
        cuda.syncwarp()
        if cuda.laneid < 16:
            cuda.syncwarp(0xFFFF)  # the lanes of the mask

    x = np.zeros(64, np.int64)
    x[[1, 4, 31]] = 1
    x[32:] = 1
    out = np.zeros((64, 5), np.int64)
    launch(votes, 1, 64, x, out)
    assert (out[:32, 0] == (1 << 1) | (1 << 4) | (1 << 31)).all()
    assert (out[32:, 0] == 2 ** 32 - 1).all()
    np.testing.assert_array_equal(out[:, 1], [0] * 32 + [1] * 32)
    assert (out[:, 2] == 1).all()
    assert (out[:, 3] == 2 ** 32 - 1).all()
    np.testing.assert_array_equal(out[:, 4], [(1 << (i % 32)) - 1 for i in range(64)])


def test_a_partial_warp_only_has_its_lanes():
    @cuda.jit
    def partial(out):
        i = cuda.grid(1)
        out[i, 0] = cuda.activemask()
        out[i, 1] = cuda.ballot_sync(cuda.activemask(), True)

    out = np.zeros((40, 2), np.int64)
    launch(partial, 1, 40, out)
    assert (out[32:, 0] == 0xFF).all() and (out[32:, 1] == 0xFF).all()
    assert (out[:32, 0] == 2 ** 32 - 1).all()


# ---- device functions, math, signatures ---------------------------------------------------

@cuda.jit(device=True)
def clamp(x, lo, hi):
    return min(max(x, lo), hi)


@cuda.jit(device=True)
def smooth(x):
    return clamp(x * x * (3.0 - 2.0 * x), 0.0, 1.0)


def test_device_functions_call_device_functions():
    @cuda.jit
    def apply(x, out):
        i = cuda.grid(1)
        if i < x.size:
            out[i] = smooth(x[i])

    x = np.linspace(-0.5, 1.5, 100)
    out = np.zeros_like(x)
    launch(apply, 1, 128, x, out)
    np.testing.assert_allclose(out, np.clip(x * x * (3.0 - 2.0 * x), 0.0, 1.0), rtol=1e-15)


@pytest.mark.parametrize("fastmath", [False, True])
def test_math_functions_in_kernels(fastmath):
    @cuda.jit(fastmath=fastmath)
    def wave(x, out):
        i = cuda.grid(1)
        if i < x.size:
            v = x[i]
            out[i] = math.sin(v) * math.exp(-v) + math.sqrt(v) + math.log1p(v) + math.atan2(v, 2.0) + math.pow(v, 1.5)

    x = RNG.random(200) * 4
    out = np.zeros_like(x)
    launch(wave, 2, 128, x, out)
    expected = np.sin(x) * np.exp(-x) + np.sqrt(x) + np.log1p(x) + np.arctan2(x, 2.0) + x ** 1.5
    np.testing.assert_allclose(out, expected, rtol=1e-12 if not fastmath else 1e-9)


def test_complex_numbers_in_kernels():
    @cuda.jit
    def rotate(z, angle, out):
        i = cuda.grid(1)
        if i < z.size:
            out[i] = z[i] * complex(math.cos(angle), math.sin(angle))

    z = RNG.random(50) + 1j * RNG.random(50)
    out = np.zeros_like(z)
    launch(rotate, 1, 64, z, 0.3, out)
    np.testing.assert_allclose(out, z * np.exp(0.3j), rtol=1e-14)


def test_cmath_functions_in_kernels():
    @cuda.jit
    def waves(z, out):
        i = cuda.grid(1)
        if i < z.size:
            w = z[i]
            out[i] = (cmath.exp(w) + cmath.sqrt(w) + cmath.log(w) + cmath.sin(w) + cmath.cos(w) + cmath.tan(w)
                      + cmath.tanh(w) + abs(w) + cmath.phase(w) + math.gamma(w.real) + math.erf(w.imag))

    z = RNG.random(60) + 1j * RNG.random(60)
    out = np.zeros_like(z)
    launch(waves, 1, 64, z, out)
    expected = (np.exp(z) + np.sqrt(z) + np.log(z) + np.sin(z) + np.cos(z) + np.tan(z) + np.tanh(z) + np.abs(z)
                + np.angle(z) + np.array([math.gamma(w.real) + math.erf(w.imag) for w in z]))
    np.testing.assert_allclose(out, expected, rtol=1e-13)


def test_frexp_ldexp_gcd_and_lcm_in_kernels():
    # The runtime's helpers for these get bodies in the GPU module (libdevice's ilogb and
    # ldexp, Euclid's loop).
    @cuda.jit
    def ints_and_exponents(x, a, b, out, exponents):
        i = cuda.grid(1)
        if i < x.size:
            m, e = math.frexp(x[i])
            exponents[i] = e
            out[i, 0] = m
            out[i, 1] = math.ldexp(m, e + 1)
            out[i, 2] = math.gcd(a[i], b[i])
            out[i, 3] = np.lcm(a[i], b[i])

    x = np.concatenate([RNG.normal(0, 1e3, 40), [0.0, -0.0, np.inf, -np.inf, 5e-324, -1e-310, 1.0, 0.5]])
    a, b = RNG.integers(-500, 500, x.size), RNG.integers(-500, 500, x.size)
    a[:3], b[:3] = 0, [0, 7, -9]
    out = np.zeros((x.size, 4))
    exponents = np.zeros(x.size, np.int64)
    launch(ints_and_exponents, 1, 64, x, a, b, out, exponents)
    expected = [math.frexp(v) for v in x]
    np.testing.assert_array_equal(out[:, 0], [m for m, _ in expected])
    np.testing.assert_array_equal(exponents, [e for _, e in expected])
    np.testing.assert_array_equal(out[:, 1], [math.ldexp(m, e + 1) for m, e in expected])
    np.testing.assert_array_equal(out[:, 2], [math.gcd(p, q) for p, q in zip(a, b)])
    np.testing.assert_array_equal(out[:, 3], np.lcm(a, b))


def test_number_conversions_and_integer_math_in_kernels():
    # int(float) takes the portable check (not x86's cvttsd2si), integer powers and abs
    # become functions and LLVM intrinsics that NVPTX has.
    @cuda.jit
    def convert(x, out, iout):
        i = cuda.grid(1)
        if i < x.size:
            v = x[i]
            k = int(v)
            iout[i, 0] = k
            iout[i, 1] = round(v)
            iout[i, 2] = math.floor(v)
            iout[i, 3] = math.ceil(v)
            iout[i, 4] = k // 3
            iout[i, 5] = k % 7
            iout[i, 6] = abs(k) ** 3
            iout[i, 7] = math.trunc(v)
            out[i, 0] = float(i) / 3
            out[i, 1] = v // 1.5
            out[i, 2] = v % 1.5
            out[i, 3] = math.isnan(v) + math.isinf(v) + math.isfinite(v)
            out[i, 4] = min(v, 0.5) + max(v, -0.5)
            out[i, 5] = math.copysign(1.0, v) + math.fabs(v)
            out[i, 6] = v ** 2 + 2.0 ** v + math.hypot(v, 1.0) + math.fmod(v, 0.7)

    x = RNG.normal(0, 5, 50)
    out, iout = np.zeros((50, 7)), np.zeros((50, 8), np.int64)
    launch(convert, 1, 64, x, out, iout)

    def reference(i, v):
        k = int(v)
        ints = [k, round(v), math.floor(v), math.ceil(v), k // 3, k % 7, abs(k) ** 3, math.trunc(v)]
        floats = [float(i) / 3, v // 1.5, v % 1.5, math.isnan(v) + math.isinf(v) + math.isfinite(v),
                  min(v, 0.5) + max(v, -0.5), math.copysign(1.0, v) + math.fabs(v),
                  v ** 2 + 2.0 ** v + math.hypot(v, 1.0) + math.fmod(v, 0.7)]
        return ints, floats

    for i, v in enumerate(x):
        ints, floats = reference(i, float(v))
        assert iout[i].tolist() == ints
        np.testing.assert_allclose(out[i], floats, rtol=1e-14)


LARGEST_U64 = np.uint64(2**64 - 1)  # a NumPy scalar global, compiled in with its type


@simulator_only
def test_print_in_a_kernel(capfd):
    @cuda.jit
    def show(x, flags):
        i = cuda.grid(1)
        if i < x.size:
            print("item", i, x[i], flags[i], "100%", np.uint8(200), LARGEST_U64, None)

    x = np.array([1.5, -2.25])
    flags = np.array([True, False])
    launch(show, 1, 2, x, flags)
    # The simulator prints as CPython does (numba's simulator runs Python's print).
    expected = "".join(f"item {i} {x[i]} {flags[i]} 100% 200 {2**64 - 1} None\n" for i in range(2))
    assert capfd.readouterr().out == expected
    # On a GPU: CUDA's vprintf, with numba-cuda's formats (%lld, %f) and the literals in
    # the format.
    ptx = show.inspect_ptx(cc=(8, 0))
    assert "vprintf" in ptx
    text = "item %lld %f %s 100%% %llu %llu None\n".encode()
    assert ", ".join(str(c) for c in text) in ptx


def test_print_of_an_array_in_a_kernel_is_an_error():
    @cuda.jit
    def show(x):
        print(x)

    with pytest.raises(numlir.UnsupportedError, match="print\\(\\) in a kernel prints ints, floats, bools and string literals"):
        show[1, 1](np.zeros(2))


def test_explicit_signature_compiles_at_decoration():
    @cuda.jit("void(float32[:], float32)")
    def scale(x, s):
        i = cuda.grid(1)
        if i < x.size:
            x[i] *= s

    assert len(scale.signatures) == 1  # compiled before any launch
    x = np.arange(10, dtype=np.float32)
    launch(scale, 1, 16, x, np.float32(3))
    np.testing.assert_array_equal(x, np.arange(10, dtype=np.float32) * 3)


def test_forall_launches_enough_threads():
    @cuda.jit
    def fill(out):
        i = cuda.grid(1)
        if i < out.size:
            out[i] = i

    out = np.zeros(1000, np.int64)
    fill.forall(out.size)(out)
    np.testing.assert_array_equal(out, np.arange(1000))


# ---- ufuncs on the GPU -------------------------------------------------------------------

def test_vectorize_target_cuda_with_signatures():
    @numlir.vectorize(["float32(float32, float32)", "float64(float64, float64)"], target="cuda")
    def rel_diff(a, b):
        return abs(a - b) / max(abs(a), abs(b), 1e-30)

    a, b = RNG.random((30, 4)), RNG.random(4)
    np.testing.assert_allclose(rel_diff(a, b), np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-30), rtol=1e-15)
    got32 = rel_diff(a.astype(np.float32), b.astype(np.float32))
    assert got32.dtype == np.float32 and got32.shape == (30, 4)
    with pytest.raises(TypeError, match="no signature takes"):
        rel_diff(a.astype(np.complex128), b)
    assert_ptxas_accepts(rel_diff._kernel)


def test_vectorize_target_cuda_without_signatures_and_device_arrays():
    @numlir.vectorize(target="cuda")
    def poly(x, c):
        return c * x * x + 1

    x = np.arange(10, dtype=np.int64)
    np.testing.assert_array_equal(poly(x, 3), 3 * x * x + 1)
    d = poly(cuda.to_device(x.astype(np.float64)), 0.5)
    assert isinstance(d, cuda.DeviceNDArray)
    np.testing.assert_array_equal(d.copy_to_host(), 0.5 * x * x + 1)
    out = np.zeros(10)
    assert poly(x, 2.0, out=out) is out
    np.testing.assert_array_equal(out, 2.0 * x * x + 1)
    assert poly(2.0, 3.0) == 13.0


# ---- host side: device arrays, streams, events -------------------------------------------

def test_device_arrays_round_trip():
    @cuda.jit
    def double(x):
        i = cuda.grid(1)
        if i < x.size:
            x[i] *= 2

    host = np.arange(50, dtype=np.float64)
    d = cuda.to_device(host)
    assert d.shape == (50,) and d.dtype == np.float64 and d.size == 50 and len(d) == 50
    launch(double, 1, 64, d)
    np.testing.assert_array_equal(d.copy_to_host(), host * 2)
    np.testing.assert_array_equal(host, np.arange(50))  # the host copy is untouched
    target = np.zeros(50)
    d.copy_to_host(target)
    np.testing.assert_array_equal(target, host * 2)
    d.copy_to_device(host)
    np.testing.assert_array_equal(d.copy_to_host(), host)


def test_device_array_views_and_like():
    @cuda.jit
    def set_ones(x):
        i = cuda.grid(1)
        if i < x.size:
            x[i] = 1

    d = cuda.device_array(20, dtype=np.int32)
    d.copy_to_device(np.zeros(20, np.int32))
    launch(set_ones, 1, 32, d[5:10])  # a view of device memory
    expected = np.zeros(20, np.int32)
    expected[5:10] = 1
    np.testing.assert_array_equal(d.copy_to_host(), expected)
    like = cuda.device_array_like(np.zeros((3, 4), np.float32))
    assert like.shape == (3, 4) and like.dtype == np.float32
    pinned = cuda.pinned_array((2, 2), dtype=np.int64)
    assert pinned.shape == (2, 2)


def test_cuda_array_interface_in_and_out():
    @cuda.jit
    def negate(x):
        i = cuda.grid(1)
        if i < x.size:
            x[i] = -x[i]

    d = cuda.to_device(np.arange(8.0))
    interface = d.__cuda_array_interface__
    assert interface["shape"] == (8,) and interface["typestr"] == "<f8" and interface["version"] == 3

    class Foreign:  # what CuPy or PyTorch hand over: only the interface
        __cuda_array_interface__ = interface

    assert cuda.is_cuda_array(Foreign())
    launch(negate, 1, 8, Foreign())
    np.testing.assert_array_equal(d.copy_to_host(), -np.arange(8.0))
    view = cuda.as_cuda_array(Foreign())
    np.testing.assert_array_equal(view.copy_to_host(), -np.arange(8.0))


def test_streams_and_events():
    @cuda.jit
    def fill(x, v):
        i = cuda.grid(1)
        if i < x.size:
            x[i] = v

    stream = cuda.stream()
    start, end = cuda.event(), cuda.event()
    x = cuda.device_array(100, np.float64)
    start.record(stream)
    launch(fill, 1, 128, x, 7.0, stream=stream)
    end.record(stream)
    stream.synchronize()
    end.synchronize()
    cuda.synchronize()
    assert end.elapsed_time(start) <= 0 <= start.elapsed_time(end)
    np.testing.assert_array_equal(x.copy_to_host(), np.full(100, 7.0))
    assert cuda.default_stream() is cuda.default_stream()


@simulator_only
def test_device_queries():
    assert cuda.get_current_device().id == 0
    assert cuda.select_device(0).compute_capability == (9, 0)
    assert cuda.simulating()


# ---- errors -------------------------------------------------------------------------------

@simulator_only
def test_a_barrier_not_every_thread_reaches_is_reported_with_its_line():
    @cuda.jit
    def early_exit(x):
        i = cuda.grid(1)
        if i > 3:
            return
        cuda.syncthreads()  # ERR
        x[i] = 1

    line = early_exit.py_func.__code__.co_firstlineno + 5
    with pytest.raises(cuda.CudaSimulatorError, match=rf"cuda.syncthreads\(\) at .*test_cuda.py:{line}: a thread returned"):
        early_exit[1, 32](np.zeros(32))


@simulator_only
def test_threads_at_different_barriers_are_reported():
    @cuda.jit
    def split(x):
        if cuda.threadIdx.x < 16:
            cuda.syncthreads()
        else:
            cuda.syncthreads()
        x[cuda.threadIdx.x] = 1

    with pytest.raises(cuda.CudaSimulatorError, match="cannot meet at cuda.syncthreads"):
        split[1, 32](np.zeros(32))


@simulator_only
def test_a_shuffle_whose_lanes_diverge_is_reported():
    @cuda.jit
    def diverge(x):
        i = cuda.grid(1)
        if cuda.laneid < 8:
            x[i] = cuda.shfl_down_sync(0xFFFFFFFF, x[i], 1)

    with pytest.raises(cuda.CudaSimulatorError, match="shfl_down_sync"):
        diverge[1, 32](np.zeros(32))


@simulator_only
def test_out_of_bounds_index_raises_index_error_with_the_line():
    @cuda.jit
    def overrun(x):
        x[cuda.grid(1)] = 1.0

    line = overrun.py_func.__code__.co_firstlineno + 2
    with pytest.raises(IndexError, match=rf"index 32 is out of bounds for axis 0 with size 32 \(at .*test_cuda.py:{line}\)"):
        overrun[1, 64](np.zeros(32))


@simulator_only
def test_a_raise_in_a_kernel_names_its_line():
    @cuda.jit
    def check(x):
        i = cuda.grid(1)
        if x[i] < 0:
            raise ValueError("negative input")
        if x[i] > 10:
            raise KeyError

    line = check.py_func.__code__.co_firstlineno + 4
    with pytest.raises(ValueError, match=rf"^negative input \(at .*test_cuda.py:{line}\)$"):
        check[1, 4](np.array([1.0, -1.0, 2.0, 3.0]))
    with pytest.raises(KeyError, match=rf"at .*test_cuda.py:{line + 2}"):
        check[1, 4](np.array([1.0, 11.0, 2.0, 3.0]))
    assert_ptxas_accepts(check)  # a device raises nothing: the thread returns


def test_a_kernel_returning_a_value_is_a_typing_error():
    @cuda.jit
    def returns(x):
        return x[0]

    with pytest.raises(numlir.TypingError, match="a kernel returns nothing"):
        returns[1, 1](np.zeros(2))


@pytest.mark.parametrize("source, message", [
    ("n = x.size\n    cuda.grid(n)", r"cuda.grid\(\) takes the number of dimensions"),
    ("a = cuda.shared.array(x.size, dtype=np.float32)", r"shape is an int or a tuple of ints written as constants"),
    ("a = cuda.shared.array(4)", "takes a dtype"),
    ("cuda.atomic.add(x, 0.5, 1)", "index names one element"),
    ("cuda.atomic.and_(x, 0, 1)", "works on arrays of int32"),
    ("cuda.atomic.add(b, 0, 1)", "works on arrays of float32"),
    ("cuda.shfl_sync(0xFFFFFFFF, x, 0)", "shuffles an int, float or bool"),
    ("cuda.syncthreads(1)", "takes 0 arguments"),
    ("cuda.const.array_like(x)", "takes a global NumPy array, whose elements are compiled into the kernel, not an array"),
    ("cuda.const.array_like(1.5)", "takes a global NumPy array, whose elements are compiled into the kernel, not float"),
    ("STENCIL[0] = 1.0", "cannot assign to an element of a global array"),
])
def test_typing_errors_name_the_kernel_line(source, message):
    namespace = {"cuda": cuda, "np": np, "STENCIL": STENCIL}
    exec(f"def bad(x, b):\n    {source}\n", namespace)
    kernel = cuda.jit(namespace["bad"])
    with pytest.raises(numlir.TypingError, match=message):
        kernel[1, 1](np.zeros(4), np.zeros(4, np.bool_))


@pytest.mark.parametrize("config, error", [
    ((1,), ValueError),
    ((0, 32), ValueError),
    ((1, 2048), ValueError),
    ((1, (32, 32, 2)), ValueError),
    ((1, 32, 0, -1), ValueError),
    ((1, 32, "stream"), TypeError),
])
def test_bad_launch_configurations(config, error):
    @cuda.jit
    def k(x):
        pass

    with pytest.raises(error):
        k[config]


def test_calling_a_kernel_without_a_launch_configuration():
    @cuda.jit
    def k(x):
        pass

    with pytest.raises(TypeError, match=r"k\[blocks, threads_per_block\]"):
        k(np.zeros(1))


def test_intrinsics_outside_kernels_raise():
    with pytest.raises(RuntimeError, match="inside a @cuda.jit kernel"):
        cuda.syncthreads()


def test_without_a_gpu_is_available_is_false_and_a_launch_says_why():
    if cuda.is_available():
        pytest.skip("a GPU is here")
    assert not cuda.is_available()
    numlir.config.CUDA_SIMULATOR = False

    @cuda.jit
    def k(x):
        pass

    with pytest.raises(cuda.CudaSupportError, match="cannot launch a kernel on a GPU"):
        k[1, 1](np.zeros(1))
    assert cuda.detect() is False


def test_inspection_by_signature_as_numba_cuda_names_it():
    @cuda.jit
    def inc(a):
        i = cuda.grid(1)
        if i < a.size:
            a[i] += 1

    launch(inc, 1, 4, np.zeros(4))
    launch(inc, 1, 4, np.zeros(4, np.int32))
    every = inc.inspect_asm()  # {signature: PTX} of every compiled signature
    assert len(every) == 2 and all(".visible .entry inc(" in ptx for ptx in every.values())
    llvm_ir = inc.inspect_llvm()
    assert set(llvm_ir) == set(every) and all("void @inc(" in text for text in llvm_ir.values())
    # A signature as @cuda.jit takes it, or as a tuple of types.
    by_string = inc.inspect_asm("void(int32[::1])")
    assert by_string == inc.inspect_ptx(inc.signatures[1]) and "ld.global.b32" in by_string
    assert "py.getitem" in inc.inspect_types("(float64[::1])")


def test_numlir_opt_emits_the_kernel_stages(tmp_path):
    source = tmp_path / "kernels.py"
    source.write_text("from numlir import cuda\n\n@cuda.jit\ndef inc(a):\n    i = cuda.grid(1)\n    if i < a.size:\n        a[i] += 1\n")
    import sys
    opt = [sys.executable, "-c", "from numlir._opt import main; main()"]
    for stage, marker in [("gpu", "gpu.func @inc"), ("nvvm", "nvvm.kernel"), ("llvm-ir", "void @inc("),
                          ("ptx", ".visible .entry inc(")]:
        run = subprocess.run(opt + [f"{source}::inc", "--signature", "int64[:]", "--target", "cuda", "--emit", stage],
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert marker in run.stdout
    run = subprocess.run(opt + [f"{source}::inc", "--signature", "int64[:]", "--emit", "ptx"], capture_output=True, text=True)
    assert run.returncode == 1 and "a stage of --target cuda" in run.stderr


# ---- on a GPU -----------------------------------------------------------------------------

gpu = pytest.mark.skipif(not cuda.is_available(), reason="needs an NVIDIA GPU and its driver")


@gpu
def test_saxpy_on_the_device():
    numlir.config.CUDA_SIMULATOR = False

    @cuda.jit
    def saxpy(a, x, y, out):
        i = cuda.grid(1)
        if i < out.size:
            out[i] = a * x[i] + y[i]

    x, y = RNG.random(10_000).astype(np.float32), RNG.random(10_000).astype(np.float32)
    out = np.zeros_like(x)
    saxpy[40, 256](np.float32(2), x, y, out)
    np.testing.assert_allclose(out, 2 * x + y, rtol=1e-6)


# ---- the device path, against a stand-in driver ------------------------------------------
# Without a GPU, the host side of a device launch still runs: device arrays in "device
# memory" (host memory here), copies, views, and the kernel parameters. The stand-in driver
# checks the parameters against the entry point's .param list in the PTX, decodes them back
# into arrays, and runs the kernel in the simulator on that memory.

class FakeDriver:
    def __init__(self, monkeypatch):
        import ctypes
        self.ctypes = ctypes
        self.buffers = []
        self.kernels = {}
        self.launches = 0
        from numlir.cuda import driver, devicearray, kernels
        monkeypatch.setattr(driver, "_driver_reason", lambda: None)
        monkeypatch.setattr(driver, "_current", None)
        fake = self

        class Buffer:  # device memory: a host allocation the test keeps
            def __init__(self, nbytes):
                self.memory = ctypes.create_string_buffer(nbytes)
                self.pointer = ctypes.addressof(self.memory)
                self.bytes = nbytes

        for module in (driver, devicearray, kernels):
            core = type("Core", (), {})()
            core.DeviceBuffer = Buffer
            core._cuda_copy = lambda kind, dst, src, n, stream: ctypes.memmove(dst, src, n)
            core._cuda_device_info = lambda: ("stand-in", (9, 0))
            core._cuda_select_device = lambda i: None
            core._cuda_device_count = lambda: 1
            core._cuda_create = lambda what: 1
            core._cuda_call = lambda what, handle, other=0: 0.0
            core._cuda_synchronize = lambda: None
            core._cuda_kernel_function = fake.kernel_function
            core._cuda_launch = fake.launch
            monkeypatch.setattr(module, "_core", core)

    def kernel_function(self, ptx, name):
        assert f".visible .entry {name}(" in ptx
        self.kernels[len(self.kernels) + 1] = (ptx, name)
        return len(self.kernels)

    @staticmethod
    def entry_params(ptx, name):
        """The byte sizes of the entry point's parameters, as the PTX declares them."""
        import re
        body = ptx.split(f".visible .entry {name}(", 1)[1].split(")", 1)[0]
        sizes = []
        for declaration in re.findall(r"\.param[^,\n]*", body):
            array = re.search(r"\.b8\s+\S+\[(\d+)\]", declaration)
            sizes.append(int(array.group(1)) if array else int(re.search(r"\.[bsuf](\d+)", declaration).group(1)) // 8)
        return sizes

    def launch(self, function, grid, block, shared, stream, params):
        ptx, name = self.kernels[function]
        sizes = self.entry_params(ptx, name)
        assert len(params) == len(sizes), f"{len(params)} parameters for the {len(sizes)} the PTX declares"
        assert all(len(p) >= s for p, s in zip(params, sizes))
        kernel, names = self.current
        arguments, at = [], 0
        for type_name in names:
            t = numlir.types.from_name(type_name)
            if isinstance(t, numlir.types.Array):
                words = [int.from_bytes(p, "little", signed=True) for p in params[at:at + 3 + 2 * t.ndim]]
                at += 3 + 2 * t.ndim
                dtype = np.dtype(t.dtype.name)
                shape, strides = words[3:3 + t.ndim], [s * dtype.itemsize for s in words[3 + t.ndim:]]
                span = max(sum((n - 1) * s for n, s in zip(shape, strides)) + dtype.itemsize, dtype.itemsize)
                memory = (self.ctypes.c_char * span).from_address(words[1] + words[2] * dtype.itemsize)
                flat = np.frombuffer(memory, np.uint8)
                arguments.append(np.lib.stride_tricks.as_strided(flat.view(dtype), shape, strides))
            else:
                arguments.append(np.frombuffer(params[at][: np.dtype(t.name if t.name != "boolean" else "bool").itemsize],
                                               t.name if t.name != "boolean" else "bool")[0])
                at += 1
        self.launches += 1
        kernel._dispatcher._launch_simulated(tuple(grid), tuple(block), shared, tuple(arguments))


@pytest.fixture
def fake_device(monkeypatch):
    numlir.config.CUDA_SIMULATOR = False
    driver = FakeDriver(monkeypatch)
    from numlir.cuda import kernels
    original = kernels.Kernel._device_function

    def remember(self, names):
        driver.current = (self, names)
        return original(self, names)

    monkeypatch.setattr(kernels.Kernel, "_device_function", remember)
    return driver


@simulator_only
def test_device_launch_parameters_match_the_ptx(fake_device):
    @cuda.jit
    def axpy(a, x, y, flags, z):
        i = cuda.grid(1)
        if i < y.shape[0]:
            for j in range(y.shape[1]):
                y[i, j] += a * x[i, j]
            if flags:
                z[i] += 1j * a

    x = RNG.random((40, 3)).astype(np.float32)
    y = cuda.to_device(np.ones((40, 3), np.float32))
    assert y.on_device and y.is_c_contiguous()
    z = np.zeros(40, np.complex128)  # a NumPy array: copied in and back out
    axpy[1, 64](np.float32(2), cuda.to_device(np.asfortranarray(x)), y, True, z)
    assert fake_device.launches == 1
    np.testing.assert_allclose(y.copy_to_host(), 1 + 2 * x, rtol=1e-6)
    np.testing.assert_array_equal(z, np.full(40, 2j))
    assert [str(t) for t in axpy.signatures[0]] == ["float32", "float32[::1, :]", "float32[:, ::1]", "boolean", "complex128[::1]"]


@simulator_only
def test_device_arrays_in_device_memory(fake_device):
    host = np.arange(24, dtype=np.int64).reshape(4, 6)
    d = cuda.to_device(host)
    assert d.on_device and d.shape == (4, 6) and d.strides == (48, 8)
    np.testing.assert_array_equal(d.copy_to_host(), host)
    view = d[1:3, ::2]  # a strided view of device memory
    assert view.shape == (2, 3) and not view.is_c_contiguous()
    np.testing.assert_array_equal(view.copy_to_host(), host[1:3, ::2])
    assert d[2, 5] == host[2, 5] and d[-1, 0] == host[-1, 0]
    d[0, 0] = 100
    d[3] = np.arange(6) * -1
    expected = host.copy()
    expected[0, 0] = 100
    expected[3] = np.arange(6) * -1
    np.testing.assert_array_equal(d.copy_to_host(), expected)
    np.testing.assert_array_equal(d.T.copy_to_host(), expected.T)
    np.testing.assert_array_equal(d.reshape(6, 4).copy_to_host(), expected.reshape(6, 4))
    e = cuda.device_array_like(d)
    e.copy_to_device(d)  # device to device
    np.testing.assert_array_equal(e.copy_to_host(), expected)
    interface = d.__cuda_array_interface__
    assert interface["data"][0] == d._pointer and interface["strides"] is None and interface["shape"] == (4, 6)
    f = cuda.to_device(np.asfortranarray(host))
    assert f.is_f_contiguous() and f.__cuda_array_interface__["strides"] == (8, 32)
    np.testing.assert_array_equal(f.copy_to_host(), host)


@simulator_only
def test_device_kernel_with_shared_memory_and_streams(fake_device):
    @cuda.jit
    def reverse_blocks(x, out):
        buf = cuda.shared.array(0, dtype=np.float64)
        t = cuda.threadIdx.x
        buf[t] = x[cuda.grid(1)]
        cuda.syncthreads()
        out[cuda.grid(1)] = buf[cuda.blockDim.x - 1 - t]

    stream = cuda.stream()
    x = cuda.to_device(np.arange(64.0), stream=stream)
    out = cuda.device_array(64, stream=stream)
    reverse_blocks[2, 32, stream, 32 * 8](x, out)
    stream.synchronize()
    np.testing.assert_array_equal(out.copy_to_host(), np.arange(64.0).reshape(2, 32)[:, ::-1].ravel())
