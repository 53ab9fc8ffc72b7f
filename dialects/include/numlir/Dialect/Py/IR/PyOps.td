#ifndef PY_OPS_TD
#define PY_OPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "numlir/Dialect/Py/IR/PyDialect.td"
include "numlir/Dialect/Py/IR/PyTypes.td"

def Py_ConstantOp : Py_Op<"constant", [ConstantLike, Pure]> {
  let summary = "a constant int, float or bool";
  let description = [{
    A literal or a global frozen at compile time. Before type inference the result
    is `!py.object`; inference gives it the type of `value`.

    ```mlir
    %0 = py.constant 3 : i64 -> !py.object
    %1 = py.constant 2.5 : f64 -> f64
    ```
  }];
  let arguments = (ins TypedAttrInterface:$value);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$value attr-dict `->` type($result)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

def Py_NoneOp : Py_Op<"none", [Pure]> {
  let summary = "the None value";
  let description = [{
    ```mlir
    %0 = py.none : !py.object
    ```
  }];
  let results = (outs AnyType:$result);
  let assemblyFormat = "attr-dict `:` type($result)";
}

def Py_FunctionRefOp : Py_Op<"function_ref", [Pure]> {
  let summary = "a compiled function as a value";
  let description = [{
    A closure (an inner function or lambda that reads variables of its enclosing
    function) carries the tuple of their values, `captured`.

    ```mlir
    %f = py.function_ref @square : !py.funcref<"square">
    %g = py.function_ref @by_count(%env : tuple<!py.dict<!py.str, i64>>) : !py.funcref<"by_count", tuple<!py.dict<!py.str, i64>>>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$callee, Optional<AnyType>:$captured);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$callee (`(` $captured^ `:` type($captured) `)`)? attr-dict `:` type($result)";
}

def Py_FunctionCapturesOp : Py_Op<"function_captures", [Pure]> {
  let summary = "the values a closure value carries: its callee's last argument";
  let description = [{
    ```mlir
    %env = py.function_captures %g : !py.funcref<"by_count", tuple<i64>> -> tuple<i64>
    ```
  }];
  let arguments = (ins AnyType:$function);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$function attr-dict `:` type($function) `->` type($result)";
}

def Py_StrConstantOp : Py_Op<"str_constant", [Pure]> {
  let summary = "a string literal";
  let description = [{
    The result is a block made once for the process (py-to-std keeps its address in a
    module global); taking and dropping references to it never frees it.

    ```mlir
    %s = py.str_constant "hello" : !py.str
    ```
  }];
  let arguments = (ins StrAttr:$value);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$value attr-dict `:` type($result)";
}

def Py_ArrayConstantOp : Py_Op<"array_constant", [Pure]> {
  let summary = "a NumPy array frozen at compile time (a global or closure variable)";
  let description = [{
    The array's elements, as numba freezes global arrays: later changes to the Python
    array do not reach compiled code. Inference types it as a C-contiguous array of the
    elements' type and rank; py-to-std places the bytes in a private module global. Item
    assignment to it is a typing error (numba's read-only arrays).

    ```mlir
    %0 = py.array_constant dense<[1.0, 2.0]> : tensor<2xf64> -> !py.object
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$value attr-dict `->` type($result)";
}

def Py_UndefOp : Py_Op<"undef", [Pure]> {
  let summary = "the value of a local that is not assigned on every path";
  let description = [{
    ```mlir
    %0 = py.undef : !py.object
    ```
  }];
  let results = (outs AnyType:$result);
  let assemblyFormat = "attr-dict `:` type($result)";
}

// Not Pure: division, shifts and powers may raise, so an unused result must stay.
def Py_BinOp : Py_Op<"binop"> {
  let summary = "a binary arithmetic or bitwise operator with Python semantics";
  let description = [{
    `kind` is one of add, sub, mul, truediv, floordiv, mod, pow, lshift, rshift,
    and, or, xor. Division and modulo by zero raise ZeroDivisionError after lowering;
    floordiv and mod follow Python's sign rules. `inplace` marks an augmented assignment
    (`a += b`), which writes into an array `lhs` and gives `lhs` back.

    ```mlir
    %2 = py.binop "floordiv" %0, %1 : (i64, i64) -> i64
    ```
  }];
  let arguments = (ins StrAttr:$kind, AnyType:$lhs, AnyType:$rhs, UnitAttr:$inplace);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$kind $lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Py_UnOp : Py_Op<"unop", [Pure]> {
  let summary = "a unary operator: neg, pos, invert or not";
  let description = [{
    ```mlir
    %1 = py.unop "neg" %0 : (f64) -> f64
    ```
  }];
  let arguments = (ins StrAttr:$kind, AnyType:$operand);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$kind $operand attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Py_CmpOp : Py_Op<"cmp", [Pure]> {
  let summary = "a comparison: lt, le, eq, ne, gt, ge";
  let description = [{
    ```mlir
    %2 = py.cmp "lt" %0, %1 : (i64, f64) -> i1
    ```
  }];
  let arguments = (ins StrAttr:$predicate, AnyType:$lhs, AnyType:$rhs);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$predicate $lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Py_TruthOp : Py_Op<"truth", [Pure]> {
  let summary = "Python truthiness of a value, as used by `if`, `while`, `and`, `or`";
  let description = [{
    ```mlir
    %1 = py.truth %0 : f64
    ```
  }];
  let arguments = (ins AnyType:$operand);
  let results = (outs I1:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand)";
}

def Py_CastOp : Py_Op<"cast", [Pure]> {
  let summary = "a numeric conversion inserted where types unify (bool -> int -> float)";
  let description = [{
    ```mlir
    %1 = py.cast %0 : i64 to f64
    ```
  }];
  let arguments = (ins AnyType:$operand);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand) `to` type($result)";
  let hasFolder = 1;
}

// Not Pure: int(nan), math.floor(inf) and the like raise.
def Py_CallBuiltinOp : Py_Op<"call_builtin"> {
  let summary = "a call of a builtin or math-module function";
  let description = [{
    `callee` names the function, e.g. "abs", "max", "math.sqrt", "np.zeros", or a
    method of an array, "ndarray.sum" (the array is the first argument). `kwnames`
    names the trailing arguments passed by keyword (`axis=`); `dtype` is a NumPy dtype
    given at compile time (`dtype=np.float32`).

    ```mlir
    %1 = py.call_builtin "math.sqrt"(%0) : (f64) -> f64
    ```
  }];
  let arguments = (ins StrAttr:$callee, Variadic<AnyType>:$args,
                   OptionalAttr<StrArrayAttr>:$kwnames, OptionalAttr<StrAttr>:$dtype);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$callee `(` $args `)` attr-dict `:` functional-type($args, results)";
}

def Py_CallOp : Py_Op<"call"> {
  let summary = "a call of another numlir-compiled Python function";
  let description = [{
    Before type inference `callee` names an untyped template function
    (marked `py.template`); `py-infer-types` makes a typed copy for the argument
    types of the call and points the call at it.

    ```mlir
    %1 = py.call @fib(%0) : (i64) -> i64
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$callee, Variadic<AnyType>:$args);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$callee `(` $args `)` attr-dict `:` functional-type($args, results)";
}

def Py_MakeTupleOp : Py_Op<"make_tuple", [Pure]> {
  let summary = "builds a tuple from its elements";
  let description = [{
    ```mlir
    %2 = py.make_tuple %0, %1 : (i64, f64) -> tuple<i64, f64>
    ```

    With `class_name` and `fields` it builds an instance of that namedtuple class
    (`Point(x, y)` in Python), a `!py.namedtuple`.
  }];
  let arguments = (ins Variadic<AnyType>:$elements, OptionalAttr<StrAttr>:$class_name,
                       OptionalAttr<StrArrayAttr>:$fields);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$elements attr-dict `:` functional-type($elements, results)";
}

def Py_TupleGetOp : Py_Op<"tuple_get", [Pure]> {
  let summary = "element `index` of a tuple";
  let description = [{
    ```mlir
    %1 = py.tuple_get %0[1] : tuple<i64, f64> -> f64
    ```
  }];
  let arguments = (ins AnyType:$tuple, I64Attr:$index);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$tuple `[` $index `]` attr-dict `:` type($tuple) `->` type($result)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

// Not Pure: a zero step raises ValueError.
def Py_RangeOp : Py_Op<"range"> {
  let summary = "range(start, stop, step) with int64 bounds";
  let description = [{
    `prange` marks numlir.prange(...): with `parallel=True` (`py.parallel` on the module)
    py-parallel-loops makes its loop a `py.parallel_for`; otherwise it is range().

    ```mlir
    %r = py.range %start, %stop, %step : (i64, i64, i64) -> !py.range
    ```
  }];
  let arguments = (ins AnyType:$start, AnyType:$stop, AnyType:$step, UnitAttr:$prange);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$start `,` $stop `,` $step attr-dict `:` functional-type(operands, results)";
}

def Py_ParallelForOp : Py_Op<"parallel_for"> {
  let summary = "a prange loop: its body outlined into a function run for each index in parallel";
  let description = [{
    Operands: start, stop and step of the range, then `captureCount` values the body
    function takes after the index, then the initial values of the reductions, one per
    entry of `reductions` ("add", "mul", "min", "max"). `body(i, captures...)` returns a
    tuple of each reduction's contribution of iteration i; the result is the tuple of the
    reductions' final values (each initial value combined with every contribution).
    py-to-std lowers it to `scf.parallel` with `scf.reduce` (then OpenMP).

    ```mlir
    %r = py.parallel_for @f__prange0(%start, %stop, %step, %a, %s0) {captureCount = 1 : i64, reductions = ["add"]}
        : (i64, i64, i64, memref<?xf64>, f64) -> tuple<f64>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$body, Variadic<AnyType>:$operands, I64Attr:$captureCount,
                       StrArrayAttr:$reductions);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$body `(` $operands `)` attr-dict `:` functional-type($operands, results)";
}

def Py_GetIterOp : Py_Op<"get_iter"> {
  let summary = "iter(x): a fresh iterator over a range, an array or a tuple";
  let description = [{
    An iterator (`!py.range_iter`, `!py.iter`, from enumerate(), zip() or reversed()) is
    its own iterator.

    ```mlir
    %it = py.get_iter %r : (!py.range) -> !py.range_iter
    ```
  }];
  let arguments = (ins AnyType:$iterable);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$iterable attr-dict `:` functional-type(operands, results)";
}

def Py_IterNextOp : Py_Op<"iter_next"> {
  let summary = "advances an iterator: whether a value was produced, and the value";
  let description = [{
    ```mlir
    %ok, %i = py.iter_next %it : (!py.range_iter) -> (i1, i64)
    ```
  }];
  let arguments = (ins AnyType:$iterator);
  let results = (outs I1:$valid, AnyType:$value);
  let assemblyFormat = "$iterator attr-dict `:` functional-type(operands, results)";
}

def Py_RaiseOp : Py_Op<"raise", [Terminator]> {
  let summary = "raises a builtin exception with a constant message or a str made at run time";
  let description = [{
    After lowering the function returns a nonzero status naming this raise site;
    the dispatcher raises the exception in Python. With `text` (a `!py.str`, as in
    `raise ValueError(f"bad {x}")`), the message is that string and `message` is empty;
    the raise consumes the reference.

    ```mlir
    py.raise "ValueError"("negative input")
    py.raise "ValueError"("") %s : !py.str
    ```
  }];
  let arguments = (ins StrAttr:$exception, StrAttr:$message, Optional<AnyType>:$text);
  let assemblyFormat = "$exception `(` $message `)` ($text^ `:` type($text))? attr-dict";
}

// Not Pure: an index out of bounds raises IndexError when bounds are checked.
def Py_GetItemOp : Py_Op<"getitem"> {
  let summary = "`base[index]`: an array element or view, or a tuple element";
  let description = [{
    `index` is an int, a slice, or a tuple of them. On an array, ints pick
    elements (negative ones count from the end) and slices make views that share the
    array's memory.

    ```mlir
    %x = py.getitem %a[%i] : (memref<?xf64, strided<[1], offset: ?>>, i64) -> f64
    ```
  }];
  let arguments = (ins AnyType:$base, AnyType:$index);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$base `[` $index `]` attr-dict `:` functional-type(operands, results)";
}

def Py_SetItemOp : Py_Op<"setitem"> {
  let summary = "`base[index] = value` on an array (a scalar or array value broadcasts)";
  let description = [{
    ```mlir
    py.setitem %a[%i] = %x : memref<?xf64, strided<[1], offset: ?>>, i64, f64
    ```
  }];
  let arguments = (ins AnyType:$base, AnyType:$index, AnyType:$value);
  let assemblyFormat = "$base `[` $index `]` `=` $value attr-dict `:` type($base) `,` type($index) `,` type($value)";
}

def Py_GetAttrOp : Py_Op<"getattr", [Pure]> {
  let summary = "an attribute of a value: `a.shape`, `a.size`, `a.ndim`, `a.T`, ...";
  let description = [{
    ```mlir
    %s = py.getattr "shape" %a : memref<?x?xf64, strided<[?, 1], offset: ?>> -> tuple<i64, i64>
    ```
  }];
  let arguments = (ins StrAttr:$field, AnyType:$object);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$field $object attr-dict `:` type($object) `->` type($result)";
}

def Py_SliceOp : Py_Op<"slice", [Pure]> {
  let summary = "builds `start:stop:step`; a none operand is an omitted part";
  let description = [{
    ```mlir
    %s = py.slice %start, %stop, %step : (i64, i64, none) -> !py.slice
    ```
  }];
  let arguments = (ins AnyType:$start, AnyType:$stop, AnyType:$step);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$start `,` $stop `,` $step attr-dict `:` functional-type(operands, results)";
}

def Py_MakeListOp : Py_Op<"make_list"> {
  let summary = "a new list of the given elements (a list display `[a, b]`)";
  let description = [{
    The result owns its list (reference count 1). The list takes its own reference to
    each element that is counted (a list, or a tuple holding one).

    ```mlir
    %l = py.make_list %0, %1 : (i64, i64) -> !py.list<i64>
    %e = py.make_list : () -> !py.list<!py.object>
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$elements);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$elements attr-dict `:` functional-type($elements, results)";
}

def Py_MakeDictOp : Py_Op<"make_dict", [AttrSizedOperandSegments]> {
  let summary = "a new dict of the given keys and values (a dict display `{k: v}`)";
  let description = [{
    The result owns its dict; a later key equal to an earlier one replaces its value, as
    in Python.

    ```mlir
    %d = py.make_dict keys(%k0, %k1) values(%v0, %v1) : (i64, i64, f64, f64) -> !py.dict<i64, f64>
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$keys, Variadic<AnyType>:$values);
  let results = (outs AnyType:$result);
  let assemblyFormat = "`keys` `(` $keys `)` `values` `(` $values `)` attr-dict `:` functional-type(operands, results)";
}

def Py_MakeSetOp : Py_Op<"make_set"> {
  let summary = "a new set of the given elements (a set display `{a, b}`)";
  let description = [{
    ```mlir
    %s = py.make_set %0, %1 : (i64, i64) -> !py.set<i64>
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$elements);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$elements attr-dict `:` functional-type($elements, results)";
}

def Py_MakeGeneratorOp : Py_Op<"make_generator"> {
  let summary = "the generator object a generator function's call returns";
  let description = [{
    The first op of a generator function: the object its call gives the caller, which
    every `py.yield` yields through and every return returns. Lowered, the function
    becomes a coroutine whose start makes the object and suspends before any of the
    body runs.

    ```mlir
    %g = py.make_generator : !py.generator<i64>
    ```
  }];
  let results = (outs AnyType:$result);
  let assemblyFormat = "attr-dict `:` type($result)";
}

def Py_YieldValueOp : Py_Op<"yield"> {
  let summary = "`yield value` in a generator function: suspends until the next `next`";
  let description = [{
    Hands `value` to the consumer and suspends. The result is true when the generator is
    resumed, false when it is dropped instead: the frontend branches to a return there,
    so that what the function holds is released on that path too. Nothing is sent, so a
    `yield` expression's value is None.

    ```mlir
    %resumed = py.yield %g, %x : (!py.generator<i64>, i64) -> i1
    ```
  }];
  let arguments = (ins AnyType:$generator, AnyType:$value);
  let results = (outs I1:$resumed);
  let assemblyFormat = "$generator `,` $value attr-dict `:` functional-type(operands, results)";
}

def Py_IncRefOp : Py_Op<"incref"> {
  let summary = "takes one more reference to a counted value";
  let description = [{
    Inserted by `py-insert-refcounts`; a tuple increments each counted element.
    Counted values are lists and dicts, and tuples and iterators that hold them.

    ```mlir
    py.incref %l : !py.list<i64>
    ```
  }];
  let arguments = (ins AnyType:$value);
  let assemblyFormat = "$value attr-dict `:` type($value)";
}

def Py_DecRefOp : Py_Op<"decref"> {
  let summary = "drops one reference to a counted value; the last one frees it";
  let description = [{
    Inserted by `py-insert-refcounts` after a value's last use. Freeing a list drops
    its references to its elements.

    ```mlir
    py.decref %l : !py.list<i64>
    ```
  }];
  let arguments = (ins AnyType:$value);
  let assemblyFormat = "$value attr-dict `:` type($value)";
}

// try/except. The frontend gives each instruction in a `try` body that may raise a
// block of its own: `py.exc_begin` marks where its ops start, and `py.exc_point` after
// them continues normally or, when one of them raised, at the handler. py-to-std sends
// the raise paths of the ops between the two to the handler instead of the caller.

// Not Pure: it stays where it is, marking a place.
def Py_ExcBeginOp : Py_Op<"exc_begin"> {
  let summary = "the ops after it, up to the block's `py.exc_point`, raise to its handler";
  let description = [{
    ```mlir
    py.exc_begin
    %q = py.binop "floordiv" %x, %y : (i64, i64) -> i64
    py.exc_point ^bb2, ^bb3(%r : i64)
    ```
  }];
  let assemblyFormat = "attr-dict";
}

def Py_ExcPointOp : Py_Op<"exc_point", [Terminator, DeclareOpInterfaceMethods<BranchOpInterface>]> {
  let summary = "continues at `normal`, or at `handler` when an op since `py.exc_begin` raised";
  let description = [{
    The handler's operands are the variables and stack of the `try` as they were before
    the ops that may raise; the handler reads the exception with `py.caught`.

    ```mlir
    py.exc_point ^bb2, ^bb3(%r : i64)
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$handlerArgs);
  let successors = (successor AnySuccessor:$normal, AnySuccessor:$handler);
  let assemblyFormat = "$normal `,` $handler (`(` $handlerArgs^ `:` type($handlerArgs) `)`)? attr-dict";
}

// Not Pure: it reads the exception the last raise in this function set.
def Py_CaughtOp : Py_Op<"caught"> {
  let summary = "the exception a handler was entered with";
  let description = [{
    ```mlir
    %e = py.caught : !py.exception
    ```
  }];
  let results = (outs AnyType:$result);
  let assemblyFormat = "attr-dict `:` type($result)";
}

def Py_SetCaughtOp : Py_Op<"set_caught"> {
  let summary = "makes `exception` the one the next handler reads (a raise in a try body)";
  let description = [{
    ```mlir
    py.set_caught %e : !py.exception
    cf.br ^bb3(%r : i64)
    ```
  }];
  let arguments = (ins AnyType:$exception);
  let assemblyFormat = "$exception attr-dict `:` type($exception)";
}

// Not Pure: with `text`, it records the text in the runtime.
def Py_MakeExceptionOp : Py_Op<"make_exception"> {
  let summary = "the exception a `raise` in a try body raises, as `py.raise` names it";
  let description = [{
    ```mlir
    %e = py.make_exception "ValueError"("negative input") : !py.exception
    ```
  }];
  let arguments = (ins StrAttr:$exception, StrAttr:$message, Optional<AnyType>:$text);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$exception `(` $message `)` ($text^ `:` type($text))? attr-dict `:` type($result)";
}

def Py_ExcMatchOp : Py_Op<"exc_match", [Pure]> {
  let summary = "whether an exception is one of `classes` (`except E:`)";
  let description = [{
    `classes` are the classes of the `except` clause and all their subclasses, by name.

    ```mlir
    %m = py.exc_match %e ["LookupError", "IndexError", "KeyError"] : (!py.exception) -> i1
    ```
  }];
  let arguments = (ins AnyType:$exception, StrArrayAttr:$classes);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$exception $classes attr-dict `:` functional-type($exception, results)";
}

def Py_ReraiseOp : Py_Op<"reraise", [Terminator]> {
  let summary = "raises a caught exception again, to the caller (bare `raise`, no match)";
  let description = [{
    ```mlir
    py.reraise %e : !py.exception
    ```
  }];
  let arguments = (ins AnyType:$exception);
  let assemblyFormat = "$exception attr-dict `:` type($exception)";
}

// Not Pure: it runs Python code.
def Py_ObjModeCallOp : Py_Op<"objmode_call"> {
  let summary = "runs a `with objmode(...)` block in the interpreter";
  let description = [{
    `block` numbers the block in the process (src/python/objmode.rs); `args` are the
    variables it reads, boxed as Python objects, and the result is the tuple of its
    declared `outputs`, unboxed by their types (arrays are copied into compiled code's
    memory). A Python exception in the block is raised from here.

    ```mlir
    %r = py.objmode_call 0 (%n) [f64, memref<?xf64, strided<[?], offset: ?>>] : (i64) -> tuple<f64, memref<?xf64, strided<[?], offset: ?>>>
    ```
  }];
  let arguments = (ins I64Attr:$block, Variadic<AnyType>:$args, TypeArrayAttr:$outputs);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$block `(` $args `)` $outputs attr-dict `:` functional-type($args, results)";
}

def Py_CallOverloadOp : Py_Op<"call_overload"> {
  let summary = "a call of a function taught by `numlir.extending.overload`";
  let description = [{
    `overload` numbers the overload in the process (python/numlir/extending.py). Its typing
    function picks the implementation for the arguments' types: py-infer-types replaces the
    call by a `py.call` of it when the module's `py.overload_resolutions` names one
    ([[overload, "types;...", @implementation], ...]), and otherwise records the overload
    and the types in `py.overloads_pending` for the compiler, which asks the typing
    function and builds the module again with the implementation in it.

    ```mlir
    %r = py.call_overload 0(%x, %k) : (!py.object, !py.object) -> !py.object
    ```
  }];
  let arguments = (ins I64Attr:$overload, Variadic<AnyType>:$args);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$overload `(` $args `)` attr-dict `:` functional-type($args, results)";
}

#endif // PY_OPS_TD
