#!/usr/bin/env bash
# eir vs its XNNPACK delegate over the benchmark set (../shared/models/benchmark_set.txt), as a
# markdown table.
# - 1 thread: `eir bench --compare xnnpack` in one process, alternating runs and restarts
#   (load->ready is the median of the restarts).
# - 2+ threads: each configuration in processes of its own, alternating, best p50 of ROUNDS: in one
#   process the thread pool that ran last keeps polling for work for a while (XNNPACK's pthreadpool
#   longer than eir's), which would take a core from the other configuration.
# Peak RSS cannot be told apart inside one process, so it always comes from separate processes.
#   benchmarks/compare_xnnpack.sh [THREADS] [RUNS] [ROUNDS] > benchmarks/results/compare_xnnpack.md
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
eir="${EIR_BIN:-$here/build/tools/eir}"
models="${EIR_SHARED_DIR:-$here/../shared}/models"
threads="${1:-1}"
runs="${2:-30}"
rounds="${3:-3}"

# One process: "p50_ms load_ready_ms" for model $1 with delegate $2.
single() {
  "$eir" bench "$1" --threads "$threads" --runs "$runs" --delegate "$2" 2>&1 | awk '
    /runs: mean/ { for (i = 1; i <= NF; ++i) if ($i == "p50") p50 = $(i + 1) }
    /restarts \(median/ { for (i = 1; i <= NF; ++i) if ($i == "load->ready") ready = $(i + 1) }
    END { print p50, ready }'
}

# Peak RSS of a process that loads model $1 once with delegate $2 and runs it.
peak_rss_mib() {
  "$eir" bench "$1" --threads "$threads" --runs 10 --restarts 0 --delegate "$2" 2>&1 |
    sed -n 's/^peak RSS of the process: \([0-9.]*\) MiB$/\1/p'
}

min() { printf '%s\n' "$@" | grep . | sort -g | head -1; }

echo "| model | threads | eir ms | xnnpack ms | eir/xnnpack | eir load->ready ms | xnnpack load->ready ms | eir peak RSS MiB | xnnpack peak RSS MiB |"
echo "|---|---|---|---|---|---|---|---|---|"
grep -v '^#' "$models/benchmark_set.txt" | while read -r name; do
  [ -n "$name" ] || continue
  file="$models/$name.tflite"
  if [ "$threads" = 1 ]; then
    line=$("$eir" bench "$file" --threads 1 --runs "$runs" --compare xnnpack --markdown 2>&1 | grep '^| ' || true)
    if [ -z "$line" ]; then
      echo "| $name.tflite | 1 | failed | | | | | | |"
      continue
    fi
    echo "$line $(peak_rss_mib "$file" cpu) | $(peak_rss_mib "$file" xnnpack) |"
    continue
  fi
  p_e=() p_x=() r_e=() r_x=()
  for _ in $(seq "$rounds"); do
    read -r a b _ <<<"$(single "$file" cpu)"; p_e+=("$a"); r_e+=("$b")
    read -r a b _ <<<"$(single "$file" xnnpack)"; p_x+=("$a"); r_x+=("$b")
  done
  pe=$(min "${p_e[@]}") px=$(min "${p_x[@]}")
  echo "| $name.tflite | $threads | $pe | $px | $(awk -v a="$pe" -v b="$px" 'BEGIN { printf "%.3f", a / b }') |" \
       "$(min "${r_e[@]}") | $(min "${r_x[@]}") | $(peak_rss_mib "$file" cpu) | $(peak_rss_mib "$file" xnnpack) |"
done
