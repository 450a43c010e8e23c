"""Several training processes: torchrun starts them (one per GPU, on one machine or on each node of a
cluster), this file joins them into one run (DDP, or FSDP with strategy fsdp: fsdp.py).

    python -m torch.distributed.run --standalone --nproc-per-node 2 docker/train.py --spec spec.json

torchrun sets RANK, WORLD_SIZE, LOCAL_RANK and the rendezvous address; the spec says how many processes it
expects (distributed.world_size), so a launch that does not match is refused before the model loads. Every
rank holds the whole model (DDP: LoRA's weights are small); the gradients of the trainable weights are
averaged across ranks after each step. The data stream is one global order of micro-batches that the ranks
take turns in (data.py), so a step sees the same micro-batches whatever the number of processes. Rank 0 alone
writes events, checkpoints and the adapter. Under fsdp each rank holds a shard of every weight instead, and every
rank joins every forward (evals included); the loop, the data order and the checkpoint format are the same.
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from dataclasses import dataclass

from .events import EXIT_INPUT, TrainerError


@dataclass(frozen=True)
class Ranks:
    rank: int = 0
    world_size: int = 1
    local_rank: int = 0
    sharded: bool = False  # fsdp: each rank holds a shard of every weight, and every rank joins every forward

    @property
    def main(self) -> bool:
        return self.rank == 0

    @property
    def several(self) -> bool:
        return self.world_size > 1


def launched_rank() -> int:
    """This process's rank as torchrun set it (0 for a plain `python train.py`); known before the spec is read."""
    return int(os.environ.get("RANK", "0"))


def join(spec: dict, device: str) -> Ranks:
    """Checks the launch against the spec and, with several processes, joins the process group."""
    expected = spec["distributed"]["world_size"]
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world != expected:
        raise TrainerError(
            "bad-spec",
            f"distributed.world_size is {expected} but {world} process(es) were started; launch with "
            f"`python -m torch.distributed.run --nproc-per-node {expected} train.py --spec …`",
            EXIT_INPUT,
        )
    if world == 1:
        return Ranks()
    import torch
    import torch.distributed as dist

    sharded = spec["distributed"]["strategy"] == "fsdp"
    ranks = Ranks(int(os.environ["RANK"]), world, int(os.environ["LOCAL_RANK"]), sharded)
    if device == "cuda":
        torch.cuda.set_device(ranks.local_rank)  # "cuda" now means this rank's own GPU
    dist.init_process_group("nccl" if device == "cuda" else "gloo")
    return ranks


def wrap(model, ranks: Ranks, device: str):
    """DDP around the PEFT model (only its trainable weights are synchronised), or the PEFT model sharded in
    place (fsdp); the model itself with one process."""
    if not ranks.several:
        return model
    if ranks.sharded:
        from . import fsdp

        return fsdp.shard(model, ranks.world_size, device)
    from torch.nn.parallel import DistributedDataParallel

    return DistributedDataParallel(model, device_ids=[ranks.local_rank] if device == "cuda" else None)


def unwrap(model):
    return getattr(model, "module", model)


def no_sync(model, ranks: Ranks, last: bool):
    """Accumulated micro-batches skip the gradient all-reduce (reduce-scatter under fsdp); the last one does it."""
    if ranks.sharded:
        from . import fsdp

        return fsdp.no_sync(model, last)
    return model.no_sync() if ranks.several and not last else nullcontext()


def trained_state(model, optimizer, ranks: Ranks) -> tuple[dict | None, dict]:
    """What a checkpoint saves: (the adapter's weights, None meaning the model's own; optimizer.state_dict(),
    {} without an optimizer).
    Under fsdp every rank joins the gather and rank 0 gets the whole state; otherwise rank 0 reads its own."""
    if ranks.sharded:
        from . import fsdp

        return fsdp.full_state(model, optimizer)
    return None, optimizer.state_dict() if ranks.main and optimizer is not None else {}


def load_optimizer(model, optimizer, saved: dict, ranks: Ranks) -> None:
    if ranks.sharded:
        from . import fsdp

        fsdp.load_optimizer(model, optimizer, saved)
    else:
        optimizer.load_state_dict(saved)


def grad_norm(norm, ranks: Ranks) -> float:
    if ranks.sharded:
        from . import fsdp

        return fsdp.total_norm(norm)
    return float(norm)


def all_sum(values: list[float], ranks: Ranks) -> list[float]:
    """The sums of these numbers over all ranks (one small all-reduce); the numbers themselves in one process."""
    if not ranks.several:
        return values
    import torch
    import torch.distributed as dist

    device = "cuda" if dist.get_backend() == "nccl" else "cpu"
    tensor = torch.tensor(values, dtype=torch.float64, device=device)
    dist.all_reduce(tensor)
    return tensor.tolist()


def gather(obj, ranks: Ranks) -> list:
    """Every rank's `obj`, in rank order, on every rank."""
    if not ranks.several:
        return [obj]
    import torch.distributed as dist

    out: list = [None] * ranks.world_size
    dist.all_gather_object(out, obj)
    return out


def barrier(ranks: Ranks) -> None:
    if ranks.several:
        import torch.distributed as dist

        dist.barrier()


def leave() -> None:
    """Leaves the process group, if this process joined one (also after a failure)."""
    import sys

    dist = sys.modules.get("torch.distributed")
    if dist is not None and dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()
