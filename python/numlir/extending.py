"""numba.extending's ``register_jitable``: a plain Python function that compiled code may
call. It stays a plain function for the interpreter; compiled code compiles it where it is
called, as it compiles an ``@njit`` function (numba's ``overload`` is not here yet)."""

__all__ = ["register_jitable"]


def register_jitable(*args, **options):
    """``@register_jitable`` or ``@register_jitable(**options)``: mark the function."""

    def mark(function):
        function._numlir_jitable = True  # read by the compiler's environment (environment.rs)
        return function

    if len(args) == 1 and callable(args[0]) and not options:
        return mark(args[0])
    return mark
