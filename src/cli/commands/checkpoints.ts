import { cp, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import {
  type CheckpointInfo,
  type KeepBest,
  bestStep,
  prunable,
  type RemoteCheckpoint,
  type S3Store,
  isS3Uri,
  joinKey,
  listCheckpoints,
  openS3,
  parseS3Uri,
  runKeys,
  s3StoreFor,
  verifyCheckpoint,
} from "../../checkpoints/index.js";
import { loadConfig } from "../../config/index.js";
import { FailedError, UsageError } from "../../errors/index.js";
import { runPaths } from "../../run-dir/index.js";

interface Options {
  runsDir: string;
  endpoint?: string;
  region?: string;
  pathStyle?: boolean;
  json?: boolean;
}

/** One checkpoint as the commands show it, whichever store it lives in. */
interface Row {
  step: number;
  where: string;
  bytes: number;
  complete: boolean;
  reason?: string;
  metrics?: Record<string, number>;
}

interface Retention {
  keepLast?: number;
  keepBest?: KeepBest;
}

type Target =
  ({ kind: "s3"; store: S3Store; key: string } & Retention) | ({ kind: "local"; dir: string } & Retention);

/** `pipeline checkpoints list <run-id|s3-uri>`: step, size, complete or not — newest first. */
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
    let bad = 0;
    const rows = (await list(t)).filter((r) => options.step === undefined || r.step === Number(options.step));
    for (const row of rows) {
      const verdict = row.complete ? await verifyRow(t, row) : { ok: false as const, reason: row.reason! };
      // A folder without a manifest is an upload in progress or abandoned, never a checkpoint: not a mismatch.
      const incomplete = !row.complete && /manifest/.test(verdict.ok ? "" : verdict.reason);
      if (!verdict.ok && !incomplete) bad++;
      const status = verdict.ok ? "ok" : incomplete ? "incomplete (not a checkpoint)" : "MISMATCH";
      process.stdout.write(line(row, status) + (verdict.ok ? "" : `: ${verdict.reason}`) + "\n");
    }
    if (bad > 0) {
      throw new FailedError(
        "checkpoint-mismatch",
        `${bad} checkpoint(s) in ${describe(t)} do not match their manifest`,
        {
          hint: "resume skips a corrupt checkpoint for the one before it; `pipeline checkpoints prune` does not delete it, delete it by hand",
        },
      );
    }
    process.stdout.write(
      `verified ${rows.filter((r) => r.complete).length} checkpoint(s) in ${describe(t)}\n`,
    );
    return 0;
  });
}

/** `pipeline checkpoints pull <run-id|uri> [--step N] -o DIR`: the newest (or given) verified checkpoint. */
export async function checkpointsPull(
  target: string,
  options: Options & { step?: string; output: string },
): Promise<number> {
  return withTarget(target, options, async (t) => {
    const rows = (await list(t)).filter(
      (r) => r.complete && (options.step === undefined || r.step === Number(options.step)),
    );
    const out = resolve(options.output);
    for (const row of rows) {
      const verdict =
        t.kind === "s3" ? await t.store.pull(row.where, out) : await verifyCheckpoint(row.where);
      if (verdict.ok && t.kind === "local") {
        await rm(out, { recursive: true, force: true });
        await cp(row.where, out, { recursive: true });
      }
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
      if (t.kind === "s3") await t.store.deleteFolder(row.where);
      else await rm(row.where, { recursive: true, force: true });
      process.stdout.write(`deleted checkpoint step ${row.step}${row.complete ? "" : " (incomplete)"}\n`);
    }
    if (t.kind === "s3") {
      const run = t.key.replace(/\/checkpoints$/, "");
      const aborted = await t.store.abortStaleUploads(run, Number(options.staleMinutes) * 60_000);
      for (const key of aborted) process.stdout.write(`aborted an unfinished multipart upload of ${key}\n`);
    }
    process.stdout.write(`pruned ${doomed.length} checkpoint(s) in ${describe(t)}\n`);
    return 0;
  });
}

async function withTarget(target: string, options: Options, work: (t: Target) => Promise<number>) {
  const t = await resolveTarget(target, options);
  try {
    return await work(t);
  } finally {
    if (t.kind === "s3") t.store.destroy();
  }
}

/** A run id (its config says which store) or an s3:// URI of a run (…/<run-id> or …/<run-id>/checkpoints). */
async function resolveTarget(target: string, options: Options): Promise<Target> {
  if (isS3Uri(target)) {
    const location = parseS3Uri(target);
    const store = openS3(`s3://${location.bucket}`, {
      endpoint: options.endpoint,
      region: options.region,
      pathStyle: options.pathStyle,
    });
    const key = /(^|\/)checkpoints$/.test(location.prefix)
      ? location.prefix
      : joinKey(location.prefix, "checkpoints");
    return { kind: "s3", store, key };
  }
  const paths = runPaths(options.runsDir, target);
  if (!existsSync(paths.resolvedConfig)) {
    throw new UsageError("unknown-run", `no run ${target} in ${resolve(options.runsDir)}`, {
      hint: "give a run id from `pipeline runs list` (with --runs-dir), or the run's s3:// URI",
    });
  }
  const { config } = await loadConfig(paths.resolvedConfig, { checkFiles: false });
  const retention = { keepLast: config.checkpoints.keep_last, keepBest: config.checkpoints.keep_best };
  const store = s3StoreFor(config.checkpoints);
  if (store) return { kind: "s3", store, key: runKeys(store, target).checkpoints, ...retention };
  return { kind: "local", dir: paths.checkpoints, ...retention };
}

async function list(t: Target): Promise<Row[]> {
  if (t.kind === "s3") {
    return (await t.store.listCheckpoints(t.key)).map((c: RemoteCheckpoint) => ({
      step: c.step,
      where: c.key,
      bytes: c.bytes,
      complete: c.complete,
      reason: c.reason,
      metrics: c.metrics,
    }));
  }
  const infos: CheckpointInfo[] = await listCheckpoints(t.dir, { hash: false });
  const rows: Row[] = [];
  for (const info of infos) {
    const verdict = await verifyCheckpoint(info.path, { hash: false });
    const bytes = verdict.ok ? verdict.manifest.files.reduce((sum, f) => sum + f.size, 0) : 0;
    rows.push({
      step: info.step,
      where: info.path,
      bytes,
      complete: info.complete,
      reason: info.reason,
      metrics: verdict.ok ? verdict.manifest.metrics : undefined,
    });
  }
  return rows;
}

function verifyRow(t: Target, row: Row) {
  return t.kind === "s3" ? t.store.verify(row.where) : verifyCheckpoint(row.where);
}

const describe = (t: Target) => (t.kind === "s3" ? `s3://${t.store.location.bucket}/${t.key}` : t.dir);
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
