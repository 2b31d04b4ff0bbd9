#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite (unit tests, conformance against TFLite goldens,
# examples, sanitizer build). This is the README's test command and what CI runs.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
"$here/scripts/setup.sh"

jobs="$(nproc)"
build="${EIR_BUILD_DIR:-$here/build}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" -j "$jobs" --output-on-failure
