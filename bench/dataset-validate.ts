/**
 * Throughput and memory of `pipeline dataset validate` against a tight bare pass over the same file.
 *
 *   npm run build && npx tsx bench/dataset-validate.ts [--mb 300] [--runs 7] [--bin bin/pipeline.js]
 *
 * --bin measures another build of the CLI (say, main's, checked out elsewhere) against the same file.
 * Writes a JSON Lines file of about --mb megabytes of chat rows under bench/out/ (bench/chat-rows.ts:
 * English turns from the real Alpaca rows in ../shared/real-datasets/, a third of the rows in Chinese,
 * Japanese and Korean), then runs each side as its own process, round after round:
 *
 * - tight baseline (bench/baseline-tight.mjs): 4 MiB byte chunks, newlines found in the Buffer, each
 *   line decoded and JSON.parse'd — the fastest honest way to read and parse the file;
 * - loose baseline (bench/baseline-split-parse.mjs): streamed as strings, split("\n"), JSON.parse;
 * - `pipeline dataset validate FILE --json` (worker threads, one per core up to 4: the default for a file this size);
 * - the same with `--workers 0`, on the main thread alone; its report must be the same.
 *
 * Each round's ratio is validate's throughput over the tight baseline's in that round; the machine is
 * shared, so the median over rounds is the result. The same ratio in CPU seconds (user + system, all
 * threads) is printed beside it: it moves less with the load of others. Targets: ratio ≥ 0.6, peak RSS
 * < 300 MB, and `pipeline --help` start-up within 3 × `node -e 0`.
 */
import { spawn } from "node:child_process";
import { createReadStream, existsSync, statSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { writeChatFile } from "./chat-rows.js";
import { numberFlag, stringFlag } from "./flags.js";

const root = join(import.meta.dirname, "..");
const source = join(root, "../shared/real-datasets/llamafactory/alpaca_en_demo.json");
const mb = numberFlag("--mb", 300);
const runs = numberFlag("--runs", 7);
const bin = stringFlag("--bin", "bin/pipeline.js");

async function dataFile(): Promise<string> {
  const file = join(root, "bench/out", `chat-${mb}mb.jsonl`);
  if (existsSync(file) && statSync(file).size >= mb * 1e6) return file;
  await mkdir(join(root, "bench/out"), { recursive: true });
  await writeChatFile(file, source, mb * 1e6);
  return file;
}

/** Rows, turns and how many rows hold CJK text: what the file is made of, for the log. */
async function shape(file: string): Promise<string> {
  let rows = 0;
  let turns = 0;
  let cjk = 0;
  for await (const line of createInterface({ input: createReadStream(file) })) {
    const { messages } = JSON.parse(line) as { messages: unknown[] };
    rows++;
    turns += messages.length;
    if (/[\u3040-\u9fff\uac00-\ud7af]/.test(line)) cjk++;
  }
  const bytes = statSync(file).size;
  return `${rows} rows of {"messages": [...]}, ${(bytes / rows).toFixed(0)} bytes and ${(turns / rows).toFixed(1)} turns per row on average, ${((100 * cjk) / rows).toFixed(0)} % of rows in Chinese, Japanese and Korean`;
}

interface Run {
  seconds: number;
  /** User + system CPU seconds of all the process's threads, as last polled (within 20 ms of the end). */
  cpuSeconds: number;
  peakMb: number;
  stdout: string;
  code: number;
}

/**
 * Runs node with `args`, polling /proc for its peak resident memory (VmHWM) and its CPU time: on a
 * shared machine, CPU seconds vary less than wall seconds with what the other tenants run.
 */
async function measure(args: string[]): Promise<Run> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  let peakKb = 0;
  let ticks = 0;
  const poll = setInterval(async () => {
    const status = await readFile(`/proc/${child.pid}/status`, "utf8").catch(() => "");
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    if (kb > peakKb) peakKb = kb;
    // Fields 14 and 15 of /proc/PID/stat (utime, stime, in 1/100 s), counted after the ")" of the name.
    const stat = await readFile(`/proc/${child.pid}/stat`, "utf8").catch(() => "");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const used = Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
    if (used > ticks) ticks = used;
  }, 20);
  const [code] = (await once(child, "exit")) as [number];
  clearInterval(poll);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, cpuSeconds: ticks / 100, peakMb: peakKb / 1024, stdout, code };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const file = await dataFile();
const size = statSync(file).size / 1e6;
console.log(`file: ${file} (${size.toFixed(0)} MB): ${await shape(file)}`);
console.log(`validate: node ${bin} dataset validate FILE --json`);
const sides = {
  tight: ["bench/baseline-tight.mjs", file],
  loose: ["bench/baseline-split-parse.mjs", file],
  validate: [bin, "dataset", "validate", file, "--json"],
  // The same on the main thread alone (worker threads are the default for a file this size).
  serial: [bin, "dataset", "validate", file, "--json", "--workers", "0"],
};
type Side = keyof typeof sides;
const results: Record<Side, Run[]> = { tight: [], loose: [], validate: [], serial: [] };
for (let round = 1; round <= runs; round++) {
  for (const side of Object.keys(sides) as Side[]) results[side].push(await measure(sides[side]));
  const [tight, validate, serial] = [results.tight.at(-1)!, results.validate.at(-1)!, results.serial.at(-1)!];
  console.log(
    `round ${round}: tight ${tight.seconds.toFixed(2)} s, loose ${results.loose.at(-1)!.seconds.toFixed(2)} s, validate ${validate.seconds.toFixed(2)} s (peak RSS ${validate.peakMb.toFixed(0)} MB): ratio ${(tight.seconds / validate.seconds).toFixed(2)}; main thread only ${serial.seconds.toFixed(2)} s: ratio ${(tight.seconds / serial.seconds).toFixed(2)}; CPU tight ${tight.cpuSeconds.toFixed(2)} s, validate ${validate.cpuSeconds.toFixed(2)} s: ratio ${(tight.cpuSeconds / validate.cpuSeconds).toFixed(2)}`,
  );
}
const report = JSON.parse(results.validate[0]!.stdout) as { rows: number; validRows: number };
for (const side of Object.keys(sides) as Side[]) {
  const list = results[side];
  const peak = Math.max(...list.map((run) => run.peakMb));
  console.log(
    `${side.padEnd(8)} median ${(size / median(list.map((run) => run.seconds))).toFixed(1)} MB/s, peak RSS ${peak.toFixed(0)} MB`,
  );
}
const ratios = results.validate.map((run, i) => results.tight[i]!.seconds / run.seconds);
const loose = results.validate.map((run, i) => results.loose[i]!.seconds / run.seconds);
const cpu = results.validate.map((run, i) => results.tight[i]!.cpuSeconds / run.cpuSeconds);
const serial = results.serial.map((run, i) => results.tight[i]!.seconds / run.seconds);
if (results.serial.some((run) => run.stdout !== results.validate[0]!.stdout))
  throw new Error("validate on worker threads and on the main thread alone printed different reports");
console.log(
  `validate: exit ${results.validate[0]!.code}, ${report.validRows}/${report.rows} rows valid; ratio to the tight baseline: median ${median(ratios).toFixed(2)} of ${runs} rounds (min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)}; target ≥ 0.6); to the loose baseline ${median(loose).toFixed(2)}; on the main thread alone (--workers 0) ${median(serial).toFixed(2)}; in CPU seconds to the tight baseline: median ${median(cpu).toFixed(2)} (min ${Math.min(...cpu).toFixed(2)}, max ${Math.max(...cpu).toFixed(2)})`,
);
const help: number[] = [];
const bare: number[] = [];
for (let i = 0; i < 10; i++) {
  help.push((await measure(["bin/pipeline.js", "--help"])).seconds);
  bare.push((await measure(["-e", "0"])).seconds);
}
console.log(
  `start-up: pipeline --help ${(median(help) * 1000).toFixed(0)} ms vs node -e 0 ${(median(bare) * 1000).toFixed(0)} ms: ${(median(help) / median(bare)).toFixed(2)}× (target ≤ 3×)`,
);
