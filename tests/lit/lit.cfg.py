# lit configuration: FileCheck tests of numlir's passes, run through numlir-opt.
import os
import lit.formats

config.name = "numlir"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".py"]
config.excludes = ["lit.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.environment["PATH"] = os.environ["PATH"]
