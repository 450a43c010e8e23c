import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cacheDir } from "../../src/launch/paths.js";
import { root } from "./cli.js";
import { freePort } from "./net.js";

const requirements = join(root, "docker/requirements-serving.txt");

function run(command: string, args: string[]): string {
  const done = spawnSync(command, args, { encoding: "utf8", timeout: 600_000 });
  if (done.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${done.stderr}`);
  return done.stdout.trim();
}

/**
 * A venv with transformers[serving]'s extras (docker/requirements-serving.txt) that sees the trainer venv's
 * packages through a .pth file: the trainer's own torch and transformers serve, and its venv is left as it is.
 */
function servingPython(trainerPython: string): string {
  const sitePackages = run(trainerPython, ["-c", "import site; print(site.getsitepackages()[0])"]);
  const key = createHash("sha256").update(readFileSync(requirements)).update(sitePackages).digest("hex");
  const dir = join(cacheDir(), "venvs", `serving-${key.slice(0, 12)}`);
  const python = join(dir, "bin/python");
  if (existsSync(join(dir, ".ready"))) return python;
  // Made beside its place and renamed into it: two test files that start at once (vitest runs two at a time)
  // each make one, and the first rename wins; the loser's copy goes.
  const making = `${dir}.making-${process.pid}`;
  const makingPython = join(making, "bin/python");
  run("python3", ["-m", "venv", making]);
  const version = run(makingPython, [
    "-c",
    "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')",
  ]);
  writeFileSync(join(making, `lib/python${version}/site-packages/trainer-venv.pth`), sitePackages + "\n");
  run(makingPython, ["-m", "pip", "install", "-q", "-r", requirements]);
  writeFileSync(join(making, ".ready"), "");
  if (existsSync(dir) && !existsSync(join(dir, ".ready"))) rmSync(dir, { recursive: true, force: true }); // half-made
  try {
    renameSync(making, dir);
  } catch {
    rmSync(making, { recursive: true, force: true });
  }
  if (!existsSync(join(dir, ".ready"))) throw new Error(`${dir}: the serving venv was not made`);
  return python;
}

/**
 * `transformers serve <model dir>` on 127.0.0.1 (CPU), until `stop()`. A relative `modelDir` is served from `cwd`
 * under that name (the server names a model by the path it was given).
 */
export async function transformersServe(trainerPython: string, modelDir: string, cwd?: string) {
  const python = servingPython(trainerPython);
  const port = await freePort();
  const cli =
    "import sys; from transformers.cli.transformers import main; sys.argv[0] = 'transformers'; main()";
  const args = [
    "-c",
    cli,
    "serve",
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
    "--device",
    "cpu",
    modelDir,
  ];
  // A Hugging Face cache of its own: the server writes there, and never reaches the network for a local dir.
  const env = {
    ...process.env,
    HF_HOME: mkdtempSync(join(tmpdir(), "serve-hf-")),
    HF_HUB_OFFLINE: "1",
    PYTHONUNBUFFERED: "1", // its access log lines as they happen
  };
  const child = spawn(python, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr.on("data", (d: Buffer) => (log += d.toString()));
  for (let i = 0; i < 300 && !/Application startup complete/.test(log); i++) {
    if (child.exitCode !== null) throw new Error(`transformers serve exited:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!/Application startup complete/.test(log)) throw new Error(`transformers serve did not start:\n${log}`);
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill("SIGTERM"), log: () => log };
}
