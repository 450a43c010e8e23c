/**
 * Upload throughput of our S3 store (S3Store.uploadFile: parallel parts, sha256 in the same read) against the AWS CLI's
 * `aws s3 cp` on the same file and the same local S3 server.
 *
 *   npm run build && npx tsx bench/s3-upload.ts [--mb 1024] [--runs 2]
 *   PIPELINE_S3_SERVER=moto npx tsx bench/s3-upload.ts …   (against moto instead of MinIO)
 *
 * Starts the loopback server of scripts/s3-server.sh, writes a random file of --mb MiB under bench/out/,
 * and times each side as its own process (node start-up and python start-up both included). The AWS CLI is
 * pip's awscli at a pinned version, installed once into ~/.cache/pipeline/venvs/awscli. Target (issue 16): ratio ≥ 1.5.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { homedir } from "node:os";
import { join } from "node:path";
import { S3Store } from "../src/checkpoints/index.js";
import { numberFlag } from "./flags.js";

const root = join(import.meta.dirname, "..");
const flag = numberFlag;
const mib = flag("--mb", 1024);
const runs = flag("--runs", 2);
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: "pipeline-bench",
  AWS_SECRET_ACCESS_KEY: "pipeline-bench-secret",
  AWS_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
};
Object.assign(process.env, env);

/** The AWS CLI from PyPI at a pinned version, in its own venv (not whatever `aws` is on PATH). */
function awsCli(): string {
  const venv = join(homedir(), ".cache/pipeline/venvs/awscli");
  if (!existsSync(join(venv, "bin/aws"))) {
    execFileSync("python3", ["-m", "venv", venv]);
    execFileSync(join(venv, "bin/pip"), ["install", "--quiet", "awscli==1.46.2"], { stdio: "inherit" });
  }
  return join(venv, "bin/aws");
}

function awsVersion(aws: string): string {
  return spawnSync(aws, ["--version"], { encoding: "utf8" }).stdout.trim();
}

async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  for (let left = bytes; left > 0; left -= 8 << 20) {
    if (!out.write(randomBytes(Math.min(left, 8 << 20)))) await once(out, "drain");
  }
  out.end();
  await once(out, "close");
}

function timed(command: string, args: string[]): number {
  const started = performance.now();
  const result = spawnSync(command, args, { env, cwd: root, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  return (performance.now() - started) / 1000;
}

const out = join(root, "bench/out");
await mkdir(out, { recursive: true });
const file = join(out, `upload-${mib}MiB.bin`);
if (!existsSync(file)) await writeRandomFile(file, mib * 1024 * 1024);
const serverDir = join(out, "s3-server");
const port = String(39_000 + Math.floor(Math.random() * 900));
const endpoint = execFileSync(join(root, "scripts/s3-server.sh"), ["start", port, serverDir], {
  env,
  encoding: "utf8",
}).trim();
const store = new S3Store({ bucket: "bench", prefix: "" }, { endpoint, pathStyle: true });
try {
  await store.createBucket();
  const aws = awsCli();
  const ours = `import { S3Store } from "./dist/checkpoints/index.js";
    const s = new S3Store({ bucket: "bench", prefix: "" }, { endpoint: "${endpoint}", pathStyle: true });
    const r = await s.uploadFile(${JSON.stringify(file)}, "ours.bin"); s.destroy();
    if (r.size !== ${mib * 1024 * 1024}) throw new Error("short upload");`;
  const results: { ours: number[]; aws: number[] } = { ours: [], aws: [] };
  for (let i = 0; i < runs; i++) {
    results.ours.push(timed(process.execPath, ["--input-type=module", "-e", ours]));
    results.aws.push(
      timed(aws, ["s3", "cp", "--only-show-errors", "--endpoint-url", endpoint, file, "s3://bench/aws.bin"]),
    );
  }
  const best = (xs: number[]) => Math.min(...xs);
  const rate = (s: number) => (mib * 1.048576) / s;
  const [o, a] = [rate(best(results.ours)), rate(best(results.aws))];
  const server = execFileSync(join(root, "scripts/s3-server.sh"), ["which"], { env, encoding: "utf8" });
  console.log(`${new Date().toISOString()}  ${awsVersion(aws)}`);
  console.log(`file ${mib} MiB, server ${server.split(" ")[0]} at ${endpoint}, best of ${runs}`);
  console.log(
    `pipeline S3Store.uploadFile  ${o.toFixed(1)} MB/s   (runs: ${results.ours.map((s) => s.toFixed(1)).join(", ")} s)`,
  );
  console.log(
    `aws s3 cp                    ${a.toFixed(1)} MB/s   (runs: ${results.aws.map((s) => s.toFixed(1)).join(", ")} s)`,
  );
  console.log(`ratio (ours / aws)           ${(o / a).toFixed(2)}   (target ≥ 1.5)`);
} finally {
  store.destroy();
  execFileSync(join(root, "scripts/s3-server.sh"), ["stop", serverDir]);
  await rm(serverDir, { recursive: true, force: true });
}
