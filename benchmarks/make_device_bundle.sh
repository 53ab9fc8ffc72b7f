#!/bin/bash
# Packs what numlir's GPU checks need on the device machine, which has an NVIDIA GPU but no
# network and no CPython 3.11: this build's interpreter (its standard library, without tests),
# NumPy, numlir (its extension stripped of symbols), pytest and libdevice, as
# .device/bundle.tar.xz (git ignores .device/). `benchmarks/cuda_device.sh` unpacks and runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
python=$(readlink -f .venv/bin/python)
home=$(dirname "$(dirname "$python")")
version=$(.venv/bin/python -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
site=.venv/lib/python$version/site-packages
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/python/bin" "$stage/python/lib" "$stage/site"
cp "$python" "$stage/python/bin/python$version"
cp -P "$home"/lib/libpython"$version"*.so* "$stage/python/lib/"
tar -C "$home/lib" --exclude="python$version/test" --exclude="python$version/site-packages" \
    --exclude="python$version/idlelib" --exclude="python$version/tkinter" --exclude="python$version/ensurepip" \
    --exclude="python$version/lib2to3" --exclude="python$version/config-*" --exclude='__pycache__' \
    -cf - "python$version" | tar -C "$stage/python/lib" -xf -
for package in numpy numpy.libs pytest _pytest pluggy iniconfig packaging py.py; do
    [ -e "$site/$package" ] && cp -r "$site/$package" "$stage/site/"
done
cp -r python/numlir "$stage/site/numlir"
find "$stage/site" -name '__pycache__' -prune -exec rm -rf {} +
strip "$stage/site/numlir/"_core*.so
mkdir -p "$stage/libdevice"
cp "$site/nvidia/cuda_nvcc/nvvm/libdevice/libdevice.10.bc" "$stage/libdevice/"
mkdir -p .device
tar -C "$stage" -cf - . | xz -T0 -6 > .device/bundle.tar.xz
echo "wrote .device/bundle.tar.xz ($(du -h .device/bundle.tar.xz | cut -f1))"
