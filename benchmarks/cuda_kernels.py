"""The CUDA kernels the GPU benchmarks compile and run (cuda_compile.py, cuda_device.py),
written once for numlir.cuda and numba.cuda alike: `kernels(cuda)` gives the plain Python
functions, for either engine's module."""
import numpy as np


def kernels(cuda):
    """The kernels as plain functions over `cuda` (numlir.cuda or numba.cuda)."""
    def saxpy(a, x, y, out):
        i = cuda.grid(1)
        if i < out.size:
            out[i] = a * x[i] + y[i]

    def block_sum(x, partial):
        tile = cuda.shared.array(256, dtype=np.float32)
        t = cuda.threadIdx.x
        i = cuda.grid(1)
        tile[t] = x[i] if i < x.size else 0.0
        cuda.syncthreads()
        s = 128
        while s > 0:
            if t < s:
                tile[t] += tile[t + s]
            cuda.syncthreads()
            s //= 2
        if t == 0:
            partial[cuda.blockIdx.x] = tile[0]

    def matmul(a, b, c):
        sa = cuda.shared.array((16, 16), dtype=np.float32)
        sb = cuda.shared.array((16, 16), dtype=np.float32)
        x, y = cuda.grid(2)
        tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
        acc = np.float32(0.0)
        for k in range(0, a.shape[1], 16):
            sa[ty, tx] = a[y, k + tx]
            sb[ty, tx] = b[k + ty, x]
            cuda.syncthreads()
            for j in range(16):
                acc += sa[ty, j] * sb[j, tx]
            cuda.syncthreads()
        c[y, x] = acc

    def histogram(values, bins):
        i = cuda.grid(1)
        if i < values.size:
            cuda.atomic.add(bins, values[i], 1)

    def warp_sum(x, out):
        i = cuda.grid(1)
        v = x[i] if i < x.size else 0.0
        offset = 16
        while offset > 0:
            v += cuda.shfl_down_sync(0xFFFFFFFF, v, offset)
            offset //= 2
        if cuda.laneid == 0:
            cuda.atomic.add(out, 0, v)

    def empty(x):
        pass

    return {"saxpy": saxpy, "block_sum": block_sum, "matmul": matmul, "histogram": histogram, "warp_sum": warp_sum,
            "empty": empty}
