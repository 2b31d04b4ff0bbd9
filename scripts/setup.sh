#!/usr/bin/env bash
# Installs eir's build and test dependencies (Debian 12 packages) and fetches the demo model.
# Idempotent; uses sudo when not root. Set EIR_SKIP_APT=1 to skip the package step.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

packages=(
  cmake ninja-build ccache g++ pkg-config
  libflatbuffers-dev flatbuffers-compiler
  libxnnpack-dev libpthreadpool-dev libcpuinfo-dev
  libvulkan-dev mesa-vulkan-drivers glslc spirv-tools
  opencl-headers opencl-c-headers ocl-icd-opencl-dev pocl-opencl-icd
  libeigen3-dev catch2 libbenchmark-dev libstb-dev
  g++-aarch64-linux-gnu qemu-user
  clang-14 libclang-rt-14-dev
  python3-numpy
)

if [ "${EIR_SKIP_APT:-0}" != "1" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  missing=()
  # npm (for the demo model) may come with a non-Debian Node.js: only install it when absent.
  command -v npm >/dev/null 2>&1 || packages+=(npm)
  for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      -o DPkg::Lock::Timeout=300 "${missing[@]}"
  fi
fi

"$here/scripts/fetch_models.sh"
