#!/usr/bin/env bash
# The NEURON-shaped sample (it/samples/neuron-like) builds with CMake and make inside the local
# test image. 50-docker.sh installs both into images it builds now; an image built by an older
# version of that script lacks them, so it is rebuilt under a temporary tag and then retagged
# (the retag is atomic: anything running on the old image keeps it until it finishes).
# Does nothing when no Docker engine answers or the image already has cmake.
set -euo pipefail

IMAGE_TAG="${NEURON_TEST_IMAGE:-neuron-wheel-test/manylinux:1}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! docker info >/dev/null 2>&1; then
  echo "no Docker engine answers: test image not checked for cmake"
  exit 0
fi
if docker image inspect "$IMAGE_TAG" >/dev/null 2>&1 \
    && docker run --rm --network none "$IMAGE_TAG" sh -c 'command -v cmake && command -v make' >/dev/null 2>&1; then
  echo "image $IMAGE_TAG has cmake and make"
  exit 0
fi

staging="${IMAGE_TAG%%:*}:cmake-rebuild"
docker image rm "$staging" >/dev/null 2>&1 || true
echo "rebuilding $IMAGE_TAG with cmake and make"
NEURON_TEST_IMAGE="$staging" bash "$here/50-docker.sh"
docker run --rm --network none "$staging" sh -c 'cmake --version | head -n 1 && make --version | head -n 1'
docker tag "$staging" "$IMAGE_TAG"
docker image rm "$staging" >/dev/null
echo "image $IMAGE_TAG rebuilt with cmake"
