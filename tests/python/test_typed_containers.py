"""numlir.typed.List and numlir.typed.Dict (numba's typed containers): usable from the
interpreter, passed to compiled functions as they are (changes inside are theirs), and
picklable. Each compiled result is compared with the same function run by CPython on a plain
list or dict."""
import pickle

import pytest

import numlir
from numlir import types
from numlir.typed import Dict, List
from conftest import check


def total_and_append(xs):
    s = 0.0
    for x in xs:
        s += x
    xs.append(s)
    return s


def fill(d, n):
    for i in range(n):
        d[i] = i * 1.5
    return len(d)


def lookup(d, k):
    return d[k] if k in d else -1.0


def test_list_from_the_interpreter():
    l = List.empty_list(types.float64)
    for i in range(4):
        l.append(i * 0.5)
    plain = [i * 0.5 for i in range(4)]
    assert list(l) == plain and len(l) == 4 and l[-1] == 1.5 and 0.5 in l
    l[0] = 9.0
    plain[0] = 9.0
    assert l.pop() == plain.pop() and list(l) == plain
    assert l == plain
    assert repr(l) == f"ListType[float64]({plain!r})"


def test_list_takes_its_type_from_the_first_item():
    l = List([1, 2, 3])
    assert l._item_type == "int64" and list(l) == [1, 2, 3]
    with pytest.raises(TypeError):
        l.append("a")


def test_list_passes_into_compiled_code_and_keeps_its_changes():
    l = List.empty_list(types.float64)
    l.extend([1.0, 2.5, 4.0])
    plain = [1.0, 2.5, 4.0]
    assert numlir.njit(total_and_append)(l) == total_and_append(plain)
    assert list(l) == plain


def test_dict_from_the_interpreter_and_compiled_code():
    d = Dict.empty(key_type=types.int64, value_type=types.float64)
    plain = {}
    assert numlir.njit(fill)(d, 5) == fill(plain, 5)
    assert dict(d.items()) == plain and list(d) == list(plain)
    assert numlir.njit(lookup)(d, 3) == lookup(plain, 3)
    assert numlir.njit(lookup)(d, 30) == lookup(plain, 30)
    d[30] = 1.0
    plain[30] = 1.0
    del d[0]
    del plain[0]
    assert d == plain and d.get(99, 7.0) == 7.0 and d.pop(30) == 1.0
    with pytest.raises(KeyError):
        d[1234]


def test_typed_containers_pickle():
    l = List([1.5, 2.5])
    d = Dict.empty(types.int64, types.int64)
    d[1] = 2
    assert list(pickle.loads(pickle.dumps(l))) == [1.5, 2.5]
    assert dict(pickle.loads(pickle.dumps(d)).items()) == {1: 2}


def test_empty_untyped_list_argument_is_a_type_error():
    with pytest.raises(TypeError, match="empty_list"):
        numlir.njit(total_and_append)(List())


def test_import_as_numba():
    import numlir as numba
    from numlir.typed import List as L
    assert numba.typed.List is L


def made_inside(n):
    l = List.empty_list(types.float64)
    for i in range(n):
        l.append(i)
    d = Dict.empty(key_type=types.int64, value_type=types.float64)
    for i in range(n):
        d[i] = i * 2
    m = List()
    m.append(n)
    e = Dict.empty(types.int64, types.int64)
    return list(l), dict(d), list(m), len(e)


@pytest.mark.parametrize("n", [0, 4])
def test_typed_containers_made_in_compiled_code(n):
    # CPython runs it with the same typed containers (which hold floats: ints are converted)
    check(made_inside, n)


def empty_of_a_bad_type(n):
    return len(List.empty_list(n))


def test_empty_list_needs_a_type():
    with pytest.raises(numlir.UnsupportedError, match="needs item_type as a numlir type"):
        numlir.njit(empty_of_a_bad_type)(1)


def join_and_append(words, counts):
    words.append("ñ")
    for w in words:
        counts[w] = counts.get(w, 0) + len(w)
    return "-".join(words)


def test_typed_containers_of_strings():
    words = List.empty_list(types.unicode_type)
    counts = Dict.empty(key_type=types.unicode_type, value_type=types.int64)
    for w in ("a", "日本", "a"):
        words.append(w)
    plain_words, plain_counts = ["a", "日本", "a"], {}
    assert numlir.njit(join_and_append)(words, counts) == join_and_append(plain_words, plain_counts)
    assert list(words) == plain_words and dict(counts) == plain_counts
    assert pickle.loads(pickle.dumps(words)) == words


def test_explicit_signature_with_strings():
    repeat = numlir.njit("unicode_type(unicode_type, int64)")(lambda s, n: s * n)
    assert repeat("ab", 3) == "ab" * 3
