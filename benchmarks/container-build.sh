#!/usr/bin/env bash
# Container build timings through the real plugin and Docker engine:
#   1. two Pythons one after the other (neuron.parallel=1) versus two containers at once (neuron.parallel=2);
#   2. a rebuild with a warm compiler cache (neuron.cacheDir volume) versus a rebuild without one.
# The project is generated: one C extension of many translation units, so that compiling dominates.
# Needs: the plugin installed in the local repository (mvn install -DskipTests) and the test image
# from .ci/setup.d/50-docker.sh. Usage: benchmarks/container-build.sh [maven args, e.g. -Dmaven.repo.local=...]
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE="${NEURON_BENCH_IMAGE:-neuron-wheel-test/manylinux:2}"
UNITS="${NEURON_BENCH_UNITS:-24}"
work="$PWD/benchmarks/target/container-build"
rm -rf "$work"
mkdir -p "$work/project/src"

gen_unit() { # a translation unit with enough optimisable code to take a noticeable time at -O2
  local i=$1
  {
    echo "#include <stdint.h>"
    for f in $(seq 1 30); do
      echo "static uint64_t mix_${i}_${f}(uint64_t x) {"
      echo "  for (int k = 0; k < 64; k++) {"
      echo "    switch ((x >> (k % 13)) & 15) {"
      for c in $(seq 0 15); do
        echo "      case $c: x = x * $((c * 2 + 3))u + ($i * $f + $c); x ^= x >> $((c % 7 + 1)); break;"
      done
      echo "    }"
      echo "  }"
      echo "  return x;"
      echo "}"
    done
    echo "uint64_t unit_${i}(uint64_t x) {"
    for f in $(seq 1 30); do echo "  x = mix_${i}_${f}(x);"; done
    echo "  return x;"
    echo "}"
  } >"$work/project/src/unit_$i.c"
}
for i in $(seq 1 "$UNITS"); do gen_unit "$i"; done
{
  echo '#define PY_SSIZE_T_CLEAN'
  echo '#include <Python.h>'
  echo '#include <stdint.h>'
  for i in $(seq 1 "$UNITS"); do echo "uint64_t unit_$i(uint64_t);"; done
  echo 'static PyObject *run(PyObject *self, PyObject *arg) {'
  echo '  uint64_t x = PyLong_AsUnsignedLongLong(arg);'
  for i in $(seq 1 "$UNITS"); do echo "  x = unit_$i(x);"; done
  echo '  return PyLong_FromUnsignedLongLong(x);'
  echo '}'
  echo 'static PyMethodDef methods[] = {{"run", run, METH_O, "mix"}, {NULL, NULL, 0, NULL}};'
  echo 'static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "benchext", NULL, -1, methods};'
  echo 'PyMODINIT_FUNC PyInit_benchext(void) { return PyModule_Create(&module); }'
} >"$work/project/src/benchext.c"
cat >"$work/project/pyproject.toml" <<'TOML'
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "benchext"
version = "1.0.0"
TOML
cat >"$work/project/setup.py" <<'PY'
import glob
from setuptools import Extension, setup

setup(py_modules=[], ext_modules=[Extension("benchext", sorted(glob.glob("src/*.c")), extra_compile_args=["-O2"])])
PY
cat >"$work/project/pom.xml" <<'POM'
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId>
  <artifactId>benchext</artifactId>
  <version>1.0.0</version>
  <packaging>pom</packaging>
  <build>
    <plugins>
      <plugin>
        <groupId>org.neuronsimulator</groupId>
        <artifactId>neuron-wheel-maven-plugin</artifactId>
        <version>0.1.0-SNAPSHOT</version>
        <executions><execution><goals><goal>build</goal></goals></execution></executions>
      </plugin>
    </plugins>
  </build>
</project>
POM

volume="neuron-wheel-bench-ccache-$$"
trap 'docker volume rm -f "$volume" >/dev/null 2>&1 || true' EXIT

# Runs one build; prints the plugin's own figure for the container build (seconds, Maven start-up excluded).
build() {
  local log="$work/$1.log"; shift
  (cd "$work/project" && mvn -B -o -ntp "$@" compile -Dneuron.image="$IMAGE" -Dneuron.pull=never \
      -Dneuron.python=3.10,3.12 "${MVN_ARGS[@]}" >"$log" 2>&1) || { tail -n 40 "$log" >&2; exit 1; }
  sed -n 's/.*container build of 2 Python(s) done in \([0-9.]*\) s.*/\1/p' "$log"
}
MVN_ARGS=("$@")

echo "project: $UNITS C translation units at -O2, Pythons cp310 and cp312, image $IMAGE"
build warmup -Dneuron.parallel=1 >/dev/null   # loads the image layers and Maven's classes once
seq1=$(build sequential -Dneuron.parallel=1)
par2=$(build parallel -Dneuron.parallel=2)
nocache=$(build nocache -Dneuron.parallel=1)
cold=$(build cache-cold -Dneuron.parallel=1 -Dneuron.cacheDir="$volume")
warm=$(build cache-warm -Dneuron.parallel=1 -Dneuron.cacheDir="$volume")

printf '%-44s %8s\n' "scenario" "seconds"
printf '%-44s %8s\n' "two Pythons one after the other (parallel=1)" "$seq1"
printf '%-44s %8s\n' "two Pythons at once (parallel=2)" "$par2"
printf '%-44s %8s\n' "rebuild without compiler cache" "$nocache"
printf '%-44s %8s\n' "first build filling the ccache volume" "$cold"
printf '%-44s %8s\n' "rebuild with the warm ccache volume" "$warm"
python3 - "$seq1" "$par2" "$nocache" "$warm" "$(nproc)" <<'PY'
import sys
seq1, par2, nocache, warm, cpus = map(float, sys.argv[1:])
print(f"parallel=2 speed-up: {seq1 / par2:.2f}x  (machine has {int(cpus)} CPUs)")
print(f"warm ccache speed-up: {nocache / warm:.2f}x")
PY
