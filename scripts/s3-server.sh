#!/usr/bin/env bash
# A real S3 server on loopback for the tests and the upload benchmark.
#
#   scripts/s3-server.sh install             install once into ~/.cache/pipeline (idempotent); prints the server
#   scripts/s3-server.sh start PORT DATADIR  start on 127.0.0.1:PORT, wait until it answers, print the endpoint
#   scripts/s3-server.sh stop DATADIR        stop the server started with that DATADIR
#   scripts/s3-server.sh which               the server `start` runs: "minio BIN" or "moto BIN"
#                                            (PIPELINE_S3_SERVER=moto picks moto even when MinIO is built)
#
# MinIO (the preferred server) is built by `install` from its Go module at a pinned version into
# ~/.cache/pipeline/bin (once: 447 s on a busy 2-core machine, then cached); `start` uses it when it is there.
# Only when it cannot be built (no Go toolchain, a failed build) does `install` fall back to moto's standalone
# server (real HTTP S3, in memory), and it says so.
# Credentials: any AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY work with moto; MinIO gets them as its root user.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/loopback-server.sh"
cache="${PIPELINE_CACHE:-$HOME/.cache/pipeline}"
moto_version="5.2.5"
moto_venv="$cache/venvs/moto"
minio_module="github.com/minio/minio@v0.0.0-20260212201848-7aac2a2c5b7c"

build_minio() {
  command -v go >/dev/null || { echo "no Go toolchain to build MinIO" >&2; return 1; }
  echo "building MinIO ($minio_module) into $cache/bin — once, several minutes on a small machine" >&2
  local started
  started=$(date +%s)
  mkdir -p "$cache/bin"
  GOBIN="$cache/bin" GOFLAGS=-mod=mod go install -trimpath -ldflags="-s -w" "$minio_module" >&2 || return 1
  echo "built MinIO in $(($(date +%s) - started)) s" >&2
}

# Prints "minio BIN" or "moto BIN": the server `start` will run.
installed() {
  if [[ "${PIPELINE_S3_SERVER:-}" == moto ]]; then moto; return; fi
  if [[ -x "$cache/bin/minio" ]]; then echo "minio $cache/bin/minio"; else moto; fi
}

install() {
  if [[ -x "$cache/bin/minio" ]] || build_minio; then echo "minio $cache/bin/minio"; return; fi
  echo "MinIO could not be built; the S3 tests and benchmark use moto's server instead" >&2
  moto
}

moto() {
  if ! "$moto_venv/bin/python" -c "import moto, moto.server; assert moto.__version__ == '$moto_version'" 2>/dev/null; then
    python3 -m venv "$moto_venv" >&2
    "$moto_venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$moto_version" >&2
  fi
  echo "moto $moto_venv/bin/moto_server"
}

start() {
  local port="$1" dir="$2"
  mkdir -p "$dir"
  read -r kind bin < <(installed)
  if [[ "$kind" == minio ]]; then
    MINIO_ROOT_USER="${AWS_ACCESS_KEY_ID:-pipeline-test}" MINIO_ROOT_PASSWORD="${AWS_SECRET_ACCESS_KEY:-pipeline-test-secret}" \
      nohup "$bin" server --quiet --address "127.0.0.1:$port" "$dir/data" >"$dir/server.log" 2>&1 &
    ready="/minio/health/live"
  else
    nohup "$bin" -H 127.0.0.1 -p "$port" >"$dir/server.log" 2>&1 &
    ready="/moto-api/"
  fi
  echo $! >"$dir/server.pid"
  wait_ready "the S3 server on port $port" "http://127.0.0.1:$port$ready" "$dir" 30
}

case "${1:-}" in
  install) install ;;
  which) installed ;;
  start) start "${2:?port}" "${3:?data directory}" ;;
  stop) stop_server "${2:?data directory}" ;;
  *) echo "usage: $0 install | which | start PORT DATADIR | stop DATADIR" >&2; exit 2 ;;
esac
