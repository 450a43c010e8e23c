import { UsageError } from "../../errors/index.js";

/** `--eval-split`: a fraction in [0, 1); 0 writes an empty eval.jsonl. */
export function parseEvalSplit(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw new UsageError(
      "bad-eval-split",
      `--eval-split must be a number from 0 up to (not including) 1, got "${text}"`,
      {
        hint: "e.g. --eval-split 0.1 holds out about 10% of the rows; 0 holds out none",
      },
    );
  }
  return value;
}

/** `--seed`: a non-negative integer. */
export function parseSeed(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw new UsageError("bad-seed", `--seed must be a whole number ≥ 0, got "${text}"`);
  }
  return value;
}
