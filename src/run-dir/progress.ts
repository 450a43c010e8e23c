import { closeSync, existsSync, fstatSync, openSync, readSync } from "node:fs";
import { runDirPaths } from "./paths.js";

export interface RunProgress {
  step: number | null;
  totalSteps: number | null;
  loss: number | null;
}

const TAIL = 64 * 1024;

/**
 * A running job's step, total steps and loss, from the tail of its events.jsonl (the file of a long run
 * is large; only its end and, for total_steps, its first lines are read).
 */
export function readRunProgress(runDir: string): RunProgress {
  const file = runDirPaths(runDir).events;
  const progress: RunProgress = { step: null, totalSteps: null, loss: null };
  if (!existsSync(file)) return progress;
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const tail = readSlice(fd, Math.max(0, size - TAIL), Math.min(size, TAIL));
    for (const event of parseLines(tail)) {
      if (event.type === "start" && typeof event.total_steps === "number")
        progress.totalSteps = event.total_steps;
      if (event.type === "step" && typeof event.step === "number") {
        progress.step = event.step;
        progress.loss = typeof event.loss === "number" ? event.loss : progress.loss;
      }
    }
    if (progress.totalSteps === null) {
      const start = parseLines(readSlice(fd, 0, Math.min(size, 8192))).find((e) => e.type === "start");
      if (typeof start?.total_steps === "number") progress.totalSteps = start.total_steps;
    }
  } finally {
    closeSync(fd);
  }
  return progress;
}

function readSlice(fd: number, position: number, length: number): string {
  const buffer = Buffer.alloc(length);
  readSync(fd, buffer, 0, length, position);
  return buffer.toString("utf8");
}

/** Whole JSON lines only: the first and last may be cut by the slice. */
function parseLines(text: string): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    try {
      events.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a partial line at either end of the slice
    }
  }
  return events;
}
