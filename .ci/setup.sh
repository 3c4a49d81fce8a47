#!/usr/bin/env bash
# Installs the machine-level tools the tests use: each part lives in .ci/setup.d/*.sh and is safe
# to run again (it skips what is present).
set -euo pipefail
cd "$(dirname "$0")/.."
for part in .ci/setup.d/*.sh; do
  echo "== $part"
  bash "$part"
done
