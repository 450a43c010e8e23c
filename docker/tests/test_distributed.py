"""Two training processes under torchrun (gloo, CPU) against one: the same loss curve at the same global batch,
rank 0 alone writing, a stop + resume that continues the curve, and a resume with another number of processes.

Tolerance: two processes and one with twice the accumulation train on the same micro-batches, but the
gradients are summed in another order (DDP's all-reduce), so the losses agree to float32 rounding, which
Adam carries forward: within 1e-4 absolute per step (measured here with gloo on CPU: 0.0)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import DOCKER
from test_cli import assert_complete, parse

TRAIN = str(DOCKER / "train.py")
TOLERANCE = 1e-4
# 30 constant-lr steps: short on CPU, long enough that a stop lands mid-run; no dropout, so no RNG in the curve.
TRAINING = {"max_steps": 30, "micro_batch_size": 4, "lr_scheduler": "constant", "save_steps": 1000}
LORA = {"dropout": 0.0}


def torchrun(spec_path, processes: int = 2) -> list[str]:
    launcher = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc-per-node={processes}"]
    return [*launcher, TRAIN, "--spec", str(spec_path)]


ENV = {**os.environ, "GLOO_SOCKET_IFNAME": "lo"}  # the ranks talk over loopback only


def run(args) -> tuple[subprocess.CompletedProcess, list[dict]]:
    result = subprocess.run(args, capture_output=True, text=True, env=ENV, timeout=600)
    return result, parse(result.stdout)


def losses(events: list[dict]) -> dict[int, float]:
    return {e["step"]: e["loss"] for e in events if e["type"] == "step"}


def two_process_spec(make_spec, name: str, **top):
    training = {**TRAINING, "gradient_accumulation_steps": 1}
    return make_spec(name, training=training, lora=LORA, distributed={"world_size": 2, "strategy": "ddp"}, **top)


def test_two_processes_train_the_curve_of_one_at_the_same_global_batch(make_spec):
    one, one_path = make_spec("one", training={**TRAINING, "gradient_accumulation_steps": 2}, lora=LORA)
    two, two_path = two_process_spec(make_spec, "two")

    result, single = run([sys.executable, TRAIN, "--spec", str(one_path)])
    assert result.returncode == 0, result.stderr
    result, double = run(torchrun(two_path))
    assert result.returncode == 0, result.stderr

    # rank 0 alone writes the stream: one start, one step per step, one done
    assert [e["type"] for e in double].count("start") == 1 and len(losses(double)) == 30
    start = double[0]
    assert (start["world_size"], start["global_batch_size"]) == (2, 8)
    assert (single[0]["world_size"], single[0]["global_batch_size"]) == (1, 8)
    assert "4 sequences per micro-batch × 1 accumulation × 2 process(es) = 8 sequences per step" in result.stderr

    a, b = losses(single), losses(double)
    assert max(abs(a[s] - b[s]) for s in a) < TOLERANCE, (a, b)
    print("largest loss difference, 2 processes vs 1:", max(abs(a[s] - b[s]) for s in a))
    assert a[30] < 0.95 * a[1]  # it learns
    steps = [e for e in double if e["type"] == "step"]
    assert steps[-1]["tokens"] == [e for e in single if e["type"] == "step"][-1]["tokens"]  # every rank's tokens
    assert_complete(Path(two["output"]["adapter_dir"]))


def test_a_stopped_two_process_run_resumes_on_its_curve(make_spec):
    full, full_path = two_process_spec(make_spec, "full")
    result, uninterrupted = run(torchrun(full_path))
    assert result.returncode == 0, result.stderr

    # SIGTERM to torchrun reaches both ranks; they agree on the step to stop after, and rank 0 saves it
    stopped, stopped_path = two_process_spec(make_spec, "stopped")
    proc = subprocess.Popen(torchrun(stopped_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    lines, deadline = [], time.monotonic() + 300
    while time.monotonic() < deadline and '"type": "step"' not in (lines[-1] if lines else ""):
        lines.append(proc.stdout.readline())
    proc.send_signal(signal.SIGTERM)
    rest, err = proc.communicate(timeout=300)
    assert proc.returncode != 0, err
    events = parse("".join(lines) + rest)
    checkpoint, error = events[-2], events[-1]
    assert checkpoint["type"] == "checkpoint" and error["code"] == "interrupted", err
    assert 1 <= checkpoint["step"] < 30
    folder = Path(checkpoint["path"])
    assert_complete(folder)
    state = json.loads((folder / "trainer_state.json").read_text())
    assert (state["position"], state["world_size"]) == (2 * checkpoint["step"], 2)  # global micro-batches

    _, resume_path = two_process_spec(make_spec, "resumed", resume_from=str(folder))
    result, resumed = run(torchrun(resume_path))
    assert result.returncode == 0, result.stderr
    assert resumed[0]["start_step"] == checkpoint["step"]
    after = losses(resumed)
    assert sorted(after) == list(range(checkpoint["step"] + 1, 31))
    expected = losses(uninterrupted)
    assert max(abs(after[s] - expected[s]) for s in after) < 1e-6, (after, expected)

    # One process may continue it only with the same sequences per step (accumulation 2 × 1 = 1 × 2) ...
    training = {**TRAINING, "gradient_accumulation_steps": 2}
    _, same_batch = make_spec("one-process", training=training, lora=LORA, resume_from=str(folder))
    result, alone = run([sys.executable, TRAIN, "--spec", str(same_batch)])
    assert result.returncode == 0, result.stderr
    assert max(abs(v - expected[s]) for s, v in losses(alone).items()) < TOLERANCE

    # ... and is refused, before any model loads, when a step would take other sequences.
    _, other_batch = make_spec("other", training=TRAINING, lora=LORA, resume_from=str(folder))
    result, [refused] = run([sys.executable, TRAIN, "--spec", str(other_batch)])
    assert result.returncode == 2
    assert refused["code"] == "resume-mismatch"
    assert "trained by 2 process(es) with 8 sequences per step" in refused["message"]
    assert "this launch has 1 process(es) and 4" in refused["message"]


def test_a_launch_that_does_not_match_the_spec_is_refused(make_spec):
    _, path = two_process_spec(make_spec, "mismatch")
    result, [event] = run([sys.executable, TRAIN, "--spec", str(path)])
    assert result.returncode == 2
    assert event["code"] == "bad-spec" and "world_size is 2 but 1 process(es) were started" in event["message"]
