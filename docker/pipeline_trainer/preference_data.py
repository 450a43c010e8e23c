"""Formatted preference files → token rows → micro-batches.

DPO rows are {prompt, chosen, rejected} and KTO rows {prompt, completion, label} (src/dataset/format writes
them): the rendered prompt and each answer's text, tokenized apart as SFT segments are, the prompt masked.
A batch of n pairs holds the n chosen sequences, then the n rejected ones (one forward pass for both).
"""

from __future__ import annotations

import json

from .data import IGNORE, Example, collate
from .events import EXIT_INPUT, TrainerError

KEYS = {"dpo": ("prompt", "chosen", "rejected"), "kto": ("prompt", "completion", "label")}
SHAPES = {"dpo": "preference pairs", "kto": "KTO rows (messages + label)"}


def example(prompt: list[int], answer: list[int], max_seq_len: int) -> Example:
    """The prompt then the answer, cut at max_seq_len; only the answer is trained."""
    ids = (prompt + answer)[:max_seq_len]
    labels = ([IGNORE] * len(prompt) + answer)[:max_seq_len]
    labels[0] = IGNORE
    return Example(ids, labels)


def read_rows(path: str, tokenizer, max_seq_len: int, task: str) -> tuple[list[tuple], int]:
    """(prompt ids, answer ids…[, label]) per row, and how many rows were dropped because the prompt
    leaves no room for an answer within max_seq_len."""
    keys = KEYS[task]
    rows, dropped = [], 0
    tokens = lambda text: tokenizer(text, add_special_tokens=False)["input_ids"]  # noqa: E731
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if not all(key in row for key in keys):
                got = ", ".join(sorted(row)) or "none"
                raise TrainerError(
                    "data",
                    f"{path}:{line_no}: a {task} row needs {', '.join(keys)} (got {got}); training.method {task} trains on {SHAPES[task]}",
                    EXIT_INPUT,
                )
            prompt = tokens(row["prompt"])
            if len(prompt) >= max_seq_len - 1:
                dropped += 1
                continue
            answers = [tokens(row[key]) for key in keys[1:] if key != "label"]
            rows.append((prompt, *answers, bool(row["label"])) if task == "kto" else (prompt, *answers))
    if not rows:
        raise TrainerError("data", f"{path}: no row leaves room for an answer within max_seq_len {max_seq_len}", EXIT_INPUT)
    return rows, dropped


def collate_pairs(rows: list[tuple], pad_id: int, max_seq_len: int):
    """n pairs → one batch of 2n sequences (chosen first), its real-token count; batch["rows"] = n."""
    chosen = [example(p, c, max_seq_len) for p, c, _ in rows]
    rejected = [example(p, r, max_seq_len) for p, _, r in rows]
    batch, real = collate([[e] for e in chosen + rejected], pad_id)
    batch["rows"] = len(rows)
    return batch, real


def collate_labelled(rows: list[tuple], pad_id: int, max_seq_len: int):
    """n labelled answers → their batch, with batch["kl"]: prompt i with answer i+1 (mismatched pairs,
    for the KL estimate), batch["label"] and batch["rows"] = n."""
    import torch

    batch, real = collate([[example(p, c, max_seq_len)] for p, c, _ in rows], pad_id)
    shifted = [rows[(i + 1) % len(rows)][1] for i in range(len(rows))]
    batch["kl"] = collate([[example(p, c, max_seq_len)] for (p, _, _), c in zip(rows, shifted)], pad_id)[0]
    batch["label"] = torch.tensor([label for _, _, label in rows])
    batch["rows"] = len(rows)
    return batch, real
