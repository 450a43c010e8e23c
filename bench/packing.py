"""Benchmark: packing on vs off, measured through the real trainer (docker/train.py as a subprocess).

Not a test: it prints numbers. It formats the shared Alpaca demo rows into segments itself (a plain
Alpaca layout: `### Instruction / ### Response`, only the response trained), trains a byte-level BPE
tokenizer on them, builds a random-weight Llama from a config, writes one spec.json per mode and runs
train.py on each with the same max_seq_len, micro batch, seed and step count. tokens/s counts non-padding
tokens and is taken from the trainer's own step events, after the warm-up steps.

    # CPU (this machine): small model
    python bench/packing.py
    # GPU: a ~1B Llama, bf16, no gradient checkpointing
    python bench/packing.py --device cuda --precision bf16 --hidden 2048 --layers 16 --heads 16 \\
        --seq-len 2048 --batch 8 --steps 30

MFU = model FLOPs / s / peak. Model FLOPs per token = 6·N (N = all parameters; the usual convention, though a
LoRA run skips the frozen weights' gradients and does ~4·N of work) plus attention 12·layers·hidden·T with T
the mean padded row length (PaLM's count, an upper bound for packed rows whose examples attend only within
themselves). Both MFU values are printed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "docker"))
DEFAULT_DATA = REPO / ".." / "shared" / "real-datasets" / "llamafactory" / "alpaca_en_demo.json"


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description="packing on/off throughput through docker/train.py")
    p.add_argument("--data", default=str(DEFAULT_DATA), help="Alpaca JSON (instruction/input/output)")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    p.add_argument("--precision", default="fp32", choices=["fp32", "bf16", "fp16"])
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--seq-len", type=int, default=512)
    p.add_argument("--batch", type=int, default=8, help="micro batch (rows per step)")
    p.add_argument("--steps", type=int, default=12)
    p.add_argument("--warmup", type=int, default=2, help="first steps left out of the timing")
    p.add_argument("--vocab", type=int, default=4000, help="BPE vocabulary size")
    p.add_argument("--gradient-checkpointing", action="store_true")
    p.add_argument("--peak-flops", type=float, default=989e12, help="peak FLOP/s (H100 SXM bf16 dense)")
    p.add_argument("--workdir", default=None, help="keep model, data and specs here (default: a temp dir)")
    return p.parse_args()


def alpaca_segments(row: dict) -> dict:
    prompt = f"<s>### Instruction:\n{row['instruction']}\n"
    if row["input"]:
        prompt += f"\n### Input:\n{row['input']}\n"
    return {"segments": [{"text": prompt + "\n### Response:\n", "train": False}, {"text": row["output"] + "</s>", "train": True}]}


def make_tokenizer(texts: list[str], vocab: int):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    specials = ["<pad>", "<s>", "</s>"]
    trainer = trainers.BpeTrainer(
        vocab_size=vocab, special_tokens=specials, show_progress=False, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tok.train_from_iterator(texts, trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<pad>", bos_token="<s>", eos_token="</s>")


def make_model(folder: Path, tokenizer, args) -> None:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    intermediate = 256 * ((8 * args.hidden // 3 + 255) // 256)  # Llama's ~8/3·hidden, rounded up
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=args.hidden,
        intermediate_size=intermediate,
        num_hidden_layers=args.layers,
        num_attention_heads=args.heads,
        num_key_value_heads=args.heads,
        max_position_embeddings=args.seq_len,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    torch.manual_seed(0)
    dtype = torch.float32 if args.precision == "fp32" else torch.bfloat16
    torch.set_default_dtype(dtype)  # build a 1B model straight in bf16: half the memory and time
    model = LlamaForCausalLM(config)
    torch.set_default_dtype(torch.float32)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)


def make_spec(work: Path, args, packing: bool) -> Path:
    name = "packed" if packing else "padded"
    spec = {
        "version": 1,
        "run_id": f"bench-{name}",
        "task": "sft",
        "dpo": None,
        "kto": None,
        "base_model": str(work / "model"),
        "device": args.device,
        "data": {"train": str(work / "train.jsonl"), "eval": None},
        "output": {"checkpoint_dir": str(work / name / "checkpoints"), "adapter_dir": str(work / name / "adapter")},
        "resume_from": None,
        "init_adapter": None,
        "lora": {"r": 16, "alpha": 32, "dropout": 0.05, "target_modules": "all-linear", "bias": "none", "modules_to_save": []},
        "training": {
            "num_epochs": 1,
            "max_steps": args.steps,
            "micro_batch_size": args.batch,
            "gradient_accumulation_steps": 1,
            "learning_rate": 2e-4,
            "lr_scheduler": "constant",
            "warmup_steps": 0,
            "warmup_ratio": 0,
            "weight_decay": 0,
            "max_grad_norm": 1.0,
            "max_seq_len": args.seq_len,
            "packing": packing,
            "precision": args.precision,
            "gradient_checkpointing": args.gradient_checkpointing,
            "attention": "sdpa",
            "liger_kernels": False,
            "fused_optimizer": False,
            "compile": False,
            "logging_steps": 1,
            "save_steps": args.steps + 1,
            "eval_steps": None,
            "seed": 0,
        },
        "distributed": {"world_size": 1, "strategy": "ddp"},
        "store": None,
    }
    path = work / f"{name}.spec.json"
    path.write_text(json.dumps(spec, indent=2))
    return path


def padding_fraction(tokenizer, work: Path, args, packing: bool) -> tuple[float, float]:
    """(padding share, mean row width) of exactly the micro-batches train.py sees (same code, same seed)."""
    from pipeline_trainer.data import MicroBatches, read_examples, to_rows

    examples, _ = read_examples(str(work / "train.jsonl"), tokenizer, args.seq_len)
    stream = MicroBatches(to_rows(examples, packing, args.seq_len), args.batch, 0, 0)
    real = padded = 0
    for i in range(args.steps):
        batch, n = stream.at(i)
        real, padded = real + n, padded + batch["input_ids"].numel()
    return 1 - real / padded, padded / (args.steps * args.batch)


def run_trainer(spec: Path) -> tuple[dict, list[dict]]:
    cmd = [sys.executable, str(REPO / "docker" / "train.py"), "--spec", str(spec)]
    out = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)  # stderr passes through
    events = [json.loads(line) for line in out.stdout.splitlines()]
    if out.returncode != 0:
        raise SystemExit(f"train.py failed ({out.returncode}): {events[-1] if events else 'no events'}")
    return next(e for e in events if e["type"] == "start"), [e for e in events if e["type"] == "step"]


def main() -> None:
    args = parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="bench-packing-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = [alpaca_segments(r) for r in json.loads(Path(args.data).read_text())]
    (work / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    tokenizer = make_tokenizer(["".join(s["text"] for s in r["segments"]) for r in rows], args.vocab)
    make_model(work / "model", tokenizer, args)

    results = {}
    for packing in (False, True):
        start, steps = run_trainer(make_spec(work, args, packing))
        first, last = steps[args.warmup - 1], steps[-1]
        tps = (last["tokens"] - first["tokens"]) / (last["elapsed_s"] - first["elapsed_s"])
        pad, width = padding_fraction(tokenizer, work, args, packing)
        flops_6n = 6 * start["params_total"]
        flops_attn = 12 * args.layers * args.hidden * width
        results[packing] = {
            "tokens_per_s": tps,
            "padding": pad,
            "mfu_6n": tps * flops_6n / args.peak_flops,
            "mfu_6n_attn": tps * (flops_6n + flops_attn) / args.peak_flops,
            "params": start["params_total"],
            "device": start["device"],
            "sequences": start["train_sequences"],
        }
        r = results[packing]
        print(
            f"packing={'on ' if packing else 'off'}  tokens/s={tps:,.0f}  padding={pad:.1%}  rows={r['sequences']}"
            f"  MFU(6N)={r['mfu_6n']:.2%}  MFU(6N+attn)={r['mfu_6n_attn']:.2%}",
            flush=True,
        )
    ratio = results[True]["tokens_per_s"] / results[False]["tokens_per_s"]
    print(
        f"model: {results[True]['params'] / 1e6:.1f}M params (hidden {args.hidden}, {args.layers} layers, {args.heads} heads), "
        f"{len(rows)} examples, seq_len {args.seq_len}, batch {args.batch}, {args.steps} steps "
        f"({args.warmup} warm-up), {args.device}/{args.precision} on {results[True]['device']}"
    )
    print(f"packing speed-up: {ratio:.2f}x (target >= 1.5x); padding with packing {results[True]['padding']:.1%} (target < 5%)")


if __name__ == "__main__":
    main()
