import { resolve } from "node:path";
import { type KeepBest, type StoredCheckpoint, bestStep, prunable } from "../../checkpoints/index.js";
import { FailedError, UsageError, type Problem } from "../../errors/index.js";
import {
  describeTarget as describe,
  type Target,
  type TargetOptions,
  withTarget,
} from "./checkpoint-target.js";
import { folderLine, pullFolder, verifyRunFolders } from "./checkpoint-folders.js";

interface Options extends TargetOptions {
  json?: boolean;
}

/** One checkpoint as the commands show it: `where` is its location in the store (a URI or a path). */
interface Row extends StoredCheckpoint {
  where: string;
}

/** `pipeline checkpoints list <run-id|location>`: step, size, complete or not — newest first. */
export async function checkpointsList(target: string, options: Options): Promise<number> {
  return withTarget(target, options, async (t) => {
    const rows = await list(t);
    const metric = t.keepBest?.metric ?? "eval_loss";
    const best = bestStep(rows, t.keepBest ?? { metric, mode: "min" });
    if (options.json) process.stdout.write(JSON.stringify(rows) + "\n");
    else if (rows.length === 0) process.stdout.write(`no checkpoints in ${describe(t)}\n`);
    else
      for (const row of rows) {
        const value = row.metrics?.[metric];
        const shown = `${metric} ${value === undefined ? "-" : value.toFixed(4)}`.padEnd(metric.length + 9);
        const status = row.complete ? "complete" : "INCOMPLETE";
        const mark = t.keepBest && row.step === best ? "  (best)" : "";
        process.stdout.write(`${line(row, shown)}  ${status}${mark}\n`);
      }
    return 0;
  });
}

/** `pipeline checkpoints verify`: re-hashes every stored file against its manifest; exit 1 on a mismatch. */
export async function checkpointsVerify(
  target: string,
  options: Options & { step?: string },
): Promise<number> {
  return withTarget(target, options, async (t) => {
    const problems: Problem[] = [];
    const rows = (await list(t)).filter((r) => options.step === undefined || r.step === Number(options.step));
    for (const row of rows) {
      const verdict = row.complete
        ? await t.store.verify(t.runId, row.folder)
        : { ok: false as const, reason: row.reason! };
      // A folder without a manifest is an upload in progress or abandoned, never a checkpoint: not a mismatch.
      const incomplete = !row.complete && /manifest/.test(verdict.ok ? "" : verdict.reason);
      if (!verdict.ok && !incomplete) problems.push({ location: row.where, message: verdict.reason });
      const status = verdict.ok ? "ok" : incomplete ? "incomplete (not a checkpoint)" : "MISMATCH";
      process.stdout.write(line(row, status) + (verdict.ok ? "" : `: ${verdict.reason}`) + "\n");
    }
    // The rest of what the store holds for the run: the adapter users deploy, the run state, the report.
    const folders = options.step === undefined ? await verifyRunFolders(t) : [];
    for (const folder of folders) {
      process.stdout.write(folderLine(folder) + "\n");
      if (folder.status === "mismatch") problems.push({ location: folder.where, message: folder.reason! });
    }
    if (problems.length > 0) {
      throw new FailedError(
        "checkpoint-mismatch",
        `${problems.length} stored folder(s) of ${describe(t)} do not match their manifest`,
        {
          problems,
          hint: "resume skips a corrupt checkpoint for the one before it; `pipeline checkpoints prune` does not delete it, delete it by hand; a corrupt adapter, state or report is written again by `pipeline run --resume <run-id>`",
        },
      );
    }
    const others = folders.filter((f) => f.status === "ok").map((f) => f.name);
    process.stdout.write(
      `verified ${rows.filter((r) => r.complete).length} checkpoint(s)${others.length ? ` and the ${others.join(", ")}` : ""} in ${describe(t)}\n`,
    );
    return 0;
  });
}

/** `pipeline checkpoints pull <run-id|location> [--step N] -o DIR`: the newest (or given) verified checkpoint. */
export async function checkpointsPull(
  target: string,
  options: Options & { step?: string; output: string; folder?: string },
): Promise<number> {
  return withTarget(target, options, async (t) => {
    if (options.folder !== undefined) return pullFolder(t, options.folder, resolve(options.output));
    const rows = (await list(t)).filter(
      (r) => r.complete && (options.step === undefined || r.step === Number(options.step)),
    );
    const out = resolve(options.output);
    for (const row of rows) {
      const verdict = await t.store.pull(t.runId, row.folder, out);
      if (verdict.ok) {
        process.stdout.write(`pulled checkpoint step ${row.step} (${mb(row.bytes)}) into ${out}\n`);
        return 0;
      }
      process.stderr.write(`warning: skipping checkpoint step ${row.step}: ${verdict.reason}\n`);
    }
    throw new FailedError(
      "no-checkpoint",
      `no complete, verified checkpoint${options.step ? ` at step ${options.step}` : ""} in ${describe(t)}`,
      {
        hint: "`pipeline checkpoints list` shows what is stored and why each one is incomplete",
      },
    );
  });
}

/**
 * `pipeline checkpoints prune`: keeps the newest keep_last complete checkpoints, deletes older incomplete
 * ones (never a newer one: it may be uploading now), and aborts multipart uploads left behind.
 */
export async function checkpointsPrune(
  target: string,
  options: Options & { keepLast?: string; keepBest?: string; staleMinutes: string },
): Promise<number> {
  const keepBest = options.keepBest === undefined ? undefined : parseKeepBest(options.keepBest);
  return withTarget(target, options, async (t) => {
    const keepLast = options.keepLast === undefined ? t.keepLast : Number(options.keepLast);
    if (keepBest) t.keepBest = keepBest;
    const rows = await list(t);
    const newestComplete = rows.find((r) => r.complete)?.step ?? Infinity;
    // keep_best's checkpoint is never deleted, whatever keep_last says.
    const doomed = [
      ...prunable(rows, keepLast, t.keepBest),
      ...rows.filter((r) => !r.complete && r.step < newestComplete),
    ];
    for (const row of doomed) {
      await t.store.remove(t.runId, row.folder);
      process.stdout.write(`deleted checkpoint step ${row.step}${row.complete ? "" : " (incomplete)"}\n`);
    }
    const aborted = await t.store.abortStale(t.runId, Number(options.staleMinutes) * 60_000);
    for (const key of aborted) process.stdout.write(`aborted an unfinished multipart upload of ${key}\n`);
    process.stdout.write(`pruned ${doomed.length} checkpoint(s) in ${describe(t)}\n`);
    return 0;
  });
}

async function list(t: Target): Promise<Row[]> {
  return (await t.store.checkpoints(t.runId)).map((c) => ({
    ...c,
    where: t.store.locate(t.runId, c.folder),
  }));
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const line = (row: Row, status: string) =>
  `step ${String(row.step).padStart(6)}  ${mb(row.bytes).padStart(10)}  ${status}`;

function parseKeepBest(text: string): KeepBest {
  const match = /^([A-Za-z0-9_./-]+):(min|max)$/.exec(text);
  if (!match) {
    throw new UsageError("bad-keep-best", `--keep-best ${text} is not metric:min or metric:max`, {
      hint: "e.g. --keep-best eval_loss:min (lower is better) or --keep-best accuracy:max",
    });
  }
  return { metric: match[1]!, mode: match[2] as KeepBest["mode"] };
}
