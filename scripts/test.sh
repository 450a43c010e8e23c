#!/usr/bin/env bash
# Runs every test from a fresh clone: installs what the tests need (Node 24, npm packages, system packages, the
# Docker engine and a local base image, an S3 server, the trainer's Python venv), then
# static checks, then the Python trainer tests and the vitest suites side by side. Everything slow is cached in
# ~/.cache/pipeline; the independent installs run side by side (their logs go to a temp folder, shown when one fails).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/bootstrap.sh

echo "› system packages (Chromium, Docker engine, debootstrap, OpenSSH server)"
bash scripts/system-packages.sh

logs="$(mktemp -d)"
declare -A jobs=()
background() { # background NAME COMMAND...: runs beside the rest, logged
  local name="$1"
  shift
  ("$@") >"$logs/$name.log" 2>&1 &
  jobs[$name]=$!
}
finish() { # finish NAME: waits for a background job; on failure shows its log and stops
  if ! wait "${jobs[$1]}"; then
    echo "✖ $1 failed; its log:" >&2
    tail -n 40 "$logs/$1.log" >&2
    exit 1
  fi
  sed 's/^/  /' "$logs/$1.log"
}
pytest_pid=""
stop_all() { # on any exit: the background installs, and pytest with every process it started (its own group)
  kill "${jobs[@]}" 2>/dev/null || true
  [[ -z "$pytest_pid" ]] || kill -- "-$pytest_pid" 2>/dev/null || true
}
trap stop_all EXIT

echo "› in the background: Docker engine + local base image; S3 test server; MLflow's tracking server"
background docker bash -c "bash scripts/docker-engine.sh && bash scripts/docker-base-image.sh"
background s3 bash scripts/s3-server.sh install
background mlflow bash scripts/tracking-server.sh install

echo "› trainer wheels (cached), used by the trainer image and the venv"
wheels="$(bash scripts/docker-wheels.sh python3 | tail -n 1)"

# uv (what scripts/make_venv.py installs with) beside the wheels, so the venv is made offline from that folder.
uv_pin="$(sed -n 's/^UV = "\(.*\)"$/\1/p' scripts/make_venv.py)"
ls "$wheels/uv-${uv_pin#uv==}-"* >/dev/null 2>&1 || python3 -m pip download --quiet --disable-pip-version-check --no-deps -d "$wheels" "$uv_pin"
echo "› the trainer's venv from the wheels (no second download; cached)"
python="$(PIP_FIND_LINKS="$wheels" PIP_NO_INDEX=1 node bin/pipeline.js setup | sed -n 's/^python: //p')"
"$python" -c "import pytest" 2>/dev/null || "$python" -m pip install --quiet --disable-pip-version-check "pytest==9.2.0"

# pytest (one core: OMP_NUM_THREADS=1; its longest test, the tiny-model rebuild, is single-threaded) beside the
# rest, as soon as its venv is there: the static checks, the installs below and the vitest suites. setsid gives
# it a process group of its own to stop on exit.
echo "› in the background: Python trainer tests (log: $logs/pytest.log)"
OMP_NUM_THREADS=1 setsid "$python" -m pytest -q --durations=15 docker/tests scripts/tests >"$logs/pytest.log" 2>&1 &
pytest_pid=$!

echo "› static checks (typecheck, lint, format, generated schemas)"
npm run --silent typecheck
npm run --silent lint
npm run --silent format:check

echo "› in the background: the docker tests' trainer image (built offline once per trainer version)"
finish docker
background image npx tsx -e 'import("./test/helpers/docker.ts").then((m) => console.log(m.testImage()))'

echo "› in the background: the tracking writers' venv (TensorBoard, W&B; cached), which a tracked run makes on first use otherwise"
background writers node bin/pipeline.js setup --tracking

echo "› in the background: the Ray test cluster's Python (ray[default] + boto3 over the trainer's venv; cached)"
background ray bash scripts/ray-venv.sh

echo "› waiting for the background installs"
finish image
finish s3
finish ray
finish mlflow
finish writers

echo "› TypeScript unit, integration and end-to-end tests (pytest still running beside them)"
vitest_status=0
PIPELINE_PYTHON="$python" npx vitest run || vitest_status=$?

echo "› waiting for the Python trainer tests"
pytest_status=0
wait "$pytest_pid" || pytest_status=$?
pytest_pid=""
if ((pytest_status == 0)); then
  tail -n 20 "$logs/pytest.log" | sed 's/^/  /'
else
  echo "✖ Python trainer tests failed (exit $pytest_status); the end of their log:" >&2
  tail -n 80 "$logs/pytest.log" >&2
fi
echo "› results: vitest exit $vitest_status, pytest exit $pytest_status"
((vitest_status == 0 && pytest_status == 0))
