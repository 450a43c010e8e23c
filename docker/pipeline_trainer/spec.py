"""spec.json: read and checked against its JSON Schema before anything heavy is imported."""

from __future__ import annotations

import json
from pathlib import Path

from .checkpoints import check_resume, verify_manifest
from .events import EXIT_INPUT, TrainerError


def load_spec(path: str, schema_path: Path) -> dict:
    """Read and validate spec.json, its data files and its resume checkpoint before anything heavy is
    imported; every schema problem is listed."""
    import jsonschema

    try:
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise TrainerError("bad-spec", f"{path}: cannot read spec: {e}", EXIT_INPUT) from e
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(spec), key=lambda e: list(e.path))
    if errors:
        where = lambda e: ".".join(str(p) for p in e.path) or "(root)"  # noqa: E731
        problems = "; ".join(f"{where(e)}: {e.message}" for e in errors)
        raise TrainerError("bad-spec", f"{path} › {problems}", EXIT_INPUT)
    for key in ("train", "eval"):
        file = spec["data"][key]
        if file is not None and not Path(file).is_file():
            raise TrainerError("data", f"{path} › data.{key}: file not found: {file}", EXIT_INPUT)
    init = spec["init_adapter"]
    if init is not None and not (Path(init) / "adapter_config.json").is_file():
        raise TrainerError("bad-spec", f"{path} › init_adapter: no PEFT adapter (adapter_config.json) in {init}", EXIT_INPUT)
    if spec["resume_from"] is not None:
        verify_manifest(Path(spec["resume_from"]))  # fail fast, before the model is loaded
        check_resume(spec, Path(spec["resume_from"]))
    return spec


def resolve_device(spec: dict) -> tuple[str, str]:
    """(device, precision) with "auto" resolved: bf16 on GPUs that have it, else fp16 on GPU, fp32 on CPU."""
    import torch

    device = spec["device"]
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise TrainerError("bad-spec", "device: cuda was asked for but no CUDA device is visible", EXIT_INPUT)
    precision = spec["training"]["precision"]
    if precision == "auto":
        precision = ("bf16" if torch.cuda.is_bf16_supported() else "fp16") if device == "cuda" else "fp32"
    if precision == "fp16" and device != "cuda":
        raise TrainerError("bad-spec", "training.precision: fp16 needs a CUDA device (use bf16 or fp32)", EXIT_INPUT)
    return device, precision
