"""DPO and KTO on the tiny model: the losses where policy = reference, what is masked, learning, resume."""

import json
import math
import random
import string
import sys
from pathlib import Path

import pytest
import torch
import train
from conftest import NoStop, Recorder, make_tokenizer, write_jsonl
from pipeline_trainer.data import IGNORE
from pipeline_trainer.events import TrainerError
from pipeline_trainer.preference_data import collate_labelled, collate_pairs
from test_cli import TRAIN, parse

import subprocess


def shout_pairs(n: int, seed: int) -> list[dict]:
    """The chosen answer repeats the word in capitals; the rejected one breaks the rule (lower case). A
    random base cannot prefer either; the rule holds on unseen words, so held-out pairs measure it."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        word = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 8)))
        rows.append({"prompt": f"<s>shout {word}\n", "chosen": f"{word.upper()}</s>", "rejected": f"{word}</s>"})
    return rows


def labelled(pairs: list[dict]) -> list[dict]:
    """KTO rows from pairs: each chosen answer desirable, each rejected one not."""
    rows = []
    for p in pairs:
        rows.append({"prompt": p["prompt"], "completion": p["chosen"], "label": True})
        rows.append({"prompt": p["prompt"], "completion": p["rejected"], "label": False})
    return rows


@pytest.fixture(scope="module")
def pref_data(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("pref")
    train_pairs, eval_pairs = shout_pairs(32, 1), shout_pairs(8, 2)
    return {
        "dpo": str(write_jsonl(folder / "dpo.jsonl", train_pairs)),
        "dpo_eval": str(write_jsonl(folder / "dpo-eval.jsonl", eval_pairs)),
        "kto": str(write_jsonl(folder / "kto.jsonl", labelled(train_pairs))),
    }


def dpo_spec(make_spec, pref_data, name="dpo", loss="sigmoid", eval_=False, beta=0.1, **training):
    settings = {"max_steps": 2, "packing": False, "learning_rate": 0.01, "micro_batch_size": 8, **training}
    data = {"train": pref_data["dpo"], "eval": pref_data["dpo_eval"] if eval_ else None}
    return make_spec(name, training=settings, task="dpo", dpo={"beta": beta, "loss": loss}, data=data)


def kto_spec(make_spec, pref_data, max_steps: int) -> dict:
    training = {"max_steps": max_steps, "packing": False, "learning_rate": 0.01, "micro_batch_size": 8}
    kto = {"beta": 0.5, "desirable_weight": 1.0, "undesirable_weight": 1.0}
    return make_spec("kto", training=training, task="kto", kto=kto, data={"train": pref_data["kto"], "eval": None})[0]


def test_prompt_tokens_are_masked_and_answers_trained():
    tok = make_tokenizer()
    ids = lambda text: tok(text, add_special_tokens=False)["input_ids"]  # noqa: E731
    prompt, chosen, rejected = ids("<s>shout abc\n"), ids("ABC</s>"), ids("abcd</s>")
    batch, _ = collate_pairs([(prompt, chosen, rejected)], tok.pad_token_id, 64)
    assert batch["rows"] == 1 and batch["input_ids"].shape[0] == 2
    labels = batch["labels"].tolist()
    assert labels[0][: len(prompt)] == [IGNORE] * len(prompt)
    assert labels[0][len(prompt) : len(prompt) + len(chosen)] == chosen
    assert labels[1][len(prompt) : len(prompt) + len(rejected)] == rejected
    assert labels[0][len(prompt) + len(chosen) :] == [IGNORE] * (len(rejected) - len(chosen))  # padding
    kto, _ = collate_labelled([(prompt, chosen, True), (prompt, rejected, False)], tok.pad_token_id, 64)
    assert kto["label"].tolist() == [True, False]
    assert kto["kl"]["labels"][0].tolist()[len(prompt) : len(prompt) + len(rejected)] == rejected  # answer i+1


def test_dpo_starts_at_ln2_with_zero_rewards_and_learns_the_rule(make_spec, pref_data):
    spec, _ = dpo_spec(make_spec, pref_data, max_steps=25, eval_=True, eval_steps=25, beta=0.5)
    rec = Recorder()
    train.train(spec, rec, NoStop())
    steps, evals = rec.of("step"), rec.of("eval")
    assert steps[0]["loss"] == pytest.approx(math.log(2), abs=1e-4)
    assert steps[0]["rewards_chosen"] == pytest.approx(0, abs=1e-4)
    assert steps[0]["reward_margin"] == pytest.approx(0, abs=1e-4)
    assert evals[0]["step"] == 0 and evals[0]["eval_loss"] == pytest.approx(math.log(2), abs=1e-4)
    assert steps[-1]["loss"] < 0.5 * steps[0]["loss"]
    assert steps[-1]["preference_accuracy"] > 0.9 and steps[-1]["reward_margin"] > 0
    assert evals[-1]["preference_accuracy"] > 0.5 and evals[-1]["eval_loss"] < math.log(2)
    assert rec.of("start")[0]["method"] == "dpo"


def test_ipo_starts_at_its_own_anchor(make_spec, pref_data):
    spec, _ = dpo_spec(make_spec, pref_data, loss="ipo", max_steps=1)
    rec = Recorder()
    train.train(spec, rec, NoStop())
    assert rec.of("step")[0]["loss"] == pytest.approx((1 / (2 * 0.1)) ** 2, rel=1e-4)


def test_a_policy_that_does_not_start_as_the_reference_stops_the_run(make_spec, pref_data, monkeypatch):
    def load_off_reference(*args):
        model, tokenizer = load_model(*args)
        with torch.no_grad():
            for name, p in model.named_parameters():
                if "lora_B" in name:
                    p.add_(0.5)
        return model, tokenizer

    load_model = train.load_model
    monkeypatch.setattr(train, "load_model", load_off_reference)
    spec, _ = dpo_spec(make_spec, pref_data, max_steps=1)
    with pytest.raises(TrainerError) as raised:
        train.train(spec, Recorder(), NoStop())
    assert raised.value.code == "reference-mismatch" and "0.6931" in str(raised.value)
    assert not Path(spec["output"]["adapter_dir"]).exists()


def test_kto_starts_at_one_half_and_separates_the_labels(make_spec, pref_data):
    spec = kto_spec(make_spec, pref_data, max_steps=25)
    rec = Recorder()
    train.train(spec, rec, NoStop())
    steps = rec.of("step")
    assert steps[0]["loss"] == pytest.approx(0.5, abs=1e-4) and steps[0]["kl"] == pytest.approx(0, abs=1e-4)
    assert steps[-1]["loss"] < steps[0]["loss"]
    assert steps[-1]["rewards_chosen"] > steps[-1]["rewards_rejected"]


def test_dpo_resume_continues_the_loss_curve(make_spec, pref_data):
    training = {"max_steps": 6, "save_steps": 3, "gradient_accumulation_steps": 2, "micro_batch_size": 4}
    full, _ = dpo_spec(make_spec, pref_data, name="full", **training)
    rec_full = Recorder()
    train.train(full, rec_full, NoStop())
    checkpoint = Path(full["output"]["checkpoint_dir"]) / "step-000003"
    resumed, _ = dpo_spec(make_spec, pref_data, name="resumed", **training)
    resumed["resume_from"] = str(checkpoint)
    rec = Recorder()
    train.train(resumed, rec, NoStop())
    got, want = {e["step"]: e for e in rec.of("step")}, {e["step"]: e for e in rec_full.of("step")}
    assert sorted(got) == [4, 5, 6]
    for step in got:
        assert got[step]["loss"] == pytest.approx(want[step]["loss"], rel=1e-5), step
        assert got[step]["preference_accuracy"] == want[step]["preference_accuracy"], step


def test_events_of_a_dpo_run_follow_the_contract_and_sft_data_is_refused(make_spec, pref_data, data):
    spec, path = dpo_spec(make_spec, pref_data, max_steps=2, eval_=True)
    done = subprocess.run([sys.executable, TRAIN, "--spec", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    events = parse(done.stdout)
    assert {"preference_accuracy", "reward_margin"} <= events[1].keys() | next(e for e in events if e["type"] == "step").keys()

    spec["data"] = {"train": data["train"], "eval": None}  # SFT segments given to DPO
    path.write_text(json.dumps(spec))
    refused = subprocess.run([sys.executable, TRAIN, "--spec", str(path)], capture_output=True, text=True)
    assert refused.returncode == 2
    error = parse(refused.stdout)[-1]
    assert error["code"] == "data" and "a dpo row needs prompt, chosen, rejected" in error["message"]
