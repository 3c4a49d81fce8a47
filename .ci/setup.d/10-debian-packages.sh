#!/usr/bin/env bash
# Debian packages the tests call, installed in one apt run when any is missing:
# patchelf (repair), twine (reference upload client), gcc/libc6-dev/python3-dev/binutils
# (test extensions and libraries compiled at test time, readelf), mpich (MPI test variant),
# cmake/make (the NEURON-like sample), docker.io/debootstrap (container builds, the test images),
# podman/curl (container builds through Podman's Docker-compatible API, its readiness check),
# libdeflate0 (the wheel writer's fast deflate engine; its tests require it where it is installed),
# llvm-14 (llvm-install-name-tool-14 rewrites Mach-O load commands when macOS wheels are repaired here,
# llvm-otool-14 checks the Mach-O reader and the repaired wheels).
set -euo pipefail
packages=(patchelf twine gcc libc6-dev python3-dev binutils mpich cmake make docker.io debootstrap podman curl libdeflate0 llvm-14)
need=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v mpiexec >/dev/null
