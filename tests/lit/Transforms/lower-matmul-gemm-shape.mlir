// RUN: numlir-opt %s --pass-pipeline "builtin.module(numlir-lower-matmul,canonicalize,cse)" | FileCheck %s

// alpha * (A @ B) + beta * C as py-to-std makes it: the product into a zero-filled
// temporary, then one elementwise op over a view of it and C. It becomes one gemm into the
// result: where the product is not broadcast and is large enough, the result gets C's
// values and gemm takes alpha and beta; otherwise the fill, the product (lowered as any)
// and the elementwise op run as they were.
#map = affine_map<(d0, d1) -> (d0, d1)>

// CHECK-LABEL: func.func @gemm_shape
// CHECK-SAME: (%[[ALPHA:.*]]: f64, %[[A:.*]]: memref<?x?xf64>, %[[B:.*]]: memref<?x?xf64>, %[[BETA:.*]]: f64, %[[C:.*]]: memref<?x?xf64>
// CHECK: %[[P:.*]] = memref.alloc
// CHECK-NOT: linalg.fill
// CHECK: %[[OUT:.*]] = memref.alloc
// (The product is not broadcast here: the result's shape is its own, which canonicalize
// sees, so only the size decides.)
// CHECK: %[[BIG:.*]] = arith.cmpi uge, %{{.*}}, %c512
// CHECK: %[[DONE:.*]] = scf.if %[[BIG]] -> (i1) {
// CHECK: linalg.generic {{.*}} ins(%[[C]] : memref<?x?xf64>) outs(%[[OUT]] : memref<?x?xf64>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f64, %{{.*}}: f64):
// CHECK-NEXT: linalg.yield %[[IN]]
// CHECK: func.call @numlir_blas_gemm(%c1_i64, {{.*}}, %[[ALPHA]], %[[BETA]], {{.*}}) :
// CHECK: } else {
// CHECK-NEXT: scf.yield %false
// CHECK: %[[FALLBACK:.*]] = arith.xori %[[DONE]], %true
// CHECK: scf.if %[[FALLBACK]] {
// CHECK: func.call @numlir_blas_gemm
// CHECK: linalg.fill {{.*}} outs(%[[P]]
// CHECK: linalg.generic {{.*}} ins(%[[P]], %[[C]] : memref<?x?xf64>, memref<?x?xf64>) outs(%[[OUT]]
// CHECK-NOT: linalg.matmul
func.func @gemm_shape(%alpha: f64, %a: memref<?x?xf64>, %b: memref<?x?xf64>, %beta: f64, %c: memref<?x?xf64>) -> memref<?x?xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %n = memref.dim %a, %c0 : memref<?x?xf64>
  %m = memref.dim %b, %c1 : memref<?x?xf64>
  %p = memref.alloc(%n, %m) : memref<?x?xf64>
  linalg.fill ins(%zero : f64) outs(%p : memref<?x?xf64>)
  linalg.matmul ins(%a, %b : memref<?x?xf64>, memref<?x?xf64>) outs(%p : memref<?x?xf64>)
  %out = memref.alloc(%n, %m) : memref<?x?xf64>
  linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%p, %c : memref<?x?xf64>, memref<?x?xf64>) outs(%out : memref<?x?xf64>) {
  ^bb0(%x: f64, %y: f64, %o: f64):
    %ax = arith.mulf %alpha, %x : f64
    %by = arith.mulf %y, %beta : f64
    %s = arith.addf %ax, %by : f64
    linalg.yield %s : f64
  }
  return %out : memref<?x?xf64>
}

// A @ B - C: alpha 1 and beta -1.
// CHECK-LABEL: func.func @product_minus_c
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.0{{.*}} : f64
// CHECK-DAG: %[[MINUS_ONE:.*]] = arith.constant -1.0{{.*}} : f64
// CHECK: func.call @numlir_blas_gemm(%c1_i64, {{.*}}, %[[ONE]], %[[MINUS_ONE]], {{.*}}) :
func.func @product_minus_c(%a: memref<?x?xf64>, %b: memref<?x?xf64>, %c: memref<?x?xf64>) -> memref<?x?xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %n = memref.dim %a, %c0 : memref<?x?xf64>
  %m = memref.dim %b, %c1 : memref<?x?xf64>
  %p = memref.alloc(%n, %m) : memref<?x?xf64>
  linalg.fill ins(%zero : f64) outs(%p : memref<?x?xf64>)
  linalg.matmul ins(%a, %b : memref<?x?xf64>, memref<?x?xf64>) outs(%p : memref<?x?xf64>)
  %out = memref.alloc(%n, %m) : memref<?x?xf64>
  linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%p, %c : memref<?x?xf64>, memref<?x?xf64>) outs(%out : memref<?x?xf64>) {
  ^bb0(%x: f64, %y: f64, %o: f64):
    %s = arith.subf %x, %y : f64
    linalg.yield %s : f64
  }
  return %out : memref<?x?xf64>
}

// (A @ B) * C is no gemm shape: the product and the elementwise op stay.
// CHECK-LABEL: func.func @not_a_gemm_shape
// CHECK-NOT: ins(%arg2 : memref<?x?xf64>)
// CHECK: linalg.generic {{.*}} ins(%alloc, %arg2
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.mulf
func.func @not_a_gemm_shape(%a: memref<?x?xf64>, %b: memref<?x?xf64>, %c: memref<?x?xf64>) -> memref<?x?xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %n = memref.dim %a, %c0 : memref<?x?xf64>
  %m = memref.dim %b, %c1 : memref<?x?xf64>
  %p = memref.alloc(%n, %m) : memref<?x?xf64>
  linalg.fill ins(%zero : f64) outs(%p : memref<?x?xf64>)
  linalg.matmul ins(%a, %b : memref<?x?xf64>, memref<?x?xf64>) outs(%p : memref<?x?xf64>)
  %out = memref.alloc(%n, %m) : memref<?x?xf64>
  linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%p, %c : memref<?x?xf64>, memref<?x?xf64>) outs(%out : memref<?x?xf64>) {
  ^bb0(%x: f64, %y: f64, %o: f64):
    %s = arith.mulf %x, %y : f64
    linalg.yield %s : f64
  }
  return %out : memref<?x?xf64>
}

// A write to A between the product and the sum keeps them apart.
// CHECK-LABEL: func.func @written_between
// CHECK-NOT: ins(%arg2 : memref<?x?xf64>)
// CHECK: memref.store
// CHECK: linalg.generic {{.*}} ins(%alloc, %arg2
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.addf
func.func @written_between(%a: memref<?x?xf64>, %b: memref<?x?xf64>, %c: memref<?x?xf64>) -> memref<?x?xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %n = memref.dim %a, %c0 : memref<?x?xf64>
  %m = memref.dim %b, %c1 : memref<?x?xf64>
  %p = memref.alloc(%n, %m) : memref<?x?xf64>
  linalg.fill ins(%zero : f64) outs(%p : memref<?x?xf64>)
  linalg.matmul ins(%a, %b : memref<?x?xf64>, memref<?x?xf64>) outs(%p : memref<?x?xf64>)
  memref.store %zero, %a[%c0, %c0] : memref<?x?xf64>
  %out = memref.alloc(%n, %m) : memref<?x?xf64>
  linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%p, %c : memref<?x?xf64>, memref<?x?xf64>) outs(%out : memref<?x?xf64>) {
  ^bb0(%x: f64, %y: f64, %o: f64):
    %s = arith.addf %x, %y : f64
    linalg.yield %s : f64
  }
  return %out : memref<?x?xf64>
}

// C[:] = A @ B + C as py-to-std makes it: the sum writes into C and reads C through an
// scf.if that copies C where it is another view of the target's memory (a write into the
// scf.if's own allocation, which does not keep the two apart). gemm writes into C itself,
// where neither A nor B is in C's memory (else the product runs apart, as NumPy reads it);
// C is copied into the output only where it is not those very elements.
// CHECK-LABEL: func.func @gemm_into_c
// CHECK-SAME: (%[[A:.*]]: memref<?x?xf64>, %[[B:.*]]: memref<?x?xf64>, %[[C:.*]]: memref<?x?xf64>, %{{.*}}: i1)
// CHECK: %[[CR:.*]] = scf.if
// CHECK-DAG: %[[A_PTR:.*]] = memref.extract_aligned_pointer_as_index %[[A]]
// CHECK-DAG: %[[B_PTR:.*]] = memref.extract_aligned_pointer_as_index %[[B]]
// CHECK-DAG: %[[C_PTR:.*]] = memref.extract_aligned_pointer_as_index %[[C]]
// CHECK-DAG: arith.cmpi ne, %[[A_PTR]], %[[C_PTR]]
// CHECK-DAG: arith.cmpi ne, %[[B_PTR]], %[[C_PTR]]
// CHECK: scf.if %{{.*}} -> (i1) {
// CHECK: %[[CR_PTR:.*]] = memref.extract_aligned_pointer_as_index %[[CR]]
// CHECK: arith.cmpi eq, %[[CR_PTR]], %[[C_PTR]]
// CHECK: scf.if %{{.*}} {
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[CR]] : memref<?x?xf64>) outs(%[[C]] : memref<?x?xf64>)
// CHECK: func.call @numlir_blas_gemm(%c1_i64, {{.*}}) :
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[CR]] : memref<?x?xf64>, memref<?x?xf64>) outs(%[[C]]
func.func @gemm_into_c(%a: memref<?x?xf64>, %b: memref<?x?xf64>, %c: memref<?x?xf64>, %keep: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %n = memref.dim %a, %c0 : memref<?x?xf64>
  %m = memref.dim %b, %c1 : memref<?x?xf64>
  %p = memref.alloc(%n, %m) : memref<?x?xf64>
  linalg.fill ins(%zero : f64) outs(%p : memref<?x?xf64>)
  linalg.matmul ins(%a, %b : memref<?x?xf64>, memref<?x?xf64>) outs(%p : memref<?x?xf64>)
  %cr = scf.if %keep -> (memref<?x?xf64>) {
    scf.yield %c : memref<?x?xf64>
  } else {
    %copy = memref.alloc(%n, %m) : memref<?x?xf64>
    linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
        ins(%c : memref<?x?xf64>) outs(%copy : memref<?x?xf64>) {
    ^bb0(%x: f64, %o: f64):
      linalg.yield %x : f64
    }
    scf.yield %copy : memref<?x?xf64>
  }
  linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%p, %cr : memref<?x?xf64>, memref<?x?xf64>) outs(%c : memref<?x?xf64>) {
  ^bb0(%x: f64, %y: f64, %o: f64):
    %s = arith.addf %x, %y : f64
    linalg.yield %s : f64
  }
  return
}
