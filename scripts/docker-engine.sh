#!/usr/bin/env bash
# Install (if missing) and start a local Docker engine, idempotently.
# The daemon runs without its default bridge and without iptables rules: containers use
# `--network none` or `--network host` (see ENVIRONMENT.md: no traffic to private ranges).
set -euo pipefail

STATE_DIR="${PIPELINE_DOCKER_STATE:-$HOME/.cache/pipeline/docker}"
LOG="$STATE_DIR/dockerd.log"
PIDFILE="$STATE_DIR/dockerd.pid"
WAIT_S="${PIPELINE_DOCKER_WAIT_S:-60}"
mkdir -p "$STATE_DIR"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v dockerd >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
  echo "docker-engine: installing docker.io and debootstrap"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq docker.io debootstrap >/dev/null
fi

if docker info >/dev/null 2>&1; then
  echo "docker-engine: daemon already answering"
  exit 0
fi

echo "docker-engine: starting dockerd (log: $LOG)"
# setsid: the daemon must outlive this script and not get the caller's signals.
as_root setsid dockerd --bridge=none --iptables=false --ip6tables=false \
  --pidfile "$PIDFILE" >>"$LOG" 2>&1 < /dev/null &

for _ in $(seq 1 "$WAIT_S"); do
  if docker info >/dev/null 2>&1; then
    echo "docker-engine: daemon ready"
    exit 0
  fi
  sleep 1
done
echo "docker-engine: dockerd did not answer within ${WAIT_S}s; last log lines:" >&2
tail -n 20 "$LOG" >&2
exit 1
