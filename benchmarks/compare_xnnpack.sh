#!/usr/bin/env bash
# Runs `eir bench --compare xnnpack` over the benchmark set (../shared/models/benchmark_set.txt)
# and writes a markdown table: eir vs its XNNPACK delegate in one process, alternating runs.
#   benchmarks/compare_xnnpack.sh [THREADS] [RUNS] > benchmarks/results/compare_xnnpack.md
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
eir="${EIR_BIN:-$here/build/tools/eir}"
models="${EIR_SHARED_DIR:-$here/../shared}/models"
threads="${1:-1}"
runs="${2:-30}"
echo "| model | threads | eir ms | xnnpack ms | eir/xnnpack | eir load->ready ms | xnnpack load->ready ms |"
echo "|---|---|---|---|---|---|---|"
grep -v '^#' "$models/benchmark_set.txt" | while read -r name; do
  [ -n "$name" ] || continue
  line=$("$eir" bench "$models/$name.tflite" --threads "$threads" --runs "$runs" --compare xnnpack --markdown 2>&1 | grep '^| ' || true)
  if [ -n "$line" ]; then echo "$line"; else echo "| $name.tflite | $threads | failed | | | | |"; fi
done
