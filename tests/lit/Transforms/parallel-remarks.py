# numlir-opt --parallel prints the remarks and warnings of py-parallel-loops and
# numlir-parallel-array-loops on stderr: what runs in parallel, what does not and why, and
# the races numba is silent about.
# RUN: numlir-opt %s::report --signature "float64[::1], float64[::1]" --parallel --emit llvm 2>&1 >/dev/null | FileCheck %s
# RUN: numlir-opt %s::races --signature "float64[::1], float64[::1]" --parallel --emit std 2>&1 >/dev/null | FileCheck %s --check-prefix=RACE
# RUN: numlir-opt %s::report --signature "float64[::1], float64[::1]" --emit llvm 2>&1 >/dev/null | FileCheck %s --check-prefix=SERIAL --allow-empty
import numpy as np
from numlir import prange


# CHECK-DAG: parallel-remarks.py":[[@LINE+6]]:{{.*}} remark: this prange loop runs in parallel (what it carries: add)
# CHECK-DAG: parallel-remarks.py":[[@LINE+6]]:{{.*}} remark: this prange loop runs in order: it is inside another prange loop
# CHECK-DAG: parallel-remarks.py":[[@LINE+8]]:{{.*}} remark: runs in order: the loop writes memory and is not known to be parallel
# CHECK-DAG: parallel-remarks.py":[[@LINE+6]]:{{.*}} remark: runs in parallel: this array operation's outer loop is split among the threads
def report(a, out):
    s = 0.0
    for i in prange(a.shape[0]):
        for j in prange(3):
            s += a[i] * j
    out[:] = a * 2.0
    return np.cumsum(a)[-1] + s


# RACE-DAG: parallel-remarks.py":[[@LINE+5]]:{{.*}} warning: a prange loop assigns a variable in its iterations that is used after the loop
# RACE-DAG: parallel-remarks.py":[[@LINE+5]]:{{.*}} warning: every iteration of this prange loop writes this same array element
def races(a, out):
    last = 0.0
    for i in prange(a.shape[0]):
        last = a[i] * 2.0
        out[0] = a[i]
    return last


# Without --parallel: prange is range, and nothing is said.
# SERIAL-NOT: remark
