#!/usr/bin/env bash
# The GPU check, as run on a lent H100 or H200 (no Docker, no network, no Node there): the real docker/train.py
# on a ~1B-parameter Llama built from a config with random weights, bf16, packed rows of 2048 tokens:
#   1. bench/throughput.py: tokens/s and MFU of each training.* speed switch against today's default path
#      (sdpa, plain AdamW), measured side by side in one run, with each variant's first losses;
#   2. while time is left, the GPU parity tests of docker/tests/test_kernels.py (flex attention and Liger's
#      Triton kernels cannot train on the CI's CPUs).
# Carried in: .whl (jsonschema and its deps, liger-kernel, for the machine's Python 3.12) and .gpu (the Alpaca
# demo rows, since ../shared does not travel). Make them here with: bash bench/gpu/carry.sh
#   run: bash bench/gpu/check.sh   (writes the log to $OUT when set; VARIANTS=a,b,… picks variants,
#        PROFILE=a,… profiles those variants' steps (bench/profile_steps.py), PARITY_S=0 skips the parity tests)
set -uo pipefail
out="${OUT:-/tmp}"
began=$SECONDS
python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .whl/*.whl && export PYTHONPATH=/tmp/site
export PYTHONUNBUFFERED=1
# Default: the best measured so far (37.99 % MFU on an H200, 2026-11-28) as the baseline, then what may take it past
# 40 %: varlen attention (attention was 25 % of the step, sdpa computing each packed row's whole block-diagonal),
# a larger batch, and torch.compile without Liger and with only Liger's fused loss.
variants="${VARIANTS:-sdpa+fused+liger+nodrop+b16,varlen+fused+liger+nodrop+b16,varlen+fused+liger+nodrop+b32,sdpa+fused+liger+nodrop+b32,sdpa+fused+nodrop+b16+compile,sdpa+fused+flce+nodrop+b16+compile}"
# Why a compiled variant is slow, if it is: recompiles and graph breaks go to each variant's stderr log (copied to $OUT).
export TORCH_LOGS="${TORCH_LOGS:-recompiles,graph_breaks}"
{
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
  python3 -c "import torch, transformers, peft, liger_kernel; print('torch', torch.__version__, 'transformers', transformers.__version__, 'peft', peft.__version__)"
  python3 bench/throughput.py --data .gpu/alpaca_en_demo.json --device cuda --precision bf16 \
    --hidden 2048 --layers 18 --heads 16 --vocab 32000 --seq-len 2048 --batch 8 --steps 20 --warmup 6 \
    --timeout 100 --workdir /tmp/gpu-bench --variants "$variants" --profile "${PROFILE:-}"
  left=$((${PARITY_S:-540} - (SECONDS - began)))
  echo "bench took $((SECONDS - began)) s; $left s left for the GPU parity tests"
  if [ "$left" -gt 60 ]; then
    timeout "$left" python3 -m pytest -q -p no:cacheprovider -p no:logging docker/tests/test_kernels.py -k on_gpu 2>&1 | tail -n 15
  fi
} 2>&1 | tee "$out/gpu-bench.log"
for f in /tmp/gpu-bench/*.stderr.log; do [ -f "$f" ] && cp "$f" "$out/"; done
exit 0
