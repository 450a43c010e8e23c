import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { newestComplete } from "./local-store.js";
import { sha256File } from "./manifest.js";

async function checkpoint(root: string, step: number, files: Record<string, string>, withManifest = true) {
  const dir = join(root, `step-${String(step).padStart(6, "0")}`);
  await mkdir(dir, { recursive: true });
  const entries = [];
  for (const [name, text] of Object.entries(files)) {
    await writeFile(join(dir, name), text);
    entries.push({ path: name, size: Buffer.byteLength(text), sha256: await sha256File(join(dir, name)) });
  }
  if (withManifest)
    await writeFile(join(dir, "manifest.json"), JSON.stringify({ version: 1, step, files: entries }));
  return dir;
}

describe("newestComplete", () => {
  it("skips a newer checkpoint without a manifest and one with a flipped byte", async () => {
    const root = await mkdtemp(join(tmpdir(), "ckpt-"));
    await checkpoint(root, 10, { "a.bin": "first" });
    await checkpoint(root, 20, { "a.bin": "second" });
    const corrupt = await checkpoint(root, 30, { "a.bin": "third" });
    await writeFile(join(corrupt, "a.bin"), "thirD");
    await checkpoint(root, 40, { "a.bin": "fourth" }, false);

    const { checkpoint: found, skipped } = await newestComplete(root);
    expect(found?.step).toBe(20);
    expect(skipped.map((s) => [s.step, s.reason])).toEqual([
      [40, "no valid manifest.json (an incomplete checkpoint)"],
      [30, "a.bin does not match its sha256"],
    ]);
  });

  it("finds nothing in an empty or missing store", async () => {
    expect(await newestComplete(join(tmpdir(), "does-not-exist-ckpt"))).toEqual({ skipped: [] });
  });
});
