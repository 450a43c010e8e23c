"""train.py as the orchestrator runs it: a child process whose stdout is the event stream."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from pathlib import Path

from conftest import DOCKER, REPO
from pipeline_trainer.checkpoints import verify_manifest

TRAIN = str(DOCKER / "train.py")


def events_schema() -> dict:
    """The event stream contract, generated from src/run-dir/event-contract.ts into schema/events.schema.json."""
    return json.loads((REPO / "schema" / "events.schema.json").read_text())


def run(spec_path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, TRAIN, "--spec", str(spec_path)], capture_output=True, text=True, **kw)


def parse(stdout: str) -> list[dict]:
    """Every stdout line is one event of the contract: no missing field, no field it does not name."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(events_schema())
    events = [json.loads(line) for line in stdout.splitlines()]  # every line must be JSON
    for e in events:
        errors = list(validator.iter_errors(e))
        assert not errors, (e, [err.message for err in errors])
        assert e["v"] == 1 and isinstance(e["time"], float)
    return events


def test_the_schema_rejects_what_the_contract_does_not_name():
    import jsonschema

    validator = jsonschema.Draft202012Validator(events_schema())
    error = {"v": 1, "time": 1.0, "type": "error", "code": "x", "message": "y"}
    assert validator.is_valid(error)
    assert not validator.is_valid({**error, "extra": 1})
    assert not validator.is_valid({k: v for k, v in error.items() if k != "code"})
    assert not validator.is_valid({**error, "type": "nope"})


def assert_complete(folder: Path) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {"manifest.json"}
    assert {f["path"] for f in manifest["files"]} == files
    verify_manifest(folder)  # sizes and sha256
    newest = max((folder / f).stat().st_mtime_ns for f in files)
    assert (folder / "manifest.json").stat().st_mtime_ns >= newest  # written last


def test_a_run_writes_only_contract_events_and_verified_checkpoints(make_spec, data):
    training = {"max_steps": 4, "save_steps": 2, "eval_steps": 2, "logging_steps": 2}
    spec, path = make_spec(training=training, data={"train": data["train"], "eval": data["eval"]})
    result = run(path)
    assert result.returncode == 0, result.stderr
    events = parse(result.stdout)
    assert [e["type"] for e in events] == [
        "start", "eval", "step", "eval", "checkpoint", "step", "eval", "checkpoint", "done",
    ]  # fmt: skip
    assert [e["step"] for e in events if e["type"] == "eval"] == [0, 2, 4]
    root = Path(spec["output"]["checkpoint_dir"])
    assert sorted(p.name for p in root.iterdir()) == ["step-000002", "step-000004"]  # no .tmp left over
    for folder in root.iterdir():
        assert_complete(folder)
        assert json.loads((folder / "spec.json").read_text()) == spec
    assert_complete(Path(spec["output"]["adapter_dir"]))
    assert events[-1]["adapter_path"] == spec["output"]["adapter_dir"]

    # a checkpoint whose files do not match its manifest is refused before any model is loaded
    checkpoint = root / "step-000002"
    with open(checkpoint / "optimizer.pt", "ab") as f:
        f.write(b"x")
    _, resume = make_spec("resumed", resume_from=str(checkpoint))
    result = run(resume)
    assert result.returncode == 2
    [event] = parse(result.stdout)
    assert event["code"] == "bad-checkpoint" and "optimizer.pt" in event["message"]


def test_bad_spec_exits_2_with_an_error_event(make_spec, tmp_path):
    _, path = make_spec(training={"max_steps": 0, "surprise": 1})
    result = run(path)
    assert result.returncode == 2
    [event] = parse(result.stdout)
    assert event["code"] == "bad-spec"
    assert "training.max_steps" in event["message"] and "surprise" in event["message"]


def test_sigterm_saves_a_checkpoint_and_exits_130(make_spec):
    spec, path = make_spec(training={"max_steps": 100000, "save_steps": 100000})
    proc = subprocess.Popen([sys.executable, TRAIN, "--spec", str(path)], stdout=subprocess.PIPE, text=True)
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        lines.append(proc.stdout.readline())
        if '"type": "step"' in lines[-1]:
            break
    proc.send_signal(signal.SIGTERM)
    rest, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130
    events = parse("".join(lines) + rest)
    checkpoint, error = events[-2], events[-1]
    assert checkpoint["type"] == "checkpoint" and error["type"] == "error"
    assert error["code"] == "interrupted"
    assert checkpoint["step"] >= 1
    assert_complete(Path(checkpoint["path"]))
    assert os.path.basename(checkpoint["path"]) == f"step-{checkpoint['step']:06d}"


def test_secrets_file_sets_environment_only(tmp_path):
    from pipeline_trainer.secrets import load_secrets_file

    secrets = tmp_path / "env"
    secrets.write_text("HF_TOKEN=sk-test-1=2\n# comment\nAWS_REGION=eu\n", encoding="utf-8")
    env = {"PIPELINE_SECRETS_FILE": str(secrets)}
    assert load_secrets_file(env) == ["HF_TOKEN", "AWS_REGION"]
    assert env["HF_TOKEN"] == "sk-test-1=2" and env["AWS_REGION"] == "eu"
    assert load_secrets_file({}) == []


def test_secrets_stdin_reads_one_json_line_only_when_asked():
    import io

    from pipeline_trainer.secrets import load_secrets_stdin

    stdin = io.StringIO('{"HF_TOKEN": "sk-test-9", "AWS_REGION": "eu"}\nnot read\n')
    env = {"PIPELINE_SECRETS_STDIN": "1"}
    assert load_secrets_stdin(env, stdin) == ["AWS_REGION", "HF_TOKEN"]
    assert env["HF_TOKEN"] == "sk-test-9"
    assert stdin.readline() == "not read\n"
    untouched = io.StringIO('{"HF_TOKEN": "x"}\n')
    assert load_secrets_stdin({}, untouched) == [] and untouched.tell() == 0
    with pytest.raises(ValueError, match="one JSON object of strings"):
        load_secrets_stdin({"PIPELINE_SECRETS_STDIN": "1"}, io.StringIO('{"HF_TOKEN": 1}\n'))


def test_train_reads_secrets_from_stdin_before_the_spec_and_never_prints_them(tmp_path):
    secret = "sk-test-stdin-0123456789"
    env = {**os.environ, "PIPELINE_SECRETS_STDIN": "1"}
    proc = subprocess.run(
        [sys.executable, TRAIN, "--spec", str(tmp_path / "missing.json")],
        input=json.dumps({"HF_TOKEN": secret}) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert parse(proc.stdout)[-1]["type"] == "error"
    assert secret not in proc.stdout + proc.stderr
