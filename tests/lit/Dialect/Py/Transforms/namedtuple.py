# (numlir-opt loads this file as the module _numlir_opt_input_namedtuple.)
# RUN: numlir-opt %s::swap --signature "NamedTuple(_numlir_opt_input_namedtuple:Pair[first, second], int64, float64)" --emit typed | FileCheck %s --check-prefix=TYPED
# RUN: numlir-opt %s::pick --signature "UniTuple(float64, 3), int64" --emit std | FileCheck %s --check-prefix=PICK
import collections

Pair = collections.namedtuple("Pair", "first second")

# A namedtuple is a tuple with its class and field names in its type: fields read by name
# are its elements, and Pair(...) builds one, a py.make_tuple that names the class.
# TYPED-LABEL: func.func @swap
# TYPED-SAME: (%[[P:.*]]: !py.namedtuple<"{{.*}}:Pair", ["first", "second"], tuple<i64, f64>>)
# TYPED-SAME: -> !py.namedtuple<"{{.*}}:Pair", ["first", "second"], tuple<f64, i64>>
# TYPED-DAG: py.getattr "first" %[[P]] : !py.namedtuple<{{.*}}> -> i64
# TYPED-DAG: py.getattr "second" %[[P]] : !py.namedtuple<{{.*}}> -> f64
# TYPED: py.make_tuple {{.*}} {class_name = "{{.*}}:Pair", fields = ["first", "second"]}
def swap(p):
    return Pair(p.second, p.first)

# A run-time index into a tuple of one element type: wrapped, checked (IndexError), then
# picked by a select per element after the first.
# PICK-LABEL: func.func @pick
# PICK-SAME: (%[[A:.*]]: f64, %[[B:.*]]: f64, %[[C:.*]]: f64, %[[I:.*]]: i64)
# PICK: arith.cmpi slt, %[[I]]
# PICK: arith.ori
# PICK: cf.cond_br
# PICK: arith.select {{.*}}, %[[B]], %[[A]]
# PICK: arith.select {{.*}}, %[[C]], %{{.*}}
def pick(t, i):
    return t[i]
