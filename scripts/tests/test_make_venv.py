"""scripts/make_venv.py: the managed venv is made once, marked ready last, shared by concurrent makers, and
made with pip when uv cannot be had. Empty requirements keep these offline and quick; the real stack is
installed by `pipeline setup` in CI and timed by bench/quickstart-cold.sh."""

import os
import subprocess
import sys
import zipfile
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
    assert (python.parent.parent / ".ready").read_text().strip() == "e3b0c44298fc compiled"
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


def site_packages(python: Path) -> Path:
    where = [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    return Path(subprocess.run(where, capture_output=True, text=True, check=True).stdout.strip())


def probe_wheel(folder: Path) -> Path:
    """A one-module wheel, written by hand so the test stays offline."""
    wheel = folder / "pipeline_probe-1.0-py3-none-any.whl"
    info = "pipeline_probe-1.0.dist-info"
    files = {
        "pipeline_probe.py": "VALUE = 1\n",
        f"{info}/METADATA": "Metadata-Version: 2.1\nName: pipeline-probe\nVersion: 1.0\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
        archive.writestr(f"{info}/RECORD", "".join(f"{name},,\n" for name in files) + f"{info}/RECORD,,\n")
    return wheel


def test_bytecode_is_compiled_at_install_even_where_python_writes_none(tmp_path: Path):
    # PYTHONDONTWRITEBYTECODE=1 (as on the CI machine) stops Python writing .pyc on import: without bytecode
    # made at install, every trainer process compiles torch, transformers and peft again. PIP_NO_COMPILE=0 makes
    # pip install the requirement as uv does, without bytecode (pip reads its no- variables inverted: 0 means
    # --no-compile).
    requirements = tmp_path / "probe-requirements.txt"
    requirements.write_text(f"{probe_wheel(tmp_path)}\n")
    environment = {**os.environ, "PIPELINE_CACHE": str(tmp_path / "cache"), "PIPELINE_INSTALLER": "pip",
                   "PYTHONDONTWRITEBYTECODE": "1", "PIP_NO_COMPILE": "0", "PIP_NO_INDEX": "1"}
    command = [sys.executable, str(SCRIPT), "--requirements", str(requirements)]
    done = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    python = Path(done.stdout.strip().removeprefix("python: "))
    assert list((site_packages(python) / "__pycache__").glob("pipeline_probe.*.pyc")), done.stderr


def test_a_venv_made_before_bytecode_was_compiled_is_compiled_in_place(tmp_path: Path):
    out, _ = finish(make(tmp_path, PIPELINE_INSTALLER="pip"))
    python = Path(out.strip().removeprefix("python: "))
    venv_dir = python.parent.parent
    (venv_dir / ".ready").write_text("e3b0c44298fc\n")  # the marker an earlier make_venv.py wrote
    probe = site_packages(python) / "pipeline_probe.py"
    probe.write_text("VALUE = 1\n")
    created = venv_dir.stat().st_ino

    again, err = finish(make(tmp_path, PIPELINE_INSTALLER="pip", PYTHONDONTWRITEBYTECODE="1"))
    assert again == out and "creating" not in err and "compiling" in err
    assert venv_dir.stat().st_ino == created
    assert list((probe.parent / "__pycache__").glob("pipeline_probe.*.pyc"))
    assert (venv_dir / ".ready").read_text().strip() == "e3b0c44298fc compiled"
