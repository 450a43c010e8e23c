"""scripts/make_venv.py: the managed venv is made once, marked ready last, shared by concurrent makers, and
made with pip when uv cannot be had. Empty requirements keep these offline and quick; the real stack is
installed by `pipeline setup` in CI and timed by bench/quickstart-cold.sh."""

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "make_venv.py"


def make(tmp_path: Path, *args: str, **env: str) -> subprocess.Popen:
    requirements = tmp_path / "requirements.txt"
    requirements.touch()
    environment = {**os.environ, "PIPELINE_CACHE": str(tmp_path / "cache"), **env}
    command = [sys.executable, str(SCRIPT), "--requirements", str(requirements), *args]
    return subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen) -> tuple[str, str]:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return out, err


def test_default_dir_is_keyed_by_the_requirements_hash(tmp_path: Path):
    out, _ = finish(make(tmp_path, "--print-dir"))
    # sha256 of an empty file, first 12 hex digits
    assert out.strip() == str(tmp_path / "cache" / "venvs" / "e3b0c44298fc")


def test_makes_a_ready_venv_once(tmp_path: Path):
    out, _ = finish(make(tmp_path, PIPELINE_INSTALLER="pip"))
    python = Path(out.strip().removeprefix("python: "))
    assert (python.parent.parent / ".ready").read_text().strip() == "e3b0c44298fc"
    assert subprocess.run([python, "-c", "import sys; print(sys.prefix)"], capture_output=True).returncode == 0
    created = python.parent.parent.stat().st_ino
    again, err = finish(make(tmp_path, PIPELINE_INSTALLER="pip"))
    assert again == out and "creating" not in err
    assert python.parent.parent.stat().st_ino == created


def test_two_makers_at_once_share_one_venv(tmp_path: Path):
    first, second = make(tmp_path, PIPELINE_INSTALLER="pip"), make(tmp_path, PIPELINE_INSTALLER="pip")
    (out1, err1), (out2, err2) = finish(first), finish(second)
    assert out1 == out2
    assert (err1 + err2).count("creating") == 1  # the second waited on the lock, then found it ready


def test_falls_back_to_pip_when_uv_cannot_be_installed(tmp_path: Path):
    # An index nobody answers on: installing uv fails at once, the (empty) requirements then go through pip.
    unreachable = {"PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_RETRIES": "0", "PIP_TIMEOUT": "2"}
    out, err = finish(make(tmp_path, PIPELINE_INSTALLER="uv", PIP_FIND_LINKS="", **unreachable))
    assert "installing them with pip instead" in err
    assert out.startswith("python: ")
