#!/usr/bin/env bash
# An image registry for the multi-platform image tests: Debian's docker-registry (the CNCF
# distribution registry) and htpasswd from apache2-utils for its bcrypt password file. Nothing is
# started: the tests run their own registry on 127.0.0.1 and stop it (about 35 s to install).
set -euo pipefail
need=()
for pkg in docker-registry apache2-utils; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${need[@]}" >/dev/null
fi
echo "docker-registry $(dpkg-query -W -f '${Version}' docker-registry) and htpasswd ready"
