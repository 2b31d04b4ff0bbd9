#!/usr/bin/env bash
# Soak benchmark: many runs of one model, reporting latency drift and RSS growth (should be ~0).
#   benchmarks/soak.sh [MODEL] [RUNS]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
eir="${EIR_BIN:-$here/build/tools/eir}"
model="${1:-${EIR_SHARED_DIR:-$here/../shared}/models/mp_face_detection_short_range.tflite}"
runs="${2:-5000}"
"$eir" bench "$model" --runs "$runs" --warmup 20
