import { appendFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runDirPaths } from "../../run-dir/index.js";
import { copyInitAdapter, verifyInitAdapter } from "./copy.js";

describe("the run's copy of its init adapter", () => {
  it("is hashed when copied, and a resume refuses a copy that changed since (exit 1, the file named)", async () => {
    const source = mkdtempSync(join(tmpdir(), "adapter-"));
    writeFileSync(join(source, "adapter_config.json"), "{}");
    writeFileSync(join(source, "adapter_model.safetensors"), "weights");
    const paths = runDirPaths(mkdtempSync(join(tmpdir(), "run-")));
    const record = await copyInitAdapter("sft-run", source, paths);
    expect(record).toEqual({
      source: "sft-run",
      sha256: {
        "adapter_config.json": "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
        "adapter_model.safetensors": expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
    await expect(verifyInitAdapter(paths, record)).resolves.toBeUndefined();
    appendFileSync(join(paths.initAdapter, "adapter_model.safetensors"), "!");
    await expect(verifyInitAdapter(paths, record)).rejects.toMatchObject({
      code: "init-adapter-changed",
      exitCode: 1,
      message: expect.stringMatching(
        /init-adapter no longer matches run\.json \(adapter_model\.safetensors\)/,
      ),
    });
  });

  it("a copy that fails half way leaves no init-adapter folder behind (nothing a resume could take as the copy)", async () => {
    const source = mkdtempSync(join(tmpdir(), "adapter-"));
    writeFileSync(join(source, "adapter_config.json"), "{}"); // the weights are missing: the second file fails
    const paths = runDirPaths(mkdtempSync(join(tmpdir(), "run-")));
    await expect(copyInitAdapter("sft-run", source, paths)).rejects.toMatchObject({ code: "ENOENT" });
    expect(existsSync(paths.initAdapter)).toBe(false);
    expect(readdirSync(paths.dir)).toEqual([]);
  });
});
