#!/usr/bin/env bash
# Benchmark: pack a >= 300 MB unpacked wheel tree (compressible text + random and semi-random binary)
# with the project's WheelWriter and with `python -m wheel pack`, in the same run, on the same tree.
# Prints wall and CPU times, the ratios and the writer's peak heap (the JVM runs with -Xmx256m), for
# the writer's default deflate engine (libdeflate where the system has it) and for the JDK's zlib.
# Usage: benchmarks/wheel-writer.sh [size-in-MB]   (env MAVEN_REPO_LOCAL: Maven local repository)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB="${1:-320}"
WORK="neuron-wheel-core/target/bench-wheel-writer"
REPO_ARGS=()
if [[ -n "${MAVEN_REPO_LOCAL:-}" ]]; then REPO_ARGS=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL"); fi
export SOURCE_DATE_EPOCH=1700000000

mkdir -p "$WORK"
mvn -B -q "${REPO_ARGS[@]}" -pl neuron-wheel-core test-compile -DskipTests >/dev/null
# the writer's libraries (Commons Compress, Commons IO)
mvn -B -q "${REPO_ARGS[@]}" -pl neuron-wheel-core dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$PWD/$WORK/classpath.txt" >/dev/null
CP="neuron-wheel-core/target/classes:neuron-wheel-core/target/test-classes:$(cat "$WORK/classpath.txt")"

if [[ ! -x "$WORK/venv/bin/python" ]] || ! "$WORK/venv/bin/python" -m wheel version >/dev/null 2>&1; then
  rm -rf "$WORK/venv"
  python3 -m venv "$WORK/venv"
  # the machine's local package index when there is one, else pip's configured index
  INDEX=()
  [[ -d /opt/pypi/simple ]] && INDEX+=(--index-url file:///opt/pypi/simple)
  [[ -d /opt/pypi-more/simple ]] && INDEX+=(--extra-index-url file:///opt/pypi-more/simple)
  "$WORK/venv/bin/python" -m pip install -q --disable-pip-version-check "${INDEX[@]}" wheel
fi
PY="$WORK/venv/bin/python"

TREE="$WORK/tree"
if [[ ! -f "$WORK/tree-ready-v2-$SIZE_MB" ]]; then
  rm -f "$WORK"/tree-ready-*
  rm -rf "$TREE"
  "$PY" - "$TREE" "$SIZE_MB" <<'PYEOF'
import os, random, sys
tree, size_mb = sys.argv[1], int(sys.argv[2])
rng = random.Random(1234)
pkg = os.path.join(tree, "benchpkg")
info = os.path.join(tree, "benchpkg-1.0.dist-info")
os.makedirs(info)
with open(os.path.join(info, "METADATA"), "w") as f:
    f.write("Metadata-Version: 2.1\nName: benchpkg\nVersion: 1.0\n")
with open(os.path.join(info, "WHEEL"), "w") as f:
    f.write("Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: false\nTag: cp311-cp311-linux_x86_64\n")
words = [("".join(rng.choice("abcdefghijklmnopqrstuvwxyz_") for _ in range(rng.randint(2, 12))))
         for _ in range(5000)]
total = 0
target = size_mb * 1000 * 1000
def write(path, data, exe=False):
    global total
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    if exe:
        os.chmod(path, 0o755)
    total += len(data)
def text(n):
    out, size = [], 0
    while size < n:
        line = " ".join(rng.choices(words, k=rng.randint(3, 14))) + "\n"
        out.append(line); size += len(line)
    return "".join(out).encode()
def semi(n):
    # like a shared library: runs of zeros, repeated tables and random code bytes
    parts, size = [], 0
    while size < n:
        kind = rng.random()
        if kind < 0.3: chunk = bytes(rng.randint(64, 4096))
        elif kind < 0.6: chunk = os.urandom(rng.randint(256, 8192))
        else: chunk = bytes(range(256)) * rng.randint(1, 16)
        parts.append(chunk); size += len(chunk)
    return b"".join(parts)[:n]
block = text(8 << 20)
i = 0
# ~20 % source-like text in many small files, ~10 % random data, ~30 % library-like binaries,
# the rest large text-like data files
while total < target * 0.2:
    n = rng.choice([1_000, 4_000, 12_000, 30_000, 120_000])
    start = rng.randint(0, len(block) - n)
    write(f"{pkg}/mod{i // 100}/text{i}.py", block[start:start + n]); i += 1
while total < target * 0.3:
    write(f"{pkg}/data/rand{i}.bin", os.urandom(rng.choice([50_000, 400_000, 3_000_000]))); i += 1
while total < target * 0.6:
    write(f"{pkg}/lib/lib{i}.so", semi(rng.choice([200_000, 2_000_000, 8_000_000])), exe=True); i += 1
while total < target:
    write(f"{pkg}/big/big{i}.dat", block[:rng.choice([5, 20, 40]) * 1_000_000 // 5] * 5); i += 1
print(f"tree: {i} files, {total / 1e6:.0f} MB")
PYEOF
  touch "$WORK/tree-ready-v2-$SIZE_MB"
fi
echo "tree: $(du -sm --apparent-size "$TREE" | cut -f1) MB apparent, $(find "$TREE" -type f | wc -l) files, $(nproc) cores"

rm -rf "$WORK/out-python" "$WORK"/out-java-*; mkdir -p "$WORK/out-python"
sync
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
TIMEFORMAT="%R %U %S"
{ time "$PY" -m wheel pack -d "$WORK/out-python" "$TREE" >/dev/null ; } 2> "$WORK/python.time"
# the writer's default engine (libdeflate where the system has it), then the JDK's zlib for comparison
for engine in auto zlib; do
  mkdir -p "$WORK/out-java-$engine"
  { time java -Xmx256m -Dneuron.deflate=$engine -cp "$CP" org.neuronsimulator.wheel.archive.WheelWriterBenchmark \
    "$TREE" "$WORK/out-java-$engine/benchpkg-1.0-cp311-cp311-linux_x86_64.whl" > "$WORK/java-$engine.txt" ; } \
    2> "$WORK/java-$engine.time"
  cat "$WORK/java-$engine.txt"
done
# the wheel goal's path: verify every RECORD hash of the python-packed wheel, then rename it
rm -rf "$WORK/out-renamed"
java -Xmx256m -cp "$CP" org.neuronsimulator.wheel.archive.WheelWriterBenchmark --rename \
  "$(ls "$WORK"/out-python/*.whl)" "$WORK/out-renamed"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$WORK" <<'PYEOF'
import sys, os, glob, re
work = sys.argv[1]
def times(name):
    real, user, sys_ = map(float, open(os.path.join(work, name)).read().split()[-3:])
    return real, user + sys_
py, py_cpu = times("python.time")
pw = glob.glob(os.path.join(work, "out-python", "*.whl"))[0]
print(f"python -m wheel pack              : {py:7.2f} s wall, {py_cpu:6.2f} s CPU, wheel {os.path.getsize(pw) / 1e6:.1f} MB")
for engine in ("auto", "zlib"):
    jv, jv_cpu = times(f"java-{engine}.time")
    jw = glob.glob(os.path.join(work, f"out-java-{engine}", "*.whl"))[0]
    out = open(os.path.join(work, f"java-{engine}.txt")).read()
    used = re.search(r"engine=(\w+)", out).group(1)
    inner = float(re.search(r"seconds=([\d.]+)", out).group(1))
    peak = re.search(r"peak_heap_mib=([\d.]+)", out).group(1)
    live = re.search(r"peak_live_heap_after_gc_mib=([\d.]+)", out).group(1)
    label = f"WheelWriter ({used}{', default' if engine == 'auto' else ''})"
    print(f"{label:34}: {jv:7.2f} s wall, {jv_cpu:6.2f} s CPU, wheel {os.path.getsize(jw) / 1e6:.1f} MB"
          " (JVM start included)")
    print(f"  speed-up (wall)                 : {py / jv:7.2f}x{'  (target >= 2x on 2 cores)' if engine == 'auto' else ''}")
    print(f"  writer alone                    : {inner:7.2f} s in its JVM (as inside Maven, no JVM start): {py / inner:.2f}x")
    print(f"  CPU work ratio                  : {py_cpu / jv_cpu:7.2f}x  (python CPU s / writer CPU s)")
    print(f"  peak heap                       : {peak} MiB used (garbage included), {live} MiB live after GC"
          "  (-Xmx256m; target < 256 MiB)")
PYEOF
