#!/usr/bin/env bash
# Downloads the trainer's pinned wheels (docker/requirements.txt) once into a cache, for offline image builds.
# The host's Python must match the image's (bookworm: 3.11); otherwise pass PIP_PYTHON_VERSION=3.13 etc.
# Usage: scripts/docker-wheels.sh [PYTHON]   → prints the wheel directory on its last line
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${1:-python3}"
cache="${PIPELINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pipeline}"
dir="$cache/wheels"
stamp="$dir/.requirements-hash"
hash="$(sha256sum "$root/docker/requirements.txt" | cut -c1-16)${PIP_PYTHON_VERSION:-}"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
  echo "docker-wheels: cached in $dir" >&2
else
  echo "docker-wheels: downloading into $dir" >&2
  mkdir -p "$dir"
  extra=()
  [ -n "${PIP_PYTHON_VERSION:-}" ] && extra=(--python-version "$PIP_PYTHON_VERSION" --only-binary=:all:)
  "$python" -m pip download --quiet --disable-pip-version-check -d "$dir" "${extra[@]}" \
    -r "$root/docker/requirements.txt"
  echo "$hash" >"$stamp"
fi
echo "$dir"
