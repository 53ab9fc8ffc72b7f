// RUN: numlir-opt %s --pass-pipeline "builtin.module(numlir-parallel-array-loops)" 2>&1 | FileCheck %s
// RUN: numlir-opt %s --pass-pipeline "builtin.module(numlir-parallel-array-loops{min-work=1000})" 2>&1 | FileCheck %s --check-prefix=WORK

// The remarks come first (stderr): each loop made parallel, each reduction that is not.
// CHECK-DAG: remark: runs in parallel: this array operation's outer loop is split among the threads
// CHECK-DAG: remark: runs in parallel: this reduction is split among the threads and the parts combined in order
// CHECK-DAG: remark: runs in order: this reduction carries a value other than a sum, product, min, max, any, all, argmin or argmax
// WORK: arith.constant 1000 : index

#map = affine_map<(d0, d1) -> (d0, d1)>
module attributes {py.parallel} {
  // An elementwise linalg.generic: its loops, in a function of their own (printed first:
  // internal to LLVM, never inlined, so LLVM compiles the loops once) that runs chunk c of
  // P of the outer loop. With enough work (rows times columns) and more than one thread,
  // an scf.parallel calls it for each chunk; otherwise it runs once, chunk 0 of 1.
  // CHECK-LABEL: func.func private @scale__chunk0(
  // CHECK-SAME: llvm.linkage = #llvm.linkage<internal>, passthrough = ["noinline"]
  // CHECK: scf.for
  // CHECK:   scf.for
  // CHECK:     arith.mulf
  // CHECK-LABEL: func.func @scale(
  // CHECK: %[[AMOUNT:.*]] = arith.muli
  // CHECK: %[[THREADS:.*]] = call @omp_get_max_threads() : () -> i32
  // CHECK: %[[BIG:.*]] = arith.cmpi sge, %[[AMOUNT]], %{{.*}}
  // CHECK: %[[MANY:.*]] = arith.cmpi sgt
  // CHECK: %[[BOTH:.*]] = arith.andi %[[BIG]], %[[MANY]]
  // CHECK: %[[P:.*]] = arith.select %[[BOTH]], %{{.*}}, %[[ONE:.*]] : index
  // CHECK: scf.if %[[BOTH]] {
  // CHECK:   scf.parallel (%[[C:.*]]) = (%{{.*}}) to (%[[P]])
  // CHECK:     func.call @scale__chunk0(%[[C]], %[[P]],
  // CHECK: } else {
  // CHECK:   func.call @scale__chunk0(%{{.*}}, %[[P]],
  // CHECK-NOT: scf.for
  // CHECK: return
  func.func @scale(%a: memref<?x?xf64>, %out: memref<?x?xf64>) {
    %two = arith.constant 2.0 : f64
    linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
        ins(%a : memref<?x?xf64>) outs(%out : memref<?x?xf64>) {
    ^bb0(%x: f64, %o: f64):
      %y = arith.mulf %x, %two : f64
      linalg.yield %y : f64
    }
    return
  }

  // A sum: each chunk from 0 into a stack slot of the entry block, then the parts added
  // in chunk order after the loop's own start (one part when the loop runs whole).
  // CHECK-LABEL: func.func private @sum__chunk1
  // CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
  // CHECK: %[[PART:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[ZERO]])
  // CHECK: memref.store %[[PART]], %{{.*}}[%{{.*}}] : memref<256xf64>
  // CHECK-LABEL: func.func @sum(
  // CHECK-SAME: %{{.*}}: memref<?xf64>, %[[START:.*]]: f64)
  // CHECK: %[[SLOTS:.*]] = memref.alloca() : memref<256xf64>
  // CHECK: %[[P:.*]] = arith.select
  // CHECK: scf.if
  // CHECK:   scf.parallel
  // CHECK:     func.call @sum__chunk1({{.*}}%[[SLOTS]]
  // CHECK: } else {
  // CHECK:   func.call @sum__chunk1({{.*}}%[[SLOTS]]
  // CHECK: %[[TOTAL:.*]] = scf.for %[[K:.*]] = %{{.*}} to %[[P]] {{.*}} iter_args(%[[ACC:.*]] = %[[START]])
  // CHECK:   %[[PART:.*]] = memref.load %[[SLOTS]][%[[K]]]
  // CHECK:   arith.addf %[[ACC]], %[[PART]] fastmath<reassoc>
  // CHECK: return %[[TOTAL]]
  func.func @sum(%a: memref<?xf64>, %start: f64) -> f64 {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %n = memref.dim %a, %c0 : memref<?xf64>
    %sum = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %start) -> (f64) {
      %x = memref.load %a[%i] : memref<?xf64>
      %s = arith.addf %acc, %x fastmath<reassoc> : f64
      scf.yield %s : f64
    }
    return %sum : f64
  }

  // An argmax: each chunk counts positions from its start and keeps its best element and
  // that element's position; the parts combine in order through the loop's own test, so
  // the first of equal elements wins, as in order.
  // CHECK-LABEL: func.func private @argmax__chunk2
  // CHECK-SAME: %[[C:[^:]*]]: index
  // CHECK: %[[OFFSET:.*]] = arith.divui %{{.*}}, %{{.*}} : index
  // CHECK: %[[LO:.*]] = arith.addi %{{.*}}, %[[OFFSET]] : index
  // CHECK: %[[AT:.*]] = arith.index_cast %[[OFFSET]] : index to i64
  // CHECK: %[[POS:.*]] = arith.addi %{{.*}}, %[[AT]] : i64
  // CHECK: %[[R:.*]]:3 = scf.for %{{.*}} = %[[LO]] to {{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %[[POS]], %{{.*}} = %[[POS]])
  // The chunk's function has the constants the loop reads, not arguments in their place
  // (numlir-block-arg-reductions recognizes `pos + 1` there).
  // CHECK:   arith.addi %{{.*}}, %c1_i64 : i64
  // CHECK: } {numlir.arg_reduction = "maximumf"}
  // CHECK-LABEL: func.func @argmax(
  // CHECK: scf.parallel
  // CHECK: scf.for {{.*}} iter_args(%[[BEST:.*]] = %{{.*}}, %[[INDEX:.*]] = %{{.*}}, %{{.*}} = %{{.*}})
  // CHECK:   %[[PB:.*]] = memref.load
  // CHECK:   %[[PI:.*]] = memref.load
  // CHECK:   %[[BETTER:.*]] = arith.cmpf ogt, %[[PB]], %[[BEST]] : f64
  // CHECK:   arith.select %[[BETTER]], %[[PB]], %[[BEST]] : f64
  // CHECK:   arith.select %[[BETTER]], %[[PI]], %[[INDEX]] : i64
  func.func @argmax(%a: memref<?xf64>) -> i64 {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %ninf = arith.constant 0xFFF0000000000000 : f64
    %z = arith.constant 0 : i64
    %one = arith.constant 1 : i64
    %n = memref.dim %a, %c0 : memref<?xf64>
    %r:3 = scf.for %i = %c0 to %n step %c1 iter_args(%best = %ninf, %at = %z, %pos = %z) -> (f64, i64, i64) {
      %x = memref.load %a[%i] : memref<?xf64>
      %better = arith.cmpf ogt, %x, %best : f64
      %nb = arith.select %better, %x, %best : f64
      %na = arith.select %better, %pos, %at : i64
      %np = arith.addi %pos, %one : i64
      scf.yield %nb, %na, %np : f64, i64, i64
    } {numlir.arg_reduction = "maximumf"}
    return %r#1 : i64
  }

  // A recurrence (each step reads the last) is no reduction: it runs in order.
  // CHECK-LABEL: func.func @recurrence
  // CHECK-NOT: scf.parallel
  // CHECK: return
  func.func @recurrence(%a: memref<?xf64>) -> f64 {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %half = arith.constant 0.5 : f64
    %n = memref.dim %a, %c0 : memref<?xf64>
    %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %half) -> (f64) {
      %v = memref.load %a[%i] : memref<?xf64>
      %h = arith.mulf %x, %half : f64
      %y = arith.addf %h, %v : f64
      scf.yield %y : f64
    }
    return %r : f64
  }

  // A loop that writes memory without a mark is not known to be parallel: left alone.
  // CHECK-LABEL: func.func @prefix
  // CHECK-NOT: scf.parallel
  // CHECK: return
  func.func @prefix(%a: memref<?xf64>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %n = memref.dim %a, %c0 : memref<?xf64>
    scf.for %i = %c1 to %n step %c1 {
      %j = arith.subi %i, %c1 : index
      %x = memref.load %a[%j] : memref<?xf64>
      memref.store %x, %a[%i] : memref<?xf64>
    }
    return
  }

  // A complex product (as a sum): chunks from the complex identity 1 + 0j, parts multiplied
  // in order.
  // CHECK-LABEL: func.func private @cprod__chunk3
  // CHECK: %[[ONE:.*]] = complex.constant [1.000000e+00, 0.000000e+00] : complex<f64>
  // CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[ONE]])
  // CHECK: memref.store %{{.*}} : memref<256xcomplex<f64>>
  // CHECK-LABEL: func.func @cprod(
  // CHECK: scf.parallel
  // CHECK: %[[PART:.*]] = memref.load %{{.*}} : memref<256xcomplex<f64>>
  // CHECK: complex.mul %{{.*}}, %[[PART]]
  func.func @cprod(%a: memref<?xcomplex<f64>>, %start: complex<f64>) -> complex<f64> {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %n = memref.dim %a, %c0 : memref<?xcomplex<f64>>
    %p = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %start) -> (complex<f64>) {
      %x = memref.load %a[%i] : memref<?xcomplex<f64>>
      %m = complex.mul %acc, %x : complex<f64>
      scf.yield %m : complex<f64>
    }
    return %p : complex<f64>
  }

  // An argmax over two dimensions: the outer loop only passes the values on to the inner
  // one, so its rows split; a chunk's position counter starts at its first row times the
  // row length, and the whole loop's counter ends at the rows times the row length.
  // CHECK-LABEL: func.func private @argmax2d__chunk4
  // CHECK: %[[ROWS:.*]] = arith.divui
  // CHECK: %[[LENGTH:.*]] = arith.maxsi
  // CHECK: %[[BEFORE:.*]] = arith.muli %[[ROWS]], %[[LENGTH]] : index
  // CHECK: %[[CAST:.*]] = arith.index_cast %[[BEFORE]] : index to i64
  // CHECK: %[[START:.*]] = arith.addi %{{.*}}, %[[CAST]] : i64
  // CHECK: scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %[[START]], %{{.*}} = %[[START]])
  // CHECK:   scf.for
  // CHECK:     arith.cmpf ogt
  // CHECK-LABEL: func.func @argmax2d(
  // CHECK: scf.parallel
  // CHECK:   func.call @argmax2d__chunk4
  // CHECK: scf.for
  // CHECK:   arith.cmpf ogt
  // CHECK:   arith.select
  func.func @argmax2d(%a: memref<?x?xf64>) -> i64 {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %zero = arith.constant 0 : i64
    %one = arith.constant 1 : i64
    %ninf = arith.constant 0xFFF0000000000000 : f64
    %n = memref.dim %a, %c0 : memref<?x?xf64>
    %m = memref.dim %a, %c1 : memref<?x?xf64>
    %r:3 = scf.for %i = %c0 to %n step %c1 iter_args(%best = %ninf, %idx = %zero, %pos = %zero) -> (f64, i64, i64) {
      %s:3 = scf.for %j = %c0 to %m step %c1 iter_args(%b = %best, %x = %idx, %p = %pos) -> (f64, i64, i64) {
        %v = memref.load %a[%i, %j] : memref<?x?xf64>
        %gt = arith.cmpf ogt, %v, %b : f64
        %nb = arith.select %gt, %v, %b : f64
        %nx = arith.select %gt, %p, %x : i64
        %np = arith.addi %p, %one : i64
        scf.yield %nb, %nx, %np : f64, i64, i64
      }
      scf.yield %s#0, %s#1, %s#2 : f64, i64, i64
    }
    return %r#1 : i64
  }
}
