#!/bin/sh
# Builds the native bindings into the jar's classes: build.sh <classes dir> <java home> <os-arch>.
# Without a C compiler, the JDK's JNI headers or libdeflate.so.0, or when compiling fails, it builds
# nothing and says why; the wheel writer and the audit then use zlib. The ISA-L binding (streaming
# inflation) is built where ISA-L's headers and libisal.so.2 are installed; elsewhere entries stream
# through zlib.
set -u
classes="$1"; java_home="$2"; platform="$3"
source="$(dirname "$0")/wheel_deflate.c"
cc="${CC:-cc}"
include="$java_home/include"
[ -f "$include/jni.h" ] || include="$java_home/../include"
skip() { echo "[native] $1: the wheel writer and the audit will use zlib" >&2; exit 0; }
command -v "${cc%% *}" >/dev/null 2>&1 || skip "no C compiler ($cc)"
[ -f "$include/jni.h" ] || skip "no jni.h under $java_home"
out="$classes/META-INF/native/$platform"
mkdir -p "$out"
# linked by file name: building needs the library, not its -dev package
# shellcheck disable=SC2086
$cc -O2 -std=c99 -Wall -Wextra -fPIC -shared -I"$include" -I"$include/linux" \
  -o "$out/libneuronwheeldeflate.so" "$source" -l:libdeflate.so.0 -Wl,--no-undefined \
  || { rm -f "$out/libneuronwheeldeflate.so"; skip "compiling or linking the binding failed (is libdeflate0 installed?)"; }
echo "[native] built $out/libneuronwheeldeflate.so"
isal_source="$(dirname "$0")/wheel_isal.c"
echo '#include <isa-l/igzip_lib.h>' | $cc -E -x c - >/dev/null 2>&1 \
  || { echo "[native] no ISA-L headers (libisal-dev): entries will stream through zlib" >&2; exit 0; }
# shellcheck disable=SC2086
$cc -O2 -std=c99 -Wall -Wextra -fPIC -shared -I"$include" -I"$include/linux" \
  -o "$out/libneuronwheelisal.so" "$isal_source" -l:libisal.so.2 -Wl,--no-undefined \
  || { rm -f "$out/libneuronwheelisal.so"; echo "[native] the ISA-L binding did not build: entries will stream through zlib" >&2; exit 0; }
echo "[native] built $out/libneuronwheelisal.so"
