import { readFile } from "node:fs/promises";
import type { ProblemList } from "../../config/index.js";
import { locate, messageOf } from "../../errors/index.js";
import type { Segment } from "../../dataset/types.js";

/** A case from a suite's JSONL file: a plain prompt with its reference, or an already formatted row. */
export type CaseRow = { prompt: string; reference: string } | { segments: Segment[] };

interface RowProblem {
  key?: string;
  message: string;
}

/**
 * Reads and checks every row, adding each problem as `file:line › key: message`; a missing file is a
 * problem at `referencedAt`, the suite's `cases:` line.
 */
export async function readCaseRows(
  file: string,
  shown: string,
  referencedAt: string,
  problems: ProblemList,
): Promise<CaseRow[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    const message = missing ? `cases file not found: ${shown}` : `cannot read ${shown}: ${String(error)}`;
    return void problems.add(referencedAt, message);
  }
  const rows: CaseRow[] = [];
  const before = problems.size;
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    const row = parseRow(line);
    if ("message" in row) problems.add(locate(shown, i + 1, row.key), row.message);
    else rows.push(row);
  });
  if (problems.size === before && rows.length === 0) problems.add(shown, "no cases in the file");
  return problems.size === before ? rows : undefined;
}

function parseRow(line: string): CaseRow | RowProblem {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { message: `invalid JSON (${messageOf(error)})` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { message: 'expected an object: {"prompt", "reference"} or {"segments"}' };
  }
  const row = value as Record<string, unknown>;
  if ("segments" in row) return segmentsRow(row.segments);
  for (const key of ["prompt", "reference"]) {
    if (typeof row[key] !== "string") {
      return { key, message: `expected a string (rows are {"prompt", "reference"} or {"segments"})` };
    }
  }
  return { prompt: row.prompt as string, reference: row.reference as string };
}

function segmentsRow(segments: unknown): CaseRow | RowProblem {
  const valid =
    Array.isArray(segments) &&
    segments.every((s: { text?: unknown; train?: unknown } | null) => {
      return typeof s?.text === "string" && typeof s.train === "boolean";
    });
  if (!valid) return { key: "segments", message: "expected a list of {text: string, train: boolean}" };
  if (!(segments as Segment[]).some((s) => s.train)) {
    return { key: "segments", message: "no trained segment to use as the reference" };
  }
  return { segments: segments as Segment[] };
}
