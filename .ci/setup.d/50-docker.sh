#!/usr/bin/env bash
# Docker engine and the local build image for the container-build tests.
#  (docker.io and debootstrap come from 10-debian-packages.sh)
#  - starts dockerd without a bridge network when no engine answers, listening on the usual unix
#    socket and on tcp://127.0.0.1:2375 (the remote-daemon tests reach it there);
#  - builds the image neuron-wheel-test/manylinux:2 once per machine: a minimal Debian bookworm
#    with gcc, patchelf and ccache, two CPythons in the manylinux layout /opt/python/cpXY-cpXY,
#    setuptools/wheel wheels for offline builds, and libimgonly.so, a library that exists only in
#    the image (found through the image's /etc/ld.so.conf.d).
# Safe to run again and from several shells at once (a lock serialises the work).
set -euo pipefail

IMAGE_TAG="${NEURON_TEST_IMAGE:-neuron-wheel-test/manylinux:2}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
LOG=/var/log/dockerd-ci.log
PYTHONS=(3.10.13 3.12.1)

exec 9>/var/lock/neuron-wheel-docker-setup.lock
flock 9

if ! docker info >/dev/null 2>&1; then
  echo "starting dockerd (log: $LOG)"
  # No bridge and no iptables: build containers run with networking disabled anyway.
  # 9>&-: the engine must not hold this script's lock, or the next run waits for it forever.
  setsid nohup dockerd --bridge=none --iptables=false \
      -H unix:///var/run/docker.sock -H tcp://127.0.0.1:2375 >>"$LOG" 2>&1 </dev/null 9>&- &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    echo "dockerd did not answer within 60 s; last lines of $LOG:" >&2
    tail -n 30 "$LOG" >&2
    exit 1
  fi
fi

if docker image inspect "$IMAGE_TAG" >/dev/null 2>&1; then
  echo "image $IMAGE_TAG present"
  exit 0
fi

for version in "${PYTHONS[@]}"; do
  if [ ! -x "/root/.pyenv/versions/$version/bin/python3" ]; then
    echo "pyenv Python $version is missing: the test image needs it" >&2
    exit 1
  fi
done

work=$(mktemp -d /var/tmp/neuron-wheel-image.XXXXXX)
trap 'rm -rf "$work"' EXIT
root="$work/root"
echo "debootstrap bookworm into $root (about a minute)"
debootstrap --variant=minbase \
    --include=python3,python3-venv,python3-dev,gcc,libc6-dev,patchelf,ccache,cmake,make \
    bookworm "$root" "$MIRROR" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2
  exit 1
}

# pyenv's interpreters find libpython by absolute path, so they keep their path inside the image.
mkdir -p "$root/opt/python"
for version in "${PYTHONS[@]}"; do
  src="/root/.pyenv/versions/$version"
  mkdir -p "$root$src"
  tar -C "$src" --exclude='./lib/python3.*/test' --exclude='*/site-packages/_sandboxing_*' -c . \
    | tar -C "$root$src" -x
  short=$(echo "$version" | awk -F. '{print $1 $2}')
  ln -s "$src" "$root/opt/python/cp$short-cp$short"
done

# Build back-ends for offline builds (the containers have no network).
mkdir -p "$root/opt/wheels"
python3 -m pip download -q --no-deps --only-binary=:all: --index-url file:///opt/pypi/simple \
    -d "$root/opt/wheels" setuptools wheel

# A library present only in the image, in a folder that only the image's ld.so.conf names.
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

rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*
echo "importing $IMAGE_TAG"
tar -C "$root" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV PIP_FIND_LINKS=/opt/wheels' \
    --change 'ENV PIP_NO_INDEX=1' \
    --change 'CMD ["/bin/bash"]' \
    - "$IMAGE_TAG" >/dev/null

for version in "${PYTHONS[@]}"; do
  short=$(echo "$version" | awk -F. '{print $1 $2}')
  docker run --rm --network none "$IMAGE_TAG" "/opt/python/cp$short-cp$short/bin/python" -c \
      'import sys, sysconfig; print(sys.version.split()[0], sysconfig.get_platform())'
done
docker run --rm --network none "$IMAGE_TAG" sh -c 'ldconfig -p | grep -q libimgonly.so.1 && gcc --version | head -n 1'
echo "image $IMAGE_TAG built"
