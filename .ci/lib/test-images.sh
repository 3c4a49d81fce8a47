# Sourced by the set-up steps: the tags of .ci/test-images.
#   test_image NAME  prints the listed tag of neuron-wheel-test/NAME (e.g. test_image manylinux)
#   test_images      prints every listed tag
TEST_IMAGES_FILE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/test-images"

test_images() {
  sed -e 's/#.*//' -e 's/[[:space:]]//g' "$TEST_IMAGES_FILE" | grep '^neuron-wheel-test/[^:]*:.' || true
}

test_image() {
  local tag
  tag=$(test_images | grep "^neuron-wheel-test/$1:" | head -n 1)
  if [ -z "$tag" ]; then
    echo "no neuron-wheel-test/$1:<tag> line in $TEST_IMAGES_FILE" >&2
    return 1
  fi
  echo "$tag"
}
