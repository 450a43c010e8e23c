import { detectRowFormat, FORMAT_KEYS, type ConcreteFormat } from "./parsers/index.js";

/** Enough agreeing rows to decide; the rows are held in memory until then, so keep it small. */
export const DETECT_ROWS = 50;

export interface Detection {
  format: ConcreteFormat;
  reason: string;
}

/** The format most of the first rows look like (ties: the earliest); undefined when none looks like any. */
export function detectFormat(rows: Iterable<unknown>): Detection | undefined {
  const votes = new Map<ConcreteFormat, number>();
  let seen = 0;
  for (const row of rows) {
    const format = detectRowFormat(row);
    if (!format) continue;
    votes.set(format, (votes.get(format) ?? 0) + 1);
    if (++seen >= DETECT_ROWS) break;
  }
  let best: ConcreteFormat | undefined;
  for (const [format, count] of votes) if (best === undefined || count > votes.get(best)!) best = format;
  if (!best) return undefined;
  const reason = `${votes.get(best)} of the first ${seen} recognizable rows have "${FORMAT_KEYS[best]}"`;
  return { format: best, reason };
}
