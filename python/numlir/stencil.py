"""numba's ``@stencil``: a kernel written with relative indices (``a[-1, 0] + a[1, 0]``)
applied at every element of an array whose neighbourhood lies inside it; the border gets
``cval`` (0 by default), as numba does.

The kernel's source is rewritten (``ast``): each subscript of a relatively indexed argument
``a[e0, e1]`` becomes ``a[__i0 + e0, __i1 + e1]`` in a point function of the element's
indices and the kernel's arguments. A generated runner loops over the interior (its outer
loop a ``prange``: parallel in a ``parallel=True`` caller) and calls the point function,
which LLVM inlines. Both are plain Python functions compiled code compiles where they are
called (register_jitable): ``@njit`` code calls the runner in the stencil's place, and a call
from the interpreter runs it compiled. The neighbourhood comes from the literal indices, or
from ``neighborhood=``.
"""
import ast
import inspect
import textwrap
import types

import numpy as np

from .extending import register_jitable

__all__ = ["stencil", "StencilFunc"]


def _literal_int(node):
    """The int a literal index is (``-1`` included), or None."""
    try:
        value = ast.literal_eval(node)
    except ValueError:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class _RelativeIndexing(ast.NodeTransformer):
    """Rewrites ``a[e0, e1]`` of the relatively indexed arguments to ``a[__i0 + e0, ...]``
    and records each dimension's literal offsets (None where one is not a literal)."""

    def __init__(self, relative, name):
        self.relative, self.name = relative, name
        self.offsets = None  # per dimension: a list of ints, or None (not literal)
        self.used = []       # the arguments subscripted, in order

    def visit_Subscript(self, node):
        self.generic_visit(node)
        if not (isinstance(node.value, ast.Name) and node.value.id in self.relative):
            return node
        index = node.slice
        parts = list(index.elts) if isinstance(index, ast.Tuple) else [index]
        if node.value.id not in self.used:
            self.used.append(node.value.id)
        if any(isinstance(p, ast.Slice) for p in parts):
            raise ValueError(f"stencil kernel {self.name}: slices of a relatively indexed array are not supported "
                             f"(line {node.lineno})")
        if self.offsets is None:
            self.offsets = [[] for _ in parts]
        elif len(self.offsets) != len(parts):
            raise ValueError(f"stencil kernel {self.name} indexes arrays with {len(self.offsets)} and "
                             f"{len(parts)} indices: every relative index needs one per dimension")
        for k, part in enumerate(parts):
            value = _literal_int(part)
            if value is None or self.offsets[k] is None:
                self.offsets[k] = None
            else:
                self.offsets[k].append(value)
        shifted = [ast.BinOp(ast.Name(f"__i{k}", ast.Load()), ast.Add(), p) for k, p in enumerate(parts)]
        node.slice = shifted[0] if len(shifted) == 1 else ast.Tuple(shifted, ast.Load())
        return ast.copy_location(node, node)


def _neighborhood(name, offsets, given):
    """Each dimension's (lowest, highest) offset: ``given``, or the literal offsets' range
    (0 included: the element itself)."""
    if given is not None:
        given = tuple(tuple(int(x) for x in pair) for pair in given)
        if len(given) != len(offsets) or any(len(pair) != 2 for pair in given):
            raise ValueError(f"stencil kernel {name}: neighborhood= needs one (low, high) pair per dimension "
                             f"({len(offsets)})")
        return given
    if any(o is None for o in offsets):
        raise ValueError(f"stencil kernel {name} indexes with a value that is not a literal: its neighborhood= "
                         f"option is required, as in numba")
    return tuple((min(0, *o) if o else 0, max(0, *o) if o else 0) for o in offsets)


def _point_function(func, relative):
    """The kernel as ``__stencil_point(__i0, ..., *args)``, with its relative subscripts
    shifted; each dimension's literal offsets; the arguments it subscripts."""
    source = textwrap.dedent(inspect.getsource(func))
    tree = ast.parse(source)
    definition = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
    definition.decorator_list = []
    rewriter = _RelativeIndexing(relative, func.__name__)
    definition.body = [rewriter.visit(statement) for statement in definition.body]
    if rewriter.offsets is None:
        raise ValueError(f"stencil kernel {func.__name__} never indexes its array arguments relatively")
    ndim = len(rewriter.offsets)
    definition.name = "__stencil_point"
    definition.args.args = [ast.arg(f"__i{k}") for k in range(ndim)] + definition.args.args
    ast.fix_missing_locations(tree)
    ast.increment_lineno(tree, func.__code__.co_firstlineno - 1)  # errors name the kernel's lines
    code = compile(tree, func.__code__.co_filename, "exec")
    point_code = next(c for c in code.co_consts if isinstance(c, types.CodeType) and c.co_name == "__stencil_point")
    # The kernel's globals, and its enclosing function's variables by value (as numba).
    namespace = dict(func.__globals__)
    for name, cell in zip(func.__code__.co_freevars, func.__closure__ or ()):
        namespace[name] = cell.cell_contents
    point = types.FunctionType(point_code, namespace, "__stencil_point")
    return register_jitable(point), rewriter.offsets, rewriter.used


def _runner_source(params, relative, neighborhood, cval):
    """``__stencil(*params, out=None)``: the output (a new array of the kernel's result type
    with ``cval`` at the border, or ``out``, whose border is left as it is) with the kernel
    at every interior element."""
    ndim = len(neighborhood)
    arrays = [p for p in params if p in relative]
    first = arrays[0]  # the output's shape and layout
    lines = [f"def __stencil({', '.join(params)}, out=None):"]
    lines += [f"    if {x}.shape != {first}.shape:\n"
              f"        raise ValueError(\"a stencil's relatively indexed arrays must have one shape\")"
              for x in arrays[1:]]
    lines += [f"    n{k} = {first}.shape[{k}]" for k in range(ndim)]
    starts = [f"{-lo}" for lo, _ in neighborhood]
    ends = [f"n{k} - {hi}" for k, (_, hi) in enumerate(neighborhood)]
    interior = " and ".join(f"{e} > {s}" for s, e in zip(starts, ends))
    patch = "(" + ", ".join(str(hi - lo + 1) for lo, hi in neighborhood) + ",)"
    lines += ["    if out is None:",
              # The result's type is the kernel's: from its value at the first interior
              # element, or (no interior) at the middle of arrays of ones of the
              # neighbourhood's shape.
              f"        if {interior}:",
              f"            sample = __stencil_point({', '.join(starts + params)})",
              "        else:",
              f"            sample = __stencil_point({', '.join(starts + [f'np.ones({patch}, {p}.dtype)' if p in relative else p for p in params])})",
              f"        result = np.empty_like({first}, dtype=np.full(1, sample).dtype)",
              f"        result.fill({cval!r})",
              f"        return __stencil_interior(result, {', '.join(params)})",
              f"    return __stencil_interior(out, {', '.join(params)})",
              "",
              # The interior's loops, a function of their own: its outer loop is a prange.
              f"def __stencil_interior(result, {', '.join(params)}):"]
    lines += [f"    n{k} = result.shape[{k}]" for k in range(ndim)]
    indent = "    "
    for k in range(ndim):
        loop = "prange" if k == 0 else "range"
        lines.append(f"{indent}for __i{k} in {loop}({starts[k]}, {ends[k]}):")
        indent += "    "
    index = ", ".join(f"__i{k}" for k in range(ndim))
    lines.append(f"{indent}result[{index}] = __stencil_point({index}, {', '.join(params)})")
    lines.append("    return result")
    return "\n".join(lines) + "\n"


class StencilFunc:
    """A stencil kernel (``@numlir.stencil``): called on arrays, from the interpreter (the
    runner compiled) or from compiled code (the runner compiled in place), it returns the
    kernel's results over the interior and ``cval`` at the border; ``out=`` writes the
    interior of a given array. ``neighborhood`` is each dimension's (low, high) offsets."""

    def __init__(self, kernel, neighborhood=None, func_or_mode="constant", cval=None, standard_indexing=()):
        if func_or_mode != "constant":
            raise ValueError(f"stencil mode {func_or_mode!r} is not supported: only 'constant', as in numba")
        self.kernel = kernel
        params = list(inspect.signature(kernel).parameters)
        standard = set(standard_indexing or ())
        unknown = standard - set(params)
        if unknown:
            raise ValueError(f"standard_indexing names {sorted(unknown)}, which are not arguments of {kernel.__name__}")
        # Relatively indexed: the arguments the kernel subscripts, but standard_indexing's.
        point, offsets, relative = _point_function(kernel, [p for p in params if p not in standard])
        self.neighborhood = _neighborhood(kernel.__name__, offsets, neighborhood)
        self.cval = 0 if cval is None else cval
        namespace = {"np": np, "prange": _prange(), "__stencil_point": point}
        exec(compile(_runner_source(params, relative, self.neighborhood, self.cval),
                     f"<stencil {kernel.__name__}>", "exec"), namespace)
        register_jitable(namespace["__stencil_interior"])
        self._runner = register_jitable(namespace["__stencil"])
        self._runner.__qualname__ = f"{kernel.__qualname__}.stencil"
        self._compiled = None
        self.__name__, self.__doc__, self.__wrapped__ = kernel.__name__, kernel.__doc__, kernel

    def __call__(self, *args, out=None):
        if self._compiled is None:
            from . import njit
            self._compiled = njit(self._runner)
        return self._compiled(*args, out)

    def __repr__(self):
        return f"<numlir.stencil '{self.__name__}' neighborhood={self.neighborhood}>"


def _prange():
    from . import prange
    return prange


def stencil(func_or_mode="constant", **options):
    """numba's ``@stencil`` / ``@stencil(neighborhood=((-1, 1),), cval=0.0,
    standard_indexing=("w",))``."""
    if callable(func_or_mode):
        return StencilFunc(func_or_mode, **options)
    return lambda func: StencilFunc(func, func_or_mode=func_or_mode, **options)


def runner(value):
    """The function compiled code calls for a StencilFunc, or None (read by
    numlir._numpy.implementation)."""
    return value._runner if isinstance(value, StencilFunc) else None
