import { UsageError } from "../../errors/index.js";

/** A whole-number flag ≥ min, or `fallback` when absent. */
export function integer(flag: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new UsageError("bad-option", `${flag} ${text}: expected a whole number ≥ ${min}`);
  }
  return value;
}

/** `--max-hours H`: a positive number of hours, or null (no limit). */
export function hours(text: string | undefined): number | null {
  if (text === undefined) return null;
  const value = Number(text);
  if (!(value > 0)) throw new UsageError("bad-option", `--max-hours ${text}: expected a number of hours > 0`);
  return value;
}
