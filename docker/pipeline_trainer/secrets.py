"""Secrets handed in by a container runtime, not as environment variables.

`docker run --env`/`--env-file` values are stored in the container's config and shown by `docker inspect`.
A local engine mounts a read-only KEY=VALUE file instead (path in PIPELINE_SECRETS_FILE); a remote engine
writes one JSON object line on the container's stdin (PIPELINE_SECRETS_STDIN=1), so nothing lands on the
remote disk. The values go into this process's environment only, where huggingface_hub and boto3 look.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TextIO


def load_secrets_file(environ: dict[str, str] | None = None) -> list[str]:
    """Reads PIPELINE_SECRETS_FILE (if set) into the environment; returns the names set, never the values."""
    env = os.environ if environ is None else environ
    path = env.get("PIPELINE_SECRETS_FILE")
    if not path:
        return []
    names = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, sep, value = line.rstrip("\n").partition("=")
            if sep and key and not key.startswith("#"):
                env[key] = value
                names.append(key)
    return names


def load_secrets_stdin(environ: dict[str, str] | None = None, stdin: TextIO | None = None) -> list[str]:
    """With PIPELINE_SECRETS_STDIN=1, reads one JSON object line of string values from stdin into the
    environment; returns the names set, never the values."""
    env = os.environ if environ is None else environ
    if env.get("PIPELINE_SECRETS_STDIN") != "1":
        return []
    line = (stdin or sys.stdin).readline()
    secrets = json.loads(line) if line.strip() else {}
    if not isinstance(secrets, dict) or not all(isinstance(v, str) for v in secrets.values()):
        raise ValueError("PIPELINE_SECRETS_STDIN: expected one JSON object of strings on stdin")
    env.update(secrets)
    return sorted(secrets)


def take_secrets_json(path: Path) -> dict[str, str]:
    """A Ray job's secrets: secrets.json in the job's package, which every node unpacks; read once, then deleted
    from this node's copy, so the values live on in memory only. {} when absent (already taken)."""
    try:
        secrets = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    path.unlink(missing_ok=True)
    return secrets
