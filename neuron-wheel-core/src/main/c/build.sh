#!/bin/sh
# Builds the libdeflate binding into the jar's classes: build.sh <classes dir> <java home> <os-arch>.
# Without a C compiler or the JDK's JNI headers it builds nothing; the writer then uses zlib.
set -eu
classes="$1"; java_home="$2"; platform="$3"
source="$(dirname "$0")/wheel_deflate.c"
cc="${CC:-cc}"
include="$java_home/include"
[ -f "$include/jni.h" ] || include="$java_home/../include"
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "[native] no C compiler ($cc): the wheel writer will use zlib" >&2; exit 0
fi
if [ ! -f "$include/jni.h" ]; then
  echo "[native] no jni.h under $java_home: the wheel writer will use zlib" >&2; exit 0
fi
out="$classes/META-INF/native/$platform"
mkdir -p "$out"
"$cc" -O2 -std=c99 -D_GNU_SOURCE -Wall -Wextra -fPIC -shared -I"$include" -I"$include/linux" \
  -o "$out/libneuronwheeldeflate.so" "$source" -ldl
echo "[native] built $out/libneuronwheeldeflate.so"
