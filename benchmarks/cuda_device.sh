#!/bin/bash
# numlir's GPU checks, for the device machine (an NVIDIA GPU, no network, python3 = 3.12 with
# numba-cuda and CuPy): run from the repository root with the bundle `make device-bundle`
# made here carried along (.device/). It unpacks CPython 3.11 and numlir, runs every kernel
# test on the GPU (NUMLIR_TEST_ON_GPU=1: the tests launch on the device instead of the
# simulator), then the benchmarks beside numba-cuda, and writes logs and figures to $OUT.
set -uo pipefail
out=${OUT:-$PWD/device-out}
mkdir -p "$out" /tmp/numlir-device
tar -xJf .device/bundle.tar.xz -C /tmp/numlir-device || exit 1
base=/tmp/numlir-device
py() { PYTHONHOME=$base/python PYTHONPATH=$base/site LD_LIBRARY_PATH=$base/python/lib \
       NUMLIR_LIBDEVICE=$base/libdevice/libdevice.10.bc "$base/python/bin/python3.11" "$@"; }
nvidia-smi -L | tee "$out/device.txt"
py -c "from numlir import cuda; cuda.detect()" 2>&1 | tee -a "$out/device.txt"
NUMLIR_TEST_ON_GPU=1 PYTHONUNBUFFERED=1 py -m pytest -q -p no:cacheprovider tests/python/test_cuda.py 2>&1 | tee "$out/tests.txt"
py benchmarks/cuda_device.py --engine numlir > "$out/numlir.json" 2> "$out/numlir.err"
python3 benchmarks/cuda_device.py --engine numba > "$out/numba.json" 2> "$out/numba.err"
python3 benchmarks/cuda_device.py --compare "$out/numlir.json" "$out/numba.json" | tee "$out/figures.md"
