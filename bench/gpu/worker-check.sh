#!/usr/bin/env bash
# The queue on a lent GPU machine (no Docker, no network, no Node there): `pipeline worker` discovers the GPUs
# with nvidia-smi, takes a queued job asking for one GPU, runs it through `pipeline run` (local runtime, the
# machine's own torch) with CUDA_VISIBLE_DEVICES set, prices it at the GPU's rate from pipeline.workspace.yaml,
# and serves /metrics while it trains. Carried in: dist/ (built here), .gpu/ (node.tar.xz: the Node 24 binary;
# nm.tar.xz: production node_modules; tiny-<hash>: the built-in tiny model) and .whl/ (jsonschema for the
# machine's Python 3.12).
#   run: bash bench/gpu/worker-check.sh   (writes its log and the run's files to $OUT)
set -uo pipefail
out="${OUT:-/tmp/worker-check}"
mkdir -p "$out" /tmp/node
tar -xJf .gpu/node.tar.xz -C /tmp/node && tar -xJf .gpu/nm.tar.xz
export PATH="/tmp/node/bin:$PATH" PIPELINE_CACHE=/tmp/pipeline-cache PIPELINE_PYTHON=python3 PYTHONUNBUFFERED=1 CI=1
mkdir -p "$PIPELINE_CACHE/models" && cp -r .gpu/tiny-* "$PIPELINE_CACHE/models/"
if ! python3 -c "import jsonschema" 2>/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .whl/*.whl && export PYTHONPATH=/tmp/site
fi
cat >configs/gpu.yaml <<'YAML'
extends: quickstart.yaml
device: cuda
training:
  precision: bf16
YAML
cat >pipeline.workspace.yaml <<'YAML'
currency: USD
rates: { H100: 2.49, H200: 3.49, cpu: 0.1 }
budgets:
  default: { daily: 50, monthly: 1000 }
jobs: { max_hours: 1 }
YAML
{
  nvidia-smi --query-gpu=index,name,memory.total --format=csv,noheader
  node --version
  node bin/pipeline.js queue add configs/gpu.yaml --gpus 1 --max-hours 0.5
  node bin/pipeline.js worker --once --poll-ms 500 --metrics-port 9464 &
  worker=$!
  for i in $(seq 1 240); do
    sleep 1
    node -e "fetch('http://127.0.0.1:9464/metrics').then((r) => r.text()).then((t) => process.stdout.write(t))" \
      >"$out/metrics.txt" 2>/dev/null
    if grep -q '^pipeline_job_step{' "$out/metrics.txt"; then
      cp "$out/metrics.txt" "$out/metrics-while-training.txt"
      break
    fi
  done
  node bin/pipeline.js status
  wait "$worker"
  echo "worker exit: $?"
  node bin/pipeline.js queue list
  node bin/pipeline.js status --json
} 2>&1 | tee "$out/worker-check.log"
run="$(ls -d runs/*/ | head -n 1)"
cp "$run"/report.md "$run"/report.json "$run"/events.jsonl "$run"/worker.log "$run"/run.json "$out/" 2>/dev/null
exit 0
