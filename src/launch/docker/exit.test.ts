import { describe, expect, it } from "vitest";
import { mapExit } from "./exit.js";

describe("mapExit", () => {
  it("reports an OOM kill as out-of-memory with the limit and what to change", () => {
    const exit = mapExit({ ExitCode: 137, OOMKilled: true }, 137, "2g");
    expect(exit.exitCode).toBe(137);
    expect(exit.message).toMatch(/^out-of-memory: .*runtime\.memory: 2g.*micro_batch_size/);
  });

  it("names docker's own failures and keeps the trainer's codes as they are", () => {
    expect(mapExit({ ExitCode: 125, OOMKilled: false, Error: "no such device" }, 125).message).toMatch(
      /could not create or start the container: no such device/,
    );
    expect(mapExit(undefined, 125).message).toMatch(/could not create/);
    expect(mapExit({ ExitCode: 126, OOMKilled: false }, 126).message).toMatch(
      /entrypoint cannot be executed/,
    );
    expect(mapExit({ ExitCode: 127, OOMKilled: false }, 127).message).toMatch(/no trainer entrypoint/);
    expect(mapExit({ ExitCode: 137, OOMKilled: false }, 137)).toEqual({ exitCode: 137, signal: "SIGKILL" });
    expect(mapExit({ ExitCode: 130, OOMKilled: false }, 130)).toEqual({ exitCode: 130, signal: undefined });
    expect(mapExit({ ExitCode: 0, OOMKilled: false }, 0)).toEqual({ exitCode: 0, signal: undefined });
  });
});
