#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite: unit tests, conformance against TFLite goldens
# (every ISA level and the XNNPACK delegate), examples, then the ASan+UBSan, TSan, fuzzing and
# aarch64-under-qemu builds. This is the README's test command and what CI runs.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
"$here/scripts/setup.sh"

jobs="$(nproc)"
# Paths relative to the checkout in ccache keys: another clone (CI's) reuses this cache.
export CCACHE_BASEDIR="$here"
export CCACHE_NOHASHDIR=1  # the -g (sanitizer) builds too, whatever the build directory
build="${EIR_BUILD_DIR:-$here/build}"
# EIR_CI_EXTRAS adds the ASan+UBSan, TSan, libFuzzer and aarch64/qemu builds as ctest entries
# (label "ci"); set EIR_QUICK=1 to run only the main build's tests.
extras=ON
[ "${EIR_QUICK:-0}" = "1" ] && extras=OFF
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
  -DEIR_CI_EXTRAS=$extras >/dev/null
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" -j "$jobs" --output-on-failure
