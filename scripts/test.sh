#!/usr/bin/env bash
# Runs every test from a fresh clone: installs what the tests need (Node 24, npm packages, the trainer's
# Python venv, the built-in tiny model), then static checks, the Python trainer tests and the vitest suites.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/bootstrap.sh

echo "› static checks (typecheck, lint, format, generated schemas)"
npm run --silent typecheck
npm run --silent lint
npm run --silent format:check

echo "› trainer environment (created once, then cached)"
python="$(node bin/pipeline.js setup | sed -n 's/^python: //p')"
"$python" -c "import pytest" 2>/dev/null || "$python" -m pip install --quiet --disable-pip-version-check "pytest==9.2.0"

echo "› Python trainer tests"
"$python" -m pytest -q docker/tests scripts/tests

echo "› headless Chromium for the HTML report test"
command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

echo "› Docker engine, local base image, trainer wheels (each cached; the docker tests build the image)"
bash scripts/docker-engine.sh
bash scripts/docker-base-image.sh
bash scripts/docker-wheels.sh "$python" >/dev/null

echo "› OpenSSH server for the remote-engine tests (they start their own sshd on 127.0.0.1)"
bash scripts/ssh-server.sh

echo "› S3 test server for the checkpoint-store tests (installed once into ~/.cache/pipeline, then cached)"
bash scripts/s3-server.sh install

echo "› TypeScript unit, integration and end-to-end tests"
PIPELINE_PYTHON="$python" npx vitest run
