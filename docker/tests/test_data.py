"""Tokenization, label masking, packing and the attention isolation that packing relies on."""

import pytest
import torch
from conftest import make_tokenizer
from pipeline_trainer.data import Example, collate, pack, tokenize_example
from pipeline_trainer.model import batch_loss


def test_labels_mask_untrained_segments():
    tok = make_tokenizer()
    segments = [{"text": "<s>ask ", "train": False}, {"text": "yes</s>", "train": True}]
    ex = tokenize_example(tok, segments, 64)
    prompt = tok("<s>ask ", add_special_tokens=False)["input_ids"]
    answer = tok("yes</s>", add_special_tokens=False)["input_ids"]
    assert ex.input_ids == prompt + answer
    assert ex.labels == [-100] * len(prompt) + answer


def test_special_token_text_becomes_the_special_token():
    tok = make_tokenizer()
    ex = tokenize_example(tok, [{"text": "a<|im_end|></s>", "train": True}], 64)
    assert ex.input_ids[1:] == [tok.convert_tokens_to_ids("<|im_end|>"), tok.eos_token_id]
    assert ex.labels[0] == -100  # the first token has nothing before it to predict it


def test_truncates_to_max_seq_len():
    tok = make_tokenizer()
    ex = tokenize_example(tok, [{"text": "x" * 50, "train": True}], 16)
    assert len(ex.input_ids) == len(ex.labels) == 16


def test_pack_keeps_every_example_whole_and_within_max_len():
    examples = [Example([1] * n, [1] * n) for n in (5, 9, 3, 7, 16, 1, 8)]
    rows = pack(examples, 16)
    assert sorted(id(e) for row in rows for e in row) == sorted(id(e) for e in examples)
    assert all(sum(len(e.input_ids) for e in row) <= 16 for row in rows)
    assert len(rows) == 4  # 49 tokens: best-fit fills 16+16+16 and leaves one


def test_collate_restarts_positions_per_example():
    a, b = Example([5, 6, 7], [-100, 6, 7]), Example([8, 9], [-100, 9])
    batch, real = collate([[a, b], [b]], pad_id=0)
    assert batch["position_ids"].tolist() == [[0, 1, 2, 0, 1], [0, 1, 2, 3, 4]]
    assert batch["labels"].tolist() == [[-100, 6, 7, -100, 9], [-100, 9, -100, -100, -100]]
    assert real == 7


@pytest.mark.parametrize("attn", ["sdpa", "eager"])
def test_packed_example_has_the_same_loss_as_alone(tiny_model, attn):
    """The second example of a packed row must not see the first: its summed loss equals its loss alone."""
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(tiny_model, attn_implementation=attn).eval()
    tok = make_tokenizer()
    first = tokenize_example(tok, [{"text": "<s>some context here that differs", "train": True}], 64)
    second = tokenize_example(tok, [{"text": "<s>q: ", "train": False}, {"text": "answer</s>", "train": True}], 64)
    masked_first = Example(first.input_ids, [-100] * len(first.labels))

    def summed_loss(rows):
        batch, _ = collate(rows, pad_id=0)
        with torch.no_grad():
            return float(batch_loss(model, batch, 1, "cpu", "fp32"))

    alone = summed_loss([[second]])
    packed = summed_loss([[masked_first, second]])
    assert packed == pytest.approx(alone, rel=1e-5, abs=1e-5)
    # and without position_ids restarting, the context does leak (so the check above can fail)
    leaky = Example(masked_first.input_ids + second.input_ids, masked_first.labels + second.labels)
    assert summed_loss([[leaky]]) != pytest.approx(alone, rel=1e-3)
