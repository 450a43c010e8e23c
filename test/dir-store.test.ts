import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { appendFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pipeline } from "./helpers/cli.js";
import { onlyRun, readEvents, startRun, trainingWorkspace, waitForStep } from "./helpers/run-workspace.js";

// `checkpoints.store: <directory>` (a mounted network disk, say): every folder of a run is copied there with
// its manifest last, and the checkpoint commands and resume read it — real trainer, real files.
const steps = (text: string) =>
  [...text.matchAll(/^step\s+(\d+)\s+\S+ MB\s+eval_loss \S+\s+(\S+)/gm)].map((m) => [Number(m[1]), m[2]]);
const withStore = (cwd: string, store: string) =>
  appendFile(join(cwd, "configs/run.yaml"), `checkpoints:\n  store: ${store}\n`);

function flipByte(file: string): () => void {
  const bytes = readFileSync(file);
  const flipped = Buffer.from(bytes);
  flipped[flipped.length >> 1] = flipped[flipped.length >> 1]! ^ 0xff;
  writeFileSync(file, flipped);
  return () => writeFileSync(file, bytes);
}

describe("checkpoints.store: a directory", () => {
  it("a relative store directory holds every checkpoint, the adapter, the state and the report; list, verify, pull and prune read it", async () => {
    const cwd = await trainingWorkspace(
      { max_steps: 4, logging_steps: 2, save_steps: 2, eval_steps: 2 },
      { train: 64, eval: 4 },
    );
    await withStore(cwd, "shared/ckpts");
    const result = pipeline(["run", "configs/run.yaml", "--runs-dir", "runs"], {
      cwd,
      env: { ...process.env, CI: "1" },
    });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.stdout).toMatch(
      /uploaded\s+5\/5 to the store .*run state, checkpoint step 2, checkpoint step 4, adapter, report/,
    );
    const run = onlyRun(join(cwd, "runs"));
    const stored = join(cwd, "shared/ckpts", run.id);
    // Every folder complete (manifest last), and nothing half-copied left beside them.
    expect(readdirSync(stored).sort()).toEqual(["adapter", "checkpoints", "report", "state"]);
    expect(readdirSync(join(stored, "checkpoints")).sort()).toEqual(["step-000002", "step-000004"]);
    for (const folder of ["adapter", "report", "state", "checkpoints/step-000002", "checkpoints/step-000004"])
      expect(existsSync(join(stored, folder, "manifest.json")), folder).toBe(true);
    expect(readFileSync(join(stored, "adapter/adapter_model.safetensors"))).toEqual(
      readFileSync(join(run.dir, "adapter/adapter_model.safetensors")),
    );

    const listed = pipeline(["checkpoints", "list", run.id, "--runs-dir", "runs"], { cwd });
    expect(listed.code, listed.stderr).toBe(0);
    expect(steps(listed.stdout)).toEqual([
      [4, "complete"],
      [2, "complete"],
    ]);
    // By its location, with no runs directory: what another machine on the same disk does.
    const byPath = pipeline(["checkpoints", "list", stored], { cwd: tmpdir() });
    expect(steps(byPath.stdout), byPath.stderr).toEqual(steps(listed.stdout));

    const verified = pipeline(["checkpoints", "verify", run.id, "--runs-dir", "runs"], { cwd });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain("verified 2 checkpoint(s) and the adapter, state, report");
    const restore = flipByte(join(stored, "adapter/adapter_model.safetensors"));
    const corrupt = pipeline(["checkpoints", "verify", stored], { cwd });
    expect(corrupt.code).toBe(1);
    expect(corrupt.stdout).toMatch(
      /^adapter\s+MISMATCH: adapter_model\.safetensors does not match its sha256$/m,
    );
    const refused = pipeline(["checkpoints", "pull", stored, "--folder", "adapter", "-o", join(cwd, "bad")], {
      cwd,
    });
    expect(refused.code).toBe(1);
    expect(existsSync(join(cwd, "bad"))).toBe(false);
    restore();

    const out = join(cwd, "pulled");
    const pulled = pipeline(["checkpoints", "pull", run.id, "--runs-dir", "runs", "--step", "2", "-o", out], {
      cwd,
    });
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(readdirSync(out)).toEqual(expect.arrayContaining(["adapter", "optimizer.pt", "manifest.json"]));

    const pruned = pipeline(["checkpoints", "prune", run.id, "--runs-dir", "runs", "--keep-last", "1"], {
      cwd,
    });
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain("deleted checkpoint step 2");
    expect(readdirSync(join(stored, "checkpoints"))).toEqual(["step-000004"]);
  });

  it("a machine that lost its run directory resumes from <store dir>/<run-id>: the run is recreated and continues", async () => {
    const store = await mkdtemp(join(tmpdir(), "pipeline-shared-disk-"));
    const ws = await trainingWorkspace(
      { max_steps: 120, logging_steps: 1, save_steps: 40, eval_steps: 120 },
      { train: 256, eval: 4 },
    );
    await withStore(ws, store);
    const run = startRun(ws);
    await waitForStep(join(ws, "runs"), 45);
    run.child.kill("SIGTERM"); // the trainer saves a checkpoint; the copies finish before the exit
    expect(await run.exited, run.output()).toBe(130);
    const { id } = onlyRun(join(ws, "runs"));
    await rm(ws, { recursive: true }); // nothing of the first machine is left but the shared disk

    const elsewhere = await mkdtemp(join(tmpdir(), "fresh-machine-"));
    const resumed = pipeline(["run", "--resume", join(store, id), "--runs-dir", "runs"], {
      cwd: elsewhere,
      env: { ...process.env, CI: "1" },
    });
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    expect(resumed.stderr).toContain(`restored run ${id} from ${join(store, id)}`);
    const events = readEvents(join(elsewhere, "runs", id));
    expect(events.find((e) => e.type === "start")!.start_step as number).toBeGreaterThanOrEqual(40);
    expect(events.at(-1)).toMatchObject({ type: "done", metrics: { steps: 120 } });
    expect(existsSync(join(store, id, "adapter/manifest.json"))).toBe(true);
  });
});
