#!/usr/bin/env bash
# Debian packages the tests call, installed in one apt run when any is missing:
# patchelf (repair), twine (reference upload client), gcc/libc6-dev/python3-dev/binutils
# (test extensions and libraries compiled at test time, readelf), mpich (MPI test variant),
# cmake/make (the NEURON-like sample), docker.io/debootstrap (container builds, the test images),
# podman/curl (container builds through Podman's Docker-compatible API, its readiness check),
# libdeflate0 (the wheel writer's fast deflate engine; its tests require it where it is installed),
# libisal-dev (ISA-L's streaming inflater and the headers its binding is built with),
# llvm-14 (llvm-install-name-tool-14 rewrites Mach-O load commands when macOS wheels are repaired here,
# llvm-otool-14 checks the Mach-O reader and the repaired wheels);
# for the audit's compiled cases: musl-tools (musl objects, the musl test image), the ARM soft- and
# hard-float, aarch64 and i686 cross compilers with their C libraries, busybox-static (the musl
# image's shell), g++ (patchelf's build in 15-patchelf.sh), python3-pyelftools and
# python3-packaging (the reference auditwheel the tests compare with).
set -euo pipefail
packages=(patchelf twine gcc libc6-dev python3-dev binutils mpich cmake make docker.io debootstrap podman curl libdeflate0
          libisal-dev llvm-14 musl-tools gcc-arm-linux-gnueabi libc6-dev-armel-cross gcc-arm-linux-gnueabihf
          libc6-dev-armhf-cross gcc-aarch64-linux-gnu libc6-dev-arm64-cross gcc-i686-linux-gnu libc6-dev-i386-cross busybox-static g++
          python3-pyelftools python3-packaging)
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
