import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ENVIRONMENT_RULES, environmentError, environmentRule } from "./environment.js";
import { ExitCode } from "./index.js";

const caught = (work: () => Promise<unknown>) =>
  work().then(
    () => undefined,
    (e: unknown) => e,
  );
const scratch = () => mkdtempSync(join(tmpdir(), "env-errors-"));

/** An errno error shaped as Node makes it, for the codes root cannot provoke here (EACCES, ENOSPC). */
const errno = (code: string, path: string, syscall = "open") =>
  Object.assign(new Error(`${code}: failure, ${syscall} '${path}'`), { code, path, syscall });

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("environmentError", () => {
  it("maps real file-system failures to a message with the path and the exit code", async () => {
    const dir = scratch();
    const file = join(dir, "a-file");
    writeFileSync(file, "x");
    const cases = [
      [await caught(() => mkdir(file)), "path-exists", ExitCode.usage, file],
      [await caught(() => mkdir(join(file, "sub"))), "not-a-directory", ExitCode.usage, join(file, "sub")],
      [await caught(() => readFile(join(dir, "missing"))), "not-found", ExitCode.usage, join(dir, "missing")],
      [await caught(() => readFile(dir)), "is-a-directory", ExitCode.usage, ""],
    ] as const;
    for (const [error, code, exitCode, path] of cases) {
      const mapped = environmentError(error);
      expect(mapped, String(error)).toMatchObject({ code, exitCode });
      expect(mapped!.message).toContain(path);
      expect(mapped!.hint).toBeTruthy();
    }
  });

  it("maps disk full, read-only and permission failures, also when wrapped as a cause", () => {
    const full = environmentError(new Error("could not save", { cause: errno("ENOSPC", "/data/run/x") }));
    expect(full).toMatchObject({ code: "no-space", exitCode: ExitCode.failed });
    expect(full!.message).toMatch(/^no space left on the device that holds \/data\/run\/x/);
    expect(environmentError(errno("EROFS", "/ro/runs", "mkdir"))).toMatchObject({
      code: "read-only-fs",
      exitCode: ExitCode.usage,
      message: expect.stringContaining("/ro/runs is on a read-only file system"),
    });
    expect(environmentError(errno("EACCES", "/etc/x"))?.message).toMatch(/^permission denied: \/etc\/x/);
  });

  it("names a program that cannot be started, not a missing file", async () => {
    const child = spawn("no-such-program-pipeline-test", ["--version"]);
    const error = await new Promise((resolve) => child.once("error", resolve));
    const mapped = environmentError(error);
    expect(mapped).toMatchObject({ code: "missing-program", exitCode: ExitCode.usage });
    expect(mapped!.message).toContain("the program no-such-program-pipeline-test was not found");
  });

  it("names the endpoint of a refused connection, and the store's own refusals", async () => {
    const port = await closedPort();
    const refused = await new Promise((resolve) => connect(port, "127.0.0.1").once("error", resolve));
    const mapped = environmentError(refused);
    expect(mapped).toMatchObject({ code: "unreachable", exitCode: ExitCode.failed });
    expect(mapped!.message).toContain(`cannot reach 127.0.0.1:${port}`);
    const noBucket = Object.assign(new Error("The specified bucket does not exist"), {
      name: "NoSuchBucket",
      BucketName: "no-such-bucket",
    });
    expect(environmentError(noBucket)?.message).toMatch(/^the bucket no-such-bucket does not exist/);
    const badKey = Object.assign(new Error("The access key does not exist"), { name: "InvalidAccessKeyId" });
    expect(environmentError(badKey)).toMatchObject({ code: "store-credentials", exitCode: ExitCode.usage });
  });

  it("leaves everything else to the internal-error path: that is a bug", () => {
    expect(environmentError(new TypeError("x is undefined"))).toBeUndefined();
    expect(environmentError("a string")).toBeUndefined();
    expect(environmentError(Object.assign(new Error("odd"), { code: "ERR_SOMETHING_ELSE" }))).toBeUndefined();
  });

  it("knows every code the trainer's error events carry (docker/pipeline_trainer/events.py)", () => {
    const events = readFileSync(join(import.meta.dirname, "../../docker/pipeline_trainer/events.py"), "utf8");
    const table = /ERRNO_CODES = \{([^}]*)\}/.exec(events)?.[1] ?? "";
    const codes = [...table.matchAll(/"([a-z-]+)"/g)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThan(5);
    for (const code of codes) expect(environmentRule(code), code).toBe(ENVIRONMENT_RULES[code as "no-space"]);
  });
});
