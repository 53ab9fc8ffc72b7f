# lit configuration: FileCheck tests of numlir's passes, run through numlir-opt.
import os
import lit.formats

config.name = "numlir"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".py"]
config.excludes = ["lit.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.environment["PATH"] = os.environ["PATH"]
# Lowerings that depend on the host (int(float) on x86) say REQUIRES: x86_64.
import platform
if platform.machine() in ("x86_64", "AMD64"):
    config.available_features.add("x86_64")
