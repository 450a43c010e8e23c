# Sourced by the test servers' scripts (s3-server.sh, tracking-server.sh): wait for a server started in the
# background to answer, and stop it, by the pid it left in DIR/server.pid.

# wait_ready NAME URL DIR SECONDS: prints URL's origin once URL answers; fails with the log if the server dies.
wait_ready() {
  local name="$1" url="$2" dir="$3" seconds="$4"
  for _ in $(seq 1 $((seconds * 5))); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then
      echo "$url" | sed -E 's#^(https?://[^/]+).*#\1#'
      return
    fi
    kill -0 "$(cat "$dir/server.pid")" 2>/dev/null || { tail -n 40 "$dir/server.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "$name did not answer within $seconds s; see $dir/server.log" >&2
  exit 1
}

# stop_server DIR: the server (and the workers it started) get SIGTERM, then SIGKILL after 5 s.
stop_server() {
  local dir="$1"
  [[ -f "$dir/server.pid" ]] || return 0
  local pid
  pid="$(cat "$dir/server.pid")"
  pkill -TERM -P "$pid" 2>/dev/null || true
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  pkill -KILL -P "$pid" 2>/dev/null || true
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/server.pid"
}
