/**
 * Download throughput of `pipeline model pull` (src/hub/: resumable, size- and sha256-checked, into the
 * Hugging Face cache) against huggingface_hub's `hf download` (the trainer venv's CLI), on the same file from
 * the same loopback Hub-compatible server (test/helpers/hub-server.ts).
 *
 *   npm run build && npx tsx bench/hub-download.ts [--mb 1024] [--runs 5]
 *
 * Writes a random --mb MiB file under bench/out/ once, serves it as model.safetensors of a repo, and times each
 * side as its own process (start-up included) into a fresh HF_HOME, alternating which goes first. Prints each
 * pair, the medians and their ratio. Target: ratio ≥ 1.0.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, statSync } from "node:fs";
import { once } from "node:events";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hubDiskFile, hubFile, makeRepo } from "../test/helpers/hub-repos.js";
import { startHubServer } from "../test/helpers/hub-server.js";
import { venvPython } from "../test/helpers/hub-cache.js";
import { numberFlag } from "./flags.js";

const root = join(import.meta.dirname, "..");
const flag = numberFlag;
const mib = flag("--mb", 1024);
const runs = flag("--runs", 5);

async function randomFile(path: string, bytes: number): Promise<void> {
  if (existsSync(path) && statSync(path).size === bytes) return;
  const out = createWriteStream(path);
  for (let left = bytes; left > 0; left -= 8 << 20) {
    if (!out.write(randomBytes(Math.min(left, 8 << 20)))) await once(out, "drain");
  }
  out.end();
  await once(out, "close");
}

/** Seconds a command takes, run without blocking this process (the server lives here). */
async function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, { env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, "close")) as [number];
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} failed (${code}):\n${stderr}`);
  return (performance.now() - started) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const out = join(root, "bench/out");
await mkdir(out, { recursive: true });
const file = join(out, `hub-download-${mib}mib.bin`);
await randomFile(file, mib * 1024 * 1024);
const weights = await hubDiskFile("model.safetensors", file);
const repo = makeRepo("model", "bench/big", [
  hubFile("config.json", Buffer.from('{"model_type":"llama"}\n')),
  weights,
]);
const hub = await startHubServer([repo]);
const hf = join(venvPython(), "..", "hf");
const ours: number[] = [];
const theirs: number[] = [];
console.log(
  `file: ${mib} MiB, server ${hub.url}, ${runs} runs; load: ${(await import("node:os"))
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
for (let i = 0; i < runs; i++) {
  const homes = [await mkdtemp(join(tmpdir(), "bench-hf-")), await mkdtemp(join(tmpdir(), "bench-hf-"))];
  const env = (home: string) => ({
    ...process.env,
    HF_ENDPOINT: hub.url,
    HF_HOME: home,
    HF_HUB_DISABLE_PROGRESS_BARS: "1",
  });
  const pipelineRun = () =>
    timed(process.execPath, [join(root, "bin/pipeline.js"), "model", "pull", "bench/big"], env(homes[0]!));
  const hfRun = () =>
    timed(hf, ["download", "bench/big", "config.json", "model.safetensors"], env(homes[1]!));
  const [a, b] = i % 2 === 0 ? [await pipelineRun(), await hfRun()] : [0, 0];
  const [d, c] = i % 2 === 1 ? [await hfRun(), await pipelineRun()] : [0, 0];
  const mine = a || c;
  const hfs = b || d;
  ours.push(mine);
  theirs.push(hfs);
  const mbps = (s: number) => ((mib * 1.048576) / s).toFixed(0);
  console.log(
    `run ${i + 1}: pipeline ${mine.toFixed(2)} s (${mbps(mine)} MB/s), hf download ${hfs.toFixed(2)} s (${mbps(hfs)} MB/s)`,
  );
  for (const home of homes) await rm(home, { recursive: true, force: true });
}
await hub.close();
const [mine, hfs] = [median(ours), median(theirs)];
console.log(
  `median: pipeline ${((mib * 1.048576) / mine).toFixed(0)} MB/s, hf download ${((mib * 1.048576) / hfs).toFixed(0)} MB/s, ratio ${(hfs / mine).toFixed(2)}x`,
);
