"""Calling compiled functions the ways numba users do: keyword arguments from Python, eager
(explicit-signature) compilation of functions that call themselves, and tuple arguments."""
import numpy as np
import pytest

import numlir
import numlir.extending
from conftest import check, compare, error_line


def weighted(a, b, c=3):
    return a * 100 + b * 10 + c


@pytest.mark.parametrize("args, kwargs", [
    ((1, 2), {}), ((), {"a": 1, "b": 2}), ((1,), {"c": 5, "b": 2}), ((), {"b": 1, "a": 2}),
    ((1, 2), {"c": 7}), ((1.5,), {"b": True}),
])
def test_keyword_arguments(args, kwargs):
    compiled = numlir.njit(weighted)
    assert compiled(*args, **kwargs) == weighted(*args, **kwargs)


@pytest.mark.parametrize("args, kwargs", [
    ((1,), {"d": 2}), ((1, 2), {"a": 3}), ((), {"c": 1}), ((1, 2, 3, 4), {}), ((1, 2, 3), {"c": 4}),
    ((1,), {}), ((), {}),
])
def test_keyword_arguments_that_do_not_bind(args, kwargs):
    compiled = numlir.njit(weighted)
    with pytest.raises(TypeError) as expected:
        weighted(*args, **kwargs)
    with pytest.raises(TypeError) as got:
        compiled(*args, **kwargs)
    assert str(got.value) == str(expected.value)


def scaled(x, *, k=2, shift=0.5):
    return x * k + shift


def needs_keyword(x, *, k):
    return x - k


def gathered(*args, scale=1):
    s = 0
    for a in args:
        s += a
    return s * scale


@pytest.mark.parametrize("func, args, kwargs", [
    (scaled, (3,), {}), (scaled, (3,), {"k": 5}), (scaled, (), {"x": 1.5, "shift": 2}),
    (needs_keyword, (3,), {"k": 4}), (gathered, (1, 2, 3), {}), (gathered, (1, 2), {"scale": 10}),
    (gathered, (), {"scale": 3}),
], ids=repr)
def test_keyword_only_parameters(func, args, kwargs):
    compiled = numlir.njit(func)
    assert compiled(*args, **kwargs) == func(*args, **kwargs)


@pytest.mark.parametrize("func, args, kwargs", [
    (needs_keyword, (3,), {}), (needs_keyword, (3, 4), {}), (scaled, (3,), {"j": 1}), (scaled, (1, 2), {}),
    (scaled, (1, 2), {"k": 3}), (scaled, (1, 2, 3), {"k": 3, "shift": 1}), (needs_keyword, (), {"k": 1}),
    (scaled, (1,), {"x": 2}),
], ids=repr)
def test_keyword_only_parameters_that_do_not_bind(func, args, kwargs):
    with pytest.raises(TypeError) as expected:
        func(*args, **kwargs)
    with pytest.raises(TypeError) as got:
        numlir.njit(func)(*args, **kwargs)
    assert str(got.value) == str(expected.value)


@numlir.njit
def flipped_sum(a, *, flip=False, times=1):
    return a.sum() * (-1 if flip else 1) * times


def calls_keyword_only(a):
    return flipped_sum(a), flipped_sum(a, flip=True), flipped_sum(a, times=3, flip=True)


def test_keyword_only_parameters_between_compiled_functions():
    check(calls_keyword_only, np.arange(6.0))


def passes_a_keyword_only_by_position(a):
    return flipped_sum(a, True)


def test_a_keyword_only_parameter_passed_by_position_is_a_typing_error():
    with pytest.raises(numlir.TypingError, match=r"flipped_sum\(\) takes 1 positional arguments but 2 were given"):
        numlir.njit(passes_a_keyword_only_by_position)(np.ones(2))


def test_keyword_arguments_with_an_explicit_signature():
    compiled = numlir.njit("int64(int64, int64, int64)")(weighted)
    assert compiled(c=1, b=2, a=3) == weighted(c=1, b=2, a=3)


@numlir.jit("i8(i8)")
def fib1(n):
    if n < 2:
        return n
    return fib1(n - 1) + fib1(n - 2)


@numlir.njit("float64(int64, float64)")
def power_down(n, x):
    if n == 0:
        return 1.0
    return x * power_down(n - 1, x)


@pytest.mark.parametrize("n", [0, 1, 2, 10, 20])
def test_eager_self_recursion(n):
    compare(fib1, fib1.py_func, (n,))


def test_eager_self_recursion_with_floats():
    compare(power_down, power_down.py_func, (5, 1.5))


# Tuples as arguments: homogeneous, heterogeneous, nested, with arrays and NumPy scalars.
def tuple_sum(t):
    a, b = t
    return a + b


def tuple_index(t):
    return t[0] * 10 + t[-1]


def nested(t):
    (a, b), c = t
    return a * b + c


def with_array(t, k):
    arr, scale = t
    return arr.sum() * scale + k


def passes_through(t):
    return t


@pytest.mark.parametrize("func,args", [
    (tuple_sum, ((1, 2),)), (tuple_sum, ((1.5, 2),)), (tuple_sum, ((True, 3.25),)),
    (tuple_sum, ((1 + 2j, 0.5),)), (tuple_index, ((4, 5, 6),)), (tuple_index, ((4.5, 7),)),
    (nested, (((2, 3), 4),)), (nested, (((2.5, 1 + 1j), 4),)), (passes_through, ((1, (2.5, True)),)),
    (passes_through, ((),)),
], ids=lambda v: repr(v) if not callable(v) else v.__name__)
def test_tuple_arguments(func, args):
    expected = func(*args)
    if isinstance(expected, complex):  # exact here: small binary fractions
        got = numlir.njit(func)(*args)
        assert type(got) is complex and got == expected
    else:
        compare(numlir.njit(func), func, args)


def test_tuple_with_arrays_and_numpy_scalars():
    a = np.arange(6.0)
    t = (a, np.float32(0.5))
    got = numlir.njit(with_array)(t, 2)
    assert got == pytest.approx(with_array(t, 2))
    compiled = numlir.njit(passes_through)
    back = compiled((a, np.int16(3)))
    assert back[0] is not None and np.shares_memory(back[0], a) and back[1] == 3
    assert type(back[1]) is np.int16


@pytest.mark.parametrize("sig", ["float64(UniTuple(float64, 2))", "float64(Tuple((float64, float64)))",
                                 "float64(Tuple(f8, f8))"])
def test_tuple_signatures(sig):
    f = numlir.njit(sig)(tuple_sum)
    assert f((1.5, 2.25)) == tuple_sum((1.5, 2.25))


def test_tuple_signature_type_objects():
    sig = numlir.float64(numlir.types.UniTuple(numlir.float64, 2))
    assert numlir.njit(sig)(tuple_sum)((1.0, 2.0)) == 3.0 == tuple_sum((1.0, 2.0))
    sig = numlir.float64(numlir.types.Tuple((numlir.int64, numlir.float32)))
    assert numlir.njit(sig)(tuple_sum)((1, np.float32(2.5))) == tuple_sum((1, np.float32(2.5)))


def test_tuples_compile_once_per_element_types():
    f = numlir.njit(tuple_sum)
    f((1, 2)), f((3, 4)), f((1.0, 2)), f((5, 6))
    assert len(f.signatures) == 2


def test_a_tuple_of_unsupported_values_is_a_type_error():
    with pytest.raises(TypeError, match="argument 1"):
        numlir.njit(tuple_sum)((1, b"two"))


# Keyword arguments in calls between compiled functions.
@numlir.njit
def difference(a, b):
    return a - b


def calls_by_keyword(x):
    return difference(b=x, a=10) + difference(x, b=1)


def calls_with_an_unknown_keyword(x):
    return difference(x, c=2)


def calls_with_a_repeated_argument(x):
    return difference(x, a=2)


@pytest.mark.parametrize("x", [3, 2.5])
def test_keyword_arguments_between_compiled_functions(x):
    compare(numlir.njit(calls_by_keyword), calls_by_keyword, (x,))


@numlir.njit("i8(i8)")
def fib_by_keyword(n):
    if n < 2:
        return n
    return fib_by_keyword(n - 1) + fib_by_keyword(n=n - 2)


def test_eager_recursion_with_a_keyword_argument():
    compare(fib_by_keyword, fib_by_keyword.py_func, (15,))


@pytest.mark.parametrize("func,text", [(calls_with_an_unknown_keyword, "unexpected keyword argument 'c'"),
                                       (calls_with_a_repeated_argument, "multiple values for argument 'a'")])
def test_keyword_arguments_that_do_not_bind_in_compiled_code(func, text):
    with pytest.raises(numlir.TypingError, match=text):
        numlir.njit(func)(1)


# Tuples compare as Python's: element by element, then by length.
def tuple_comparisons(a, b):
    return a == b, a != b, a < b, a <= b, a > b, a >= b


@pytest.mark.parametrize("a,b", [
    ((1, 2), (1, 3)), ((1, 2), (1, 2)), ((2, 0), (1, 9)), ((1, 2), (1, 2, 0)), ((1, 2, 0), (1, 2)),
    ((1.5, 2), (1.5, 2.0)), ((float("nan"), 1), (float("nan"), 1)), ((True, 2), (1, 2.5)), ((), ()), ((), (1,)),
])
def test_tuple_comparisons(a, b):
    compare(numlir.njit(tuple_comparisons), tuple_comparisons, (a, b))


def test_tuple_comparisons_of_numpy_scalars():
    a, b = (np.int8(3), 4), (3, np.float32(4.5))
    expected = tuple(bool(x) for x in tuple_comparisons(a, b))  # CPython gives np.bool_ here
    assert numlir.njit(tuple_comparisons)(a, b) == expected


def test_complex_tuples_compare_for_equality_only():
    def equal(a, b):
        return a == b, a != b

    compare(numlir.njit(equal), equal, ((1j, 2), (1j, 2)))
    with pytest.raises(numlir.TypingError, match="tuples of numbers"):
        numlir.njit(tuple_comparisons)((1j, 2), (1j, 2))


# Variables of an enclosing function are compiled in by value, as numba does (and as globals
# are): ints, floats, bools, complex numbers, tuples of them and compiled functions.
def make_affine(k, offset, pair):
    @numlir.njit
    def affine(x):
        return x * k + offset + pair[0] * pair[1]

    return affine


@pytest.mark.parametrize("k, offset, pair", [(3, 0.5, (1, 2)), (-2, True, (1.5, 2j)), (0, 1j, (0, 0))])
def test_closure_variables(k, offset, pair):
    compiled = make_affine(k, offset, pair)
    got, expected = compiled(4), compiled.py_func(4)
    assert type(got) is type(expected) and got == expected


def test_closures_of_one_function_are_separate():
    three, four = make_affine(3, 0, (0, 0)), make_affine(4, 0, (0, 0))
    assert (three(2), four(2)) == (6, 8)


@numlir.njit
def halve(x):
    return x / 2


def make_caller(g):
    @numlir.njit
    def call_it(x):
        return g(x) + 1

    return call_it


def test_closure_over_a_compiled_function():
    compiled = make_caller(halve)
    assert compiled(5) == make_caller(halve.py_func).py_func(5)


def make_inner_fib():
    # Compiled at decoration: its own name is not bound in the enclosing function yet.
    @numlir.njit("int64(int64)")
    def inner_fib(n):
        if n < 2:
            return n
        return inner_fib(n - 1) + inner_fib(n=n - 2)

    return inner_fib


@pytest.mark.parametrize("n", [0, 1, 10, 20])
def test_eager_self_recursion_of_an_inner_function(n):
    compiled = make_inner_fib()
    expected = (lambda f: f(f, n))(lambda f, m: m if m < 2 else f(f, m - 1) + f(f, m - 2))
    assert compiled(n) == expected


def test_a_variable_shared_with_an_inner_function():
    def shares(x):
        y = x + 1

        def inner():
            return y * 2

        return y + inner()

    assert numlir.njit(shares)(1) == shares(1)


def test_an_unsupported_closure_value_names_the_variable():
    table = [1, 2]

    def reads_list(i):
        return table[i]

    with pytest.raises(numlir.UnsupportedError, match="'table' is a value of type 'list'"):
        numlir.njit(reads_list)(0)


def slices(t):
    return t[1:], t[::-1], t[:-1:2], t[5:], t[-2:], t[1:3][::-1]


@pytest.mark.parametrize("t", [(1, 2.5, 3j, 4), (), (7,), ((1, 2), np.int8(3), True)], ids=repr)
def test_tuple_slices_by_constants(t):
    compare(numlir.njit(slices), slices, (t,))


def test_tuple_slice_by_run_time_values_is_a_typing_error():
    def cut(t, i):
        return t[i:]

    with pytest.raises(numlir.TypingError, match="sliced by constants"):
        numlir.njit(cut)((1, 2, 3), 1)


def extremes(t):
    return min(t), max(t)


@pytest.mark.parametrize("t", [(3, 1, 2), (2.5, -1, 7), (np.int8(3), np.int8(-4)), (1.0, 1), (5,),
                               (True, 2), (np.uint64(2 ** 63), np.uint64(1))], ids=repr)
def test_min_max_of_a_tuple(t):
    # Mixed elements unify as numba's do (min((2.5, -1)) is -1.0): equal values.
    compare(numlir.njit(extremes), extremes, (t,), numeric=True)


def test_min_of_an_empty_tuple_is_a_typing_error():
    with pytest.raises(numlir.TypingError, match=r"min\(\) arg is an empty sequence"):
        numlir.njit(extremes)(())


# ---------------------------------------------------------------------------------------------
# Defaults of compiled callees
# ---------------------------------------------------------------------------------------------

@numlir.njit
def scaled(x, k=2, offset=0.5):
    return x * k + offset


@numlir.njit
def spaced(a, b, n=5):
    out = np.empty(n)
    for i in range(n):
        out[i] = a + (b - a) * i / (n - 1)
    return out


def calls_with_defaults(x):
    return scaled(x), scaled(x, 3), scaled(x, offset=1.0), scaled(x, k=4, offset=-1)


def calls_array_callee_with_defaults(a):
    return spaced(a, 1.0).sum(), spaced(0.0, a, n=3)[2]


def too_many_arguments(x):
    return scaled(x, 1, 2, 3)


@pytest.mark.parametrize("x", [1.5, 2, -3])
def test_omitted_arguments_take_the_callees_defaults(x):
    check(calls_with_defaults, x)
    check(calls_array_callee_with_defaults, float(x))


def test_too_many_arguments_for_a_callee_is_a_typing_error():
    with pytest.raises(numlir.TypingError, match="takes 3 positional arguments but 4 were given"):
        numlir.njit(too_many_arguments)(1.0)


# *args: the arguments past the positional parameters arrive as a tuple.
@numlir.njit
def total_of(first, *rest):
    s = first
    for r in rest:
        s += r
    return s, len(rest)


def calls_with_varargs(x):
    return total_of(x), total_of(x, 1, 2), total_of(x, 2.5, 3.5)


def indexes_varargs(*args):
    return args[0] * 2, args[-1], len(args)


@pytest.mark.parametrize("x", [4, -1.5])
def test_compiled_callee_with_varargs(x):
    check(calls_with_varargs, x)


@pytest.mark.parametrize("args", [(1, 2, 3), (5,), (2.5, 1, 2)], ids=repr)
def test_varargs_from_python(args):
    assert total_of(*args) == total_of.py_func(*args)


@pytest.mark.parametrize("args", [(3, "x"), (1.5, 2, 3)], ids=repr)
def test_varargs_of_different_types(args):
    check(indexes_varargs, *args)


def test_varargs_with_keywords_is_a_type_error():
    with pytest.raises(TypeError, match=r"\*args"):
        total_of(1, 2, first=3)


# Functions as values inside compiled code: an @njit function passed to another, stored in a
# variable, or captured by a comprehension; an inner function or lambda likewise.
@numlir.njit
def square_of(x):
    return x * x


@numlir.njit
def apply_twice(f, x):
    return f(f(x))


def functions_as_values(x):
    g = square_of
    inc = lambda v: v + 1  # noqa: E731
    return apply_twice(square_of, x), g(3), apply_twice(inc, x), [inc(i) for i in range(3)]


@pytest.mark.parametrize("x", [2, 1.5])
def test_functions_as_values(x):
    check(functions_as_values, x)


@numlir.extending.register_jitable
def apply_to_each(f, xs):
    return [f(x) for x in xs]


def closures_as_values(n):
    # Inner functions and lambdas that read the enclosing function's variables, passed on
    # and called elsewhere: they carry those variables' values.
    k = n + 1
    scale = lambda v: v * k  # noqa: E731
    table = [3, 1, 2]

    def pick(i):
        return table[i] + k
    words = {"b": 2, "a": 2, "c": n}
    return (apply_to_each(scale, [1, 2]), apply_to_each(pick, range(3)), [scale(i) for i in range(2)],
            sorted(words, key=lambda w: (-words[w], w)), max(words, key=lambda w: words[w] * k))


@pytest.mark.parametrize("n", [0, 4])
def test_closures_as_values(n):
    check(closures_as_values, n)


def inner_defaults(n):
    # Defaults of inner functions and lambdas, made where they are defined (one reads a
    # local), omitted or given by position or keyword; annotations are ignored.
    def helper(x, y=2, z=0.5):
        return x ** y + z
    k = n * 2

    def scaled(x, by=k):
        return x * by

    def annotated(x: int) -> int:
        return x + 1
    f = lambda v, w=3: v * w  # noqa: E731
    squares = []
    for i in range(n):
        squares.append(helper(i))
    return squares, helper(n, 3), helper(n, z=1.0), scaled(4), scaled(4, 1), f(2), f(2, 5), annotated(n)


def default_through_a_value(n):
    def helper(x, y=2):
        return x * y
    return [helper(i) for i in range(n)]  # ERR


def test_a_function_value_call_omitting_a_default_names_the_call():
    with pytest.raises(numlir.TypingError) as info:
        numlir.njit(default_through_a_value)(3)
    assert "helper() takes 2 arguments but 1 were given" in str(info.value)
    assert f":{error_line(default_through_a_value)}:" in str(info.value)


@pytest.mark.parametrize("n", [0, 3])
def test_inner_function_defaults(n):
    check(inner_defaults, n)


def calls_a_number(x):
    return x(1)


def test_calling_a_number_is_a_typing_error():
    with pytest.raises(numlir.TypingError, match="'int' object is not callable"):
        numlir.njit(calls_a_number)(3)


@numlir.njit
def cube_of(x):
    return x * x * x


@pytest.mark.parametrize("f, x", [(square_of, 3), (cube_of, 2), (square_of, 2.5)], ids=repr)
def test_a_compiled_function_passed_from_python(f, x):
    # the callee is compiled for each function it gets, as numba's dispatcher type
    assert apply_twice(f, x) == apply_twice.py_func(f.py_func, x)


def test_each_function_argument_is_its_own_signature():
    apply_twice(square_of, 1)
    apply_twice(cube_of, 1)
    assert sum(1 for s in apply_twice.signatures if "function" in str(s)) >= 2


# ---------------------------------------------------------------------------------------------
# f(*t): a call whose arguments are a tuple's elements (forwarding *args)
# ---------------------------------------------------------------------------------------------
@numlir.njit
def add3(a, b, c):
    return a * 100 + b * 10 + c


@numlir.njit
def sum_star(*args):
    s = 0
    for x in args:
        s += x
    return s


@numlir.njit
def first_plus_count(a, *args):
    return a + len(args)


@numlir.njit
def forward(*args):
    return add3(*args)


@numlir.njit
def forward_to_varargs(*args):
    return first_plus_count(*args) + sum_star(*args)


def spread_a_tuple(x):
    t = (x, 2, 3)
    return add3(*t)


def forwards(x):
    return forward(x, 5, 6) + forward_to_varargs(x, 5, 6)


def star_beside_others(x, t):
    return add3(x, *t) + first_plus_count(x, 2, *t, *t)


def test_star_calls_spread_tuples():
    check(star_beside_others, 1, (2, 3))
    check(star_beside_others, 1.5, (2, True))
    check(spread_a_tuple, 1)
    check(spread_a_tuple, 4.5)
    check(forwards, 7)


def test_star_call_of_the_wrong_length_is_a_typing_error():
    def too_few(x):
        t = (x, 2)
        return add3(*t)
    with pytest.raises(numlir.TypingError, match="takes 3 arguments"):
        numlir.njit(too_few)(1)


def keywords_for_fixed_parameters(x):
    return first_plus_count(a=x), first_plus_count(x)


def test_keywords_name_the_fixed_parameters_of_a_varargs_function():
    check(keywords_for_fixed_parameters, 4)


def test_a_keyword_that_repeats_a_positional_argument_is_a_typing_error():
    def twice(x):
        return first_plus_count(x, 1, a=2)
    with pytest.raises(numlir.TypingError, match="multiple values for argument 'a'"):
        numlir.njit(twice)(1)


@numlir.njit
def default_before_varargs(a, b=5, *args):
    return a + b + len(args)


def calls_default_before_varargs(x):
    return default_before_varargs(x), default_before_varargs(x, 1), default_before_varargs(x, 1, 2, 3), default_before_varargs(a=x)


def test_defaults_of_a_varargs_function():
    check(calls_default_before_varargs, 2)


@numlir.njit
def widened(x, t):
    d = x * 2
    if t >= 0.5:
        return x - d * t
    return x + d * t


@numlir.njit
def first_or_widened(v, k, t):
    if k > 5:
        return v[0]  # a float32 here, a float64 on the other path (typed in a later sweep)
    return widened(v[0], t)


@numlir.njit
def first_of(x, y):
    return x


def passes_a_widened_result(v, k, t):
    return first_of(first_or_widened(v, k, t), v[:1].sum())


def test_an_argument_whose_type_widens_later_takes_a_new_instance():
    # The call of first_of is typed with a float32 argument first; when the callee's result
    # joins float64 in a later sweep, the call takes an instance for float64.
    # (Its two returns join as float64, as a float32 and a float64 variable join.)
    compiled = numlir.njit(passes_a_widened_result)
    for k in (2, 7):
        v = np.arange(1, 4, dtype=np.float32)
        got, expected = compiled(v, k, 0.25), passes_a_widened_result(v, k, 0.25)
        assert type(got) is float and got == float(expected)
