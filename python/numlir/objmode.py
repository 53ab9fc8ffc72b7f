"""Object mode: ``@jit(forceobj=True)`` runs a function in the interpreter, with Python's
semantics for everything it touches, and compiles its loops: each loop at the top level of
the function body that numlir can compile is lifted into a function of its own and run as
machine code, as numba's loop lifting does. A function that works on a pandas object around
its hot loop still gets a compiled loop. ``@jit(nopython=False)`` compiles the whole
function in nopython mode where it can and falls back to object mode where it cannot.

Lifting is a rewrite of the function's syntax tree (``ast``): a loop becomes a call of a
new function whose parameters are the local variables the loop uses that are bound before
it, and whose result is the tuple of those it assigns. Loops that ``return``, ``yield``,
declare ``global``/``nonlocal``, define functions, or assign a variable that is read after
the loop without being bound before it stay in the interpreter. A lifted loop that numlir
cannot compile (an unsupported type or construct) runs in the interpreter too, with a
``NumlirWarning`` that says why.
"""
import ast
import inspect
import textwrap
import warnings

from .errors import CompileError, NumlirWarning


class _Names(ast.NodeVisitor):
    """Local names a statement reads and writes; whether it returns, yields or defines."""

    def __init__(self):
        self.loads, self.stores, self.unliftable = set(), set(), None
        self.unliftable_at = None  # the node that made it unliftable

    def visit_Name(self, node):
        (self.stores if isinstance(node.ctx, (ast.Store, ast.Del)) else self.loads).add(node.id)

    def _refuse(self, node, why):
        if self.unliftable is None:
            self.unliftable, self.unliftable_at = why, node
        self.generic_visit(node)  # the names inside still count

    def visit_Return(self, node):
        self._refuse(node, "it returns from the function")

    def visit_Yield(self, node):
        self._refuse(node, "it yields")

    visit_YieldFrom = visit_Await = visit_Yield

    def visit_Global(self, node):
        self._refuse(node, "it declares global or nonlocal names")

    visit_Nonlocal = visit_Global

    def visit_FunctionDef(self, node):
        self._refuse(node, "it defines a function")

    visit_AsyncFunctionDef = visit_Lambda = visit_ClassDef = visit_FunctionDef


def _names(nodes):
    v = _Names()
    for n in nodes:
        v.visit(n)
    return v


class LiftedLoop:
    """One loop of an object-mode function, compiled on its first run (per argument types)
    and run in the interpreter when numlir cannot compile it."""

    def __init__(self, py_func, description, options):
        from . import njit

        self.py_func = py_func
        self.description = description
        self.dispatcher = njit(**options)(py_func)
        self.failed = None  # why it runs in the interpreter, once compiling failed

    def __call__(self, *args):
        if self.failed is None:
            try:
                return self.dispatcher(*args)
            except (CompileError, TypeError) as e:
                # TypeError: argument types a compiled function does not take (a list, a
                # DataFrame); CompileError: code numlir does not compile.
                if isinstance(e, TypeError) and self.dispatcher.signatures:
                    raise
                self.failed = f"{type(e).__name__}: {e}"
                warnings.warn(f"numlir: the {self.description} runs in the interpreter: {self.failed}",
                              NumlirWarning, stacklevel=3)
        return self.py_func(*args)

    @property
    def compiled(self):
        """Whether this loop ran as machine code."""
        return self.failed is None and bool(self.dispatcher.signatures)


def _lift(func, options):
    """`func` with its liftable top-level loops replaced by calls of LiftedLoops, and the
    loops; `func` itself (and no loops) when its source or shape does not allow it."""
    if func.__code__.co_freevars:
        return func, []
    try:
        source = textwrap.dedent(inspect.getsource(func))
    except (OSError, TypeError):
        return func, []
    tree = ast.parse(source)
    fdef = tree.body[0]
    if not isinstance(fdef, ast.FunctionDef):
        return func, []
    fdef.decorator_list = []
    params = {a.arg for a in fdef.args.args + fdef.args.posonlyargs + fdef.args.kwonlyargs}
    params |= {a.arg for a in (fdef.args.vararg, fdef.args.kwarg) if a}
    namespace = func.__globals__
    loops, body, bound = [], [], set(params)
    for index, stmt in enumerate(fdef.body):
        if isinstance(stmt, (ast.For, ast.While)) and not stmt.orelse:
            used = _names([stmt])
            after = _names(fdef.body[index + 1:])
            local = used.loads | used.stores
            # only names the function binds somewhere are its locals; the rest are globals
            all_locals = params | _names(fdef.body).stores
            inputs = sorted((local & bound) & all_locals)
            unbound_outputs = (used.stores - bound) & after.loads
            if used.unliftable is None and not unbound_outputs:
                outputs = sorted(used.stores & bound)
                # A unique global of the function's module names the loop: the rewritten
                # function runs with the module's live globals, as the original does.
                name = f"_numlir_loop_{func.__name__}_{id(func):x}_{len(loops)}"
                module = ast.parse(f"def {name}({', '.join(inputs)}):\n    return ({''.join(n + ', ' for n in outputs)})\n")
                module.body[0].body.insert(0, stmt)
                ast.fix_missing_locations(module)
                ast.increment_lineno(module, func.__code__.co_firstlineno - 1)
                code = compile(module, func.__code__.co_filename, "exec")
                exec(code, namespace)
                loop = LiftedLoop(namespace[name], f"loop at line {stmt.lineno} of {func.__qualname__}", options)
                namespace[name] = loop
                loops.append(loop)
                call = ast.Call(func=ast.Name(id=name, ctx=ast.Load()),
                                args=[ast.Name(id=n, ctx=ast.Load()) for n in inputs], keywords=[])
                target = ast.Tuple(elts=[ast.Name(id=n, ctx=ast.Store()) for n in outputs], ctx=ast.Store())
                body.append(ast.copy_location(ast.Assign(targets=[target], value=call), stmt))
                continue
        body.append(stmt)
        bound |= _names([stmt]).stores
    if not loops:
        return func, []
    fdef.body = body
    # Defined under a name of its own and taken out again: the module's global of the
    # function's own name (the plain function, in `cfunc = jit(forceobj=True)(f)`) stays.
    fdef.name = f"_numlir_objmode_{func.__name__}_{id(func):x}"
    ast.fix_missing_locations(tree)
    ast.increment_lineno(tree, func.__code__.co_firstlineno - 1)
    exec(compile(tree, func.__code__.co_filename, "exec"), namespace)
    lifted = namespace.pop(fdef.name)
    lifted.__name__, lifted.__qualname__ = func.__name__, func.__qualname__
    lifted.__defaults__, lifted.__kwdefaults__ = func.__defaults__, func.__kwdefaults__
    return lifted, loops


class ObjModeDispatcher:
    """What ``jit(forceobj=True)`` returns: the function, run by the interpreter with its
    loops compiled (``lifted_loops``)."""

    def __init__(self, func, options):
        self.py_func = func
        self._run, self.lifted_loops = _lift(func, options)
        for attr in ("__name__", "__qualname__", "__doc__", "__module__"):
            setattr(self, attr, getattr(func, attr, None))
        self.__wrapped__ = func

    def __call__(self, *args, **kwargs):
        return self._run(*args, **kwargs)

    def __repr__(self):
        return f"<numlir object-mode function {self.__qualname__}>"


class FallbackDispatcher:
    """What ``jit(nopython=False)`` returns: the nopython dispatcher while it compiles,
    object mode (with loop lifting) once it does not, with a ``NumlirWarning`` saying why."""

    def __init__(self, dispatcher, func, options):
        self.dispatcher, self.py_func, self._options = dispatcher, func, options
        self.objmode = None
        for attr in ("__name__", "__qualname__", "__doc__", "__module__"):
            setattr(self, attr, getattr(func, attr, None))
        self.__wrapped__ = func

    def __call__(self, *args, **kwargs):
        if self.objmode is None:
            try:
                return self.dispatcher(*args, **kwargs)
            except CompileError as e:
                warnings.warn(f"numlir: {self.__qualname__} runs in object mode: {type(e).__name__}: {e}",
                              NumlirWarning, stacklevel=2)
                self.objmode = ObjModeDispatcher(self.py_func, self._options)
        return self.objmode(*args, **kwargs)
