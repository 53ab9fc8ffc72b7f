"""Implementations chosen by the literal values of keyword arguments (see ``specialize``)."""


def literal_choice(*names):
    """Marks an implementation whose keywords ``names`` choose, by their literal values, the
    function compiled instead (``choose(**literals)`` gives it)."""
    def mark(choose):
        def decorate(function):
            function._numlir_literals = names
            function._numlir_choose = choose
            return function
        return decorate
    return mark
