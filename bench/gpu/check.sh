#!/usr/bin/env bash
# The GPU check, as run on a lent H100 or H200 (no Docker, no network, no Node there): the real docker/train.py
# through bench/packing.py on a ~1B-parameter Llama built from a config with random weights, bf16,
# packing on and off. Carried in: .whl (jsonschema and its deps for the machine's Python 3.12) and .gpu
# (the Alpaca demo rows, since ../shared does not travel).
#   run: bash bench/gpu/check.sh   (writes the log to $OUT when set)
set -uo pipefail
out="${OUT:-/tmp}"
if ! python3 -c "import jsonschema" 2>/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .whl/*.whl && export PYTHONPATH=/tmp/site
fi
export PYTHONUNBUFFERED=1
{
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
  python3 -c "import torch, transformers, peft; print('torch', torch.__version__, 'transformers', transformers.__version__, 'peft', peft.__version__)"
  python3 bench/packing.py --data .gpu/alpaca_en_demo.json --device cuda --precision bf16 \
    --hidden 2048 --layers 18 --heads 16 --vocab 32000 --seq-len 2048 --batch 8 --steps 40 --warmup 5 \
    --workdir /tmp/gpu-bench
} 2>&1 | tee "$out/gpu-bench.log"
