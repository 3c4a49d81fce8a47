#!/usr/bin/env bash
# Podman's Docker-compatible API for the tests that build and test through Podman (podman comes from
# 10-debian-packages.sh): starts 'podman system service' on unix:///run/podman/podman.sock when nothing
# answers there and loads the manylinux test image into Podman's storage (about 50 s, once per machine).
# Podman gives rootful containers nofile=1048576 and nproc=4194304 by default; where the set-up runs
# without CAP_SYS_RESOURCE (containers in a sandbox) runc may not raise limits that far and every
# container fails with "error setting rlimits ... operation not permitted", so the defaults are set to
# what this shell may grant (nproc at most 32768, the most runc could set here).
set -euo pipefail
source "$(dirname "$0")/../lib/test-images.sh"

SOCKET=/run/podman/podman.sock
LOG=/var/log/podman-service-ci.log
TAG="$(test_image manylinux)"

exec 9>/var/lock/neuron-wheel-podman-setup.lock
flock 9

nofile=$(ulimit -Hn)
nproc=$(ulimit -Hu)
[ "$nofile" = unlimited ] && nofile=1048576
[ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ] && nproc=32768
mkdir -p /etc/containers/containers.conf.d
cat >/etc/containers/containers.conf.d/neuron-wheel-ulimits.conf <<EOC
# written by .ci/setup.d/60-podman.sh: limits runc may set without CAP_SYS_RESOURCE
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
EOC

answers() {
  curl -sf --max-time 5 --unix-socket "$SOCKET" http://podman/_ping >/dev/null 2>&1
}
# A service started from a checkout that was removed since (an earlier CI clone) still answers the
# ping, but conmon inherits its deleted working directory and every container start fails with
# "Failed to get working directory": stop such a service and start a new one from /.
for pid in $(pgrep -f "podman system service" || true); do
  if [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == *" (deleted)" ]]; then
    echo "podman system service $pid runs in a removed directory: restarting it"
    kill "$pid"
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  fi
done
if ! answers; then
  echo "starting podman system service on unix://$SOCKET (log: $LOG)"
  mkdir -p "$(dirname "$SOCKET")"
  (cd / && exec setsid nohup podman system service --time=0 "unix://$SOCKET" >>"$LOG" 2>&1 </dev/null 9>&-) &
  for _ in $(seq 1 30); do
    answers && break
    sleep 1
  done
  if ! answers; then
    echo "podman system service did not answer within 30 s; last lines of $LOG:" >&2
    tail -n 30 "$LOG" >&2
    exit 1
  fi
fi

if podman image exists "localhost/$TAG"; then
  echo "podman image localhost/$TAG present"
else
  echo "loading $TAG into Podman's storage"
  docker save "$TAG" | podman load -q
fi
# Through the API socket, as the tests reach Podman (the podman command would bypass the service).
docker -H "unix://$SOCKET" run --rm --network none "localhost/$TAG" \
    /opt/python/cp312-cp312/bin/python -c 'print("podman runs the test image through its API socket")'
