#!/usr/bin/env bash
# MPICH for the wheel tests' MPI variant (mpiexec -n 2); Debian's package, installed once.
set -euo pipefail
if ! dpkg -s mpich >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends mpich >/dev/null
fi
command -v mpiexec >/dev/null
