// RUN: numlir-opt %s --pass-pipeline "builtin.module(numlir-generator-coroutines)" | FileCheck %s

// A generator function as py-to-std leaves it (in the llvm dialect): it makes its object,
// marks where the coroutine begins, and suspends at its start and at a yield. It becomes
// a switch-lowered LLVM coroutine: a frame from malloc, the handle stored in the object
// (word 2) with the addresses of the module's resume and destroy helpers (words 7 and 8),
// llvm.coro.suspend for each marker (0 resumed, 1 destroyed, else suspended),
// and the returns go to the one final suspend after storing their status (word 3), or
// free the frame when the generator was destroyed.
// The helpers the runtime calls (C calling convention) to resume and destroy a generator.
// CHECK: llvm.func internal @numlir.generator_destroy(%[[B:.*]]: !llvm.ptr)
// CHECK: llvm.call_intrinsic "llvm.coro.destroy"
// CHECK: llvm.func internal @numlir.generator_resume(%[[A:.*]]: !llvm.ptr)
// CHECK: %[[H:.*]] = llvm.load
// CHECK: llvm.intr.coro.resume %[[H]]
// CHECK-LABEL: llvm.func @gen
// CHECK-SAME: passthrough = ["presplitcoroutine"]
// CHECK: %[[ID:.*]] = llvm.intr.coro.id
// CHECK: %[[SIZE:.*]] = llvm.intr.coro.size : i64
// CHECK: %[[MEM:.*]] = llvm.call @malloc(%[[SIZE]])
// CHECK: %[[HDL:.*]] = llvm.intr.coro.begin %[[ID]], %[[MEM]]
// CHECK: %[[FLAG:.*]] = llvm.alloca
// CHECK: %[[G:.*]] = llvm.call @numlir_generator_new
// CHECK: %[[HANDLE_AT:.*]] = llvm.getelementptr %[[G]][2]
// CHECK: llvm.store %[[HDL]], %[[HANDLE_AT]]
// CHECK: %[[RESUME:.*]] = llvm.mlir.addressof @numlir.generator_resume
// CHECK: %[[RESUME_AT:.*]] = llvm.getelementptr %[[G]][7]
// CHECK: llvm.store %[[RESUME]], %[[RESUME_AT]]
// CHECK: %[[DESTROY:.*]] = llvm.mlir.addressof @numlir.generator_destroy
// CHECK: %[[DESTROY_AT:.*]] = llvm.getelementptr %[[G]][8]
// CHECK: llvm.store %[[DESTROY]], %[[DESTROY_AT]]
// CHECK-NOT: numlir.coro_begin
// CHECK: %[[SAVE:.*]] = llvm.intr.coro.save %[[HDL]]
// CHECK: %[[STATE:.*]] = llvm.intr.coro.suspend %[[SAVE]], %{{.*}} : i8
// CHECK: llvm.switch %[[STATE]] : i8, ^[[DONE:.*]] [
// CHECK-NEXT: 0: ^{{.*}}(%{{.*}} : i1),
// CHECK-NEXT: 1: ^{{.*}}
// CHECK-NEXT: ]
// CHECK: llvm.intr.coro.save
// CHECK: llvm.intr.coro.suspend
// The returns: destroyed, free the frame; else the final suspend with the status.
// CHECK: %[[DESTROYED:.*]] = llvm.load %[[FLAG]] : !llvm.ptr -> i1
// CHECK: llvm.cond_br %[[DESTROYED]], ^[[CLEANUP:.*]], ^[[FINAL:[a-z0-9]+]]
// CHECK: ^[[DONE]]:
// CHECK: llvm.intr.coro.end %[[HDL]]
// The start returns the generator object and the handle (its caller resumes that).
// CHECK: %[[R1:.*]] = llvm.insertvalue %[[G]], %{{.*}}[1]
// CHECK: %[[R2:.*]] = llvm.insertvalue %[[HDL]], %[[R1]][2]
// CHECK: llvm.return %[[R2]]
// CHECK: ^[[CLEANUP]]:
// CHECK: %[[FRAME:.*]] = llvm.intr.coro.free %[[ID]], %[[HDL]]
// CHECK: llvm.call @free(%[[FRAME]])
// CHECK: ^[[FINAL]](%[[STATUS:.*]]: i32):
// CHECK: %[[WIDE:.*]] = llvm.sext %[[STATUS]] : i32 to i64
// CHECK: %[[STATUS_AT:.*]] = llvm.getelementptr %[[G]][3]
// CHECK: llvm.store %[[WIDE]], %[[STATUS_AT]]
// CHECK: llvm.intr.coro.suspend %{{.*}}, %{{.*}} : i8
// CHECK-NOT: llvm.func @numlir.coro_suspend
llvm.func @numlir_generator_new(i64, i64, !llvm.ptr) -> !llvm.ptr
llvm.func @numlir.coro_begin(!llvm.ptr)
llvm.func @numlir.coro_suspend() -> i1
llvm.func @gen(%n: i64) -> !llvm.struct<(i32, ptr, ptr)> {
  %null = llvm.mlir.zero : !llvm.ptr
  %words = llvm.mlir.constant(8 : i64) : i64
  %g = llvm.call @numlir_generator_new(%words, %words, %null) : (i64, i64, !llvm.ptr) -> !llvm.ptr
  llvm.call @numlir.coro_begin(%g) : (!llvm.ptr) -> ()
  %start = llvm.call @numlir.coro_suspend() : () -> i1
  llvm.cond_br %start, ^body, ^out
^body:
  %r = llvm.call @numlir.coro_suspend() : () -> i1
  llvm.br ^out
^out:
  %zero = llvm.mlir.constant(0 : i32) : i32
  %u = llvm.mlir.undef : !llvm.struct<(i32, ptr, ptr)>
  %a = llvm.insertvalue %zero, %u[0] : !llvm.struct<(i32, ptr, ptr)>
  %b = llvm.insertvalue %g, %a[1] : !llvm.struct<(i32, ptr, ptr)>
  %c = llvm.insertvalue %null, %b[2] : !llvm.struct<(i32, ptr, ptr)>
  llvm.return %c : !llvm.struct<(i32, ptr, ptr)>
}
