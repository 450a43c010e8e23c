"""LoRA supervised fine-tuning: one spec.json in, a PEFT adapter and a JSON-lines event stream out.

The recipe reads top to bottom: validate the spec → load data → load model + LoRA → train → save → cleanup.
Every value comes from spec.json (schema/train-spec.schema.json, generated from src/config/train-spec.ts);
nothing is defaulted here. stdout carries only the event stream (src/launch/events.ts); all library output
goes to stderr.

Run it:

    python docker/train.py --spec runs/<run-id>/spec.json
    python docker/train.py --spec spec.json 2>trainer.log | tee events.jsonl
    python -m pytest docker/tests -q          # tiny-model tests (CPU, ~1 min)

Exit codes: 0 done · 1 training failed (error event says why) · 2 bad spec, data or checkpoint ·
130 interrupted by SIGINT/SIGTERM after saving a checkpoint that `resume_from` continues.

Packing: examples are packed whole into rows of at most max_seq_len tokens (best-fit decreasing) and each
example's position_ids restart at 0. With no attention_mask, transformers' masking utils turn those
position_ids into a block-diagonal causal mask (sdpa/eager), so examples never attend to each other —
docker/tests/test_packing.py proves it by comparing losses. Without packing, rows are right-padded to the
longest in the batch; causal attention never lets a real token see the padding after it, so no mask is
passed either (and sdpa keeps its fast causal kernel).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import shutil
import signal
import sys
import time
import traceback
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "train-spec.schema.json"
IGNORE = -100
EXIT_FAILED, EXIT_INPUT, EXIT_INTERRUPTED = 1, 2, 130


class TrainerError(Exception):
    """A failure with a stable code for the error event, and the exit code it ends the process with."""

    def __init__(self, code: str, message: str, exit_code: int = EXIT_FAILED):
        super().__init__(message)
        self.code = code
        self.exit_code = exit_code


# ── events ────────────────────────────────────────────────────────────────────────────────────────────


class Events:
    """The event stream on the real stdout. Everything else that writes to fd 1 is sent to stderr."""

    def __init__(self) -> None:
        sys.stdout.flush()
        self._out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
        os.dup2(2, 1)  # C libraries and stray prints now land on stderr
        sys.stdout = sys.stderr

    def emit(self, type_: str, **fields: object) -> None:
        self._out.write(json.dumps({"v": 1, "type": type_, "time": time.time(), **fields}) + "\n")
        self._out.flush()

    def close(self) -> None:
        self._out.close()


# ── spec ──────────────────────────────────────────────────────────────────────────────────────────────


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
    if spec["resume_from"] is not None:
        verify_manifest(Path(spec["resume_from"]))  # fail fast, before the model is loaded
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


# ── data ──────────────────────────────────────────────────────────────────────────────────────────────


@dataclass
class Example:
    input_ids: list[int]
    labels: list[int]


def tokenize_example(tokenizer, segments: list[dict], max_seq_len: int) -> Example:
    """Concatenate the segments' tokens; untrained segments get label -100. Special-token text
    (`<|im_end|>`, `</s>`) inside a segment becomes the special token itself."""
    ids: list[int] = []
    labels: list[int] = []
    for seg in segments:
        tokens = tokenizer(seg["text"], add_special_tokens=False)["input_ids"]
        ids += tokens
        labels += tokens if seg["train"] else [IGNORE] * len(tokens)
    ids, labels = ids[:max_seq_len], labels[:max_seq_len]
    if labels:
        # The first token is never predicted alone; masking it keeps a packed neighbour from predicting it.
        labels[0] = IGNORE
    return Example(ids, labels)


def read_examples(path: str, tokenizer, max_seq_len: int) -> tuple[list[Example], int]:
    """Tokenized examples of a formatted JSONL file, and how many were dropped for having no trained token."""
    examples, dropped = [], 0
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                segments = json.loads(line)["segments"]
                example = tokenize_example(tokenizer, segments, max_seq_len)
            except (ValueError, KeyError, TypeError) as e:
                raise TrainerError("data", f"{path}:{line_no} › segments: {e}", EXIT_INPUT) from e
            if any(label != IGNORE for label in example.labels):
                examples.append(example)
            else:
                dropped += 1
    if not examples:
        raise TrainerError("data", f"{path}: no example has a trained token within max_seq_len", EXIT_INPUT)
    return examples, dropped


def pack(examples: list[Example], max_seq_len: int) -> list[list[Example]]:
    """Best-fit decreasing: each example goes whole into the fullest row it still fits in. Deterministic."""
    order = sorted(range(len(examples)), key=lambda i: (-len(examples[i].input_ids), i))
    rows: list[list[Example]] = []
    free: list[int] = []
    for i in order:
        need = len(examples[i].input_ids)
        fits = [r for r in range(len(rows)) if free[r] >= need]
        if fits:
            best = min(fits, key=lambda r: free[r])
            rows[best].append(examples[i])
            free[best] -= need
        else:
            rows.append([examples[i]])
            free.append(max_seq_len - need)
    return rows


def collate(rows: list[list[Example]], pad_id: int):
    """A batch dict (input_ids, labels, position_ids) right-padded to its longest row, plus its real-token
    count. position_ids restart at 0 for every example; padding continues the last example's positions
    so that an unpacked batch stays one plain causal sequence per row."""
    import torch

    width = max(sum(len(e.input_ids) for e in row) for row in rows)
    ids, labels, positions = [], [], []
    for row in rows:
        r_ids = [t for e in row for t in e.input_ids]
        r_labels = [t for e in row for t in e.labels]
        r_pos = [p for e in row for p in range(len(e.input_ids))]
        pad = width - len(r_ids)
        start = len(row[-1].input_ids)
        ids.append(r_ids + [pad_id] * pad)
        labels.append(r_labels + [IGNORE] * pad)
        positions.append(r_pos + list(range(start, start + pad)))
    real_tokens = sum(len(e.input_ids) for row in rows for e in row)
    batch = {
        "input_ids": torch.tensor(ids),
        "labels": torch.tensor(labels),
        "position_ids": torch.tensor(positions),
    }
    return batch, real_tokens


class MicroBatches:
    """The training order as one endless stream of micro-batches: epoch e visits the rows in the order of
    randperm(seed + e). A position in the stream is all that resuming needs."""

    def __init__(self, rows: list[list[Example]], micro_batch_size: int, seed: int, pad_id: int):
        self.rows, self.size, self.seed, self.pad_id = rows, micro_batch_size, seed, pad_id
        self.per_epoch = math.ceil(len(rows) / micro_batch_size)
        self._order: tuple[int, list[int]] | None = None

    def at(self, position: int):
        import torch

        epoch, index = divmod(position, self.per_epoch)
        if self._order is None or self._order[0] != epoch:
            gen = torch.Generator().manual_seed(self.seed + epoch)
            self._order = (epoch, torch.randperm(len(self.rows), generator=gen).tolist())
        chosen = self._order[1][index * self.size : (index + 1) * self.size]
        return collate([self.rows[i] for i in chosen], self.pad_id)


def to_rows(examples: list[Example], packing: bool, max_seq_len: int) -> list[list[Example]]:
    return pack(examples, max_seq_len) if packing else [[e] for e in examples]


# ── model ─────────────────────────────────────────────────────────────────────────────────────────────


def load_model(spec: dict, device: str, precision: str):
    """Base model (bf16/fp16 weights on those precisions) with a LoRA adapter; trainable weights in fp32."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[precision]
    try:
        tokenizer = AutoTokenizer.from_pretrained(spec["base_model"])
        model = AutoModelForCausalLM.from_pretrained(spec["base_model"], dtype=dtype, attn_implementation="sdpa")
    except Exception as e:  # noqa: BLE001 — any failure here is the model's or tokenizer's files
        first = (str(e).splitlines() or [type(e).__name__])[0]
        raise TrainerError("model-load", f"base_model {spec['base_model']}: {first}") from e
    model.config.use_cache = False
    model.to(device)
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
    if spec["training"]["gradient_checkpointing"]:
        # the older name: transformers 5.17 (on the GPU machines) lacks activation_checkpointing_enable
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        model.enable_input_require_grads()
    return model, tokenizer


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


def trained_tokens(batch: dict) -> int:
    return int((batch["labels"] != IGNORE).sum())


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


# ── checkpoints ───────────────────────────────────────────────────────────────────────────────────────


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


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


@dataclass
class TrainState:
    """What the loss curve needs to continue: the step, the stream position, counters and history."""

    step: int = 0
    position: int = 0  # micro-batches consumed
    tokens: int = 0
    elapsed_s: float = 0.0
    losses: list | None = None  # [[step, loss], ...]
    window: list | None = None  # losses since the last step event


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


# ── signals ───────────────────────────────────────────────────────────────────────────────────────────


class StopFlag:
    """SIGINT/SIGTERM ask the loop to stop after the current step; a second signal exits at once
    (a checkpoint being written then stays a .tmp folder, which is never mistaken for a checkpoint).

    Ctrl-C in a terminal reaches this process and the orchestrator together, and the orchestrator then
    forwards a SIGTERM: signals within a few seconds of the first count as the same request. On Linux the
    trainer also asks for a SIGTERM when its parent dies, so a crashed orchestrator never leaves it training."""

    SAME_REQUEST_S = 5.0

    def __init__(self) -> None:
        self.requested_at: float | None = None
        signal.signal(signal.SIGINT, self._handle)
        signal.signal(signal.SIGTERM, self._handle)
        _term_on_parent_death()

    @property
    def requested(self) -> bool:
        return self.requested_at is not None

    def _handle(self, signum, frame) -> None:
        now = time.monotonic()
        if self.requested_at is not None and now - self.requested_at > self.SAME_REQUEST_S:
            os._exit(EXIT_INTERRUPTED)
        if self.requested_at is None:
            self.requested_at = now


def _term_on_parent_death() -> None:
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    PR_SET_PDEATHSIG = 1
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass  # not glibc: the orchestrator still stops the trainer on every path but its own SIGKILL


def optimizer_step(model, batches, params, optimizer, scheduler, scaler, t: dict, device: str, precision: str):
    """One optimizer step over `accumulation` micro-batches → (per-token loss, grad norm, lr used)."""
    import torch

    num_items = sum(trained_tokens(b) for b, _ in batches)
    step_loss = 0.0
    for batch, _ in batches:
        loss = batch_loss(model, batch, num_items, device, precision)
        (scaler.scale(loss) if scaler else loss).backward()
        step_loss += float(loss.detach())
    if scaler:
        scaler.unscale_(optimizer)
    grad_norm = float(torch.nn.utils.clip_grad_norm_(params, t["max_grad_norm"]))
    lr = scheduler.get_last_lr()[0]
    if scaler:
        scaler.step(optimizer)
        scaler.update()
    else:
        optimizer.step()
    scheduler.step()
    optimizer.zero_grad(set_to_none=True)
    if device == "cuda":
        torch.cuda.synchronize()  # honest step times
    return step_loss, grad_norm, lr


# ── the recipe ────────────────────────────────────────────────────────────────────────────────────────


def train(spec: dict, events: Events, stop: StopFlag):
    """The whole run; returns the trained PeftModel (the tests inspect it)."""
    import torch
    from transformers import get_scheduler

    t = spec["training"]
    device, precision = resolve_device(spec)
    random.seed(t["seed"])
    torch.manual_seed(t["seed"])

    # setup: model, data, optimizer
    model, tokenizer = load_model(spec, device, precision)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else (tokenizer.eos_token_id or 0)
    examples, dropped = read_examples(spec["data"]["train"], tokenizer, t["max_seq_len"])
    if dropped:
        print(f"train: dropped {dropped} examples with no trained token within max_seq_len", file=sys.stderr)
    stream = MicroBatches(to_rows(examples, t["packing"], t["max_seq_len"]), t["micro_batch_size"], t["seed"], pad_id)
    eval_rows = None
    if spec["data"]["eval"] is not None:
        eval_rows = to_rows(read_examples(spec["data"]["eval"], tokenizer, t["max_seq_len"])[0], t["packing"], t["max_seq_len"])

    accum = t["gradient_accumulation_steps"]
    total_steps = t["max_steps"] or math.ceil(t["num_epochs"] * stream.per_epoch / accum)
    warmup = t["warmup_steps"] or math.ceil(t["warmup_ratio"] * total_steps)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=t["learning_rate"], weight_decay=t["weight_decay"])
    scheduler = get_scheduler(t["lr_scheduler"], optimizer, num_warmup_steps=warmup, num_training_steps=total_steps)
    scaler = torch.amp.GradScaler("cuda") if precision == "fp16" else None

    state = TrainState(losses=[], window=[])
    if spec["resume_from"] is not None:
        state = load_checkpoint(Path(spec["resume_from"]), model, optimizer, scheduler, scaler)

    events.emit(
        "start",
        run_id=spec["run_id"],
        device=torch.cuda.get_device_name() if device == "cuda" else device,
        precision=precision,
        params_total=sum(p.numel() for p in model.parameters()),
        params_trainable=sum(p.numel() for p in params),
        total_steps=total_steps,
        start_step=state.step,
        train_examples=len(examples),
        train_sequences=len(stream.rows),
    )

    def run_eval() -> float:
        loss, count = evaluate(model, eval_rows, t["micro_batch_size"], pad_id, device, precision)
        events.emit("eval", step=state.step, eval_loss=loss, eval_tokens=count)
        return loss

    eval_loss = None
    if eval_rows is not None and state.step == 0:
        eval_loss = run_eval()  # LoRA's B starts at zero: this is the base model's loss

    # train
    model.train()
    window_tokens, window_time = 0, 0.0
    while state.step < total_steps:
        if stop.requested:
            raise TrainerError("interrupted", f"stopped before step {state.step + 1}; nothing new to save", EXIT_INTERRUPTED)
        started = time.perf_counter()
        batches = [stream.at(state.position + i) for i in range(accum)]
        step_loss, grad_norm, lr = optimizer_step(model, batches, params, optimizer, scheduler, scaler, t, device, precision)
        took = time.perf_counter() - started

        real = sum(n for _, n in batches)
        state.step += 1
        state.position += accum
        state.tokens += real
        state.elapsed_s += took
        state.losses.append([state.step, step_loss])
        state.window.append(step_loss)
        window_tokens, window_time = window_tokens + real, window_time + took
        if state.step % t["logging_steps"] == 0 or state.step == total_steps:
            events.emit(
                "step",
                step=state.step,
                total_steps=total_steps,
                epoch=state.position / stream.per_epoch,
                loss=sum(state.window) / len(state.window),
                lr=lr,
                grad_norm=grad_norm,
                tokens_per_s=window_tokens / window_time,
                tokens=state.tokens,
                elapsed_s=state.elapsed_s,
            )
            state.window, window_tokens, window_time = [], 0, 0.0
        if eval_rows is not None and t["eval_steps"] and state.step % t["eval_steps"] == 0 and state.step < total_steps:
            eval_loss = run_eval()
        if state.step % t["save_steps"] == 0 or stop.requested:
            path = save_checkpoint(spec, model, optimizer, scheduler, scaler, state)
            events.emit("checkpoint", step=state.step, path=str(path))
        if stop.requested:
            raise TrainerError("interrupted", f"stopped by signal after step {state.step}; checkpoint saved", EXIT_INTERRUPTED)

    # save
    if eval_rows is not None:
        eval_loss = run_eval()
    adapter_dir = Path(spec["output"]["adapter_dir"])
    save_adapter(model, adapter_dir, state.step)
    losses = [loss for _, loss in state.losses]
    events.emit(
        "done",
        adapter_path=str(adapter_dir),
        metrics={
            "steps": state.step,
            "train_loss": sum(losses) / len(losses) if losses else float("nan"),
            "eval_loss": eval_loss,
            "tokens": state.tokens,
            "runtime_s": state.elapsed_s,
        },
    )
    return model


def error_code(e: BaseException) -> str:
    import torch

    if isinstance(e, torch.cuda.OutOfMemoryError):
        return "out-of-memory"
    return "internal"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", required=True, help="path to spec.json (a TrainSpec)")
    parser.add_argument("--schema", default=str(SCHEMA_PATH), help="the TrainSpec JSON Schema")
    args = parser.parse_args(argv)

    events = Events()
    stop = StopFlag()
    import logging
    import warnings

    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    warnings.simplefilter("default")
    try:
        spec = load_spec(args.spec, Path(args.schema))
        train(spec, events, stop)
        return 0
    except TrainerError as e:
        events.emit("error", code=e.code, message=str(e))
        return e.exit_code
    except Exception as e:  # anything else: one line on stdout, the traceback on stderr
        traceback.print_exc(file=sys.stderr)
        first = (str(e).splitlines() or [""])[0]
        events.emit("error", code=error_code(e), message=f"{type(e).__name__}: {first}")
        return EXIT_FAILED
    finally:
        events.close()


if __name__ == "__main__":
    sys.exit(main())
