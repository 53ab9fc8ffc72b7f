// RUN: numlir-opt %s --pass-pipeline="builtin.module(py-to-std)" | FileCheck %s
// A str is a pointer to a runtime block. A literal is made once by the runtime from its
// UTF-8 text (numlir_str_intern: a process-wide table, never freed) and its address kept
// in a module global that later evaluations load. len() reads word 2 inline; + and ==
// call the runtime; a method that can raise is followed by a check of its null result and
// the raise of the exception the runtime recorded.

// CHECK: llvm.mlir.global internal @numlir_strslot_{{[0-9]+}}(0 : i64) {{.*}}numlir.text = "hi"
// CHECK: llvm.mlir.global internal constant @numlir_text_{{[0-9]+}}("hi")

// CHECK-LABEL: func.func private @concat_len
// CHECK: %[[SLOT:.*]] = llvm.mlir.addressof @numlir_strslot_
// CHECK: %[[KNOWN:.*]] = llvm.load %[[SLOT]] : !llvm.ptr -> i64
// CHECK: scf.if
// CHECK: func.call @numlir_str_intern
// CHECK: llvm.store %{{.*}}, %[[SLOT]]
// CHECK: %[[LIT:.*]] = llvm.inttoptr
// CHECK: %[[S:.*]] = call @numlir_str_concat(%arg0, %[[LIT]]) : (!llvm.ptr, !llvm.ptr) -> !llvm.ptr
// CHECK: %[[LENP:.*]] = llvm.getelementptr %[[S]][%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, i64
// CHECK: %[[LEN:.*]] = llvm.load %[[LENP]] : !llvm.ptr -> i64
// CHECK: return %{{.*}}, %[[LEN]]
func.func @concat_len(%s: !py.str) -> i64 {
  %hi = py.str_constant "hi" : !py.str
  %t = py.binop "add" %s, %hi : (!py.str, !py.str) -> !py.str
  %n = py.call_builtin "len"(%t) : (!py.str) -> i64
  py.decref %t : !py.str
  return %n : i64
}

// CHECK-LABEL: func.func private @equal
// CHECK: %[[EQ:.*]] = call @numlir_str_eq(%arg0, %arg1) : (!llvm.ptr, !llvm.ptr) -> i64
// CHECK: arith.cmpi ne, %[[EQ]]
func.func @equal(%a: !py.str, %b: !py.str) -> i1 {
  %eq = py.cmp "eq" %a, %b : (!py.str, !py.str) -> i1
  return %eq : i1
}

// CHECK-LABEL: func.func private @split
// CHECK: %[[L:.*]] = call @numlir_str_split(%arg0, %{{.*}}, %{{.*}}, %{{.*}}) : (!llvm.ptr, !llvm.ptr, i64, i64) -> !llvm.ptr
// CHECK: llvm.icmp "eq" %[[L]]
// CHECK: cf.cond_br
func.func @split(%s: !py.str, %sep: !py.str) -> !py.list<!py.str> {
  %max = py.constant -1 : i64 -> i64
  %l = py.call_builtin "str.split"(%s, %sep, %max) : (!py.str, !py.str, i64) -> !py.list<!py.str>
  return %l : !py.list<!py.str>
}

// raise ValueError(f"..."): the runtime records the class and the text, the reference is
// dropped, and the function returns the status of the site that raises what was recorded.
// CHECK-LABEL: func.func private @raise_text
// CHECK: call @numlir_str_raise(%{{.*}}, %{{.*}}, %arg0) : (i64, i64, !llvm.ptr) -> ()
// CHECK: llvm.atomicrmw sub
// CHECK: return %{{.*}} : i32
func.func @raise_text(%s: !py.str) {
  py.raise "ValueError"("") %s : !py.str
}
