import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { crc32 } from "node:zlib";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from "@aws-sdk/client-s3";
import { FileHasher } from "./hash-worker.js";
import { withRetry, type RetryPolicy } from "./retry.js";

const MiB = 1024 * 1024;

/**
 * 16 MiB parts, larger for multi-GB files so a file never needs more than ~1000 parts (S3 allows 10000).
 * Measured on loopback (bench/s3-upload.ts): 8 MiB parts spend more time per byte in request overhead.
 */
export const partSizeFor = (bytes: number): number => Math.max(16, Math.ceil(bytes / 1000 / MiB)) * MiB;

/** Parts in flight at once (each holds one part-sized buffer). */
export const PART_CONCURRENCY = 8;

/** A part that fails for a transient reason is retried on its own before the whole file starts again. */
const PART_RETRY: RetryPolicy = { attempts: 5, baseMs: 250, maxDelayMs: 4_000, maxElapsedMs: 60_000 };

export interface PutTarget {
  client: S3Client;
  bucket: string;
  key: string;
  signal?: AbortSignal;
}

/**
 * Uploads one file and returns its size and sha256, computed in the same single read of the file: each
 * part is read once into a buffer shared with a hashing worker (the whole file's sha256, in order), gets
 * its own CRC32 that the store checks, and is sent while the worker hashes it and the next parts are read —
 * up to PART_CONCURRENCY parts in flight. The SDK adds no checksum of its own (the client is WHEN_REQUIRED).
 * Profiled (bench/s3-upload.ts against MinIO): with every hash on the main thread — our sha256 plus the
 * SDK's payload hash of each part — was 43% of the uploader's CPU, and GC of per-part buffers 15%; with
 * sha256 and CRC32 both in the worker, each part waited for that one serial thread (busy 78% of the upload's
 * wall time on the shared machine) before it could be sent.
 */
export async function putFile(target: PutTarget, path: string): Promise<{ size: number; sha256: string }> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const partSize = partSizeFor(size);
    if (size <= partSize) {
      const body = await readRange(file, 0, size);
      await target.client.send(new PutObjectCommand({ Bucket: target.bucket, Key: target.key, Body: body }), {
        abortSignal: target.signal,
      });
      return { size, sha256: createHash("sha256").update(body).digest("hex") };
    }
    return await putParts(target, file, size, partSize);
  } finally {
    await file.close();
  }
}

type FileHandle = Awaited<ReturnType<typeof open>>;

async function putParts(target: PutTarget, file: FileHandle, size: number, partSize: number) {
  const { bucket, key } = target;
  const created = await target.client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }), {
    abortSignal: target.signal,
  });
  const uploadId = created.UploadId!;
  const hasher = new FileHasher();
  // Part buffers are shared with the hashing worker (never copied) and reused once their part is sent.
  const free = Array.from({ length: PART_CONCURRENCY + 1 }, () => new SharedArrayBuffer(partSize));
  const parts: CompletedPart[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  try {
    for (let number = 1, offset = 0; offset < size; number++, offset += partSize) {
      target.signal?.throwIfAborted();
      const shared = free.pop()!;
      const body = Buffer.from(shared, 0, Math.min(partSize, size - offset));
      await readInto(file, body, offset);
      // The part goes out as soon as its CRC32 is known (fast, here); the whole file's sha256, serial by
      // nature, runs in the worker meanwhile, and the buffer is reused once both are done with it.
      const crc = crc32Base64(body);
      const sent = withRetry(() => sendPart(target, uploadId, number, body, crc), PART_RETRY);
      const part = Promise.all([sent, hasher.update(shared, body.length)])
        .then(
          ([response]) => void parts.push({ PartNumber: number, ETag: response.ETag }),
          (error: unknown) => void (failure ??= error),
        )
        .finally(() => {
          free.push(shared);
          inFlight.delete(part);
        });
      inFlight.add(part);
      if (inFlight.size >= PART_CONCURRENCY) await Promise.race(inFlight);
      if (failure) throw failure;
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
    parts.sort((a, b) => a.PartNumber! - b.PartNumber!);
    await target.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
      }),
      { abortSignal: target.signal },
    );
    return { size, sha256: await hasher.digest() };
  } catch (error) {
    await Promise.allSettled(inFlight);
    await target.client
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
      .catch(() => undefined); // the store may be down; `checkpoints prune` aborts what is left
    throw error;
  } finally {
    await hasher.close();
  }
}

/**
 * One part, with its CRC32 for the store to verify and an unsigned payload: the request is still signed, but
 * the SDK does not hash the body again (on plain http it would, a second sha256 of every byte; measured as
 * the gap to `aws s3 cp`, which does the same: unsigned payload plus CRC32). The whole file's sha256 in the
 * manifest stays the end-to-end check, re-hashed by verify and by every pull.
 */
function sendPart(target: PutTarget, uploadId: string, number: number, body: Buffer, crc: string) {
  const command = new UploadPartCommand({
    Bucket: target.bucket,
    Key: target.key,
    UploadId: uploadId,
    PartNumber: number,
    Body: body,
    ContentLength: body.length,
    ChecksumCRC32: crc,
  });
  command.middlewareStack.add(
    (next) => (args) => {
      (args.request as { headers: Record<string, string> }).headers["x-amz-content-sha256"] =
        "UNSIGNED-PAYLOAD";
      return next(args);
    },
    { step: "build", name: "unsignedPartPayload" },
  );
  return target.client.send(command, { abortSignal: target.signal });
}

/** base64 of the 4 big-endian bytes, as S3 wants it; zlib's CRC32 runs at ~2.4 GB/s here (7 ms a part). */
function crc32Base64(bytes: Buffer): string {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(bytes));
  return crc.toString("base64");
}

async function readRange(file: FileHandle, offset: number, length: number): Promise<Buffer> {
  return readInto(file, Buffer.allocUnsafe(length), offset);
}

async function readInto(file: FileHandle, buffer: Buffer, offset: number): Promise<Buffer> {
  for (let done = 0; done < buffer.length;) {
    const { bytesRead } = await file.read(buffer, done, buffer.length - done, offset + done);
    if (bytesRead === 0)
      throw new Error(`${buffer.length - done} bytes short: the file shrank while uploading`);
    done += bytesRead;
  }
  return buffer;
}
