#!/usr/bin/env bash
# Debian packages the tests need, in one apt run (dpkg takes one install at a time, so the installs that run in
# parallel afterwards must not call apt): Chromium (HTML report test), docker.io + debootstrap (real containers,
# the local base image), openssh-server (the remote Docker engine test). Only what is missing is installed.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
declare -A wanted=([chromium]=chromium [dockerd]=docker.io [debootstrap]=debootstrap [sshd]=openssh-server)
missing=()
for cmd in "${!wanted[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || missing+=("${wanted[$cmd]}")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "system-packages: all present"
  exit 0
fi
echo "system-packages: installing ${missing[*]}"
as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
