"""Make datasets/quickstart/: the demo instruction dataset the quickstart's LoRA learns.

The task: "Format as JSON:\n<words>" answered with {"words":"<words>"}. The tiny base model
(scripts/make_tiny_model.py) can repeat and quote words and answer {"words":<count>}, but has never seen
this instruction or this output format, so it scores ~0 % exact match; a LoRA learns the format on top of
the base's copying skill in a couple of CPU minutes. The eval split holds word lists that never occur in the train split.

    python scripts/make_demo_dataset.py                       # writes datasets/quickstart/{train,eval}.jsonl
    python scripts/make_demo_dataset.py --out DIR --train 1000 --eval 100 --seed 7

Deterministic: the same arguments write the same bytes.
"""

import argparse
import json
import random
from pathlib import Path

from make_tiny_model import WORDS, sample_words

INSTRUCTION = "Format as JSON:\n"


def record(words: list[str]) -> dict:
    text = " ".join(words)
    answer = json.dumps({"words": text}, separators=(",", ":"))
    return {"messages": [{"role": "user", "content": INSTRUCTION + text}, {"role": "assistant", "content": answer}]}


def unique_word_lists(rng: random.Random, count: int, taken: set[str]) -> list[list[str]]:
    out = []
    while len(out) < count:
        words = sample_words(rng, 2, 7)
        key = " ".join(words)
        if key not in taken:
            taken.add(key)
            out.append(words)
    return out


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "datasets" / "quickstart")
    ap.add_argument("--train", type=int, default=1000, help="train rows (default 1000)")
    ap.add_argument("--eval", type=int, default=100, help="held-out eval rows (default 100)")
    ap.add_argument("--seed", type=int, default=7, help="differs from the model's pre-training seeds")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    taken: set[str] = set()
    eval_rows = [record(w) for w in unique_word_lists(rng, args.eval, taken)]
    train_rows = [record(w) for w in unique_word_lists(rng, args.train, taken)]
    args.out.mkdir(parents=True, exist_ok=True)
    write_jsonl(args.out / "train.jsonl", train_rows)
    write_jsonl(args.out / "eval.jsonl", eval_rows)
    print(f"wrote {len(train_rows)} train and {len(eval_rows)} eval rows to {args.out} ({len(WORDS)} words)")


if __name__ == "__main__":
    main()
