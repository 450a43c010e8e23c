"""Make the trainer's Python venv: docker/requirements.txt installed with uv (from PyPI), else with pip.

The one implementation of the managed venv: `pipeline` (src/launch/python-env.ts) runs it on first use, and
scripts/quickstart.sh runs it beside the Node install, before the TypeScript is even built. Standard library
only, so the base python3 runs it.

    python3 scripts/make_venv.py                  # → <cache>/venvs/<requirements hash>; prints "python: …"
    python3 scripts/make_venv.py --print-dir      # where that venv is, without making it

The venv is keyed by the hash of the requirements file and gets a `.ready` marker last: a half-made venv is
rebuilt, never trusted. Its bytecode is compiled at install (uv writes none, and Python writes none on import
where PYTHONDONTWRITEBYTECODE is set, as on the CI machine): without it every trainer process compiles torch,
transformers, peft and sympy again, `import peft` 12.4 s instead of 5.3 s on this 2-core machine. The marker
reads "<hash> compiled"; a venv marked "<hash>" (made before) is compiled in place, not remade. A lock beside
it lets two makers (a quickstart and a run, two helpers) wait for each other instead of deleting each other's
files. uv downloads and unpacks the ~3 GB of wheels in parallel; it reads none of pip's configuration files,
so pip's usual environment variables are passed on to it. PIPELINE_INSTALLER=pip skips uv.
"""

import argparse
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UV = "uv==0.13.9"


def cache_dir() -> Path:
    """As src/launch/paths.ts's cacheDir(): PIPELINE_CACHE, else XDG_CACHE_HOME or ~/.cache, /pipeline."""
    if os.environ.get("PIPELINE_CACHE"):
        return Path(os.environ["PIPELINE_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pipeline"


def requirements_hash(requirements: Path) -> str:
    return hashlib.sha256(requirements.read_bytes()).hexdigest()[:12]


def ready_text(requirements_hash: str) -> str:
    """What `.ready` holds once the venv is complete; src/launch/python-env.ts's isVenvReady reads the same."""
    return f"{requirements_hash} compiled"


def log(message: str) -> None:
    print(f"[make_venv] {message}", file=sys.stderr, flush=True)


def uv_options() -> list[str]:
    """pip's environment variables, said the way uv understands them."""
    options = [f"--find-links={link}" for link in os.environ.get("PIP_FIND_LINKS", "").split()]
    if os.environ.get("PIP_INDEX_URL"):
        options.append(f"--index-url={os.environ['PIP_INDEX_URL']}")
    options += [f"--extra-index-url={url}" for url in os.environ.get("PIP_EXTRA_INDEX_URL", "").split()]
    if os.environ.get("PIP_NO_CACHE_DIR", "").lower() in ("1", "true", "yes", "on"):
        options.append("--no-cache")
    if os.environ.get("PIP_NO_INDEX", "").lower() in ("1", "true", "yes", "on"):
        options.append("--no-index")  # offline: the find-links folder only
    return options


def install(python: Path, requirements: Path) -> None:
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off"]
    if os.environ.get("PIPELINE_INSTALLER", "uv") == "uv":
        env = dict(os.environ)
        if env.get("PIP_CERT"):
            env.setdefault("SSL_CERT_FILE", env["PIP_CERT"])
        uv = python.parent / "uv"
        command = [str(uv), "pip", "install", f"--python={python}", *uv_options(), "-r", str(requirements)]
        if run(pip + ["--quiet", UV], env) == 0 and run(command, env) == 0:
            return
        log("uv could not install the requirements; installing them with pip instead")
    if run(pip + ["-r", str(requirements)], dict(os.environ)) != 0:
        sys.exit(1)


def compile_bytecode(python: Path) -> None:
    """Every module's .pyc, on all cores. A few files that only some Python can parse (packages' test data,
    templates) fail to compile, as they would on import; that is reported, not fatal."""
    where = [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    site = subprocess.run(where, capture_output=True, text=True, check=True).stdout.strip()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    log(f"compiling the bytecode of {site}")
    command = [str(python), "-m", "compileall", "-q", "-j", "0", site]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        failed = sum(1 for line in result.stdout.splitlines() if line.startswith("*** Error compiling"))
        log(f"{failed or 'some'} file(s) could not be compiled; they are compiled on import, if ever imported")


def run(command: list[str], env: dict) -> int:
    log(" ".join(command))
    return subprocess.run(command, env=env, stdout=sys.stderr).returncode


def make(directory: Path, requirements: Path) -> Path:
    python = directory / "bin" / "python"
    marker = directory / ".ready"
    wanted = requirements_hash(requirements)
    directory.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{directory}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also when this process dies
        found = marker.read_text().strip() if marker.exists() else None
        if found == ready_text(wanted):
            return python
        if found == wanted:  # complete, but made before its bytecode was compiled at install
            compile_bytecode(python)
            marker.write_text(ready_text(wanted) + "\n")
            return python
        shutil.rmtree(directory, ignore_errors=True)
        log(f"creating {directory}")
        venv.EnvBuilder(with_pip=True, symlinks=True).create(directory)
        install(python, requirements)
        compile_bytecode(python)
        marker.write_text(ready_text(wanted) + "\n")
    return python


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requirements", type=Path, default=ROOT / "docker" / "requirements.txt")
    ap.add_argument("--dir", type=Path, help="where to make the venv (default: <cache>/venvs/<hash>)")
    ap.add_argument("--print-dir", action="store_true", help="print the default venv directory and stop")
    args = ap.parse_args()
    directory = args.dir or cache_dir() / "venvs" / requirements_hash(args.requirements)
    if args.print_dir:
        print(directory)
        return
    print(f"python: {make(directory.resolve(), args.requirements)}")


if __name__ == "__main__":
    main()
