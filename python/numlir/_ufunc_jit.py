"""Compiled code's calls of numlir's ufuncs: ``f(a, b)`` and ``f(a, b, out)`` of a
@vectorize ufunc or DUFunc, its ``f.reduce``, ``f.accumulate``, ``f.outer`` and ``f.at``,
and calls of a @guvectorize gufunc ``g(x, y)`` / ``g(x, y, out)``.

Each is taught to compiled code by numlir.extending.overload: its typing function gets the
arguments' types and generates, once per combination of types, a Python function that
compiled code compiles in the call's place. It loops over NumPy's broadcast shape and calls
the ufunc's kernel per element (LLVM inlines it), with the inputs cast to the loop NumPy
would choose. Keyword arguments follow the typing functions' parameters.
"""
import numpy as np
from numpy.exceptions import AxisError

from . import types as _types
from .errors import TypingError
from .extending import _ATTRIBUTES, _CACHE_IDENTITIES, overload, register_jitable


# ---------------------------------------------------------------- jitable helpers

@register_jitable
def _broadcast_dim(n, m):
    """The length of a dimension where lengths n and m meet (NumPy's broadcasting)."""
    if m == n or m == 1:
        return n
    if n == 1:
        return m
    raise ValueError("operands could not be broadcast together")


@register_jitable
def _output_dim(n, m):
    """An input's length m against the output's length n."""
    if m != n and m != 1:
        raise ValueError("non-broadcastable operand: its shape does not match the output's")
    return n


@register_jitable
def _core_dim(n, m):
    """A gufunc's core dimension: every operand that has it gives the same length."""
    if n >= 0 and m != n:
        raise ValueError("a gufunc's core dimension has different lengths in its operands")
    return m


@register_jitable
def _first(x):
    """An array's first element (a zero of its type where it is empty): what a DUFunc's
    kernel is first called on, to learn its result's type."""
    if x.size == 0:
        return np.zeros(1, x.dtype)[0]
    return x.ravel()[0]


@register_jitable
def _normal_axis(axis, ndim):
    if axis < -ndim or axis >= ndim:
        raise AxisError("axis " + str(axis) + " is out of bounds for array of dimension " + str(ndim))
    if axis < 0:
        return axis + ndim
    return axis


_NAMESPACE = {"np": np, "AxisError": AxisError, "_broadcast_dim": _broadcast_dim,
              "_output_dim": _output_dim, "_core_dim": _core_dim, "_normal_axis": _normal_axis, "_first": _first}


# ---------------------------------------------------------------- types and casts

def _scalar_name(t):
    """The scalar type name of a number type or an array type's elements."""
    t = t.dtype if isinstance(t, _types.Array) else t
    if not isinstance(t, (_types.Number, _types.Boolean)):
        raise TypingError(f"a ufunc takes numbers and arrays of numbers, not {t}")
    return t.name


def dtype_of(name):
    """NumPy's dtype of a numlir scalar type name."""
    return np.dtype("bool" if name == "boolean" else name)


def _dtype_source(name):
    return "np.bool_" if name == "boolean" else f"np.{name}"


def _cast(expr, have, want):
    """Source of ``expr`` (of type ``have``) as ``want`` (None: as it is)."""
    if have == want or want is None:
        return expr
    return f"bool({expr})" if want == "boolean" else f"np.{want}({expr})"


def _choose_loop(builder, inputs):
    """(the kernel's argument types, its result type) for inputs of these numlir types: a
    DUFunc's kernel takes them as they are (its result type is not known here: None, as
    compiling the kernel would start a compile inside this one); a ufunc built with
    signatures takes the first of
    its loops for exactly these types where all are arrays, else the first that NumPy's
    casting reaches (arrays by 'safe' casting, numbers by 'same_kind': NumPy's search for
    Python numbers)."""
    if builder.dynamic:
        return [_scalar_name(t) for t in inputs], None
    k = _first_loop("ufunc", builder.func.__name__, inputs, [args for args, *_ in builder.loops])
    args, ret, *_ = builder.loops[k]
    return args, ret


def _first_loop(what, name, inputs, candidates):
    """The position in ``candidates`` (each a list of argument type names) of the loop NumPy
    takes for inputs of these numlir types: the one for exactly these types where all are
    arrays, else the first that its casting reaches (arrays by 'safe' casting, numbers by
    'same_kind': NumPy's search for Python numbers)."""
    names = [_scalar_name(t) for t in inputs]
    if all(isinstance(t, _types.Array) for t in inputs) and names in candidates:
        return candidates.index(names)
    for k, wants in enumerate(candidates):
        if all(np.can_cast(dtype_of(have), dtype_of(want), "safe" if isinstance(t, _types.Array) else "same_kind")
               for t, have, want in zip(inputs, names, wants)):
            return k
    raise TypingError(f"{what} '{name}' not supported for the input types ({', '.join(names)}), "
                      f"and the inputs could not be safely coerced to any supported types")


def _make(source, name, kernel):
    namespace = dict(_NAMESPACE, kernel=kernel)
    exec(compile(source, f"<compiled-code {name}>", "exec"), namespace)
    return namespace[source.split("(", 1)[0][len("def "):]]


def _allocate(shape, ret, sample):
    """Source of a new array of ``shape``: of type ``ret``, or (None) of the type of the
    source ``sample`` (a kernel's result)."""
    return f"np.empty({shape}, {_dtype_source(ret)})" if ret else f"np.full({shape}, {sample})"


def _loop_nest(dims, bound, indent):
    """Source of ``for i{d} in range(bound(d)):`` nested for each of ``dims``, from
    ``indent``: (the lines, the body's indent)."""
    lines = []
    for d in dims:
        lines.append(f"{indent}for i{d} in range({bound(d)}):")
        indent += "    "
    return lines, indent


def _index(var, dims):
    """``var[i0, i1]`` (or ``var`` where there are no dims)."""
    return f"{var}[{', '.join(dims)}]" if dims else var


# ---------------------------------------------------------------- broadcasting

class _Broadcast:
    """Source that loops over the broadcast shape of some arrays (NumPy's rules: shapes
    aligned at the right, a length of 1 stretches), or over an output's shape."""

    def __init__(self, operands, ndim, out=None):
        self.operands = operands  # {variable: its ndim}
        self.ndim = ndim
        self.out = out

    def dims(self):
        return [f"n{d}" for d in range(self.ndim)]

    def shape(self):
        names = self.dims()
        return names[0] if len(names) == 1 else f"({', '.join(names)})"

    def shape_lines(self, indent):
        lines = []
        for d in range(self.ndim):
            lines.append(f"{indent}n{d} = {f'{self.out}.shape[{d}]' if self.out else '1'}")
            for var, nd in self.operands.items():
                j = d - (self.ndim - nd)
                if j >= 0:
                    check = "_output_dim" if self.out else "_broadcast_dim"
                    lines.append(f"{indent}n{d} = {check}(n{d}, {var}.shape[{j}])")
        # Whether each operand's dimension moves (0 where it stretches a length of 1).
        for var, nd in self.operands.items():
            for j in range(nd):
                lines.append(f"{indent}m_{var}_{j} = 1 if {var}.shape[{j}] != 1 else 0")
        return lines

    def loops(self, indent):
        return _loop_nest(range(self.ndim), lambda d: f"n{d}", indent)

    def indices(self, var):
        nd = self.operands[var]
        return [f"i{self.ndim - nd + j} * m_{var}_{j}" for j in range(nd)]

    def element(self, var):
        return _index(var, self.indices(var))

    def at(self):
        return [f"i{d}" for d in range(self.ndim)]


# ---------------------------------------------------------------- f(x0, ..., out)

def _call_source(builder, arg_types, out_type):
    nin = builder.nin
    xs = [f"x{k}" for k in range(nin)]
    loop_args, loop_ret = _choose_loop(builder, arg_types)
    names = [_scalar_name(t) for t in arg_types]
    arrays = {x: t.ndim for x, t in zip(xs, arg_types) if isinstance(t, _types.Array)}
    params = xs + (["out"] if out_type is not None else [])
    head = f"def __ufunc_call({', '.join(params)}):"

    def call(element):
        return f"kernel({', '.join(_cast(element(x), have, want) for x, have, want in zip(xs, names, loop_args))})"

    if out_type is None and not arrays:
        return f"{head}\n    return {call(lambda x: x)}\n"
    if out_type is not None and not isinstance(out_type, _types.Array):
        raise TypingError(f"the output of ufunc '{builder.func.__name__}' must be an array, not {out_type}")
    ndim = out_type.ndim if out_type is not None else max(arrays.values())
    if ndim == 0 or any(nd > ndim for nd in arrays.values()):
        raise TypingError(f"ufunc '{builder.func.__name__}' in compiled code takes arrays of 1 or more dimensions "
                          f"that fit the output's")
    b = _Broadcast(arrays, ndim, "out" if out_type is not None else None)
    lines = [head] + b.shape_lines("    ")
    result = "out"
    if out_type is None:
        result = "result"
        lines.append(f"    result = {_allocate(b.shape(), loop_ret, call(lambda x: f'_first({x})' if x in arrays else x))}")
        # Operands of the result's shape: one flat loop (it vectorizes).
        if all(nd == ndim for nd in arrays.values()):
            lines.append(f"    if {' and '.join(f'{x}.shape == result.shape' for x in arrays)}:")
            lines.append("        flat = result.reshape(result.size)")
            lines += [f"        {x}_flat = {x}.ravel()" for x in arrays]
            lines.append("        for i in range(flat.shape[0]):")
            lines.append(f"            flat[i] = {call(lambda x: f'{x}_flat[i]' if x in arrays else x)}")
            lines.append("        return result")
    loops, indent = b.loops("    ")
    lines += loops
    lines.append(f"{indent}{_index(result, b.at())} = {call(lambda x: b.element(x) if x in arrays else x)}")
    lines.append(f"    return {result}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- f.reduce, f.accumulate

def _reduction_loop(builder, array_type):
    """The loop a reduction of arrays of ``array_type`` calls: (its argument types, result).
    A DUFunc's reduction keeps the array's type."""
    if not isinstance(array_type, _types.Array):
        raise TypingError(f"{builder.func.__name__}.reduce/accumulate takes an array, not {array_type}")
    if builder.nin != 2:
        raise TypingError(f"reduce and accumulate only supported for binary functions ({builder.func.__name__} "
                          f"takes {builder.nin} arguments)")
    args, ret = _choose_loop(builder, [array_type, array_type])
    return args, ret or _scalar_name(array_type)


def _extent(d):
    """Source of the reduced array's length along dimension d."""
    return f"array.shape[{d}]"


def _axis_cases(ndim, body):
    """Source that runs ``body(axis)`` (lines, indented by 8) for the axis ``ax`` names."""
    lines = []
    for axis in range(ndim):
        lines.append(f"    {'if' if axis == 0 else 'elif'} ax == {axis}:")
        lines += body(axis)
    return lines


def _reduce_source(builder, array_type, axis_type, dtype_type, initial_type):
    name = builder.func.__name__
    (a0, a1), ret = _reduction_loop(builder, array_type)
    have = _scalar_name(array_type)
    if not isinstance(dtype_type, _types.NoneType):
        raise TypingError(f"{name}.reduce(dtype=...) is not supported in compiled code: cast the array with .astype()")
    ndim = array_type.ndim
    # As NumPy, a reduction starts from the initial value, else from the ufunc's identity,
    # else (start None) from the first element, and an empty one without either raises.
    if not isinstance(initial_type, _types.NoneType):
        start = _cast("initial", _scalar_name(initial_type), ret)
    elif builder.identity_value is not None:
        start = _cast(repr(builder.identity_value), "int64", ret)
    else:
        start = None
    lines = ["def __ufunc_reduce(array, axis=0, dtype=None, initial=None):"]

    def step(acc, element):
        value = f"kernel({_cast(acc, ret, a0)}, {_cast(element, have, a1)})"
        return f"np.{ret}({value})" if builder.dynamic and ret != "boolean" else value

    def empty_reduction(indent, result):
        """What an empty reduction gives (``result`` a format of the start)."""
        if start is None:
            return [f"{indent}raise ValueError(\"zero-size array to reduction operation {name} which has no identity\")"]
        return [indent + line for line in result.format(start=start).split("\n")]

    if isinstance(axis_type, _types.NoneType) or ndim == 1:
        if isinstance(axis_type, _types.NoneType):
            if ndim > 1 and builder.identity_code == -1:
                # (a test on a run-time value: code after an unconditional raise is not compiled)
                lines.append("    if array.size >= 0:")
                lines.append(f"        raise ValueError(\"reduction operation '{name}' is not reorderable, "
                             f"so at most one axis may be specified\")")
        else:
            lines.append("    _normal_axis(axis, 1)")
        lines += ["    flat = array.ravel()", "    if flat.shape[0] == 0:"]
        lines += empty_reduction("        ", "return {start}")
        if start is not None:
            lines += [f"    r = {start}", "    for i in range(flat.shape[0]):"]
        else:
            lines += [f"    r = {_cast('flat[0]', have, ret)}", "    for i in range(1, flat.shape[0]):"]
        lines += [f"        r = {step('r', 'flat[i]')}", "    return r"]
        return "\n".join(lines) + "\n"
    if not isinstance(axis_type, _types.Integer):
        raise TypingError(f"{name}.reduce(axis=...) takes an integer or None in compiled code, not {axis_type}")
    lines.append(f"    ax = _normal_axis(axis, {ndim})")

    def body(axis):
        others = [d for d in range(ndim) if d != axis]
        shape = ", ".join(f"array.shape[{d}]" for d in others)
        out_at = [f"i{d}" for d in others]
        at = lambda k: [k if d == axis else f"i{d}" for d in range(ndim)]
        inner = ["        result = np.empty(" + (f"({shape})" if len(others) > 1 else shape)
                 + f", {_dtype_source(ret)})",
                 f"        if array.shape[{axis}] == 0:"]
        inner += empty_reduction("            ", "result[:] = {start}\nreturn result")
        # The first slice (or the initial value), then each slice along the axis in order.
        loops, indent = _loop_nest(others, _extent, "        ")
        first = start if start is not None else _cast(_index("array", at("0")), have, ret)
        inner += loops + [f"{indent}{_index('result', out_at)} = {first}"]
        inner.append(f"        for k in range({0 if start is not None else 1}, array.shape[{axis}]):")
        loops, indent = _loop_nest(others, _extent, "            ")
        inner += loops
        inner.append(f"{indent}{_index('result', out_at)} = {step(_index('result', out_at), _index('array', at('k')))}")
        inner.append("        return result")
        return inner

    lines += _axis_cases(ndim, body)
    lines.append(f"    return np.empty({tuple([0] * (ndim - 1)) if ndim > 2 else 0}, {_dtype_source(ret)})")
    return "\n".join(lines) + "\n"


def _accumulate_source(builder, array_type, axis_type, dtype_type):
    name = builder.func.__name__
    (a0, a1), ret = _reduction_loop(builder, array_type)
    have = _scalar_name(array_type)
    if not isinstance(dtype_type, _types.NoneType):
        raise TypingError(f"{name}.accumulate(dtype=...) is not supported in compiled code: cast the array with .astype()")
    if not isinstance(axis_type, _types.Integer):
        raise TypingError(f"{name}.accumulate(axis=...) takes an integer in compiled code, not {axis_type}")
    ndim = array_type.ndim
    lines = ["def __ufunc_accumulate(array, axis=0, dtype=None):",
             f"    ax = _normal_axis(axis, {ndim})",
             f"    result = np.empty(array.shape, {_dtype_source(ret)})",
             "    if result.size == 0:",
             "        return result"]

    def body(axis):
        others = [d for d in range(ndim) if d != axis]
        at = lambda k: [k if d == axis else f"i{d}" for d in range(ndim)]
        inner, indent = _loop_nest(others, _extent, "        ")
        inner.append(f"{indent}{_index('result', at('0'))} = {_cast(_index('array', at('0')), have, ret)}")
        inner.append(f"        for k in range(1, array.shape[{axis}]):")
        loops, indent = _loop_nest(others, _extent, "            ")
        inner += loops
        previous = _cast(_index("result", at("k - 1")), ret, a0)
        inner.append(f"{indent}{_index('result', at('k'))} = kernel({previous}, "
                     f"{_cast(_index('array', at('k')), have, a1)})")  # the store casts
        return inner

    lines += _axis_cases(ndim, body)
    lines.append("    return result")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- f.outer, f.at

def _outer_source(builder, a_type, b_type):
    if builder.nin != 2:
        raise TypingError(f"outer product only supported for binary functions ({builder.func.__name__} "
                          f"takes {builder.nin} arguments)")
    (a0, a1), ret = _choose_loop(builder, [a_type, b_type])
    ha, hb = _scalar_name(a_type), _scalar_name(b_type)
    a_array, b_array = isinstance(a_type, _types.Array), isinstance(b_type, _types.Array)
    lines = ["def __ufunc_outer(a, b):",
             "    fa = a.ravel()" if a_array else "    fa = np.full(1, a)",
             "    fb = b.ravel()" if b_array else "    fb = np.full(1, b)",
             f"    flat = {_allocate('(fa.shape[0], fb.shape[0])', ret, 'kernel(_first(fa), _first(fb))')}",
             "    for i in range(fa.shape[0]):",
             "        for j in range(fb.shape[0]):",
             f"            flat[i, j] = kernel({_cast('fa[i]', ha, a0)}, {_cast('fb[j]', hb, a1)})"]
    shapes = [s for s, is_array in (("a.shape", a_array), ("b.shape", b_array)) if is_array]
    if not shapes:
        raise TypingError(f"{builder.func.__name__}.outer takes arrays in compiled code")
    lines.append(f"    return flat.reshape({' + '.join(shapes)})")
    return "\n".join(lines) + "\n"


def _at_source(builder, a_type, indices_type, b_type):
    name = builder.func.__name__
    if not isinstance(a_type, _types.Array) or a_type.ndim != 1:
        raise TypingError(f"{name}.at takes a 1-d array in compiled code, not {a_type}")
    unary = isinstance(b_type, _types.NoneType)
    if unary != (builder.nin == 1):
        raise TypingError(f"{name}.at needs {'no ' if builder.nin == 1 else ''}second operand b")
    have = _scalar_name(a_type)
    inputs = [a_type] if unary else [a_type, b_type]
    loop_args, _ = _choose_loop(builder, inputs)
    many = isinstance(indices_type, _types.Array)
    if not many and not isinstance(indices_type, _types.Integer):
        raise TypingError(f"{name}.at takes an integer or an array of integers as indices in compiled code")
    if many and (indices_type.ndim != 1 or not isinstance(indices_type.dtype, _types.Integer)):
        raise TypingError(f"{name}.at takes a 1-d array of integers as indices in compiled code")
    lines = ["def __ufunc_at(a, indices, b=None):", "    n = a.shape[0]"]
    if many:
        lines += ["    count = indices.shape[0]"]
        if not unary and isinstance(b_type, _types.Array):
            lines += ["    if b.ndim != 1 or (b.shape[0] != count and b.shape[0] != 1):",
                      "        raise ValueError(\"shape mismatch: value array could not be broadcast to indexing result\")",
                      "    step = 1 if b.shape[0] != 1 else 0"]
        lines += ["    for t in range(count):", "        j = indices[t]"]
        indent = "        "
        operand = "b[t * step]" if not unary and isinstance(b_type, _types.Array) else "b"
    else:
        lines += ["    j = indices"]
        indent = "    "
        if not unary and isinstance(b_type, _types.Array):
            lines += ["    if b.size != 1:",
                      "        raise ValueError(\"shape mismatch: value array could not be broadcast to indexing result\")"]
        operand = "b.ravel()[0]" if not unary and isinstance(b_type, _types.Array) else "b"
    lines += [f"{indent}if j < 0:", f"{indent}    j += n",
              f"{indent}if j < 0 or j >= n:",
              f"{indent}    raise IndexError(\"index out of bounds for the array's first axis\")"]
    args = [_cast("a[j]", have, loop_args[0])]
    if not unary:
        args.append(_cast(operand, _scalar_name(b_type), loop_args[1]))
    lines.append(f"{indent}a[j] = kernel({', '.join(args)})")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- gufunc(x, ..., out, ...)

class GufuncInfo:
    """What compiled code needs of a gufunc guvectorize built: the kernel's name, the core
    dimensions' names of each operand (inputs, then outputs) and, per signature, its
    argument types (numlir types) and compiled kernel."""

    def __init__(self, name, inputs, outputs, loops):
        self.name, self.inputs, self.outputs, self.loops = name, inputs, outputs, loops
        self.jit_functions = {}


def _gufunc_source(info, arg_types):
    nin, nout = len(info.inputs), len(info.outputs)
    if len(arg_types) not in (nin, nin + nout):
        raise TypingError(f"gufunc '{info.name}' takes {nin} inputs (and {nout} outputs), {len(arg_types)} given")
    inputs = arg_types[:nin]
    k = _first_loop("gufunc", info.name, inputs, [[_scalar_name(t) for t in types[:nin]] for types, _ in info.loops])
    types, kernel = info.loops[k]
    given_out = len(arg_types) > nin
    groups = info.inputs + info.outputs
    xs = [f"x{k}" for k in range(nin)]
    outs = [f"out{k}" for k in range(nout)]
    operands = xs + outs
    lines = [f"def __gufunc_call({', '.join(xs + (outs if given_out else []))}):"]
    # Inputs of another type than the chosen loop's: cast (a copy) as NumPy does.
    loop_ndim = {}
    for k, (x, t, want, group) in enumerate(zip(xs, arg_types, types, groups)):
        have = _scalar_name(t)
        if isinstance(t, _types.Array):
            if t.ndim < len(group):
                raise TypingError(f"gufunc '{info.name}': input {k} has {t.ndim} dimensions, its core "
                                  f"dimensions {tuple(group)} need {len(group)}")
            loop_ndim[x] = t.ndim - len(group)
            if have != _scalar_name(want):
                lines.append(f"    {x} = {x}.astype({_dtype_source(_scalar_name(want))})")
        elif group:
            raise TypingError(f"gufunc '{info.name}': input {k} is a number, its core dimensions are {tuple(group)}")
    if given_out:
        for k, (o, t, want, group) in enumerate(zip(outs, arg_types[nin:], types[nin:], info.outputs)):
            if not isinstance(t, _types.Array) or t.ndim < len(group) or t.ndim == 0:
                raise TypingError(f"gufunc '{info.name}': output {k} must be an array with the core dimensions {tuple(group)}")
            if _scalar_name(t) != _scalar_name(want):
                raise TypingError(f"gufunc '{info.name}': output {k} is of {_scalar_name(t)}, the loop writes {_scalar_name(want)}")
            loop_ndim[o] = t.ndim - len(group)
    ndim = loop_ndim[outs[0]] if given_out else max(loop_ndim.values(), default=0)
    b = _Broadcast(loop_ndim, ndim, outs[0] if given_out else None)
    lines += b.shape_lines("    ")
    # Core dimensions: every operand that has one gives the same length.
    cores = []
    for group in groups:
        for name in group:
            if name not in cores:
                cores.append(name)
    for name in cores:
        lines.append(f"    c_{name} = -1")
        for var, group in zip(operands, groups):
            if var in loop_ndim and name in group:
                lines.append(f"    c_{name} = _core_dim(c_{name}, {var}.shape[{loop_ndim[var] + group.index(name)}])")
    for name in cores:
        lines.append(f"    if c_{name} < 0:")
        lines.append(f"        raise ValueError(\"gufunc '{info.name}': the core dimension {name} has no length (no input has it)\")")
    if not given_out:
        for o, want, group in zip(outs, types[nin:], info.outputs):
            dims = b.dims() + [f"c_{name}" for name in group]
            shape = (dims[0] if len(dims) == 1 else f"({', '.join(dims)})") if dims else "1"
            lines.append(f"    {o} = np.zeros({shape}, {_dtype_source(_scalar_name(want))})")
            loop_ndim[o] = ndim
            b.operands[o] = ndim
            lines += [f"    m_{o}_{j} = 1" for j in range(ndim)]

    def argument(var, t, want, group):
        """The kernel's argument for operand ``var`` at the loop's position."""
        scalar_kernel_arg = not isinstance(want, _types.Array)
        if var not in loop_ndim:  # a number
            return var if scalar_kernel_arg else f"np.full(1, {var})"
        at = b.indices(var) if var in b.operands else []
        if group:
            return _index(var, at + [":"] * len(group))
        if scalar_kernel_arg:
            return _index(var, at)
        if not at:  # a () operand with no loop dimensions: the whole 1-element array
            return var
        return _index(var, at[:-1] + [f"{at[-1]}:{at[-1]} + 1"])

    loops, indent = b.loops("    ")
    lines += loops
    arg_types_all = list(arg_types[:nin]) + [None] * nout
    args = [argument(v, t, w, g) for v, t, w, g in zip(operands, arg_types_all, types, groups)]
    lines.append(f"{indent}kernel({', '.join(args)})")
    if given_out:
        results = outs
    else:
        results = [f"{o}[0]" if ndim == 0 and not group else o for o, group in zip(outs, info.outputs)]
    lines.append(f"    return {results[0] if len(results) == 1 else '(' + ', '.join(results) + ')'}")
    return "\n".join(lines) + "\n", kernel


def teach_gufunc(gufunc, info):
    """Teaches compiled code calls of ``gufunc`` (guvectorize's)."""

    def call_typer(*args):
        key = tuple(str(t) for t in args)
        found = info.jit_functions.get(key)
        if found is None:
            source, kernel = _gufunc_source(info, list(args))
            found = _make(source, f"call of gufunc {info.name}", kernel)
            info.jit_functions[key] = found
        return found

    overload(gufunc)(call_typer)
    # The generated calls follow from the kernels and the loops' types (cache keys).
    _CACHE_IDENTITIES[id(gufunc)] = ("gufunc", repr((info.inputs, info.outputs)),
                                     *[repr([str(t) for t in types]) for types, _ in info.loops],
                                     *[kernel for _, kernel in info.loops])


# ---------------------------------------------------------------- teaching compiled code

class _Method:
    """``f.reduce`` (and the others) as compiled code sees it: a function taught by overload.
    The interpreter calls the ufunc's own method."""

    def __init__(self, ufunc, name):
        self.ufunc, self.name = ufunc, name

    def __call__(self, *args, **kwargs):
        return getattr(self.ufunc, self.name)(*args, **kwargs)


def _memoized(builder, what, types, make):
    """The function made for ``what`` and these argument types, made once."""
    key = (what, tuple(str(t) for t in types))
    found = builder.jit_functions.get(key)
    if found is None:
        found = _make(make(), f"{what} of ufunc {builder.func.__name__}", builder.kernel)
        builder.jit_functions[key] = found
    return found


def teach_vectorized(ufunc, builder):
    """Teaches compiled code calls of ``ufunc`` (a vectorize ufunc or DUFunc) and its methods."""

    def call_typer(*args):
        nin = builder.nin
        if len(args) not in (nin, nin + 1):
            raise TypingError(f"ufunc '{builder.func.__name__}' takes {nin} arguments and an output, "
                              f"{len(args)} given")
        ins, out = list(args[:nin]), (args[nin] if len(args) > nin else None)
        return _memoized(builder, "call", args, lambda: _call_source(builder, ins, out))

    def reduce_typer(array, axis=0, dtype=None, initial=None):
        types = (array, axis, dtype, initial)
        return _memoized(builder, "reduce", types, lambda: _reduce_source(builder, *types))

    def accumulate_typer(array, axis=0, dtype=None):
        types = (array, axis, dtype)
        return _memoized(builder, "accumulate", types, lambda: _accumulate_source(builder, *types))

    def outer_typer(a, b):
        return _memoized(builder, "outer", (a, b), lambda: _outer_source(builder, a, b))

    def at_typer(a, indices, b=None):
        return _memoized(builder, "at", (a, indices, b), lambda: _at_source(builder, a, indices, b))

    overload(ufunc)(call_typer)
    methods = {}
    for name, typer in (("reduce", reduce_typer), ("accumulate", accumulate_typer),
                        ("outer", outer_typer), ("at", at_typer)):
        method = _Method(ufunc, name)
        overload(method)(typer)
        methods[name] = method
    _ATTRIBUTES[id(ufunc)] = methods
    # The generated calls follow from the kernel, the loops' types and the identity (cache
    # keys): a DUFunc's from its kernel alone. (A signature ufunc's loops are fixed.)
    loops = "dynamic" if builder.dynamic else repr([(args, ret) for args, ret, *_ in builder.loops])
    for value, what in [(ufunc, "call")] + [(m, n) for n, m in methods.items()]:
        _CACHE_IDENTITIES[id(value)] = ("ufunc", what, loops, builder.identity_code, builder.kernel)
