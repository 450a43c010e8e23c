#!/usr/bin/env bash
# MLflow's tracking server on loopback, for the experiment-tracking tests.
#
#   scripts/tracking-server.sh install            install once into ~/.cache/pipeline/venvs (idempotent); prints the venv
#   scripts/tracking-server.sh start PORT DIR     start on 127.0.0.1:PORT (store and artifacts in DIR), wait until it
#                                                 answers, print its URI
#   scripts/tracking-server.sh stop DIR           stop the server started with that DIR (DIR keeps its data: start it again)
#
# The server is PyPI's `mlflow` at a pinned version in its own venv (a few hundred MB: it is the full server, never
# part of the trainer's venv). One worker, a SQLite store and `--serve-artifacts` (the mlflow-artifacts proxy the
# orchestrator uploads through).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/loopback-server.sh"
cache="${PIPELINE_CACHE:-$HOME/.cache/pipeline}"
version="3.17.2"
venv="$cache/venvs/mlflow-$version"

install() {
  if [[ ! -f "$venv/.ready" ]]; then
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check "mlflow==$version" >&2
    touch "$venv/.ready"
  fi
  echo "$venv"
}

start() {
  local port="$1" dir="$2"
  mkdir -p "$dir/artifacts"
  [[ -f "$venv/.ready" ]] || { echo "MLflow is not installed: run $0 install" >&2; exit 1; }
  nohup "$venv/bin/mlflow" server --host 127.0.0.1 --port "$port" --workers 1 \
    --backend-store-uri "sqlite:///$dir/mlflow.db" --artifacts-destination "$dir/artifacts" --serve-artifacts \
    >>"$dir/server.log" 2>&1 &
  echo $! >"$dir/server.pid"
  wait_ready "MLflow on port $port" "http://127.0.0.1:$port/health" "$dir" 120
}

case "${1:-}" in
  install) install ;;
  start) start "${2:?port}" "${3:?directory}" ;;
  stop) stop_server "${2:?directory}" ;;
  *) echo "usage: $0 install | start PORT DIR | stop DIR" >&2; exit 2 ;;
esac
