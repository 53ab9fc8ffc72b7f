"""Functions with ``assert`` statements, compiled by test_runtime_errors.py.

They live outside the test modules on purpose: pytest rewrites the ``assert`` statements of
test modules (into calls of its own helpers), which would change what numlir compiles.
"""


def assert_plain(x):
    assert x > 0
    return x


def assert_message(x):
    assert x != 3, "x must not be 3"
    return x + 1


def assert_in_loop(n):
    s = 0
    for i in range(n):
        assert i < 5, "loop ran too long"
        s += i
    return s


def assert_compound(a, b):
    assert a >= 0 and b >= 0, "both must be non-negative"
    return a + b


def assert_false_constant(x):
    if x > 10:
        assert False, "unreachable for small x"
    return x


def assert_formatted_message(x):
    assert x > 0, f"x is {x:.1f}, not positive"
    return x


def assert_caught(x):
    try:
        assert x > 0, "x must be positive"
        return "ok"
    except AssertionError as e:
        return str(e)
