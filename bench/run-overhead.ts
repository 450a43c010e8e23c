/**
 * The orchestrator's overhead (issue 16 item 3): `pipeline run` started → the trainer's `start` event (model
 * loaded, data tokenized, about to step) on the quickstart config, against the floor measured in the same run:
 * a bare Python of the trainer's venv importing torch, transformers and peft. What is left after the floor is
 * what the CLI (Node start-up, validate, format, render, the runtime check) and the trainer's own set-up cost.
 *
 *   npm run build && npx tsx bench/run-overhead.ts [--rounds 3]
 *
 * Needs the trainer's venv (PIPELINE_PYTHON, or `pipeline setup` made it). Rounds alternate floor and run.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { numberFlag } from "./flags.js";

const rounds = numberFlag("--rounds", 3);
const root = join(import.meta.dirname, "..");
const cli = join(root, "bin/pipeline.js");
const env = { ...process.env, OMP_NUM_THREADS: "1", CI: "1" };

const python = (() => {
  if (process.env.PIPELINE_PYTHON) return process.env.PIPELINE_PYTHON;
  const setup = spawnSync(process.execPath, [cli, "setup"], { encoding: "utf8", env });
  const found = /^python: (.+)$/m.exec(setup.stdout)?.[1];
  if (!found) throw new Error(`pipeline setup printed no python:\n${setup.stdout}${setup.stderr}`);
  return found;
})();

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

function importFloor(): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(python, ["-c", "import torch, transformers, peft"], { env });
  if (result.status !== 0) throw new Error(`the imports failed: ${String(result.stderr)}`);
  return seconds(start);
}

/** Wall seconds from spawning `pipeline run` to its trainer's start event and to the first step event. */
function runToStart(): { start: number; firstStep: number } {
  const runsDir = mkdtempSync(join(tmpdir(), "run-overhead-"));
  try {
    const t0 = Date.now() / 1000;
    const set = ["training.max_steps=2", "training.logging_steps=1", "training.save_steps=1000"];
    const result = spawnSync(
      process.execPath,
      [
        cli,
        "run",
        join(root, "configs/quickstart.yaml"),
        "--runs-dir",
        runsDir,
        ...set.flatMap((s) => ["--set", s]),
      ],
      { env, encoding: "utf8" },
    );
    // Two steps do not pass the quickstart's gate (exit 1, gates-failed): only the events matter here.
    if (result.status !== 0 && result.status !== 1) {
      throw new Error(`pipeline run exited ${result.status}:\n${result.stdout}${result.stderr}`);
    }
    const [runId] = readdirSync(runsDir);
    const events = readFileSync(join(runsDir, runId!, "events.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; time: number });
    const at = (type: string) => events.find((e) => e.type === type)!.time - t0;
    return { start: at("start"), firstStep: at("step") };
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const floors: number[] = [];
const starts: number[] = [];
const steps: number[] = [];
console.log(`# ${new Date().toISOString()} load average ${loadavg()[0]!.toFixed(2)}; python ${python}`);
for (let round = 1; round <= rounds; round++) {
  floors.push(importFloor());
  const run = runToStart();
  starts.push(run.start);
  steps.push(run.firstStep);
  console.log(
    `round ${round}: imports ${floors.at(-1)!.toFixed(2)} s · run → start event ${run.start.toFixed(2)} s · run → first step ${run.firstStep.toFixed(2)} s`,
  );
}
const floor = median(floors);
const start = median(starts);
console.log(`median of ${rounds}: imports (the floor) ${floor.toFixed(2)} s`);
console.log(
  `  pipeline run → trainer start event ${start.toFixed(2)} s (${(start / floor).toFixed(2)}× the floor)`,
);
console.log(`  pipeline run → first step          ${median(steps).toFixed(2)} s`);
console.log(`  overhead beyond the imports        ${(start - floor).toFixed(2)} s (target ≤ 1.5 s)`);
console.log(`load average at the end ${loadavg()[0]!.toFixed(2)}`);
