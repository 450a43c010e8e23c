import { appendFileSync } from "node:fs";
import { TrainerEvent } from "../run-dir/index.js";

export type ParsedLine = { event: TrainerEvent } | { stray: string };

/** One stdout line of the trainer → an event, or a stray line (which the contract says should not happen). */
export function parseEventLine(line: string): ParsedLine {
  const text = line.trim();
  if (!text.startsWith("{")) return { stray: line };
  try {
    const parsed = TrainerEvent.safeParse(JSON.parse(text));
    return parsed.success ? { event: parsed.data } : { stray: line };
  } catch {
    return { stray: line };
  }
}

/**
 * The trainer's stdout lines → events, for every runtime. Stray lines are kept in the trainer log;
 * `onLine` runs before each line is handled (the docker runtime removes its secrets file on the first).
 */
export async function* eventsFromLines(
  lines: AsyncIterable<unknown>,
  logPath: string,
  onLine: () => Promise<void> | void = () => {},
): AsyncGenerator<TrainerEvent> {
  for await (const line of lines) {
    await onLine();
    const parsed = parseEventLine(String(line));
    if ("event" in parsed) yield parsed.event;
    else appendFileSync(logPath, `[stdout] ${parsed.stray}\n`);
  }
}
