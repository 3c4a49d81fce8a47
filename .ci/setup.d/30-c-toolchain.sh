#!/usr/bin/env bash
# The archive tests build the C extension sample with pip and setuptools: they need a C compiler.
set -euo pipefail
packages=(gcc libc6-dev)
need=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
