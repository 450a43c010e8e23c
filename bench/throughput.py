"""Benchmark: the training.* speed switches, one at a time and together, through the real trainer.

Not a test: it prints numbers. The same model, data and packed micro-batches as bench/packing.py (a random
~1B Llama on the GPU; a small one on CPU), one docker/train.py process per variant, tokens/s from the trainer's
own step events after the warm-up steps (the compile variants pay their compile time in the warm-up), and each
variant's speed-up over the first (today's default: sdpa, plain AdamW, no Liger, no compile) measured in the
same run. A variant that fails is reported and the others go on.

    # GPU: the 1B config of bench/gpu/check.sh
    python bench/throughput.py --device cuda --precision bf16 --hidden 2048 --layers 18 --heads 16 \\
        --vocab 32000 --seq-len 2048 --batch 8 --steps 30 --warmup 8
    # CPU smoke run (small model; Liger is GPU-only and is left out)
    python bench/throughput.py --variants sdpa,flex,flex+fused
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import packing  # noqa: E402  (its data, tokenizer, model and spec builders)

VARIANTS = {
    "sdpa": {},
    "flex": {"attention": "flex_attention"},
    "flex+fused": {"attention": "flex_attention", "fused_optimizer": True},
    "flex+fused+liger": {"attention": "flex_attention", "fused_optimizer": True, "liger_kernels": True},
    "flex+fused+liger+compile": {
        "attention": "flex_attention",
        "fused_optimizer": True,
        "liger_kernels": True,
        "compile": True,
    },
    "sdpa+fused+liger": {"fused_optimizer": True, "liger_kernels": True},
    "sdpa+fused+liger+compile": {"fused_optimizer": True, "liger_kernels": True, "compile": True},
    # keys starting with "_" change the LoRA or the batch, not a training.* switch; "_peft_cast" puts back
    # peft's fp32 cast of each adapter's input (the trainer drops it under autocast: kernels.py)
    "sdpa+fused+liger+nodrop+peftcast": {"fused_optimizer": True, "liger_kernels": True, "_dropout": 0.0, "_peft_cast": True},
    "flex+fused+liger+nodrop": {"attention": "flex_attention", "fused_optimizer": True, "liger_kernels": True, "_dropout": 0.0},
    "sdpa+fused+liger+nodrop": {"fused_optimizer": True, "liger_kernels": True, "_dropout": 0.0},
    "sdpa+fused+liger+nodrop+b16": {"fused_optimizer": True, "liger_kernels": True, "_dropout": 0.0, "_batch": 16},
    "sdpa+fused+liger+b16": {"fused_optimizer": True, "liger_kernels": True, "_batch": 16},
    "sdpa+fused+liger+nodrop+b32": {"fused_optimizer": True, "liger_kernels": True, "_dropout": 0.0, "_batch": 32},
    # varlen: no work on the blocks between a packed row's examples (sdpa computes the whole 2048² block-diagonal)
    "varlen+fused+liger+nodrop+b16": {
        "attention": "varlen",
        "fused_optimizer": True,
        "liger_kernels": True,
        "_dropout": 0.0,
        "_batch": 16,
    },
    "varlen+fused+liger+nodrop+b32": {
        "attention": "varlen",
        "fused_optimizer": True,
        "liger_kernels": True,
        "_dropout": 0.0,
        "_batch": 32,
    },
    "varlen+fused+nodrop": {"attention": "varlen", "fused_optimizer": True, "_dropout": 0.0},
    # torch.compile without Liger, with all of it, and with only its fused loss (the next device run's questions:
    # compile with Liger measured 0.36x on 2026-11-27, with dropout on and no reason logged)
    "sdpa+fused+nodrop+b16+compile": {"fused_optimizer": True, "_dropout": 0.0, "_batch": 16, "compile": True},
    "sdpa+fused+liger+nodrop+b16+compile": {
        "fused_optimizer": True,
        "liger_kernels": True,
        "_dropout": 0.0,
        "_batch": 16,
        "compile": True,
    },
    "sdpa+fused+flce+nodrop+b16+compile": {
        "fused_optimizer": True,
        "liger_kernels": True,
        "_liger_flce_only": True,
        "_dropout": 0.0,
        "_batch": 16,
        "compile": True,
    },
    "sdpa+fused+nodrop+compile": {"fused_optimizer": True, "_dropout": 0.0, "compile": True},
}


def parse_args():
    p = packing.argparse.ArgumentParser(description="training.* speed switches through docker/train.py")
    for flag, default in (("--data", str(packing.DEFAULT_DATA)), ("--workdir", None)):
        p.add_argument(flag, default=default)
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    p.add_argument("--precision", default="fp32", choices=["fp32", "bf16", "fp16"])
    for flag, default in (("--hidden", 256), ("--layers", 4), ("--heads", 4), ("--seq-len", 512), ("--batch", 8)):
        p.add_argument(flag, type=int, default=default)
    p.add_argument("--steps", type=int, default=12)
    p.add_argument("--warmup", type=int, default=4, help="first steps left out of the timing (compile happens here)")
    p.add_argument("--vocab", type=int, default=4000)
    p.add_argument("--gradient-checkpointing", action="store_true")
    p.add_argument("--peak-flops", type=float, default=989e12, help="peak FLOP/s (H100/H200 SXM bf16 dense)")
    p.add_argument("--variants", default=",".join(VARIANTS), help=f"comma-separated, from: {', '.join(VARIANTS)}")
    p.add_argument("--timeout", type=int, default=240, help="seconds per variant")
    p.add_argument("--profile", default="", help="comma-separated variants profiled afterwards (bench/profile_steps.py)")
    return p.parse_args()


def variant_spec(work: Path, args, name: str, switches: dict) -> Path:
    spec = json.loads(packing.make_spec(work, args, packing=True).read_text())
    spec["run_id"] = f"bench-{name}"
    spec["output"] = {k: str(work / name / Path(v).name) for k, v in spec["output"].items()}
    spec["training"].update({k: v for k, v in switches.items() if not k.startswith("_")})
    spec["lora"]["dropout"] = switches.get("_dropout", spec["lora"]["dropout"])
    spec["training"]["micro_batch_size"] = switches.get("_batch", spec["training"]["micro_batch_size"])
    path = work / f"{name}.spec.json"
    path.write_text(json.dumps(spec, indent=2))
    return path


def profile_variant(work: Path, args, name: str) -> str:
    """The profiler's table for a few steps of the variant, or why there is none."""
    path, out = variant_spec(work, args, name, VARIANTS[name]), work / f"{name}.profile.txt"
    cmd = [sys.executable, str(Path(__file__).with_name("profile_steps.py")), "--spec", str(path)]
    cmd += ["--skip", str(args.warmup), "--steps", "3", "--out", str(out)]
    try:
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return f"profile of {name} timed out after {args.timeout}s"
    return out.read_text() if out.exists() else f"profile of {name} failed: {done.stderr.strip()[-2000:]}"


# Variant keys that patch the trainer instead of its spec: docker/train.py run with these statements first.
TRAINER_PATCHES = {
    # peft's fp32 cast of each adapter's input, which the trainer drops under autocast (kernels.py)
    "_peft_cast": "m.keep_adapter_input_dtype = lambda model: None",
    # Liger's fused linear + cross-entropy only (the loss, outside the decoder layers), leaving RMSNorm, SwiGLU
    # and RoPE to the compiled layers (inductor fuses them itself) instead of Liger's Triton functions
    "_liger_flce_only": (
        "from liger_kernel.transformers.monkey_patch import _apply_liger_kernel_to_instance as liger; "
        "m.apply_liger = lambda model: liger(model=model, rope=False, rms_norm=False, swiglu=False)"
    ),
}


def trainer_command(path: Path, switches: dict) -> list[str]:
    patches = [code for key, code in TRAINER_PATCHES.items() if switches.get(key)]
    if not patches:
        return [sys.executable, str(packing.REPO / "docker" / "train.py"), "--spec", str(path)]
    code = "; ".join(
        ["import sys; sys.path.insert(0, sys.argv.pop(1)); import pipeline_trainer.model as m", *patches]
        + ["import train; sys.exit(train.main(sys.argv[1:]))"]
    )
    return [sys.executable, "-c", code, str(packing.REPO / "docker"), "--spec", str(path)]


def run_variant(work: Path, args, name: str, switches: dict) -> dict:
    path = variant_spec(work, args, name, switches)
    cmd = trainer_command(path, switches)
    began = time.perf_counter()
    try:
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {args.timeout}s"}
    events = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    # Kept for every variant: with TORCH_LOGS=recompiles,graph_breaks it says why a compiled variant is slow.
    (work / f"{name}.stderr.log").write_text(out.stderr)
    if out.returncode != 0:
        last = events[-1] if events else {"message": out.stderr.strip().splitlines()[-1:]}
        return {"error": f"exit {out.returncode}: {last.get('message', last)}"}
    start = next(e for e in events if e["type"] == "start")
    steps = [e for e in events if e["type"] == "step"]
    first, last = steps[args.warmup - 1], steps[-1]
    tps = (last["tokens"] - first["tokens"]) / (last["elapsed_s"] - first["elapsed_s"])
    return {
        "tokens_per_s": tps,
        "mfu": tps * 6 * start["params_total"] / args.peak_flops,
        "losses": [round(e["loss"], 4) for e in steps[:3]],
        "warmup_s": first["elapsed_s"],
        "wall_s": time.perf_counter() - began,
        "params": start["params_total"],
        "device": start["device"],
    }


def main() -> None:
    args = parse_args()
    args.workdir = args.workdir or tempfile.mkdtemp(prefix="bench-throughput-")
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    rows = [packing.alpaca_segments(r) for r in json.loads(Path(args.data).read_text())]
    (work / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    if not (work / "model" / "config.json").exists():
        tokenizer = packing.make_tokenizer(["".join(s["text"] for s in r["segments"]) for r in rows], args.vocab)
        packing.make_model(work / "model", tokenizer, args)

    names = [n.strip() for n in args.variants.split(",") if n.strip()]
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        raise SystemExit(f"unknown variants {unknown}; known: {', '.join(VARIANTS)}")
    results: dict[str, dict] = {}
    for name in names:
        results[name] = r = run_variant(work, args, name, VARIANTS[name])
        base = results[names[0]].get("tokens_per_s")
        if "error" in r:
            print(f"{name:<26} FAILED  {r['error']}", flush=True)
            continue
        ratio = f"{r['tokens_per_s'] / base:.2f}x" if base else "—"
        print(
            f"{name:<26} tokens/s={r['tokens_per_s']:>9,.0f}  MFU(6N)={r['mfu']:6.2%}  vs {names[0]}: {ratio:>6}"
            f"  warm-up {r['warmup_s']:.0f}s  wall {r['wall_s']:.0f}s  first losses {r['losses']}",
            flush=True,
        )
    for name in [n.strip() for n in args.profile.split(",") if n.strip()]:
        print(f"--- profile: {name}\n{profile_variant(work, args, name)}", flush=True)
    done = next((r for r in results.values() if "params" in r), None)
    if done:
        print(
            f"model: {done['params'] / 1e6:.1f}M params (hidden {args.hidden}, {args.layers} layers, {args.heads} heads), "
            f"{len(rows)} examples packed, seq_len {args.seq_len}, batch {args.batch}, {args.steps} steps "
            f"({args.warmup} warm-up), {args.device}/{args.precision} on {done['device']}, peak {args.peak_flops:.3g} FLOP/s"
        )


if __name__ == "__main__":
    main()
