import { readFile, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type MultipartUpload,
  type _Object,
} from "@aws-sdk/client-s3";
import { Manifest, readManifest, type Verdict } from "./manifest.js";
import { putFile } from "./s3-multipart.js";
import { abortStaleUploads, fetchObject, listUploads, writeJson } from "./s3-objects.js";
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "./retry.js";
import { type S3Location, joinKey } from "./s3-uri.js";
import { STEP_DIR, stepName } from "./step-folder.js";
import { messageOf } from "../errors/index.js";

// With s3-multipart.ts (its uploads), the only code that talks to S3 (AWS, MinIO, R2, ...). Credentials
// come from the SDK's default chain (env, shared profile, instance role), never from the run config.

export interface S3Options {
  endpoint?: string;
  region?: string;
  /** Path-style addressing (bucket in the path): what MinIO and most self-hosted stores need. */
  pathStyle?: boolean;
  retry?: RetryPolicy;
  onRetry?: (message: string) => void;
}

export interface RemoteCheckpoint {
  step: number;
  /** The folder's key, without a trailing slash. */
  key: string;
  bytes: number;
  complete: boolean;
  reason?: string;
  metrics?: Record<string, number>;
}

export class S3Store {
  readonly client: S3Client;
  private readonly retry: RetryPolicy;

  constructor(
    readonly location: S3Location,
    readonly options: S3Options = {},
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
      forcePathStyle: options.pathStyle ?? Boolean(options.endpoint),
      // Many S3-compatible stores reject the SDK's default CRC32 trailers; integrity is our own sha256.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000 },
    });
  }

  key(...parts: string[]): string {
    return joinKey(this.location.prefix, ...parts);
  }

  /** One file (see putFile: parallel parts, one read); retried whole through an outage. */
  async uploadFile(
    path: string,
    key: string,
    signal?: AbortSignal,
  ): Promise<{ size: number; sha256: string }> {
    return this.retrying(`upload ${key}`, () =>
      putFile({ client: this.client, bucket: this.location.bucket, key, signal }, path),
    );
  }

  /**
   * Uploads a checkpoint folder that carries its manifest.json: the old manifest (if any) goes first, then
   * every listed file, then the manifest LAST — so the folder only counts as complete once all is in place.
   * Each file is hashed in the same read that uploads it; one that does not match the manifest (changed or
   * corrupt on the local disk) stops the upload before the manifest, so the folder never counts as complete.
   */
  async uploadFolder(dir: string, key: string, signal?: AbortSignal): Promise<{ bytes: number }> {
    const manifest = await readManifest(dir);
    if (!manifest) throw new Error(`${dir}: no valid manifest.json (an incomplete checkpoint); not uploaded`);
    await this.retrying(`delete ${key}/manifest.json`, () =>
      this.client.send(
        new DeleteObjectCommand({ Bucket: this.location.bucket, Key: `${key}/manifest.json` }),
      ),
    );
    let bytes = 0;
    for (const file of manifest.files) {
      signal?.throwIfAborted();
      const sent = await this.uploadFile(join(dir, file.path), `${key}/${file.path}`, signal);
      if (sent.size !== file.size || sent.sha256 !== file.sha256)
        throw new Error(`${join(dir, file.path)} does not match its manifest; ${key} not completed`);
      bytes += sent.size;
    }
    const body = await readFile(join(dir, "manifest.json"));
    await this.putManifest(key, body);
    return { bytes: bytes + body.length };
  }

  /** The manifest goes up LAST: until it is there, nothing above it counts as stored. */
  private async putManifest(key: string, body: Buffer): Promise<void> {
    await this.retrying(`upload ${key}/manifest.json`, () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.location.bucket,
          Key: `${key}/manifest.json`,
          Body: body,
          ContentType: "application/json",
        }),
      ),
    );
  }

  /**
   * Uploads chosen files of a folder (paths relative to it) under `key`, then a manifest LAST listing each
   * file's size and the sha256 of the bytes actually sent — the same contract as a checkpoint folder.
   */
  async uploadFiles(dir: string, files: string[], key: string, step = 0): Promise<{ bytes: number }> {
    await this.retrying(`delete ${key}/manifest.json`, () =>
      this.client.send(
        new DeleteObjectCommand({ Bucket: this.location.bucket, Key: `${key}/manifest.json` }),
      ),
    );
    const entries: Manifest["files"] = [];
    for (const path of files) {
      const sent = await this.uploadFile(join(dir, path), `${key}/${path}`);
      entries.push({ path, size: sent.size, sha256: sent.sha256 });
    }
    const body = Buffer.from(JSON.stringify({ version: 1, step, files: entries }, null, 1));
    await this.putManifest(key, body);
    return { bytes: entries.reduce((sum, f) => sum + f.size, body.length) };
  }

  /** Every object under a folder key (all pages). */
  async listObjects(key: string): Promise<_Object[]> {
    const objects: _Object[] = [];
    let token: string | undefined;
    do {
      const page = await this.retrying(`list ${key}/`, () =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.location.bucket,
            Prefix: `${key}/`,
            ContinuationToken: token,
          }),
        ),
      );
      objects.push(...(page.Contents ?? []));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects;
  }

  /** The step-NNNNNN folders under `key`, newest first; complete = a manifest whose every file is there at its size. */
  async listCheckpoints(key: string): Promise<RemoteCheckpoint[]> {
    const folders = new Map<number, _Object[]>();
    for (const object of await this.listObjects(key)) {
      const name = object.Key!.slice(key.length + 1).split("/")[0]!;
      const match = STEP_DIR.exec(name);
      if (match) folders.set(Number(match[1]), [...(folders.get(Number(match[1])) ?? []), object]);
    }
    const result: RemoteCheckpoint[] = [];
    for (const [step, objects] of [...folders].sort((a, b) => b[0] - a[0])) {
      const folder = `${key}/${stepName(step)}`;
      const bytes = objects.reduce((sum, o) => sum + (o.Size ?? 0), 0);
      const manifest = await this.readManifest(folder);
      const reason = incompleteReason(folder, objects, manifest);
      result.push({
        step,
        key: folder,
        bytes,
        complete: !reason,
        ...(reason ? { reason } : {}),
        ...(manifest?.metrics ? { metrics: manifest.metrics } : {}),
      });
    }
    return result;
  }

  async readManifest(folder: string): Promise<Manifest | undefined> {
    try {
      const text = await this.retrying(`get ${folder}/manifest.json`, async () => {
        const response = await this.client.send(
          new GetObjectCommand({ Bucket: this.location.bucket, Key: `${folder}/manifest.json` }),
        );
        return response.Body!.transformToString();
      });
      return Manifest.parse(JSON.parse(text));
    } catch (error) {
      if ((error as { name?: string }).name === "NoSuchKey" || error instanceof SyntaxError) return undefined;
      if ((error as { name?: string }).name === "ZodError") return undefined;
      throw error;
    }
  }

  /** Re-downloads every file of a stored folder and re-hashes it against the stored manifest. */
  verify(folder: string): Promise<Verdict> {
    return this.download(folder);
  }

  /**
   * Downloads a stored folder into `dir`, hashing on the way; the folder appears at `dir` only when every
   * file matched the manifest (written to a temporary sibling first, then renamed).
   */
  async pull(folder: string, dir: string): Promise<Verdict> {
    const tmp = join(dirname(dir), `.pull-${Date.now()}-${dir.split("/").pop()}`);
    await rm(tmp, { recursive: true, force: true });
    const verdict = await this.download(folder, tmp);
    if (!verdict.ok) {
      await rm(tmp, { recursive: true, force: true });
      return verdict;
    }
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
    return verdict;
  }

  private async download(folder: string, into?: string): Promise<Verdict> {
    const manifest = await this.readManifest(folder);
    if (!manifest) return { ok: false, reason: "no valid manifest.json (an incomplete checkpoint)" };
    for (const file of manifest.files) {
      const { size, sha256 } = await this.retrying(`get ${folder}/${file.path}`, () =>
        fetchObject(this, `${folder}/${file.path}`, into && join(into, file.path)),
      ).catch((error: unknown) => {
        if ((error as { name?: string }).name === "NoSuchKey") return { size: -1, sha256: "" };
        throw error;
      });
      if (size < 0) return { ok: false, reason: `${file.path} is missing` };
      if (size !== file.size)
        return { ok: false, reason: `${file.path} has ${size} bytes, expected ${file.size}` };
      if (sha256 !== file.sha256) return { ok: false, reason: `${file.path} does not match its sha256` };
    }
    if (into) await writeJson(join(into, "manifest.json"), manifest);
    return { ok: true, manifest };
  }

  /** Deletes a stored folder, manifest first (so a half-deleted folder never counts as complete). */
  async deleteFolder(folder: string): Promise<void> {
    await this.retrying(`delete ${folder}/manifest.json`, () =>
      this.client.send(
        new DeleteObjectCommand({ Bucket: this.location.bucket, Key: `${folder}/manifest.json` }),
      ),
    );
    const keys = (await this.listObjects(folder)).map((o) => ({ Key: o.Key! }));
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      await this.retrying(`delete ${folder}/`, () =>
        this.client.send(
          new DeleteObjectsCommand({ Bucket: this.location.bucket, Delete: { Objects: batch } }),
        ),
      );
    }
  }

  /** Aborts multipart uploads under `key` started more than `olderThanMs` ago; returns the keys aborted. */
  abortStaleUploads(key: string, olderThanMs: number): Promise<string[]> {
    return abortStaleUploads(this, key, olderThanMs);
  }

  /** Unfinished multipart uploads under a folder key. */
  listUploads(key: string): Promise<MultipartUpload[]> {
    return listUploads(this, key);
  }

  /** Creates the bucket (tests and benchmarks; real stores are created by their owner). */
  async createBucket(): Promise<void> {
    await this.client.send(new CreateBucketCommand({ Bucket: this.location.bucket }));
  }

  destroy(): void {
    this.client.destroy();
  }

  /** `work` retried through an outage by the store's policy, each retry reported to onRetry. */
  retrying<T>(what: string, work: () => Promise<T>): Promise<T> {
    return withRetry(work, this.retry, (error, attempt, delay) =>
      this.options.onRetry?.(
        `${what}: ${(error as Error).name ?? "error"} ${messageOf(error) ?? ""} — retry ${attempt + 1} in ${(delay / 1000).toFixed(1)} s`,
      ),
    );
  }
}

function incompleteReason(folder: string, objects: _Object[], manifest?: Manifest): string | undefined {
  if (!manifest) return "no valid manifest.json (an incomplete checkpoint)";
  const sizes = new Map(objects.map((o) => [o.Key!.slice(folder.length + 1), o.Size]));
  for (const file of manifest.files) {
    if (!sizes.has(file.path)) return `${file.path} is missing`;
    if (sizes.get(file.path) !== file.size)
      return `${file.path} has ${sizes.get(file.path)} bytes, expected ${file.size}`;
  }
  return undefined;
}
