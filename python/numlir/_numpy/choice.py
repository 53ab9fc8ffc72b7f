"""Implementations chosen by the literal values of keyword arguments (see ``specialize``)."""


def literal_choice(*names, keep=False):
    """Marks an implementation whose arguments ``names`` choose, by their literal values, the
    function compiled instead (``choose(**literals)`` gives it). The chosen function is
    called without those arguments, or, with ``keep``, with every argument of the call
    (``np.einsum``'s generated functions take the subscripts too)."""
    def mark(choose):
        def decorate(function):
            function._numlir_literals = names
            function._numlir_choose = choose
            function._numlir_keeps_literals = keep
            return function
        return decorate
    return mark
