"""DPO and KTO objectives for the training loop (objectives.py says what an objective is).

The reference model is the base with the adapter disabled (peft's disable_adapter()): no second copy of
the model, and at step 0 — LoRA's B is zero — the policy is exactly the reference. With an init_adapter (DPO on
top of an SFT run) the reference is that adapter, loaded a second time and frozen; the policy starts as a copy
of it. Either way the first step checks it (DPO's loss must be ln 2 then; a run that starts elsewhere would
train against the wrong anchor).
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

from .data import MicroBatches, trained_tokens
from .events import EXIT_FAILED, TrainerError
from .model import REFERENCE
from .losses import dpo_initial_loss, dpo_loss, kto_loss, sequence_logps
from .preference_data import collate_labelled, collate_pairs, read_rows

TOLERANCE = 0.01


class Preference:
    """What DPO and KTO share: rows read as token rows, batches made by `collate`, eval in file order."""

    method = ""
    collate = None

    def __init__(self, spec: dict, model, tokenizer, pad_id: int):
        t = spec["training"]
        self.settings = spec[self.method]
        self.pad_id, self.max_seq_len, self.micro_batch_size = pad_id, t["max_seq_len"], t["micro_batch_size"]
        rows, dropped = read_rows(spec["data"]["train"], tokenizer, t["max_seq_len"], self.method)
        if dropped:
            print(f"train: dropped {dropped} rows whose prompt fills max_seq_len", file=sys.stderr)
        self.examples = len(rows)
        self.stream = MicroBatches(rows, t["micro_batch_size"], t["seed"], pad_id, None, self._collate)
        self.eval_rows = None
        if spec["data"]["eval"] is not None:
            self.eval_rows = read_rows(spec["data"]["eval"], tokenizer, t["max_seq_len"], self.method)[0]
        disable_base_dropout(model)
        self.peft = model

    def _collate(self, rows, pad_id, _width):
        return type(self).collate(rows, pad_id, self.max_seq_len)

    def items(self, batches) -> int:
        """A step's loss is the mean over its rows."""
        return sum(b["rows"] for b, _ in batches)

    def log_probs(self, model, batch, device: str, precision: str):
        """The answers' summed log-probabilities under the policy and under the reference (no gradient)."""
        import torch

        policy, counts = sequence_logps(model, batch, device, precision)
        # The reference pass goes to the PEFT model itself: under DDP `model` is the wrapper, which has no
        # disable_adapter(), and a no-grad pass needs none of its gradient hooks.
        with torch.no_grad(), self.reference():
            reference, _ = sequence_logps(self.peft, batch, device, precision)
        return policy, reference, counts

    @contextmanager
    def reference(self):
        """The reference policy: the frozen init_adapter when the run has one, else the base (adapter off).
        set_adapter sets requires_grad on every adapter (peft 0.21): the reference is switched to in inference
        mode (all frozen) and the policy back as trainable, before the backward pass reads either."""
        if REFERENCE not in self.peft.peft_config:
            with self.peft.disable_adapter():
                yield
            return
        self.peft.set_adapter(REFERENCE, inference_mode=True)
        try:
            yield
        finally:
            self.peft.set_adapter("default")

    def loss(self, model, batch, num_items: int, device: str, precision: str):
        losses, stats = self.forward(model, batch, device, precision)
        return losses.sum() / num_items, stats

    def evaluate(self, model, device: str, precision: str) -> dict:
        import torch

        model.eval()
        total, tokens, stats = 0.0, 0, {}
        with torch.no_grad():
            for i in range(0, len(self.eval_rows), self.micro_batch_size):
                batch, _ = self._collate(self.eval_rows[i : i + self.micro_batch_size], self.pad_id, None)
                losses, batch_stats = self.forward(model, batch, device, precision)
                total += float(losses.sum())
                tokens += trained_tokens(batch)
                stats = {k: stats.get(k, 0.0) + v for k, v in batch_stats.items()}
        model.train()
        return {"eval_loss": total / len(self.eval_rows), "eval_tokens": tokens, **self.step_metrics(stats)}

    def check_first_step(self, loss: float, stats: dict) -> None:
        """Before any update the policy is the reference: the loss is the method's anchor (DPO: ln 2) and
        no answer's log-probability moved. A loss can sit near its anchor by chance, the drift cannot."""
        expected, drift = self.initial_loss(stats), stats["drift"] / stats["rows"]
        if abs(loss - expected) > TOLERANCE * max(1.0, expected) or drift > TOLERANCE:
            raise TrainerError(
                "reference-mismatch",
                f"the first {self.method.upper()} step's loss is {loss:.4f} where a policy that starts as its "
                f"reference gives {expected:.4f}, and its answers' log-probabilities differ from the reference's by "
                f"{drift:.4f} nats on average: the adapter does not start from the reference model (a LoRA "
                "initialised away from zero, or dropout outside the adapter?); nothing was trained",
                EXIT_FAILED,
            )


class Dpo(Preference):
    method = "dpo"
    collate = staticmethod(collate_pairs)

    def forward(self, model, batch, device: str, precision: str):
        policy, reference, counts = self.log_probs(model, batch, device, precision)
        pairs = batch["rows"]
        losses, chosen, rejected = dpo_loss(policy, reference, counts, pairs, self.settings["beta"], self.settings["loss"])
        stats = {
            "rows": pairs,
            "drift": float((policy - reference).abs().sum()) / 2,
            "rewards_chosen": float(chosen.sum()),
            "rewards_rejected": float(rejected.sum()),
            "correct": float((chosen > rejected).sum()),
        }
        return losses, stats

    def step_metrics(self, stats: dict) -> dict:
        n = stats["rows"]
        return {
            "rewards_chosen": stats["rewards_chosen"] / n,
            "rewards_rejected": stats["rewards_rejected"] / n,
            "reward_margin": (stats["rewards_chosen"] - stats["rewards_rejected"]) / n,
            "preference_accuracy": stats["correct"] / n,
        }

    def initial_loss(self, stats: dict) -> float:
        return dpo_initial_loss(self.settings["beta"], self.settings["loss"])


class Kto(Preference):
    method = "kto"
    collate = staticmethod(collate_labelled)

    def forward(self, model, batch, device: str, precision: str):
        import torch

        policy, reference, _ = self.log_probs(model, batch, device, precision)
        with torch.no_grad():  # the KL estimate carries no gradient
            kl_policy, kl_reference, _ = self.log_probs(model, batch["kl"], device, precision)
        labels = batch["label"].to(device)
        s = self.settings
        losses, rewards, kl = kto_loss(policy, reference, kl_policy, kl_reference, labels, s["beta"], s["desirable_weight"], s["undesirable_weight"])
        stats = {
            "rows": len(labels),
            "drift": float((policy - reference).abs().sum()),
            "desirable": float(labels.sum()),
            "rewards_chosen": float(rewards[labels].sum()),
            "rewards_rejected": float(rewards[~labels].sum()),
            "kl": float(kl),
            "batches": 1,
        }
        return losses, stats

    def step_metrics(self, stats: dict) -> dict:
        desirable, undesirable = stats["desirable"], stats["rows"] - stats["desirable"]
        metrics = {"kl": stats["kl"] / stats["batches"]}
        if desirable:
            metrics["rewards_chosen"] = stats["rewards_chosen"] / desirable
        if undesirable:
            metrics["rewards_rejected"] = stats["rewards_rejected"] / undesirable
        return metrics

    def initial_loss(self, stats: dict) -> float:
        s = self.settings
        undesirable = stats["rows"] - stats["desirable"]
        return 0.5 * (s["desirable_weight"] * stats["desirable"] + s["undesirable_weight"] * undesirable) / stats["rows"]


def disable_base_dropout(model) -> None:
    """The policy and reference passes must see the same base: dropout outside the adapter is turned off
    (LoRA's own dropout stays; it acts only on the adapter's path)."""
    import torch

    for name, module in model.named_modules():
        if isinstance(module, torch.nn.Dropout) and "lora_dropout" not in name:
            module.p = 0.0
        if isinstance(getattr(module, "attention_dropout", None), float):
            module.attention_dropout = 0.0
