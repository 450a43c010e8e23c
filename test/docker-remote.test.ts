import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasStackTrace, pipeline } from "./helpers/cli.js";
import {
  allFiles,
  docker,
  dockerWorkspace,
  ownContainers,
  startRun,
  testRunId,
  preparedTestImage,
  removeOwnContainers,
} from "./helpers/docker.js";
import { onlyRun, readEvents, waitForEvent, waitForStep } from "./helpers/run-workspace.js";
import { startSshServer, type SshServer } from "./helpers/ssh-server.js";

// The docker runtime against a remote engine: DOCKER_HOST=ssh://root@127.0.0.1:<port>, a real sshd started
// here (scripts/system-packages.sh installs it) in front of this machine's engine. The runtime must treat it as
// another machine: no bind mounts, inputs copied in, checkpoints and adapter copied back.
let image = "";
let ssh: SshServer;
beforeAll(async () => {
  image = preparedTestImage();
  ssh = await startSshServer();
});
afterAll(async () => {
  removeOwnContainers();
  await ssh?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const remoteEnv = () => ({ ...ssh.env, DOCKER_HOST: ssh.dockerHost });

describe("pipeline run with runtime: docker on a remote engine over ssh://", () => {
  it("trains with no bind mount; checkpoints and adapter land locally; no secret in ps, inspect or run dir", async () => {
    const cwd = await dockerWorkspace(image, {
      max_steps: 8,
      logging_steps: 2,
      save_steps: 4,
      eval_steps: 4,
    });
    const secret = `sk-test-${Math.random().toString(36).slice(2)}${Date.now()}`;
    // No Python on this side at all: training and evaluation must both run in containers on the engine.
    const run = startRun(cwd, { ...remoteEnv(), HF_TOKEN: secret, PIPELINE_PYTHON: "/nonexistent/python3" });
    let inspect = "";
    let generator = "";
    let done = false;
    void run.exited.then(() => (done = true));
    while (!done) {
      expect(spawnSync("ps", ["-eo", "args"], { encoding: "utf8" }).stdout).not.toContain(secret);
      for (const id of ownContainers()) {
        const seen = spawnSync("docker", ["inspect", id], { encoding: "utf8" }).stdout;
        if (!seen.includes("PIPELINE_SECRETS_STDIN")) continue; // a preflight probe
        if (seen.includes("/app/docker/generate.py")) generator ||= seen;
        else inspect ||= seen;
      }
      await sleep(200);
    }
    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).toMatch(/Runtime \(docker \S+ on ssh:\/\/root@127\.0\.0\.1:\d+ \(remote/);
    // Generation ran in a container of the trainer image on that engine, with no mount, and evaluated.
    const [gen] = JSON.parse(generator || "[{}]") as {
      Mounts?: unknown[];
      Config?: { Entrypoint: string[] };
    }[];
    expect(gen!.Config?.Entrypoint).toEqual(["python"]);
    expect(gen!.Mounts).toEqual([]);
    expect(generator).not.toContain(secret);
    expect(run.output()).toMatch(/eval loss\s+base \d+\.\d+ → adapter \d+\.\d+/);
    expect(run.output()).toMatch(/exact match\s+base/);
    expect(inspect).toContain("pipeline.run-id");
    expect(inspect).not.toContain(secret);
    const [container] = JSON.parse(inspect) as { Mounts: unknown[]; HostConfig: { Binds: unknown } }[];
    expect(container!.Mounts).toEqual([]);
    expect(container!.HostConfig.Binds).toBeNull();

    const { dir } = onlyRun(join(cwd, "runs"));
    for (const file of allFiles(dir)) expect(readFileSync(file).includes(secret), file).toBe(false);
    expect(readdirSync(join(dir, "checkpoints")).sort()).toEqual(["step-000004", "step-000008"]);
    for (const step of ["step-000004", "step-000008"])
      expect(existsSync(join(dir, "checkpoints", step, "manifest.json")), step).toBe(true);
    expect(readdirSync(join(dir, "adapter"))).toEqual(
      expect.arrayContaining(["adapter_config.json", "adapter_model.safetensors", "manifest.json"]),
    );
    // The events name the local copies, as the local runtime's do.
    const events = readEvents(dir);
    const checkpoint = events.find((e) => e.type === "checkpoint")!;
    expect(checkpoint.path).toBe(join(dir, "checkpoints/step-000004"));
    expect(events.at(-1)).toMatchObject({ type: "done", adapter_path: join(dir, "adapter") });
    expect(JSON.parse(readFileSync(join(dir, "run.json"), "utf8"))).toMatchObject({
      status: "done",
      step: 8,
    });
    expect(ownContainers()).toEqual([]);
  });

  it("on SIGTERM stops and removes the remote container, with its last checkpoint copied back", async () => {
    const cwd = await dockerWorkspace(
      image,
      { max_steps: 400, logging_steps: 1, save_steps: 200 },
      { train: 512, eval: 8 },
    );
    const run = startRun(cwd, remoteEnv());
    const runsDir = join(cwd, "runs");
    await waitForStep(runsDir, 3, () => run.child.exitCode !== null);
    const stoppedAt = Date.now();
    run.child.kill("SIGTERM");
    expect(await run.exited, run.output()).toBe(130);
    expect(Date.now() - stoppedAt).toBeLessThan(30_000);
    const { dir } = onlyRun(runsDir);
    const saved = readdirSync(join(dir, "checkpoints")).filter((d) => d.startsWith("step-"));
    expect(saved).toHaveLength(1);
    expect(existsSync(join(dir, "checkpoints", saved[0]!, "manifest.json"))).toBe(true);
    expect(ownContainers()).toEqual([]);
  });

  it("--resume over the same remote engine copies the checkpoint in and finishes from it", async () => {
    const cwd = await dockerWorkspace(
      image,
      { max_steps: 40, logging_steps: 1, save_steps: 5, eval_steps: 40 },
      { train: 512, eval: 8 },
    );
    const run = startRun(cwd, remoteEnv());
    const runsDir = join(cwd, "runs");
    // The event is passed on only once its folder has been copied back from the container.
    await waitForEvent(
      runsDir,
      (e) => e.type === "checkpoint",
      () => run.child.exitCode !== null,
    );
    run.child.kill("SIGTERM");
    expect(await run.exited, run.output()).toBe(130);
    expect(ownContainers()).toEqual([]);
    const { id, dir } = onlyRun(runsDir);
    const steps = readdirSync(join(dir, "checkpoints"))
      .filter((d) => d.startsWith("step-"))
      .map((d) => Number(d.slice("step-".length)))
      .sort((a, b) => a - b);
    const newest = steps.at(-1)!;
    expect(newest).toBeGreaterThan(0);
    expect(newest).toBeLessThan(40);

    const resumed = pipeline(["run", "--resume", id, "--runs-dir", "runs"], {
      cwd,
      env: { ...remoteEnv(), CI: "1" },
    });
    const text = resumed.stdout + resumed.stderr;
    expect(resumed.code, text).toBe(0);
    expect(text).toMatch(/Runtime \(docker \S+ on ssh:\/\/root@127\.0\.0\.1:\d+ \(remote/);
    // The trainer could only start past step 0 from the checkpoint copied into its container.
    const events = readEvents(dir);
    expect(events.filter((e) => e.type === "start").at(-1)).toMatchObject({ start_step: newest });
    expect(events.at(-1)).toMatchObject({
      type: "done",
      adapter_path: join(dir, "adapter"),
      metrics: { steps: 40 },
    });
    expect(readdirSync(join(dir, "adapter"))).toEqual(
      expect.arrayContaining(["adapter_config.json", "adapter_model.safetensors", "manifest.json"]),
    );
    expect(existsSync(join(dir, "checkpoints/step-000040/manifest.json"))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "run.json"), "utf8"))).toMatchObject({
      status: "done",
      step: 40,
    });
    expect(ownContainers()).toEqual([]);
  });

  it("runs cleanup --host ssh://… removes a container left by a crashed run", () => {
    const name = `pipeline-ghost-${Date.now()}`;
    const labels = ["--label", "pipeline.managed=true", "--label", "pipeline.run-id=ghost"];
    docker(["create", "--name", name, ...labels, "--network", "none", "--entrypoint", "true", image]);
    const result = pipeline(["runs", "cleanup", "--runs-dir", "runs", "--host", ssh.dockerHost], {
      env: ssh.env,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`removed ${name} (run ghost, created)`);
    expect(ownContainers()).toEqual([]);
  });

  it("an unreachable ssh engine: exit 2, what to check, no stack trace", async () => {
    const cwd = await dockerWorkspace(image, { max_steps: 2 });
    const env = { ...ssh.env, CI: "1", DOCKER_HOST: "ssh://root@127.0.0.1:1" };
    const result = pipeline(["run", "configs/run.yaml", "--runs-dir", "runs", "--run-id", testRunId()], {
      cwd,
      env,
    });
    const text = result.stdout + result.stderr;
    expect(result.code, text).toBe(2);
    expect(text).toMatch(/cannot reach the Docker engine at ssh:\/\/root@127\.0\.0\.1:1 over ssh/);
    expect(text).toContain("`ssh -p 1 root@127.0.0.1 docker info`");
    expect(hasStackTrace(text)).toBe(false);
  });
});

describe("docker preflight, before any data is formatted", () => {
  const formatted = (cwd: string) => existsSync(join(onlyRun(join(cwd, "runs")).dir, "data/train.jsonl"));

  it("a config asking for GPUs on an engine with none: exit 2 saying so and how to fix it", async () => {
    const cwd = await dockerWorkspace(image, { max_steps: 2 });
    const result = pipeline(
      ["run", "configs/run.yaml", "--runs-dir", "runs", "--run-id", testRunId(), "--set", "device=auto"],
      {
        cwd,
        env: { ...process.env, CI: "1" },
      },
    );
    const text = result.stdout + result.stderr;
    expect(result.code, text).toBe(2);
    expect(text).toMatch(/no GPU is visible to the Docker engine at .*runtime\.gpus: all/);
    expect(text).toContain("NVIDIA Container Toolkit");
    expect(text).toContain("device: cpu");
    expect(hasStackTrace(text)).toBe(false);
    expect(formatted(cwd)).toBe(false);
    expect(ownContainers()).toEqual([]);
  });

  it("too little free disk on the engine's data root: exit 2 with the numbers", async () => {
    const cwd = await dockerWorkspace(image, { max_steps: 2 });
    const set = ["--set", "runtime.min_free_disk=999999g"];
    const result = pipeline(
      ["run", "configs/run.yaml", "--runs-dir", "runs", "--run-id", testRunId(), ...set],
      {
        cwd,
        env: { ...process.env, CI: "1" },
      },
    );
    const text = result.stdout + result.stderr;
    expect(result.code, text).toBe(2);
    expect(text).toMatch(/has \d+(\.\d)? GiB free in its data root; this run needs 999999\.0 GiB/);
    expect(text).toContain("docker system prune");
    expect(formatted(cwd)).toBe(false);
  });
});
