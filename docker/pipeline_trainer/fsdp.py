"""FSDP2 (a base too big for one GPU): each rank keeps 1/world_size of every weight and gathers a decoder
layer's weights only while that layer runs.

fully_shard goes on each decoder layer, then on the root (embeddings, final norm, head). It shards per
parameter (DTensor), so a layer that mixes the frozen base with LoRA's trainable weights is one unit: the
base is gathered for the forward and backward, and only the adapter's gradients are reduce-scattered,
averaged over the ranks as DDP averages them. Checkpoints stay in the one format every strategy writes
(peft's adapter folder, optimizer.state_dict() numbered by parameter): the full adapter and optimizer state
are gathered to rank 0's CPU to save, and a full state is sharded again to load.
"""

from __future__ import annotations

from contextlib import contextmanager


def shard(model, world_size: int, device: str):
    """Shards the PEFT model in place (it stays the same object, so `peft.disable_adapter()` still works)."""
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.fsdp import fully_shard

    mesh = init_device_mesh(device, (world_size,))
    kinds = set(getattr(model.get_base_model(), "_no_split_modules", None) or [])
    for layer in [m for m in model.modules() if type(m).__name__ in kinds]:
        fully_shard(layer, mesh=mesh)
    fully_shard(model, mesh=mesh)
    return model


@contextmanager
def no_sync(model, last: bool):
    """The micro-batches before a step's last keep their gradients unreduced (DDP's no_sync)."""
    model.set_requires_gradient_sync(last)
    try:
        yield
    finally:
        model.set_requires_gradient_sync(True)


def total_norm(norm) -> float:
    """clip_grad_norm_ over sharded gradients returns a DTensor: its full value is the norm over all ranks."""
    return float(norm.full_tensor() if hasattr(norm, "full_tensor") else norm)


def _options(**kwargs):
    from torch.distributed.checkpoint.state_dict import StateDictOptions

    return StateDictOptions(full_state_dict=True, **kwargs)


def full_state(model, optimizer) -> tuple[dict, dict]:
    """(the trainable weights by name, optimizer.state_dict()'s numbered form), whole, on rank 0's CPU; empty
    on the other ranks. Every rank must call it (the gathers are collective)."""
    from torch.distributed.checkpoint.state_dict import get_model_state_dict, get_optimizer_state_dict

    weights = get_model_state_dict(model, options=_options(cpu_offload=True, ignore_frozen_params=True))
    if optimizer is None:
        return weights, {}
    named = get_optimizer_state_dict(model, optimizer, options=_options(cpu_offload=True))
    return weights, numbered(named) if named else {}


def numbered(named: dict) -> dict:
    """The optimizer state keyed by parameter name → by position, as optimizer.state_dict() writes it."""
    order = [name for group in named["param_groups"] for name in group["params"]]
    index = {name: i for i, name in enumerate(order)}
    groups, start = [], 0
    for group in named["param_groups"]:
        groups.append({**group, "params": list(range(start, start + len(group["params"])))})
        start += len(group["params"])
    return {"state": {index[name]: value for name, value in named["state"].items()}, "param_groups": groups}


def load_optimizer(model, optimizer, saved: dict) -> None:
    """A numbered optimizer state (from any strategy) → named, then sharded onto this rank's parameters."""
    from torch.distributed.checkpoint.state_dict import set_optimizer_state_dict

    names = {id(p): name for name, p in model.named_parameters()}
    order = [names[id(p)] for group in optimizer.param_groups for p in group["params"]]
    groups = [{**group, "params": [order[i] for i in group["params"]]} for group in saved["param_groups"]]
    state = {order[i]: value for i, value in saved["state"].items()}
    set_optimizer_state_dict(model, optimizer, {"state": state, "param_groups": groups}, options=_options())
