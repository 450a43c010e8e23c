import { TrainerEvent } from "./events.js";

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
