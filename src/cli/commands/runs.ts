import { readFile } from "node:fs/promises";
import { listCheckpoints } from "../../checkpoints/index.js";
import { listRecords, readRecord, runPaths } from "../../run-dir/index.js";

/** `pipeline runs list`: newest first. */
export async function runsList(options: { runsDir: string; json?: boolean }): Promise<number> {
  const records = await listRecords(options.runsDir);
  if (options.json) {
    process.stdout.write(JSON.stringify(records) + "\n");
    return 0;
  }
  if (records.length === 0) {
    process.stdout.write(`no runs in ${options.runsDir}\n`);
    return 0;
  }
  for (const r of records) {
    const loss = r.trainLoss === undefined ? "" : ` loss ${r.trainLoss.toFixed(4)}`;
    process.stdout.write(`${r.id}  ${r.status.padEnd(11)} step ${r.step ?? 0}${loss}  ${r.createdAt}\n`);
  }
  return 0;
}

/** `pipeline runs show <id>`: the record, its checkpoints and the last events. */
export async function runsShow(id: string, options: { runsDir: string; json?: boolean }): Promise<number> {
  const record = await readRecord(options.runsDir, id);
  const paths = runPaths(options.runsDir, id);
  const checkpoints = await listCheckpoints(paths.checkpoints, { hash: false });
  if (options.json) {
    process.stdout.write(JSON.stringify({ ...record, dir: paths.dir, checkpoints }) + "\n");
    return 0;
  }
  const events = await readFile(paths.events, "utf8").catch(() => "");
  const lines = [
    `${record.id}  ${record.status}`,
    `  config      ${record.config} (sha256 ${record.configHash.slice(0, 12)})`,
    `  base model  ${record.baseModel}`,
    ...(record.trainedOn ? [`  trained on  ${record.trainedOn}`] : []),
    ...(record.evaluatedOn ? [`  evaluated on ${record.evaluatedOn}`] : []),
    `  directory   ${paths.dir}`,
    `  step        ${record.step ?? 0}${record.trainLoss === undefined ? "" : `, train loss ${record.trainLoss.toFixed(4)}`}`,
    `  checkpoints ${checkpoints.map((c) => `${c.step}${c.complete ? "" : " (incomplete)"}`).join(", ") || "none"}`,
  ];
  if (record.message) lines.push(`  message     ${record.message}`);
  lines.push(`  events      ${events.split("\n").filter(Boolean).length} in ${paths.events}`);
  process.stdout.write(lines.join("\n") + "\n");
  return 0;
}
