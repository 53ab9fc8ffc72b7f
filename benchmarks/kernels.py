"""Scalar benchmark kernels: plain Python functions, compiled by each engine in turn.
Each entry of KERNELS: (name, function, arguments for the timed call)."""
import math


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


def collatz_longest(n):
    best, best_start = 0, 1
    for start in range(1, n):
        x, steps = start, 0
        while x != 1:
            x = x // 2 if x % 2 == 0 else 3 * x + 1
            steps += 1
        if steps > best:
            best, best_start = steps, start
    return best_start, best


def leibniz_pi(n):
    s = 0.0
    sign = 1.0
    for k in range(n):
        s += sign / (2 * k + 1)
        sign = -sign
    return 4 * s


def mandelbrot(width, height, max_iter):
    total = 0
    for j in range(height):
        y = -1.5 + 3.0 * j / height
        for i in range(width):
            x = -2.0 + 3.0 * i / width
            zr, zi = 0.0, 0.0
            k = 0
            while k < max_iter and zr * zr + zi * zi <= 4.0:
                zr, zi = zr * zr - zi * zi + x, 2.0 * zr * zi + y
                k += 1
            total += k
    return total


def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


def gcd_sum(n):
    s = 0
    for a in range(1, n):
        for b in range(1, n):
            s += gcd(a, b)
    return s


def hypot_sum(n):
    s = 0.0
    for i in range(n):
        s += math.sqrt(i * 0.5 + 1.0) * math.sin(i * 0.001)
    return s


KERNELS = [
    ("prime counting", count_primes, (200_000,)),
    ("collatz", collatz_longest, (300_000,)),
    ("leibniz pi", leibniz_pi, (20_000_000,)),
    ("mandelbrot", mandelbrot, (300, 200, 200)),
    ("gcd", gcd_sum, (700,)),
    ("math loop", hypot_sum, (5_000_000,)),
]
