import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256File } from "../src/checkpoints/index.js";
import { pipeline } from "./helpers/cli.js";
import {
  dockerWorkspace,
  ownContainers,
  preparedTestImage,
  removeOwnContainers,
  testRunId,
} from "./helpers/docker.js";
import { onlyRun, readEvents } from "./helpers/run-workspace.js";
import { startS3, type S3Fixture } from "./helpers/s3-server.js";

// The docker runtime with an s3:// checkpoint store (real engine, real S3 server on loopback). The trainer
// announces checkpoints under the container's mount point; the host must stamp and upload its own path of
// the same folder (src/cli/run/train-task.ts, uploads.ts hostCheckpoint), or the bucket ends up without
// checkpoints or without their metrics.
let image = "";
let s3: S3Fixture;
beforeAll(async () => {
  image = preparedTestImage();
  s3 = await startS3();
});
afterAll(async () => {
  removeOwnContainers();
  await s3?.close();
});

const steps = (text: string) =>
  [...text.matchAll(/^step\s+(\d+)\s+\S+ MB\s+eval_loss (\S+)\s+(\S+)/gm)].map((m) => [
    Number(m[1]),
    m[2],
    m[3],
  ]);

describe("runtime: docker with checkpoints.store: s3://", () => {
  it("every checkpoint and the adapter end in the bucket with verified manifests and their eval loss", async () => {
    const cwd = await dockerWorkspace(
      image,
      { max_steps: 6, logging_steps: 2, save_steps: 2, eval_steps: 2 },
      { train: 96, eval: 4 },
    );
    const store = `s3://${s3.bucket}/docker/runs`;
    const sets = ["--set", `checkpoints.store=${store}`, "--set", `checkpoints.s3.endpoint=${s3.endpoint}`];
    const result = pipeline(
      ["run", "configs/run.yaml", "--runs-dir", "runs", "--run-id", testRunId(), ...sets],
      {
        cwd,
        env: { ...s3.env, CI: "1" },
      },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const { id, dir } = onlyRun(join(cwd, "runs"));
    expect(result.stdout).toMatch(
      /uploaded\s+6\/6 to the store .*run state, checkpoint step 2, checkpoint step 4, checkpoint step 6, adapter, report/,
    );
    // The trainer announces its container's paths; the run's events (and its store) get the host's.
    const announced = readEvents(dir).filter((e) => e.type === "checkpoint");
    expect(announced.map((e) => e.path)).toEqual(
      ["step-000002", "step-000004", "step-000006"].map((step) => join(dir, "checkpoints", step)),
    );

    const uri = `${store}/${id}`;
    const verified = pipeline(["checkpoints", "verify", uri, "--endpoint", s3.endpoint], {
      cwd,
      env: s3.env,
    });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain("verified 3 checkpoint(s)");
    // Each stored manifest carries the eval loss the trainer measured at its step (stamped on the host).
    const evals = new Map(
      readEvents(dir).flatMap((e) => (e.type === "eval" ? [[e.step, e.eval_loss as number]] : [])),
    );
    const listed = pipeline(["checkpoints", "list", uri, "--endpoint", s3.endpoint], { cwd, env: s3.env });
    expect(steps(listed.stdout), listed.stdout + listed.stderr).toEqual(
      [6, 4, 2].map((step) => [step, evals.get(step)!.toFixed(4), "complete"]),
    );

    const client = s3.store();
    try {
      const adapter = await client.verify(`docker/runs/${id}/adapter`);
      expect(adapter.ok).toBe(true);
      if (adapter.ok) {
        const entry = adapter.manifest.files.find((f) => f.path === "adapter_model.safetensors")!;
        expect(entry.sha256).toBe(await sha256File(join(dir, "adapter/adapter_model.safetensors")));
      }
    } finally {
      client.destroy();
    }
    expect(ownContainers()).toEqual([]);
  });
});
