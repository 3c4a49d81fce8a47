#!/usr/bin/env bash
# Benchmark: pack a >= 300 MB unpacked wheel tree (compressible text + random and semi-random binary)
# with the project's WheelWriter and with `python -m wheel pack`, in the same run, on the same tree.
# Prints both wall times, the ratio and the writer's peak heap (the JVM runs with -Xmx256m).
# Usage: benchmarks/wheel-writer.sh [size-in-MB]   (env MAVEN_REPO_LOCAL: Maven local repository)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB="${1:-320}"
WORK="neuron-wheel-core/target/bench-wheel-writer"
REPO_ARGS=()
if [[ -n "${MAVEN_REPO_LOCAL:-}" ]]; then REPO_ARGS=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL"); fi
export SOURCE_DATE_EPOCH=1700000000

mvn -B -q "${REPO_ARGS[@]}" -pl neuron-wheel-core test-compile -DskipTests >/dev/null
CP="neuron-wheel-core/target/classes:neuron-wheel-core/target/test-classes"

mkdir -p "$WORK"
if [[ ! -x "$WORK/venv/bin/python" ]] || ! "$WORK/venv/bin/python" -m wheel version >/dev/null 2>&1; then
  rm -rf "$WORK/venv"
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/python" -m pip install -q --disable-pip-version-check \
    --index-url file:///opt/pypi/simple --extra-index-url file:///opt/pypi-more/simple wheel
fi
PY="$WORK/venv/bin/python"

TREE="$WORK/tree"
if [[ ! -f "$WORK/tree-ready-$SIZE_MB" ]]; then
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
i = 0
block = text(8 << 20)
while total < target:
    share = i % 10
    if share < 4:
        # source-like text files, small to medium (slices of a shared pool, shuffled per file)
        n = rng.choice([4_000, 20_000, 120_000, 700_000])
        start = rng.randint(0, len(block) - n)
        write(f"{pkg}/mod{i // 50}/text{i}.py", block[start:start + n])
    elif share < 6:
        write(f"{pkg}/data/rand{i}.bin", os.urandom(rng.choice([50_000, 400_000, 3_000_000])))
    elif share < 9:
        write(f"{pkg}/lib/lib{i}.so", semi(rng.choice([200_000, 2_000_000, 8_000_000])), exe=True)
    else:
        write(f"{pkg}/big/big{i}.dat", block[:rng.choice([5, 20, 40]) * 1_000_000 // 5] * 5)
    i += 1
print(f"tree: {i} files, {total / 1e6:.0f} MB")
PYEOF
  touch "$WORK/tree-ready-$SIZE_MB"
fi
echo "tree: $(du -sm --apparent-size "$TREE" | cut -f1) MB apparent, $(find "$TREE" -type f | wc -l) files, $(nproc) cores"

rm -rf "$WORK/out-python" "$WORK/out-java"; mkdir -p "$WORK/out-python" "$WORK/out-java"
sync
t0=$(date +%s.%N)
"$PY" -m wheel pack -d "$WORK/out-python" "$TREE" >/dev/null
t1=$(date +%s.%N)
java -Xmx256m -cp "$CP" org.neuronsimulator.wheel.archive.WheelWriterBenchmark "$TREE" \
  "$WORK/out-java/benchpkg-1.0-cp311-cp311-linux_x86_64.whl" | tee "$WORK/java.txt"
t2=$(date +%s.%N)

python3 - "$t0" "$t1" "$t2" "$WORK" <<'PYEOF'
import sys, os, glob, re
t0, t1, t2, work = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
py, jv = t1 - t0, t2 - t1
pw = glob.glob(os.path.join(work, "out-python", "*.whl"))[0]
jw = glob.glob(os.path.join(work, "out-java", "*.whl"))[0]
peak = re.search(r"peak_heap_mib=([\d.]+)", open(os.path.join(work, "java.txt")).read()).group(1)
print(f"python -m wheel pack : {py:7.2f} s  wheel {os.path.getsize(pw) / 1e6:.1f} MB")
print(f"WheelWriter (JVM)    : {jv:7.2f} s  wheel {os.path.getsize(jw) / 1e6:.1f} MB  (JVM start included)")
print(f"speed-up             : {py / jv:7.2f}x  (target >= 2x)")
print(f"writer peak heap     : {peak} MiB  (-Xmx256m; target < 256 MiB)")
PYEOF
