"""The speed switches keep the plain path's losses: each run trains the same steps with one switch on and
compares every logged loss against a run with it off (fp32 on CPU). PyTorch's flex attention has no CPU
backward and Liger's kernels are Triton GPU kernels, so their training parity tests run on a GPU
(bench/gpu/check.sh); on CPU, flex attention's forward is checked here and in test_data.py. varlen attention
trains on CPU example by example (checked here against sdpa); its flash kernel is checked on the GPU."""

import json
import subprocess
import sys

import pytest
import torch
import train
from conftest import NoStop, Recorder, make_tokenizer
from pipeline_trainer.data import collate, pack, read_examples
from pipeline_trainer.model import batch_loss

needs_gpu = pytest.mark.skipif(not torch.cuda.is_available(), reason="GPU kernels: run by bench/gpu/check.sh")


def losses(make_spec, name: str, **top) -> list[float]:
    training = {"max_steps": 4, "packing": True, **top.pop("training", {})}
    spec, _ = make_spec(name, training=training, **top)
    rec = Recorder()
    train.train(spec, rec, NoStop())
    return [e["loss"] for e in rec.of("step")]


def test_fused_adamw_matches_the_foreach_one(make_spec):
    plain = losses(make_spec, "plain")
    assert losses(make_spec, "fused", training={"fused_optimizer": True}) == pytest.approx(plain, rel=1e-5)


def test_compiled_layers_match_eager_ones_and_save_the_same_adapter(make_spec):
    from safetensors.torch import load_file

    got, names = {}, {}
    for name, compiled in (("eager", False), ("compiled", True)):
        got[name] = losses(make_spec, name, training={"compile": compiled, "max_steps": 2})
        names[name] = set(load_file(make_spec(name)[0]["output"]["adapter_dir"] + "/adapter_model.safetensors"))
    assert got["compiled"] == pytest.approx(got["eager"], rel=1e-4)
    assert names["compiled"] == names["eager"]


@pytest.mark.parametrize("dropout", [0.0, 0.1])
def test_bf16_adapters_take_their_input_uncast_with_the_same_losses(make_spec, monkeypatch, dropout):
    import pipeline_trainer.model as model_module
    from peft.tuners.tuners_utils import BaseTunerLayer

    seen = []
    fast = model_module.keep_adapter_input_dtype
    monkeypatch.setattr(model_module, "keep_adapter_input_dtype", lambda m: seen.append(m) or fast(m))
    top = {"training": {"precision": "bf16"}, "lora": {"dropout": dropout}}
    uncast = losses(make_spec, f"uncast-{dropout}", **top)
    layers = [m for m in seen[0].modules() if isinstance(m, BaseTunerLayer)]
    assert layers and not any(m.cast_input_dtype_enabled for m in layers)
    monkeypatch.setattr(model_module, "keep_adapter_input_dtype", lambda m: None)  # peft's own cast, as before
    cast = losses(make_spec, f"cast-{dropout}", **top)
    if dropout == 0:
        assert uncast == cast  # the same bf16 matmuls on the same bf16 inputs
    else:
        assert uncast == pytest.approx(cast, rel=1e-2)  # dropout's scale rounds in bf16


def test_varlen_attention_trains_as_sdpa_does_on_packed_rows(make_spec):
    # Packed rows of several examples each: sdpa keeps them apart with a block-diagonal mask, varlen by running
    # each example on its own; the losses of every step (backward included) must agree.
    sdpa = losses(make_spec, "sdpa")
    varlen = losses(make_spec, "varlen", training={"attention": "varlen"})
    assert varlen == pytest.approx(sdpa, rel=1e-5)


def test_varlen_bounds_follow_the_restarts_of_position_ids():
    from pipeline_trainer.kernels import example_bounds

    # Row 0: examples of 3 and 2 tokens, then padding that continues the last one; row 1: one of 4, one of 3.
    positions = torch.tensor([[0, 1, 2, 0, 1, 2, 3], [0, 1, 2, 3, 0, 1, 2]])
    starts, longest = example_bounds(positions, 2, 7, "cpu")
    assert starts.tolist() == [0, 3, 7, 11, 14] and starts.dtype == torch.int32
    assert longest == 4
    # Without position_ids every row is one sequence; a row whose positions do not start at 0 still starts one.
    assert example_bounds(None, 2, 7, "cpu")[0].tolist() == [0, 7, 14]
    assert example_bounds(torch.tensor([[5, 6, 0, 1]]), 1, 4, "cpu")[0].tolist() == [0, 2, 4]


def test_varlen_attention_matches_sdpa_with_grouped_query_heads_and_leaves_rows_apart():
    from pipeline_trainer.kernels import varlen_attention

    torch.manual_seed(0)
    q = torch.randn(2, 4, 7, 8)
    k, v = torch.randn(2, 2, 7, 8), torch.randn(2, 2, 7, 8)  # 2 key/value heads for 4 query heads
    positions = torch.tensor([[0, 1, 2, 0, 1, 2, 3], [0, 1, 2, 3, 4, 5, 6]])
    got, _ = varlen_attention(None, q, k, v, None, scaling=0.5, position_ids=positions)
    # Reference: one SDPA per example, with the key/value heads repeated.
    kr, vr = k.repeat_interleave(2, dim=1), v.repeat_interleave(2, dim=1)
    sdpa = torch.nn.functional.scaled_dot_product_attention
    for row, spans in ((0, [(0, 3), (3, 7)]), (1, [(0, 7)])):
        for a, b in spans:
            want = sdpa(q[row : row + 1, :, a:b], kr[row : row + 1, :, a:b], vr[row : row + 1, :, a:b], is_causal=True, scale=0.5)
            assert torch.allclose(got[row, a:b], want[0].transpose(0, 1), atol=1e-6)


def _per_example_reference(q, k, v, cu, scale):
    """What varlen_attn computes, on CPU: causal SDPA over each example of the flattened batch."""
    bounds = cu.tolist()
    sdpa = torch.nn.functional.scaled_dot_product_attention
    return torch.cat(
        [
            sdpa(q[a:b].transpose(0, 1), k[a:b].transpose(0, 1), v[a:b].transpose(0, 1), is_causal=True, scale=scale).transpose(0, 1)
            for a, b in zip(bounds, bounds[1:])
        ]
    )


@pytest.mark.parametrize("api", ["is_causal, no scale", "window_size and scale"])
def test_varlen_calls_each_pytorch_version_of_varlen_attn_as_it_expects(monkeypatch, api):
    # A contract test: the flash kernel needs CUDA, so PyTorch's two signatures of varlen_attn are stood in for by
    # functions with those signatures that compute what the kernel computes; the call must give the same result.
    import torch.nn.attention.varlen as varlen_module
    from pipeline_trainer.kernels import _flash_varlen

    seen = {}
    if api == "is_causal, no scale":

        def fake(query, key, value, cu_seq_q, cu_seq_k, max_q, max_k, is_causal=False, return_aux=None):
            seen.update(is_causal=is_causal)
            return _per_example_reference(query, key, value, cu_seq_q, None)

    else:

        def fake(query, key, value, cu_seq_q, cu_seq_k, max_q, max_k, *, return_aux=None, scale=None, window_size=(-1, -1)):
            seen.update(window_size=window_size)
            return _per_example_reference(query, key, value, cu_seq_q, scale)

    monkeypatch.setattr(varlen_module, "varlen_attn", fake)
    torch.manual_seed(1)
    q, k, v = (torch.randn(10, 2, 8) for _ in range(3))
    cu = torch.tensor([0, 4, 10], dtype=torch.int32)
    for scale in (None, 8**-0.5, 0.2):  # the default, the same given, and another one
        got = _flash_varlen(q, k, v, cu, 6, scale)
        assert torch.allclose(got, _per_example_reference(q, k, v, cu, scale), atol=1e-6), scale
    assert seen in ({"is_causal": True}, {"window_size": (-1, 0)})


def test_flex_attention_forward_matches_sdpa_on_packed_batches(tiny_model, data):
    from transformers import AutoModelForCausalLM

    examples, _ = read_examples(data["train"], make_tokenizer(), 64)
    batch, _ = collate(pack(examples, 64)[:8], pad_id=0)
    got = {}
    for attn in ("sdpa", "flex_attention"):
        model = AutoModelForCausalLM.from_pretrained(tiny_model, attn_implementation=attn).eval()
        with torch.no_grad():
            got[attn] = float(batch_loss(model, batch, 1, "cpu", "fp32"))
    assert got["flex_attention"] == pytest.approx(got["sdpa"], rel=1e-5)


@pytest.mark.parametrize("switch", ["attention", "liger_kernels"])
def test_gpu_only_switches_are_refused_on_cpu_before_the_model_loads(make_spec, switch):
    value = "flex_attention" if switch == "attention" else True
    _, path = make_spec(f"{switch}-cpu", training={switch: value})
    done = subprocess.run([sys.executable, train.__file__, "--spec", str(path)], capture_output=True, text=True)
    assert done.returncode == 2
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert [e["type"] for e in events] == ["error"]  # no start event: the model never loaded
    assert events[0]["code"] == "bad-spec" and f"training.{switch}" in events[0]["message"] and "CUDA" in events[0]["message"]


@needs_gpu
@pytest.mark.parametrize(
    "switches",
    [
        {"attention": "flex_attention"},
        {"attention": "varlen"},
        {"liger_kernels": True},
        {"attention": "flex_attention", "compile": True},
    ],
)
def test_gpu_switches_match_the_plain_path_on_gpu(make_spec, switches):
    cuda = {"precision": "bf16", "fused_optimizer": True}
    plain = losses(make_spec, "plain-cuda", training=cuda, device="cuda")
    fast = losses(make_spec, "fast-cuda", training={**cuda, **switches}, device="cuda")
    assert fast == pytest.approx(plain, rel=2e-2)  # bf16 matmuls, summed in another order
