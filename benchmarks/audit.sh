#!/usr/bin/env bash
# Audit speed as a user meets it: the plugin's audit goal through plain `mvn` (no MAVEN_OPTS; JVM
# start, Maven and the plugin's loading included) against the reference auditwheel (`auditwheel
# show`), side by side on numpy 2.2.6, vtk 9.7.1 and two folders of real wheels from the local package
# index, with wall time, peak RSS and the speed ratio:
#   small:  the first 60 manylinux x86_64 wheels by name under 50 MB each;
#   spread: 73 wheels evenly spaced over every Linux wheel of the index by name, large ones included.
# Also times the plugin's help goal: what Maven and loading the plugin cost before any audit.
#
# Usage: benchmarks/audit.sh [work folder]   (run `mvn install -DskipTests` first)
# Environment: AUDITWHEEL (default ../shared/tools/auditwheel/auditwheel, then auditwheel on PATH),
#   SKIP_REFERENCE=1 to time only the plugin, RUNS (runs of each plugin case, default 3), MAVEN_REPO.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$here/target/benchmark-audit}"
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
version="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$here/pom.xml" | head -1)"
plugin="org.neuronsimulator:neuron-wheel-maven-plugin:$version"
mkdir -p "$work/wheels" "$work/small" "$work/spread" "$work/empty"
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

rm -f "$work"/small/*.whl "$work"/spread/*.whl
find /opt/pypi/files -name '*manylinux*x86_64*.whl' -size -50M 2>/dev/null | sort | awk 'NR <= 60' \
  | while read -r w; do ln -s "$w" "$work/small/"; done
find /opt/pypi/files -name '*linux*.whl' 2>/dev/null | sort \
  | awk '{all[NR] = $0} END {for (i = 0; i < 73 && i < NR; i++) print all[int(i * NR / 73) + 1]}' \
  | while read -r w; do ln -sf "$w" "$work/spread/"; done
declare -A found size
for folder in small spread; do
  found[$folder]="$(ls "$work/$folder"/*.whl 2>/dev/null | wc -l)"
  size[$folder]="$(du -shL "$work/$folder" | cut -f1)"
  [ "${found[$folder]}" -ge 50 ] || { echo "only ${found[$folder]} wheels for the $folder folder: it needs at least 50"; exit 1; }
done

reference="${AUDITWHEEL:-$here/../shared/tools/auditwheel/auditwheel}"
[ -x "$reference" ] || reference="$(command -v auditwheel || true)"
if [ "${SKIP_REFERENCE:-0}" != 1 ] && [ -z "$reference" ]; then
  echo "no reference auditwheel found: timing the plugin only"
  SKIP_REFERENCE=1
fi

rm -f "$work"/auditwheel-*.out "$work"/auditwheel-*.time # no figures of an earlier run
declare -A wall rss
# The plugin's cases run RUNS times (default 3) and report the median wall time and the highest peak
# RSS: single runs of a few seconds vary by up to a second on a shared virtual machine. The plugin's
# peak RSS is that of all its processes together (Maven's JVM and, for a folder, the audit JVM).
runs="${RUNS:-3}"
# The highest sum of RSS (KB) over a command's processes, sampled every 50 ms while it runs.
tree_peak() { # command...
  (cd "$work/empty" && exec "$@" >/dev/null 2>&1) &
  local root=$! peak=0 sum
  while kill -0 "$root" 2>/dev/null; do
    sum="$(ps -e -o pid=,ppid=,rss= | awk -v root="$root" '{up[$1] = $2; rss[$1] = $3}
      END {for (p in rss) {q = p; while (q != root && q in up && q > 1) q = up[q]; if (q == root) s += rss[p]} print s + 0}')"
    ((sum > peak)) && peak="$sum"
    sleep 0.05
  done
  wait "$root" || true
  echo "$peak"
}

measure() { # key, command...
  local key="$1"; shift
  local log="$work/$key.time" times=() peak=0 n=1 t m
  [[ "$key" == plugin-* || "$key" == help ]] && n="$runs"
  for ((i = 0; i < n; i++)); do
    if ! (cd "$work/empty" && /usr/bin/time -f '%e %M' -o "$log" "$@" >"$work/$key.out" 2>&1); then
      echo "$key failed:"; tail -20 "$work/$key.out"; return 1
    fi
    read -r t m < <(tail -1 "$log")
    times+=("$t")
    ((m > peak)) && peak="$m"
  done
  wall["$key"]="$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((n + 1) / 2))p")"
  if [[ "$key" == plugin-* ]]; then
    # A folder is audited in a second JVM: one more, untimed run adds up both processes' RSS.
    m="$(tree_peak "$@")"
    ((m > peak)) && peak="$m"
  fi
  rss["$key"]="$peak"
  [ "$n" -gt 1 ] && echo "$key: ${times[*]} s (median ${wall[$key]} s)"
  return 0
}

mvn_audit=(mvn -B -o -q -Dmaven.repo.local="$repo" "$plugin:audit")
# one process for the whole folder, as the plugin's single Maven call
reference_folder=(bash -c 'for w in "$1"/*.whl; do "$2" show --json "$w" || true; done' folder)

# Each case runs the plugin, then the reference, back to back: this virtual machine's speed drifts by a third
# over tens of minutes, and a ratio is only fair between runs of the same period.
measure help mvn -B -o -q -Dmaven.repo.local="$repo" "$plugin:help"
reference_too() { [ "${SKIP_REFERENCE:-0}" != 1 ]; }
measure plugin-numpy "${mvn_audit[@]}" -Dneuron.audit.json="$work/plugin-numpy.json" -Dneuron.wheel="$numpy"
reference_too && measure auditwheel-numpy "$reference" show --json "$numpy"
measure plugin-vtk "${mvn_audit[@]}" -Dneuron.audit.json="$work/plugin-vtk.json" -Dneuron.wheel="$vtk"
reference_too && measure auditwheel-vtk "$reference" show --json "$vtk"
for folder in small spread; do
  measure plugin-$folder "${mvn_audit[@]}" -Dneuron.audit.json="$work/plugin-$folder.json" -Dneuron.wheel="$work/$folder"
  reference_too && measure auditwheel-$folder "${reference_folder[@]}" "$work/$folder" "$reference"
done

echo
echo "Maven and the plugin's loading alone (help goal): ${wall[help]} s, $((rss[help] / 1024)) MB"
printf '%-34s %10s %9s %12s %9s %8s\n' case "plugin s" "plugin MB" "auditwheel s" "ref. MB" ratio
for case in numpy vtk small spread; do
  label="$case"
  [ -n "${found[$case]:-}" ] && label="$case folder: ${found[$case]} wheels (${size[$case]})"
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
