"""A training run, or its evaluation, on a Ray cluster: the job's entrypoint, submitted by src/launch/ray/ through the
Jobs REST API.

    python ray_job.py --job job.json      # in the job's working dir: this folder, shipped as a package

The same recipe as a local run, started the same way: torchrun on each node (one process per GPU, one on a CPU
node), the nodes joined through rank 0's address. One actor per worker holds a node (STRICT_SPREAD: one per
node); it pulls the run's inputs from the checkpoint store (the nodes share no disk): the state (spec and data),
a local base model, and the checkpoint to resume from, each verified against its manifest. Rank 0 writes every
checkpoint and the adapter to the store itself. This driver prints rank 0's event stream on its stdout (the job's
log, which the orchestrator follows); the rest goes to stderr.

Secrets (HF_TOKEN, AWS_*) arrive in secrets.json beside this file, inside the job's package, never in the job's
runtime_env (which the Jobs API shows to anyone who lists jobs). Ray unpacks the package on every node the job
uses: the driver and each node's actor read their node's copy and delete it, and the values reach torchrun in
its environment only (an actor on the driver's node gets them from the driver).

An evaluation (job.json kind "generate") runs docker/generate.py on one node with the flags every runtime passes
it: the base model (when it came from the orchestrator's disk), the adapter and the prompts pulled from the store,
both result files pushed back to `<run>/eval/<suite>/out/` with their manifest last.

Stopping the job sends SIGTERM here: every torchrun gets SIGTERM, the ranks agree on a step, rank 0 writes its
checkpoint to the store, and the driver exits 130. Exit 75: a node of the job died (the attempt is lost; a
retry resumes from the newest checkpoint in the store).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

EXIT_LOST, EXIT_INTERRUPTED = 75, 130


def event(type_: str, **fields) -> str:
    return json.dumps({"v": 1, "type": type_, "time": time.time(), **fields})


def fail(code: str, message: str, exit_code: int) -> int:
    print(event("error", code=code, message=message), flush=True)
    return exit_code


def first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


def main() -> int:
    import ray

    from pipeline_trainer.events import TrainerError
    from pipeline_trainer.ray_node import Node
    from pipeline_trainer.secrets import take_secrets_json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--job", required=True)
    job = json.loads(Path(parser.parse_args().job).read_text(encoding="utf-8"))
    secrets = take_secrets_json(HERE.parent / "secrets.json")  # the package's root, beside job.json
    ray.init(address="auto")  # the nodes' trainer logs reach this stderr, so the job's log

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        if job["kind"] == "generate":
            return generate(job, secrets, stop)
        return train(job, secrets, stop)
    except ray.exceptions.RayActorError as e:
        if e.actor_init_failed:  # our code failed to start on a node: not a lost node
            return fail("ray-actor", first_line(e), 1)
        return fail("node-lost", f"a node of the job died: {first_line(e)}", EXIT_LOST)
    except ray.exceptions.RayTaskError as e:  # raised by a node's own code: a missing input, a bad checkpoint
        cause = e.cause
        if isinstance(cause, TrainerError):
            return fail(cause.code, str(cause), cause.exit_code)
        return fail("internal", f"{type(cause).__name__}: {first_line(cause)}", 1)


def generate(job: dict, secrets: dict[str, str], stop: threading.Event) -> int:
    """An evaluation: generate.py on one node (with the GPUs of one worker); a stop request ends it (exit 130)."""
    import ray

    from pipeline_trainer.ray_node import Node

    node = Node.options(num_gpus=job["gpus_per_worker"]).remote()
    done = node.generate.remote(job, secrets)
    while not ray.wait([done], timeout=0.5)[0]:
        if stop.is_set():
            print("ray_job: stop requested; generation ends", file=sys.stderr, flush=True)
            ray.get(node.stop.remote())
            ray.get(done)
            return EXIT_INTERRUPTED
    return ray.get(done)


def train(job: dict, secrets: dict[str, str], stop: threading.Event) -> int:
    """One torchrun per worker node, each in a bundle of its own; rank 0's events on this stdout."""
    import ray
    from ray.util.placement_group import placement_group

    from pipeline_trainer.ray_node import Node

    workers, gpus = job["workers"], job["gpus_per_worker"]
    bundles = [{"CPU": 1, **({"GPU": gpus} if gpus else {})} for _ in range(workers)]
    group = placement_group(bundles, strategy="STRICT_SPREAD" if workers > 1 else "PACK")
    ray.get(group.ready())
    nodes = [Node.options(placement_group=group, placement_group_bundle_index=i, num_gpus=gpus).remote() for i in range(workers)]
    ray.get([n.prepare.remote(job, secrets) for n in nodes])
    master = ray.get(nodes[0].address.remote())
    print(f"ray_job: {workers} node(s), rank 0 at {master[0]}:{master[1]}", file=sys.stderr, flush=True)
    others = [n.run.remote(job, master, rank) for rank, n in enumerate(nodes) if rank > 0]
    code = follow(nodes[0].stream.remote(job, master), stop, nodes)
    codes = ray.get(others)
    if stop.is_set():
        return EXIT_INTERRUPTED
    return code or next((c for c in codes if c), 0)


def follow(lines, stop: threading.Event, nodes) -> int:
    """Prints rank 0's events as they come; a stop request is passed to every node once. Returns rank 0's
    trainer exit code (130 when it stopped on a signal, whatever torchrun itself exits with)."""
    import ray

    result: dict = {}

    def pump() -> None:
        try:
            for ref in lines:
                item = ray.get(ref)
                if isinstance(item, dict):
                    result.update(item)
                else:
                    print(item, flush=True)
        except BaseException as e:  # noqa: BLE001 — re-raised in the main thread
            result["error"] = e

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    stopped = False
    while thread.is_alive():
        thread.join(0.5)
        if stop.is_set() and not stopped:
            stopped = True
            print("ray_job: stop requested; each node's trainers save a checkpoint first", file=sys.stderr, flush=True)
            for n in nodes:
                n.stop.remote()
    if "error" in result:
        raise result["error"]
    return EXIT_INTERRUPTED if result.get("interrupted") else result.get("exit", 1)


if __name__ == "__main__":
    sys.exit(main())
