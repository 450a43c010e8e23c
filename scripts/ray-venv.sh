#!/usr/bin/env bash
# The Python of the Ray test cluster (test/helpers/ray-cluster.ts) and of bench/ray-scaling.ts: Ray and boto3
# (docker/requirements-cluster.txt) in a venv of their own, layered over the trainer's venv through a .pth
# file, so the ~3 GB trainer stack is not installed twice. A cluster node needs exactly this: the trainer's
# stack and docker/requirements-cluster.txt in the Python that `ray start` runs from.
#
#   scripts/ray-venv.sh          make it once (cached by the requirements' hash), print "python: …"
#
# Keyed by the hash of both requirements files; `.ready` is written last, so a half-made venv is rebuilt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cache="${PIPELINE_CACHE:-$HOME/.cache/pipeline}"
PATH="$PWD/.tools/node/bin:$PATH" # the project's Node 24 (scripts/bootstrap.sh)
trainer_python="$(node bin/pipeline.js setup | sed -n 's/^python: //p')"
key="$(cat docker/requirements.txt docker/requirements-cluster.txt | sha256sum | cut -c1-12)"
venv="$cache/venvs/ray-$key"
exec 9>"$venv.lock"
flock 9
if [[ ! -f "$venv/.ready" ]]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r docker/requirements-cluster.txt
  site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  "$trainer_python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' >"$site/pipeline-trainer.pth"
  "$venv/bin/python" -c "import ray, boto3, torch, transformers, peft" # the layered stack imports
  date -u +%FT%TZ >"$venv/.ready"
fi
echo "python: $venv/bin/python"
