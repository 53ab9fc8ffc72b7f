"""Python stand-ins for the builtins of compiled code (``lapack.getrf``, ``mt19937.seed``,
``bitgen.poisson``): the compiler knows each by identity (``builtin`` in ``__init__.py``)
and calls the runtime instead; the interpreter never runs them."""


def compiled_only(family, name):
    """The stand-in for the builtin ``family.name``."""
    def compiled_only(*args):
        raise NotImplementedError(f"{family}.{name} is called from compiled code only")
    compiled_only.__name__ = name
    return compiled_only
