#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with clang-14 in build-fuzz/, seeds a corpus from the
# shared models, runs each target for a bounded time and fails if any input crashed, hung, leaked
# or ran out of memory. Every such input is saved under tests/malformed/ as a regression file (the
# unit test "every file in tests/malformed ..." loads each of them).
#
#   scripts/fuzz.sh                 # 120 s per target
#   scripts/fuzz.sh 600             # 600 s per target
#   EIR_FUZZ_TARGETS=fuzz_run scripts/fuzz.sh 60
#
# Environment: EIR_FUZZ_TIME (seconds per target, default 120), EIR_FUZZ_TARGETS (default
# "fuzz_load fuzz_run"), EIR_FUZZ_BUILD_DIR (default build-fuzz), EIR_SHARED_DIR (default
# ../shared), EIR_FUZZ_MAX_SEED_KB (seed models larger than this are skipped; default 512),
# EIR_JOBS (build parallelism, default nproc), EIR_FUZZ_FORK (N > 0: run N fuzzing processes in
# libFuzzer's fork mode and keep going after a crash, collecting every crashing input; the run
# still fails at the end).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"

time_per_target="${1:-${EIR_FUZZ_TIME:-120}}"
targets="${EIR_FUZZ_TARGETS:-fuzz_load fuzz_run}"
build="${EIR_FUZZ_BUILD_DIR:-$here/build-fuzz}"
shared="${EIR_SHARED_DIR:-$here/../shared}"
max_seed_kb="${EIR_FUZZ_MAX_SEED_KB:-512}"
jobs="${EIR_JOBS:-$(nproc)}"
fork="${EIR_FUZZ_FORK:-0}"

cc="$(command -v clang-14 || command -v clang || true)"
cxx="$(command -v clang++-14 || command -v clang++ || true)"
if [[ -z "$cc" || -z "$cxx" ]]; then
  echo "fuzz.sh: clang-14 is required (libFuzzer); install clang-14 / libclang-rt-14-dev" >&2
  exit 2
fi

launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" "${launcher[@]}" \
  -DEIR_FUZZ=ON -DEIR_BUILD_EXAMPLES=OFF -DEIR_SHARED_DIR="$shared" >/dev/null
# shellcheck disable=SC2086
cmake --build "$build" -j "$jobs" --target $targets

# Seeds: the shared models (small enough to mutate quickly) and the saved regression inputs.
seeds="$build/corpus/seeds"
mkdir -p "$seeds"
if compgen -G "$shared/models/*.tflite" >/dev/null; then
  find "$shared/models" -maxdepth 1 -name '*.tflite' -size -"${max_seed_kb}"k -exec cp -f {} "$seeds/" \;
else
  echo "fuzz.sh: no models under $shared/models; fuzzing from the regression files only" >&2
fi
if compgen -G "tests/malformed/*" >/dev/null; then
  find tests/malformed -maxdepth 1 -type f ! -name 'README*' -exec cp -f {} "$seeds/" \;
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=0
mkdir -p tests/malformed
for target in $targets; do
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target"
  rm -rf "$artifacts"  # only this run's findings count
  mkdir -p "$corpus" "$artifacts"
  log="$build/$target.log"
  echo "== $target: ${time_per_target}s (log: $log)"
  extra=()
  if [[ "$fork" -gt 0 ]]; then extra=(-fork="$fork" -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1); fi
  set +e
  "$build/tests/fuzz/$target" "$corpus" "$seeds" "${extra[@]}" \
    -dict="$here/tests/fuzz/tflite.dict" \
    -max_total_time="$time_per_target" -timeout=10 -rss_limit_mb=2048 -seed="${EIR_FUZZ_SEED:-1}" \
    -max_len=$((max_seed_kb * 1024)) -print_final_stats=1 \
    -artifact_prefix="$artifacts/" >"$log" 2>&1
  rc=$?
  set -e
  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+ +DONE' "$log" || true
  shopt -s nullglob
  found=("$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/oom-* "$artifacts"/timeout-* "$artifacts"/slow-unit-*)
  shopt -u nullglob
  if [[ $rc -ne 0 || ${#found[@]} -gt 0 ]]; then
    failed=1
    echo "!! $target failed (exit $rc); the report is in $log:" >&2
    grep -E 'ERROR: |SUMMARY: |runtime error' "$log" | head -5 >&2 || true
    for f in "${found[@]}"; do
      # A saved regression input that still crashes is reported, not saved again.
      known=""
      for old in tests/malformed/*; do
        if cmp -s "$f" "$old"; then known="$old"; break; fi
      done
      if [[ -n "$known" ]]; then
        echo "   known input $known still fails (reproduce: $build/tests/fuzz/$target $known)" >&2
        continue
      fi
      dest="tests/malformed/${target}-$(basename "$f")"
      cp -f "$f" "$dest"
      echo "   saved $dest (reproduce: $build/tests/fuzz/$target $dest)" >&2
    done
  fi
done

if [[ $failed -ne 0 ]]; then
  echo "fuzz.sh: FAILED — inputs saved under tests/malformed/" >&2
  exit 1
fi
echo "fuzz.sh: no crashes"
