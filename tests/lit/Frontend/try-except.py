# RUN: numlir-opt %s::safe_div --signature int64,int64 --emit py | FileCheck %s
# RUN: numlir-opt %s::safe_div --signature int64,int64 --emit typed | FileCheck %s --check-prefix=TYPED

# An instruction of a try body that may raise gets a block of its own: py.exc_begin marks
# where its ops start, and py.exc_point continues normally or at the handler, which reads
# the exception with py.caught. `except ZeroDivisionError` matches it and its subclasses.
# CHECK-LABEL: func.func @safe_div
# CHECK: py.exc_begin
# CHECK-NEXT: %[[Q:.*]] = py.binop "floordiv"
# CHECK-NEXT: py.exc_point ^[[NEXT:.*]], ^[[HANDLER:[a-z0-9]*]]
# CHECK: ^[[HANDLER]]
# CHECK: %[[E:.*]] = py.caught : !py.object
# CHECK: py.exc_match %[[E]] ["ZeroDivisionError"]
# CHECK: py.reraise
# TYPED: py.caught : !py.exception
# TYPED: py.exc_match %{{.*}} ["ZeroDivisionError"] : (!py.exception) -> i1
def safe_div(x, y):
    try:
        r = x // y
    except ZeroDivisionError:
        r = -1
    return r
