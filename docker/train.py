"""LoRA fine-tuning (SFT, DPO or KTO): one spec.json in, a PEFT adapter and a JSON-lines event stream out.

The recipe reads top to bottom: validate the spec → load model + LoRA → load data → train → save → cleanup.
Every value comes from spec.json (schema/train-spec.schema.json, generated from src/config/train-spec.ts);
nothing is defaulted here. The method (spec.task) decides the data and the loss (pipeline_trainer/objectives.py,
preference.py); the loop around them — accumulation, clipping, schedule, checkpoints, resume — is the same for all
three. stdout carries only the event stream (src/run-dir/event-contract.ts); all library output
goes to stderr. The supporting pieces live beside this file in pipeline_trainer/ (events, spec, data with
packing, model, checkpoints, signals); torch and friends are imported only once the spec has passed.

Run it:

    python docker/train.py --spec runs/<run-id>/spec.json
    python docker/train.py --spec spec.json 2>trainer.log | tee events.jsonl
    python -m torch.distributed.run --standalone --nproc-per-node 2 docker/train.py --spec spec.json  # DDP
    python -m pytest docker/tests -q          # tiny-model tests (CPU, ~1 min)

Exit codes: 0 done · 1 training failed (error event says why) · 2 bad spec, data or checkpoint ·
130 interrupted by SIGINT/SIGTERM after saving a checkpoint that `resume_from` continues.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))  # pipeline_trainer/ sits beside this script, whatever the cwd or `python -P`

from pipeline_trainer import distributed as dist  # noqa: E402
from pipeline_trainer.checkpoints import (  # noqa: E402
    TrainState,
    global_batch_size,
    load_checkpoint,
    load_weights,
    rng_state,
    save_adapter,
    save_checkpoint,
)
from pipeline_trainer.data import step_positions  # noqa: E402
from pipeline_trainer.events import EXIT_FAILED, EXIT_INTERRUPTED, Events, TrainerError, error_code  # noqa: E402
from pipeline_trainer.flops import peak_flops  # noqa: E402
from pipeline_trainer.kernels import check_kernels, make_optimizer  # noqa: E402
from pipeline_trainer.model import load_model  # noqa: E402
from pipeline_trainer.objectives import add_stats, make_objective  # noqa: E402
from pipeline_trainer.secrets import load_secrets_file, load_secrets_stdin  # noqa: E402
from pipeline_trainer.signals import StopFlag  # noqa: E402
from pipeline_trainer.spec import load_spec, resolve_device  # noqa: E402
from pipeline_trainer.store import Store  # noqa: E402

SCHEMA_PATH = HERE.parent / "schema" / "train-spec.schema.json"


def train(spec: dict, events: Events, stop: StopFlag):
    """The whole run; returns the trained PeftModel (the tests inspect it)."""
    import torch
    from transformers import get_scheduler

    # spec: device, precision, the processes of this run, and the seed (LoRA's initial weights come from it)
    t = spec["training"]
    device, precision = resolve_device(spec)
    check_kernels(t, device, precision)
    ranks = dist.join(spec, device)
    # On a cluster, rank 0 writes each checkpoint and the adapter to the store itself (no shared disk).
    store = Store(spec["store"]) if spec["store"] is not None and ranks.main else None
    random.seed(t["seed"])
    torch.manual_seed(t["seed"])

    # model + LoRA (the same initial weights on every rank), then the data its tokenizer reads
    model, tokenizer = load_model(spec, device, precision)
    if ranks.several:
        torch.manual_seed(t["seed"] + ranks.rank)  # each rank its own dropout masks
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else (tokenizer.eos_token_id or 0)
    objective = make_objective(spec, model, tokenizer, pad_id)
    stream, has_eval = objective.stream, objective.eval_rows is not None

    # a resumed adapter's weights, DDP or FSDP (which swaps the weights for their shards), then the optimizer
    # over those and the rest of the resumed state; a step takes accum × world_size micro-batches
    if spec["resume_from"] is not None:
        load_weights(Path(spec["resume_from"]), model)
    peft_model, model = model, dist.wrap(model, ranks, device)
    accum = t["gradient_accumulation_steps"]
    per_step = accum * ranks.world_size
    total_steps = t["max_steps"] or math.ceil(t["num_epochs"] * stream.per_epoch / per_step)
    warmup = t["warmup_steps"] or math.ceil(t["warmup_ratio"] * total_steps)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = make_optimizer(params, t)
    scheduler = get_scheduler(t["lr_scheduler"], optimizer, num_warmup_steps=warmup, num_training_steps=total_steps)
    scaler = torch.amp.GradScaler("cuda") if precision == "fp16" else None

    state = TrainState(losses=[], window=[], metric_window=[])
    if spec["resume_from"] is not None:
        state = load_checkpoint(Path(spec["resume_from"]), model, optimizer, scheduler, scaler, ranks)
    state.world_size, state.global_batch_size = ranks.world_size, global_batch_size(spec)

    device_name = torch.cuda.get_device_name() if device == "cuda" else device
    events.emit(
        "start",
        run_id=spec["run_id"],
        device=device_name,
        precision=precision,
        peak_flops=peak_flops(device_name, precision),
        params_total=sum(p.numel() for p in model.parameters()),
        params_trainable=sum(p.numel() for p in params),
        total_steps=total_steps,
        start_step=state.step,
        method=spec["task"],
        train_examples=objective.examples,
        train_sequences=len(stream.rows),
        world_size=ranks.world_size,
        strategy=spec["distributed"]["strategy"] if ranks.several else None,
        global_batch_size=state.global_batch_size,
    )
    if ranks.main:
        print(
            f"train: {t['micro_batch_size']} sequences per micro-batch × {accum} accumulation × {ranks.world_size} "
            f"process(es) = {state.global_batch_size} sequences per step",
            file=sys.stderr,
        )

    def run_eval() -> float | None:
        """Rank 0 evaluates the plain model (no DDP collectives) while the others wait at the next step; under
        fsdp every rank joins each forward, and rank 0 alone reports."""
        if not ranks.main and not ranks.sharded:
            return None
        result = objective.evaluate(peft_model, device, precision)
        events.emit("eval", step=state.step, **result)
        return result["eval_loss"]

    eval_loss, evaluated_at = None, -1
    if has_eval and state.step == 0:
        eval_loss = run_eval()  # LoRA's B starts at zero: this is the base model's loss
        evaluated_at = 0

    # train; the ranks agree on stopping once per step (a signal may reach them at different moments)
    model.train()
    window_tokens, window_time = 0, 0.0
    if dist.all_sum([float(stop.requested)], ranks)[0] and state.step < total_steps:
        raise TrainerError("interrupted", f"stopped before step {state.step + 1}; nothing new to save", EXIT_INTERRUPTED)
    while state.step < total_steps:
        started = time.perf_counter()
        batches = [stream.at(p) for p in step_positions(state.position, accum, ranks.rank, ranks.world_size)]
        step_loss, stats, grad_norm, lr, real = optimizer_step(
            objective, model, batches, params, optimizer, scheduler, scaler, t, device, precision, ranks
        )
        stopping = dist.all_sum([float(stop.requested)], ranks)[0] > 0
        took = time.perf_counter() - started
        if state.step == 0:
            objective.check_first_step(step_loss, stats)  # the policy starts as the reference (dpo, kto)

        state.step += 1
        state.position += per_step
        state.tokens += real
        state.elapsed_s += took
        state.losses.append([state.step, step_loss])
        state.window.append(step_loss)
        state.metric_window = (state.metric_window or []) + [objective.step_metrics(stats)]
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
                **window_mean(state.metric_window),
            )
            state.window, state.metric_window, window_tokens, window_time = [], [], 0, 0.0
        # The last step's eval comes before its checkpoint, so that checkpoint's manifest records it (keep_best).
        due = (t["eval_steps"] and state.step % t["eval_steps"] == 0) or state.step == total_steps
        if has_eval and due:
            eval_loss = run_eval()
            evaluated_at = state.step
        if state.step % t["save_steps"] == 0 or stopping:
            rngs, trained = dist.gather(rng_state(), ranks), dist.trained_state(model, optimizer, ranks)
            if ranks.main:
                path = save_checkpoint(spec, peft_model, trained, scheduler, scaler, state, rngs)
                where = store.push(path, f"checkpoints/{path.name}") if store else str(path)
                events.emit("checkpoint", step=state.step, path=where)
            dist.barrier(ranks)  # no rank leaves before the checkpoint is whole
        if stopping:
            raise TrainerError("interrupted", f"stopped by signal after step {state.step}; checkpoint saved", EXIT_INTERRUPTED)

    # save
    if has_eval and evaluated_at != state.step:
        eval_loss = run_eval()
    adapter_dir = Path(spec["output"]["adapter_dir"])
    adapter_path = str(adapter_dir)
    weights, _ = dist.trained_state(model, None, ranks)
    if ranks.main:
        save_adapter(peft_model, adapter_dir, state.step, weights)
        if store:
            adapter_path = store.push(adapter_dir, "adapter")
    losses = [loss for _, loss in state.losses]
    events.emit(
        "done",
        adapter_path=adapter_path,
        metrics={
            "steps": state.step,
            "train_loss": sum(losses) / len(losses) if losses else float("nan"),
            "eval_loss": eval_loss,
            "tokens": state.tokens,
            "runtime_s": state.elapsed_s,
        },
    )
    dist.barrier(ranks)
    return peft_model


def optimizer_step(objective, model, batches, params, optimizer, scheduler, scaler, t: dict, device: str, precision: str, ranks):
    """One optimizer step over this rank's micro-batches → (the step's mean loss — per token for SFT, per row
    for DPO/KTO —, the objective's summed stats, grad norm, lr used, real tokens), the loss, stats and tokens
    summed over all ranks. Each micro-batch's loss is divided by the items (trained tokens, rows) of the
    whole step on all ranks, and multiplied by the world size because DDP averages the ranks' gradients: the
    gradient is the step's per-token mean, as with one process."""
    import torch

    items, real = dist.all_sum([objective.items(batches), sum(n for _, n in batches)], ranks)
    step_loss, stats = 0.0, {}
    for i, (batch, _) in enumerate(batches):
        with dist.no_sync(model, ranks, last=i == len(batches) - 1):
            loss, batch_stats = objective.loss(model, batch, int(items), device, precision)
            scaled = loss * ranks.world_size
            (scaler.scale(scaled) if scaler else scaled).backward()
        step_loss += float(loss.detach())
        add_stats(stats, batch_stats)
    if scaler:
        scaler.unscale_(optimizer)
    grad_norm = dist.grad_norm(torch.nn.utils.clip_grad_norm_(params, t["max_grad_norm"]), ranks)
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
    keys = sorted(stats)
    step_loss, *summed = dist.all_sum([step_loss, *(stats[k] for k in keys)], ranks)
    return step_loss, dict(zip(keys, summed)), grad_norm, lr, int(real)


def window_mean(window: list[dict]) -> dict:
    """Each metric's mean over the steps since the last step event (a step may lack one: KTO's rewards)."""
    keys = {key for metrics in window for key in metrics}
    return {key: sum(m[key] for m in window if key in m) / sum(key in m for m in window) for key in sorted(keys)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", required=True, help="path to spec.json (a TrainSpec)")
    parser.add_argument("--schema", default=str(SCHEMA_PATH), help="the TrainSpec JSON Schema")
    args = parser.parse_args(argv)
    load_secrets_file()
    load_secrets_stdin()

    events = Events(main=dist.launched_rank() == 0)
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
        first = (str(e).splitlines() or [""])[0]
        # The event first: with the disk full, writing the traceback to the log may fail too.
        events.emit("error", code=error_code(e), message=f"{type(e).__name__}: {first}")
        try:
            traceback.print_exc(file=sys.stderr)
        except OSError:
            pass
        return EXIT_FAILED
    finally:
        events.close()
        dist.leave()


if __name__ == "__main__":
    sys.exit(main())
