import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
// The manifest module alone: re-rendering a report should not load the dataset stage's tokenizers.
import { FormatManifest, MANIFEST_FILE } from "../dataset/format/manifest.js";
import type { Dataset } from "./schema.js";

// `pipeline run` formats dataset i into data/<i>/ and its separate eval file, if any, into data/<i>-eval/.
const DATA_DIR = /^(\d+)(-eval)?$/;

/** Per-dataset counts from the formatted data manifests of a run (data/<i>/manifest.json). */
export async function readDatasets(dataDir: string): Promise<Dataset[]> {
  const entries = await readdir(dataDir, { withFileTypes: true }).catch(() => []);
  const found = new Map<number, { main?: FormatManifest; eval?: FormatManifest }>();
  for (const entry of entries) {
    const match = entry.isDirectory() ? DATA_DIR.exec(entry.name) : null;
    if (!match) continue;
    const manifest = await readManifest(join(dataDir, entry.name));
    if (!manifest) continue;
    const slot = found.get(Number(match[1])) ?? {};
    slot[match[2] ? "eval" : "main"] = manifest;
    found.set(Number(match[1]), slot);
  }
  return [...found.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([, { main, eval: held }]) => (main ? [toDataset(main, held)] : []));
}

function toDataset(main: FormatManifest, held: FormatManifest | undefined): Dataset {
  return {
    source: main.source.path,
    eval_source: held?.source.path ?? null,
    format: main.source.format,
    template: main.template.name,
    rows: main.counts.rows,
    train: main.counts.train,
    // A separate eval file is formatted with no split, so all its rows land in its train.jsonl.
    eval: held ? held.counts.train : main.counts.eval,
    skipped: main.counts.skipped + (held?.counts.skipped ?? 0),
  };
}

async function readManifest(dir: string): Promise<FormatManifest | undefined> {
  try {
    return FormatManifest.parse(JSON.parse(await readFile(join(dir, MANIFEST_FILE), "utf8")));
  } catch {
    return undefined; // a formatting step that never finished leaves no manifest: no dataset to report
  }
}
