#!/usr/bin/env bash
# Sets up, builds and runs the main demo: MediaPipe face detection on a real photo.
# Usage: scripts/demo.sh [IMAGE] [OUT.png]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
"$here/scripts/setup.sh"
build="${EIR_BUILD_DIR:-$here/build}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build "$build" -j "$(nproc)" --target face_detection
image="${1:-$here/../shared/data/images/sergey.png}"
out="${2:-$build/face_detection_result.png}"
"$build/examples/face_detection/face_detection" "$here/models/face_detection_short_range.tflite" "$image" "$out"
