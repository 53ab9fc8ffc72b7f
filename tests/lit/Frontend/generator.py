# RUN: numlir-opt %s::squares --signature int64 --emit py | FileCheck %s
# RUN: numlir-opt %s::squares --signature int64 --emit typed | FileCheck %s --check-prefix=TYPED

# A generator function makes its generator object first; each `yield` suspends on it and
# goes on when resumed, or returns the object when the generator is dropped instead.
# CHECK-LABEL: func.func @squares
# CHECK: %[[G:.*]] = py.make_generator : !py.object
# CHECK: %[[V:.*]] = py.binop "mul"
# CHECK: %[[R:.*]] = py.yield %[[G]], %[[V]] : (!py.object, !py.object) -> i1
# CHECK: cf.cond_br %[[R]], ^[[GO_ON:.*]], ^[[DROPPED:[a-z0-9]+]]
# CHECK: ^[[DROPPED]]:
# CHECK-NEXT: return %[[G]] : !py.object
# Typed, its yields give the object's type (Python gets a generator object of numlir's).
# TYPED-LABEL: func.func @squares_i64(%arg0: i64) -> !py.generator<i64> attributes {py.entry}
# TYPED: py.make_generator : !py.generator<i64>
# TYPED: py.yield %{{.*}}, %{{.*}} : (!py.generator<i64>, i64) -> i1
def squares(n):
    for i in range(n):
        yield i * i
