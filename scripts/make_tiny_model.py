"""Make the quickstart's tiny base model, offline and deterministically.

A LoRA on a randomly initialised model only memorises (see ENVIRONMENT.md), so this script builds a
small Llama-architecture model and pre-trains it with full training on a family of word tasks in ChatML
form (repeat, quote, first word, count as JSON) until it copies words from a prompt reliably. The
quickstart's LoRA then teaches it something new on top of that skill (datasets/quickstart/).

The model it makes ships in models/tiny/ (what `builtin:tiny` loads), with a SHA256SUMS of its files and the
script's own hash in pretrain.json; scripts/tests/test_shipped_tiny_model.py checks both, and that a rebuild
reaches the same skill (the bytes match only on the same CPU, torch and thread count).

    python scripts/make_tiny_model.py --out models/tiny                  # ~4-5 minutes on 2 CPU cores
    python scripts/make_tiny_model.py --out /tmp/tiny --steps 20         # a quick smoke build

The tokenizer is a byte-level BPE (GPT-2 style) trained on the task corpus: the task words become
single tokens, and any other text still encodes through the 256 byte tokens, so other datasets work.
Progress goes to stderr; the measured results go to OUT/pretrain.json.
"""

import argparse
import hashlib
import json
import math
import os
import random
import sys
import time
from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import GenerationConfig, LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

SPECIAL_TOKENS = ["<pad>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"]
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

# The vocabulary of the tasks: everyday words that each become one token.
WORDS = """
apple river stone cloud green table window garden yellow silver orange purple forest summer winter
autumn spring island valley mountain ocean desert bridge castle market village harbor lantern candle
mirror pencil basket blanket button carpet coffee cookie dragon engine feather finger flower guitar
hammer helmet jacket jungle kettle ladder lemon letter magnet meadow monkey needle number office
paper parrot pepper pillow planet pocket puzzle rabbit rocket saddle shadow silk sister socket spider
spoon square station sugar tiger tomato tower trumpet tunnel turtle velvet wagon wallet water whale
wheel wizard wolf zebra anchor arrow bottle branch brick butter camera canvas carrot cherry circle
copper cotton crystal diamond doctor dolphin eagle falcon farmer fence fountain frost ginger glass
honey horse insect iron jelly kitten knight leaf lion marble melon moon mouse nest night olive onion
oyster palace panda pearl piano pirate pump queen radio rain robot rose ruby sail salt sand scarf
shell ship shoe silence sky snow soap spark star storm sun swan thunder tree violin wave wind wood
bread cheese lamp door chair clock cup fork knife plate bowl shirt hat boot ring coin map book pen
king road hill lake field farm barn goat sheep duck frog bee ant owl fox bear deer seal crab fish
red blue black white pink gray brown gold quiet happy brave calm swift bright dark warm cold soft
""".split()

PRINTABLE = "".join(chr(c) for c in range(32, 127)) + "\n\t"


def sample_words(rng: random.Random, low: int = 2, high: int = 7) -> list[str]:
    # Distinct words: a repeated word would make "what comes after this word" ambiguous when copying.
    return rng.sample(WORDS, rng.randint(low, high))


# Each skill: (instruction, answer from the words). "Repeat" is the core skill the quickstart builds on.
# The word list starts on a new line, so every word is the same token in the prompt and in the answer
# (byte-level BPE gives "apple" after a newline or a quote and " apple" after a space different ids):
# copying is then a pure token-matching job that a 2-layer model learns quickly.
SKILLS = {
    "repeat": ("Repeat:\n", lambda w: " ".join(w)),
    "quote": ("Quote:\n", lambda w: '"' + " ".join(w) + '"'),
    "first": ("First word:\n", lambda w: w[0]),
    # Makes the JSON punctuation tokens known outputs; the quickstart's LoRA task reuses them in a new way.
    "count_json": ("Count as JSON:\n", lambda w: json.dumps({"words": len(w)}, separators=(",", ":"))),
}
SKILL_WEIGHTS = {"repeat": 6, "quote": 1, "first": 1, "count_json": 1}
# Pre-training lists are longer than the quickstart's (2-7 words): on short lists alone the model gets by with
# copying by position, which fails from the fourth word on; lists of up to 12 words make it learn to copy by
# content (find the word just copied, take the next), the skill that carries over to a new output format.
TRAIN_MAX_WORDS = 12


def chatml(role: str, content: str) -> str:
    return f"<|im_start|>{role}\n{content}<|im_end|>\n"


def make_example(rng: random.Random, skill: str, words: list[str]) -> tuple[str, str]:
    """(prompt, answer): the prompt ends with the assistant header; the answer ends with <|im_end|>."""
    instruction, answer = SKILLS[skill]
    prompt = chatml("user", instruction + " ".join(words)) + "<|im_start|>assistant\n"
    return prompt, answer(words) + "<|im_end|>"


def pick_skill(rng: random.Random) -> str:
    names = list(SKILL_WEIGHTS)
    return rng.choices(names, weights=[SKILL_WEIGHTS[n] for n in names])[0]


def build_tokenizer(seed: int, vocab_size: int) -> Tokenizer:
    rng = random.Random(seed)
    corpus = [PRINTABLE] * 4 + [" ".join(WORDS)] * 8
    for _ in range(4000):
        prompt, answer = make_example(rng, pick_skill(rng), sample_words(rng))
        corpus.append(prompt + answer)
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(corpus, trainer=trainer)
    return tok


def log(message: str) -> None:
    print(f"[make_tiny_model] {message}", file=sys.stderr, flush=True)


def encode_batch(tok: PreTrainedTokenizerFast, pairs: list[tuple[str, str]]) -> dict[str, torch.Tensor]:
    """Right-padded ids with labels only on the answer tokens (-100 elsewhere)."""
    rows, labels = [], []
    for prompt, answer in pairs:
        p = tok(prompt, add_special_tokens=False)["input_ids"]
        a = tok(answer, add_special_tokens=False)["input_ids"]
        rows.append(p + a)
        labels.append([-100] * len(p) + a)
    width = max(len(r) for r in rows)
    pad = tok.pad_token_id
    ids = torch.tensor([r + [pad] * (width - len(r)) for r in rows])
    lab = torch.tensor([r + [-100] * (width - len(r)) for r in labels])
    mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows])
    return {"input_ids": ids, "attention_mask": mask, "labels": lab}


@torch.no_grad()
def greedy_accuracy(model, tok, pairs: list[tuple[str, str]], batch_size: int = 64) -> float:
    model.eval()
    tok.padding_side = "left"
    hits = 0
    for i in range(0, len(pairs), batch_size):
        chunk = pairs[i : i + batch_size]
        enc = tok([p for p, _ in chunk], add_special_tokens=False, return_tensors="pt", padding=True)
        out = model.generate(
            **enc,
            max_new_tokens=24,
            do_sample=False,
            eos_token_id=tok.convert_tokens_to_ids("<|im_end|>"),
            pad_token_id=tok.pad_token_id,
        )
        for (_, answer), row in zip(chunk, out[:, enc["input_ids"].shape[1] :]):
            text = tok.decode(row, skip_special_tokens=False).split("<|im_end|>")[0]
            hits += text == answer.removesuffix("<|im_end|>")
    tok.padding_side = "right"
    model.train()
    return hits / len(pairs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, type=Path, help="directory to write the model into")
    ap.add_argument("--steps", type=int, default=3000, help="pre-training steps (default 3000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--vocab-size", type=int, default=1024)
    ap.add_argument("--eval-every", type=int, default=0, help="log held-out accuracy every N steps")
    # One thread by default: the same float sums whatever the core count (a rebuild on the same CPU type gives the
    # same bytes), and no threads spinning against each other on a busy machine (10x slower seen on 2 shared cores).
    ap.add_argument("--threads", type=int, default=1, help="torch threads (default 1; 0: torch's choice)")
    args = ap.parse_args()

    started = time.time()
    if args.threads:
        torch.set_num_threads(args.threads)
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)

    raw = build_tokenizer(args.seed, args.vocab_size)
    tok = PreTrainedTokenizerFast(
        tokenizer_object=raw, bos_token="<s>", eos_token="<|im_end|>", pad_token="<pad>", unk_token=None
    )
    tok.chat_template = CHAT_TEMPLATE
    log(f"tokenizer: {len(tok)} tokens")

    config = LlamaConfig(
        vocab_size=len(tok),
        hidden_size=args.hidden,
        intermediate_size=args.hidden * 4,
        num_hidden_layers=args.layers,
        num_attention_heads=4,
        num_key_value_heads=4,
        max_position_embeddings=1024,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id,
        tie_word_embeddings=False,
    )
    model = LlamaForCausalLM(config)
    n_params = sum(p.numel() for p in model.parameters())
    log(f"model: {args.layers} layers, hidden {args.hidden}, {n_params / 1e6:.2f} M parameters")

    # Held-out inputs: the accuracy reported in pretrain.json is on word lists never trained on.
    eval_rng = random.Random(args.seed + 1)
    held_out = [sample_words(eval_rng, 3, 7) for _ in range(128)]
    held_out_keys = {" ".join(w) for w in held_out}
    eval_sets = {skill: [make_example(eval_rng, skill, w) for w in held_out] for skill in SKILLS}

    train_rng = random.Random(args.seed + 2)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01, betas=(0.9, 0.98))
    warmup = max(1, args.steps // 20)

    def lr_at(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, args.steps - warmup)))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_at)
    tok.padding_side = "right"
    model.train()
    train_started = time.time()
    for step in range(args.steps):
        pairs = []
        while len(pairs) < args.batch_size:
            words = sample_words(train_rng, 2, TRAIN_MAX_WORDS)
            if " ".join(words) not in held_out_keys:
                pairs.append(make_example(train_rng, pick_skill(train_rng), words))
        loss = model(**encode_batch(tok, pairs)).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        if step % 100 == 0 or step == args.steps - 1:
            log(f"step {step + 1}/{args.steps} loss {loss.item():.4f} ({time.time() - train_started:.0f}s)")
        if args.eval_every and (step + 1) % args.eval_every == 0:
            log(f"step {step + 1} held-out exact match {greedy_accuracy(model, tok, eval_sets['repeat'][:64]):.3f}")
    train_seconds = time.time() - train_started

    accuracy = {skill: greedy_accuracy(model, tok, pairs) for skill, pairs in eval_sets.items()}
    log(f"held-out exact match: {accuracy}")
    report = {
        "held_out": accuracy,
        "held_out_n": len(held_out),
        "steps": args.steps,
        "batch_size": args.batch_size,
        "learning_rate": args.lr,
        "seed": args.seed,
        "parameters": n_params,
        "train_seconds": round(train_seconds, 1),
        "total_seconds": round(time.time() - started, 1),
        "torch_threads": torch.get_num_threads(),
        "skills": SKILL_WEIGHTS,
        "script_sha256": hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
    }
    save(model, tok, args.out, report)
    log(f"saved to {args.out} in {report['total_seconds']}s")


UNHASHED = ("SHA256SUMS", "pretrain.json")


def save(model, tok, out: Path, report: dict) -> None:
    """The model and tokenizer, their SHA256SUMS (`sha256sum -c` reads it), and pretrain.json (timings: not hashed)."""
    out.mkdir(parents=True, exist_ok=True)
    model.generation_config = GenerationConfig(
        bos_token_id=tok.bos_token_id,
        eos_token_id=[tok.convert_tokens_to_ids("<|im_end|>"), tok.convert_tokens_to_ids("</s>")],
        pad_token_id=tok.pad_token_id,
        do_sample=False,
    )
    model.save_pretrained(out)
    tok.save_pretrained(out)
    sums = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in sorted(out.iterdir()) if p.name not in UNHASHED]
    (out / "SHA256SUMS").write_text("".join(sums))
    (out / "pretrain.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
