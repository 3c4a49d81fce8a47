#!/usr/bin/env bash
# Audit and repair tests compile CPython extensions (Python.h) and read ELF files with readelf.
set -euo pipefail
packages=(binutils python3-dev)
need=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
