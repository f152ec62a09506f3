#!/usr/bin/env bash
# Installs every system package salesim needs (Debian 12, as root) and builds it.
# Usage: scripts/setup.sh            install + build
#        SALESIM_SKIP_APT=1 scripts/setup.sh   build only
set -euo pipefail
cd "$(dirname "$0")/.."
PACKAGES=(
  cmake ninja-build g++ git
  libboost-all-dev libeigen3-dev libtbb-dev libhdf5-dev hdf5-tools librandom123-dev
  libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libfmt-dev libgtest-dev libbenchmark-dev
  libxlsxwriter-dev libcpp-httplib-dev pkg-config python3-openpyxl poppler-utils libnlopt-cxx-dev
  libopenmpi-dev openmpi-bin
  python3 python3-h5py python3-numpy python3-pandas python3-matplotlib chromium
  jupyter-nbconvert python3-ipykernel python3-nbformat
  python3-yaml  # bench/numpy_reference.py reads scenarios (ctest python.numpy_reference)
  fonts-wqy-microhei  # the PDF and PNG charts: plan and rep names in Chinese, Japanese, Korean
  fonts-noto-color-emoji  # and names with emoji (printed as empty boxes without it)
)
if [ "${SALESIM_SKIP_APT:-0}" != 1 ]; then
  missing=()
  for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
  fi
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build
