import { readFile } from "node:fs/promises";
import { TrainerEvent } from "./event-contract.js";

/** events.jsonl → events; a torn last line (a crash mid-write) or library noise is skipped, not fatal. */
export async function readEvents(path: string): Promise<TrainerEvent[]> {
  const text = await readFile(path, "utf8").catch(() => "");
  const events: TrainerEvent[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim().startsWith("{")) continue;
    try {
      const parsed = TrainerEvent.safeParse(JSON.parse(line));
      if (parsed.success) events.push(parsed.data);
    } catch {
      continue;
    }
  }
  return events;
}
