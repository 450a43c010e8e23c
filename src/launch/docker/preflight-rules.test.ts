import { describe, expect, it } from "vitest";
import { diskNeed, parseDfAvailable, parseSize, unreachable, wantsGpus } from "./preflight-rules.js";

const GiB = 1024 ** 3;

describe("docker preflight rules", () => {
  it("says what to do for each kind of unreachable engine", () => {
    const ssh = unreachable(
      "ssh://root@10.1.2.3:2222",
      "error during connect: ...\nssh: connect to host: Connection refused\n",
    );
    expect(ssh.message).toBe(
      "cannot reach the Docker engine at ssh://root@10.1.2.3:2222 over ssh (ssh: connect to host: Connection refused)",
    );
    expect(ssh.hint).toContain("`ssh -p 2222 root@10.1.2.3 docker info`");
    expect(unreachable("tcp://gpu:2376", "").hint).toContain("DOCKER_TLS_VERIFY");
    expect(unreachable("unix:///nope.sock", "x").message).toBe(
      "the Docker daemon is not running or not reachable at unix:///nope.sock",
    );
    expect(unreachable(undefined, "").hint).toContain("start it with scripts/docker-engine.sh");
  });

  it("GPUs are asked for unless the device is cpu or gpus is none", () => {
    expect(wantsGpus("auto", "all")).toBe(true);
    expect(wantsGpus("cuda", "2")).toBe(true);
    expect(wantsGpus("cpu", "all")).toBe(false);
    expect(wantsGpus("cuda", "none")).toBe(false);
  });

  it("reads df and sizes; the threshold depends on where checkpoints land", () => {
    const df =
      "Filesystem 1024-blocks Used Available Capacity Mounted on\noverlay 264212084 49390608 46110656 52% /\n";
    expect(parseDfAvailable(df)).toBe(46110656 * 1024);
    expect(() => parseDfAvailable("garbage")).toThrow(/unexpected df output/);
    expect(parseSize("16g")).toBe(16 * GiB);
    expect(parseSize("512M")).toBe(512 * 1024 ** 2);
    expect(diskNeed({ remote: false, inputBytes: 50 * GiB })).toBe(GiB);
    expect(diskNeed({ remote: true, inputBytes: 14 * GiB })).toBe(16 * GiB);
    expect(diskNeed({ remote: true, inputBytes: 0, configured: "100g" })).toBe(100 * GiB);
  });
});
