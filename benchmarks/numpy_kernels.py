"""NumPy-function benchmark kernels (issue 17): sorting, unique, histograms, order
statistics and boolean masks. Each kernel calls NumPy's function, so the same function is
also "the NumPy version": CPython runs NumPy itself. Each entry of NUMPY_KERNELS: (name,
function, make_args(scale), NumPy version, bytes moved (none))."""
import numpy as np


def sort(a):
    return np.sort(a)


def argsort(a):
    return np.argsort(a)


def unique_counts(a):
    return np.unique(a, return_counts=True)


def histogram(a):
    return np.histogram(a, 100)


def median(a):
    return np.median(a)


def mask_select_assign(a):
    b = a[a > 0.5]
    a[a < 0.1] = 0.0
    return b.sum()


def take_sorted(a):
    return a[np.argsort(a[:100_000])].sum()


def _rng():
    return np.random.default_rng(17)


def _floats(n):
    return lambda scale: (_rng().random(int(n * scale)),)


def _ints(scale):
    return (_rng().integers(0, 1000, int(1_000_000 * scale)),)


NUMPY_KERNELS = [
    ("np.sort 10M float64", sort, _floats(10_000_000), sort, None),
    ("np.argsort 1M float64", argsort, _floats(1_000_000), argsort, None),
    ("np.unique counts 1M int64", unique_counts, _ints, unique_counts, None),
    ("np.histogram 10M float64", histogram, _floats(10_000_000), histogram, None),
    ("np.median 1M float64", median, _floats(1_000_000), median, None),
    ("boolean masks 10M", mask_select_assign, _floats(10_000_000), mask_select_assign, None),
]
