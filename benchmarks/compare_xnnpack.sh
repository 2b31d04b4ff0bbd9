#!/usr/bin/env bash
# Runs `eir bench --compare xnnpack` over the benchmark set (../shared/models/benchmark_set.txt)
# and writes a markdown table: eir vs its XNNPACK delegate in one process, alternating runs and
# alternating restarts (load->ready is the median of the restarts). Peak RSS cannot be told apart
# inside one process, so each configuration also runs alone in a process of its own for that column.
#   benchmarks/compare_xnnpack.sh [THREADS] [RUNS] > benchmarks/results/compare_xnnpack.md
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
eir="${EIR_BIN:-$here/build/tools/eir}"
models="${EIR_SHARED_DIR:-$here/../shared}/models"
threads="${1:-1}"
runs="${2:-30}"

peak_rss_mib() {  # model delegate
  "$eir" bench "$1" --threads "$threads" --runs 10 --restarts 0 --delegate "$2" 2>&1 |
    sed -n 's/^peak RSS of the process: \([0-9.]*\) MiB$/\1/p'
}

echo "| model | threads | eir ms | xnnpack ms | eir/xnnpack | eir load->ready ms | xnnpack load->ready ms | eir peak RSS MiB | xnnpack peak RSS MiB |"
echo "|---|---|---|---|---|---|---|---|---|"
grep -v '^#' "$models/benchmark_set.txt" | while read -r name; do
  [ -n "$name" ] || continue
  file="$models/$name.tflite"
  line=$("$eir" bench "$file" --threads "$threads" --runs "$runs" --compare xnnpack --markdown 2>&1 | grep '^| ' || true)
  if [ -n "$line" ]; then
    echo "$line $(peak_rss_mib "$file" cpu) | $(peak_rss_mib "$file" xnnpack) |"
  else
    echo "| $name.tflite | $threads | failed | | | | | | |"
  fi
done
