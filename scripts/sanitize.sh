#!/usr/bin/env bash
# Sanitizer builds of the unit tests.
#   asan: build-asan/ with -DEIR_SANITIZE=ON (gcc ASan + UBSan); runs every ctest labelled
#         "unit" (the op tests, verifier/fuzz-style robustness tests, API tests; the slow
#         conformance suite is excluded).
#   tsan: build-tsan/ with -DEIR_TSAN=ON; runs the concurrency tests (tag [concurrency]: one
#         Model shared by Sessions on several threads, kernel thread pools).
#
#   scripts/sanitize.sh            # both
#   scripts/sanitize.sh asan       # or: tsan
#
# Environment: EIR_JOBS (parallelism, default nproc), EIR_SHARED_DIR (default ../shared).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"

mode="${1:-all}"
jobs="${EIR_JOBS:-$(nproc)}"
shared="${EIR_SHARED_DIR:-$here/../shared}"
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache); fi

configure() {  # dir, extra cmake args...
  local dir="$1"
  shift
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEIR_BUILD_EXAMPLES=OFF \
    -DEIR_SHARED_DIR="$shared" "${launcher[@]}" "$@" >/dev/null
  cmake --build "$dir" -j "$jobs" --target eir_unit_tests
}

run_asan() {
  echo "== ASan + UBSan (build-asan)"
  configure build-asan -DEIR_SANITIZE=ON
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}" \
  UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
    ctest --test-dir build-asan -L unit -j "$jobs" --output-on-failure
}

run_tsan() {
  echo "== TSan (build-tsan)"
  configure build-tsan -DEIR_TSAN=ON
  TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}" \
    build-tsan/tests/eir_unit_tests "[concurrency]"
}

case "$mode" in
  asan) run_asan ;;
  tsan) run_tsan ;;
  all) run_asan; run_tsan ;;
  *) echo "usage: $0 [asan|tsan|all]" >&2; exit 2 ;;
esac
echo "sanitize.sh: $mode passed"
