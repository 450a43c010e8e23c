import { assertFreeDisk } from "../../launch/index.js";
import type { RunContext } from "./context.js";

/** The local runtime's own disk check, before any data is formatted (the docker engine checks its own). */
export async function checkLocalDisk(ctx: RunContext, task: { title: string }): Promise<void> {
  const runtime = ctx.config.runtime;
  if (runtime.type !== "local") return;
  const minimum = runtime.min_free_disk ?? "1g";
  await assertFreeDisk(ctx.paths.dir, minimum, "runtime.min_free_disk");
  task.title = `Disk (at least ${minimum} free for ${ctx.paths.dir})`;
}
