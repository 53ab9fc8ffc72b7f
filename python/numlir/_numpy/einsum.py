"""``np.einsum`` with a subscript string written as a literal (numba has no einsum).

The subscripts decide the code, so each string gets a function of its own, generated from
it when a call is compiled (``specialize``, through ``literal_choice``): one loop nest over
every label that multiplies the operands' elements and adds into the result, with no
temporary arrays. Its loops run in the order the labels first appear, with the output's
last label innermost, so that the inner loop walks the result's rows. A contraction of two
matrices or of a matrix and a vector (``"ij,jk->ik"``, ``"ij,kj"``, ``"ij,j"``, ``"i,i"``) is
a matrix product instead, on BLAS (numlir-lower-matmul). Labels are letters; ellipses
(``...``) and ``dtype=`` are not supported.
"""
import functools

import numpy as np

from ..extending import register_jitable
from .choice import literal_choice
from .failing import value_error


def parse(subscripts):
    """(input terms, output term) of an einsum subscript string; the output is implicit
    (the labels that appear once, in alphabetical order) where there is no '->'."""
    from ..errors import TypingError
    if not isinstance(subscripts, str):
        raise TypingError("np.einsum's subscripts must be a string")
    text = subscripts.replace(" ", "")
    if "." in text:
        raise NotImplementedError("numlir's np.einsum takes no ellipsis ('...') in its subscripts")
    inputs, arrow, output = text.partition("->")
    terms = inputs.split(",")
    labels = "".join(terms)
    if not all(c.isalpha() for c in labels + output):
        raise ValueError(f"invalid subscript in einsum string {subscripts!r}: subscripts are letters")
    if not arrow:
        output = "".join(sorted(c for c in set(labels) if labels.count(c) == 1))
    for c in output:
        if output.count(c) > 1:
            raise ValueError(f"einsum(): output subscript {c!r} appears more than once")
        if c not in labels:
            raise ValueError(f"einsum(): output subscript {c!r} does not appear in the inputs")
    return terms, output


def _as_matmul(terms, output):
    """The matrix product a two-operand contraction is, as Python source over op0 and op1,
    or None: one label summed, each operand a vector or a matrix with it, the output the
    other labels (in either order)."""
    if len(terms) != 2:
        return None
    first, second = terms
    shared = set(first) & set(second)
    if len(shared) != 1 or not (1 <= len(first) <= 2 and 1 <= len(second) <= 2):
        return None
    (y,) = shared
    if y in output or len(set(first)) != len(first) or len(set(second)) != len(second):
        return None
    rest_first, rest_second = first.replace(y, ""), second.replace(y, "")
    if sorted(output) != sorted(rest_first + rest_second) or set(rest_first) & set(rest_second):
        return None
    # The summed label last in the left operand and first in the right one.
    left = "op0" if first.endswith(y) else "op0.T"
    right = "op1" if second.startswith(y) else "op1.T"
    if output == rest_first + rest_second:
        return f"{left} @ {right}"
    # The output's labels in the other order: (A @ B).T is B.T @ A.T.
    return f"({left} @ {right}).T"


_TEMPLATE = '''\
def einsum_generated(subscripts, {operands}, out=None, dtype=None, order="K", casting="safe", optimize=False):
    if dtype is not None:
        raise NotImplementedError("numlir's np.einsum takes no dtype=")
{body}
'''


@functools.lru_cache(maxsize=None)
def generate(subscripts):
    """The compiled function np.einsum(subscripts, ...) is for this subscript string."""
    terms, output = parse(subscripts)
    operands = [f"op{i}" for i in range(len(terms))]
    body = []
    for i, term in enumerate(terms):
        body.append(f"    if op{i}.ndim != {len(term)}:")
        # (Known when compiling: the rest is never typed, and the function returns this.)
        message = f"einsum(): operand {i} has a different number of dimensions than its subscripts {term!r}"
        body.append(f"        return _value_error({message!r})")
    # Each label's length, from its first axis; every other axis with the label must match.
    size = {}
    for i, term in enumerate(terms):
        for axis, c in enumerate(term):
            if c not in size:
                size[c] = f"n_{c}"
                body.append(f"    n_{c} = op{i}.shape[{axis}]")
            else:
                body.append(f"    if op{i}.shape[{axis}] != n_{c}:")
                message = f"einsum(): operands could not be broadcast together: subscript {c!r} has different lengths"
                body.append(f"        raise ValueError({message!r})")
    matmul = _as_matmul(terms, output)
    if matmul is not None:
        body.append(f"    result = {matmul}")
        body.append("    if out is not None:")
        whole = ", ".join(":" for _ in output)
        body.append(f"        out[{whole}] = result" if output else "        raise NotImplementedError(\"numlir's np.einsum takes no out= for a scalar result\")")
        body.append("        return out")
        body.append("    return result")
    else:
        if not all(terms):
            raise NotImplementedError("numlir's np.einsum takes arrays with subscripts, not 0-d operands")
        product = " * ".join(f"op{i}[{', '.join(term)}]" for i, term in enumerate(terms))
        # The result's dtype: the operands' product's (NumPy's promotion).
        dt = "op0.dtype" if len(terms) == 1 else "(" + " * ".join(f"np.zeros(1, op{i}.dtype)" for i in range(len(terms))) + ").dtype"
        labels = []
        for c in "".join(terms):
            if c not in labels:
                labels.append(c)
        if output:
            labels.remove(output[-1])
            labels.append(output[-1])
            shape = ", ".join(size[c] for c in output)
            body.append("    if out is None:")
            body.append(f"        result = np.zeros(({shape},), {dt})")
            body.append("    else:")
            body.append("        result = out")
            body.append(f"        result[{', '.join(':' for _ in output)}] = 0")
            target = f"result[{', '.join(output)}]"
        else:
            body.append("    if out is not None:")
            body.append("        raise NotImplementedError(\"numlir's np.einsum takes no out= for a scalar result\")")
            body.append(f"    total = np.zeros(1, {dt})[0]")
            target = "total"
        indent = "    "
        for c in labels:
            body.append(f"{indent}for {c} in range({size[c]}):")
            indent += "    "
        body.append(f"{indent}{target} += {product}")
        body.append("    return result" if output else "    return total")
    source = _TEMPLATE.format(operands=", ".join(operands), body="\n".join(body))
    namespace = {"np": np, "_value_error": value_error}
    exec(compile(source, f"<np.einsum {subscripts!r}>", "exec"), namespace)
    function = namespace["einsum_generated"]
    function.__qualname__ = function.__name__ = f"einsum[{subscripts}]"
    function._numlir_source = source  # (shown where its code does not compile)
    return register_jitable(function)


def _choose_einsum(subscripts):
    return generate(subscripts)


@literal_choice("subscripts", keep=True)(_choose_einsum)
@register_jitable
def einsum(subscripts, *operands, out=None, dtype=None, order="K", casting="safe", optimize=False):
    raise NotImplementedError("np.einsum's subscripts must be written as a literal string")


IMPLEMENTS = {"einsum": einsum}
