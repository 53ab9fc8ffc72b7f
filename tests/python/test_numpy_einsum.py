"""np.einsum with a literal subscript string: compiled results compared with NumPy's over
subscript forms (contractions, traces, diagonals, transposes, outer products, implicit
outputs, three operands), dtypes, layouts and error paths."""
import numpy as np
import pytest

import numlir
from array_checks import RNG, check, layouts

A = RNG.standard_normal((3, 4))
B = RNG.standard_normal((4, 5))
C = RNG.standard_normal((5, 2))
V = RNG.standard_normal(4)
SQ = RNG.standard_normal((4, 4))
T3 = RNG.standard_normal((2, 3, 4))
M34 = RNG.standard_normal((3, 4))

CASES = [
    ("ij,jk->ik", A, B), ("ij,jk", A, B), ("ij,kj->ik", A, B.T), ("ji,jk->ik", A.T, B),
    ("ij,jk->ki", A, B), ("ij,j->i", A, V), ("j,ij->i", V, A), ("i,ij->j", A[:, 0], A),
    ("i,i", V, V), ("i,i->", V, V), ("ii->i", SQ), ("ii", SQ), ("ij->ji", A), ("ij->", A),
    ("ij", A), ("ji", A), ("i,j->ij", V, V[:3]), ("ijk,jk->i", T3, M34), ("ijk->kji", T3),
    ("ij,ij->ij", A, A), ("ij,ij->", A, A), ("ij,jk,kl->il", A, B, C), ("bij,bjk->bik", T3, RNG.standard_normal((2, 4, 3))),
]


def _call(subscripts, count):
    """A function that calls np.einsum with this literal subscript string."""
    params = ", ".join(f"x{i}" for i in range(count))
    namespace = {"np": np}
    exec(f"def f({params}):\n    return np.einsum({subscripts!r}, {params})", namespace)
    return namespace["f"]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_einsum_forms(case):
    subscripts, *operands = case
    check(_call(subscripts, len(operands)), *operands, rtol=1e-10)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.complex128])
def test_einsum_dtypes(dtype):
    def cast(x):
        return (x * 10).astype(dtype) if np.dtype(dtype).kind in "iu" else (x + 1j * x[::-1] if dtype == np.complex128 else x.astype(dtype))
    for subscripts, *operands in [("ij,jk->ik", A, B), ("ij,ij->i", A, A), ("ii", SQ), ("i,j->ij", V, V)]:
        check(_call(subscripts, len(operands)), *[cast(o) for o in operands], rtol=2e-5 if dtype == np.float32 else 1e-10)


def test_einsum_mixed_dtypes_promote():
    check(_call("ij,jk->ik", 2), (A * 10).astype(np.int32), B, rtol=1e-10)
    check(_call("i,i->i", 2), V.astype(np.float32), (V * 10).astype(np.int64), rtol=1e-10)


def test_einsum_layouts():
    for name, a in layouts(SQ):
        for subscripts in ("ij,jk->ik", "ij,kj->ik", "ij,jk->ij"):
            check(_call(subscripts, 2), a, SQ, rtol=1e-10)
        check(_call("ii->i", 1), a)
        check(_call("ij->ji", 1), a)


def test_einsum_imported_by_name_and_out():
    from numpy import einsum

    def into(a, b, out):
        einsum("ij,jk->ik", a, b, out=out)
        return out

    check(into, A, B, np.zeros((3, 5)), rtol=1e-10)

    def outer_into(a, b, out):
        return einsum("i,j->ij", a, b, out=out)

    check(outer_into, V, V, np.zeros((4, 4)))


def test_contractions_are_matrix_products():
    # A two-matrix contraction is `@`, which calls BLAS; no loop nest of its own.
    f = numlir.njit(_call("ij,kj->ik", 2))
    f(A, B.T)
    ir = f.inspect_ir("llvm")
    assert "numlir_blas_gemm" in ir


def test_einsum_errors():
    with pytest.raises(ValueError, match="dimensions"):
        numlir.njit(_call("ij,jk->ik", 2))(V, B)
    with pytest.raises(ValueError, match="different lengths"):
        numlir.njit(_call("ij,jk->ik", 2))(A, C)
    with pytest.raises(ValueError, match="different lengths"):
        numlir.njit(_call("ii", 1))(A)
    # A malformed subscript string is known when compiling: a TypingError saying why.
    with pytest.raises(numlir.TypingError, match="more than once"):
        numlir.njit(_call("ij->iij", 1))(A)
    with pytest.raises(numlir.TypingError, match="does not appear"):
        numlir.njit(_call("ij->k", 1))(A)
    with pytest.raises(numlir.TypingError, match="ellipsis"):
        numlir.njit(_call("...ij->...ji", 1))(A)
    for bad in ("ij->iij", "ij->k"):
        with pytest.raises(ValueError):
            np.einsum(bad, A)  # NumPy rejects them too

    def not_literal(s, a):
        return np.einsum(s, a)

    with pytest.raises(numlir.TypingError, match="literal"):
        numlir.njit(not_literal)("ij->ji", A)
