"""Container benchmark kernels (lists, dicts, strings and a generator): plain Python functions, compiled by each engine in
turn. Each entry of CONTAINER_KERNELS: (name, function, make_args(scale), NumPy version
(none), bytes moved (none))."""


def list_append_sum(n):
    xs = []
    for i in range(n):
        xs.append(i)
    s = 0
    for x in xs:
        s += x
    return s


def list_argument_sum(xs):
    s = 0.0
    for x in xs:
        s += x
    return s


def dict_insert_lookup(n):
    d = {}
    for i in range(n):
        d[i * 7] = i
    s = 0
    for i in range(n):
        s += d[i * 7]
    return s


def word_count(text):
    # `counts[w] = counts.get(w, 0) + 1` is the usual idiom, which numba cannot type on an
    # empty dict; this form both compile.
    counts = {}
    for w in text.split():
        if w in counts:
            counts[w] += 1
        else:
            counts[w] = 1
    return len(counts)


def residues(n):
    # A generator function: compiled, each value comes from resuming it (numba: a
    # generator of its own; numlir: an LLVM coroutine).
    for i in range(n):
        if i % 3 != 0:
            yield i * i % 7


def generator_sum(n):
    s = 0
    for v in residues(n):
        s += v
    return s


def _append_args(scale):
    return (int(10_000_000 * scale),)


def _dict_args(scale):
    return (int(1_000_000 * scale),)


def _float_list_args(scale):
    return ([i * 0.5 for i in range(int(1_000_000 * scale))],)


def _text_args(scale):
    # ~10 MB of words drawn from a 5,000-word vocabulary (a fixed seed: the same text each run)
    import random

    rng = random.Random(7)
    vocabulary = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(5000)]
    words = [rng.choice(vocabulary) for _ in range(int(1_600_000 * scale))]
    return (" ".join(words),)


CONTAINER_KERNELS = [
    ("list append + sum (10M ints)", list_append_sum, _append_args, None, None),
    ("dict 1M inserts + 1M lookups", dict_insert_lookup, _dict_args, None, None),
    # the time of a call includes reading the Python list into compiled code's list
    ("list argument (1M floats)", list_argument_sum, _float_list_args, None, None),
    ("word count (split + dict, 10 MB)", word_count, _text_args, None, None),
    # the kernel calls the generator function `residues`, compiled by the same engine
    ("generator (10M values)", generator_sum, _append_args, None, None),
]
