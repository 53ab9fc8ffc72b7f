"""numba's ``with objmode(y="float64[:]"):`` in an ``@njit`` function: the block runs in the
interpreter (pandas, SciPy, any library) and the names given are its results, typed as
declared, that compiled code goes on with.

Before compiling, the function's syntax tree is rewritten (``ast``): each such block becomes
a plain function whose parameters are the function's variables the block reads and whose
result is the tuple of the declared names, and the block itself a call of it,
``(y,) = __numlir_objmode_0(a, n)``. The call reaches compiled code as an ``ObjModeBlock``;
py-to-std lowers it to a runtime call that boxes the arguments, runs the block under the GIL
and unboxes its results by their declared types (``src/python/objmode.rs``).
"""
import ast
import functools
import inspect
import textwrap

from .errors import UnsupportedError
from .objmode import _Names


class ObjModeContext:
    """``numlir.objmode``: ``with objmode(name="type", ...):`` (or ``with objmode():``). In
    the interpreter it does nothing; in compiled code the block runs in the interpreter."""

    def __init__(self, outputs=None):
        self.outputs = dict(outputs or {})

    def __call__(self, **outputs):
        return ObjModeContext(outputs)

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


objmode = ObjModeContext()


class ObjModeBlock:
    """One block lifted out of a compiled function: ``function(*inputs)`` runs it and returns
    the tuple of its results; ``outputs`` are their names and declared types (type strings)."""

    def __init__(self, function, inputs, outputs):
        self.function = function
        self.inputs = tuple(inputs)
        self.outputs = tuple(outputs)

    def __call__(self, *args):
        return self.function(*args)

    def __repr__(self):
        names = ", ".join(f"{n}={t!r}" for n, t in self.outputs)
        return f"<objmode block {self.function.__name__}({', '.join(self.inputs)}) -> ({names})>"


class _BlockNames(_Names):
    """The names a block reads before it assigns them (its inputs, in source order: an
    assignment's value before its targets), and what keeps it from running by itself
    (object mode's loop lifting refuses the same statements, but a block may define
    functions: the interpreter runs them)."""

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load):
            if node.id not in self.stores:
                self.loads.add(node.id)
        else:
            self.stores.add(node.id)

    def visit_Assign(self, node):
        self.visit(node.value)
        for t in node.targets:
            self.visit(t)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.visit(node.value)
        self.visit(node.target)

    def visit_AugAssign(self, node):
        self.visit(node.value)
        if isinstance(node.target, ast.Name):
            if node.target.id not in self.stores:
                self.loads.add(node.target.id)
            self.stores.add(node.target.id)
        else:
            self.visit(node.target)

    def visit_For(self, node):
        self.visit(node.iter)
        self.visit(node.target)
        for statement in node.body + node.orelse:
            self.visit(statement)

    def visit_FunctionDef(self, node):
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_Lambda = visit_ClassDef = visit_FunctionDef


def _uses_objmode(func):
    """Whether the function names an objmode context (a global or a module attribute)."""
    g = func.__globals__
    for name in func.__code__.co_names:
        value = g.get(name)
        if isinstance(value, ObjModeContext) or getattr(value, "objmode", None) is objmode:
            return True
    return False


def _location(func, node):
    return f"{func.__code__.co_filename}:{node.lineno}"


def lift_blocks(func):
    """``func`` with its ``with objmode(...)`` blocks lifted (see the module), or ``func``
    itself when it has none or its source cannot be read."""
    if not inspect.isfunction(func) or not _uses_objmode(func):
        return func
    try:
        source = textwrap.dedent(inspect.getsource(func))
    except (OSError, TypeError):
        return func
    code = func.__code__
    tree = ast.parse(source)
    ast.increment_lineno(tree, code.co_firstlineno - 1)
    fdef = tree.body[0]
    if not isinstance(fdef, ast.FunctionDef):
        return func
    fdef.decorator_list = []
    variables = set(code.co_varnames) | set(code.co_cellvars) | set(code.co_freevars)
    blocks = []

    def context_of(expr):
        try:
            value = eval(compile(ast.Expression(expr), code.co_filename, "eval"), func.__globals__)
        except Exception:  # noqa: BLE001 - not an objmode context then
            return None
        return value if isinstance(value, ObjModeContext) else None

    def type_text(node, name):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        try:
            return str(eval(compile(ast.Expression(node), code.co_filename, "eval"), func.__globals__))
        except Exception as e:  # noqa: BLE001 - reported with the block's location
            raise UnsupportedError(f"the type of objmode output '{name}' cannot be read: {e}\n"
                                   f"  --> {_location(func, node)}") from None

    class Lift(ast.NodeTransformer):
        def visit_With(self, node):
            self.generic_visit(node)
            if len(node.items) != 1 or not isinstance(node.items[0].context_expr, ast.Call):
                return node
            call = node.items[0].context_expr
            if context_of(call.func) is not objmode:
                return node
            if node.items[0].optional_vars is not None or call.args:
                raise UnsupportedError("write `with objmode(name=\"type\", ...):`, naming each result "
                                       f"and its type\n  --> {_location(func, node)}")
            names = _BlockNames()
            for statement in node.body:
                names.visit(statement)
            if names.unliftable:
                raise UnsupportedError(f"this `with objmode` block cannot run by itself: {names.unliftable}\n"
                                       f"  --> {_location(func, names.unliftable_at)}")
            outputs = [(kw.arg, type_text(kw.value, kw.arg)) for kw in call.keywords]
            inputs = sorted(n for n in names.loads if n in variables)
            body = list(node.body) + [ast.Return(ast.Tuple([ast.Name(o, ast.Load()) for o, _ in outputs], ast.Load()))]
            block = ast.FunctionDef(
                name=f"{func.__name__}_objmode_{len(blocks)}",
                args=ast.arguments(posonlyargs=[], args=[ast.arg(n) for n in inputs], kwonlyargs=[],
                                   kw_defaults=[], defaults=[]),
                body=body, decorator_list=[], returns=None)
            ast.copy_location(block, node)
            module = ast.fix_missing_locations(ast.Module([block], type_ignores=[]))
            namespace = {}
            try:
                exec(compile(module, code.co_filename, "exec"), func.__globals__, namespace)
            except SyntaxError as e:
                raise UnsupportedError(f"this `with objmode` block cannot run by itself: {e.msg}\n"
                                       f"  --> {_location(func, node)}") from None
            slot = f"__numlir_objmode_{len(blocks)}"
            blocks.append((slot, ObjModeBlock(namespace[block.name], inputs, outputs)))
            value = ast.Call(ast.Name(slot, ast.Load()), [ast.Name(n, ast.Load()) for n in inputs], [])
            if outputs:
                targets = [ast.Tuple([ast.Name(o, ast.Store()) for o, _ in outputs], ast.Store())]
                lifted = ast.Assign(targets=targets, value=value)
            else:
                lifted = ast.Expr(value)
            return ast.copy_location(lifted, node)

    Lift().visit(fdef)
    if not blocks:
        return func
    # A factory whose parameters are the blocks (and the function's own free variables, at
    # their current values): the function gets them as closure variables, which compiled
    # code reads at compile time.
    free = list(code.co_freevars)
    params = [slot for slot, _ in blocks] + free
    factory = ast.FunctionDef(
        name="__numlir_lifted",
        args=ast.arguments(posonlyargs=[], args=[ast.arg(p) for p in params], kwonlyargs=[],
                           kw_defaults=[], defaults=[]),
        body=[fdef, ast.Return(ast.Name(fdef.name, ast.Load()))], decorator_list=[], returns=None)
    ast.copy_location(factory, fdef)
    module = ast.fix_missing_locations(ast.Module([factory], type_ignores=[]))
    namespace = {}
    exec(compile(module, code.co_filename, "exec"), func.__globals__, namespace)
    cells = [c.cell_contents for c in (func.__closure__ or ())]
    lifted = namespace["__numlir_lifted"](*[b for _, b in blocks], *cells)
    functools.update_wrapper(lifted, func)
    lifted.__defaults__ = func.__defaults__
    lifted.__kwdefaults__ = func.__kwdefaults__
    return lifted
