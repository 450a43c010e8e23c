"""The speed switches of training.*: attention kernel, Liger's fused kernels, torch.compile, fused AdamW.

Each one is off (or sdpa) unless the spec turns it on, and each keeps the plain path's loss within a small
tolerance (docker/tests/test_kernels.py: fused AdamW, compile and varlen attention train on CPU; flex
attention has no CPU backward and Liger's kernels are Triton GPU kernels, so their training parity runs on a
GPU, through bench/gpu/check.sh).
"""

from __future__ import annotations

import functools

from .events import EXIT_INPUT, TrainerError


def check_kernels(training: dict, device: str, precision: str = "fp32") -> None:
    """Fail before the model loads when a switch cannot work here."""
    if training["attention"] == "varlen" and device == "cuda":
        try:
            from torch.nn.attention.varlen import varlen_attn  # noqa: F401
        except ImportError as e:
            raise TrainerError(
                "environment", f"training.attention: varlen needs PyTorch 2.9 or later (torch.nn.attention.varlen: {e})", EXIT_INPUT
            ) from e
        if precision == "fp32":
            raise TrainerError(
                "bad-spec", "training.attention: varlen runs flash attention, which needs bf16 or fp16 on CUDA; set precision", EXIT_INPUT
            )
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


VARLEN = "varlen"


def register_varlen_attention() -> None:
    """Makes `attn_implementation="varlen"` mean varlen_attention below. No mask function is registered for it,
    so transformers builds no attention mask at all for such a model (masking_utils returns None for a kernel
    it has no mask function for): the documents of a packed row are told apart by their position_ids alone."""
    import torch
    from transformers import AttentionInterface

    # Left out of compiled layers (a graph break around it): its bounds are data-dependent Python ints.
    AttentionInterface.register(VARLEN, torch.compiler.disable(varlen_attention))


def varlen_attention(module, query, key, value, attention_mask, scaling=None, dropout=0.0, **kwargs):
    """Causal attention within each example of a packed row, nothing across them, and no work spent on the
    blocks between them: on CUDA one call of PyTorch's variable-length flash attention over every example of
    the batch; on CPU (tests, small runs) SDPA example by example, the same arithmetic.

    An example starts where its position_ids restart at 0 (data.py packs rows that way; the padding at a row's
    end continues the last example's positions, and causal attention never lets a real token see it).
    query: (batch, heads, seq, dim), key/value: (batch, kv_heads, seq, dim); returns (batch, seq, heads, dim).
    """
    import torch

    if dropout:
        raise ValueError("training.attention varlen has no attention dropout; this model's attention_dropout must be 0")
    batch, heads, seq, dim = query.shape
    if key.shape[1] != heads:  # grouped-query attention: each key/value head serves heads // kv_heads queries
        key = key.repeat_interleave(heads // key.shape[1], dim=1)
        value = value.repeat_interleave(heads // value.shape[1], dim=1)
    starts, longest = example_bounds(kwargs.get("position_ids"), batch, seq, query.device)
    q, k, v = (x.transpose(1, 2).reshape(batch * seq, heads, dim) for x in (query, key, value))
    if q.is_cuda:
        if q.dtype == torch.float32 and torch.is_autocast_enabled("cuda"):
            q, k, v = (x.to(torch.get_autocast_dtype("cuda")) for x in (q, k, v))
        out = _flash_varlen(q, k, v, starts, longest, scaling)
    else:
        bounds = starts.tolist()
        out = torch.cat(
            [
                torch.nn.functional.scaled_dot_product_attention(
                    q[a:b].transpose(0, 1), k[a:b].transpose(0, 1), v[a:b].transpose(0, 1), is_causal=True, scale=scaling
                ).transpose(0, 1)
                for a, b in zip(bounds, bounds[1:])
            ]
        )
    return out.reshape(batch, seq, heads, dim), None


_bounds_cache: list = [None, None]  # [position_ids of the last forward, its bounds]: every layer asks the same


def example_bounds(position_ids, batch: int, seq: int, device):
    """(cu_seqlens as int32 offsets into the flattened batch, the longest example's length), once per forward."""
    import torch

    if position_ids is not None and _bounds_cache[0] is position_ids:
        return _bounds_cache[1]
    if position_ids is None:  # no packing information: every row is one sequence
        starts = torch.arange(0, batch * seq + 1, seq, device=device, dtype=torch.int32)
    else:
        begins = position_ids.reshape(batch, seq) == 0
        begins[:, 0] = True  # a row always starts an example
        flat = torch.nonzero(begins.reshape(-1)).flatten()
        starts = torch.cat([flat, flat.new_tensor([batch * seq])]).to(device=device, dtype=torch.int32)
    longest = int((starts[1:] - starts[:-1]).max())  # one device sync per forward, not per layer
    if position_ids is not None:
        _bounds_cache[:] = [position_ids, (starts, longest)]
    return starts, longest


def _flash_varlen(q, k, v, starts, longest: int, scale):
    """torch.nn.attention.varlen.varlen_attn, causal, whichever its version: PyTorch 2.9-era versions take
    `is_causal` and no `scale` (their scale is 1/sqrt(head_dim), so another one is folded into the query),
    later ones `window_size=(-1, 0)` and `scale`."""
    import math

    from torch.nn.attention.varlen import varlen_attn

    takes_window, takes_scale = _varlen_parameters(varlen_attn)
    kwargs: dict = {"window_size": (-1, 0)} if takes_window else {"is_causal": True}
    if takes_scale:
        kwargs["scale"] = scale
    elif scale is not None and not math.isclose(scale * math.sqrt(q.shape[-1]), 1.0, rel_tol=1e-6):
        q = q * (scale * math.sqrt(q.shape[-1]))
    return varlen_attn(q, k, v, starts, starts, longest, longest, **kwargs)


@functools.lru_cache(maxsize=4)
def _varlen_parameters(varlen_attn) -> tuple[bool, bool]:
    """(takes window_size, takes scale): looked up once, not in every layer's every call."""
    import inspect

    params = inspect.signature(varlen_attn).parameters
    return "window_size" in params, "scale" in params
