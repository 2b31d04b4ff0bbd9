#!/usr/bin/env bash
# 1 vs 2 threads over the benchmark set (../shared/models/benchmark_set.txt): each model runs
# alternately with 1 and 2 threads, ROUNDS times; the table keeps each setting's best p50 (a
# round disturbed by another process only loses), and their ratio = the speedup of 2 threads.
#   benchmarks/thread_scaling.sh [ROUNDS] [RUNS] > benchmarks/results/thread_scaling.md
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
eir="${EIR_BIN:-$here/build/tools/eir}"
models="${EIR_SHARED_DIR:-$here/../shared}/models"
rounds="${1:-3}"
runs="${2:-50}"

p50_ms() {  # model threads
  "$eir" bench "$1" --threads "$2" --runs "$runs" --restarts 0 2>&1 | sed -n 's/.* p50 \([0-9.]*\) .*/\1/p'
}

echo "| model | 1 thread p50 ms | 2 threads p50 ms | speedup |"
echo "|---|---|---|---|"
grep -v '^#' "$models/benchmark_set.txt" | while read -r name; do
  [ -n "$name" ] || continue
  file="$models/$name.tflite"
  best1="" best2=""
  for _ in $(seq "$rounds"); do
    a=$(p50_ms "$file" 1)
    b=$(p50_ms "$file" 2)
    best1=$(printf '%s\n%s\n' "$a" "$best1" | grep . | sort -g | head -1)
    best2=$(printf '%s\n%s\n' "$b" "$best2" | grep . | sort -g | head -1)
  done
  echo "| $name | $best1 | $best2 | $(awk -v a="$best1" -v b="$best2" 'BEGIN { printf "%.2f", a / b }') |"
done
