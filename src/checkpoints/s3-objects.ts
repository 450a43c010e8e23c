import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { Transform, Writable, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  AbortMultipartUploadCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  type MultipartUpload,
} from "@aws-sdk/client-s3";
import type { S3Store } from "./s3-store.js";

// S3Store's object reads and its multipart housekeeping, beside it to keep each file small.

/** One object streamed through sha256 (and into `path` when given): its size and hash. */
export async function fetchObject(
  store: S3Store,
  key: string,
  path?: string,
): Promise<{ size: number; sha256: string }> {
  const response = await store.client.send(new GetObjectCommand({ Bucket: store.location.bucket, Key: key }));
  const hash = createHash("sha256");
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, path ? chunk : undefined);
    },
  });
  if (path) await mkdir(dirname(path), { recursive: true });
  const sink = path ? createWriteStream(path) : new Writable({ write: (_c, _e, done) => done() });
  await pipeline(response.Body as Readable, tap, sink);
  return { size, sha256: hash.digest("hex") };
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await pipeline(async function* () {
    yield JSON.stringify(value, null, 1);
  }, createWriteStream(path));
}

/** Aborts multipart uploads under `key` started more than `olderThanMs` ago; returns the keys aborted. */
export async function abortStaleUploads(store: S3Store, key: string, olderThanMs: number): Promise<string[]> {
  const aborted: string[] = [];
  const cutoff = Date.now() - olderThanMs;
  for (const upload of await listUploads(store, key)) {
    // 0 means every upload (some servers report Initiated in a skewed or local-time clock).
    if (olderThanMs > 0 && (upload.Initiated?.getTime() ?? 0) > cutoff) continue;
    await store.retrying(`abort ${upload.Key}`, () =>
      store.client.send(
        new AbortMultipartUploadCommand({
          Bucket: store.location.bucket,
          Key: upload.Key,
          UploadId: upload.UploadId,
        }),
      ),
    );
    aborted.push(upload.Key!);
  }
  return aborted;
}

/**
 * Unfinished multipart uploads under a folder key. The bucket's whole list is read and filtered here:
 * MinIO matches ListMultipartUploads' Prefix only against a whole object name, so `folder/` finds nothing.
 */
export async function listUploads(store: S3Store, key: string): Promise<MultipartUpload[]> {
  const uploads: MultipartUpload[] = [];
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  do {
    const page = await store.retrying(`list uploads ${key}/`, () =>
      store.client.send(
        new ListMultipartUploadsCommand({
          Bucket: store.location.bucket,
          KeyMarker: keyMarker,
          UploadIdMarker: uploadIdMarker,
        }),
      ),
    );
    uploads.push(...(page.Uploads ?? []).filter((u) => u.Key?.startsWith(`${key}/`)));
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
  } while (keyMarker);
  return uploads;
}
