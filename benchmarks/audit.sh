#!/usr/bin/env bash
# Audit speed as a user meets it: the plugin's audit goal through plain `mvn` (no MAVEN_OPTS; JVM
# start, Maven and the plugin's loading included) against the reference auditwheel (`auditwheel
# show`), side by side on numpy 2.2.6, vtk 9.7.1 and a folder of real manylinux wheels from the local
# package index, with wall time, peak RSS and the speed ratio. Also times the plugin's help goal:
# what Maven and loading the plugin cost before any audit.
#
# Usage: benchmarks/audit.sh [work folder]   (run `mvn install -DskipTests` first)
# Environment: AUDITWHEEL (default ../shared/tools/auditwheel/auditwheel, then auditwheel on PATH),
#   FOLDER_WHEELS (default 60), SKIP_REFERENCE=1 to time only the plugin, MAVEN_REPO.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$here/target/benchmark-audit}"
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
version="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$here/pom.xml" | head -1)"
plugin="org.neuronsimulator:neuron-wheel-maven-plugin:$version"
count="${FOLDER_WHEELS:-60}"
mkdir -p "$work/wheels" "$work/folder" "$work/empty"
unset MAVEN_OPTS # what a user types: no tuned JVM flags

index=(--index-url file:///opt/pypi/simple)
[ -d /opt/pypi-more/simple ] && index+=(--extra-index-url file:///opt/pypi-more/simple)
for spec in numpy==2.2.6 vtk==9.7.1; do
  name="${spec%%==*}-${spec##*==}-"
  if ! ls "$work/wheels/$name"*.whl >/dev/null 2>&1; then
    PIP_EXTRA_INDEX_URL= PIP_RETRIES=0 python3 -m pip download -q --no-deps --only-binary=:all: "${index[@]}" \
      -d "$work/wheels" "$spec"
  fi
done
numpy="$(ls "$work"/wheels/numpy-2.2.6-*.whl)"
vtk="$(ls "$work"/wheels/vtk-9.7.1-*.whl)"

# The folder: the first $count manylinux x86_64 wheels of the index by name, under 50 MB each.
rm -f "$work"/folder/*.whl
find /opt/pypi/files -name '*manylinux*x86_64*.whl' -size -50M 2>/dev/null | sort | head -n "$count" \
  | while read -r w; do ln -s "$w" "$work/folder/"; done
folder_size="$(du -shL "$work/folder" | cut -f1)"
found="$(ls "$work"/folder/*.whl 2>/dev/null | wc -l)"
[ "$found" -ge 50 ] || { echo "only $found wheels in /opt/pypi/files: the folder needs at least 50"; exit 1; }

reference="${AUDITWHEEL:-$here/../shared/tools/auditwheel/auditwheel}"
[ -x "$reference" ] || reference="$(command -v auditwheel || true)"
if [ "${SKIP_REFERENCE:-0}" != 1 ] && [ -z "$reference" ]; then
  echo "no reference auditwheel found: timing the plugin only"
  SKIP_REFERENCE=1
fi

declare -A wall rss
measure() { # key, command...
  local key="$1"; shift
  local log="$work/$key.time"
  if ! (cd "$work/empty" && /usr/bin/time -f '%e %M' -o "$log" "$@" >"$work/$key.out" 2>&1); then
    echo "$key failed:"; tail -20 "$work/$key.out"; return 1
  fi
  read -r wall["$key"] rss["$key"] < <(tail -1 "$log")
}

mvn_audit=(mvn -B -o -q -Dmaven.repo.local="$repo" "$plugin:audit")
# one process for the whole folder, as the plugin's single Maven call
reference_folder=(bash -c 'for w in "$1"/*.whl; do "$2" show --json "$w" || true; done' folder "$work/folder")

measure help mvn -B -o -q -Dmaven.repo.local="$repo" "$plugin:help"
measure plugin-numpy "${mvn_audit[@]}" -Dneuron.audit.json="$work/plugin-numpy.json" -Dneuron.wheel="$numpy"
measure plugin-vtk "${mvn_audit[@]}" -Dneuron.audit.json="$work/plugin-vtk.json" -Dneuron.wheel="$vtk"
measure plugin-folder "${mvn_audit[@]}" -Dneuron.audit.json="$work/plugin-folder.json" -Dneuron.wheel="$work/folder"
if [ "${SKIP_REFERENCE:-0}" != 1 ]; then
  measure auditwheel-numpy "$reference" show --json "$numpy"
  measure auditwheel-vtk "$reference" show --json "$vtk"
  measure auditwheel-folder "${reference_folder[@]}" "$reference"
fi

echo
echo "Maven and the plugin's loading alone (help goal): ${wall[help]} s, $((rss[help] / 1024)) MB"
printf '%-34s %10s %9s %12s %9s %8s\n' case "plugin s" "plugin MB" "auditwheel s" "ref. MB" ratio
for case in numpy vtk folder; do
  label="$case"
  [ "$case" = folder ] && label="folder of $found wheels ($folder_size)"
  ours="${wall[plugin-$case]}"
  theirs="${wall[auditwheel-$case]:-}"
  ratio="-"
  [ -n "$theirs" ] && ratio="$(python3 -c "print(f'{$theirs / $ours:.1f}x')")"
  printf '%-34s %10s %9d %12s %9s %8s\n' "$label" "$ours" "$((rss[plugin-$case] / 1024))" "${theirs:--}" \
    "$([ -n "$theirs" ] && echo $((rss[auditwheel-$case] / 1024)) || echo -)" "$ratio"
done

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
for case in ("numpy", "vtk"):
    ours = json.load(open(f"{work}/plugin-{case}.json"))[0]
    line = f"{case}: plugin {ours['overallTag']} ({len(ours['externalLibraries'])} external)"
    try:
        text = open(f"{work}/auditwheel-{case}.out").read()
        theirs = json.loads(text[text.index("{"):])
        line += f"; auditwheel {theirs['overall_tag']} ({len(theirs['external_libs'])} external)"
    except (OSError, ValueError):
        pass
    print(line)
PY
