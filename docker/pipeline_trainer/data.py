"""Formatted JSONL → tokenized examples → rows (packed or one example each) → micro-batches.

Packing: examples are packed whole into rows of at most max_seq_len tokens (best-fit decreasing) and each
example's position_ids restart at 0. With no attention_mask, transformers' masking utils turn those
position_ids into a block-diagonal causal mask (sdpa/eager), so examples never attend to each other —
docker/tests/test_data.py proves it by comparing losses. Without packing, rows are right-padded to the
longest in the batch; causal attention never lets a real token see the padding after it, so no mask is
passed either (and sdpa keeps its fast causal kernel).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from .events import EXIT_INPUT, TrainerError

IGNORE = -100


@dataclass
class Example:
    input_ids: list[int]
    labels: list[int]


def tokenize_example(tokenizer, segments: list[dict], max_seq_len: int) -> Example:
    """Concatenate the segments' tokens; untrained segments get label -100. Special-token text
    (`<|im_end|>`, `</s>`) inside a segment becomes the special token itself."""
    ids: list[int] = []
    labels: list[int] = []
    for seg in segments:
        tokens = tokenizer(seg["text"], add_special_tokens=False)["input_ids"]
        ids += tokens
        labels += tokens if seg["train"] else [IGNORE] * len(tokens)
    ids, labels = ids[:max_seq_len], labels[:max_seq_len]
    if labels:
        # The first token is never predicted alone; masking it keeps a packed neighbour from predicting it.
        labels[0] = IGNORE
    return Example(ids, labels)


def read_examples(path: str, tokenizer, max_seq_len: int) -> tuple[list[Example], int]:
    """Tokenized examples of a formatted JSONL file, and how many were dropped for having no trained token."""
    examples, dropped = [], 0
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                segments = json.loads(line)["segments"]
                example = tokenize_example(tokenizer, segments, max_seq_len)
            except (ValueError, KeyError, TypeError) as e:
                raise TrainerError("data", f"{path}:{line_no} › segments: {e}", EXIT_INPUT) from e
            if any(label != IGNORE for label in example.labels):
                examples.append(example)
            else:
                dropped += 1
    if not examples:
        raise TrainerError("data", f"{path}: no example has a trained token within max_seq_len", EXIT_INPUT)
    return examples, dropped


def pack(examples: list[Example], max_seq_len: int) -> list[list[Example]]:
    """Best-fit decreasing: each example goes whole into the fullest row it still fits in. Deterministic."""
    order = sorted(range(len(examples)), key=lambda i: (-len(examples[i].input_ids), i))
    rows: list[list[Example]] = []
    free: list[int] = []
    for i in order:
        need = len(examples[i].input_ids)
        fits = [r for r in range(len(rows)) if free[r] >= need]
        if fits:
            best = min(fits, key=lambda r: free[r])
            rows[best].append(examples[i])
            free[best] -= need
        else:
            rows.append([examples[i]])
            free.append(max_seq_len - need)
    return rows


def to_rows(examples: list[Example], packing: bool, max_seq_len: int) -> list[list[Example]]:
    return pack(examples, max_seq_len) if packing else [[e] for e in examples]


def collate(rows: list[list[Example]], pad_id: int, width: int | None = None):
    """A batch dict (input_ids, labels, position_ids) right-padded to its longest row (or to `width`), plus
    its real-token count. position_ids restart at 0 for every example; padding continues the last example's
    positions so that an unpacked batch stays one plain causal sequence per row."""
    import torch

    width = width or max(sum(len(e.input_ids) for e in row) for row in rows)
    ids, labels, positions = [], [], []
    for row in rows:
        r_ids = [t for e in row for t in e.input_ids]
        r_labels = [t for e in row for t in e.labels]
        r_pos = [p for e in row for p in range(len(e.input_ids))]
        pad = width - len(r_ids)
        start = len(row[-1].input_ids)
        ids.append(r_ids + [pad_id] * pad)
        labels.append(r_labels + [IGNORE] * pad)
        positions.append(r_pos + list(range(start, start + pad)))
    real_tokens = sum(len(e.input_ids) for row in rows for e in row)
    batch = {
        "input_ids": torch.tensor(ids),
        "labels": torch.tensor(labels),
        "position_ids": torch.tensor(positions),
    }
    return batch, real_tokens


def trained_tokens(batch: dict) -> int:
    return int((batch["labels"] != IGNORE).sum())


class MicroBatches:
    """The training order as one endless stream of micro-batches: epoch e visits the rows in the order of
    randperm(seed + e). A position in the stream is all that resuming needs."""

    def __init__(self, rows: list, micro_batch_size: int, seed: int, pad_id: int, width: int | None = None, collate_fn=None):
        """width: pad every batch to it (compiled layers see one static shape), else to its longest row.
        collate_fn(rows, pad_id, width): how rows become a batch; default `collate` (rows of packed examples)."""
        self.rows, self.size, self.seed, self.pad_id, self.width = rows, micro_batch_size, seed, pad_id, width
        self.collate = collate_fn or collate
        self.per_epoch = math.ceil(len(rows) / micro_batch_size)
        self._order: tuple[int, list[int]] | None = None

    def at(self, position: int):
        import torch

        epoch, index = divmod(position, self.per_epoch)
        if self._order is None or self._order[0] != epoch:
            gen = torch.Generator().manual_seed(self.seed + epoch)
            self._order = (epoch, torch.randperm(len(self.rows), generator=gen).tolist())
        chosen = self._order[1][index * self.size : (index + 1) * self.size]
        return self.collate([self.rows[i] for i in chosen], self.pad_id, self.width)


def step_positions(position: int, accumulation: int, rank: int, world_size: int) -> list[int]:
    """The stream positions of the micro-batches this rank trains in the step that starts at `position`.
    A step takes accumulation × world_size micro-batches and the ranks take turns, so their union does not
    depend on how the work is split: one process accumulating 2 × A micro-batches trains on exactly what two
    processes accumulating A do, and a resumed run continues from the same global position."""
    return [position + i * world_size + rank for i in range(accumulation)]
