"""What a training method brings to the one training loop: its data stream, its loss and its eval.

train.py drives any objective the same way (accumulation, clipping, schedule, checkpoints, resume); an
objective says what a micro-batch's loss is and which numbers a step and an eval report beside the loss.
SFT lives here; DPO and KTO in preference.py.
"""

from __future__ import annotations

import sys

from .data import MicroBatches, read_examples, to_rows, trained_tokens
from .model import batch_loss, evaluate


class Sft:
    """Next-token loss on the trained spans, per token over the whole step."""

    method = "sft"

    def __init__(self, spec: dict, tokenizer, pad_id: int):
        t = spec["training"]
        examples, dropped = read_examples(spec["data"]["train"], tokenizer, t["max_seq_len"])
        if dropped:
            print(f"train: dropped {dropped} examples with no trained token within max_seq_len", file=sys.stderr)
        # Compiled layers get one static shape when rows are packed (full already, so the padding is small).
        width = t["max_seq_len"] if t["compile"] and t["packing"] else None
        self.examples = len(examples)
        self.stream = MicroBatches(to_rows(examples, t["packing"], t["max_seq_len"]), t["micro_batch_size"], t["seed"], pad_id, width)
        self.eval_rows = None
        if spec["data"]["eval"] is not None:
            self.eval_rows = to_rows(read_examples(spec["data"]["eval"], tokenizer, t["max_seq_len"])[0], t["packing"], t["max_seq_len"])
        self.micro_batch_size, self.pad_id = t["micro_batch_size"], pad_id

    def items(self, batches) -> int:
        """What the step's loss is averaged over: its trained tokens."""
        return sum(trained_tokens(b) for b, _ in batches)

    def loss(self, model, batch, num_items: int, device: str, precision: str):
        return batch_loss(model, batch, num_items, device, precision), {}

    def step_metrics(self, stats: dict) -> dict:
        return {}

    def check_first_step(self, loss: float, stats: dict) -> None:
        pass

    def evaluate(self, model, device: str, precision: str) -> dict:
        loss, count = evaluate(model, self.eval_rows, self.micro_batch_size, self.pad_id, device, precision)
        return {"eval_loss": loss, "eval_tokens": count}


def make_objective(spec: dict, model, tokenizer, pad_id: int):
    """The objective of spec.task."""
    if spec["task"] == "sft":
        return Sft(spec, tokenizer, pad_id)
    from .preference import Dpo, Kto

    return (Dpo if spec["task"] == "dpo" else Kto)(spec, model, tokenizer, pad_id)


def add_stats(total: dict, stats: dict) -> dict:
    """Micro-batch sums added up over a step."""
    for key, value in stats.items():
        total[key] = total.get(key, 0.0) + value
    return total
