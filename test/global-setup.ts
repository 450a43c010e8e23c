import { spawnSync } from "node:child_process";
import { join } from "node:path";

/**
 * Integration and end-to-end tests run the built binary: build it once before any of them. Both projects that
 * use it (integration, docker) name this setup; the marker keeps it to one build per vitest process.
 */
export default function setup(): void {
  if (process.env.PIPELINE_TEST_BUILT) return;
  const root = join(import.meta.dirname, "..");
  const build = spawnSync("npm", ["run", "build"], { cwd: root, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
  process.env.PIPELINE_TEST_BUILT = "1";
}
