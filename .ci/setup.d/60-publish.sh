#!/usr/bin/env bash
# The upload tests compare with twine (installed by 10-debian-packages.sh) and let pip, in a fresh
# virtual environment, download from the loopback index: python3 -m venv needs python3-venv.
set -euo pipefail
if ! dpkg -s python3-venv >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
fi
