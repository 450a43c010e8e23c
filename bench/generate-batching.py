"""Benchmark: batched generation against one-at-a-time generation on the same cases (not a test).

It loads a model once and runs docker/generate.py's own `generate` over the same formatted prompts twice —
batch size 1, then batch size N — greedy, same seed, and prints useful tokens/s of each (new tokens up to
and including the stop token, over the wall time of the generation loop) and their ratio. The prompts are
the first 64 rows of datasets/quickstart/eval.jsonl rendered as ChatML, as `pipeline run` formats them.

    python scripts/make_tiny_model.py --out /tmp/tiny --steps 20
    python bench/generate-batching.py --model /tmp/tiny                       # CPU, 2 threads
    python bench/generate-batching.py --model /tmp/tiny --device cuda --batch-size 64

Greedy outputs of the two runs are also compared: left padding changes float rounding, so a few may
differ on a model whose top two logits are close; the count is printed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import torch

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "docker"))
import generate as payload  # noqa: E402  (docker/generate.py)


def quickstart_cases(n: int, bos: str) -> list[dict]:
    rows = (REPO / "datasets" / "quickstart" / "eval.jsonl").read_text().splitlines()[:n]
    cases = []
    for i, line in enumerate(rows):
        user, assistant = (m["content"] for m in json.loads(line)["messages"])
        prompt = f"{bos}<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n"
        cases.append({"index": i, "prompt_segments": [{"text": prompt, "train": False}], "reference": assistant})
    return cases


def timed_run(args, tokenizer, model, device, cases, batch_size: int) -> tuple[float, int, list[str]]:
    run_args = SimpleNamespace(batch_size=batch_size, max_new_tokens=args.max_new_tokens, loss=False)
    torch.manual_seed(0)
    began = time.perf_counter()
    results = payload.generate(run_args, tokenizer, model, device, [dict(c) for c in cases])
    seconds = time.perf_counter() - began
    return seconds, sum(r["new_tokens"] for r in results), [r["output"] for r in results]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--cases", type=int, default=64)
    ap.add_argument("--batch-size", type=int, default=64, help="64: all the cases in one batch")
    ap.add_argument("--max-new-tokens", type=int, default=32)
    ap.add_argument("--device", choices=["auto", "cpu", "cuda"], default="cpu")
    ap.add_argument("--threads", type=int, default=2, help="CPU threads for torch")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    tokenizer, model, device = payload.load_model(SimpleNamespace(model=args.model, adapter=None, device=args.device))
    cases = quickstart_cases(args.cases, tokenizer.bos_token or "")
    timed_run(args, tokenizer, model, device, cases[:4], 4)  # warm-up: first-call allocations and kernels

    one_s, one_tokens, one_out = timed_run(args, tokenizer, model, device, cases, 1)
    many_s, many_tokens, many_out = timed_run(args, tokenizer, model, device, cases, args.batch_size)
    one_rate, many_rate = one_tokens / one_s, many_tokens / many_s
    same = sum(a == b for a, b in zip(one_out, many_out))
    print(f"cases {len(cases)}, max_new_tokens {args.max_new_tokens}, device {device}, threads {args.threads}")
    print(f"one at a time : {one_tokens} tokens in {one_s:.2f} s = {one_rate:.1f} tokens/s")
    print(f"batch size {args.batch_size:<3}: {many_tokens} tokens in {many_s:.2f} s = {many_rate:.1f} tokens/s")
    print(f"speed-up      : {many_rate / one_rate:.2f}x  (identical greedy outputs: {same}/{len(cases)})")


if __name__ == "__main__":
    main()
