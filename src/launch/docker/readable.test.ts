import { chmod, mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assertReadable } from "./readable.js";

describe("assertReadable", () => {
  it("names the first file another uid cannot read, and what to do", async () => {
    const dir = await mkdtemp(join(tmpdir(), "readable-"));
    await mkdir(join(dir, "model"));
    await writeFile(join(dir, "model/config.json"), "{}");
    await writeFile(join(dir, "model/model.safetensors"), "x");
    await chmod(join(dir, "model/config.json"), 0o644);
    await chmod(join(dir, "model/model.safetensors"), 0o600);
    const other = { uid: 54321, gid: 54321 };
    await expect(assertReadable([join(dir, "model/config.json")], other)).resolves.toBeUndefined();
    await expect(assertReadable([join(dir, "model")], other)).rejects.toThrow(
      /model\.safetensors is not readable by uid 54321 in the container/,
    );
    await chmod(join(dir, "model/model.safetensors"), 0o644);
    await expect(assertReadable([join(dir, "model")], other)).resolves.toBeUndefined();
  });
});
