#!/usr/bin/env bash
# Installs the Debian packages Hepatix builds against, only those missing. Safe to run repeatedly.
# Usage: scripts/install-deps.sh [extra packages...]
set -euo pipefail
packages=(libfftw3-dev libopenblas-dev libomp-dev libdcmtk-dev libsndfile1-dev libopenjp2-7-dev zlib1g-dev pkg-config "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
# Another apt may hold the dpkg lock (CI images run unattended upgrades): wait for it.
apt_get() {
  for attempt in $(seq 1 30); do
    if $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=60 "$@"; then return 0; fi
    echo "apt-get $1 failed (attempt $attempt), retrying in 10 s" >&2
    sleep 10
  done
  return 1
}
apt_get update -qq
apt_get install -y -qq --no-install-recommends "${missing[@]}"
