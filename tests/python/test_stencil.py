"""numlir.stencil (numba's @stencil): each kernel's compiled result is compared with the
same kernel run by CPython at every interior element (its relative indices read through a
shifted view), with cval at the border, as numba defines it."""
import math

import numpy as np
import pytest

import numlir
from array_checks import layouts


class Shifted:
    """An array read at offsets from one element: what a kernel's relative index means."""

    def __init__(self, array, at):
        self.array, self.at = array, at

    def __getitem__(self, offsets):
        offsets = offsets if isinstance(offsets, tuple) else (offsets,)
        return self.array[tuple(i + o for i, o in zip(self.at, offsets))]


def reference(kernel, neighborhood, args, relative, cval=0, out=None):
    """The stencil by CPython: ``kernel`` (the plain function) at every element whose
    neighbourhood lies inside the arrays."""
    first = args[relative[0]]
    interior = [range(-lo, n - hi) for (lo, hi), n in zip(neighborhood, first.shape)]
    values = {}
    for at in np.ndindex(*[len(r) for r in interior]):
        at = tuple(r[k] for r, k in zip(interior, at))
        values[at] = kernel(*[Shifted(a, at) if k in relative else a for k, a in enumerate(args)])
    if out is None:
        sample = next(iter(values.values()), 0)
        out = np.full(first.shape, cval, dtype=np.asarray(sample).dtype)
    for at, v in values.items():
        out[at] = v
    return out


def cross(a):
    return 0.25 * (a[0, 1] + a[1, 0] + a[0, -1] + a[-1, 0])


def trailing_mean(a):
    total = 0.0
    for i in range(-3, 1):
        total += a[i]
    return total / 4


def weighted(a, b, w):
    return a[0, 1] * w - b[1, -1]


def asymmetric(a):
    return a[2] - a[1] * 3


def integer_sum(a):
    return a[-1, -1] + a[1, 1] + a[0, 0]


def with_weights(a, weights):
    return weights[0] * a[-1] + weights[1] * a[0] + weights[2] * a[1]


def smooth3d(a):
    return (a[-1, 0, 0] + a[1, 0, 0] + a[0, -1, 0] + a[0, 1, 0] + a[0, 0, -1] + a[0, 0, 1]) / 6


CROSS = numlir.stencil(cross)
TRAILING = numlir.stencil(neighborhood=((-3, 0),))(trailing_mean)
WEIGHTED = numlir.stencil(cval=-1.0)(weighted)
ASYMMETRIC = numlir.stencil(asymmetric)
INTEGER = numlir.stencil(integer_sum)
WITH_WEIGHTS = numlir.stencil(standard_indexing=("weights",))(with_weights)
SMOOTH3D = numlir.stencil(smooth3d)


def test_neighborhoods_are_inferred_or_given():
    assert CROSS.neighborhood == ((-1, 1), (-1, 1))
    assert TRAILING.neighborhood == ((-3, 0),)
    assert ASYMMETRIC.neighborhood == ((0, 2),)        # the element itself included
    assert SMOOTH3D.neighborhood == ((-1, 1),) * 3


@pytest.mark.parametrize("shape", [(6, 7), (3, 3), (2, 5), (1, 1), (0, 4)], ids=str)
def test_two_dimensional_kernels(shape):
    a = np.arange(math.prod(shape), dtype=np.float64).reshape(shape) ** 1.5
    np.testing.assert_array_equal(CROSS(a), reference(cross, CROSS.neighborhood, [a], [0]))
    got = WEIGHTED(a, a * 0.5, 2.0)
    np.testing.assert_array_equal(got, reference(weighted, WEIGHTED.neighborhood, [a, a * 0.5, 2.0], [0, 1], cval=-1.0))
    ints = np.arange(math.prod(shape)).reshape(shape)
    got = INTEGER(ints)
    want = reference(integer_sum, INTEGER.neighborhood, [ints], [0])
    assert got.dtype == np.int64                       # the kernel's result type
    np.testing.assert_array_equal(got, want)


def test_one_dimensional_kernels():
    x = np.cos(np.arange(20.0))
    np.testing.assert_allclose(TRAILING(x), reference(trailing_mean, TRAILING.neighborhood, [x], [0]), rtol=1e-15)
    np.testing.assert_array_equal(ASYMMETRIC(x), reference(asymmetric, ASYMMETRIC.neighborhood, [x], [0]))
    w = np.array([0.25, 0.5, 0.25])
    np.testing.assert_allclose(WITH_WEIGHTS(x, w), reference(with_weights, ((-1, 1),), [x, w], [0]), rtol=1e-15)
    short = np.arange(2.0)                             # no interior: all border
    np.testing.assert_array_equal(TRAILING(short), np.zeros(2))


def test_three_dimensional_kernel_and_layouts():
    a = np.sin(np.arange(60.0)).reshape(3, 4, 5)
    np.testing.assert_allclose(SMOOTH3D(a), reference(smooth3d, SMOOTH3D.neighborhood, [a], [0]), rtol=1e-15)
    m = np.arange(42.0).reshape(6, 7) ** 0.5
    for name, x in layouts(m):
        np.testing.assert_array_equal(CROSS(x), reference(cross, CROSS.neighborhood, [m], [0]), err_msg=name)


def test_out_keeps_its_border():
    a = np.arange(30.0).reshape(5, 6)
    out = np.full((5, 6), 9.0)
    got = CROSS(a, out=out)
    assert got is out or np.shares_memory(got, out)
    np.testing.assert_array_equal(out, reference(cross, CROSS.neighborhood, [a], [0], out=np.full((5, 6), 9.0)))


def uses_stencils(a, b):
    return CROSS(a) + WEIGHTED(a, b, 3.0)


def uses_out(a, out):
    CROSS(a, out=out)
    return out.sum()


@pytest.mark.parametrize("parallel", [False, True])
def test_stencils_called_from_compiled_code(parallel):
    a = np.arange(20_000.0).reshape(100, 200) ** 0.5
    b = np.cos(a)
    f = numlir.njit(parallel=parallel)(uses_stencils)
    want = reference(cross, CROSS.neighborhood, [a], [0]) + \
        reference(weighted, WEIGHTED.neighborhood, [a, b, 3.0], [0, 1], cval=-1.0)
    np.testing.assert_allclose(f(a, b), want, rtol=1e-15)
    out = np.full(a.shape, 2.0)
    expected = reference(cross, CROSS.neighborhood, [a], [0], out=np.full(a.shape, 2.0)).sum()
    assert numlir.njit(parallel=parallel)(uses_out)(a, out) == pytest.approx(expected, rel=1e-12)


def test_stencil_errors():
    def needs_neighborhood(a):
        s = 0.0
        for i in range(-2, 1):
            s += a[i]
        return s
    with pytest.raises(ValueError, match="neighborhood"):
        numlir.stencil(needs_neighborhood)
    with pytest.raises(ValueError, match="one per dimension"):
        numlir.stencil(lambda_free_mixed)
    with pytest.raises(ValueError, match="only 'constant'"):
        numlir.stencil(func_or_mode="wrap")(cross)
    with pytest.raises(ValueError, match="one shape"):
        WEIGHTED(np.ones((3, 3)), np.ones((4, 4)), 1.0)
    with pytest.raises(ValueError, match="standard_indexing"):
        numlir.stencil(standard_indexing=("nope",))(cross)


def lambda_free_mixed(a):
    return a[0, 1] + a[1]
