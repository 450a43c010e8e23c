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
    metric_window: list | None = None  # the objective's step metrics since the last step event (dpo, kto)


def save_checkpoint(spec: dict, model, optimizer, scheduler, scaler, state: TrainState) -> Path:
    import torch

    root = Path(spec["output"]["checkpoint_dir"])
    final = root / f"step-{state.step:06d}"
    tmp = root / f".tmp-step-{state.step:06d}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    model.save_pretrained(tmp / "adapter")
    torch.save(optimizer.state_dict(), tmp / "optimizer.pt")
    torch.save(scheduler.state_dict(), tmp / "scheduler.pt")
    if scaler is not None:
        torch.save(scaler.state_dict(), tmp / "scaler.pt")
    torch.save(rng_state(), tmp / "rng.pt")
    # Tests only: a window in which the trainer can be killed mid-save (the folder is still .tmp-…).
    time.sleep(float(os.environ.get("PIPELINE_TEST_SLOW_SAVE_S", "0")))
    (tmp / "trainer_state.json").write_text(json.dumps(state.__dict__))
    (tmp / "spec.json").write_text(json.dumps(spec, indent=2))
    write_manifest(tmp, state.step)
    publish(tmp, final)
    return final


def load_checkpoint(folder: Path, model, optimizer, scheduler, scaler) -> TrainState:
    import torch
    from peft import set_peft_model_state_dict
    from peft.utils import load_peft_weights

    device = next(model.parameters()).device
    set_peft_model_state_dict(model, load_peft_weights(str(folder / "adapter"), device=str(device)))
    optimizer.load_state_dict(torch.load(folder / "optimizer.pt", map_location=device, weights_only=True))
    scheduler.load_state_dict(torch.load(folder / "scheduler.pt", weights_only=True))
    if scaler is not None:
        scaler.load_state_dict(torch.load(folder / "scaler.pt", weights_only=True))
    set_rng_state(torch.load(folder / "rng.pt", weights_only=False))  # python's RNG state is a tuple
    return TrainState(**json.loads((folder / "trainer_state.json").read_text()))


def save_adapter(model, adapter_dir: Path, step: int) -> None:
    tmp = adapter_dir.with_name(f".tmp-{adapter_dir.name}")
    if tmp.exists():
        shutil.rmtree(tmp)
    model.save_pretrained(tmp)
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
