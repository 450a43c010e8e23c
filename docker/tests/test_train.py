"""The training loop in-process on the tiny model: learning, what is trained, the adapter, resume."""

import json
from pathlib import Path

import pytest
import torch
import train
from conftest import NoStop, Recorder
from pipeline_trainer.checkpoints import verify_manifest
from pipeline_trainer.data import read_examples, to_rows
from pipeline_trainer.model import evaluate, load_model
from safetensors.torch import load_file


def initial_lora(spec):
    """The LoRA weights a run starts from: train() seeds and then builds the model the same way."""
    torch.manual_seed(spec["training"]["seed"])
    model, _ = load_model(spec, "cpu", "fp32")
    return {n: p.detach().clone() for n, p in model.named_parameters() if p.requires_grad}


def test_loss_goes_down_and_only_lora_weights_change(make_spec, tiny_model):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    # A random base only learns through its output layer, so lm_head is trained too (modules_to_save).
    lora = {"dropout": 0.1, "modules_to_save": ["lm_head"]}
    spec, _ = make_spec(training={"max_steps": 30, "logging_steps": 5}, lora=lora)
    before = initial_lora(spec)
    rec = Recorder()
    model = train.train(spec, rec, NoStop())

    losses = [e["loss"] for e in rec.of("step")]
    assert len(losses) == 6
    assert losses[-1] < 0.8 * losses[0], losses

    after = {n: p.detach() for n, p in model.named_parameters() if p.requires_grad}
    assert after.keys() == before.keys()
    assert all("lora_" in n or "modules_to_save" in n for n in after)
    assert any("lora_A" in n for n in after) and any("modules_to_save" in n for n in after)
    unchanged = [n for n in after if torch.equal(after[n], before[n])]
    assert unchanged == []

    base = AutoModelForCausalLM.from_pretrained(tiny_model).state_dict()
    frozen = {
        n.removeprefix("base_model.model.").replace(".base_layer", "").replace(".original_module", ""): p
        for n, p in model.named_parameters()
        if not p.requires_grad
    }
    assert frozen.keys() == base.keys()
    assert [n for n in base if not torch.equal(frozen[n], base[n])] == []

    # the final adapter: standard PEFT layout, loadable as it is, with a manifest
    adapter = Path(spec["output"]["adapter_dir"])
    assert {"adapter_config.json", "adapter_model.safetensors", "manifest.json"} <= {p.name for p in adapter.iterdir()}
    loaded = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_model), adapter)
    saved = load_file(adapter / "adapter_model.safetensors")
    assert len(saved) == len(after)
    for n, p in loaded.named_parameters():
        if n in after:
            assert torch.equal(p, after[n]), n
    verify_manifest(adapter)
    assert rec.of("done")[0]["metrics"]["steps"] == 30


def test_resume_continues_the_loss_curve(make_spec):
    """An uninterrupted run and a run resumed from its step-3 checkpoint log the same losses after step 3
    (dropout on, gradient accumulation on, so RNG, optimizer, scheduler and data order all matter)."""
    training = {"max_steps": 6, "save_steps": 3, "gradient_accumulation_steps": 2, "micro_batch_size": 4}
    full, _ = make_spec("full", training=training, lora={"dropout": 0.2})
    rec_full = Recorder()
    train.train(full, rec_full, NoStop())
    checkpoint = Path(full["output"]["checkpoint_dir"]) / "step-000003"
    assert [e["step"] for e in rec_full.of("checkpoint")] == [3, 6]

    torch.manual_seed(12345)  # a resumed run must not depend on the RNG state it happens to start with
    resumed, _ = make_spec("resumed", training=training, lora={"dropout": 0.2}, resume_from=str(checkpoint))
    rec = Recorder()
    train.train(resumed, rec, NoStop())

    assert rec.of("start")[0]["start_step"] == 3
    got = {e["step"]: e for e in rec.of("step")}
    want = {e["step"]: e for e in rec_full.of("step")}
    assert sorted(got) == [4, 5, 6]
    for step in got:
        assert got[step]["loss"] == pytest.approx(want[step]["loss"], rel=1e-5), step
        assert got[step]["lr"] == pytest.approx(want[step]["lr"]), step
        assert got[step]["tokens"] == want[step]["tokens"]
        assert got[step]["epoch"] == pytest.approx(want[step]["epoch"])
    state = json.loads((checkpoint / "trainer_state.json").read_text())
    assert state["step"] == 3 and state["position"] == 6 and len(state["losses"]) == 3
    assert rec.of("done")[0]["metrics"]["train_loss"] == pytest.approx(rec_full.of("done")[0]["metrics"]["train_loss"])


def test_eval_at_step_zero_is_the_base_model_loss(make_spec, data, tiny_model):
    from transformers import AutoModelForCausalLM

    spec, _ = make_spec(training={"max_steps": 2, "eval_steps": 1}, data={"train": data["train"], "eval": data["eval"]})
    rec = Recorder()
    train.train(spec, rec, NoStop())
    evals = rec.of("eval")
    assert [e["step"] for e in evals] == [0, 1, 2]

    base = AutoModelForCausalLM.from_pretrained(tiny_model)
    tok = load_model(spec, "cpu", "fp32")[1]
    examples, _ = read_examples(data["eval"], tok, 64)
    loss, count = evaluate(base, to_rows(examples, True, 64), 8, 0, "cpu", "fp32")
    assert evals[0]["eval_loss"] == pytest.approx(loss, rel=1e-5)
    assert evals[0]["eval_tokens"] == count
