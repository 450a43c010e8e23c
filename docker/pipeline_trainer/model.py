"""The base model with a LoRA adapter, and its loss on a batch."""

from __future__ import annotations

from contextlib import nullcontext

from .data import collate, trained_tokens
from .events import TrainerError
from .kernels import VARLEN, apply_liger, compile_layers, keep_adapter_input_dtype, register_varlen_attention

REFERENCE = "reference"  # the frozen copy of init_adapter that DPO/KTO measure the policy against


def load_model(spec: dict, device: str, precision: str):
    """Base model (bf16/fp16 weights on those precisions) with a LoRA adapter; trainable weights in fp32."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[precision]
    t = spec["training"]
    try:
        tokenizer = AutoTokenizer.from_pretrained(spec["base_model"])
        if t["attention"] == VARLEN:
            register_varlen_attention()
        model = AutoModelForCausalLM.from_pretrained(spec["base_model"], dtype=dtype, attn_implementation=t["attention"])
    except Exception as e:  # noqa: BLE001 — any failure here is the model's or tokenizer's files
        first = (str(e).splitlines() or [type(e).__name__])[0]
        raise TrainerError("model-load", f"base_model {spec['base_model']}: {first}") from e
    model.config.use_cache = False
    model.to(device)
    if t["liger_kernels"]:
        apply_liger(model)
    if spec["init_adapter"] is not None:
        model = load_init_adapter(model, spec["init_adapter"], spec["lora"]["dropout"], reference=spec["task"] != "sft")
    else:
        lora = spec["lora"]
        config = LoraConfig(
            task_type="CAUSAL_LM",
            r=lora["r"],
            lora_alpha=lora["alpha"],
            lora_dropout=lora["dropout"],
            target_modules=lora["target_modules"],
            bias=lora["bias"],
            modules_to_save=lora["modules_to_save"] or None,
        )
        model = get_peft_model(model, config)
    for p in model.parameters():
        if p.requires_grad:
            p.data = p.data.float()  # optimizer states and GradScaler need fp32 master weights
    if precision != "fp32":
        keep_adapter_input_dtype(model)  # every forward runs under autocast (model.autocast)
    if t["gradient_checkpointing"]:
        # the older name: transformers 5.17 (on the GPU machines) lacks activation_checkpointing_enable
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        model.enable_input_require_grads()
    if t["compile"]:
        compile_layers(model)
    return model, tokenizer


def load_init_adapter(model, folder: str, dropout: float, reference: bool):
    """The trained adapter starts as the adapter in `folder` (an SFT run's, copied into this run), with the
    spec's dropout (the orchestrator took rank, alpha and modules from the adapter). DPO and KTO load it a
    second time, frozen and without dropout, as the "reference" adapter their reference pass runs
    (preference.py)."""
    import torch
    from peft import PeftConfig, PeftModel

    try:
        config = PeftConfig.from_pretrained(folder)
        config.lora_dropout = dropout
        model = PeftModel.from_pretrained(model, folder, is_trainable=True, config=config)
        if reference:
            model.load_adapter(folder, adapter_name=REFERENCE, is_trainable=False)
            for module in model.modules():
                drop = getattr(module, "lora_dropout", None)
                if isinstance(drop, torch.nn.ModuleDict) and REFERENCE in drop:
                    drop[REFERENCE] = torch.nn.Identity()  # a deterministic reference, like the base
    except Exception as e:  # noqa: BLE001 — the config checked the files; what is left is the adapter's content
        first = (str(e).splitlines() or [type(e).__name__])[0]
        raise TrainerError("model-load", f"init_adapter {folder}: {first}") from e
    for name, p in model.named_parameters():
        if f".{REFERENCE}." in name:
            p.data = p.data.float()  # the same precision as the policy's fp32 weights: equal at step 0
    return model


def autocast(device: str, precision: str):
    import torch

    if precision == "fp32":
        return nullcontext()
    return torch.autocast(device_type=device, dtype=torch.bfloat16 if precision == "bf16" else torch.float16)


def batch_loss(model, batch: dict, num_items: int, device: str, precision: str):
    """Summed token loss of one micro-batch divided by num_items (the trained tokens of the whole step),
    so that accumulated micro-batches add up to the step's per-token mean."""
    import torch

    inputs = {k: v.to(device, non_blocking=True) for k, v in batch.items()}
    with autocast(device, precision):
        out = model(**inputs, use_cache=False, num_items_in_batch=torch.tensor(num_items, device=device))
    return out.loss


def evaluate(model, rows, micro_batch_size: int, pad_id: int, device: str, precision: str) -> tuple[float, int]:
    """Per-token loss over the eval rows, in file order."""
    import torch

    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(rows), micro_batch_size):
            batch, _ = collate(rows[i : i + micro_batch_size], pad_id)
            n = trained_tokens(batch)
            total += float(batch_loss(model, batch, 1, device, precision))
            count += n
    model.train()
    return total / count, count
