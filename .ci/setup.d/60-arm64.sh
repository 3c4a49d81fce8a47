#!/usr/bin/env bash
# Emulated arm64 for the aarch64 build and test ITs.
#  - installs qemu-user-static and binfmt-support when missing and registers qemu-aarch64 with the
#    kernel (mounting binfmt_misc first when it is not mounted); the F flag lets containers use it;
#  - builds the image neuron-wheel-test/bookworm-aarch64:1 once per machine: Debian bookworm for
#    arm64 (debootstrap, its packages configured under emulation), CPython 3.11 as a manylinux-style
#    /opt/python/cp311-cp311 (a virtual environment of the system Python, with pip), gcc, the
#    setuptools/wheel wheels for offline builds and libimgonly.so.1, the library that only the
#    image has (as in neuron-wheel-test/manylinux:2). The image config says linux/arm64 (it is made
#    by a FROM scratch build for that platform: `docker import` would record amd64).
#    Building it takes about 10 minutes of CPU time, nearly all of it dpkg unpacking and configuring
#    packages (and Python byte-compiling) under emulation, one process at a time (measured: 6.2 min
#    user + 3.5 min system; 50 minutes of wall time on a 2-core machine shared with other builds at
#    load 13). A second run finds the image and takes seconds.
# Safe to run again: it skips what is present. Where the machine cannot emulate arm64 it says why
# and stops without failing; the aarch64 tests then skip themselves.
set -euo pipefail

IMAGE_TAG="${NEURON_TEST_ARM64_IMAGE:-neuron-wheel-test/bookworm-aarch64:1}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
BINFMT=/proc/sys/fs/binfmt_misc

skip() {
  echo "skipped: $*; the aarch64 tests skip themselves"
  exit 0
}

[ "$(id -u)" = 0 ] || skip "registering QEMU needs root"
[ "$(uname -m)" = aarch64 ] && skip "this machine is aarch64 itself: no emulation or arm64 test image is needed"
docker info >/dev/null 2>&1 || skip "no Docker engine answers (.ci/setup.d/50-docker.sh starts one)"

exec 9>/var/lock/neuron-wheel-arm64-setup.lock
flock 9

need=()
for pkg in qemu-user-static binfmt-support; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${need[@]}" >/dev/null
fi

if [ ! -e "$BINFMT/register" ]; then
  mount -t binfmt_misc binfmt_misc "$BINFMT" 2>/dev/null \
    || skip "binfmt_misc cannot be mounted at $BINFMT (the kernel lacks it or this container may not mount it)"
fi
if ! grep -qx enabled "$BINFMT/qemu-aarch64" 2>/dev/null; then
  update-binfmts --enable qemu-aarch64 || skip "update-binfmts could not register qemu-aarch64"
fi
grep -q '^flags:.*F' "$BINFMT/qemu-aarch64" \
  || skip "qemu-aarch64 is registered without the F flag, so containers cannot find the emulator"
echo "qemu-aarch64 registered: $(grep '^interpreter' "$BINFMT/qemu-aarch64")"

if docker image inspect "$IMAGE_TAG" >/dev/null 2>&1; then
  echo "image $IMAGE_TAG present ($(docker run --rm --network none --platform linux/arm64 "$IMAGE_TAG" uname -m))"
  exit 0
fi

started=$(date +%s)
work=$(mktemp -d /var/tmp/neuron-wheel-arm64.XXXXXX)
trap 'rm -rf "$work"' EXIT
root="$work/root"
echo "debootstrap --arch=arm64 bookworm into $root (several minutes: packages are configured under emulation)"
debootstrap --arch=arm64 --variant=minbase --include=python3,python3-venv,python3-dev,gcc,libc6-dev \
    bookworm "$root" "$MIRROR" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2
  exit 1
}
echo "debootstrap done after $(( $(date +%s) - started )) s"

# The manylinux layout: /opt/python/cp311-cp311/bin/python with its own pip.
chroot "$root" python3.11 -m venv /opt/python/cp311-cp311

# Build back-ends for offline builds (the containers have no network); pure-Python wheels.
mkdir -p "$root/opt/wheels"
python3 -m pip download -q --no-deps --only-binary=:all: --index-url file:///opt/pypi/simple \
    -d "$root/opt/wheels" setuptools wheel

# The library that only the image has, in a folder that only the image's ld.so.conf names.
mkdir -p "$root/opt/imgonly/lib" "$root/opt/imgonly/include"
cat >"$root/opt/imgonly/include/imgonly.h" <<'EOF'
int imgonly_answer(void);
EOF
cat >"$root/opt/imgonly/imgonly.c" <<'EOF'
int imgonly_answer(void) { return 42; }
EOF
chroot "$root" gcc -shared -fPIC -O2 -Wl,-soname,libimgonly.so.1 \
    -o /opt/imgonly/lib/libimgonly.so.1 /opt/imgonly/imgonly.c
ln -s libimgonly.so.1 "$root/opt/imgonly/lib/libimgonly.so"
echo /opt/imgonly/lib >"$root/etc/ld.so.conf.d/imgonly.conf"
chroot "$root" ldconfig

rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"* "$root/debootstrap"
echo "building $IMAGE_TAG for linux/arm64"
context="$work/context"
mkdir -p "$context"
tar -C "$root" -cf "$context/rootfs.tar" .
cat >"$context/Dockerfile" <<'EOF'
FROM scratch
ADD rootfs.tar /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV PIP_FIND_LINKS=/opt/wheels
ENV PIP_NO_INDEX=1
CMD ["/bin/bash"]
EOF
docker build -q --platform linux/arm64 -t "$IMAGE_TAG" "$context" >/dev/null

[ "$(docker image inspect -f '{{.Os}}/{{.Architecture}}' "$IMAGE_TAG")" = linux/arm64 ] \
  || { echo "$IMAGE_TAG does not say linux/arm64" >&2; exit 1; }
docker run --rm --network none --platform linux/arm64 "$IMAGE_TAG" sh -c \
    'uname -m; /opt/python/cp311-cp311/bin/python -c "import sys, sysconfig; print(sys.version.split()[0], sysconfig.get_platform())"; ldconfig -p | grep -q libimgonly.so.1 && gcc --version | head -n 1'
echo "image $IMAGE_TAG built in $(( $(date +%s) - started )) s"
