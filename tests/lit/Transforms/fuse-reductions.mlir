// RUN: numlir-opt %s --pass-pipeline "builtin.module(func.func(numlir-fuse-reductions))" | FileCheck %s

// Reductions of one array, as py-to-std lowers `a.sum(), a.min(), a.mean()`: one scf.for
// each, the min behind a raise check for empty arrays. The min loop moves up past the
// check (it only reads a in bounds) and joins the sum loop; the mean's sum is the same
// loop as the sum's and is dropped.
// CHECK-LABEL: func.func @sum_min_mean
// CHECK: %[[R:.*]]:2 = scf.for %[[I:.*]] = %{{.*}} to %[[N:.*]] step
// CHECK: memref.load %{{.*}}[%[[I]]]
// CHECK: arith.addf
// CHECK: memref.load %{{.*}}[%[[I]]]
// CHECK: arith.minimumf
// CHECK: scf.yield
// CHECK-NOT: scf.for
// CHECK: cf.cond_br
// CHECK: arith.divf %[[R]]#0
// CHECK: return %{{.*}}, %[[R]]#0, %[[R]]#1
func.func @sum_min_mean(%a: memref<?xf64>) -> (i32, f64, f64, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %inf = arith.constant 0x7FF0000000000000 : f64
  %n = memref.dim %a, %c0 : memref<?xf64>
  %sum = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
    %x = memref.load %a[%i] : memref<?xf64>
    %s = arith.addf %acc, %x fastmath<reassoc> : f64
    scf.yield %s : f64
  }
  %empty = arith.cmpi eq, %n, %c0 : index
  cf.cond_br %empty, ^raise, ^min
^raise:
  %e = arith.constant 1 : i32
  return %e, %zero, %zero, %zero : i32, f64, f64, f64
^min:
  %min = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %inf) -> (f64) {
    %x = memref.load %a[%i] : memref<?xf64>
    %m = arith.minimumf %acc, %x : f64
    scf.yield %m : f64
  }
  %again = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
    %x = memref.load %a[%i] : memref<?xf64>
    %s = arith.addf %acc, %x fastmath<reassoc> : f64
    scf.yield %s : f64
  }
  %ni = arith.index_cast %n : index to i64
  %nf = arith.uitofp %ni : i64 to f64
  %mean = arith.divf %again, %nf : f64
  %ok = arith.constant 0 : i32
  return %ok, %sum, %min, %mean : i32, f64, f64, f64
}

// A 2-D array: the outer loops merge, then the inner ones.
// CHECK-LABEL: func.func @nested
// CHECK: scf.for
// CHECK-NEXT: %[[IN:.*]]:2 = scf.for
// CHECK-NOT: scf.for
// CHECK: scf.yield %[[IN]]#0, %[[IN]]#1
// CHECK-NOT: scf.for
// CHECK: return
func.func @nested(%a: memref<?x?xf64>) -> (f64, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %ninf = arith.constant 0xFFF0000000000000 : f64
  %n = memref.dim %a, %c0 : memref<?x?xf64>
  %m = memref.dim %a, %c1 : memref<?x?xf64>
  %sum = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
    %row = scf.for %j = %c0 to %m step %c1 iter_args(%r = %acc) -> (f64) {
      %x = memref.load %a[%i, %j] : memref<?x?xf64>
      %s = arith.addf %r, %x : f64
      scf.yield %s : f64
    }
    scf.yield %row : f64
  }
  %max = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %ninf) -> (f64) {
    %row = scf.for %j = %c0 to %m step %c1 iter_args(%r = %acc) -> (f64) {
      %x = memref.load %a[%i, %j] : memref<?x?xf64>
      %s = arith.maximumf %r, %x : f64
      scf.yield %s : f64
    }
    scf.yield %row : f64
  }
  return %sum, %max : f64, f64
}

// Loops that must stay apart: a store between them (the second sum sees it, and is not
// the same as the first); a load that is not provably in bounds (a[i + 1]) behind a check;
// a loop over another array (nothing to share, and a's size does not bound b).
// CHECK-LABEL: func.func @kept_apart
// CHECK-COUNT-4: scf.for
// CHECK-NOT: scf.for
func.func @kept_apart(%a: memref<?xf64>, %b: memref<?xf64>, %flag: i1) -> (f64, f64, f64, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %n = memref.dim %a, %c0 : memref<?xf64>
  %first = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
    %x = memref.load %a[%i] : memref<?xf64>
    %s = arith.addf %acc, %x : f64
    scf.yield %s : f64
  }
  memref.store %zero, %a[%c0] : memref<?xf64>
  %second = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
    %x = memref.load %a[%i] : memref<?xf64>
    %s = arith.addf %acc, %x : f64
    scf.yield %s : f64
  }
  cf.cond_br %flag, ^shifted, ^done
^shifted:
  %third = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
    %j = arith.addi %i, %c1 : index
    %x = memref.load %a[%j] : memref<?xf64>
    %s = arith.addf %acc, %x : f64
    scf.yield %s : f64
  }
  %other = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
    %x = memref.load %b[%i] : memref<?xf64>
    %s = arith.addf %acc, %x : f64
    scf.yield %s : f64
  }
  return %first, %second, %third, %other : f64, f64, f64, f64
^done:
  return %first, %second, %zero, %zero : f64, f64, f64, f64
}

// np.sum(a * b): the product fills a temporary that only the sum's loop reads. The loop
// computes the product from a and b instead, and the temporary and its loop go.
// CHECK-LABEL: func.func @sum_of_product
// CHECK-NOT: memref.alloc
// CHECK-NOT: linalg.generic
// CHECK: scf.for %[[I:[a-z0-9]+]] =
// CHECK-NEXT: %[[X:.*]] = memref.load %arg0[%[[I]]]
// CHECK-NEXT: %[[Y:.*]] = memref.load %arg1[%[[I]]]
// CHECK-NEXT: %[[P:.*]] = arith.mulf %[[X]], %[[Y]]
// CHECK-NEXT: arith.addf %{{.*}}, %[[P]]
#id = affine_map<(d0) -> (d0)>
func.func @sum_of_product(%a: memref<?xf64>, %b: memref<?xf64>) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %n = memref.dim %a, %c0 : memref<?xf64>
  %t = memref.alloc(%n) : memref<?xf64>
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%a, %b : memref<?xf64>, memref<?xf64>) outs(%t : memref<?xf64>) {
  ^bb0(%x: f64, %y: f64, %out: f64):
    %p = arith.mulf %x, %y : f64
    linalg.yield %p : f64
  }
  %m = memref.dim %t, %c0 : memref<?xf64>
  %sum = scf.for %i = %c0 to %m step %c1 iter_args(%acc = %zero) -> (f64) {
    %v = memref.load %t[%i] : memref<?xf64>
    %s = arith.addf %acc, %v : f64
    scf.yield %s : f64
  }
  return %sum : f64
}

// The temporary stays when an operand changes between the expression and the loop.
// CHECK-LABEL: func.func @operand_written_between
// CHECK: memref.alloc
// CHECK: linalg.generic
// CHECK: memref.load %[[T:.*]][
func.func @operand_written_between(%a: memref<?xf64>, %b: memref<?xf64>) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %n = memref.dim %a, %c0 : memref<?xf64>
  %t = memref.alloc(%n) : memref<?xf64>
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%a, %b : memref<?xf64>, memref<?xf64>) outs(%t : memref<?xf64>) {
  ^bb0(%x: f64, %y: f64, %out: f64):
    %p = arith.mulf %x, %y : f64
    linalg.yield %p : f64
  }
  memref.store %zero, %a[%c0] : memref<?xf64>
  %sum = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
    %v = memref.load %t[%i] : memref<?xf64>
    %s = arith.addf %acc, %v : f64
    scf.yield %s : f64
  }
  return %sum : f64
}

// np.exp(a).std(): two loops read the temporary (the mean, then the variance). Computing
// exp twice costs more than the temporary, so it stays; only arithmetic is recomputed.
// CHECK-LABEL: func.func @exp_read_twice
// CHECK: memref.alloc
// CHECK: linalg.generic
// CHECK: math.exp
func.func @exp_read_twice(%a: memref<?xf64>) -> (f64, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %n = memref.dim %a, %c0 : memref<?xf64>
  %t = memref.alloc(%n) : memref<?xf64>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%a : memref<?xf64>) outs(%t : memref<?xf64>) {
  ^bb0(%x: f64, %out: f64):
    %e = math.exp %x : f64
    linalg.yield %e : f64
  }
  %sum = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
    %v = memref.load %t[%i] : memref<?xf64>
    %s = arith.addf %acc, %v : f64
    scf.yield %s : f64
  }
  %sq = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
    %v = memref.load %t[%i] : memref<?xf64>
    %d = arith.subf %v, %sum : f64
    %s = arith.addf %acc, %d : f64
    scf.yield %s : f64
  }
  return %sum, %sq : f64, f64
}

// Broadcast views (py-to-std's reinterpret_casts) bound their loads by the size they were
// given, and two views of one array share it: the loops merge across the raise check.
// CHECK-LABEL: func.func @views_of_one_array
// CHECK: scf.for
// CHECK-SAME: -> (f64, f64)
// CHECK-NOT: scf.for
func.func @views_of_one_array(%a: memref<?xf64>, %n: index, %s: index) -> (i32, f64, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %ninf = arith.constant 0xFFF0000000000000 : f64
  %v = memref.reinterpret_cast %a to offset: [0], sizes: [%n], strides: [%s] : memref<?xf64> to memref<?xf64, strided<[?]>>
  %w = memref.reinterpret_cast %a to offset: [0], sizes: [%n], strides: [%s] : memref<?xf64> to memref<?xf64, strided<[?]>>
  %sum = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
    %x = memref.load %v[%i] : memref<?xf64, strided<[?]>>
    %t = arith.addf %acc, %x : f64
    scf.yield %t : f64
  }
  %empty = arith.cmpi eq, %n, %c0 : index
  cf.cond_br %empty, ^raise, ^max
^raise:
  %e = arith.constant 1 : i32
  return %e, %zero, %zero : i32, f64, f64
^max:
  %max = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %ninf) -> (f64) {
    %x = memref.load %w[%i] : memref<?xf64, strided<[?]>>
    %t = arith.maximumf %acc, %x : f64
    scf.yield %t : f64
  }
  %ok = arith.constant 0 : i32
  return %ok, %sum, %max : i32, f64, f64
}

// An argmax (marked for numlir-block-arg-reductions) merges with no other reduction of
// its array: in blocks it is a vectorized pass of its own.
// CHECK-LABEL: func.func @sum_and_argmax
// CHECK: scf.for {{.*}} -> (f64) {
// CHECK: scf.for {{.*}} -> (f64, i64, i64) {
// CHECK: } {numlir.arg_reduction = "maximumf"}
func.func @sum_and_argmax(%a: memref<?xf64>) -> (f64, i64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %ninf = arith.constant 0xFFF0000000000000 : f64
  %z = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %n = memref.dim %a, %c0 : memref<?xf64>
  %sum = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
    %x = memref.load %a[%i] : memref<?xf64>
    %s = arith.addf %acc, %x fastmath<reassoc> : f64
    scf.yield %s : f64
  }
  %r:3 = scf.for %i = %c0 to %n step %c1 iter_args(%best = %ninf, %at = %z, %pos = %z) -> (f64, i64, i64) {
    %x = memref.load %a[%i] : memref<?xf64>
    %better = arith.cmpf ogt, %x, %best : f64
    %nb = arith.select %better, %x, %best : f64
    %na = arith.select %better, %pos, %at : i64
    %np = arith.addi %pos, %one : i64
    scf.yield %nb, %na, %np : f64, i64, i64
  } {numlir.arg_reduction = "maximumf"}
  return %sum, %r#1 : f64, i64
}
