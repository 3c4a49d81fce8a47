#!/usr/bin/env bash
# Removes every neuron-wheel-test/* image tag that .ci/test-images does not list (older test images,
# images tests left behind), from the Docker engine and from Podman's storage, so that a developer's
# machine holds what a fresh one would build. An image still used by a container stays (with a note).
set -euo pipefail
source "$(dirname "$0")/../lib/test-images.sh"

listed=$(test_images)

remove_stale() { # remove_stale ENGINE PREFIX
  local engine=$1 prefix=$2 tag
  for tag in $("$engine" images --format '{{.Repository}}:{{.Tag}}' | sed -n "s#^$prefix\(neuron-wheel-test/.*\)#\1#p" | sort -u); do
    if ! grep -qxF "$tag" <<<"$listed"; then
      if "$engine" rmi "$prefix$tag" >/dev/null 2>&1; then
        echo "$engine: removed stale test image tag $prefix$tag"
      else
        echo "$engine: kept $prefix$tag (a container uses it; remove that container and run this again)"
      fi
    fi
  done
}

if docker info >/dev/null 2>&1; then
  remove_stale docker ""
fi
if command -v podman >/dev/null 2>&1; then
  remove_stale podman "localhost/"
fi
