// RUN: numlir-opt %s --pass-pipeline "builtin.module(func.func(numlir-range-for-loops))" | FileCheck %s

// The range loops py-to-std makes: a stack slot (marked numlir.range) holds the iterator's
// [current, left, step, lowest], the header loads and advances it, and the py iterator
// reaches the header as a block argument.

// Step 1: the induction variable is the value itself, from start to start + count; the
// sum the header carried is an iter_arg and the slot is gone.
// CHECK-LABEL: func.func @sum
// CHECK-NOT: memref.alloca
// CHECK: %[[UB:.*]] = arith.addi %c0_i64, %arg0 : i64
// CHECK-NEXT: %[[R:.*]] = scf.for %[[I:.*]] = %c0_i64 to %[[UB]] step %{{.*}} iter_args(%[[S:.*]] = %c0_i64) -> (i64)  : i64 {
// CHECK-NEXT: %[[S2:.*]] = arith.addi %[[S]], %[[I]] : i64
// CHECK-NEXT: scf.yield %[[S2]] : i64
// CHECK-NEXT: } {numlir.range_loop}
// CHECK-NEXT: cf.br ^bb1(%[[R]] : i64)
func.func @sum(%n: i64) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c0_i64 = arith.constant 0 : i64
  %c1_i64 = arith.constant 1 : i64
  %slot = memref.alloca() {numlir.range} : memref<4xi64>
  memref.store %c0_i64, %slot[%c0] : memref<4xi64>
  memref.store %n, %slot[%c1] : memref<4xi64>
  memref.store %c1_i64, %slot[%c2] : memref<4xi64>
  memref.store %c0_i64, %slot[%c3] : memref<4xi64>
  cf.br ^head(%c0_i64, %slot : i64, memref<4xi64>)
^head(%s: i64, %it: memref<4xi64>):
  %cur = memref.load %it[%c0] : memref<4xi64>
  %left = memref.load %it[%c1] : memref<4xi64>
  %step = memref.load %it[%c2] : memref<4xi64>
  %more = arith.cmpi ne, %left, %c0_i64 : i64
  %next = arith.addi %cur, %step : i64
  memref.store %next, %it[%c0] : memref<4xi64>
  %rest = arith.subi %left, %c1_i64 : i64
  memref.store %rest, %it[%c1] : memref<4xi64>
  cf.cond_br %more, ^body(%s, %it, %cur : i64, memref<4xi64>, i64), ^exit(%s : i64)
^body(%s2: i64, %it2: memref<4xi64>, %i: i64):
  %s3 = arith.addi %s2, %i : i64
  cf.br ^head(%s3, %it2 : i64, memref<4xi64>)
^exit(%r: i64):
  return %r : i64
}

// A step known only at run time: an index k from 0 to the count, compared unsigned, and
// the value carried as an iter_arg that adds the step. A body of several blocks keeps them
// in an scf.execute_region whose edges back to the header yield; the body's load of
// `lowest` is the value stored.
// CHECK-LABEL: func.func @stepped
// CHECK-NOT: memref.alloca
// CHECK: %{{.*}}:2 = scf.for unsigned %[[K:.*]] = %{{.*}} to %arg2 step %{{.*}} iter_args(%[[S:.*]] = %cst, %[[J:.*]] = %arg1) -> (f64, i64)  : i64 {
// CHECK-NEXT: %[[NEXT:.*]] = arith.addi %[[J]], %arg3 : i64
// CHECK-NEXT: %[[BODY:.*]] = scf.execute_region -> f64 {
// CHECK-NEXT: cf.br ^bb1(%[[S]], %[[J]] : f64, i64)
// CHECK: arith.cmpi sge, %arg4, %c0_i64 : i64
// CHECK: cf.cond_br %{{.*}}, ^bb2(%{{.*}} : f64), ^[[YIELD:bb[0-9]+]](%{{.*}} : f64)
// CHECK: cf.br ^[[YIELD]]
// CHECK: ^[[YIELD]](%[[V:.*]]: f64):
// CHECK-NEXT: scf.yield %[[V]] : f64
// CHECK: scf.yield %[[BODY]], %[[NEXT]] : f64, i64
// CHECK-NEXT: } {numlir.range_loop}
func.func @stepped(%a: memref<?xf64>, %start: i64, %count: i64, %k: i64, %low: i64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c0_i64 = arith.constant 0 : i64
  %c1_i64 = arith.constant 1 : i64
  %zero = arith.constant 0.0 : f64
  %slot = memref.alloca() {numlir.range} : memref<4xi64>
  memref.store %start, %slot[%c0] : memref<4xi64>
  memref.store %count, %slot[%c1] : memref<4xi64>
  memref.store %k, %slot[%c2] : memref<4xi64>
  memref.store %low, %slot[%c3] : memref<4xi64>
  cf.br ^head(%zero, %slot : f64, memref<4xi64>)
^head(%s: f64, %it: memref<4xi64>):
  %cur = memref.load %it[%c0] : memref<4xi64>
  %left = memref.load %it[%c1] : memref<4xi64>
  %step = memref.load %it[%c2] : memref<4xi64>
  %more = arith.cmpi ne, %left, %c0_i64 : i64
  %next = arith.addi %cur, %step : i64
  memref.store %next, %it[%c0] : memref<4xi64>
  %rest = arith.subi %left, %c1_i64 : i64
  memref.store %rest, %it[%c1] : memref<4xi64>
  cf.cond_br %more, ^body(%s, %it, %cur : f64, memref<4xi64>, i64), ^exit(%s : f64)
^body(%s2: f64, %it2: memref<4xi64>, %j: i64):
  %lowest = memref.load %it2[%c3] : memref<4xi64>
  %nonneg = arith.cmpi sge, %lowest, %c0_i64 : i64
  %idx = arith.index_cast %j : i64 to index
  %x = memref.load %a[%idx] : memref<?xf64>
  %pos = arith.cmpf ogt, %x, %zero : f64
  %take = arith.andi %pos, %nonneg : i1
  cf.cond_br %take, ^add(%s2, %it2 : f64, memref<4xi64>), ^head(%s2, %it2 : f64, memref<4xi64>)
^add(%s4: f64, %it4: memref<4xi64>):
  %s5 = arith.addf %s4, %x : f64
  cf.br ^head(%s5, %it4 : f64, memref<4xi64>)
^exit(%r: f64):
  return %r : f64
}

// A loop that can leave from its body (break) stays a cycle of blocks; only the iterator's
// block arguments become the slot itself.
// CHECK-LABEL: func.func @breaks
// CHECK-NOT: scf.for
// CHECK: %[[SLOT:.*]] = memref.alloca() : memref<4xi64>
// CHECK: cf.br ^bb1(%c0_i64 : i64)
// CHECK: memref.load %[[SLOT]][%c1]
// CHECK: cf.cond_br %{{.*}}, ^bb3(%{{.*}} : i64), ^bb1(%{{.*}} : i64)
func.func @breaks(%n: i64) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c0_i64 = arith.constant 0 : i64
  %c1_i64 = arith.constant 1 : i64
  %c10_i64 = arith.constant 10 : i64
  %slot = memref.alloca() {numlir.range} : memref<4xi64>
  memref.store %c0_i64, %slot[%c0] : memref<4xi64>
  memref.store %n, %slot[%c1] : memref<4xi64>
  memref.store %c1_i64, %slot[%c2] : memref<4xi64>
  memref.store %c0_i64, %slot[%c3] : memref<4xi64>
  cf.br ^head(%c0_i64, %slot : i64, memref<4xi64>)
^head(%s: i64, %it: memref<4xi64>):
  %cur = memref.load %it[%c0] : memref<4xi64>
  %left = memref.load %it[%c1] : memref<4xi64>
  %step = memref.load %it[%c2] : memref<4xi64>
  %more = arith.cmpi ne, %left, %c0_i64 : i64
  %next = arith.addi %cur, %step : i64
  memref.store %next, %it[%c0] : memref<4xi64>
  %rest = arith.subi %left, %c1_i64 : i64
  memref.store %rest, %it[%c1] : memref<4xi64>
  cf.cond_br %more, ^body(%s, %it, %cur : i64, memref<4xi64>, i64), ^exit(%s : i64)
^body(%s2: i64, %it2: memref<4xi64>, %i: i64):
  %s3 = arith.addi %s2, %i : i64
  %big = arith.cmpi sgt, %s3, %c10_i64 : i64
  cf.cond_br %big, ^exit(%s3 : i64), ^head(%s3, %it2 : i64, memref<4xi64>)
^exit(%r: i64):
  return %r : i64
}

// Nested loops: the inner one first, then the outer one, whose body is now one block. The
// outer iterator passed through the inner header goes; its value is carried.
// CHECK-LABEL: func.func @nested
// CHECK-NOT: memref.alloca
// CHECK: scf.for %[[I:.*]] = %c0_i64 to %{{.*}} iter_args(%[[S:.*]] = %c0_i64) -> (i64)
// CHECK: %[[INNER:.*]]:2 = scf.for %[[J:.*]] = %c0_i64 to %{{.*}} iter_args(%[[T:.*]] = %[[S]], %[[II:.*]] = %[[I]]) -> (i64, i64)
// CHECK-NEXT: %[[P:.*]] = arith.muli %[[II]], %[[J]] : i64
// CHECK-NEXT: %[[T2:.*]] = arith.addi %[[T]], %[[P]] : i64
// CHECK-NEXT: scf.yield %[[T2]], %[[II]] : i64, i64
// CHECK-NEXT: } {numlir.range_loop}
// CHECK-NEXT: scf.yield %[[INNER]]#0 : i64
// CHECK-NEXT: } {numlir.range_loop}
func.func @nested(%n: i64, %m: i64) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c0_i64 = arith.constant 0 : i64
  %c1_i64 = arith.constant 1 : i64
  %outer = memref.alloca() {numlir.range} : memref<4xi64>
  %inner = memref.alloca() {numlir.range} : memref<4xi64>
  memref.store %c0_i64, %outer[%c0] : memref<4xi64>
  memref.store %n, %outer[%c1] : memref<4xi64>
  memref.store %c1_i64, %outer[%c2] : memref<4xi64>
  memref.store %c0_i64, %outer[%c3] : memref<4xi64>
  cf.br ^h1(%c0_i64, %outer : i64, memref<4xi64>)
^h1(%s: i64, %it: memref<4xi64>):
  %cur = memref.load %it[%c0] : memref<4xi64>
  %left = memref.load %it[%c1] : memref<4xi64>
  %step = memref.load %it[%c2] : memref<4xi64>
  %more = arith.cmpi ne, %left, %c0_i64 : i64
  %next = arith.addi %cur, %step : i64
  memref.store %next, %it[%c0] : memref<4xi64>
  %rest = arith.subi %left, %c1_i64 : i64
  memref.store %rest, %it[%c1] : memref<4xi64>
  cf.cond_br %more, ^b1(%s, %it, %cur : i64, memref<4xi64>, i64), ^exit(%s : i64)
^b1(%s1: i64, %it1: memref<4xi64>, %i1: i64):
  memref.store %c0_i64, %inner[%c0] : memref<4xi64>
  memref.store %m, %inner[%c1] : memref<4xi64>
  memref.store %c1_i64, %inner[%c2] : memref<4xi64>
  memref.store %c0_i64, %inner[%c3] : memref<4xi64>
  cf.br ^h2(%s1, %it1, %i1, %inner : i64, memref<4xi64>, i64, memref<4xi64>)
^h2(%t: i64, %o: memref<4xi64>, %ii: i64, %jt: memref<4xi64>):
  %jcur = memref.load %jt[%c0] : memref<4xi64>
  %jleft = memref.load %jt[%c1] : memref<4xi64>
  %jstep = memref.load %jt[%c2] : memref<4xi64>
  %jmore = arith.cmpi ne, %jleft, %c0_i64 : i64
  %jnext = arith.addi %jcur, %jstep : i64
  memref.store %jnext, %jt[%c0] : memref<4xi64>
  %jrest = arith.subi %jleft, %c1_i64 : i64
  memref.store %jrest, %jt[%c1] : memref<4xi64>
  cf.cond_br %jmore, ^b2(%t, %o, %ii, %jt, %jcur : i64, memref<4xi64>, i64, memref<4xi64>, i64), ^h1(%t, %o : i64, memref<4xi64>)
^b2(%t2: i64, %o2: memref<4xi64>, %i2: i64, %jt2: memref<4xi64>, %j2: i64):
  %p = arith.muli %i2, %j2 : i64
  %t3 = arith.addi %t2, %p : i64
  cf.br ^h2(%t3, %o2, %i2, %jt2 : i64, memref<4xi64>, i64, memref<4xi64>)
^exit(%r: i64):
  return %r : i64
}

// A constant step other than 1: one induction variable k, and the value start + k * 3.
// CHECK-LABEL: func.func @by_three
// CHECK-NOT: memref.alloca
// CHECK: scf.for unsigned %[[K:.*]] = %{{.*}} to %arg1 step %{{.*}} iter_args(%[[S:.*]] = %c0_i64) -> (i64)  : i64 {
// CHECK-NEXT: %[[OFF:.*]] = arith.muli %[[K]], %c3_i64 : i64
// CHECK-NEXT: %[[I:.*]] = arith.addi %arg0, %[[OFF]] : i64
// CHECK-NEXT: %[[S2:.*]] = arith.addi %[[S]], %[[I]] : i64
// CHECK-NEXT: scf.yield %[[S2]] : i64
// CHECK-NEXT: } {numlir.range_loop}
func.func @by_three(%start: i64, %n: i64) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c0_i64 = arith.constant 0 : i64
  %c1_i64 = arith.constant 1 : i64
  %c3_i64 = arith.constant 3 : i64
  %slot = memref.alloca() {numlir.range} : memref<4xi64>
  memref.store %start, %slot[%c0] : memref<4xi64>
  memref.store %n, %slot[%c1] : memref<4xi64>
  memref.store %c3_i64, %slot[%c2] : memref<4xi64>
  memref.store %start, %slot[%c3] : memref<4xi64>
  cf.br ^head(%c0_i64, %slot : i64, memref<4xi64>)
^head(%s: i64, %it: memref<4xi64>):
  %cur = memref.load %it[%c0] : memref<4xi64>
  %left = memref.load %it[%c1] : memref<4xi64>
  %step = memref.load %it[%c2] : memref<4xi64>
  %more = arith.cmpi ne, %left, %c0_i64 : i64
  %next = arith.addi %cur, %step : i64
  memref.store %next, %it[%c0] : memref<4xi64>
  %rest = arith.subi %left, %c1_i64 : i64
  memref.store %rest, %it[%c1] : memref<4xi64>
  cf.cond_br %more, ^body(%s, %it, %cur : i64, memref<4xi64>, i64), ^exit(%s : i64)
^body(%s2: i64, %it2: memref<4xi64>, %i: i64):
  %s3 = arith.addi %s2, %i : i64
  cf.br ^head(%s3, %it2 : i64, memref<4xi64>)
^exit(%r: i64):
  return %r : i64
}
