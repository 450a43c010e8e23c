"""Checkpoints and the final adapter: folders published whole, each with a manifest.json written last.

A checkpoint folder step-NNNNNN/ holds adapter/, optimizer.pt, scheduler.pt, scaler.pt (fp16 only),
rng.pt, trainer_state.json, the resolved spec.json and manifest.json (every file's size and sha256)."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from .events import EXIT_INPUT, TrainerError


@dataclass
class TrainState:
    """What the loss curve needs to continue: the step, the stream position, counters and history."""

    step: int = 0
    position: int = 0  # micro-batches consumed
    tokens: int = 0
    elapsed_s: float = 0.0
    losses: list | None = None  # [[step, loss], ...]
    window: list | None = None  # losses since the last step event
    world_size: int = 1  # the processes that trained it, and the sequences each step took from the stream
    global_batch_size: int | None = None
    metric_window: list | None = None  # the objective's step metrics since the last step event (dpo, kto)


def global_batch_size(spec: dict) -> int:
    """Sequences per optimizer step: micro-batch × accumulation × processes."""
    t = spec["training"]
    return t["micro_batch_size"] * t["gradient_accumulation_steps"] * spec["distributed"]["world_size"]


def check_resume(spec: dict, folder: Path) -> None:
    """A checkpoint continues with another number of processes only when a step still takes the same
    sequences (the stream position counts global micro-batches, so the data order is kept); otherwise the
    loss curve would change its batch mid-run, which is refused."""
    state = json.loads((folder / "trainer_state.json").read_text(encoding="utf-8"))
    was_world = state.get("world_size", 1)
    was_batch = state.get("global_batch_size") or spec["training"]["micro_batch_size"] * spec["training"]["gradient_accumulation_steps"]
    world, batch = spec["distributed"]["world_size"], global_batch_size(spec)
    if was_world != world and was_batch != batch:
        raise TrainerError(
            "resume-mismatch",
            f"{folder}: trained by {was_world} process(es) with {was_batch} sequences per step; this launch has "
            f"{world} process(es) and {batch} (micro_batch_size × gradient_accumulation_steps × processes). Resume "
            f"with {was_world} process(es), or set gradient_accumulation_steps so that the product is {was_batch}",
            EXIT_INPUT,
        )


def save_checkpoint(spec: dict, model, trained: tuple, scheduler, scaler, state: TrainState, rngs: list[dict]) -> Path:
    """Rank 0 writes the checkpoint; `trained` is (the adapter's weights or None: the model's own, the optimizer's
    state dict) as distributed.trained_state gathers them; `rngs` holds every rank's RNG state."""
    import torch

    weights, optimizer_state = trained
    root = Path(spec["output"]["checkpoint_dir"])
    final = root / f"step-{state.step:06d}"
    tmp = root / f".tmp-step-{state.step:06d}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    # Not the frozen reference of an init adapter: the policy alone.
    model.save_pretrained(tmp / "adapter", state_dict=weights, selected_adapters=["default"])
    torch.save(optimizer_state, tmp / "optimizer.pt")
    torch.save(scheduler.state_dict(), tmp / "scheduler.pt")
    if scaler is not None:
        torch.save(scaler.state_dict(), tmp / "scaler.pt")
    torch.save({"ranks": rngs}, tmp / "rng.pt")
    # Tests only: a window in which the trainer can be killed mid-save (the folder is still .tmp-…).
    time.sleep(float(os.environ.get("PIPELINE_TEST_SLOW_SAVE_S", "0")))
    (tmp / "trainer_state.json").write_text(json.dumps(state.__dict__))
    (tmp / "spec.json").write_text(json.dumps(spec, indent=2))
    write_manifest(tmp, state.step)
    publish(tmp, final)
    return final


def load_weights(folder: Path, model) -> None:
    """The adapter's weights, into the PEFT model before DDP or FSDP wraps it (every rank reads them)."""
    from peft import set_peft_model_state_dict
    from peft.utils import load_peft_weights

    device = next(model.parameters()).device
    set_peft_model_state_dict(model, load_peft_weights(str(folder / "adapter"), device=str(device)))


def load_checkpoint(folder: Path, model, optimizer, scheduler, scaler, ranks) -> TrainState:
    """The rest of the training state, once the optimizer exists over the (wrapped) model's parameters."""
    import torch

    from .distributed import load_optimizer

    device = next(model.parameters()).device
    load_optimizer(model, optimizer, torch.load(folder / "optimizer.pt", map_location=device, weights_only=True), ranks)
    scheduler.load_state_dict(torch.load(folder / "scheduler.pt", weights_only=True))
    if scaler is not None:
        scaler.load_state_dict(torch.load(folder / "scaler.pt", weights_only=True))
    saved = torch.load(folder / "rng.pt", weights_only=False)  # python's RNG state is a tuple
    saved_ranks = saved["ranks"] if "ranks" in saved else [saved]
    set_rng_state(saved_ranks[ranks.rank % len(saved_ranks)])  # another number of processes: a rank borrows a saved stream
    return TrainState(**json.loads((folder / "trainer_state.json").read_text()))


def save_adapter(model, adapter_dir: Path, step: int, weights: dict | None = None) -> None:
    tmp = adapter_dir.with_name(f".tmp-{adapter_dir.name}")
    if tmp.exists():
        shutil.rmtree(tmp)
    model.save_pretrained(tmp, state_dict=weights, selected_adapters=["default"])
    write_manifest(tmp, step)
    adapter_dir.parent.mkdir(parents=True, exist_ok=True)
    publish(tmp, adapter_dir)


def write_manifest(folder: Path, step: int) -> None:
    """manifest.json, written last: a folder without one is not a checkpoint."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json")
    entries = [{"path": p.relative_to(folder).as_posix(), "size": p.stat().st_size, "sha256": sha256(p)} for p in files]
    (folder / "manifest.json").write_text(json.dumps({"version": 1, "step": step, "files": entries}, indent=1))


def verify_manifest(folder: Path) -> dict:
    manifest_path = folder / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        entries = manifest["files"]
    except (OSError, ValueError, KeyError) as e:
        raise TrainerError("bad-checkpoint", f"{manifest_path}: no readable manifest ({e})", EXIT_INPUT) from e
    for entry in entries:
        file = folder / entry["path"]
        if not file.is_file():
            raise TrainerError("bad-checkpoint", f"{folder}: {entry['path']} listed in manifest is missing", EXIT_INPUT)
        if file.stat().st_size != entry["size"] or sha256(file) != entry["sha256"]:
            raise TrainerError("bad-checkpoint", f"{folder}: {entry['path']} does not match its manifest", EXIT_INPUT)
    return manifest


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def publish(tmp: Path, final: Path) -> None:
    """Swap a finished folder into place (an older folder of the same name is replaced)."""
    if final.exists():
        shutil.rmtree(final)
    tmp.rename(final)


def rng_state() -> dict:
    import torch

    state = {"python": random.getstate(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict) -> None:
    import torch

    random.setstate(state["python"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])
