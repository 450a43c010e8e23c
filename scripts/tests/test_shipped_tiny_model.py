"""The tiny model shipped in models/tiny/: its files are the ones recorded, made by this script, and the script
makes a model of the same skill again.

Bit-exact reproduction holds only on one machine (same torch, CPU kernels and thread count): float sums run in
another order on another CPU or core count, and a few thousand optimizer steps turn that into other bytes. So
the hashes pin the shipped files, and the rebuild is judged by its measured skill, not its bytes.
"""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "models" / "tiny"
SCRIPT = ROOT / "scripts" / "make_tiny_model.py"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def recorded() -> dict[str, str]:
    lines = (SHIPPED / "SHA256SUMS").read_text().splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines)}


def test_shipped_files_match_their_recorded_hashes():
    sums = recorded()
    assert {"model.safetensors", "config.json", "tokenizer.json"} <= set(sums)
    for name, digest in sums.items():
        assert sha256(SHIPPED / name) == digest, f"models/tiny/{name} differs from SHA256SUMS"
    unlisted = {p.name for p in SHIPPED.iterdir()} - set(sums) - {"SHA256SUMS", "pretrain.json"}
    assert not unlisted, f"files in models/tiny/ without a recorded hash: {unlisted}"


def test_shipped_model_was_made_by_this_script():
    report = json.loads((SHIPPED / "pretrain.json").read_text())
    assert report["script_sha256"] == sha256(SCRIPT), (
        "scripts/make_tiny_model.py changed since models/tiny/ was made: "
        "run python scripts/make_tiny_model.py --out models/tiny"
    )


def test_the_script_makes_a_model_of_the_same_skill_again(tmp_path: Path):
    shipped = json.loads((SHIPPED / "pretrain.json").read_text())
    out = tmp_path / "again"
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], check=True, timeout=1200)
    again = json.loads((out / "pretrain.json").read_text())
    same_bytes = recorded() == {n: sha256(out / n) for n in recorded()}
    print(f"rebuilt: {again['held_out']} (shipped {shipped['held_out']}); identical bytes: {same_bytes}")
    for skill, accuracy in shipped["held_out"].items():
        # 128 held-out lists a skill: a 5-point band is a few lists either way, not a weaker model.
        assert again["held_out"][skill] >= accuracy - 0.05, f"{skill}: {again['held_out'][skill]} < {accuracy}"
