"""The run's folder in an S3 checkpoint store, read and written by the trainer itself on a cluster (no shared disk).

The layout and the contract are the orchestrator's (src/checkpoints/): `<run>/state/` (spec, data, a local base
model), `<run>/checkpoints/step-NNNNNN/` and `<run>/adapter/`, each folder with its manifest.json (every file's
size and sha256) written LAST, so a folder without one does not exist. Manifests are checked against
schema/manifest.schema.json, generated from the same zod schema the orchestrator reads them with. boto3 (pinned
in docker/requirements-cluster.txt) takes credentials from the environment, as every AWS tool does.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .checkpoints import sha256
from .events import EXIT_INPUT, TrainerError

SCHEMA = Path(__file__).resolve().parent.parent.parent / "schema" / "manifest.schema.json"


def split_uri(uri: str) -> tuple[str, str]:
    """s3://bucket/some/prefix → (bucket, "some/prefix")."""
    if not uri.startswith("s3://"):
        raise TrainerError("bad-spec", f"store.uri {uri}: expected s3://bucket/prefix", EXIT_INPUT)
    bucket, _, prefix = uri[len("s3://") :].partition("/")
    return bucket, prefix.strip("/")


class Store:
    """One run's folder in the store (`store` of the spec): `key`s below are relative to it."""

    def __init__(self, block: dict) -> None:
        import boto3
        from botocore.config import Config

        self.uri = block["uri"].rstrip("/")
        self.bucket, self.prefix = split_uri(self.uri)
        region = block["region"] or os.environ.get("AWS_REGION") or "us-east-1"
        addressing = {"addressing_style": "path" if block["path_style"] else "auto"}
        config = Config(s3=addressing, retries={"max_attempts": 10, "mode": "standard"})
        self.s3 = boto3.client("s3", endpoint_url=block["endpoint"], region_name=region, config=config)

    def key(self, *parts: str) -> str:
        return "/".join(p.strip("/") for p in (self.prefix, *parts) if p.strip("/"))

    def push(self, folder: Path, key: str) -> str:
        """Uploads a complete local folder (its manifest.json already written) under `key`, the manifest last.
        Returns the folder's s3:// URI."""
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        for entry in manifest["files"]:
            self.s3.upload_file(str(folder / entry["path"]), self.bucket, self.key(key, entry["path"]))
        self.s3.upload_file(str(folder / "manifest.json"), self.bucket, self.key(key, "manifest.json"))
        return f"s3://{self.bucket}/{self.key(key)}"


    def pull(self, key: str, dest: Path) -> dict:
        """Downloads a complete folder into `dest`, every file checked against its manifest; refuses one
        without a valid manifest or with a file that does not match it."""
        where = f"s3://{self.bucket}/{self.key(key)}"
        try:
            body = self.s3.get_object(Bucket=self.bucket, Key=self.key(key, "manifest.json"))["Body"].read()
        except Exception as e:  # noqa: BLE001 — botocore's errors have no common base worth naming
            raise TrainerError("store", f"{where}: no manifest.json ({e}); the folder is not complete", EXIT_INPUT) from e
        manifest = checked_manifest(json.loads(body), where)
        dest.mkdir(parents=True, exist_ok=True)
        for entry in manifest["files"]:
            target = dest / entry["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            self.s3.download_file(self.bucket, self.key(key, entry["path"]), str(target))
            if target.stat().st_size != entry["size"] or sha256(target) != entry["sha256"]:
                raise TrainerError("store", f"{where}: {entry['path']} does not match its manifest", EXIT_INPUT)
        (dest / "manifest.json").write_bytes(body)
        return manifest


def checked_manifest(manifest: dict, where: str) -> dict:
    import jsonschema

    errors = list(jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text())).iter_errors(manifest))
    if errors:
        raise TrainerError("store", f"{where}/manifest.json: {errors[0].message}", EXIT_INPUT)
    return manifest
