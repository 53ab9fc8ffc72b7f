"""Joining and shaping: np.reshape, transpose, ravel, expand_dims, flip, fliplr, flipud,
roll, repeat, tile, triu, tril, diag, diagonal, concatenate, stack, vstack, hstack,
column_stack, append, array, asarray, np.where(cond), and a.item(), a.tolist(), a.repeat(),
a.diagonal(): compiled results compared with NumPy's."""
import numpy as np
import pytest

import numlir
from array_checks import DTYPES, RNG, check, layouts, sample

MATS = layouts(RNG.standard_normal((4, 6)))
VECS = layouts(RNG.standard_normal(7))


@pytest.mark.parametrize("layout,a", MATS)
def test_views_of_2d(layout, a):
    check(lambda a: np.reshape(a.copy(), (6, 4)), a)
    check(lambda a: np.reshape(a.copy(), -1), a)
    check(lambda a: np.transpose(a), a)
    check(lambda a: np.transpose(a, (1, 0)), a)
    check(lambda a: np.transpose(a, (0, 1)), a)
    check(lambda a: np.ravel(a), a)
    check(lambda a: np.flip(a), a)
    check(lambda a: np.flip(a, 0), a)
    check(lambda a: np.flip(a, axis=-1), a)
    check(lambda a: np.fliplr(a), a)
    check(lambda a: np.flipud(a), a)
    check(lambda a: np.expand_dims(a, 0), a.copy())
    check(lambda a: np.expand_dims(a, 1), a.copy())
    check(lambda a: np.expand_dims(a, -1), a.copy())


def test_flip_is_a_view():
    def f(a):
        b = np.flip(a)
        b[0] = 100.0
        return a
    check(f, np.arange(5.0))


@pytest.mark.parametrize("layout,v", VECS)
def test_1d_shaping(layout, v):
    check(lambda v: np.flip(v), v)
    check(lambda v: np.expand_dims(v, 0), v.copy())
    check(lambda v: np.expand_dims(v, axis=1), v.copy())
    for shift in (-9, -1, 0, 2, 7, 15):
        check(lambda v: np.roll(v, shift), v)
    check(lambda v: np.repeat(v, 3), v)
    check(lambda v: np.repeat(v, 0), v)
    check(lambda v: np.repeat(v, np.arange(v.shape[0])), v)
    check(lambda v: np.tile(v, 3), v)
    check(lambda v: np.append(v, 2.5), v)
    check(lambda v: np.append(v, v[:3]), v)


@pytest.mark.parametrize("layout,a", MATS)
def test_2d_roll_tile_repeat(layout, a):
    for shift in (-3, 1, 5):
        check(lambda a: np.roll(a, shift), a)
        check(lambda a: np.roll(a, shift, axis=0), a)
        check(lambda a: np.roll(a, shift, axis=1), a)
    check(lambda a: np.tile(a, 2), a)
    check(lambda a: np.repeat(a, 2), a)
    check(lambda a: np.append(a, a), a)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("k", [-2, -1, 0, 1, 3, 10])
def test_triangles_and_diagonals(dtype, k):
    m = sample(dtype, (5, 4))
    check(lambda m: np.triu(m, k), m)
    check(lambda m: np.tril(m, k=k), m)
    check(lambda m: np.diag(m, k), m)
    check(lambda m: np.diagonal(m, k), m)
    check(lambda m: m.diagonal(k), m)
    check(lambda v: np.diag(v, k), sample(dtype, 4))


def test_triu_defaults():
    for _, m in MATS:
        check(lambda m: (np.triu(m), np.tril(m), np.diag(m)), m)


@pytest.mark.parametrize("dtype", [np.int32, np.float64, np.complex128, np.bool_])
def test_concatenate_stack(dtype):
    a, b, c = (sample(dtype, n).astype(dtype) for n in (3, 5, 0))
    check(lambda a, b, c: np.concatenate((a, b, c)), a, b, c)
    check(lambda a, b: np.concatenate([a, b]), a, b)
    check(lambda a, b: np.concatenate((a, b), axis=None), a, b)
    check(lambda a, b: np.hstack((a, b)), a, b)
    x, y = sample(dtype, 4).astype(dtype), sample(dtype, 4).astype(dtype)
    check(lambda x, y: np.stack((x, y)), x, y)
    check(lambda x, y: np.stack((x, y, x), axis=1), x, y)
    check(lambda x, y: np.stack((x, y), axis=-1), x, y)
    check(lambda x, y: np.vstack((x, y)), x, y)
    check(lambda x, y: np.column_stack((x, y)), x, y)


@pytest.mark.parametrize("layout,a", MATS)
def test_concatenate_2d(layout, a):
    b = RNG.standard_normal((2, 6))
    check(lambda a, b: np.concatenate((a, b)), a, b)
    check(lambda a, b: np.concatenate((a, b), axis=None), a, b)
    check(lambda a, b: np.vstack((a, b)), a, b)
    check(lambda a: np.concatenate((a, a), axis=1), a)
    check(lambda a: np.hstack((a, a)), a)
    check(lambda a: np.column_stack((a, a)), a)
    check(lambda a: np.concatenate((a, a), axis=-2), a)


def test_join_errors():
    f = numlir.njit(lambda a, b: np.concatenate((a, b), axis=1))
    with pytest.raises(ValueError, match="must match exactly"):
        f(np.ones((2, 3)), np.ones((3, 3)))
    g = numlir.njit(lambda a, b: np.stack((a, b)))
    with pytest.raises(ValueError, match="same shape"):
        g(np.ones(2), np.ones(3))
    h = numlir.njit(lambda a: np.concatenate((a, a), axis=2))
    with pytest.raises(np.exceptions.AxisError):
        h(np.ones((2, 2)))
    r = numlir.njit(lambda a: np.repeat(a, -1))
    with pytest.raises(ValueError):
        r(np.ones(2))


def test_array_and_asarray():
    check(lambda: np.array((1.0, 2.0, 3.0)))
    check(lambda: np.array((1, 2, 3)))
    check(lambda: np.array([1.5, 2.5]))
    check(lambda a: np.array(a), RNG.standard_normal(5))
    check(lambda a: np.asarray(a), RNG.standard_normal(5))
    check(lambda: np.asarray((1, 2)))

    def same_object(a):
        b = np.asarray(a)
        b[0] = 7.0
        return a
    check(same_object, np.zeros(3))


def test_item_tolist():
    check(lambda a: a.item(), np.array([2.5]))
    check(lambda a: a.item(), np.array([[3]], dtype=np.int32))
    check(lambda a: a.tolist() == [x for x in a], RNG.standard_normal(4))
    a = RNG.standard_normal((3, 2))
    assert numlir.njit(lambda a: a.tolist())(a) == a.tolist()
    assert numlir.njit(lambda a: a.tolist())(np.arange(4)) == [0, 1, 2, 3]
    with pytest.raises(ValueError, match="size 1"):
        numlir.njit(lambda a: a.item())(np.ones(2))


def test_where_one_argument():
    check(lambda a: np.where(a > 0), RNG.standard_normal(10))
    check(lambda a: np.where(a > 0), RNG.standard_normal((3, 4)))


def test_names_imported_from_numpy():
    from numpy import concatenate, flip, reshape
    check(lambda a: (reshape(a, (2, 3)), flip(a), concatenate((a, a))), np.arange(6.0))


def same_list(got, expected):
    assert isinstance(got, list) and len(got) == len(expected)
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, e)
        assert g.shape == e.shape and g.dtype == e.dtype


@pytest.mark.parametrize("layout,m", layouts(RNG.standard_normal((6, 4))))
def test_split_array_split(layout, m):
    v = m[:, 0]
    for f in (lambda v: np.split(v, 3), lambda v: np.array_split(v, 4), lambda v: np.array_split(v, 7),
              lambda v: np.split(v, np.array([1, 4, -1])), lambda v: np.split(v, np.array([5, 2]))):
        same_list(numlir.njit(f)(v), f(v))
    for f in (lambda m: np.split(m, 2), lambda m: np.split(m, 2, axis=1), lambda m: np.array_split(m, 4, axis=0),
              lambda m: np.split(m, np.array([1, 3]), axis=1)):
        same_list(numlir.njit(f)(m), f(m))
    with pytest.raises(ValueError, match="equal division"):
        numlir.njit(lambda v: np.split(v, 4))(v)


def test_split_parts_are_views():
    def f(a):
        parts = np.split(a, 2)
        parts[1][0] = 100.0
        return a
    check(f, np.arange(6.0))


def test_dstack_squeeze():
    v = RNG.standard_normal(5)
    m = RNG.standard_normal((3, 4))
    check(lambda v: np.dstack((v, v, v)), v)
    check(lambda m: np.dstack((m, m)), m)
    check(lambda m: np.squeeze(m[:1], axis=0), m)
    check(lambda m: np.squeeze(m[:, 2:3], 1), m)
    check(lambda m: np.squeeze(m.reshape(3, 1, 4), axis=1), m)
    with pytest.raises(ValueError, match="size not equal to one"):
        numlir.njit(lambda m: np.squeeze(m, axis=0))(m)


def test_keyword_arguments_of_numpy_functions():
    from numpy import clip, full, linspace, zeros
    a = RNG.standard_normal((3, 4))
    check(lambda a: np.clip(a, a_min=-0.5, a_max=0.5), a)
    check(lambda a: clip(a, -0.5, a_max=0.5), a)
    check(lambda: np.zeros(shape=(2, 3), dtype=np.int32))
    check(lambda: zeros((2, 3), dtype=np.float32))
    check(lambda: full((2,), fill_value=3.0))
    check(lambda: np.full(shape=4, fill_value=2))
    check(lambda: linspace(0, 1, 5, dtype=np.float64))
    check(lambda: linspace(start=0.0, stop=2.0, num=9))
    check(lambda a: np.sum(a, axis=0, dtype=np.float32), a, rtol=1e-6)
    check(lambda a: np.sum(a, dtype=np.float32), a, rtol=1e-6)
    check(lambda a: a.prod(axis=1, dtype=np.float32), a, rtol=1e-6)
    check(lambda a: np.cumsum(a, dtype=np.float32), a, rtol=1e-6)
    check(lambda a: a.mean(dtype=np.float32), np.arange(12).reshape(3, 4), rtol=1e-6)
    with pytest.raises(numlir.UnsupportedError, match="without its argument 'a_min'"):
        numlir.njit(lambda a: np.clip(a, a_max=0.5))(a)
    with pytest.raises(numlir.TypingError, match="multiple values"):
        numlir.njit(lambda a: np.clip(a, 0.1, a_min=0.5, a_max=1.0))(a)


@pytest.mark.parametrize("layout,m", MATS)
def test_newaxis_and_none_in_indexing(layout, m):
    v = m[0]
    check(lambda v: v[:, None], v)
    check(lambda v: v[None, :], v)
    check(lambda v: v[None], v)
    check(lambda v: v[:, np.newaxis] - v[np.newaxis, :], v)
    check(lambda m: m[None], m)
    check(lambda m: m[:, None, :], m)
    check(lambda m: m[:, :, None], m)
    check(lambda m: m[1, None], m)
    check(lambda m: m[::2, None, 1:], m)
    check(lambda m: m.T[:, None], m)
    check(lambda a, b: np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2)), m, m[:2])

    def write_through(m):
        x = m[:, None]
        x[0, 0, 1] = 99.0
        return m
    check(write_through, m)


def test_newaxis_errors():
    with pytest.raises(numlir.TypingError, match="too many indices"):
        numlir.njit(lambda v: v[None, 0, 1])(np.ones(3))
