import { chmod, mkdtemp, mkdir, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assertReadable, makeReadable } from "./readable.js";

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

describe("makeReadable", () => {
  it("adds read (and search, for folders) for everyone, recursively, and keeps the other bits", async () => {
    const dir = await mkdtemp(join(tmpdir(), "readable-"));
    await mkdir(join(dir, "adapter"));
    await writeFile(join(dir, "adapter/adapter_model.safetensors"), "x");
    await writeFile(join(dir, "run.sh"), "x");
    await chmod(join(dir, "adapter/adapter_model.safetensors"), 0o600);
    await chmod(join(dir, "run.sh"), 0o700);
    await chmod(join(dir, "adapter"), 0o700);
    await makeReadable(dir);
    const mode = async (path: string) => (await stat(join(dir, path))).mode & 0o777;
    expect(await mode("adapter")).toBe(0o755);
    expect(await mode("adapter/adapter_model.safetensors")).toBe(0o644);
    expect(await mode("run.sh")).toBe(0o744);
    await expect(assertReadable([dir], { uid: 54321, gid: 54321 })).resolves.toBeUndefined();
  });
});
