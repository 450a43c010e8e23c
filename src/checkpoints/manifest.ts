import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

/**
 * The checkpoint contract: `manifest.json`, written LAST into a checkpoint folder, lists every file with its
 * size and sha256. A folder without a manifest — or whose files do not match it — is not a checkpoint.
 */
export const Manifest = z.object({
  version: z.literal(1),
  step: z.int().min(0),
  files: z.array(
    z.object({ path: z.string(), size: z.int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  ),
  /** What was known at this step (the newest eval at or before it), for keep_best; added by the orchestrator. */
  metrics: z.record(z.string(), z.number()).optional(),
  /** The step those metrics were measured at. */
  metrics_step: z.int().min(0).optional(),
});
export type Manifest = z.infer<typeof Manifest>;

/** schema/manifest.schema.json: the trainer checks the manifests it reads from a store against it. */
export const manifestJsonSchema = (): Record<string, unknown> =>
  z.toJSONSchema(Manifest, { target: "draft-2020-12" }) as Record<string, unknown>;

export type Verdict = { ok: true; manifest: Manifest } | { ok: false; reason: string };

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    return Manifest.parse(JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")));
  } catch {
    return undefined;
  }
}

/** Re-hashes every file against the manifest; names the first file that does not match. */
export async function verifyCheckpoint(dir: string, options: { hash?: boolean } = {}): Promise<Verdict> {
  const manifest = await readManifest(dir);
  if (!manifest) return { ok: false, reason: "no valid manifest.json (an incomplete checkpoint)" };
  for (const file of manifest.files) {
    const path = join(dir, file.path);
    const info = await stat(path).catch(() => undefined);
    if (!info) return { ok: false, reason: `${file.path} is missing` };
    if (info.size !== file.size)
      return { ok: false, reason: `${file.path} has ${info.size} bytes, expected ${file.size}` };
    if (options.hash !== false && (await sha256File(path)) !== file.sha256) {
      return { ok: false, reason: `${file.path} does not match its sha256` };
    }
  }
  return { ok: true, manifest };
}

/**
 * Adds the metrics known at a checkpoint's step to its manifest (written to a sibling, then renamed, so a
 * reader never sees half a manifest). The file list is untouched: the folder stays exactly as complete.
 */
export async function stampMetrics(
  dir: string,
  metrics: Record<string, number>,
  step: number,
): Promise<void> {
  const manifest = await readManifest(dir);
  if (!manifest) return;
  const path = join(dir, "manifest.json");
  await writeFile(`${path}.tmp`, JSON.stringify({ ...manifest, metrics, metrics_step: step }, null, 1));
  await rename(`${path}.tmp`, path);
}
