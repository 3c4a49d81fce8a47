#!/usr/bin/env bash
# CMake and make on the host: the NEURON-like sample (it/samples/neuron-like) drives CMake from
# setup.py, and the integration tests also build it on the host.
set -euo pipefail
packages=(cmake make)
need=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
