import { UsageError } from "../errors/index.js";

/** Where a store lives: a bucket and a key prefix (no leading or trailing slash; may be empty). */
export interface S3Location {
  bucket: string;
  prefix: string;
}

export const isS3Uri = (text: string): boolean => text.startsWith("s3://");

/** `s3://bucket/some/prefix/` → { bucket, prefix: "some/prefix" }. */
export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!match) {
    throw new UsageError("bad-s3-uri", `${uri} is not an S3 location`, {
      hint: "write it as s3://bucket or s3://bucket/prefix (bucket names are 3-63 lowercase letters, digits, dots, dashes)",
    });
  }
  return { bucket: match[1]!, prefix: (match[2] ?? "").replace(/^\/+|\/+$/g, "") };
}

/** Joins key parts with single slashes, dropping empty ones. */
export function joinKey(...parts: string[]): string {
  return parts
    .map((part) => part.replace(/^\/+|\/+$/g, ""))
    .filter(Boolean)
    .join("/");
}

export const formatS3Uri = (location: S3Location, key = ""): string =>
  `s3://${location.bucket}/${joinKey(location.prefix, key)}`;
