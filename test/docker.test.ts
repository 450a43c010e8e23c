import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
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
import { onlyRun, readEvents, waitForStep } from "./helpers/run-workspace.js";
import { python } from "./helpers/hub-cache.js";
import { tinyModelDir } from "../src/launch/index.js";

// The docker runtime against the real engine on this machine (scripts/docker-engine.sh), with the trainer
// image built offline from the local Debian base. Containers on --network none, as the tests must.
let image = "";
// Another user's run on the same engine, training all along: the tests must neither see nor touch it.
let foreign = "";
beforeAll(() => {
  image = preparedTestImage();
  const labels = [
    "--label",
    "pipeline.managed=true",
    "--label",
    `pipeline.run-id=someone-else-${Date.now()}`,
  ];
  foreign = docker([
    "run",
    "--detach",
    ...labels,
    "--network",
    "none",
    "--entrypoint",
    "sleep",
    image,
    "3600",
  ]);
});
afterAll(() => {
  removeOwnContainers();
  if (foreign) docker(["rm", "--force", foreign]);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("pipeline run with runtime: docker (real engine)", () => {
  it("trains the tiny model in a container as uid 1000, with no secret in ps, docker inspect or the run dir", async () => {
    const cwd = await dockerWorkspace(image, {
      max_steps: 8,
      logging_steps: 2,
      save_steps: 4,
      eval_steps: 4,
    });
    const secret = `sk-test-${Math.random().toString(36).slice(2)}${Date.now()}`;
    const runId = testRunId();
    const run = startRun(cwd, { HF_TOKEN: secret, AWS_SECRET_ACCESS_KEY: `${secret}-aws` }, runId);
    // While it runs: every process's argv, and the container's full inspect while it exists.
    let psSeen = 0;
    let inspect = "";
    let done = false;
    void run.exited.then(() => (done = true));
    while (!done) {
      const ps = spawnSync("ps", ["-eo", "args"], { encoding: "utf8" }).stdout;
      expect(ps).not.toContain(secret);
      psSeen++;
      if (!inspect) {
        // The trainer's container (named after the run), not a preflight probe (unnamed, gone at once).
        const ids = docker(["ps", "--quiet", "--filter", `name=pipeline-${runId}-`]);
        if (ids) inspect = spawnSync("docker", ["inspect", ids.split("\n")[0]!], { encoding: "utf8" }).stdout;
      }
      await sleep(200);
    }
    expect(await run.exited, run.output()).toBe(0);
    expect(psSeen).toBeGreaterThan(3);
    // The inspect was caught, and it shows the secret went in as a mounted file, not as an env var.
    expect(inspect).toContain(`"pipeline.run-id": "${runId}"`);
    expect(inspect).toContain("/run/secrets/pipeline.env");
    expect(inspect).not.toContain(secret);
    const [container] = JSON.parse(inspect) as {
      Config: { User: string; Env: string[] };
      HostConfig: { NetworkMode: string };
      Mounts: { Source: string; Destination: string; RW: boolean }[];
    }[];
    expect(container!.Config.User).toBe("1000:1000");
    expect(container!.HostConfig.NetworkMode).toBe("none");
    const secretsMount = container!.Mounts.find((m) => m.Destination === "/run/secrets/pipeline.env")!;
    expect(secretsMount.RW).toBe(false);
    expect(existsSync(secretsMount.Source), "the secrets file is deleted after the start").toBe(false);
    expect(container!.Mounts.find((m) => m.Destination === "/model")!.RW).toBe(false);

    const { dir } = onlyRun(join(cwd, "runs"));
    for (const file of allFiles(dir)) expect(readFileSync(file).includes(secret), file).toBe(false);
    // The same adapter as the local runtime makes, written by the container's non-root user.
    expect(readdirSync(join(dir, "adapter")).sort()).toEqual(
      expect.arrayContaining(["adapter_config.json", "adapter_model.safetensors", "manifest.json"]),
    );
    expect(statSync(join(dir, "adapter/adapter_model.safetensors")).uid).toBe(1000);
    const config = JSON.parse(readFileSync(join(dir, "adapter/adapter_config.json"), "utf8")) as {
      peft_type: string;
      r: number;
    };
    expect(config).toMatchObject({ peft_type: "LORA", r: 8 });
    expect(readdirSync(join(dir, "checkpoints")).sort()).toEqual(["step-000004", "step-000008"]);
    const types = readEvents(dir).map((e) => e.type);
    expect(types[0]).toBe("start");
    expect(types.at(-1)).toBe("done");
    expect(JSON.parse(readFileSync(join(dir, "run.json"), "utf8"))).toMatchObject({
      status: "done",
      step: 8,
      runtime: "docker",
      image,
      imageId: expect.stringMatching(/^sha256:/),
    });
    // Evaluation generated in a container on the same engine, where training ran.
    expect(run.output()).toMatch(/eval loss\s+base \d+\.\d+ → adapter \d+\.\d+/);
    const record = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as { evaluatedOn: string };
    expect(record.evaluatedOn).toMatch(/^docker .* \(local: bind mounts\)$/);
    expect(readdirSync(join(dir, "eval")).length).toBeGreaterThan(0);
    expect(ownContainers()).toEqual([]);
  });

  it("on SIGTERM stops the container with a checkpoint, exits 130 and leaves no container", async () => {
    const cwd = await dockerWorkspace(
      image,
      { max_steps: 400, logging_steps: 1, save_steps: 200 },
      { train: 512, eval: 8 },
    );
    const run = startRun(cwd, {});
    const runsDir = join(cwd, "runs");
    await waitForStep(runsDir, 3, () => run.child.exitCode !== null);
    const stoppedAt = Date.now();
    run.child.kill("SIGTERM");
    expect(await run.exited, run.output()).toBe(130);
    expect(Date.now() - stoppedAt).toBeLessThan(30_000);
    const { id, dir } = onlyRun(runsDir);
    expect(run.output()).toContain(`pipeline run --resume ${id}`);
    expect(readdirSync(join(dir, "checkpoints")).filter((d) => d.startsWith("step-"))).toHaveLength(1);
    expect(ownContainers()).toEqual([]);
  });

  it("two processes in one container (torchrun, fsdp on gloo) train, and evaluate against a champion adapter", async () => {
    const cwd = await dockerWorkspace(
      image,
      { max_steps: 4, logging_steps: 1, save_steps: 100 },
      { train: 64, eval: 4 },
    );
    // A champion: a random non-zero LoRA on the same tiny base, made with peft in the trainer's venv.
    const made = python(
      [
        "import sys, torch",
        "from peft import LoraConfig, get_peft_model",
        "from transformers import AutoModelForCausalLM",
        "torch.manual_seed(3)",
        `base = AutoModelForCausalLM.from_pretrained(${JSON.stringify(tinyModelDir)})`,
        'config = LoraConfig(r=4, lora_alpha=32, target_modules=["q_proj", "v_proj"], init_lora_weights=False)',
        `get_peft_model(base, config).save_pretrained(${JSON.stringify(join(cwd, "champion"))})`,
      ],
      {},
    );
    expect(made.code, made.stderr).toBe(0);
    // safetensors writes 0600; the container's uid 1000 must read it (the runtime refuses it otherwise).
    chmodSync(join(cwd, "champion", "adapter_model.safetensors"), 0o644);
    const config = join(cwd, "configs/run.yaml");
    const text = readFileSync(config, "utf8")
      .replace("training:\n", "training:\n  strategy: fsdp\n")
      .replace("eval:\n", "eval:\n  compare_to: ../champion\n")
      .replace("  type: docker\n", "  type: docker\n  processes: 2\n");
    writeFileSync(config, text);
    const runId = testRunId();
    const result = pipeline(["run", "configs/run.yaml", "--runs-dir", "runs", "--run-id", runId], {
      cwd,
      env: { ...process.env, CI: "1" },
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const dir = join(cwd, "runs", runId);
    expect(readEvents(dir)[0]).toMatchObject({ type: "start", world_size: 2, strategy: "fsdp" });
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as {
      champion: { source: string };
      suites: {
        metrics: { metric: string; adapter: number }[];
        champion?: { metric: string; adapter: number }[];
      }[];
    };
    expect(report.champion.source).toBe(join(cwd, "champion"));
    const [suite] = report.suites;
    const loss = (list: { metric: string; adapter: number }[] | undefined) =>
      list?.find((m) => m.metric === "loss");
    expect(loss(suite!.champion)!.adapter).toBe(loss(suite!.metrics)!.adapter);
    expect(ownContainers()).toEqual([]);
  });

  it("a container killed for memory is reported as out-of-memory with what to change", async () => {
    const cwd = await dockerWorkspace(image, { max_steps: 2 });
    const config = join(cwd, "configs/run.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("memory: 4g", "memory: 96m"));
    const result = pipeline(["run", "configs/run.yaml", "--runs-dir", "runs", "--run-id", testRunId()], {
      cwd,
      env: { ...process.env, CI: "1" },
    });
    const text = result.stdout + result.stderr;
    expect(result.code, text).toBe(1);
    expect(text).toMatch(/out-of-memory: the container was killed .*runtime\.memory: 96m/);
    expect(hasStackTrace(text)).toBe(false);
    expect(ownContainers()).toEqual([]);
  });

  it("runs cleanup removes a container left by a crashed run", async () => {
    const name = `pipeline-ghost-${Date.now()}`;
    const ghost = testRunId();
    const labels = ["--label", "pipeline.managed=true", "--label", `pipeline.run-id=${ghost}`];
    docker(["create", "--name", name, ...labels, "--network", "none", "--entrypoint", "true", image]);
    const result = pipeline(["runs", "cleanup", "--runs-dir", "runs"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`removed ${name} (run ${ghost}, created)`);
    expect(ownContainers()).toEqual([]);
  });

  it("a stopped daemon: exit 2, one clear message, no stack trace", async () => {
    const cwd = await dockerWorkspace(image, { max_steps: 2 });
    const env = { ...process.env, CI: "1", DOCKER_HOST: "unix:///nonexistent/docker.sock" };
    const result = pipeline(["run", "configs/run.yaml", "--runs-dir", "runs", "--run-id", testRunId()], {
      cwd,
      env,
    });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    const text = result.stdout + result.stderr;
    // One error (the task list's failure line repeats its message, as for every failed stage).
    expect(text.match(/error\[docker-unavailable\]/g)).toHaveLength(1);
    expect(text).toMatch(/the Docker daemon is not running or not reachable at unix:\/\/\/nonexistent/);
    expect(text).toContain("start it with scripts/docker-engine.sh");
    expect(hasStackTrace(text)).toBe(false);
    const build = pipeline(["image", "build"], { env });
    expect(build.code).toBe(2);
    expect(build.stderr).toMatch(/Docker daemon is not running/);
  });

  it("a bad runtime config: exit 2 naming the key, and a missing image says how to build it", async () => {
    const cwd = await dockerWorkspace(image, { max_steps: 2 });
    const bad = readFileSync(join(cwd, "configs/run.yaml"), "utf8").replace(
      "network: none",
      "network: internet",
    );
    writeFileSync(join(cwd, "configs/bad.yaml"), bad);
    const result = pipeline(["config", "validate", "configs/bad.yaml"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.yaml:\d+ › runtime\.network/);
    expect(hasStackTrace(result.stderr)).toBe(false);
    const runWith = (setting: string, env: NodeJS.ProcessEnv = {}) =>
      pipeline(["run", "configs/run.yaml", "--runs-dir", "runs", "--run-id", testRunId(), "--set", setting], {
        cwd,
        env: { ...process.env, CI: "1", ...env },
      });
    const missing = runWith("runtime.image=nope:1");
    expect(missing.code).toBe(2);
    expect(missing.stdout + missing.stderr).toMatch(
      /image nope:1 is not on the Docker engine[\s\S]*pipeline image build --tag nope:1/,
    );
    // A hub model is downloaded on the host (the container keeps --network none): a Hub that cannot be
    // reached is said before anything is formatted or any container starts (exit 1, documented).
    const hub = runWith("base_model=org/some-model", { HF_ENDPOINT: "http://127.0.0.1:9" });
    expect(hub.code).toBe(1);
    expect(hub.stdout + hub.stderr).toMatch(
      /cannot reach the Hub at http:\/\/127\.0\.0\.1:9 for org\/some-model/,
    );
    expect(hub.stdout + hub.stderr).not.toMatch(/Format|Train/);
    expect(hasStackTrace(hub.stdout + hub.stderr)).toBe(false);
  });

  it("left another run's container on the same engine alone", () => {
    expect(docker(["inspect", "--format", "{{.State.Running}}", foreign])).toBe("true");
  });
});
