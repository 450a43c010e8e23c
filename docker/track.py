"""Experiment tracking's local writers: TensorBoard event files and a Weights & Biases run, with their own libraries.

The orchestrator (src/tracking/sidecar.ts) starts this in the tracking venv (docker/requirements-tracking.txt)
and feeds it one JSON object per line on stdin:

  {"op": "open", "tensorboard": {"dir": ...} | null, "wandb": {"id", "project", "entity", "mode", "dir",
   "name", "resume"} | null, "params": {...}, "tags": {...}}
  {"op": "log", "index": N, "step": S, "time": T, "values": {"train/loss": ...}}
  {"op": "restart", "index": N, "step": S, "time": T}      a resumed session: TensorBoard drops later steps
  {"op": "summary", "values": {...}, "tags": {...}, "files": [...]}
  {"op": "close", "failed": bool}

It answers on stdout with {"ack": N} once event N is written and flushed, and {"closed": true} at the end.
Anything else it prints goes to stderr (the orchestrator keeps it in tracking.log).

  python docker/track.py < ops.jsonl
"""

import json
import os
import sys


class TensorBoard:
    def __init__(self, options, params):
        from tensorboard.summary.writer.event_file_writer import EventFileWriter

        self.writer = EventFileWriter(options["dir"], max_queue_size=100, flush_secs=5)
        if params:
            self.text("pipeline/config", "\n".join(f"    {k}: {v}" for k, v in sorted(params.items())), 0)

    def log(self, step, time, values):
        from tensorboard.compat.proto import event_pb2, summary_pb2

        scalars = [summary_pb2.Summary.Value(tag=k, simple_value=float(v)) for k, v in values.items()]
        self.writer.add_event(
            event_pb2.Event(wall_time=time, step=step, summary=summary_pb2.Summary(value=scalars))
        )

    def restart(self, step, time):
        # TensorBoard's reader purges the steps after a SessionLog START: the replayed steps replace the old.
        from tensorboard.compat.proto import event_pb2

        start = event_pb2.SessionLog(status=event_pb2.SessionLog.START)
        self.writer.add_event(event_pb2.Event(wall_time=time, step=step, session_log=start))

    def text(self, tag, markdown, step):
        from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2, types_pb2

        meta = summary_pb2.SummaryMetadata(
            plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="text")
        )
        tensor = tensor_pb2.TensorProto(dtype=types_pb2.DT_STRING, string_val=[markdown.encode()])
        value = summary_pb2.Summary.Value(tag=tag, metadata=meta, tensor=tensor)
        self.writer.add_event(event_pb2.Event(step=step, summary=summary_pb2.Summary(value=[value])))

    def summary(self, step, values, tags):
        if values:
            self.log(step, 0.0, values)
        if tags:
            self.text("pipeline/results", "\n".join(f"    {k}: {v}" for k, v in sorted(tags.items())), step)

    def flush(self):
        self.writer.flush()

    def close(self, failed):
        self.writer.close()


class WandB:
    STEP = "train/step"

    def __init__(self, options, params):
        import wandb

        settings = wandb.Settings(console="off", x_disable_stats=True, save_code=False, silent=True)
        self.run = wandb.init(
            id=options["id"],
            resume="allow",
            project=options["project"],
            entity=options.get("entity"),
            mode=options["mode"],
            dir=options["dir"],
            name=options["name"],
            config=params,
            settings=settings,
        )
        # Our own step axis: a resumed run logs steps again from its checkpoint, which W&B's step would refuse.
        self.run.define_metric(self.STEP)
        self.run.define_metric("*", step_metric=self.STEP)

    def log(self, step, time, values):
        self.run.log({self.STEP: step, **values})

    def restart(self, step, time):
        pass

    def summary(self, step, values, tags):
        self.run.summary.update(values)
        self.run.config.update({"pipeline": tags}, allow_val_change=True)
        if "outcome" in tags:
            self.run.tags = [*self.run.tags, f"outcome:{tags['outcome']}"]

    def save(self, path):
        self.run.save(path, base_path=os.path.dirname(path), policy="now")

    def flush(self):
        pass

    def close(self, failed):
        self.run.finish(exit_code=1 if failed else 0)


def answer(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main():
    writers = []
    last_step = 0
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            op = json.loads(line)
            kind = op["op"]
            if kind == "open":
                if op.get("tensorboard"):
                    writers.append(TensorBoard(op["tensorboard"], op.get("params")))
                if op.get("wandb"):
                    writers.append(WandB(op["wandb"], op.get("params")))
                answer({"opened": True})
            elif kind in ("log", "restart"):
                last_step = op["step"]
                for writer in writers:
                    if kind == "log":
                        writer.log(op["step"], op["time"], op["values"])
                    else:
                        writer.restart(op["step"], op["time"])
                    writer.flush()
                answer({"ack": op["index"]})
            elif kind == "summary":
                for writer in writers:
                    writer.summary(last_step, op.get("values", {}), op.get("tags", {}))
                    for path in op.get("files", []):
                        if isinstance(writer, WandB) and os.path.exists(path):
                            writer.save(path)
                    writer.flush()
                answer({"summarized": True})
            elif kind == "close":
                failed = op.get("failed", False)
                while writers:
                    writers.pop().close(failed)
                answer({"closed": True})
                return
    finally:
        # The orchestrator went away without closing (killed): what was written is kept.
        while writers:
            writers.pop().close(True)


if __name__ == "__main__":
    main()
