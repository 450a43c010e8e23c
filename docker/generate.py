"""Batched greedy generation for evals: a base model, optionally with a PEFT adapter, over formatted prompts.

    python docker/generate.py --model DIR [--adapter DIR [--base-out base.jsonl]] --prompts eval.jsonl \\
        --out generations.jsonl --batch-size 16 --max-new-tokens 64 [--device auto|cpu|cuda] [--seed 0]

Each input line is a formatted example, {"segments": [{"text": ..., "train": false}, ...]}: the prompt is
every segment before the last trained one, and the reference is that trained segment's text without its
end-of-turn token. One JSON line per case goes to --out (in input order):
    {"index", "prompt", "reference", "output", "exact_match", "latency_s", "new_tokens", "loss"}
and a summary line goes to stdout: {"exact_match": ..., "n": ..., "tokens_per_s": ...}.
`latency_s` is the wall time of the case's whole batch (what a caller waits for it); `loss` is the mean
negative log-likelihood of the reference's tokens (end-of-turn token included, as in training) given the
prompt, so loss and perplexity pair per case like every other metric.

With --adapter and --base-out, one model load serves both: the base model's results are computed with the
adapter disabled (peft's `disable_adapter()`) and written to --base-out, the adapter's to --out. With
--champion DIR --champion-out FILE a second adapter (eval.compare_to: the one this run must beat) is loaded
beside the first on the same base and its results written to FILE, from the same batches and seed.
Greedy decoding, stable batching and fixed seeds make the output the same on every run on one machine.

A prompts file of preference pairs (the formatted held-out split of a DPO run, {"prompt", "chosen",
"rejected"}) is scored, not generated: each case gets the summed log-probability of the chosen and of the
rejected answer given the prompt ("logp_chosen", "logp_rejected": what DPO's implicit reward is made of),
"output" is the answer the model prefers and "exact_match" whether that is the chosen one.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import torch
from pipeline_trainer.secrets import load_secrets_file, load_secrets_stdin
from transformers import AutoModelForCausalLM, AutoTokenizer


class InputError(Exception):
    """A problem with the prompts file; reported as `file:line › message`, exit code 2."""


def read_rows(path: Path, parse) -> list[dict]:
    """Each non-empty line through `parse(row, where)`; a line that is not JSON is an InputError at its line."""
    cases = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{line_no}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{where} › not JSON ({err})")
        cases.append({"index": len(cases), **parse(row, where)})
    return cases


def case_of(row, where: str) -> dict:
    """A formatted example: the prompt is every segment before the last trained one, the reference that one."""
    try:
        segments = row["segments"]
        last = max(i for i, s in enumerate(segments) if s["train"])
    except (KeyError, TypeError) as err:
        raise InputError(f"{where} › expected {{\"segments\": [{{text, train}}, ...]}} ({err})")
    except ValueError:
        raise InputError(f"{where} › segments: no trained segment to use as the reference")
    return {"prompt_segments": segments[:last], "reference": segments[last]["text"]}


def pair_of(row, where: str) -> dict:
    """A formatted preference pair: the prompt's text and the two answers' texts."""
    try:
        pair = {key: row[key] for key in ("prompt", "chosen", "rejected")}
    except (KeyError, TypeError) as err:
        raise InputError(f"{where} › expected {{\"prompt\", \"chosen\", \"rejected\"}} ({err})")
    if not all(isinstance(v, str) for v in pair.values()):
        raise InputError(f"{where} › prompt, chosen and rejected must be strings")
    return pair


def is_pairs_file(path: Path) -> bool:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                return "chosen" in json.loads(line)
            except json.JSONDecodeError:
                return False
    return False


def stop_token_ids(tokenizer, model) -> list[int]:
    """The ids that end a turn: the tokenizer's eos, the generation config's eos list, and <|im_end|>."""
    ids = {tokenizer.eos_token_id}
    configured = model.generation_config.eos_token_id
    ids.update(configured if isinstance(configured, list) else [configured])
    im_end = tokenizer.convert_tokens_to_ids("<|im_end|>")
    if isinstance(im_end, int) and im_end != tokenizer.unk_token_id:
        ids.add(im_end)
    return sorted(i for i in ids if i is not None)


def strip_end_of_turn(text: str, stop_texts: list[str]) -> str:
    trimmed = text.rstrip()
    for stop in stop_texts:
        if trimmed.endswith(stop):
            return trimmed[: -len(stop)]
    return text


def encode_prompt(tokenizer, segments: list[dict]) -> list[int]:
    # Segment by segment, as the trainer tokenizes them: special-token text becomes special tokens.
    ids: list[int] = []
    for segment in segments:
        ids += tokenizer(segment["text"], add_special_tokens=False)["input_ids"]
    return ids


def left_pad(rows: list[list[int]], pad_id: int) -> dict[str, torch.Tensor]:
    width = max(len(r) for r in rows)
    ids = torch.tensor([[pad_id] * (width - len(r)) + r for r in rows])
    mask = torch.tensor([[0] * (width - len(r)) + [1] * len(r) for r in rows])
    return {"input_ids": ids, "attention_mask": mask}


def cut_at_stop(tokens: list[int], stops: set[int]) -> tuple[list[int], int]:
    """The tokens before the first stop token, and how many tokens were generated up to and including it."""
    for i, t in enumerate(tokens):
        if t in stops:
            return tokens[:i], i + 1
    return tokens, len(tokens)


def right_pad(rows: list[list[int]], pad_id: int) -> dict[str, torch.Tensor]:
    width = max(len(r) for r in rows)
    ids = torch.tensor([r + [pad_id] * (width - len(r)) for r in rows])
    mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows])
    return {"input_ids": ids, "attention_mask": mask}


@torch.no_grad()
def reference_losses(model, device, batch: list[dict], pad_id: int) -> list[float | None]:
    """Mean NLL of each case's reference tokens given its prompt (one forward pass for the batch)."""
    rows = [c["ids"] + c["reference_ids"] for c in batch]
    inputs = {k: v.to(device) for k, v in right_pad(rows, pad_id).items()}
    logprobs = torch.log_softmax(model(**inputs).logits.float(), dim=-1)
    losses = []
    for i, case in enumerate(batch):
        # A first token with no prompt before it has nothing to be predicted from: it is left out.
        start, end = max(len(case["ids"]), 1), len(rows[i])
        # The token at position t is predicted by the logits at t - 1.
        targets = inputs["input_ids"][i, start:end]
        picked = logprobs[i, start - 1 : end - 1].gather(1, targets.unsqueeze(1))
        losses.append(round(-picked.mean().item(), 6) if end > start else None)
    return losses


def load_model(args):
    device = "cuda" if args.device == "auto" and torch.cuda.is_available() else args.device
    device = "cpu" if device == "auto" else device
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype="auto")
    if args.adapter:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, args.adapter)
    return tokenizer, model.to(device).eval(), device


@torch.no_grad()
def generate(args, tokenizer, model, device, cases: list[dict]) -> list[dict]:
    stops = stop_token_ids(tokenizer, model)
    stop_texts = [tokenizer.convert_ids_to_tokens(i) for i in stops]
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else stops[0]
    for case in cases:
        case["ids"] = encode_prompt(tokenizer, case["prompt_segments"])
        case["reference_ids"] = tokenizer(case["reference"], add_special_tokens=False)["input_ids"]
    # Similar lengths share a batch (less padding); a stable sort keeps batches the same on every run.
    ordered = sorted(cases, key=lambda c: len(c["ids"]))
    results = []
    for start in range(0, len(ordered), args.batch_size):
        batch = ordered[start : start + args.batch_size]
        inputs = {k: v.to(device) for k, v in left_pad([c["ids"] for c in batch], pad_id).items()}
        began = time.perf_counter()
        out = model.generate(
            **inputs,
            max_new_tokens=args.max_new_tokens,
            do_sample=False,
            eos_token_id=stops,
            pad_token_id=pad_id,
        )
        latency = time.perf_counter() - began
        losses = reference_losses(model, device, batch, pad_id) if args.loss else [None] * len(batch)
        for case, row, loss in zip(batch, out[:, inputs["input_ids"].shape[1] :].tolist(), losses):
            kept, generated = cut_at_stop(row, set(stops))
            output = tokenizer.decode(kept, skip_special_tokens=False)
            reference = strip_end_of_turn(case["reference"], stop_texts)
            results.append(
                {
                    "index": case["index"],
                    "prompt": "".join(s["text"] for s in case["prompt_segments"]),
                    "reference": reference,
                    "output": output,
                    "exact_match": output.strip() == reference.strip(),
                    "latency_s": round(latency, 4),
                    "new_tokens": generated,
                    "loss": loss,
                }
            )
        print(f"[generate] {len(results)}/{len(cases)} cases", file=sys.stderr, flush=True)
    return sorted(results, key=lambda r: r["index"])


@torch.no_grad()
def continuation_logps(model, device, rows: list[tuple[list[int], list[int]]], pad_id: int) -> list[float]:
    """The summed log-probability of each continuation's tokens given its prompt (one forward pass)."""
    inputs = {k: v.to(device) for k, v in right_pad([p + c for p, c in rows], pad_id).items()}
    logprobs = torch.log_softmax(model(**inputs).logits.float(), dim=-1)
    sums = []
    for i, (prompt, continuation) in enumerate(rows):
        start, end = max(len(prompt), 1), len(prompt) + len(continuation)
        targets = inputs["input_ids"][i, start:end]
        sums.append(logprobs[i, start - 1 : end - 1].gather(1, targets.unsqueeze(1)).sum().item())
    return sums


def score_pairs(args, tokenizer, model, device, cases: list[dict]) -> list[dict]:
    """Which answer of each pair the model prefers, and by how much (summed log-probabilities)."""
    stops = stop_token_ids(tokenizer, model)
    stop_texts = [tokenizer.convert_ids_to_tokens(i) for i in stops]
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else stops[0]
    encode = lambda text: tokenizer(text, add_special_tokens=False)["input_ids"]  # noqa: E731
    results = []
    for start in range(0, len(cases), args.batch_size):
        batch = cases[start : start + args.batch_size]
        began = time.perf_counter()
        rows = [(encode(c["prompt"]), encode(c[side])) for c in batch for side in ("chosen", "rejected")]
        logps = continuation_logps(model, device, rows, pad_id)
        latency = time.perf_counter() - began
        for i, case in enumerate(batch):
            chosen, rejected = logps[2 * i], logps[2 * i + 1]
            preferred = case["chosen"] if chosen > rejected else case["rejected"]
            tokens = max(len(rows[2 * i][1]), 1)
            results.append(
                {
                    "index": case["index"],
                    "prompt": case["prompt"],
                    "reference": strip_end_of_turn(case["chosen"], stop_texts),
                    "output": strip_end_of_turn(preferred, stop_texts),
                    "exact_match": chosen > rejected,
                    "latency_s": round(latency, 4),
                    "new_tokens": 0,
                    "loss": round(-chosen / tokens, 6),
                    "logp_chosen": round(chosen, 6),
                    "logp_rejected": round(rejected, 6),
                }
            )
        print(f"[generate] {len(results)}/{len(cases)} pairs", file=sys.stderr, flush=True)
    return results


def summarize(results: list[dict], seconds: float) -> dict:
    n = len(results)
    tokens = sum(r["new_tokens"] for r in results)
    return {
        "exact_match": sum(r["exact_match"] for r in results) / n if n else 0.0,
        "n": n,
        "tokens_per_s": round(tokens / seconds, 2) if seconds > 0 else 0.0,
        "new_tokens": tokens,
        "seconds": round(seconds, 3),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="base model directory or hub id")
    ap.add_argument("--adapter", help="PEFT adapter directory (adapter_config.json + adapter_model.safetensors)")
    ap.add_argument("--base-out", type=Path, help="with --adapter: also write the base model's results here")
    ap.add_argument("--champion", help="with --adapter: a second adapter to compare it with (same base model)")
    ap.add_argument("--champion-out", type=Path, help="where the --champion adapter's results go")
    ap.add_argument("--no-loss", dest="loss", action="store_false", help="skip the per-case reference loss")
    ap.add_argument("--prompts", required=True, type=Path, help="formatted JSONL with segments")
    ap.add_argument("--out", required=True, type=Path, help="JSONL file to write one result per case to")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--max-new-tokens", type=int, default=64)
    ap.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if args.batch_size < 1 or args.max_new_tokens < 1:
        ap.error("--batch-size and --max-new-tokens must be at least 1")
    if args.base_out and not args.adapter:
        ap.error("--base-out needs --adapter")
    if bool(args.champion) != bool(args.champion_out) or (args.champion and not args.adapter):
        ap.error("--champion and --champion-out go together, with --adapter")

    load_secrets_file()  # a container's HF token for a hub base model (pipeline_trainer/secrets.py)
    load_secrets_stdin()
    try:
        pairs = is_pairs_file(args.prompts)
        cases = read_rows(args.prompts, pair_of if pairs else case_of)
    except (InputError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    tokenizer, model, device = load_model(args)
    work = score_pairs if pairs else generate
    if args.base_out:
        with model.disable_adapter():
            run_and_write(work, args, tokenizer, model, device, cases, args.base_out)
    run_and_write(work, args, tokenizer, model, device, cases, args.out)
    if args.champion:
        model.load_adapter(args.champion, adapter_name="champion")
        model.set_adapter("champion")
        model.eval()
        run_and_write(work, args, tokenizer, model, device, cases, args.champion_out)
    return 0


def run_and_write(work, args, tokenizer, model, device, cases: list[dict], out: Path) -> None:
    # The same seed before each pass: base and adapter see identical conditions.
    torch.manual_seed(args.seed)
    began = time.perf_counter()
    results = work(args, tokenizer, model, device, cases)
    summary = summarize(results, time.perf_counter() - began)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results), encoding="utf-8")
    print(json.dumps({**summary, "out": str(out)}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
