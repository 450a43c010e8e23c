"""strategy fsdp under torchrun (gloo, CPU): the base really sharded, the same steps as one process, and
checkpoints in the one format every strategy reads (fsdp → one process, ddp → fsdp).

Tolerance: as in test_distributed.py, two ranks and one process train on the same micro-batches and differ
only in the order float32 sums are taken (the reduce-scatter), which Adam carries forward."""

import json
import math
import sys
from pathlib import Path

import pytest
import torch
from test_cli import assert_complete
from test_preference import dpo_spec, pref_data  # noqa: F401 (a fixture)
from test_distributed import LORA, TOLERANCE, TRAIN, TRAINING, losses, run, torchrun

PROBE = str(Path(__file__).resolve().parent / "fsdp_probe.py")


def fsdp_spec(make_spec, name: str, accumulation: int = 1, **top):
    training = {**TRAINING, "gradient_accumulation_steps": accumulation, **top.pop("training", {})}
    return make_spec(name, training=training, lora=LORA, distributed={"world_size": 2, "strategy": "fsdp"}, **top)


def grad_norms(events: list[dict]) -> dict[int, float]:
    return {e["step"]: e["grad_norm"] for e in events if e["type"] == "step"}


def test_each_rank_holds_half_the_base_and_the_steps_are_those_of_one_process(make_spec, tmp_path):
    # accumulation 2 on each of 2 ranks (the first micro-batch skips the reduce-scatter) = 4 in one process;
    # as on a GPU: a bf16 base beside fp32 LoRA weights in each sharded layer, and gradient checkpointing
    steps = {"max_steps": 4, "logging_steps": 1, "gradient_checkpointing": True, "precision": "bf16"}
    _, one_path = make_spec("one", training={**TRAINING, **steps, "gradient_accumulation_steps": 4}, lora=LORA)
    _, two_path = fsdp_spec(make_spec, "two", accumulation=2, training=steps)
    result, single = run([sys.executable, PROBE, str(one_path), str(tmp_path)])
    assert result.returncode == 0, result.stderr
    one = torch.load(tmp_path / "rank-0.pt")
    launch = torchrun(two_path)
    result, double = run([*launch[:-3], PROBE, str(two_path), str(tmp_path)])
    assert result.returncode == 0, result.stderr
    ranks = [torch.load(tmp_path / f"rank-{r}.pt") for r in (0, 1)]

    assert double[0]["strategy"] == "fsdp" and double[0]["params_total"] == single[0]["params_total"]
    total = one["frozen_total"]
    assert one["frozen_local"] == total
    for held in ranks:  # every weight split in two (an odd dimension leaves one rank a row more)
        assert held["frozen_total"] == total and abs(held["frozen_local"] - total / 2) < 0.01 * total, held
    print("frozen base parameters held per rank:", [h["frozen_local"] for h in ranks], "of", total)

    a, b = losses(single), losses(double)
    assert max(abs(a[s] - b[s]) for s in a) < TOLERANCE, (a, b)
    ga, gb = grad_norms(single), grad_norms(double)
    assert max(abs(ga[s] - gb[s]) / ga[s] for s in ga) < 1e-4, (ga, gb)  # the clipped norm over all shards
    diff = max(float((one["adapter"][n] - ranks[0]["adapter"][n]).abs().max()) for n in one["adapter"])
    print("loss difference:", max(abs(a[s] - b[s]) for s in a), "largest adapter weight difference:", diff)
    assert diff < 1e-5 and all(torch.equal(ranks[0]["adapter"][n], ranks[1]["adapter"][n]) for n in one["adapter"])


def test_checkpoints_cross_strategies_in_one_format(make_spec):
    full, full_path = fsdp_spec(make_spec, "full", training={"max_steps": 6, "save_steps": 3})
    result, uninterrupted = run(torchrun(full_path))
    assert result.returncode == 0, result.stderr
    expected = losses(uninterrupted)
    folder = Path(full["output"]["checkpoint_dir"]) / "step-000003"
    assert_complete(folder)
    saved = torch.load(folder / "optimizer.pt")
    assert sorted(saved["state"]) == list(range(len(saved["state"]))) and saved["state"]  # numbered, as DDP's

    # an fsdp checkpoint continues in one process (accumulation 2 × 1 = 1 × 2) on the fsdp curve ...
    training = {**TRAINING, "max_steps": 6, "gradient_accumulation_steps": 2}
    _, alone = make_spec("alone", training=training, lora=LORA, resume_from=str(folder))
    result, events = run([sys.executable, TRAIN, "--spec", str(alone)])
    assert result.returncode == 0, result.stderr
    after = losses(events)
    assert sorted(after) == [4, 5, 6] and max(abs(after[s] - expected[s]) for s in after) < TOLERANCE, (after, expected)

    # ... and a ddp checkpoint continues under fsdp
    ddp_training = {**TRAINING, "max_steps": 3, "save_steps": 3}
    ddp, ddp_path = make_spec("ddp", training=ddp_training, lora=LORA, distributed={"world_size": 2, "strategy": "ddp"})
    result, _ = run(torchrun(ddp_path))
    assert result.returncode == 0, result.stderr
    ddp_folder = Path(ddp["output"]["checkpoint_dir"]) / "step-000003"
    resumed, resumed_path = fsdp_spec(make_spec, "resumed", training={"max_steps": 6}, resume_from=str(ddp_folder))
    result, events = run(torchrun(resumed_path))
    assert result.returncode == 0, result.stderr
    after = losses(events)
    assert sorted(after) == [4, 5, 6] and max(abs(after[s] - expected[s]) for s in after) < TOLERANCE, (after, expected)

    # the final adapter is peft's folder, loadable by plain peft
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    adapter = Path(resumed["output"]["adapter_dir"])
    assert_complete(adapter)
    model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(resumed["base_model"]), str(adapter))
    assert any("lora_B" in n and p.abs().sum() > 0 for n, p in model.named_parameters())


def test_dpo_under_fsdp_takes_the_reference_from_the_sharded_model(make_spec, pref_data):
    # the reference pass disables the adapter of the sharded PEFT model; the eval runs on every rank
    settings = {"max_steps": 4, "micro_batch_size": 4, "logging_steps": 1, "eval_steps": 4}
    _, one = dpo_spec(make_spec, pref_data, "dpo-one", eval_=True, gradient_accumulation_steps=2, **settings)
    _, two = dpo_spec(make_spec, pref_data, "dpo-two", eval_=True, **settings)
    spec = json.loads(two.read_text())
    two.write_text(json.dumps({**spec, "distributed": {"world_size": 2, "strategy": "fsdp"}}))
    result, single = run([sys.executable, TRAIN, "--spec", str(one)])
    assert result.returncode == 0, result.stderr
    result, double = run(torchrun(two))
    assert result.returncode == 0, result.stderr
    a, b = losses(single), losses(double)
    assert a[1] == pytest.approx(math.log(2), abs=1e-4)  # the policy starts as the reference
    assert max(abs(a[s] - b[s]) for s in a) < TOLERANCE, (a, b)
    evals = [[e["eval_loss"] for e in events if e["type"] == "eval"] for events in (single, double)]
    assert len(evals[1]) == 2 and evals[0] == pytest.approx(evals[1], abs=TOLERANCE)
