"""The quickstart's base model: deterministic, loadable with transformers, a tokenizer that covers any text."""

import hashlib
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

SCRIPT = Path(__file__).resolve().parents[1] / "make_tiny_model.py"
SPECIALS = ["<s>", "</s>", "<pad>", "<|im_start|>", "<|im_end|>"]


def build(out: Path, steps: int = 20) -> Path:
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out), "--steps", str(steps)], check=True, timeout=300)
    return out


def hashes(folder: Path) -> dict[str, str]:
    # pretrain.json holds timings; everything else must be byte-identical.
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.name != "pretrain.json"
    }


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("tiny") / "model")


def test_writes_a_hugging_face_model_dir(model_dir: Path):
    names = {p.name for p in model_dir.iterdir()}
    assert {
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
        "chat_template.jinja",
        "generation_config.json",
        "pretrain.json",
        "SHA256SUMS",
    } <= names
    report = json.loads((model_dir / "pretrain.json").read_text())
    assert report["steps"] == 20
    assert set(report["held_out"]) == {"repeat", "quote", "first", "count_json"}
    assert all(0.0 <= accuracy <= 1.0 for accuracy in report["held_out"].values())


def test_same_arguments_give_the_same_files(model_dir: Path, tmp_path: Path):
    again = build(tmp_path / "again")
    assert hashes(again) == hashes(model_dir)


def test_loads_with_auto_classes_and_runs(model_dir: Path):
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    assert (tok.bos_token, tok.eos_token, tok.pad_token) == ("<s>", "<|im_end|>", "<pad>")
    ids = tok("<|im_start|>user\nRepeat:\nred fox<|im_end|>\n", add_special_tokens=False, return_tensors="pt")
    logits = model(**ids).logits
    assert logits.shape == (1, ids["input_ids"].shape[1], len(tok))
    assert torch.isfinite(logits).all()


def test_tokenizer_round_trips_any_printable_ascii(model_dir: Path):
    tok = AutoTokenizer.from_pretrained(model_dir)
    alphabet = [chr(c) for c in range(32, 127)] + ["\n", "\t"]
    rng = random.Random(0)
    samples = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80))) for _ in range(200)]
    samples += ["".join(alphabet), "  leading and trailing  ", "naïve café ☕ 日本"]
    for text in samples:
        ids = tok(text, add_special_tokens=False)["input_ids"]
        assert tok.decode(ids) == text


def test_special_tokens_are_single_tokens(model_dir: Path):
    tok = AutoTokenizer.from_pretrained(model_dir)
    for special in SPECIALS:
        ids = tok(special, add_special_tokens=False)["input_ids"]
        assert ids == [tok.convert_tokens_to_ids(special)]
    text = "<|im_start|>assistant\nhi<|im_end|>\n"
    assert tok.decode(tok(text, add_special_tokens=False)["input_ids"]) == text


def test_chat_template_renders_chatml(model_dir: Path):
    tok = AutoTokenizer.from_pretrained(model_dir)
    messages = [{"role": "user", "content": "Repeat:\nred fox"}, {"role": "assistant", "content": "red fox"}]
    rendered = tok.apply_chat_template(messages, tokenize=False)
    assert rendered == "<|im_start|>user\nRepeat:\nred fox<|im_end|>\n<|im_start|>assistant\nred fox<|im_end|>\n"
    prompt = tok.apply_chat_template(messages[:1], tokenize=False, add_generation_prompt=True)
    assert prompt.endswith("<|im_start|>assistant\n")
