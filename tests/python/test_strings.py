"""Strings in compiled code: literals, arguments and results, operators, indexing, slicing,
iteration, the str methods, str()/repr()/format() and f-strings, int()/float() of a str,
ord/chr, and strings in lists, dicts and sets; compared with CPython (see ``check`` in
conftest.py), non-ASCII text included."""
import pytest

import numlir
from conftest import cases, check, error_line

TEXTS = ("", "a", "hello world", "  Mixed Case\tText\n", "ñandú über straße", "日本語のテキスト", "emoji 🎉 here", "a,b,,c")


def operators(s, t):
    u = s + t
    v = s * 2
    w = 3 * t
    u += "!"
    return u, v, w, s == t, s != t, s < t, s <= t, s > t, s >= t, s in u, "zz" in s, len(u), bool(s), not t


def indexing(s, i):
    return s[i], s[-1], s[0]


def slicing(s):
    return s[1:], s[:3], s[::2], s[::-1], s[-3:-1], s[5:2], s[1:-1:3], s[100:]


def iteration(s):
    chars = []
    for c in s:
        chars.append(c)
    codes = [ord(c) for c in s]
    rev = ""
    for c in reversed(chars):
        rev += c
    return chars, codes, rev, list(s), sorted(s), [i for i, c in enumerate(s) if c == "a"]


def case_methods(s):
    return s.upper(), s.lower(), s.capitalize(), s.title(), s.swapcase()


def strip_methods(s):
    return s.strip(), s.lstrip(), s.rstrip(), s.strip("ab "), s.lstrip("h"), s.rstrip("d\n")


def split_methods(s):
    return (s.split(), s.split(" "), s.split(","), s.split(None, 1), s.split(",", 1), s.rsplit(" ", 1), s.rsplit(),
            s.split(sep=","), s.split(maxsplit=1))


def join_method(words):
    return " ".join(words), ",".join(words), "".join(words), "-".join([w.upper() for w in words])


def search_methods(s):
    return (s.startswith("he"), s.endswith("ld"), s.startswith(""), s.find("o"), s.rfind("o"), s.find("zz"),
            s.find("o", 5), s.find("o", 2, 6), s.count("l"), s.count(""), s.count("o", 5), s.rfind(""),
            s.startswith("l", 2), s.endswith("o", 0, 5))


def replace_method(s):
    return s.replace("l", "L"), s.replace("o", ""), s.replace("l", "_", 1), s.replace("", "|"), s.replace("xyz", "q")


def predicates(s):
    return s.isdigit(), s.isalpha(), s.isspace(), s.isalnum(), s.isupper(), s.islower(), s.isdecimal(), s.isnumeric()


def padding(s, w):
    return s.zfill(w), s.ljust(w), s.rjust(w), s.center(w), s.ljust(w, "*"), s.center(w, "-"), s.rjust(w, "0")


def conversions(i, x, b):
    return str(i), str(x), str(b), repr(i), repr(x), str("s"), str(), repr("it's"), repr('say "hi"\n')


def f_strings(i, x, s):
    return (f"{i}", f"{x}", f"{s}", f"i={i}, x={x:.2f}, s={s!r}", f"{i:5d}|{i:<5}|{i:^7}|{i:+}|{i:x}|{i:#o}|{i:,}",
            f"{x:10.3f}|{x:e}|{x:.3g}|{x:%}|{x:+.1f}|{x:g}|{x:.0f}|{x:,.2f}", f"{s:>8}|{s:<8}|{s:^9}|{s:.2}|{s:*^10}",
            f"{i:08.2f}", f"{x!s}", f"{i:{'>'}{6}}", f"{True}", f"{-x:010.4f}")


def parse_numbers(s):
    return int(s) * 2, float(s) / 4


def parse_float(s):
    return float(s)


def chars_and_codes(n):
    return chr(n), ord(chr(n)), chr(65 + n % 26)


def word_count(text):
    counts = {}
    for w in text.split():
        counts[w] = counts.get(w, 0) + 1
    return counts


def string_containers(text):
    words = text.split()
    seen = set(words)
    firsts = {w: w[0] for w in words}
    longest = max(words)
    return words, sorted(seen), firsts, "the" in seen, "the" in words, words.index(words[-1]), words.count("a"), longest, min(words)


def build_by_appending(n):
    s = ""
    for i in range(n):
        s += str(i)
        if i % 2:
            s = s + ","
    return s, len(s)


def literal_only():
    return "a literal", "ünïcödé", ""


def compare_with_number(s):
    return s == 1, s != 2.5


def index_error(s):
    return s[len(s)]


def index_method_missing(s):
    return s.index("zz")


def empty_separator(s):
    return s.split("")


def bad_int(s):
    return int(s)


def bad_ord(s):
    return ord(s)


def bad_chr(n):
    return chr(n)


def missing_str_key(k):
    d = {"a": 1}
    return d[k]


def bad_format(x):
    return f"{x:q}"


def bad_fill(s):
    return s.center(9, "ab")


@cases(*[(s, t) for s in TEXTS[:5] for t in ("hello", "ñ", "")])
def test_operators(args):
    check(operators, *args)


@cases(("hello", 1), ("日本語", -2), ("ñandú", 4))
def test_indexing(args):
    check(indexing, *args)


@cases(*TEXTS[1:])
def test_slicing(args):
    check(slicing, *args)


@cases(*TEXTS)
def test_iteration(args):
    check(iteration, *args)


@cases(*TEXTS, "hello WORLD o'neil", "ÉCOLE ßtraße", "ǆungla ǈ", "ﬁne")
def test_case_methods(args):
    check(case_methods, *args)


@cases(*TEXTS, "abhello worldba")
def test_strip_methods(args):
    check(strip_methods, *args)


@cases(*TEXTS, "one  two three ", "x,y,z", "  lead and trail  ", "日本 語  ")
def test_split_methods(args):
    check(split_methods, *args)


def join_iterables(s):
    parts = s.split(",")
    d = {p: i for i, p in enumerate(parts)}
    return (",".join(reversed(parts)), "-".join(str(i) for i in range(3)), "+".join(d.keys()),
            "".join(sorted(parts)), " ".join(p.upper() for p in parts if p), "/".join(set(parts[:1])))


@cases(["a", "bb", "ccc"], ["", ""], ["ñ", "日本"], ["solo"])
def test_join(args):
    check(join_method, *args)
    check(join_iterables, ",".join(args[0]))


@cases("hello world", "", "lollollol", "日本語 hello")
def test_search_methods(args):
    check(search_methods, *args)


@cases("hello world", "", "lol", "ñolé")
def test_replace(args):
    check(replace_method, *args)


@cases("123", "abc", "   ", "a1", "ABC", "abc def", "", "Ab", "١٢٣", "ñ")
def test_predicates(args):
    check(predicates, *args)


@cases(("42", 6), ("-42", 6), ("+7", 4), ("abc", 2), ("ñ", 5), ("ab", 7))
def test_padding(args):
    check(padding, *args)


@cases((0, 0.0, True), (-17, 1e16, False), (123456789, 1e-5, True), (5, 2.5e-300, False), (1, float("inf"), True),
       (2, float("nan"), False), (3, -0.0, True), (4, 0.1 + 0.2, True), (9, 123456789012345678.0, False))
def test_str_and_repr_of_numbers(args):
    check(conversions, *args)


@cases((7, 3.14159, "abc"), (-1234567, -0.000123, "ñandú"), (0, 1e20, ""), (255, 2.5, "x"))
def test_f_strings(args):
    check(f_strings, *args)


def percent_formatting(n, x, s):
    return ("n=%d" % n, "%5d|%-5d|%05d|%+d|% d" % (n, n, n, n, n), "%.3f %8.2f %-8.1f| %e %g %G" % (x, x, x, x, x, x),
            "%s and %r" % (s, s), "%x %X %#o %#x %%" % (n, n, n, n), "%5s|%-5s|%.1s" % (s, s, s), "%d" % x, "%s" % n,
            "%i%%" % (n,), "no fields" % ())


def str_format_method(n, x, s):
    return ("{} items".format(n), "{:.2f} {:>8} {:<6}|".format(x, s, n), "{1}-{0}".format(n, s),
            "{name}={v:.1e}".format(name=s, v=x), "{!r} {{lit}} {:05d}".format(s, n), "{0} {0}".format(n),
            "{:,}".format(n), "{:^9.3}".format(x))


# ("%d" % 1e20 is CPython's arbitrary-precision int; compiled code's int is int64.)
@cases((7, 3.14159, "abc"), (-1234567, -0.000123, "ñandú"), (0, 1e15, ""), (255, 2.5, "x"))
def test_percent_and_format_method(args):
    check(percent_formatting, *args)
    check(str_format_method, *args)


def percent_with_too_few(n):
    return "%d and %d" % n  # ERR


def percent_with_too_many(n):
    return "%d" % (n, n)  # ERR


def format_of_a_missing_keyword(n):
    return "{k}".format(j=n)  # ERR


@pytest.mark.parametrize("func, message", [
    (percent_with_too_few, "not enough arguments for format string"),
    (percent_with_too_many, "not all arguments converted during string formatting"),
    (format_of_a_missing_keyword, "the format string names 'k'"),
], ids=lambda v: getattr(v, "__name__", None))
def test_format_strings_that_do_not_match_their_arguments(func, message):
    # CPython raises TypeError or KeyError when it runs them; compiled code knows at compile time.
    with pytest.raises(numlir.TypingError) as info:
        numlir.njit(func)(3)
    assert message in str(info.value) and f":{error_line(func)}:" in str(info.value)


@cases(" 42 ", "-7", "1_000", "+3")
def test_int_and_float_of_str(args):
    check(parse_numbers, *args)


@cases("2.5", " -1e-3 ", "inf", "-Infinity", "nan", "1_0.5", "1e400", ".5", "5.")
def test_float_of_str(args):
    check(parse_float, *args)


@cases(65, 0, 241, 26085, 127881)
def test_chr_and_ord(args):
    check(chars_and_codes, *args)


@cases("the quick brown fox jumps over the lazy dog the end", "", "a a a b", "ünï ünï cödé")
def test_word_count(args):
    check(word_count, *args)


@cases("the cat and a dog and the bird a", "solo")
def test_strings_in_containers(args):
    check(string_containers, *args)


@cases(0, 1, 12)
def test_build_by_appending(args):
    check(build_by_appending, *args)


def test_literals():
    check(literal_only)


def test_a_str_is_never_equal_to_a_number():
    check(compare_with_number, "1")


@pytest.mark.parametrize("func, args", [
    (index_error, ("abc",)),
    (index_method_missing, ("hello",)),
    (empty_separator, ("a b",)),
    (bad_int, ("12a",)),
    (bad_int, ("",)),
    (bad_int, ("1__0",)),
    (parse_float, ("x1.5",)),
    (bad_ord, ("ab",)),
    (bad_chr, (-1,)),
    (bad_chr, (0x110000,)),
    (missing_str_key, ("b",)),
    (missing_str_key, ("5",)),
    (bad_format, (1.5,)),
    (bad_fill, ("x",)),
], ids=lambda v: getattr(v, "__name__", repr(v)))
def test_errors_are_cpythons(func, args):
    check(func, *args)


def string_list_argument(words):
    words.append("new")
    return len(words)


def test_a_list_of_strings_is_reflected():
    words = ["a", "ñ"]
    expected = ["a", "ñ"]
    assert numlir.njit(string_list_argument)(words) == string_list_argument(expected)
    assert words == expected


def add_number(s):
    return s + 1  # ERR


def compare_order(s):
    return s < 1


def set_char(s):
    s[0] = "x"
    return s


def unknown_method(s):
    return s.expandtabs()


@pytest.mark.parametrize("func, message", [
    (add_number, r"unsupported operand types for \+: 'str' and 'int'"),
    (compare_order, r"'<' is not supported between 'str' and 'int'"),
    (set_char, r"item assignment needs an array, not str"),
])
def test_typing_errors(func, message):
    with pytest.raises(numlir.TypingError, match=message):
        numlir.njit(func)("abc")


def test_unsupported_method_names_itself():
    with pytest.raises(numlir.UnsupportedError, match=r"str.expandtabs\(\) is not supported"):
        numlir.njit(unknown_method)("abc")


def test_strings_do_not_leak():
    import resource

    f = numlir.njit(word_count)
    text = "alpha beta gamma alpha " * 20
    f(text)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(20000):
        f(text)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown < 4096, f"RSS grew {grown} KiB"


def raise_formatted(x):
    if x < 0:
        raise ValueError(f"x must be >= 0, got {x}")
    return x


def raise_number_message(x):
    raise ValueError(x)


def raise_after_building_a_list(n):
    xs = [str(i) for i in range(n)]
    if len(xs) > 2:
        raise IndexError("too many: " + ", ".join(xs))
    return xs


@pytest.mark.parametrize("func, args", [
    (raise_formatted, (-3,)),
    (raise_formatted, (4,)),
    (raise_number_message, (7,)),
    (raise_after_building_a_list, (5,)),
    (raise_after_building_a_list, (2,)),
], ids=lambda v: getattr(v, "__name__", repr(v)))
def test_raise_with_a_message_made_at_run_time(func, args):
    check(func, *args)
