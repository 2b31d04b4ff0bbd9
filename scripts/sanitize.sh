#!/usr/bin/env bash
# Sanitizer builds of the unit tests.
#   asan: clang-14 ASan + UBSan in build-fuzz/ (the same configuration scripts/fuzz.sh uses, so CI
#         compiles the instrumented library once for both); runs every ctest labelled "unit" (the
#         op tests, verifier/fuzz-style robustness tests, API tests; the slow conformance suite is
#         excluded). EIR_ASAN_GCC=1 builds build-asan/ with gcc's -DEIR_SANITIZE=ON instead.
#   tsan: build-tsan/ with -DEIR_TSAN=ON; runs the concurrency tests (tag [concurrency]: one
#         Model shared by Sessions on several threads) from a small dedicated binary.
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

configure() {  # dir, target, extra cmake args...
  local dir="$1" target="$2"
  shift 2
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEIR_BUILD_EXAMPLES=OFF \
    -DEIR_SHARED_DIR="$shared" "${launcher[@]}" "$@" >/dev/null
  cmake --build "$dir" -j "$jobs" --target "$target"
}

run_asan() {
  local dir
  if [[ "${EIR_ASAN_GCC:-0}" == "1" ]]; then
    dir=build-asan
    echo "== ASan + UBSan, gcc ($dir)"
    configure "$dir" eir_unit_tests -DEIR_SANITIZE=ON
  else
    dir="${EIR_FUZZ_BUILD_DIR:-$here/build-fuzz}"
    echo "== ASan + UBSan, clang-14 ($dir)"
    configure "$dir" eir_unit_tests -DCMAKE_C_COMPILER="$(command -v clang-14)" \
      -DCMAKE_CXX_COMPILER="$(command -v clang++-14)" -DEIR_FUZZ=ON
  fi
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}" \
  UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
    ctest --test-dir "$dir" -L unit -j "$jobs" --output-on-failure
}

run_tsan() {
  echo "== TSan (build-tsan)"
  configure build-tsan eir_concurrency_tests -DEIR_TSAN=ON
  TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}" \
    build-tsan/tests/eir_concurrency_tests "[concurrency]"
}

case "$mode" in
  asan) run_asan ;;
  tsan) run_tsan ;;
  all) run_asan; run_tsan ;;
  *) echo "usage: $0 [asan|tsan|all]" >&2; exit 2 ;;
esac
echo "sanitize.sh: $mode passed"
