"""numlir-stream-stores: loops that write an array without reading it take non-temporal
stores; results must equal NumPy's at every alignment of the output, in nests, and where
the loop reads its own output.
"""
import os

import numpy as np
import pytest

import numlir
from array_checks import check, RNG


# numlir-stream-stores: a loop that writes an array without reading it gets a copy with
# non-temporal stores, taken when the loop nest stores at least NUMLIR_STREAM_MIN_BYTES
# (by default half the last-level cache; 1 here, so small arrays take it too). It first
# runs scalar iterations up to a 64-byte boundary of the output, which depends on where
# the output starts: views at every element offset, inside a zeroed buffer whose other
# elements must stay zero. Small-integer data keep every result exact in any dtype.
def scaled(a, out):
    for i in range(a.shape[0]):
        out[i] = a[i] * 3 + 1


def stencil_rows(u, out):
    n, m = u.shape
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            out[i, j] = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1])
    return out


def stencil_steps(u, out, steps):
    n, m = u.shape
    for k in range(steps):
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                out[i, j] = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1])
        u, out = out, u
    return u


def running_sum(a, out):
    out[0] = a[0]
    for i in range(1, a.shape[0]):
        out[i] = out[i - 1] + a[i]


def last_values(a, out):
    """Values of the last iteration are used after the loop: the streaming copy hands them
    on (and starts from where the aligning iterations stopped)."""
    v = 0.0
    k = -1
    for i in range(a.shape[0]):
        v = a[i] * 2.0 + k
        out[i] = v
        k = i
    return v, k


def prefix_sums(a, out):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
        out[i] = s
    return s


def _offset_views(dtype, n, offset):
    """The same output view (`n` elements from `offset`) in two zeroed buffers."""
    bufs = [np.zeros(n + 40, dtype=dtype) for _ in range(2)]
    return bufs, [b[offset:offset + n] for b in bufs]


@pytest.mark.parametrize("stream_min_bytes", ["1", None], ids=["streamed", "plain"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32, np.int16])
@pytest.mark.parametrize("n", [0, 1, 127, 128, 129, 300, 1037])
def test_streaming_stores_at_every_offset(stream_min_bytes, dtype, n, monkeypatch):
    if stream_min_bytes:
        monkeypatch.setenv("NUMLIR_STREAM_MIN_BYTES", stream_min_bytes)
    compiled = numlir.njit(scaled, cache=False)
    a = RNG.integers(-50, 50, n + 16).astype(dtype)
    for offset in range(17):
        (py_buf, jit_buf), (py_out, jit_out) = _offset_views(dtype, n, offset)
        source = a[offset % 3:offset % 3 + n]
        scaled(source, py_out)
        compiled(source, jit_out)
        np.testing.assert_array_equal(jit_buf, py_buf)


@pytest.mark.parametrize("stream_min_bytes", ["1", None], ids=["streamed", "plain"])
@pytest.mark.parametrize("shape", [(3, 3), (5, 130), (4, 257), (9, 1000), (2, 2000)])
def test_streaming_stores_in_a_nest(stream_min_bytes, shape, monkeypatch):
    """Rows of 257 elements start at a different offset from a 64-byte boundary each."""
    if stream_min_bytes:
        monkeypatch.setenv("NUMLIR_STREAM_MIN_BYTES", stream_min_bytes)
    u = RNG.integers(-8, 9, shape).astype(np.float64)
    check(stencil_rows, u, np.zeros(shape), cache=False)
    check(stencil_rows, u.astype(np.float32), np.ones(shape, np.float32), cache=False)
    check(stencil_steps, u, u.copy(), 3, cache=False)


@pytest.mark.parametrize("n", [0, 5, 200, 1037])
def test_streaming_stores_hand_on_last_values(n, monkeypatch):
    monkeypatch.setenv("NUMLIR_STREAM_MIN_BYTES", "1")
    compiled = numlir.njit(last_values, cache=False)
    a = RNG.integers(-8, 9, n + 8).astype(np.float64)
    for offset in range(9):
        (py_buf, jit_buf), (py_out, jit_out) = _offset_views(np.float64, n, offset)
        assert compiled(a[:n], jit_out) == last_values(a[:n], py_out)
        np.testing.assert_array_equal(jit_buf, py_buf)


@pytest.mark.parametrize("shape", [(4, 300), (3, 1037)])
def test_streaming_stores_into_the_array_read(shape, monkeypatch):
    """Output and input the same array (or overlapping views) as two arguments: the vector
    loop's overlap check sends it to the scalar loop, in order, as CPython runs it."""
    monkeypatch.setenv("NUMLIR_STREAM_MIN_BYTES", "1")
    compiled = numlir.njit(stencil_rows, cache=False)
    u = RNG.integers(-8, 9, shape).astype(np.float64)
    py_u, jit_u = u.copy(), u.copy()
    stencil_rows(py_u, py_u)
    compiled(jit_u, jit_u)
    np.testing.assert_array_equal(jit_u, py_u)
    flat = RNG.integers(-8, 9, 600).astype(np.float64)  # (3^200 stays finite)
    py_flat, jit_flat = flat.copy(), flat.copy()
    scaled(py_flat[:-3], py_flat[3:])
    numlir.njit(scaled, cache=False)(jit_flat[:-3], jit_flat[3:])
    np.testing.assert_array_equal(jit_flat, py_flat)


def test_streaming_stores_leave_loops_that_read_their_output(monkeypatch):
    """Also loops that carry a sum from one iteration to the next (they do not vectorize)."""
    monkeypatch.setenv("NUMLIR_STREAM_MIN_BYTES", "1")
    a = RNG.integers(-8, 9, 2000).astype(np.float64)
    check(running_sum, a, np.zeros(2000), cache=False)
    check(prefix_sums, a, np.zeros(2000), cache=False)


@pytest.mark.skipif(os.uname().machine != "x86_64", reason="x86's non-temporal stores")
def test_streaming_stores_are_non_temporal_in_the_machine_code():
    compiled = numlir.njit(scaled)
    compiled(np.zeros(4), np.zeros(4))
    assert "movntpd" in compiled.inspect_ir("asm")
    assert "sfence" in compiled.inspect_ir("asm")


def test_streaming_stores_from_threads(monkeypatch):
    """Each thread fills its own array with non-temporal stores; the sfence before the
    function returns makes them visible to the thread that reads them next."""
    import threading
    monkeypatch.setenv("NUMLIR_STREAM_MIN_BYTES", "1")
    compiled = numlir.njit(scaled, cache=False, nogil=True)
    a = RNG.integers(-50, 50, 100_003).astype(np.float64)
    outs = [np.zeros(a.size - k) for k in range(8)]
    threads = [threading.Thread(target=compiled, args=(a[k:], out)) for k, out in enumerate(outs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k, out in enumerate(outs):
        expected = np.zeros(a.size - k)
        scaled(a[k:], expected)
        np.testing.assert_array_equal(out, expected)
