"""One node of a Ray job (docker/ray_job.py): its inputs pulled from the store into a work folder of its own, then
torchrun with this node's rank, exactly as a local multi-process run starts the trainer; or, for an evaluation,
generate.py with the flags every runtime passes it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import ray

from .checkpoints import write_manifest
from .secrets import take_secrets_json
from .store import Store

TRAIN = Path(__file__).resolve().parent.parent / "train.py"
GENERATE = TRAIN.with_name("generate.py")


@ray.remote(max_concurrency=4)  # stop() must run while stream()/run() are busy
class Node:
    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.work: Path | None = None
        self.env: dict[str, str] = {}

    def prepare(self, job: dict, secrets: dict[str, str]) -> None:
        """Pulls the run's inputs (verified) and writes the spec with this node's paths."""
        self._take_secrets(secrets)
        spec = job["spec"]
        work = Path(tempfile.mkdtemp(prefix=f"pipeline-{spec['run_id']}-"))
        store = Store(spec["store"])
        store.pull("inputs", work / "inputs")
        if job["model_in_store"]:
            store.pull("model", work / "model")
        if spec["resume_from"] is not None:
            store.pull(spec["resume_from"], work / spec["resume_from"])
        (work / "spec.json").write_text(json.dumps(localized(spec, work, job["model_in_store"]), indent=1))
        self.work = work

    def generate(self, job: dict, secrets: dict[str, str]) -> int:
        """An evaluation: the base model (when it came from the orchestrator's disk), the adapter and the prompts
        pulled from the store into a work folder, generate.py run there with the flags every runtime passes
        (relative to that folder), and its result files written back to the store (manifest last)."""
        self._take_secrets(secrets)
        g = job["generate"]
        work = Path(tempfile.mkdtemp(prefix=f"pipeline-{job['run_id']}-eval-"))
        try:
            store = Store(job["store"])
            if job["model_in_store"]:
                store.pull("model", work / "model")
            store.pull("adapter", work / "adapter")
            store.pull(g["prompts_key"], work / "prompts")
            if g.get("champion_key"):  # eval.compare_to: the adapter this run is compared with
                store.pull(g["champion_key"], work / "champion")
            (work / "out").mkdir()
            print(f"ray_job: generating on {ray.util.get_node_ip_address()}", file=sys.stderr, flush=True)
            args = [sys.executable, "-u", str(GENERATE), *g["args"]]
            self.proc = subprocess.Popen(args, env=self.env, cwd=work, stdout=sys.stderr, preexec_fn=die_with_parent)
            code = self.proc.wait()  # stop() ends it early
            if code == 0:
                write_manifest(work / "out", 0)
                store.push(work / "out", g["out_key"])
            return code
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def address(self) -> tuple[str, int]:
        """Where rank 0's torchrun listens for the other nodes: this node's IP and a free port on it."""
        ip = ray.util.get_node_ip_address()
        with socket.socket() as s:
            s.bind((ip, 0))
            return ip, s.getsockname()[1]

    def stream(self, job: dict, master: tuple[str, int]):
        """Node 0: runs torchrun and yields rank 0's event lines, then {"exit", "interrupted"}."""
        self._start(job, master, 0)
        interrupted = False
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            interrupted = interrupted or is_interrupted(line)
            yield line
        yield {"exit": self.proc.wait(), "interrupted": interrupted}
        self._clean()

    def run(self, job: dict, master: tuple[str, int], rank: int) -> int:
        """Any other node: runs torchrun to its end (its ranks write no events)."""
        self._start(job, master, rank)
        for _ in self.proc.stdout:
            pass
        code = self.proc.wait()
        self._clean()
        return code

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # torchrun passes it to its ranks

    def _take_secrets(self, secrets: dict[str, str]) -> None:
        secrets = {**secrets, **take_secrets_json(Path.cwd() / "secrets.json")}  # this node's copy of the package
        os.environ.update(secrets)  # boto3 here, and the trainers below, read credentials from the environment
        self.env = dict(os.environ)

    def _start(self, job: dict, master: tuple[str, int], rank: int) -> None:
        args = [
            sys.executable, "-u", "-m", "torch.distributed.run",
            f"--nnodes={job['workers']}", f"--node-rank={rank}",
            f"--nproc-per-node={max(1, job['gpus_per_worker'])}",
            f"--master-addr={master[0]}", f"--master-port={master[1]}",
            str(TRAIN), "--spec", str(self.work / "spec.json"),
        ]  # fmt: skip
        self.proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, text=True, env=self.env, cwd=self.work, preexec_fn=die_with_parent
        )

    def _clean(self) -> None:
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)  # everything worth keeping is in the store


def die_with_parent() -> None:
    """torchrun goes when this actor goes (its node's raylet died): no orphan trains on, writing to the store
    beside the attempt that retries the run."""
    import ctypes

    ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def localized(spec: dict, work: Path, model_in_store: bool) -> dict:
    """The cluster spec's paths (relative: the store's keys) made this node's own."""
    data = {k: (str(work / v) if v is not None else None) for k, v in spec["data"].items()}
    out = {k: str(work / v) for k, v in spec["output"].items()}
    resume = str(work / spec["resume_from"]) if spec["resume_from"] is not None else None
    model = str(work / "model") if model_in_store else spec["base_model"]
    init = str(work / spec["init_adapter"]) if spec["init_adapter"] is not None else None  # under inputs/
    return {**spec, "data": data, "output": out, "resume_from": resume, "base_model": model, "init_adapter": init}


def is_interrupted(line: str) -> bool:
    try:
        parsed = json.loads(line)
    except ValueError:
        return False
    return parsed.get("type") == "error" and parsed.get("code") == "interrupted"
