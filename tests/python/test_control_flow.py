"""Control flow: branches, loops (for over ranges, while, break/continue, nesting) and
algorithms built from them, compared with CPython (see ``check`` in conftest.py).
"""
import math

import numlir
from conftest import INT64_MAX, INT64_MIN, cases, check
from scalar_inputs import inf, nan


# ---------------------------------------------------------------------------------------------
# Branches
# ---------------------------------------------------------------------------------------------

def sign(x):
    if x > 0:
        return 1
    elif x < 0:
        return -1
    else:
        return 0


def classify(x):
    if x < 0:
        r = 0
    elif x < 10:
        r = 1
    elif x < 100:
        r = 2
    elif x < 1000:
        r = 3
    else:
        r = 4
    return r


def if_no_else(x):
    r = 5
    if x > 3:
        r = r * x
    return r


def nested_if(a, b):
    if a > 0:
        if b > 0:
            return 1
        else:
            return 2
    else:
        if b > 0:
            return 3
        return 4


def truthiness_branch(x):
    if x:
        return 1
    return 0


@cases(5, -5, 0, 0.5, -0.0, nan, inf, -inf, True, False)
def test_if_elif_else(args):
    check(sign, *args)


@cases(-1, 0, 9, 10, 99, 100, 999, 1000, 2 ** 62, 55.5, nan)
def test_elif_chain(args):
    check(classify, *args)


@cases(1, 3, 4, -4, 3.5)
def test_if_without_else(args):
    check(if_no_else, *args)


@cases((1, 1), (1, -1), (-1, 1), (-1, -1), (0, 0), (0.5, -0.5))
def test_nested_if(args):
    check(nested_if, *args)


@cases(0, 3, -3, 0.0, 0.1, nan, True, False)
def test_if_truthiness(args):
    check(truthiness_branch, *args)


# ---------------------------------------------------------------------------------------------
# Loops
# ---------------------------------------------------------------------------------------------

def sum_range1(n):
    s = 0
    for i in range(n):
        s += i
    return s


def sum_range2(a, b):
    s = 0
    for i in range(a, b):
        s += i * i
    return s


def sum_range3(a, b, step):
    s = 0
    for i in range(a, b, step):
        s = s * 3 + i
    return s


def count_range3(a, b, step):
    n = 0
    for _ in range(a, b, step):
        n += 1
    return n


def long_loop_body(n):
    # A loop body this long needs EXTENDED_ARG for its jumps, and the backward jump lands on
    # the prefix of the loop test's jump.
    t = 1
    i = 0
    while i < n:
        t = (t * 3 + i + 0) % 1000003
        t = (t * 4 + i + 1) % 1000003
        t = (t * 5 + i + 2) % 1000003
        t = (t * 6 + i + 3) % 1000003
        t = (t * 7 + i + 4) % 1000003
        t = (t * 3 + i + 5) % 1000003
        t = (t * 4 + i + 6) % 1000003
        t = (t * 5 + i + 7) % 1000003
        t = (t * 6 + i + 8) % 1000003
        t = (t * 7 + i + 9) % 1000003
        t = (t * 3 + i + 10) % 1000003
        t = (t * 4 + i + 11) % 1000003
        t = (t * 5 + i + 12) % 1000003
        t = (t * 6 + i + 13) % 1000003
        t = (t * 7 + i + 14) % 1000003
        t = (t * 3 + i + 15) % 1000003
        t = (t * 4 + i + 16) % 1000003
        t = (t * 5 + i + 17) % 1000003
        t = (t * 6 + i + 18) % 1000003
        t = (t * 7 + i + 19) % 1000003
        t = (t * 3 + i + 20) % 1000003
        t = (t * 4 + i + 21) % 1000003
        t = (t * 5 + i + 22) % 1000003
        t = (t * 6 + i + 23) % 1000003
        t = (t * 7 + i + 24) % 1000003
        t = (t * 3 + i + 25) % 1000003
        t = (t * 4 + i + 26) % 1000003
        t = (t * 5 + i + 27) % 1000003
        t = (t * 6 + i + 28) % 1000003
        t = (t * 7 + i + 29) % 1000003
        t = (t * 3 + i + 30) % 1000003
        t = (t * 4 + i + 31) % 1000003
        t = (t * 5 + i + 32) % 1000003
        t = (t * 6 + i + 33) % 1000003
        t = (t * 7 + i + 34) % 1000003
        t = (t * 3 + i + 35) % 1000003
        t = (t * 4 + i + 36) % 1000003
        t = (t * 5 + i + 37) % 1000003
        t = (t * 6 + i + 38) % 1000003
        t = (t * 7 + i + 39) % 1000003
        i += 1
    return t


def while_sum(n):
    s = 0
    i = 0
    while i < n:
        s += i
        i += 1
    return s


def loop_break(n):
    i = 0
    for i in range(n):
        if i * i > 50:
            break
    return i


def loop_continue(n):
    s = 0
    for i in range(n):
        if i % 3 == 0:
            continue
        s += i
    return s


def early_return(n):
    for i in range(2, n):
        if n % i == 0:
            return i
    return n


def nested_loops(n, m):
    s = 0
    for i in range(n):
        for j in range(m):
            s += i * j - j
    return s


def nested_break(n):
    count = 0
    for i in range(n):
        for j in range(n):
            if j > i:
                break
            count += 1
    return count


def while_true_break(n):
    i = 0
    while True:
        i += 1
        if i >= n:
            break
    return i


def loop_var_after(n):
    for i in range(n):
        pass
    return i


def for_else(n):
    r = -1
    for i in range(n):
        if i == 5:
            r = i
            break
    else:
        r = 100
    return r


def while_else(n):
    i = 0
    while i < n:
        i += 2
    else:
        i = -i
    return i


def range_args_evaluated_once(n):
    s = 0
    for i in range(n):
        n -= 1
        s += i
    return s, n


@cases(0, 1, 10, 100, -5, True)
def test_for_range_one_arg(args):
    check(sum_range1, *args)


@cases((0, 10), (5, 5), (10, 0), (-5, 5), (-10, -3), (2 ** 62, 2 ** 62 + 4))
def test_for_range_two_args(args):
    check(sum_range2, *args, wrap=True)


@cases((0, 10, 3), (10, 0, -3), (10, 0, -1), (5, 5, 1), (0, 10, -1), (-5, 5, 2), (5, -5, -2),
       (0, 1, 100), (0, -100, -7), (3, 4, -1), (0, 5, 0))
def test_for_range_three_args(args):
    check(sum_range3, *args)


@cases((0, 10, 3), (10, 0, -3), (0, 10, -1), (-5, 5, 2), (5, -5, -2), (0, 1, 100),
       (INT64_MAX - 10, INT64_MAX, 1), (INT64_MIN + 10, INT64_MIN, -1), (0, 2 ** 40, 2 ** 38),
       (0, 5, 0))
def test_range_iteration_count(args):
    check(count_range3, *args)


@cases((INT64_MAX - 10, INT64_MAX, 3), (INT64_MIN + 10, INT64_MIN, -4),
       (INT64_MAX - 4, INT64_MAX, 2 ** 62))
def test_range_iteration_count_near_int64_limits(args):
    check(count_range3, *args)


def len_range3(a, b, c):
    return len(range(a, b, c))


def len_range1(n):
    r = range(n)
    return len(r) * 2


@cases((0, 10, 3), (10, 0, -3), (0, 10, -1), (-5, 5, 2), (5, -5, -2), (0, 1, 100), (5, 5, 1),
       (INT64_MAX - 10, INT64_MAX, 3), (INT64_MIN + 10, INT64_MIN, -4), (0, 2 ** 40, 2 ** 38),
       (0, 5, 0))
def test_len_of_range(args):
    check(len_range3, *args)


@cases(0, 7, -3)
def test_len_of_range_variable(args):
    check(len_range1, *args)


@cases(0, 1, 10, 1000, -3)
def test_while_loop(args):
    check(while_sum, *args)


@cases(0, 1, 7, 300)
def test_loop_with_wide_jumps(args):
    import dis
    assert any(i.opname == "EXTENDED_ARG" for i in dis.get_instructions(long_loop_body))
    check(long_loop_body, *args)


@cases(1, 5, 8, 9, 100)
def test_break(args):
    check(loop_break, *args)


@cases(0, 1, 10, 31)
def test_continue(args):
    check(loop_continue, *args)


@cases(2, 3, 9, 35, 97, 221, 7919)
def test_early_return_from_loop(args):
    check(early_return, *args)


@cases((0, 0), (3, 4), (10, 10), (5, 0), (-2, 3))
def test_nested_loops(args):
    check(nested_loops, *args)


@cases(0, 1, 5, 20)
def test_nested_loops_break_inner(args):
    check(nested_break, *args)


@cases(1, 5, 0, -5)
def test_while_true_break(args):
    check(while_true_break, *args)


@cases(1, 5, 13)
def test_loop_variable_after_loop(args):
    check(loop_var_after, *args)


@cases(0, 3, 6, 10)
def test_for_else(args):
    check(for_else, *args)


@cases(0, 1, 5, 6)
def test_while_else(args):
    check(while_else, *args)


@cases(0, 4, 9)
def test_range_bounds_evaluated_once(args):
    check(range_args_evaluated_once, *args)


# ---------------------------------------------------------------------------------------------
# Range loops as scf.for (numlir-range-for-loops): loops left only through their test run over
# one induction variable; the others keep their blocks.
# ---------------------------------------------------------------------------------------------

def triangle(n, step):
    total = 0
    for i in range(n):
        for j in range(i, n, step):
            total += i * 1000 + j
    return total


def branchy_body(n):
    evens, odds, last = 0, 0, -1
    for i in range(n - 1, -n, -3):
        if i % 2 == 0:
            evens += i
            continue
        k = i
        while k > 10:
            k //= 3
        odds += k
        last = i
    return evens, odds, last


def reversed_steps(a, b, step):
    out = 0
    for i in reversed(range(a, b, step)):
        out = out * 7 + i
    return out


def index_from_loop(n, shift):
    a = [0] * 20
    for i in range(n):
        a[i - shift] += i
    return a[0], a[5], a[-1], a[-shift - 1]


@cases((0, 1), (1, 1), (7, 1), (7, 2), (9, 4), (30, 7))
def test_nested_range_loops_with_dependent_bounds(args):
    check(triangle, *args)


@cases(0, 1, 2, 13, 50)
def test_range_loop_with_branches_continue_and_inner_while(args):
    check(branchy_body, *args)


@cases((0, 10, 1), (0, 10, 3), (10, 0, -3), (-7, 8, 5), (5, 5, 1), (INT64_MAX - 5, INT64_MAX, 2),
       (INT64_MIN + 5, INT64_MIN, -2))
def test_reversed_range_steps(args):
    check(reversed_steps, *args, wrap=True)


@cases((10, 0), (10, 3), (20, 10), (15, 20))
def test_index_from_a_range_loop_wraps_negative(args):
    check(index_from_loop, *args)


# ---------------------------------------------------------------------------------------------
# Algorithms built from loops
# ---------------------------------------------------------------------------------------------

def count_primes(n):
    count = 0
    for k in range(2, n):
        is_prime = True
        d = 2
        while d * d <= k:
            if k % d == 0:
                is_prime = False
                break
            d += 1
        if is_prime:
            count += 1
    return count


def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def gcd_iter(a, b):
    while b:
        a, b = b, a % b
    return a


def fib_iter(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def factorial_iter(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


def sum_digits(n):
    n = abs(n)
    s = 0
    while n > 0:
        s += n % 10
        n //= 10
    return s


def reverse_digits(n):
    r = 0
    while n > 0:
        r = r * 10 + n % 10
        n //= 10
    return r


def is_palindrome_number(n):
    return n >= 0 and reverse_digits_inline(n) == n


@numlir.njit
def reverse_digits_inline(n):
    r = 0
    while n > 0:
        r = r * 10 + n % 10
        n //= 10
    return r


def isqrt_newton(n):
    if n < 2:
        return n
    x = n
    y = (x + 1) // 2
    while y < x:
        x = y
        y = (x + n // x) // 2
    return x


def pow_mod(base, exp, m):
    result = 1
    base %= m
    while exp > 0:
        if exp & 1:
            result = result * base % m
        base = base * base % m
        exp >>= 1
    return result


def harmonic(n):
    s = 0.0
    for k in range(1, n + 1):
        s += 1.0 / k
    return s


def leibniz_pi(n):
    s = 0.0
    sgn = 1.0
    for k in range(n):
        s += sgn / (2 * k + 1)
        sgn = -sgn
    return 4 * s


def popcount(n):
    c = 0
    while n:
        n &= n - 1
        c += 1
    return c


def binomial(n, k):
    if k < 0 or k > n:
        return 0
    r = 1
    for i in range(min(k, n - k)):
        r = r * (n - i) // (i + 1)
    return r


def lcm(a, b):
    x, y = a, b
    while y:
        x, y = y, x % y
    return a // x * b


def perfect(n):
    s = 0
    for d in range(1, n):
        if n % d == 0:
            s += d
    return s == n


def midpoint_integral(n):
    h = math.pi / n
    s = 0.0
    for i in range(n):
        s += math.sin((i + 0.5) * h)
    return s * h


def newton_sqrt(x):
    g = x / 2 if x > 1 else 1.0
    for _ in range(60):
        g = 0.5 * (g + x / g)
    return g


def bisect_cubic(lo, hi):
    for _ in range(100):
        mid = (lo + hi) / 2
        if mid * mid * mid - 2 * mid - 5 > 0:
            hi = mid
        else:
            lo = mid
    return lo


def digital_root(n):
    while n >= 10:
        s = 0
        while n:
            s += n % 10
            n //= 10
        n = s
    return n


@cases(0, 2, 3, 10, 100, 1000)
def test_count_primes(args):
    check(count_primes, *args)


@cases(1, 2, 3, 6, 7, 27, 97, 871, 2 ** 40 + 1)
def test_collatz(args):
    check(collatz_steps, *args)


@cases((12, 18), (18, 12), (17, 5), (0, 5), (5, 0), (2 ** 40, 2 ** 20 * 3), (-12, 18), (12, -18))
def test_gcd_iterative(args):
    check(gcd_iter, *args)


@cases(0, 1, 2, 10, 50, 92)
def test_fib_iterative(args):
    check(fib_iter, *args)


@cases(0, 1, 5, 20)
def test_factorial_iterative(args):
    check(factorial_iter, *args)


@cases(0, 7, 12345, -987, INT64_MAX)
def test_sum_digits(args):
    check(sum_digits, *args)


@cases(0, 7, 12345, 1200, 10 ** 17 + 1)
def test_reverse_digits(args):
    check(reverse_digits, *args)


@cases(0, 121, 123, 1221, -121, 10)
def test_palindrome_number(args):
    check(is_palindrome_number, *args)


@cases(0, 1, 2, 15, 16, 17, 10 ** 12, 10 ** 18 - 1, INT64_MAX - 1)
def test_isqrt_newton(args):
    check(isqrt_newton, *args)


@cases((2, 10, 1000), (3, 200, 13), (7, 0, 5), (12345, 6789, 1000003), (-3, 5, 7), (2, 100, 1))
def test_pow_mod(args):
    check(pow_mod, *args)


@cases(0, 1, 10, 1000)
def test_harmonic(args):
    check(harmonic, *args)


@cases(1, 10, 1000)
def test_leibniz_pi(args):
    check(leibniz_pi, *args)


@cases(0, 1, 255, 2 ** 62, INT64_MAX, 12345678987654321)
def test_popcount(args):
    check(popcount, *args)


@cases((5, 2), (10, 5), (30, 15), (60, 30), (5, 7), (5, -1), (0, 0))
def test_binomial(args):
    check(binomial, *args)


@cases((4, 6), (21, 6), (7, 13), (1, 1))
def test_lcm(args):
    check(lcm, *args)


@cases(6, 28, 12, 496, 1)
def test_perfect_number(args):
    check(perfect, *args)


@cases(1, 10, 1000)
def test_midpoint_integral(args):
    check(midpoint_integral, *args)


@cases(2.0, 10, 1e10, 0.25, 2)
def test_newton_sqrt(args):
    check(newton_sqrt, *args)


@cases((2.0, 3.0), (0, 10), (-1.0, 5))
def test_bisection(args):
    check(bisect_cubic, *args)


@cases(0, 9, 38, 123456789, INT64_MAX)
def test_digital_root(args):
    check(digital_root, *args)
