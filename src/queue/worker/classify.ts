import { readOutcome } from "../../run-dir/index.js";
import type { AttemptOutcome } from "../finish.js";

/** Why the worker itself stopped a run, when it did. */
export type StopReason = "cancelled" | "timeout" | "shutdown" | "lost";

/**
 * An attempt's outcome from the run's exit. Exit 1 means either "trained, a gate failed" or "training
 * failed"; the run's report.json tells them apart.
 */
export function classifyExit(
  exit: { code: number | null; signal: string | null },
  stopped: StopReason | undefined,
  runDir: string,
): AttemptOutcome {
  if (exit.code === 0) return "done";
  if (stopped === "cancelled") return "cancelled";
  if (stopped === "timeout") return "timeout";
  if (stopped === "shutdown" || stopped === "lost") return "interrupted";
  if (exit.code === 1 && readOutcome(runDir) === "gates-failed") return "gates-failed";
  if (exit.code === 2) return "invalid";
  if (exit.code === 75) return "lost"; // a cluster node died under the run: retried, resuming from the store
  return "failed";
}

/**
 * The last error the run reported, for the attempt record. Its log mixes JSON lines (events, and with
 * --json the error object itself) and stderr text.
 */
export function lastError(log: string): string | undefined {
  let found: string | undefined;
  for (const line of log.split("\n")) {
    const text = line.trim();
    if (text.startsWith("{")) found = jsonError(text) ?? found;
    else if (/^error/i.test(text)) found = text;
  }
  return found?.slice(0, 500);
}

function jsonError(line: string): string | undefined {
  try {
    const value = JSON.parse(line) as {
      type?: string;
      code?: string;
      message?: string;
      error?: { code?: string; message?: string };
    };
    if (value.error?.message) return `[${value.error.code}] ${value.error.message}`;
    if (value.type === "error" && value.message) return `[${value.code}] ${value.message}`;
  } catch {
    // a line that only looks like JSON
  }
  return undefined;
}
