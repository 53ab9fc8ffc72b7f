"""The numlir-opt command (the driver is in Rust: src/opt/)."""
import importlib.util
import os
import sys


def load_function(path, name):
    """The Python function `name` defined in the file at `path` (unwrapped if compiled)."""
    spec = importlib.util.spec_from_file_location(
        "_numlir_opt_input_" + os.path.basename(path).removesuffix(".py"), path)
    if spec is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    function = getattr(module, name)
    from .objmode_blocks import lift_blocks
    return lift_blocks(getattr(function, "py_func", function))


def main():
    from ._core import opt_main
    sys.exit(opt_main(sys.argv[1:]))
