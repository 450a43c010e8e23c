import { copyFile, cp, link, mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../../errors/index.js";
import { packageRoot, requirementsFile } from "../paths.js";
import { docker } from "./cli.js";

export interface BuildOptions {
  base: string;
  tag: string;
  wheels: string;
  host?: string;
  onLine: (line: string) => void;
}

/**
 * Builds the trainer image offline: a temp build context with docker/Dockerfile, the pinned requirements,
 * the trainer sources and the wheels; `docker build --network none`, so nothing is fetched while building.
 */
export async function buildImage(options: BuildOptions): Promise<number> {
  const wheels = await listWheels(options.wheels);
  const context = await mkdtemp(join(tmpdir(), "pipeline-image-"));
  try {
    options.onLine(`context: ${wheels.length} wheels from ${options.wheels}`);
    await copyFile(join(packageRoot, "docker", "Dockerfile"), join(context, "Dockerfile"));
    await copyFile(requirementsFile, join(context, "requirements.txt"));
    await mkdir(join(context, "docker"));
    for (const file of ["train.py", "generate.py"])
      await copyFile(join(packageRoot, "docker", file), join(context, "docker", file));
    await cp(join(packageRoot, "docker", "pipeline_trainer"), join(context, "docker", "pipeline_trainer"), {
      recursive: true,
      filter: (src) => !src.includes("__pycache__"),
    });
    await mkdir(join(context, "schema"));
    await copyFile(
      join(packageRoot, "schema", "train-spec.schema.json"),
      join(context, "schema", "train-spec.schema.json"),
    );
    await mkdir(join(context, "wheels"));
    // Hard links when the cache is on the same filesystem: gigabytes of CUDA wheels are not copied.
    for (const wheel of wheels) {
      const to = join(context, "wheels", wheel);
      await link(join(options.wheels, wheel), to).catch(() => copyFile(join(options.wheels, wheel), to));
    }
    options.onLine(
      `docker build --network none --force-rm --build-arg BASE_IMAGE=${options.base} --tag ${options.tag}`,
    );
    const build = docker(
      [
        "build",
        "--network",
        "none",
        // A failed step's container holds gigabytes of half-installed wheels: removed whatever the outcome.
        "--force-rm",
        "--build-arg",
        `BASE_IMAGE=${options.base}`,
        "--tag",
        options.tag,
        context,
      ],
      options.host === undefined ? undefined : { host: options.host },
      { all: true, buffer: false },
    );
    for await (const line of build.iterable({ from: "all" })) options.onLine(String(line));
    const result = await build;
    return result.exitCode ?? 1;
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

async function listWheels(dir: string): Promise<string[]> {
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const wheels = isDir ? (await readdir(dir)).filter((f) => f.endsWith(".whl")) : [];
  if (wheels.length === 0) {
    throw new UsageError("no-wheels", `no wheels in ${dir}`, {
      hint: "download them once (with network): scripts/docker-wheels.sh, or pass --wheels <dir>",
    });
  }
  return wheels;
}
