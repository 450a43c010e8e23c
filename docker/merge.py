"""Merge a LoRA adapter into its base model: safetensors weights and the tokenizer, for plain transformers.

    python docker/merge.py --model BASE --adapter DIR --out DIR

Loads the base as generate.py does (its saved dtype), applies the adapter with peft, folds it into the
weights (`merge_and_unload`) and saves model and tokenizer to --out, which must not exist (the caller writes
into a fresh folder and renames it, so a failure leaves nothing half-written where the user looks).
One JSON line goes to stdout: {"out": ..., "files": [...]}.
"""

import argparse
import json
import sys
from pathlib import Path

from peft import PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="base model directory or hub id")
    ap.add_argument("--adapter", required=True, type=Path, help="PEFT adapter directory")
    ap.add_argument("--out", required=True, type=Path, help="the folder to create")
    args = ap.parse_args()
    if args.out.exists():
        ap.error(f"--out {args.out} exists")
    base = AutoModelForCausalLM.from_pretrained(args.model, dtype="auto")
    merged = PeftModel.from_pretrained(base, args.adapter).merge_and_unload()
    merged.save_pretrained(args.out, safe_serialization=True)
    AutoTokenizer.from_pretrained(args.model).save_pretrained(args.out)
    files = sorted(p.name for p in args.out.iterdir())
    print(json.dumps({"out": str(args.out), "files": files}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
