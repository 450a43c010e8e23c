"""A throwaway tiny Llama (2 layers, hidden 64) with a character-level tokenizer, and a spec factory.

The model is random: LoRA on it can only memorise, which is all these tests need (loss goes down, the
mechanics of packing, checkpoints and resume)."""

from __future__ import annotations

import copy
import json
import os
import random
import string
import sys
from pathlib import Path

import pytest

DOCKER = Path(__file__).resolve().parent.parent
REPO = DOCKER.parent
sys.path.insert(0, str(DOCKER))
# One thread: on a small shared machine, several OpenMP threads per test process run ~10x slower.
os.environ.setdefault("OMP_NUM_THREADS", "1")

SPECIALS = ["<pad>", "<s>", "</s>", "<unk>", "<|im_end|>"]


def make_tokenizer():
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    chars = sorted(set(string.printable))
    vocab = {tok: i for i, tok in enumerate(SPECIALS + chars)}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Split(Regex(r"[\s\S]"), behavior="isolated")
    tok.decoder = decoders.Fuse()
    tok.add_special_tokens(SPECIALS)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        pad_token="<pad>",
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        additional_special_tokens=["<|im_end|>"],
    )


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    path = tmp_path_factory.mktemp("tiny-llama")
    tokenizer = make_tokenizer()
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=256,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    LlamaForCausalLM(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def reverse_examples(n: int, seed: int) -> list[dict]:
    """Reverse a word: varied lengths, a prompt that is not trained and an answer that is."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        word = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 12)))
        rows.append(
            {
                "segments": [
                    {"text": f"<s>reverse {word}\n", "train": False},
                    {"text": f"{word[::-1]}</s>", "train": True},
                ]
            }
        )
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture(scope="session")
def data(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("data")
    return {
        "train": str(write_jsonl(folder / "train.jsonl", reverse_examples(64, 1))),
        "eval": str(write_jsonl(folder / "eval.jsonl", reverse_examples(16, 2))),
    }


BASE_SPEC = {
    "version": 1,
    "run_id": "test",
    "task": "sft",
    "dpo": None,
    "kto": None,
    "base_model": "",
    "device": "cpu",
    "data": {"train": "", "eval": None},
    "output": {"checkpoint_dir": "", "adapter_dir": ""},
    "resume_from": None,
    "init_adapter": None,
    "lora": {
        "r": 8,
        "alpha": 16,
        "dropout": 0.0,
        "target_modules": "all-linear",
        "bias": "none",
        "modules_to_save": [],
    },
    "training": {
        "num_epochs": 1,
        "max_steps": 6,
        "micro_batch_size": 8,
        "gradient_accumulation_steps": 1,
        "learning_rate": 0.01,
        "lr_scheduler": "linear",
        "warmup_steps": 0,
        "warmup_ratio": 0.1,
        "weight_decay": 0.0,
        "max_grad_norm": 1.0,
        "max_seq_len": 64,
        "packing": True,
        "precision": "fp32",
        "gradient_checkpointing": False,
        "attention": "sdpa",
        "liger_kernels": False,
        "fused_optimizer": False,
        "compile": False,
        "logging_steps": 1,
        "save_steps": 100,
        "eval_steps": None,
        "seed": 7,
    },
    "distributed": {"world_size": 1, "strategy": "ddp"},
    "store": None,
}


@pytest.fixture
def make_spec(tiny_model, data, tmp_path):
    """make_spec(training={...}, lora={...}, **top) → (spec dict, path of its spec.json)."""

    def make(name: str = "run", training: dict | None = None, lora: dict | None = None, **top):
        spec = copy.deepcopy(BASE_SPEC)
        spec["base_model"] = str(tiny_model)
        spec["data"] = {"train": data["train"], "eval": None}
        spec["output"] = {
            "checkpoint_dir": str(tmp_path / name / "checkpoints"),
            "adapter_dir": str(tmp_path / name / "adapter"),
        }
        spec["training"].update(training or {})
        spec["lora"].update(lora or {})
        spec.update(top)
        path = tmp_path / f"{name}.spec.json"
        path.write_text(json.dumps(spec))
        return spec, path

    return make


class Recorder:
    """Stands in for pipeline_trainer.events.Events in-process."""

    def __init__(self) -> None:
        self.events: list[dict] = []

    def emit(self, type_: str, **fields) -> None:
        self.events.append({"type": type_, **fields})

    def of(self, type_: str) -> list[dict]:
        return [e for e in self.events if e["type"] == type_]


class NoStop:
    requested = False
