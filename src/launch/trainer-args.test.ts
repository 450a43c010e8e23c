import { describe, expect, it } from "vitest";
import { localRanksEnv, trainerArgs } from "./trainer-args.js";

describe("trainerArgs", () => {
  it("one process is the plain trainer; several are started by torchrun on this machine", () => {
    expect(trainerArgs("train.py", "spec.json", 1)).toEqual(["-u", "train.py", "--spec", "spec.json"]);
    expect(trainerArgs("train.py", "spec.json", 4)).toEqual([
      "-u",
      "-m",
      "torch.distributed.run",
      "--standalone",
      "--local-addr=127.0.0.1",
      "--nnodes=1",
      "--nproc-per-node=4",
      "train.py",
      "--spec",
      "spec.json",
    ]);
  });

  it("keeps gloo on loopback unless told otherwise, and only with several processes", () => {
    expect(localRanksEnv(1, {})).toEqual({});
    expect(localRanksEnv(2, {})).toEqual({ GLOO_SOCKET_IFNAME: "lo" });
    expect(localRanksEnv(2, { GLOO_SOCKET_IFNAME: "eth1" })).toEqual({ GLOO_SOCKET_IFNAME: "eth1" });
  });
});
