#!/usr/bin/env bash
# Cross-builds eir for aarch64 (Debian's g++-aarch64-linux-gnu) and runs the unit tests (NEON,
# dotprod and fp16 microkernels included) and a reduced conformance set under qemu-aarch64, with
# the default CPU model and with a Cortex-A53 (no dotprod, no fp16) to exercise the fallbacks.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
jobs="${EIR_JOBS:-$(nproc)}"
shared="${EIR_SHARED_DIR:-$here/../shared}"
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B build-arm64 -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake -DCMAKE_BUILD_TYPE=Release \
  -DEIR_BUILD_EXAMPLES=OFF -DEIR_WITH_XNNPACK=OFF -DEIR_SHARED_DIR="$shared" "${launcher[@]}" >/dev/null
cmake --build build-arm64 -j "$jobs" --target eir_unit_tests eir_conformance
ctest --test-dir build-arm64 -j "$jobs" --output-on-failure
