#ifndef PY_DIALECT_TD
#define PY_DIALECT_TD

include "mlir/IR/OpBase.td"

def Py_Dialect : Dialect {
  let name = "py";
  let summary = "Python semantics for numlir: values and operations before lowering";
  let description = [{
    The `py` dialect is what the numlir frontend produces from CPython bytecode.
    Operations keep Python semantics (floor division, wrapping int64 arithmetic,
    truthiness, range iteration, exceptions). Before `py-infer-types` most values
    have the type `!py.object`; afterwards they carry builtin types (`i64`, `f64`,
    `i1`, `tuple<...>`, `none`) and the py types below, and `py-to-std` lowers them
    to arith/math/cf/func/memref.
  }];
  let cppNamespace = "::mlir::py";
  let useDefaultTypePrinterParser = 1;
  let hasConstantMaterializer = 1;
}

class Py_Op<string mnemonic, list<Trait> traits = []> :
    Op<Py_Dialect, mnemonic, traits>;

#endif // PY_DIALECT_TD
