#!/usr/bin/env bash
# A musl image for the tests that install repaired musllinux wheels: neuron-wheel-test/musl:1.
#  - CPython 3.11 (Debian bookworm's python3.11 source) built against musl with Debian's musl-gcc,
#    zlib built in statically, pip from its bundled wheel; /opt/python/cp311-cp311 points at it;
#  - musl's C library as Alpine lays it out (/lib/ld-musl-x86_64.so.1 and its libc.musl-x86_64.so.1
#    link) and busybox (static) for /bin/sh and the usual commands. No glibc.
# Sources come through apt with a private deb-src list. Built once per machine (about ten minutes on
# two idle cores, mostly CPython's compile); safe to run again and from several shells at once.
set -euo pipefail

IMAGE_TAG="${NEURON_MUSL_IMAGE:-neuron-wheel-test/musl:1}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

exec 9>/var/lock/neuron-wheel-musl-image.lock
flock 9

if ! docker info >/dev/null 2>&1; then
  echo "no Docker engine answers: run .ci/setup.d/50-docker.sh first" >&2
  exit 1
fi
if docker image inspect "$IMAGE_TAG" >/dev/null 2>&1; then
  echo "image $IMAGE_TAG present"
  exit 0
fi
for tool in musl-gcc /bin/busybox make; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (10-debian-packages.sh installs it)" >&2; exit 1; }
done
musl_libc=/usr/lib/x86_64-linux-musl/libc.so
[ -f "$musl_libc" ] || { echo "$musl_libc is missing (Debian package musl)" >&2; exit 1; }

start=$(date +%s)
work=$(mktemp -d /var/tmp/neuron-wheel-musl.XXXXXX)
trap 'rm -rf "$work"' EXIT
root="$work/root"

mkdir -p "$work/lists/partial" "$work/src"
echo "deb-src $MIRROR bookworm main" >"$work/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o "Dir::State::Lists=$work/lists" -o APT::Sandbox::User=root)
apt-get "${apt_opts[@]}" update -qq
(cd "$work/src" && apt-get "${apt_opts[@]}" source --download-only -qq python3.11 zlib >/dev/null)
tar --no-same-owner -C "$work" -xf "$(ls "$work"/src/zlib_*.orig.tar.* | head -n 1)"
tar --no-same-owner -C "$work" -xf "$(ls "$work"/src/python3.11_*.orig.tar.* | head -n 1)"

# musl-gcc answers -print-multiarch and dpkg-architecture names the host's triplet: both would make
# CPython's build search glibc's multiarch headers.
mkdir -p "$work/bin"
cat >"$work/bin/musl-cc" <<'EOF'
#!/bin/sh
case "$1" in --print-multiarch|-print-multiarch) exit 0 ;; esac
exec musl-gcc "$@"
EOF
printf '#!/bin/sh\nexit 1\n' >"$work/bin/dpkg-architecture"
chmod +x "$work/bin/musl-cc" "$work/bin/dpkg-architecture"
export PATH="$work/bin:$PATH"
jobs=$(nproc)

echo "building zlib and CPython 3.11 against musl (logs in $work while it runs)"
(cd "$work"/zlib-*/ && CC=musl-gcc CFLAGS="-O2 -fPIC" ./configure --static --prefix="$work/zlib" >/dev/null \
  && make -j"$jobs" >/dev/null && make install >/dev/null)
cd "$work"/Python-3.11*/
CC="$work/bin/musl-cc" CPPFLAGS="-I$work/zlib/include" LDFLAGS="-L$work/zlib/lib" \
  ./configure --prefix=/usr/local --without-ensurepip --disable-test-modules >"$work/configure.log" 2>&1 \
  || { tail -n 30 "$work/configure.log" >&2; exit 1; }
make -j"$jobs" >"$work/make.log" 2>&1 || { tail -n 30 "$work/make.log" >&2; exit 1; }
make install DESTDIR="$root" >"$work/install.log" 2>&1 || { tail -n 30 "$work/install.log" >&2; exit 1; }
cd "$work"

mkdir -p "$root/lib" "$root/bin" "$root/tmp" "$root/opt/python" "$root/etc"
chmod 1777 "$root/tmp"
cp "$musl_libc" "$root/lib/ld-musl-x86_64.so.1"
ln -s ld-musl-x86_64.so.1 "$root/lib/libc.musl-x86_64.so.1"
cp /bin/busybox "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
  [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
# The manylinux layout: /opt/python/cpXY-cpXY/bin/python.
ln -s python3 "$root/usr/local/bin/python"
ln -s /usr/local "$root/opt/python/cp311-cp311"
chroot "$root" /usr/local/bin/python3 -m ensurepip >"$work/ensurepip.log" 2>&1 \
  || { tail -n 30 "$work/ensurepip.log" >&2; exit 1; }
rm -rf "$root/usr/local/lib/python3.11/test"

echo "importing $IMAGE_TAG"
tar -C "$root" -c . | docker import \
    --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
    --change 'CMD ["/bin/sh"]' \
    - "$IMAGE_TAG" >/dev/null
docker run --rm --network none "$IMAGE_TAG" /opt/python/cp311-cp311/bin/python -c \
    'import sys, sysconfig, zlib, venv; print(sys.version.split()[0], sysconfig.get_config_var("SOABI"))'
echo "image $IMAGE_TAG built in $(( $(date +%s) - start )) s"
