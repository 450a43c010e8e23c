import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface SmallFs {
  dir: string;
  unmount(): void;
}

const mounted: SmallFs[] = [];

/**
 * A real, small file system of its own (tmpfs), so a test can fill it up (ENOSPC) or mount it read-only
 * (EROFS, which root cannot bypass as it does file permissions). Needs root, as CI runs; says so otherwise.
 */
export function smallFs(bytes: number, options: { readOnly?: boolean } = {}): SmallFs {
  const dir = mkdtempSync(join(tmpdir(), "small-fs-"));
  const flags = [`size=${bytes}`, "mode=0777", ...(options.readOnly ? ["ro"] : [])];
  const result = spawnSync("mount", ["-t", "tmpfs", "-o", flags.join(","), "tmpfs", dir], {
    encoding: "utf8",
  });
  if (result.status !== 0)
    throw new Error(`this test mounts a tmpfs and needs root (CI runs as root): ${result.stderr}`);
  const fs: SmallFs = {
    dir,
    unmount() {
      spawnSync("umount", ["--lazy", dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  mounted.push(fs);
  return fs;
}

/** Unmounts every file system a test file mounted (call from afterAll). */
export function unmountAll(): void {
  for (const fs of mounted.splice(0)) fs.unmount();
}

/** Fills a file system to the last byte with one file; returns that file's path (delete it to free the space). */
export function fillUp(dir: string): string {
  const file = join(dir, "filler");
  spawnSync("dd", ["if=/dev/zero", `of=${file}`, "bs=64k"], { encoding: "utf8" });
  // dd stops at the first full block; smaller writes take what is left.
  spawnSync("dd", ["if=/dev/zero", `of=${file}`, "bs=512", "oflag=append", "conv=notrunc"]);
  return file;
}
