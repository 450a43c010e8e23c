import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { UsageError, messageOf } from "../errors/index.js";
import { environmentError } from "../errors/environment.js";
import { Manifest, readManifest, sha256File, verifyCheckpoint, type Verdict } from "./manifest.js";
import { listCheckpoints } from "./local-store.js";
import { RUN_FOLDERS, type RunFolder } from "./run-folders.js";
import type { CheckpointStore, StoredCheckpoint } from "./store.js";

/**
 * A checkpoint store in a directory: `<root>/<run-id>/checkpoints/step-NNNNNN/`, `…/adapter/`, `…/state/`,
 * `…/report/` — the layout of the S3 store. Copies are made in a hidden sibling and renamed into place with
 * their manifest written last, so a reader (another machine on a network disk) never sees half a folder.
 * `inPlace`: the root is the runs directory itself, where the trainer writes checkpoints and the adapter
 * directly and the run's state and report are plain files (no folders to copy).
 */
export class LocalDirStore implements CheckpointStore {
  readonly root: string;
  readonly runFolders: readonly RunFolder[];

  constructor(
    readonly uri: string,
    readonly inPlace = false,
  ) {
    this.root = resolve(uri);
    this.runFolders = inPlace ? ["adapter"] : RUN_FOLDERS;
  }

  describe(): string {
    return this.root;
  }

  locate(runId: string, folder?: string): string {
    return folder ? join(this.root, runId, ...folder.split("/")) : join(this.root, runId);
  }

  async checkpoints(runId: string): Promise<StoredCheckpoint[]> {
    const infos = await listCheckpoints(this.locate(runId, "checkpoints"), { hash: false });
    const rows: StoredCheckpoint[] = [];
    for (const info of infos) {
      const manifest = info.complete ? await readManifest(info.path) : undefined;
      rows.push({
        step: info.step,
        folder: `checkpoints/${info.path.split("/").pop()}`,
        bytes: manifest?.files.reduce((sum, f) => sum + f.size, 0) ?? (await folderBytes(info.path)),
        complete: info.complete,
        ...(info.reason && { reason: info.reason }),
        ...(manifest?.metrics && { metrics: manifest.metrics }),
      });
    }
    return rows;
  }

  async has(runId: string, folder: string): Promise<boolean> {
    return existsSync(this.locate(runId, folder));
  }

  verify(runId: string, folder: string): Promise<Verdict> {
    return verifyCheckpoint(this.locate(runId, folder));
  }

  async pull(runId: string, folder: string, dir: string): Promise<Verdict> {
    const source = this.locate(runId, folder);
    const verdict = await verifyCheckpoint(source);
    if (!verdict.ok || resolve(dir) === source) return verdict;
    await copyFolder(source, dir, verdict.manifest);
    return verifyCheckpoint(dir);
  }

  async push(runId: string, folder: string, dir: string, files?: string[]): Promise<{ bytes: number }> {
    const target = this.locate(runId, folder);
    if (resolve(dir) === target) {
      // In place: the trainer wrote it here; it is stored when it verifies.
      const verdict = await verifyCheckpoint(target, { hash: false });
      if (!verdict.ok) throw new Error(`${target}: ${verdict.reason}`);
      return { bytes: verdict.manifest.files.reduce((sum, f) => sum + f.size, 0) };
    }
    const manifest = files ? await manifestOf(dir, files) : await readManifest(dir);
    if (!manifest) throw new Error(`${dir} has no valid manifest.json: not a complete folder`);
    await copyFolder(dir, target, manifest);
    return { bytes: manifest.files.reduce((sum, f) => sum + f.size, 0) };
  }

  async remove(runId: string, folder: string): Promise<void> {
    const path = this.locate(runId, folder);
    await rm(join(path, "manifest.json"), { force: true });
    await rm(path, { recursive: true, force: true });
  }

  /** The directory takes a file: made (with its parents), written, read back and deleted. */
  async probe(): Promise<void> {
    const file = join(this.root, `.pipeline-probe-${randomBytes(6).toString("hex")}`);
    const body = randomBytes(32).toString("hex");
    try {
      await mkdir(this.root, { recursive: true });
      await writeFile(file, body);
      const read = await readFile(file, "utf8");
      await rm(file, { force: true });
      if (read !== body) throw new Error("it returned other bytes than were written");
    } catch (error) {
      const mapped = environmentError(error);
      throw new UsageError(
        mapped?.code ?? "store-unusable",
        `the checkpoint store ${this.root} failed a test write: ${mapped?.message ?? messageOf(error)}`,
        {
          hint: "point checkpoints.store at a directory this user can write (a local or mounted disk); nothing was formatted or trained",
          cause: error,
        },
      );
    }
  }

  abortStale(): Promise<string[]> {
    return Promise.resolve([]); // a file system has no half-finished uploads to abort: copies are renamed in
  }

  close(): void {}
}

/** Copies a folder's manifest-listed files into a hidden sibling of `target`, manifest last, then renames it in. */
async function copyFolder(source: string, target: string, manifest: Manifest): Promise<void> {
  const tmp = join(dirname(target), `.incoming-${randomBytes(4).toString("hex")}-${target.split("/").pop()}`);
  await mkdir(tmp, { recursive: true });
  try {
    for (const file of manifest.files) {
      await mkdir(dirname(join(tmp, file.path)), { recursive: true });
      await copyFile(join(source, file.path), join(tmp, file.path));
    }
    await writeFile(join(tmp, "manifest.json"), JSON.stringify(manifest, null, 1));
    await rm(target, { recursive: true, force: true });
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

/** A manifest for chosen files of a folder (the run state, the report), as if the folder carried one. */
async function manifestOf(dir: string, files: string[]): Promise<Manifest> {
  const entries: Manifest["files"] = [];
  for (const path of files) {
    const info = await stat(join(dir, path));
    entries.push({ path, size: info.size, sha256: await sha256File(join(dir, path)) });
  }
  return { version: 1, step: 0, files: entries };
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}
