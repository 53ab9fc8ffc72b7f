// RUN: numlir-opt %s --pass-pipeline "builtin.module(numlir-loop-hints)" | FileCheck %s

// An innermost loop of straight-line code over memory (the kind LLVM vectorizes) gets
// "no runtime unrolling" on its latch: LLVM would otherwise unroll the scalar copy it keeps
// beside the vector loop, for much code and compile time and little speed.
// CHECK: #[[UNROLL:.*]] = #llvm.loop_unroll<runtimeDisable = true>
// CHECK: #[[HINT:.*]] = #llvm.loop_annotation<unroll = #[[UNROLL]]>
// CHECK-LABEL: llvm.func @scale
// CHECK: llvm.br ^bb1({{.*}}) {loop_annotation = #[[HINT]]}
llvm.func @scale(%p: !llvm.ptr, %n: i64) {
  %c0 = llvm.mlir.constant(0 : i64) : i64
  %c1 = llvm.mlir.constant(1 : i64) : i64
  %two = llvm.mlir.constant(2.0 : f64) : f64
  llvm.br ^bb1(%c0 : i64)
^bb1(%i: i64):
  %more = llvm.icmp "slt" %i, %n : i64
  llvm.cond_br %more, ^bb2, ^bb3
^bb2:
  %q = llvm.getelementptr %p[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f64
  %x = llvm.load %q : !llvm.ptr -> f64
  %y = llvm.fmul %x, %two : f64
  llvm.store %y, %q : f64, !llvm.ptr
  %next = llvm.add %i, %c1 : i64
  llvm.br ^bb1(%next : i64)
^bb3:
  llvm.return
}

// A loop with a branch inside (as raise checks and ifs make) keeps runtime unrolling:
// LLVM does not vectorize it, and unrolling pays there.
// CHECK-LABEL: llvm.func @clip
// CHECK-NOT: loop_annotation
// CHECK: llvm.return
llvm.func @clip(%p: !llvm.ptr, %n: i64) {
  %c0 = llvm.mlir.constant(0 : i64) : i64
  %c1 = llvm.mlir.constant(1 : i64) : i64
  %zero = llvm.mlir.constant(0.0 : f64) : f64
  llvm.br ^bb1(%c0 : i64)
^bb1(%i: i64):
  %more = llvm.icmp "slt" %i, %n : i64
  llvm.cond_br %more, ^bb2, ^bb4
^bb2:
  %q = llvm.getelementptr %p[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f64
  %x = llvm.load %q : !llvm.ptr -> f64
  %neg = llvm.fcmp "olt" %x, %zero : f64
  llvm.cond_br %neg, ^bb3, ^bb5
^bb3:
  llvm.store %zero, %q : f64, !llvm.ptr
  llvm.br ^bb5
^bb5:
  %next = llvm.add %i, %c1 : i64
  llvm.br ^bb1(%next : i64)
^bb4:
  llvm.return
}

// A loop that calls libm (here through llvm.intr.sin) does not vectorize either.
// CHECK-LABEL: llvm.func @sines
// CHECK-NOT: loop_annotation
// CHECK: llvm.return
llvm.func @sines(%p: !llvm.ptr, %n: i64) {
  %c0 = llvm.mlir.constant(0 : i64) : i64
  %c1 = llvm.mlir.constant(1 : i64) : i64
  llvm.br ^bb1(%c0 : i64)
^bb1(%i: i64):
  %more = llvm.icmp "slt" %i, %n : i64
  llvm.cond_br %more, ^bb2, ^bb3
^bb2:
  %q = llvm.getelementptr %p[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f64
  %x = llvm.load %q : !llvm.ptr -> f64
  %y = llvm.intr.sin(%x) : (f64) -> f64
  llvm.store %y, %q : f64, !llvm.ptr
  %next = llvm.add %i, %c1 : i64
  llvm.br ^bb1(%next : i64)
^bb3:
  llvm.return
}

// A loop whose body ends in an `if` (or has a `continue`) reaches its header from two
// latches, as CPython's bytecode jumps; it gets one latch that both go through, so LLVM
// if-converts and vectorizes it.
// CHECK-LABEL: llvm.func @count
// CHECK: ^bb1(%[[I:.*]]: i64, %[[C:.*]]: i64):
// CHECK: llvm.cond_br %{{.*}}, ^[[THEN:bb[0-9]+]], ^[[LATCH:bb[0-9]+]](%{{.*}}, %[[C]] : i64, i64)
// CHECK: ^[[LATCH]](%[[NI:.*]]: i64, %[[NC:.*]]: i64):
// CHECK-NEXT: llvm.br ^bb1(%[[NI]], %[[NC]] : i64, i64)
// CHECK: ^[[THEN]]:
// CHECK: llvm.br ^[[LATCH]](%{{.*}}, %{{.*}} : i64, i64)
llvm.func @count(%p: !llvm.ptr, %n: i64) -> i64 {
  %c0 = llvm.mlir.constant(0 : i64) : i64
  %c1 = llvm.mlir.constant(1 : i64) : i64
  %half = llvm.mlir.constant(0.5 : f64) : f64
  llvm.br ^bb1(%c0, %c0 : i64, i64)
^bb1(%i: i64, %c: i64):
  %more = llvm.icmp "slt" %i, %n : i64
  llvm.cond_br %more, ^bb2, ^bb4
^bb2:
  %q = llvm.getelementptr %p[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f64
  %x = llvm.load %q : !llvm.ptr -> f64
  %next = llvm.add %i, %c1 : i64
  %small = llvm.fcmp "olt" %x, %half : f64
  llvm.cond_br %small, ^bb3, ^bb1(%next, %c : i64, i64)
^bb3:
  %c2 = llvm.add %c, %c1 : i64
  llvm.br ^bb1(%next, %c2 : i64, i64)
^bb4:
  llvm.return %c : i64
}
