import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hasStackTrace, pipeline, root } from "./helpers/cli.js";
import { freePort } from "./helpers/net.js";
import { smallFs, unmountAll } from "./helpers/small-fs.js";
import { MINIMAL, workspace } from "./helpers/workspace.js";

// The user's environment failing under each command — a file where a directory is needed, an existing
// file, a read-only or full file system, a server that is not there, a program that is not installed —
// is a clear message naming the path or endpoint, with what to do, never an internal error.
afterAll(unmountAll);

const DATA = join(root, "datasets/quickstart/train.jsonl");

function expectClear(result: { code: number | null; stdout: string; stderr: string }, code: number) {
  const text = result.stdout + result.stderr;
  expect(result.code, text).toBe(code);
  expect(text).not.toMatch(/internal error/);
  expect(hasStackTrace(text), text).toBe(false);
  expect(result.stderr).toMatch(/^hint: /m);
  return text;
}

describe("environment failures are the user's, reported as such (built binary)", () => {
  it("dataset format -o an existing file, or a path through a file: exit 2 naming the path", async () => {
    const cwd = await workspace({ "out.txt": "not a directory\n" });
    const existing = pipeline(["dataset", "format", DATA, "--template", "chatml", "-o", "out.txt"], { cwd });
    expect(expectClear(existing, 2)).toMatch(/error\[path-exists\]: out\.txt already exists/);
    const through = pipeline(["dataset", "format", DATA, "--template", "chatml", "-o", "out.txt/x"], { cwd });
    expect(expectClear(through, 2)).toMatch(
      /error\[not-a-directory\]: out\.txt\/x: a part of this path is a file/,
    );
    expect(readFileSync(join(cwd, "out.txt"), "utf8")).toBe("not a directory\n");
  });

  it("run --runs-dir through a file, or on a read-only file system: exit 2 before any work", async () => {
    const cwd = await workspace({ ...MINIMAL, blocker: "x" });
    const args = ["run", "configs/run.yaml", "--runs-dir"];
    const notDir = pipeline([...args, "blocker/runs"], { cwd, env: { ...process.env, CI: "1" } });
    expect(expectClear(notDir, 2)).toMatch(/not-a-directory.*blocker\/runs/);
    const readOnly = smallFs(1024 * 1024, { readOnly: true });
    const ro = pipeline([...args, join(readOnly.dir, "runs")], { cwd, env: { ...process.env, CI: "1" } });
    expect(expectClear(ro, 2)).toContain(`${readOnly.dir}/runs is on a read-only file system`);
  });

  it("a full disk while formatting: exit 1, the path, and what to free", async () => {
    const tiny = smallFs(64 * 1024);
    const result = pipeline(["dataset", "format", DATA, "--template", "chatml", "-o", join(tiny.dir, "out")]);
    const text = expectClear(result, 1);
    expect(text).toMatch(
      new RegExp(`error\\[no-space\\]: no space left on the device that holds ${tiny.dir}/out`),
    );
    expect(text).toMatch(/hint: free space on that disk/);
  });

  it("an object store that is not there: exit 1 naming the endpoint", async () => {
    const port = await freePort();
    const env = {
      ...process.env,
      PIPELINE_S3_RETRY_MAX_S: "1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    };
    const endpoint = `http://127.0.0.1:${port}`;
    const result = pipeline(["checkpoints", "list", "s3://bucket/runs/x", "--endpoint", endpoint], { env });
    expect(expectClear(result, 1)).toContain(`error[unreachable]: cannot reach 127.0.0.1:${port}`);
  });

  it("a Python interpreter that is not installed: exit 2 naming it", async () => {
    const cwd = await workspace(MINIMAL);
    const result = pipeline(["run", "configs/run.yaml", "--runs-dir", "runs"], {
      cwd,
      env: { ...process.env, CI: "1", PIPELINE_PYTHON: "/nonexistent/python3" },
    });
    expect(expectClear(result, 2)).toContain("the program /nonexistent/python3 was not found");
  });
});
