"""The preference losses, as plain functions of summed log-probabilities (TRL's DPOTrainer and KTOTrainer
were the reference read; the formulas are the papers').

Log-probabilities are sums over an answer's tokens (the prompt is masked). A reward is β·(log π − log π_ref):
how much more the policy likes an answer than the reference does. With policy = reference every reward is 0,
so the first step's DPO loss is −log σ(0) = ln 2 and KTO's is 1 − σ(0) = ½ per row (times its weight).
"""

from __future__ import annotations

import math

from .data import IGNORE
from .model import autocast

LN2 = math.log(2)


def sequence_logps(model, batch: dict, device: str, precision: str):
    """Per row: the summed log-probability of its trained tokens, and how many there are."""
    import torch.nn.functional as F

    ids = batch["input_ids"].to(device)
    labels = batch["labels"].to(device)[:, 1:]
    with autocast(device, precision):
        logits = model(input_ids=ids, position_ids=batch["position_ids"].to(device), use_cache=False).logits
    nll = F.cross_entropy(logits[:, :-1].float().transpose(1, 2), labels, ignore_index=IGNORE, reduction="none")
    return -nll.sum(-1), (labels != IGNORE).sum(-1)


def dpo_loss(policy, reference, counts, pairs: int, beta: float, loss: str):
    """Rows [0, pairs) are the chosen answers, [pairs, 2·pairs) the rejected ones, in the same order.
    → (loss per pair, chosen rewards, rejected rewards). ipo compares length-normalized log-probabilities
    and pulls the log-ratio margin towards 1/(2β) instead of pushing it without bound."""
    import torch.nn.functional as F

    if loss == "ipo":
        policy, reference = policy / counts, reference / counts
    chosen = policy[:pairs] - reference[:pairs]
    rejected = policy[pairs:] - reference[pairs:]
    margin = chosen - rejected
    losses = -F.logsigmoid(beta * margin) if loss == "sigmoid" else (margin - 1 / (2 * beta)) ** 2
    return losses, beta * chosen.detach(), beta * rejected.detach()


def dpo_initial_loss(beta: float, loss: str) -> float:
    """The loss when policy = reference (every log-ratio 0)."""
    return LN2 if loss == "sigmoid" else (1 / (2 * beta)) ** 2


def kto_loss(policy, reference, kl_policy, kl_reference, labels, beta: float, desirable: float, undesirable: float):
    """Unpaired: a desirable answer's loss falls as its reward rises above the batch's KL estimate, an
    undesirable one's as its reward falls below it. The KL estimate comes from mismatched prompt/answer
    pairs and carries no gradient (as in the KTO paper). → (loss per row, rewards, kl)."""
    import torch

    kl = (kl_policy - kl_reference).mean().clamp(min=0).detach()
    ratio = policy - reference
    good = desirable * (1 - torch.sigmoid(beta * (ratio - kl)))
    bad = undesirable * (1 - torch.sigmoid(beta * (kl - ratio)))
    return torch.where(labels, good, bad), beta * ratio.detach(), kl
