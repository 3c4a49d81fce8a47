#!/usr/bin/env bash
# Uploads a 1 GB wheel to the loopback test index twice: with the plugin's upload goal (Maven's JVM
# limited to -Xmx128m) and with twine, and prints both throughputs.
# Usage: benchmarks/upload.sh [SIZE_MB]   (needs: mvn install done once, python3, twine)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-1024}
REPO_LOCAL=${MAVEN_REPO_LOCAL:-}
MVN_LOUD=(mvn -B -ntp ${REPO_LOCAL:+-Dmaven.repo.local=$REPO_LOCAL})
MVN=("${MVN_LOUD[@]}" -q)
VERSION=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' pom.xml | head -1)

work=$(mktemp -d /tmp/neuron-upload-bench.XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== building the plugin and the test index"
"${MVN[@]}" -o install -DskipTests -pl neuron-wheel-core,neuron-wheel-maven-plugin -am >/dev/null
"${MVN[@]}" -o test-compile -pl neuron-wheel-core >/dev/null
"${MVN[@]}" -o dependency:build-classpath -pl neuron-wheel-core -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="neuron-wheel-core/target/test-classes:neuron-wheel-core/target/classes:$(cat "$work/cp.txt")"

echo "== writing a ${SIZE_MB} MB wheel"
mkdir -p "$work/wheelhouse" "$work/index"
wheel=$(python3 benchmarks/make_big_wheel.py "$work/wheelhouse" "$SIZE_MB")
bytes=$(stat -c %s "$wheel")
echo "$(basename "$wheel"): $bytes bytes"

java -Xmx256m -cp "$cp" org.neuronsimulator.wheel.publish.PypiTestServer "$work/index" "$work/port" &
server_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
url="http://127.0.0.1:$port/legacy/"
export TWINE_USERNAME=__token__ TWINE_PASSWORD=pypi-benchmark-token

echo "== neuron-wheel:upload (MAVEN_OPTS=-Xmx128m)"
start=$(date +%s.%N)
# Run where there is no pom: the goal works on a folder of wheels; -o would (rightly) refuse to upload.
(cd "$work" && MAVEN_OPTS="-Xmx128m -Xlog:gc:file=$work/gc.log" "${MVN_LOUD[@]}" "org.neuronsimulator:neuron-wheel-maven-plugin:$VERSION:upload" \
  -Dneuron.wheelhouse="$work/wheelhouse" -Dneuron.repositoryUrl="$url" -Dneuron.release=true \
  -Dneuron.upload.maxFileSizeMiB=$((SIZE_MB + 64)) -Dneuron.upload.stagingDirectory="$work/staging" \
  > "$work/mvn.log" 2>&1) || { cat "$work/mvn.log"; exit 1; }
ours=$(python3 -c "import sys; print(float(sys.argv[1]) - float(sys.argv[2]))" "$(date +%s.%N)" "$start")
grep -E "uploaded .*MB/s|verified" "$work/mvn.log" | sed 's/^/   /'
post_rate=$(grep -oE "uploaded [^ ]+ \([0-9.]+ MB in [0-9.]+ s, [0-9.]+ MB/s\)" "$work/mvn.log" | grep -oE "[0-9.]+ MB/s" | head -1)

heap=$(python3 - "$work/gc.log" <<'PY'
import re, sys
before, after = [], []
for line in open(sys.argv[1]):
    m = re.search(r"(\d+)M->(\d+)M\((\d+)M\)", line)
    if m:
        before.append(int(m.group(1)))
        after.append(int(m.group(2)))
print(f"{len(before)} collections, heap peak {max(before, default=0)} MB, live after GC at most {max(after, default=0)} MB, limit 128 MB")
PY
)
echo "   JVM: $heap"

echo "== twine upload"
start=$(date +%s.%N)
twine upload --repository-url "$url" --disable-progress-bar --non-interactive "$wheel" > "$work/twine.log" 2>&1 \
  || { cat "$work/twine.log"; exit 1; }
theirs=$(python3 -c "import sys; print(float(sys.argv[1]) - float(sys.argv[2]))" "$(date +%s.%N)" "$start")

printf '\n%-44s %10s %14s\n' "tool (same ${SIZE_MB} MB wheel, same run)" "wall s" "MB/s (wall)"
printf '%-44s %10.1f %14.1f   (POST alone: %s)\n' "neuron-wheel:upload, JVM -Xmx128m" "$ours" "$(python3 -c "import sys; print(int(sys.argv[1]) / 1e6 / float(sys.argv[2]))" "$bytes" "$ours")" "$post_rate"
printf '%-44s %10.1f %14.1f\n' "twine $(twine --version | head -1 | awk '{print $3}')" "$theirs" "$(python3 -c "import sys; print(int(sys.argv[1]) / 1e6 / float(sys.argv[2]))" "$bytes" "$theirs")"
echo "plugin JVM: $heap"
