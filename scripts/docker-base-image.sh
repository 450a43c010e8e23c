#!/usr/bin/env bash
# Builds a minimal Debian bookworm base image (python3, venv) locally, without a registry:
# debootstrap into a temp dir, then `docker import`. Skipped when the image already exists.
# Usage: scripts/docker-base-image.sh [IMAGE]   (default pipeline-base:bookworm)
set -euo pipefail

IMAGE="${1:-pipeline-base:bookworm}"
if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "docker-base-image: $IMAGE exists"
  exit 0
fi

# The mirror apt already uses on this machine (deb822 or one-line sources), else the default.
mirror="$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)"
mirror="${mirror:-$(sed -n 's/^deb \(http[^ ]*debian\) bookworm .*/\1/p' /etc/apt/sources.list 2>/dev/null | head -n1)}"
mirror="${mirror:-http://deb.debian.org/debian}"

rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
echo "docker-base-image: debootstrap bookworm from $mirror"
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
  bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || { tail -n 20 "$rootfs.log" >&2; exit 1; }
rm -f "$rootfs.log"
# Package lists and caches are not needed in the image.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
tar -C "$rootfs" -c . | docker import -c 'ENV LANG=C.UTF-8' - "$IMAGE" >/dev/null
echo "docker-base-image: built $IMAGE"
