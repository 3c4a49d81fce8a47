#!/usr/bin/env bash
# Installs the machine-level tools the tests use. Safe to run again: it skips what is present.
set -euo pipefail
need=()
for pkg in patchelf twine; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
