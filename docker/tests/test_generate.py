"""docker/generate.py on a freshly built tiny model: valid JSONL, deterministic, loads a PEFT adapter.

Its main() runs in this process (one Python start-up and torch import for the file, not one per run); one test
launches the script itself, for the command line's exit code and message."""

import io
import json
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from unittest import mock

import generate
import pytest
import torch
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM

ROOT = Path(__file__).resolve().parents[2]
GENERATE = ROOT / "docker" / "generate.py"
MAKE_MODEL = ROOT / "scripts" / "make_tiny_model.py"
WORDS = ["red fox", "apple river stone", "blue whale", "green tree lamp door", "cold snow"]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "model"
    subprocess.run([sys.executable, str(MAKE_MODEL), "--out", str(out), "--steps", "20"], check=True, timeout=300)
    return out


@pytest.fixture(scope="module")
def prompts(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("prompts") / "eval.jsonl"
    lines = []
    for words in WORDS:
        segments = [
            {"text": f"<|im_start|>user\nRepeat:\n{words}<|im_end|>\n<|im_start|>assistant\n", "train": False},
            {"text": f"{words}<|im_end|>", "train": True},
            {"text": "\n", "train": False},
        ]
        lines.append(json.dumps({"segments": segments}))
    path.write_text("\n".join(lines) + "\n")
    return path


def arguments(model_dir: Path, prompts: Path, out: Path, *extra: str) -> list[str]:
    args = ["--model", str(model_dir), "--prompts", str(prompts), "--out", str(out)]
    return [*args, "--batch-size", "2", "--max-new-tokens", "6", "--device", "cpu", *extra]


def run(model_dir: Path, prompts: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """generate.py's main() with these arguments, in this process: its exit code, stdout and stderr."""
    argv = [str(GENERATE), *arguments(model_dir, prompts, out, *extra)]
    stdout, stderr = io.StringIO(), io.StringIO()
    with mock.patch.object(sys, "argv", argv), redirect_stdout(stdout), redirect_stderr(stderr):
        try:
            code = generate.main()
        except SystemExit as stopped:  # argparse's usage errors
            code = stopped.code
    return subprocess.CompletedProcess(argv, code, stdout.getvalue(), stderr.getvalue())


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_writes_one_result_per_case_and_a_summary(model_dir, prompts, tmp_path):
    done = run(model_dir, prompts, tmp_path / "out.jsonl")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["n"] == len(WORDS)
    assert 0.0 <= summary["exact_match"] <= 1.0 and summary["tokens_per_s"] > 0
    rows = read_jsonl(tmp_path / "out.jsonl")
    assert [r["index"] for r in rows] == list(range(len(WORDS)))
    for row, words in zip(rows, WORDS):
        assert set(row) == {"index", "prompt", "reference", "output", "exact_match", "latency_s", "new_tokens", "loss"}
        assert row["reference"] == words  # the end-of-turn token is not part of the reference
        assert row["prompt"].endswith("<|im_start|>assistant\n") and words in row["prompt"]
        assert row["exact_match"] == (row["output"].strip() == words)
        assert 1 <= row["new_tokens"] <= 6
        assert "<|im_end|>" not in row["output"]


def test_output_is_deterministic(model_dir, prompts, tmp_path):
    first = run(model_dir, prompts, tmp_path / "a.jsonl")
    second = run(model_dir, prompts, tmp_path / "b.jsonl")
    assert first.returncode == second.returncode == 0
    strip = lambda rows: [{k: v for k, v in r.items() if k != "latency_s"} for r in rows]  # noqa: E731
    assert strip(read_jsonl(tmp_path / "a.jsonl")) == strip(read_jsonl(tmp_path / "b.jsonl"))


@pytest.fixture(scope="module")
def adapter_dir(model_dir, tmp_path_factory) -> Path:
    torch.manual_seed(0)
    base = AutoModelForCausalLM.from_pretrained(model_dir)
    # Non-zero B matrices, so the adapter really changes what the model says.
    config = LoraConfig(r=8, lora_alpha=256, target_modules="all-linear", init_lora_weights=False)
    out = tmp_path_factory.mktemp("adapter")
    get_peft_model(base, config).save_pretrained(out)
    assert (out / "adapter_model.safetensors").exists()
    return out


def test_reference_loss_is_the_mean_nll_of_the_reference_tokens(model_dir, prompts, tmp_path):
    from transformers import AutoTokenizer

    done = run(model_dir, prompts, tmp_path / "out.jsonl")
    assert done.returncode == 0, done.stderr
    row = read_jsonl(tmp_path / "out.jsonl")[1]
    # Recomputed by hand, one case alone (no padding): -mean log p(reference token | everything before it).
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir).eval()
    prompt = tokenizer(row["prompt"], add_special_tokens=False)["input_ids"]
    reference = tokenizer(f"{WORDS[1]}<|im_end|>", add_special_tokens=False)["input_ids"]
    with torch.no_grad():
        logits = model(torch.tensor([prompt + reference])).logits[0]
    logprobs = torch.log_softmax(logits, dim=-1)
    expected = -sum(logprobs[len(prompt) + i - 1, t].item() for i, t in enumerate(reference)) / len(reference)
    assert row["loss"] == pytest.approx(expected, abs=1e-4)


def test_base_out_matches_a_separate_base_run_in_one_model_load(model_dir, prompts, adapter_dir, tmp_path):
    alone = run(model_dir, prompts, tmp_path / "alone.jsonl")
    both_flags = ["--adapter", str(adapter_dir), "--base-out", str(tmp_path / "base.jsonl")]
    both = run(model_dir, prompts, tmp_path / "adapted.jsonl", *both_flags)
    assert alone.returncode == both.returncode == 0, both.stderr
    keep = lambda rows: [(r["output"], r["loss"]) for r in rows]  # noqa: E731
    base, separate = keep(read_jsonl(tmp_path / "base.jsonl")), keep(read_jsonl(tmp_path / "alone.jsonl"))
    assert [o for o, _ in base] == [o for o, _ in separate]
    assert [l for _, l in base] == pytest.approx([l for _, l in separate], abs=1e-5)
    adapted = keep(read_jsonl(tmp_path / "adapted.jsonl"))
    assert [l for _, l in adapted] != pytest.approx([l for _, l in base], abs=1e-3)


def test_loads_a_peft_adapter(model_dir, prompts, adapter_dir, tmp_path):

    plain = run(model_dir, prompts, tmp_path / "base.jsonl")
    adapted = run(model_dir, prompts, tmp_path / "adapted.jsonl", "--adapter", str(adapter_dir))
    assert adapted.returncode == 0, adapted.stderr
    outputs = lambda name: [r["output"] for r in read_jsonl(tmp_path / name)]  # noqa: E731
    assert outputs("adapted.jsonl") != outputs("base.jsonl")
    assert plain.returncode == 0


def test_a_line_without_a_trained_segment_is_an_input_error(model_dir, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"segments": [{"text": "hi", "train": False}]}) + "\n")
    command = [sys.executable, str(GENERATE), *arguments(model_dir, bad, tmp_path / "out.jsonl")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)  # the script itself, once
    assert done.returncode == 2
    assert f"{bad}:1" in done.stderr and "Traceback" not in done.stderr


def test_a_champion_adapter_in_the_same_load_matches_it_run_alone(model_dir, prompts, adapter_dir, tmp_path):
    torch.manual_seed(1)  # another adapter: other weights, other rank
    base = AutoModelForCausalLM.from_pretrained(model_dir)
    champion = tmp_path / "champion"
    config = LoraConfig(r=4, lora_alpha=128, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    get_peft_model(base, config).save_pretrained(champion)
    flags = ["--adapter", str(adapter_dir), "--champion", str(champion), "--champion-out", str(tmp_path / "c.jsonl")]
    both = run(model_dir, prompts, tmp_path / "a.jsonl", *flags)
    alone = run(model_dir, prompts, tmp_path / "alone.jsonl", "--adapter", str(champion))
    first = run(model_dir, prompts, tmp_path / "first.jsonl", "--adapter", str(adapter_dir))
    assert both.returncode == alone.returncode == first.returncode == 0, both.stderr
    keep = lambda name: [(r["output"], r["loss"]) for r in read_jsonl(tmp_path / name)]  # noqa: E731
    assert [o for o, _ in keep("c.jsonl")] == [o for o, _ in keep("alone.jsonl")]
    assert [l for _, l in keep("c.jsonl")] == pytest.approx([l for _, l in keep("alone.jsonl")], abs=1e-5)
    assert [l for _, l in keep("a.jsonl")] == pytest.approx([l for _, l in keep("first.jsonl")], abs=1e-5)
    assert [l for _, l in keep("c.jsonl")] != pytest.approx([l for _, l in keep("a.jsonl")], abs=1e-3)


def test_champion_needs_its_out_file(model_dir, prompts, adapter_dir, tmp_path):
    done = run(model_dir, prompts, tmp_path / "a.jsonl", "--adapter", str(adapter_dir), "--champion", str(adapter_dir))
    assert done.returncode == 2 and "--champion-out" in done.stderr


def test_a_pairs_file_is_scored_not_generated(model_dir, adapter_dir, tmp_path):
    """Held-out preference pairs: summed log-probabilities of chosen and rejected, recomputed here by hand."""
    from transformers import AutoTokenizer

    prompt = "<|im_start|>user\nRepeat:\nred fox<|im_end|>\n<|im_start|>assistant\n"
    rows = [{"prompt": prompt, "chosen": "red fox<|im_end|>\n", "rejected": "RED FOX<|im_end|>\n"}]
    rows.append({"prompt": prompt, "chosen": "RED FOX<|im_end|>\n", "rejected": "red fox<|im_end|>\n"})
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("".join(json.dumps(r) + "\n" for r in rows))
    flags = ["--adapter", str(adapter_dir), "--base-out", str(tmp_path / "base.jsonl")]
    done = run(model_dir, pairs, tmp_path / "adapted.jsonl", *flags)
    assert done.returncode == 0, done.stderr
    base = read_jsonl(tmp_path / "base.jsonl")
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir).eval()
    encode = lambda text: tokenizer(text, add_special_tokens=False)["input_ids"]  # noqa: E731

    def logp(continuation: str) -> float:
        ids, tail = encode(prompt), encode(continuation)
        with torch.no_grad():
            logprobs = torch.log_softmax(model(torch.tensor([ids + tail])).logits[0], dim=-1)
        return sum(logprobs[len(ids) + i - 1, t].item() for i, t in enumerate(tail))

    first, swapped = base
    assert first["logp_chosen"] == pytest.approx(logp("red fox<|im_end|>\n"), abs=1e-3)
    assert first["logp_rejected"] == pytest.approx(logp("RED FOX<|im_end|>\n"), abs=1e-3)
    # The same pair the other way round: the preference flips, the numbers swap.
    assert (swapped["logp_chosen"], swapped["logp_rejected"]) == (first["logp_rejected"], first["logp_chosen"])
    assert first["exact_match"] != swapped["exact_match"]
    assert first["output"] == ("red fox" if first["exact_match"] else "RED FOX") and first["new_tokens"] == 0
    adapted = read_jsonl(tmp_path / "adapted.jsonl")
    assert adapted[0]["logp_chosen"] != pytest.approx(first["logp_chosen"], abs=1e-3)
