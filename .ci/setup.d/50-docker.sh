#!/usr/bin/env bash
# Docker engine and the local build images for the container-build tests.
#  (docker.io and debootstrap come from 10-debian-packages.sh; the tags come from .ci/test-images)
#  - starts dockerd without a bridge network when no engine answers, listening on the usual unix
#    socket and on tcp://127.0.0.1:2375 (the remote-daemon tests reach it there);
#  - builds, once per machine, from one minimal Debian bookworm (gcc, patchelf, ccache, cmake, make):
#    * neuron-wheel-test/manylinux: CPython 3.10 and 3.12 in the manylinux layout /opt/python/cpXY-cpXY,
#      setuptools/wheel wheels and pip settings for offline builds (PIP_NO_INDEX, PIP_FIND_LINKS), and
#      libimgonly.so, a library that exists only in the image (found through the image's ld.so.conf.d);
#    * neuron-wheel-test/manylinux-bare: CPython 3.11 and 3.12 with pip and nothing else (no
#      setuptools, no wheels, no pip settings), like the real manylinux images: builds fetch their
#      requirements from an index.
#  Both take about two minutes together (debootstrap about 75 s, each import about 10 s).
# Safe to run again and from several shells at once (a lock serialises the work).
set -euo pipefail
source "$(dirname "$0")/../lib/test-images.sh"
source "$(dirname "$0")/../lib/daemons.sh"

FULL_TAG="${NEURON_TEST_IMAGE:-$(test_image manylinux)}"
BARE_TAG="$(test_image manylinux-bare)"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
LOG=/var/log/dockerd-ci.log
FULL_PYTHONS=(3.10.13 3.12.1)
BARE_PYTHONS=(3.11.7 3.12.1)

exec 9>/var/lock/neuron-wheel-docker-setup.lock
flock 9

if ! docker info >/dev/null 2>&1; then
  # dockerd refuses to start while its pid file names a live process; after a restored machine
  # that pid can belong to an unrelated one.
  daemon_pid /var/run/docker.pid dockerd >/dev/null || rm -f /var/run/docker.pid
  echo "starting dockerd (log: $LOG)"
  # No bridge and no iptables: tests choose none, host or a network they create.
  # 9>&-: the engine must not hold this script's lock, or the next run waits for it forever.
  # From /: the checkout this runs from may be removed while the engine lives on.
  (cd / && exec setsid nohup dockerd --bridge=none --iptables=false \
      -H unix:///var/run/docker.sock -H tcp://127.0.0.1:2375 >>"$LOG" 2>&1 </dev/null 9>&-) &
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

missing=()
for tag in "$FULL_TAG" "$BARE_TAG"; do
  if docker image inspect "$tag" >/dev/null 2>&1; then
    echo "image $tag present"
  else
    missing+=("$tag")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

for version in "${FULL_PYTHONS[@]}" "${BARE_PYTHONS[@]}"; do
  if [ ! -x "/root/.pyenv/versions/$version/bin/python3" ]; then
    echo "pyenv Python $version is missing: the test images need it" >&2
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
rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*

# pyenv's interpreters find libpython by absolute path, so they keep their path inside the image.
# copy_python VERSION [bare]: bare keeps pip alone in site-packages and the interpreter's own programs in bin.
copy_python() {
  local version=$1 mode=${2:-} src="/root/.pyenv/versions/$1" short
  mkdir -p "$root$src"
  if [ "$mode" = bare ]; then
    tar -C "$src" --exclude='./lib/python3.*/test' --exclude='./lib/python3.*/site-packages/*' -c . \
      | tar -C "$root$src" -x
    local site
    site=$(cd "$src" && echo lib/python3.*/site-packages)
    (cd "$src/$site" && tar -c pip pip-*.dist-info) | tar -C "$root$src/$site" -x
    find "$root$src/bin" -mindepth 1 -maxdepth 1 \
        ! -name 'python*' ! -name 'pip*' ! -name 'pydoc*' ! -name 'idle*' ! -name '2to3*' -exec rm -rf {} +
  else
    tar -C "$src" --exclude='./lib/python3.*/test' --exclude='*/site-packages/_sandboxing_*' -c . \
      | tar -C "$root$src" -x
  fi
  short=$(echo "$version" | awk -F. '{print $1 $2}')
  ln -sfn "$src" "$root/opt/python/cp$short-cp$short"
}

if [[ " ${missing[*]} " == *" $FULL_TAG "* ]]; then
  mkdir -p "$root/opt/python"
  for version in "${FULL_PYTHONS[@]}"; do
    copy_python "$version"
  done
  # Build back-ends for offline builds.
  mkdir -p "$root/opt/wheels"
  python3 -m pip download -q --no-deps --only-binary=:all: --index-url file:///opt/pypi/simple \
      -d "$root/opt/wheels" setuptools wheel
  # A library present only in the image, in a folder that only the image's ld.so.conf names.
  mkdir -p "$root/opt/imgonly/lib" "$root/opt/imgonly/include"
  cat >"$root/opt/imgonly/include/imgonly.h" <<'EOC'
int imgonly_answer(void);
EOC
  cat >"$root/opt/imgonly/imgonly.c" <<'EOC'
int imgonly_answer(void) { return 42; }
EOC
  chroot "$root" gcc -shared -fPIC -O2 -Wl,-soname,libimgonly.so.1 \
      -o /opt/imgonly/lib/libimgonly.so.1 /opt/imgonly/imgonly.c
  ln -s libimgonly.so.1 "$root/opt/imgonly/lib/libimgonly.so"
  echo /opt/imgonly/lib >"$root/etc/ld.so.conf.d/imgonly.conf"
  chroot "$root" ldconfig
  echo "importing $FULL_TAG"
  tar -C "$root" -c . | docker import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV PIP_FIND_LINKS=/opt/wheels' \
      --change 'ENV PIP_NO_INDEX=1' \
      --change 'CMD ["/bin/bash"]' \
      - "$FULL_TAG" >/dev/null
  for version in "${FULL_PYTHONS[@]}"; do
    short=$(echo "$version" | awk -F. '{print $1 $2}')
    docker run --rm --network none "$FULL_TAG" "/opt/python/cp$short-cp$short/bin/python" -c \
        'import sys, sysconfig; print(sys.version.split()[0], sysconfig.get_platform())'
  done
  docker run --rm --network none "$FULL_TAG" sh -c 'ldconfig -p | grep -q libimgonly.so.1 && gcc --version | head -n 1'
  echo "image $FULL_TAG built"
  # back to the shared base for the bare image
  rm -rf "$root/opt/python" "$root/opt/wheels" "$root/opt/imgonly" "$root/etc/ld.so.conf.d/imgonly.conf" "$root/root/.pyenv"
  chroot "$root" ldconfig
fi

if [[ " ${missing[*]} " == *" $BARE_TAG "* ]]; then
  mkdir -p "$root/opt/python"
  for version in "${BARE_PYTHONS[@]}"; do
    copy_python "$version" bare
  done
  # Debian's python3-venv brings pip and setuptools wheels for venv; the bare image has none.
  rm -rf "$root/usr/share/python-wheels"
  echo "importing $BARE_TAG"
  tar -C "$root" -c . | docker import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["/bin/bash"]' \
      - "$BARE_TAG" >/dev/null
  for version in "${BARE_PYTHONS[@]}"; do
    short=$(echo "$version" | awk -F. '{print $1 $2}')
    docker run --rm --network none "$BARE_TAG" sh -c "
      python=/opt/python/cp$short-cp$short/bin/python
      \$python -c 'import sys, pip; print(sys.version.split()[0], \"pip\", pip.__version__)' &&
      ! \$python -c 'import setuptools' 2>/dev/null &&
      ! env | grep -q '^PIP_' &&
      ! ls /usr/share/python-wheels /opt/wheels >/dev/null 2>&1"
  done
  echo "image $BARE_TAG built: CPython and pip only"
fi
