"""DPO on top of an adapter (init_adapter): the policy starts as a frozen copy of it, the reference."""

import math
from pathlib import Path

import pytest
import torch
import train
from conftest import NoStop, Recorder
from pipeline_trainer.model import REFERENCE, load_model
from pipeline_trainer.objectives import make_objective
from test_preference import dpo_spec, kto_spec, pref_data  # noqa: F401 — the fixture, shared


@pytest.fixture(scope="module")
def sft_adapter(tiny_model, tmp_path_factory) -> Path:
    """An adapter whose B is not zero (as after SFT): it moves the model away from the base."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(3)
    base = AutoModelForCausalLM.from_pretrained(tiny_model)
    config = LoraConfig(task_type="CAUSAL_LM", r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    folder = tmp_path_factory.mktemp("sft-adapter")
    get_peft_model(base, config).save_pretrained(folder)
    return folder


def on_top(spec: dict, adapter: Path) -> dict:
    """The spec as the orchestrator renders it for init_adapter: no dropout for dpo (it starts as its reference)."""
    spec["init_adapter"] = str(adapter)
    spec["lora"]["dropout"] = 0.0
    return spec


def test_the_reference_is_the_frozen_init_adapter_and_stays_fixed_while_the_policy_moves(make_spec, pref_data, sft_adapter):  # noqa: F811
    spec = on_top(dpo_spec(make_spec, pref_data)[0], sft_adapter)
    model, tokenizer = load_model(spec, "cpu", "fp32")
    objective = make_objective(spec, model, tokenizer, tokenizer.pad_token_id)
    batch, _ = objective.stream.at(0)
    params = [p for p in model.parameters() if p.requires_grad]
    assert params and all(f".{REFERENCE}." not in n for n, p in model.named_parameters() if p.requires_grad)

    policy, reference, _ = objective.log_probs(model, batch, "cpu", "fp32")
    assert torch.allclose(policy, reference, atol=1e-5)  # step 0: policy == reference
    with torch.no_grad(), model.disable_adapter():
        from pipeline_trainer.losses import sequence_logps

        base, _ = sequence_logps(model, batch, "cpu", "fp32")
    assert (reference - base).abs().max() > 1e-2  # the reference is the adapter, not the base

    optimizer = torch.optim.SGD(params, lr=0.5)
    loss, _ = objective.loss(model, batch, batch["rows"], "cpu", "fp32")
    loss.backward()
    assert all(p.grad is None for n, p in model.named_parameters() if f".{REFERENCE}." in n)
    optimizer.step()
    after_policy, after_reference, _ = objective.log_probs(model, batch, "cpu", "fp32")
    assert torch.equal(after_reference, reference)  # frozen
    assert (after_policy - policy).abs().max() > 1e-3  # trained
    assert all(p.requires_grad for p in params)  # the reference pass gives the policy back trainable


def test_dpo_on_an_init_adapter_starts_at_ln2_trains_and_saves_only_the_policy(make_spec, pref_data, sft_adapter):  # noqa: F811
    spec = on_top(dpo_spec(make_spec, pref_data, max_steps=4, beta=0.5)[0], sft_adapter)
    rec = Recorder()
    model = train.train(spec, rec, NoStop())
    steps = rec.of("step")
    assert steps[0]["loss"] == pytest.approx(math.log(2), abs=1e-4) and steps[-1]["loss"] < math.log(2)
    adapter = Path(spec["output"]["adapter_dir"])
    assert (adapter / "adapter_model.safetensors").is_file() and not (adapter / REFERENCE).exists()
    assert model.peft_config["default"].r == 4  # the adapter's rank, not the spec's 8


def test_a_resumed_dpo_run_on_an_init_adapter_reloads_the_reference_and_continues_the_curve(make_spec, pref_data, sft_adapter):  # noqa: F811
    training = {"max_steps": 4, "save_steps": 2}
    full = on_top(dpo_spec(make_spec, pref_data, name="full", **training)[0], sft_adapter)
    rec_full = Recorder()
    train.train(full, rec_full, NoStop())
    resumed = on_top(dpo_spec(make_spec, pref_data, name="resumed", **training)[0], sft_adapter)
    resumed["resume_from"] = str(Path(full["output"]["checkpoint_dir"]) / "step-000002")
    rec = Recorder()
    train.train(resumed, rec, NoStop())
    got, want = {e["step"]: e["loss"] for e in rec.of("step")}, {e["step"]: e["loss"] for e in rec_full.of("step")}
    assert sorted(got) == [3, 4] and all(got[s] == pytest.approx(want[s], rel=1e-5) for s in got)


def test_kto_on_an_init_adapter_starts_at_its_anchor(make_spec, pref_data, sft_adapter):  # noqa: F811
    rec = Recorder()
    train.train(on_top(kto_spec(make_spec, pref_data, max_steps=2), sft_adapter), rec, NoStop())
    first = rec.of("step")[0]
    assert first["loss"] == pytest.approx(0.5, abs=1e-4) and first["kl"] == pytest.approx(0, abs=1e-4)
