import { createHash } from "node:crypto";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allFiles } from "./helpers/docker.js";
import { eventsSoFar, until } from "./helpers/faults.js";
import { hasStackTrace, pipeline } from "./helpers/cli.js";
import { type MlflowFixture, startMlflow } from "./helpers/mlflow-server.js";
import { onlyRun, readEvents, startRun, trainingWorkspace, waitForStep } from "./helpers/run-workspace.js";
import { readTensorBoard, readWandb } from "./helpers/tracking-files.js";
import { MINIMAL, workspace } from "./helpers/workspace.js";

// Secrets planted in the environment; the config pulls two of them in through ${…}.
const PLANTED = {
  S3_PASSWORD: "pw-planted-7d1e",
  MLFLOW_TRACKING_TOKEN: "mlflow-planted-token-5c2a",
  WANDB_API_KEY: "wandb-planted-key-0b9f",
};

interface MlflowRunData {
  run: {
    info: { run_id: string; status: string; artifact_uri: string };
    data: {
      params?: { key: string; value: string }[];
      tags?: { key: string; value: string }[];
      metrics?: { key: string }[];
    };
  };
}
type History = { metrics?: { step: number; value: number; timestamp: number }[] };

// Real systems: PyPI's MLflow server on loopback (read back through its REST API), TensorBoard's own reader,
// W&B's offline run files; the real trainer on the tiny model.
describe("experiment tracking (MLflow server, TensorBoard, W&B offline; real trainer)", () => {
  let mlflow: MlflowFixture;
  const runs: string[] = [];
  beforeAll(async () => {
    mlflow = await startMlflow();
  });
  afterAll(() => mlflow?.stop());

  const history = async (runId: string, key: string) =>
    (await mlflow.get<History>("metrics/get-history", { run_id: runId, metric_key: key })).metrics ?? [];
  const tracked = (runDir: string) =>
    JSON.parse(readFileSync(join(runDir, "tracking.json"), "utf8")) as {
      mlflow: { run_id: string; experiment_id: string; sent: number };
      local: { wandb_id: string };
    };

  const trackedRunId = (runsDir: string): string | undefined => {
    if (!existsSync(runsDir) || readdirSync(runsDir).length === 0) return undefined;
    const { dir } = onlyRun(runsDir);
    if (!existsSync(join(dir, "tracking.json"))) return undefined;
    // Written whole (a rename), but first without its mlflow entry: that comes once the MLflow run is open.
    const state = JSON.parse(readFileSync(join(dir, "tracking.json"), "utf8")) as {
      mlflow?: { run_id: string };
    };
    return state.mlflow?.run_id;
  };
  async function trackedWorkspace(training: Record<string, number>, extra = "") {
    const cwd = await trainingWorkspace(training, { train: 256, eval: 8 });
    appendFileSync(
      join(cwd, "configs/run.yaml"),
      [
        "checkpoints:",
        "  s3: { endpoint: 'http://tester:${S3_PASSWORD}@127.0.0.1:9/?token=${MLFLOW_TRACKING_TOKEN}' }",
        "tracking:",
        "  tensorboard: true",
        `  mlflow: { uri: "${mlflow.uri}", experiment: tracking-test }`,
        "  wandb: { project: tracking-test, mode: offline }",
        extra,
      ].join("\n"),
    );
    return cwd;
  }

  it("logs params, step metrics, results with CIs, tags and artifacts; a server down from the first event to after the run's end gets it all", async () => {
    const cwd = await trackedWorkspace({ max_steps: 16, logging_steps: 1, eval_steps: 8, save_steps: 8 });
    const runsDir = join(cwd, "runs");
    const { exited, output } = startRun(cwd, PLANTED);
    // Down once the MLflow run is open (tracking.json names it), before the trainer's first event (its
    // imports take seconds); back 5 s after the report is written, when the run's end already waits for it
    // (start() itself takes ~5-10 s): a server reached at the start gets the full PIPELINE_TRACKING_FINISH_S.
    expect(await until(() => trackedRunId(runsDir) !== undefined)).toBe(true);
    mlflow.stop();
    const steps = eventsSoFar(runsDir).filter((e) => e.type === "step");
    expect(steps, "the server went down after the first step: this test needs it down before").toEqual([]);
    expect(await until(() => existsSync(join(onlyRun(runsDir).dir, "report.json")))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    mlflow.start();
    expect(await exited, output()).toBe(0);
    expect(hasStackTrace(output())).toBe(false);
    // Said once, whether the server was known down at the run's end or a send to it was still retrying then.
    const waits =
      output().match(/MLflow at \S+ does not answer yet \(.+?\); waiting up to (\d+) s for it/g) ?? [];
    expect(waits, output()).toHaveLength(1);
    expect(Number(/up to (\d+) s/.exec(waits[0]!)![1])).toBeGreaterThan(30);

    const run = onlyRun(runsDir);
    runs.push(run.dir);
    const { mlflow: ids, local } = tracked(run.dir);
    const { run: got } = await mlflow.get<MlflowRunData>("runs/get", { run_id: ids.run_id });
    expect(got.info.status).toBe("FINISHED");
    const params = Object.fromEntries((got.data.params ?? []).map((p) => [p.key, p.value]));
    expect(params).toMatchObject({
      "training.max_steps": "16",
      "lora.r": "8",
      "tracking.wandb.mode": "offline",
    });
    expect(params["checkpoints.s3.endpoint"]).toBe("http://[redacted]@127.0.0.1:9/?[redacted]");
    const tags = Object.fromEntries((got.data.tags ?? []).map((t) => [t.key, t.value]));
    const trainSha = createHash("sha256")
      .update(readFileSync(join(run.dir, "data/0/train.jsonl")))
      .digest("hex");
    expect(tags).toMatchObject({
      "pipeline.run_id": run.id,
      "pipeline.base_model": "builtin:tiny",
      "pipeline.data_sha256": trainSha,
      "pipeline.outcome": "passed",
    });
    expect(tags["pipeline.base_model_revision"]).toMatch(/^local-[0-9a-f]{12}$/);

    // Every step exactly once, with the trainer's values, though the server was down for part of the run.
    const events = readEvents(run.dir);
    const losses = events.filter((e) => e.type === "step").map((e) => [e.step, e.loss]);
    const loss = await history(ids.run_id, "train/loss");
    expect(loss.map((m) => [m.step, m.value]).sort(([a], [b]) => a! - b!)).toEqual(losses);
    expect((await history(ids.run_id, "eval/loss")).map((m) => m.step).sort((a, b) => a - b)).toEqual([
      0, 8, 16,
    ]);
    const results = (got.data.metrics ?? []).map((m) => m.key);
    for (const key of [
      "heldout/loss/adapter",
      "heldout/loss/base",
      "heldout/loss/ci95_low",
      "heldout/loss/p_value",
    ]) {
      expect(results).toContain(key);
    }
    const artifacts = `${ids.experiment_id}/${ids.run_id}/artifacts`;
    expect(await mlflow.artifact(`${artifacts}/report/report.html`)).toBe(
      readFileSync(join(run.dir, "report.html"), "utf8"),
    );
    expect(await mlflow.artifact(`${artifacts}/adapter/README.md`)).toBe(
      readFileSync(join(run.dir, "adapter/README.md"), "utf8"),
    );

    const board = await readTensorBoard(join(run.dir, "tensorboard"));
    expect(board.scalars["train/loss"]!.map(([step, value]) => [step, Number(value.toPrecision(5))])).toEqual(
      losses.map(([step, value]) => [step, Number((value as number).toPrecision(5))]),
    );
    expect(board.scalars["heldout/loss/adapter"]).toHaveLength(1);
    expect(board.texts["pipeline/config"]).toContain("training.max_steps: 16");

    const [wandb, ...others] = await readWandb(join(run.dir, "wandb"));
    expect(others).toHaveLength(0);
    expect(wandb).toMatchObject({ id: local.wandb_id, project: "tracking-test", exit: 0 });
    expect(wandb!.history.filter((row) => "train/loss" in row).map((row) => row["train/step"])).toEqual(
      losses.map(([step]) => step),
    );
    expect(wandb!.config["training.max_steps"]).toBe("16");
    expect(wandb!.summary["heldout/loss/adapter"]).toBeTypeOf("number");
    expect(wandb!.files).toEqual(expect.arrayContaining(["report.html", "README.md"]));

    // No planted secret in any param, tag or file any tracking system wrote.
    const written = [JSON.stringify(got), ...trackingFiles(run.dir).map((f) => readFileSync(f, "latin1"))];
    for (const secret of Object.values(PLANTED)) {
      for (const text of written) expect(text).not.toContain(secret);
    }
  });

  it("a resumed run continues the same tracking runs; a server down at its start is a warning, and `runs sync` sends what it missed", async () => {
    const cwd = await trackedWorkspace({ max_steps: 12, logging_steps: 1, eval_steps: 6, save_steps: 3 });
    const runsDir = join(cwd, "runs");
    const first = startRun(cwd, PLANTED);
    await waitForStep(runsDir, 5);
    first.child.kill("SIGTERM");
    expect(await first.exited, first.output()).toBe(130);
    const run = onlyRun(runsDir);
    runs.push(run.dir);
    const before = tracked(run.dir);
    expect(
      (await mlflow.get<MlflowRunData>("runs/get", { run_id: before.mlflow.run_id })).run.info.status,
    ).toBe("KILLED");

    mlflow.stop();
    const resumed = pipeline(["run", "--resume", run.id, "--runs-dir", "runs"], {
      cwd,
      env: { ...process.env, ...PLANTED, CI: "1" },
    });
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    expect(resumed.stderr).toContain(`warning: MLflow at ${mlflow.uri} is unreachable`);
    expect(resumed.stderr).toContain(`pipeline runs sync ${run.id}`);
    expect(tracked(run.dir)).toMatchObject({
      mlflow: { run_id: before.mlflow.run_id },
      local: { wandb_id: before.local.wandb_id },
    });

    mlflow.start();
    const synced = pipeline(["runs", "sync", run.id, "--runs-dir", "runs"], { cwd });
    expect(synced.code, synced.stderr + synced.stdout).toBe(0);
    const { run: got } = await mlflow.get<MlflowRunData>("runs/get", { run_id: before.mlflow.run_id });
    expect(got.info.status).toBe("FINISHED");
    const steps = new Set((await history(got.info.run_id, "train/loss")).map((m) => m.step));
    expect([...steps].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect((await history(got.info.run_id, "eval/loss")).map((m) => m.step)).toContain(12);

    // TensorBoard drops the steps a resumed session replays: each step once, with its latest value.
    const events = readEvents(run.dir).filter((e) => e.type === "step");
    const latest = new Map(events.map((e) => [e.step as number, Number((e.loss as number).toPrecision(5))]));
    const board = await readTensorBoard(join(run.dir, "tensorboard"));
    expect(board.scalars["train/loss"]!.map(([step, value]) => [step, Number(value.toPrecision(5))])).toEqual(
      [...latest.entries()],
    );
    // W&B: both sessions wrote to the same run id (offline, one folder per session; `wandb sync` joins them).
    const wandbRuns = await readWandb(join(run.dir, "wandb"));
    expect(wandbRuns.map((r) => r.id)).toEqual([before.local.wandb_id, before.local.wandb_id]);
    const again = pipeline(["runs", "sync", run.id, "--runs-dir", "runs"], { cwd });
    expect(again.stdout).toContain("every tracking system has the whole run already");
  });

  it("a server that goes down after the last event and restarts during the run's end gets the results: the end waits for it", async () => {
    const cwd = await trackedWorkspace({ max_steps: 4, logging_steps: 1, eval_steps: 4, save_steps: 4 });
    const runsDir = join(cwd, "runs");
    // The pause comes after training and evaluation, before the report: every event is out by then.
    const { exited, output } = startRun(cwd, { ...PLANTED, PIPELINE_TEST_PAUSE_BEFORE_REPORT_S: "5" });
    expect(await until(() => output().includes("test pause:"))).toBe(true);
    const { dir } = onlyRun(runsDir);
    expect(await until(() => tracked(dir).mlflow.sent === readEvents(dir).length)).toBe(true);
    mlflow.stop();
    // Back 10 s after the report: longer than a few retries of the results (~7.5 s), within the end's wait.
    expect(await until(() => existsSync(join(dir, "report.json")))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    mlflow.start();
    expect(await exited, output()).toBe(0);
    expect(
      output().match(/MLflow at \S+ does not answer yet \(.+?\); waiting up to \d+ s/g),
      output(),
    ).toHaveLength(1);
    const { run: got } = await mlflow.get<MlflowRunData>("runs/get", { run_id: tracked(dir).mlflow.run_id });
    expect(got.info.status).toBe("FINISHED");
    expect((got.data.metrics ?? []).map((m) => m.key)).toContain("heldout/loss/adapter");
  });

  it("`runs compare`: config differences and metrics side by side, in the terminal and as HTML, secrets redacted", () => {
    expect(runs).toHaveLength(2);
    const runsDir = mkdtempSync(join(tmpdir(), "compare-"));
    for (const dir of runs) cpSync(dir, join(runsDir, dir.split("/").at(-1)!), { recursive: true });
    const ids = readdirSync(runsDir);
    const html = join(runsDir, "compare.html");
    const result = pipeline(["runs", "compare", ...ids, "--runs-dir", runsDir, "--html", html]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ {2}training\.max_steps\s+16\s+12$/m);
    expect(result.stdout).toMatch(/^ {2}heldout\/loss\s+\d/m);
    expect(result.stdout).toMatch(/^ {2}outcome\s+passed\s+passed$/m);
    const page = readFileSync(html, "utf8");
    for (const id of ids) expect(page).toContain(id);
    expect(page.match(/<polyline class="line run-\d"/g)).toHaveLength(2);
    for (const secret of Object.values(PLANTED)) expect(result.stdout + page).not.toContain(secret);
  });
});

describe("tracking config problems (exit 2 at config validate, before anything runs)", () => {
  const validate = async (tracking: string, workspaceFile?: string) => {
    const files: Record<string, string> = { ...MINIMAL };
    files["configs/run.yaml"] += tracking;
    if (workspaceFile) files["pipeline.workspace.yaml"] = workspaceFile;
    return pipeline(["config", "validate", "configs/run.yaml"], { cwd: await workspace(files) });
  };

  it("an unknown key, a malformed URI, credentials in the URI, a missing project", async () => {
    const unknown = await validate("tracking:\n  mlflow: { uri: 'http://127.0.0.1:5000', experimnt: x }\n");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /run\.yaml:\d+ › tracking\.mlflow\.experimnt: unknown key "experimnt"; did you mean "experiment"\?/,
    );
    const malformed = await validate("tracking:\n  mlflow: { uri: 'localhost:5000' }\n");
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(
      /run\.yaml:\d+ › tracking\.mlflow\.uri: expected the http\(s\):\/\/ URL/,
    );
    const credentials = await validate("tracking:\n  mlflow: { uri: 'http://me:hunter22@127.0.0.1:5000' }\n");
    expect(credentials.code).toBe(2);
    expect(credentials.stderr).toContain("MLFLOW_TRACKING_TOKEN");
    expect(credentials.stderr).not.toContain("hunter22");
    const project = await validate(
      "tracking:\n  wandb: { mode: offline }\n",
      "tracking:\n  tensorboard: true\n",
    );
    expect(project.code).toBe(2);
    expect(project.stderr).toMatch(
      /tracking\.wandb\.project: W&B is on but its project is set neither here nor in/,
    );
    for (const result of [unknown, malformed, credentials, project])
      expect(hasStackTrace(result.stderr)).toBe(false);
    expect((await validate("tracking:\n  wandb: { project: p, mode: offline }\n")).code).toBe(0);
  });
});

/** What the tracking systems wrote in a run directory. */
function trackingFiles(runDir: string): string[] {
  const files = ["tracking.json", "tracking.log"].map((f) => join(runDir, f)).filter((f) => existsSync(f));
  return [...files, ...allFiles(join(runDir, "tensorboard")), ...allFiles(join(runDir, "wandb"))];
}
