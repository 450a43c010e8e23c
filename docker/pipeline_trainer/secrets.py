"""Secrets handed in by a container runtime as a mounted file, not as environment variables.

`docker run --env`/`--env-file` values are stored in the container's config and shown by `docker inspect`;
a read-only mounted KEY=VALUE file (path in PIPELINE_SECRETS_FILE) keeps them out of it. The values go
into this process's environment only, where huggingface_hub and boto3 look for them.
"""

from __future__ import annotations

import os


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
