import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { appendFileSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { cacheDir } from "../../src/launch/paths.js";
import { pipeline, root } from "./cli.js";
import { startRun as startWorkspaceRun, trainingWorkspace } from "./run-workspace.js";

/** Runs the docker CLI; stdout trimmed, throws with stderr on failure. */
export function docker(args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync("docker", args, { encoding: "utf8", env });
  if (result.status !== 0) throw new Error(`docker ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

// Every run a test file starts gets an id with this file's own prefix, which the runtime puts on each of its
// containers (label pipeline.run-id): the tests look at those alone, never at other runs on the same engine.
const PREFIX = `t${process.pid.toString(36)}${randomBytes(2).toString("hex")}`;
let runs = 0;

/** A run id of this test file (pass it as `--run-id`). */
export function testRunId(): string {
  return `${PREFIX}-${++runs}`;
}

/** Containers (stopped ones included) of this test file's runs: trainers and preflight probes. */
export function ownContainers(): string[] {
  const format = '{{.ID}}\t{{.Label "pipeline.run-id"}}';
  return docker(["ps", "--all", "--filter", "label=pipeline.managed=true", "--format", format])
    .split("\n")
    .filter(Boolean)
    .map((line) => line.split("\t"))
    .filter(([, runId]) => runId?.startsWith(`${PREFIX}-`))
    .map(([id]) => id!);
}

/**
 * The trainer image for the tests, tagged by a hash of what goes into it (so a changed trainer is rebuilt;
 * docker's layer cache keeps the pip install when only the sources change). Built offline from the local
 * Debian base and the cached wheels (scripts/docker-base-image.sh, scripts/docker-wheels.sh).
 */
export function testImage(): string {
  const hash = createHash("sha256");
  const files = ["docker/Dockerfile", "docker/requirements.txt", "docker/train.py", "docker/generate.py"];
  const pkg = "docker/pipeline_trainer";
  for (const f of readdirSync(join(root, pkg)).filter((f) => f.endsWith(".py"))) files.push(`${pkg}/${f}`);
  files.push("schema/train-spec.schema.json");
  for (const f of files.sort()) hash.update(f).update(readFileSync(join(root, f)));
  const tag = `pipeline-trainer:test-${hash.digest("hex").slice(0, 12)}`;
  if (spawnSync("docker", ["image", "inspect", tag]).status === 0) return tag;
  removeStaleTestImages();
  for (const script of ["scripts/docker-base-image.sh", "scripts/docker-wheels.sh"]) {
    const run = spawnSync("bash", [join(root, script)], { encoding: "utf8" });
    if (run.status !== 0) throw new Error(`${script} failed:\n${run.stdout}${run.stderr}`);
  }
  const build = pipeline(["image", "build", "--tag", tag]);
  if (build.code !== 0) throw new Error(`pipeline image build failed:\n${build.stdout}${build.stderr}`);
  return tag;
}

/**
 * Before a new test image is built: the test images of other trainer versions (about 6 GB each) and all but
 * the newest untagged build-stage image (the layer cache the next build reuses) go, or the disk fills up over
 * a day of trainer changes. An image some container still uses is refused by docker and stays.
 */
function removeStaleTestImages(): void {
  const list = (args: string[]) =>
    spawnSync("docker", ["images", ...args], { encoding: "utf8" })
      .stdout.split("\n")
      .filter(Boolean);
  const stale = list(["--format", "{{.Repository}}:{{.Tag}}", "pipeline-trainer"]).filter((t) =>
    t.startsWith("pipeline-trainer:test-"),
  );
  // Newest first, as docker lists them.
  stale.push(...list(["--filter", "dangling=true", "--format", "{{.ID}}"]).slice(1));
  for (const image of stale) spawnSync("docker", ["rmi", image], { encoding: "utf8" });
}

/** A training workspace whose config runs the trainer image on --network none. */
export async function dockerWorkspace(
  image: string,
  training: Record<string, number>,
  rows = { train: 256, eval: 16 },
) {
  const cwd = await trainingWorkspace(training, rows);
  appendFileSync(
    join(cwd, "configs/run.yaml"),
    `runtime:\n  type: docker\n  image: ${image}\n  network: none\n  shm_size: 256m\n  memory: 4g\n`,
  );
  return cwd;
}

/** `pipeline run` of a workspace, named with this test file's run id so its containers are found as its own. */
export const startRun = (cwd: string, env: NodeJS.ProcessEnv, runId = testRunId()) =>
  startWorkspaceRun(cwd, env, runId);

/** Every file under a folder, binary ones included. */
export function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/**
 * The trainer image, with the cached tiny model made readable for the container's uid 1000 (it is written
 * by root with model.safetensors 0600, and the runtime refuses unreadable inputs: src/launch/docker/readable.ts).
 */
export function preparedTestImage(): string {
  const tag = testImage();
  spawnSync("chmod", ["-R", "a+rX", join(cacheDir(), "models")]);
  return tag;
}

/** Removes this test file's containers (with their anonymous volumes): no orphan after a test file. */
export function removeOwnContainers(): void {
  for (const id of ownContainers()) docker(["rm", "--force", "--volumes", id]);
}
