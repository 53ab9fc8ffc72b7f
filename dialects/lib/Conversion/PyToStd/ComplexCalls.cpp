// py-to-std for complex scalars' calls: complex(...) and cmath.* (C99's complex functions
// from the C library, as CPython's cmath follows them), and abs(z) as CPython's hypot.
#include "FunctionLowering.h"

#include "mlir/Dialect/Complex/IR/Complex.h"

#include <cmath>

using namespace mlir;
using namespace mlir::py;

/// abs(z) of a scalar as CPython's: hypot, which is inf where either part is (MLIR's
/// complex.abs gives nan there).
Value FunctionLowering::complexModulus(Location loc, Value z) {
  Value parts[2] = {complex::ReOp::create(b, loc, z), complex::ImOp::create(b, loc, z)};
  return callExternal(b, loc, symbols, "hypot", parts, f64());
}

/// complex(...) and cmath.* on scalars: the lowered result values.
FailureOr<SmallVector<Value>> FunctionLowering::lowerComplexCall(CallBuiltinOp op) {
  Location loc = op.getLoc();
  StringRef name = op.getCallee();
  SmallVector<Value> args = lowered(op.getArgs());
  SmallVector<Type> argPy(op.getArgs().getTypes());
  auto c128 = ComplexType::get(f64());
  auto asComplex = [&](size_t i) { return complexFrom(b, loc, args[i], argPy[i], c128); };
  if (name == "complex" && llvm::any_of(argPy, isComplex)) {
    // complex(z, w) = z + w * 1j, as Python computes it for complex arguments
    Value z = asComplex(0);
    if (args.size() == 1)
      return SmallVector<Value>{z};
    Value w = asComplex(1);
    Value re = arith::SubFOp::create(b, loc, complex::ReOp::create(b, loc, z), complex::ImOp::create(b, loc, w));
    Value im = arith::AddFOp::create(b, loc, complex::ImOp::create(b, loc, z), complex::ReOp::create(b, loc, w));
    return SmallVector<Value>{complex::CreateOp::create(b, loc, c128, re, im)};
  }
  if (name == "complex") {
    Value re = args.size() > 0 ? convertElement(b, loc, args[0], argPy[0], f64()) : cF64(loc, 0.0);
    Value im = args.size() > 1 ? convertElement(b, loc, args[1], argPy[1], f64()) : cF64(loc, 0.0);
    return SmallVector<Value>{complex::CreateOp::create(b, loc, c128, re, im)};
  }
  name.consume_front("cmath.");
  if (name == "isclose")
    return SmallVector<Value>{isClose(op, args)};
  if (name == "rect") {
    Value r = convertElement(b, loc, args[0], argPy[0], f64()), phi = convertElement(b, loc, args[1], argPy[1], f64());
    return SmallVector<Value>{complex::CreateOp::create(b, loc, c128, arith::MulFOp::create(b, loc, r, math::CosOp::create(b, loc, phi)),
                                                          arith::MulFOp::create(b, loc, r, math::SinOp::create(b, loc, phi)))};
  }
  Value z = asComplex(0);
  // C99's complex functions (glibc's follow its Annex G at infinities, nans and signed
  // zeros, as CPython's cmath does; MLIR's complex lowering does not). A C complex is
  // two doubles in, two out.
  auto c99 = [&](StringRef f, Value w) -> Value {
    Value parts[2] = {complex::ReOp::create(b, loc, w), complex::ImOp::create(b, loc, w)};
    ValueRange out = callExternal(b, loc, symbols, f, parts, TypeRange{f64(), f64()});
    return complex::CreateOp::create(b, loc, c128, out[0], out[1]);
  };
  if (llvm::is_contained({"sqrt", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "asin", "acos", "atan",
                          "asinh", "acosh", "atanh"},
                         name))
    return SmallVector<Value>{c99(("c" + name).str(), z)};
  if (name == "polar")
    return SmallVector<Value>{complexModulus(loc, z), complex::AngleOp::create(b, loc, z)};
  if (name == "log" || name == "log10") {
    // log(z, base) = log(z) / log(base); log10 divides each part by ln 10, as CPython does
    Value log = c99("clog", z);
    if (args.size() == 2)
      return SmallVector<Value>{complexBinary(b, loc, "truediv", log, c99("clog", asComplex(1)))};
    if (name == "log")
      return SmallVector<Value>{log};
    Value ln10 = cF64(loc, std::log(10.0));
    return SmallVector<Value>{complex::CreateOp::create(b, 
        loc, c128, arith::DivFOp::create(b, loc, complex::ReOp::create(b, loc, log), ln10),
        arith::DivFOp::create(b, loc, complex::ImOp::create(b, loc, log), ln10))};
  }
  return SmallVector<Value>{complexUnary(b, loc, name, z)};
}
