import { describe, expect, it } from "vitest";
import { assertLocalEngine } from "./cli.js";

describe("assertLocalEngine", () => {
  it("accepts the local socket and refuses a remote engine with a clear message", () => {
    expect(() => assertLocalEngine(undefined)).not.toThrow();
    expect(() => assertLocalEngine("unix:///var/run/docker.sock")).not.toThrow();
    expect(() => assertLocalEngine("ssh://root@gpu-box")).toThrow(
      /remote Docker engine \(ssh:\/\/root@gpu-box\) is not supported yet/,
    );
  });
});
