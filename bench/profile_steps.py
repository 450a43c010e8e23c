"""Profiles a few optimizer steps of the real docker/train.py: where a training step's GPU time goes.

Not a test: it prints a table. The trainer runs unchanged, in this process, with its `optimizer_step` wrapped
so that the steps after the warm-up run under torch.profiler; then it prints the busy share of the GPU (kernel
time / wall time: below 1 means the GPU waits on Python or on data) and the kernels that take the time.

    python bench/profile_steps.py --spec SPEC.json --skip 6 --steps 3 --out profile.txt
(bench/throughput.py --profile VARIANTS writes the spec and calls this.)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docker"))
import train  # noqa: E402  (the trainer's own module: its loop looks optimizer_step up at call time)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--spec", required=True)
    p.add_argument("--skip", type=int, default=6, help="steps before the profiled ones (warm-up, compile)")
    p.add_argument("--steps", type=int, default=3, help="steps profiled")
    p.add_argument("--out", required=True, help="file the table is written to")
    args = p.parse_args()

    import torch
    from torch.profiler import ProfilerActivity, profile

    step_fn, calls, state = train.optimizer_step, [0], {}
    sync = torch.cuda.synchronize if torch.cuda.is_available() else (lambda: None)

    def profiled(*a, **k):
        calls[0] += 1
        if calls[0] == args.skip + 1:
            sync()
            state["prof"] = profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA])
            state["prof"].__enter__()
            state["began"] = time.perf_counter()
        result = step_fn(*a, **k)
        if calls[0] == args.skip + args.steps:
            sync()
            wall = time.perf_counter() - state["began"]
            state["prof"].__exit__(None, None, None)
            report(state["prof"], wall, args)
        return result

    train.optimizer_step = profiled
    return train.main(["--spec", args.spec])


def report(prof, wall: float, args) -> None:
    events = prof.key_averages()
    busy_us = sum(e.self_device_time_total for e in events)
    key = "self_device_time_total" if busy_us else "self_cpu_time_total"
    try:
        table = events.table(sort_by=key, row_limit=45, max_name_column_width=70)
    except (AttributeError, KeyError, ValueError):  # older torch names the device column cuda
        table = events.table(sort_by="self_cuda_time_total", row_limit=45, max_name_column_width=70)
    head = (
        f"{args.steps} steps profiled after {args.skip}: wall {wall:.3f} s, GPU kernel time {busy_us / 1e6:.3f} s "
        f"(busy {busy_us / 1e6 / wall:.0%} of wall)\n"
    )
    Path(args.out).write_text(head + table + "\n")
    print(head, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
