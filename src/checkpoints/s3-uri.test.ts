import { describe, expect, it } from "vitest";
import { joinKey, parseS3Uri } from "./s3-uri.js";
import { partSizeFor } from "./s3-multipart.js";

describe("s3 locations", () => {
  it("parses bucket and prefix, trimming slashes", () => {
    expect(parseS3Uri("s3://my-bucket")).toEqual({ bucket: "my-bucket", prefix: "" });
    expect(parseS3Uri("s3://my-bucket/team/runs/")).toEqual({ bucket: "my-bucket", prefix: "team/runs" });
    expect(joinKey("team/runs", "", "/r1/", "checkpoints")).toBe("team/runs/r1/checkpoints");
  });

  it("refuses what is not an s3:// location, with a hint", () => {
    expect(() => parseS3Uri("s3://B")).toThrow(/is not an S3 location/);
    expect(() => parseS3Uri("https://bucket/x")).toThrow(/is not an S3 location/);
  });

  it("uses 16 MiB parts, larger for multi-GB files so a file stays near 1000 parts", () => {
    const MiB = 1024 * 1024;
    expect(partSizeFor(1000)).toBe(16 * MiB);
    expect(partSizeFor(1024 * MiB)).toBe(16 * MiB);
    expect(partSizeFor(50 * 1024 * MiB)).toBe(52 * MiB);
    expect(Math.ceil((50 * 1024 * MiB) / partSizeFor(50 * 1024 * MiB))).toBeLessThanOrEqual(1000);
  });
});
