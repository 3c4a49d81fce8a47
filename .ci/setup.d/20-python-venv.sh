#!/usr/bin/env bash
# Tests create virtual environments with python3 -m venv; Debian's python3 needs python3-venv for that.
set -euo pipefail
if command -v python3 >/dev/null 2>&1 && python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends python3 python3-venv python3-pip >/dev/null
