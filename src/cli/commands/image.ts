import { join } from "node:path";
import { assertDaemon, buildImage } from "../../launch/docker/index.js";
import { FailedError } from "../../errors/index.js";
import { cacheDir } from "../../launch/paths.js";

/** `pipeline image build`: the trainer image, built offline; progress lines on stderr. */
export async function imageBuild(options: {
  base: string;
  tag: string;
  wheels?: string;
  host?: string;
}): Promise<number> {
  await assertDaemon(options.host === undefined ? {} : { host: options.host });
  const started = Date.now();
  const code = await buildImage({
    base: options.base,
    tag: options.tag,
    wheels: options.wheels ?? join(cacheDir(), "wheels"),
    host: options.host,
    onLine: (line) => process.stderr.write(`  ${line}\n`),
  });
  if (code !== 0) {
    throw new FailedError("image-build-failed", `docker build of ${options.tag} failed (exit ${code})`, {
      hint: `the base image ${options.base} must exist on the engine and have python3 with venv (scripts/docker-base-image.sh builds pipeline-base:bookworm)`,
    });
  }
  process.stdout.write(`image: ${options.tag} (${Math.round((Date.now() - started) / 1000)} s)\n`);
  return 0;
}
