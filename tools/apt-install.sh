#!/usr/bin/env bash
# Install the given Debian packages that are missing; waits for apt's locks instead of failing.
#
# Why a script: a fresh machine often runs apt-daily or unattended-upgrades when `make` starts.
# `-o DPkg::Lock::Timeout` makes `apt-get install` wait for dpkg's lock, but apt-get update
# (apt 2.6) ignores it for the package-lists lock, so that one is waited for here.
# A second run costs one dpkg query per package.
set -euo pipefail

LOCK_WAIT=${APT_LOCK_WAIT:-600}  # seconds
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo

missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing system packages: ${missing[*]}"

waited=0
until out=$($SUDO apt-get -qq -o DPkg::Lock::Timeout="$LOCK_WAIT" update 2>&1); do
  if ! grep -q "Could not get lock" <<<"$out" || [ "$waited" -ge "$LOCK_WAIT" ]; then
    echo "$out" >&2
    exit 1
  fi
  [ "$waited" -eq 0 ] && echo "another apt is running; waiting for it (up to ${LOCK_WAIT}s)"
  sleep 5
  waited=$((waited + 5))
done

$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
  -o DPkg::Lock::Timeout="$LOCK_WAIT" "${missing[@]}" >/dev/null
