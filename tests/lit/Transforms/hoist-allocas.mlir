// RUN: numlir-opt %s --pass-pipeline "builtin.module(numlir-hoist-allocas)" | FileCheck %s

// memref.copy's lowering: descriptor slots between a stacksave and its stackrestore, on a
// path out of the function. They move to the entry block (LLVM inlines only functions
// whose allocas are all there); a slot not bracketed that way stays where it is.
// CHECK-LABEL: llvm.func @copy_on_a_path
// CHECK-NEXT: %[[ONE:.*]] = llvm.mlir.constant(1 : i64) : i64
// CHECK-NEXT: %[[SLOT:.*]] = llvm.alloca %[[ONE]] x !llvm.struct<(ptr, ptr, i64)>
// CHECK: ^bb1:
// CHECK-NEXT: llvm.intr.stacksave
// CHECK-NOT: llvm.alloca
// CHECK: llvm.store %{{.*}}, %[[SLOT]]
// CHECK: llvm.intr.stackrestore
// CHECK: ^bb2:
// CHECK: llvm.alloca
llvm.func @use(!llvm.ptr)
llvm.func @copy_on_a_path(%p: !llvm.ptr, %flag: i1) {
  llvm.cond_br %flag, ^bb1, ^bb2
^bb1:
  %s = llvm.intr.stacksave : !llvm.ptr
  %one = llvm.mlir.constant(1 : i64) : i64
  %slot = llvm.alloca %one x !llvm.struct<(ptr, ptr, i64)> : (i64) -> !llvm.ptr
  llvm.store %p, %slot : !llvm.ptr, !llvm.ptr
  llvm.call @use(%slot) : (!llvm.ptr) -> ()
  llvm.intr.stackrestore %s : !llvm.ptr
  llvm.return
^bb2:
  %two = llvm.mlir.constant(2 : i64) : i64
  %kept = llvm.alloca %two x i64 : (i64) -> !llvm.ptr
  llvm.call @use(%kept) : (!llvm.ptr) -> ()
  llvm.return
}
