"""Run under torchrun by test_fsdp.py: trains the spec in this process and writes what the rank holds
afterwards to <out>/rank-N.pt: each weight's local (shard) size and the adapter's full weights."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402
from pipeline_trainer import distributed as dist  # noqa: E402
from pipeline_trainer.events import Events  # noqa: E402
from pipeline_trainer.signals import StopFlag  # noqa: E402
from pipeline_trainer.spec import load_spec  # noqa: E402
from train import SCHEMA_PATH, train  # noqa: E402


def local(p):
    return p.to_local() if hasattr(p, "to_local") else p


def full(p):
    return p.full_tensor() if hasattr(p, "full_tensor") else p


spec = load_spec(sys.argv[1], SCHEMA_PATH)
rank = dist.launched_rank()
model = train(spec, Events(main=rank == 0), StopFlag())
held = {
    "frozen_local": sum(local(p).numel() for p in model.parameters() if not p.requires_grad),
    "frozen_total": sum(p.numel() for p in model.parameters() if not p.requires_grad),
    "adapter": {n: full(p).detach().cpu() for n, p in model.named_parameters() if p.requires_grad},
}
torch.save(held, Path(sys.argv[2]) / f"rank-{rank}.pt")
dist.leave()
