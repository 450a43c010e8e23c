"""The speed switches of training.*: attention kernel, Liger's fused kernels, torch.compile, fused AdamW.

Each one is off (or sdpa) unless the spec turns it on, and each keeps the plain path's loss within a small
tolerance (docker/tests/test_kernels.py: fused AdamW and compile train on CPU; flex attention has no CPU
backward and Liger's kernels are Triton GPU kernels, so their training parity runs on a GPU, through
bench/gpu/check.sh).
"""

from __future__ import annotations

from .events import EXIT_INPUT, TrainerError


def check_kernels(training: dict, device: str) -> None:
    """Fail before the model loads when a switch cannot work here."""
    if training["attention"] == "flex_attention" and device != "cuda":
        raise TrainerError(
            "bad-spec", "training.attention: flex_attention trains on CUDA only (PyTorch has no CPU backward for it)", EXIT_INPUT
        )
    if training["liger_kernels"]:
        if device != "cuda":
            raise TrainerError("bad-spec", "training.liger_kernels: Liger's kernels need a CUDA device", EXIT_INPUT)
        try:
            import liger_kernel  # noqa: F401
        except ImportError as e:
            raise TrainerError(
                "environment", f"training.liger_kernels: liger-kernel is not installed ({e}); pip install liger-kernel", EXIT_INPUT
            ) from e


def apply_liger(model) -> None:
    """Liger's fused linear + cross-entropy (the training loss without materialising tokens × vocab logits),
    RMSNorm, SwiGLU and RoPE, patched into this model instance before LoRA wraps its linear layers."""
    from liger_kernel.transformers.monkey_patch import MODEL_TYPE_TO_APPLY_LIGER_FN, _apply_liger_kernel_to_instance

    model_type = model.config.model_type
    if model_type not in MODEL_TYPE_TO_APPLY_LIGER_FN:
        raise TrainerError(
            "bad-spec", f"training.liger_kernels: Liger has no kernels for model type {model_type!r}; set it to false", EXIT_INPUT
        )
    _apply_liger_kernel_to_instance(model=model)


def compile_layers(model) -> None:
    """torch.compile each decoder layer in place (state-dict names unchanged, so checkpoints and the adapter
    are the same files). Layer by layer, as torchtune does: a small graph compiled once and reused, with the
    model's Python-level mask and loss code left eager."""
    layers = getattr(model.get_base_model().get_decoder(), "layers", None)
    if layers is None:
        raise TrainerError("bad-spec", "training.compile: no decoder layers found in this model", EXIT_INPUT)
    for layer in layers:
        layer.compile()


def keep_adapter_input_dtype(model) -> None:
    """Under autocast (bf16/fp16) peft casts each adapted layer's input up to the adapter's fp32 weights, and
    autocast casts it back down for the adapter's matmul: two copies of the layer's activations per LoRA
    module, and their gradients' on the way back — 17 % of a 1B LoRA step's GPU time on an H200
    (bench/profile_steps.py). Without peft's cast the adapter's matmul runs in the autocast dtype as before;
    the loss is the same to the last bit with lora.dropout 0, and dropout's 1/(1-p) rounds in bf16 otherwise."""
    from peft.tuners.tuners_utils import BaseTunerLayer

    for module in model.modules():
        if isinstance(module, BaseTunerLayer):
            module.cast_input_dtype_enabled = False


def make_optimizer(params, training: dict):
    import torch

    kwargs = {"lr": training["learning_rate"], "weight_decay": training["weight_decay"]}
    if training["fused_optimizer"]:
        kwargs["fused"] = True  # CUDA and CPU kernels both exist (torch ≥ 2.4)
    return torch.optim.AdamW(params, **kwargs)
