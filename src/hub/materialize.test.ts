import { lstatSync, readFileSync, statSync } from "node:fs";
import { mkdir, mkdtemp, readdir, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { materializeSnapshot } from "./materialize.js";

describe("materializeSnapshot", () => {
  it("gives a snapshot's files as hard links to the blobs, and removes them after", async () => {
    const repo = join(await mkdtemp(join(tmpdir(), "hub-cache-")), "models--org--m");
    const snapshot = join(repo, "snapshots", "f".repeat(40));
    await mkdir(join(repo, "blobs"), { recursive: true });
    await mkdir(join(snapshot, "sub"), { recursive: true });
    await writeFile(join(repo, "blobs", "aaa"), "weights");
    await writeFile(join(repo, "blobs", "bbb"), "{}");
    await symlink("../../blobs/aaa", join(snapshot, "model.safetensors"));
    await symlink("../../../blobs/bbb", join(snapshot, "sub", "config.json"));
    const flat = await materializeSnapshot(snapshot);
    expect(flat.dir).not.toBe(snapshot);
    const file = join(flat.dir, "model.safetensors");
    expect(lstatSync(file).isSymbolicLink()).toBe(false);
    expect(statSync(file).ino).toBe(statSync(join(repo, "blobs", "aaa")).ino);
    expect(readFileSync(join(flat.dir, "sub", "config.json"), "utf8")).toBe("{}");
    await flat.remove();
    expect((await readdir(repo)).sort()).toEqual(["blobs", "snapshots"]);
  });

  it("leaves a folder that is not a cache snapshot as it is", async () => {
    const dir = await mkdtemp(join(tmpdir(), "model-"));
    expect((await materializeSnapshot(dir)).dir).toBe(dir);
  });
});
