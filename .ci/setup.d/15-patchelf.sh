#!/usr/bin/env bash
# patchelf 0.14.5 or newer: the reference auditwheel the tests compare with refuses older ones, and
# Debian bookworm ships 0.14.3. When the patchelf on the PATH is older, patchelf 0.18.0 is built
# from Debian's source (trixie's orig tarball, fetched through apt with a private source list) and
# installed as /usr/local/bin/patchelf. Takes about a minute; does nothing when a new enough one is there.
set -euo pipefail

version_ok() {
  local v
  v="$(patchelf --version 2>/dev/null | sed -n 's/^patchelf \([0-9.]*\).*/\1/p')"
  [ -n "$v" ] && printf '%s\n%s\n' 0.14.5 "$v" | sort -V -C
}
if version_ok; then
  echo "patchelf $(patchelf --version | cut -d' ' -f2) present"
  exit 0
fi

work=$(mktemp -d /var/tmp/neuron-wheel-patchelf.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial"
echo "deb-src ${DEBIAN_MIRROR:-http://deb.debian.org/debian} trixie main" >"$work/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o "Dir::State::Lists=$work/lists" -o APT::Sandbox::User=root)
apt-get "${apt_opts[@]}" update -qq
source_version="$(apt-cache "${apt_opts[@]}" showsrc patchelf | sed -n 's/^Version: //p' | sort -V | tail -n 1)"
(cd "$work" && apt-get "${apt_opts[@]}" source --download-only -qq "patchelf=$source_version" >/dev/null 2>&1 || true)
orig="$(ls "$work"/patchelf_*.orig.tar.* 2>/dev/null | head -n 1)"
if [ -z "$orig" ]; then
  echo "could not fetch patchelf's source ($source_version) from the Debian mirror" >&2
  exit 1
fi
tar -C "$work" -xf "$orig"
src="$(ls -d "$work"/patchelf-*/ | head -n 1)"
upstream="$(basename "$src" | sed 's/^patchelf-//')"
g++ -O2 -std=c++17 -DPACKAGE_STRING="\"patchelf $upstream\"" -o "$work/patchelf" "$src/src/patchelf.cc"
install -m 0755 "$work/patchelf" /usr/local/bin/patchelf
hash -r
version_ok || { echo "patchelf on the PATH is still too old: $(command -v patchelf)" >&2; exit 1; }
echo "installed patchelf $upstream as /usr/local/bin/patchelf"
