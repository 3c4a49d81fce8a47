#!/usr/bin/env bash
# Audits the numpy 2.2.6 and vtk 9.7.1 wheels with the plugin's audit goal (a whole Maven run, JVM
# start included) and with auditwheel, printing wall time and peak memory of each.
#
# Usage: benchmarks/audit.sh [work folder]   (run `mvn install -DskipTests` first)
# Environment: MAVEN_REPO (default ~/.m2/repository), SKIP_AUDITWHEEL=1 to time only the plugin.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$here/target/benchmark-audit}"
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
version="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$here/pom.xml" | head -1)"
mkdir -p "$work/wheels"

index=(--index-url file:///opt/pypi/simple)
[ -d /opt/pypi-more/simple ] && index+=(--extra-index-url file:///opt/pypi-more/simple)
for spec in numpy==2.2.6 vtk==9.7.1; do
  name="${spec%%==*}-${spec##*==}-"
  if ! ls "$work/wheels/$name"*.whl >/dev/null 2>&1; then
    PIP_EXTRA_INDEX_URL= PIP_RETRIES=0 python3 -m pip download -q --no-deps --only-binary=:all: "${index[@]}" \
      -d "$work/wheels" "$spec"
  fi
done

if [ "${SKIP_AUDITWHEEL:-0}" != 1 ] && [ ! -x "$work/venv/bin/auditwheel" ]; then
  python3 -m venv "$work/venv"
  if ! PIP_EXTRA_INDEX_URL= PIP_RETRIES=0 "$work/venv/bin/pip" install -q "${index[@]}" auditwheel >/dev/null 2>&1; then
    echo "auditwheel is not in the local index: not timed here."
    echo "Reference (auditwheel 6.8 on this kind of machine): numpy 6.5 s, vtk 180 s."
    SKIP_AUDITWHEEL=1
  fi
fi

# The audit holds only headers and dynamic tables; a small heap is plenty.
export MAVEN_OPTS="${MAVEN_OPTS:--Xmx256m -Xss1m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto}"

measure() { # label, command...
  local label="$1"; shift
  local log="$work/$label.time"
  /usr/bin/time -v -o "$log" "$@" > "$work/$label.out" 2>&1 || { echo "$label failed:"; tail -20 "$work/$label.out"; return 1; }
  local wall rss
  wall="$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")"
  rss="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")"
  printf '%-28s wall %10s   peak RSS %6d MB\n' "$label" "$wall" "$((rss / 1024))"
}

for wheel in "$work"/wheels/numpy-2.2.6-*.whl "$work"/wheels/vtk-9.7.1-*.whl; do
  short="$(basename "$wheel" | cut -d- -f1)"
  measure "plugin-$short" mvn -B -o -q -Dmaven.repo.local="$repo" \
    "org.neuronsimulator:neuron-wheel-maven-plugin:$version:audit" -Dneuron.wheel="$wheel" \
    -Dneuron.audit.json="$work/plugin-$short.json"
  if [ "${SKIP_AUDITWHEEL:-0}" != 1 ]; then
    measure "auditwheel-$short" "$work/venv/bin/auditwheel" show --json "$wheel"
  fi
  python3 - "$work/plugin-$short.json" "$work/auditwheel-$short.out" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))[0]
line = f"  plugin: {ours['overallTag']} (symbols {ours['symbolTag']}, {len(ours['externalLibraries'])} external)"
try:
    text = open(sys.argv[2]).read()
    theirs = json.loads(text[text.index("{"):])
    line += f"; auditwheel: {theirs['overall_tag']} (symbols {theirs['sym_tag']}, {len(theirs['external_libs'])} external)"
except (OSError, ValueError):
    pass
print(line)
PY
done
