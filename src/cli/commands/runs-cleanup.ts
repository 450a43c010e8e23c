import { leftoverContainers, removeContainer } from "../../launch/docker/index.js";
import { assertDaemon } from "../../launch/docker/index.js";

/** `pipeline runs cleanup`: removes trainer containers that no running run owns. */
export async function runsCleanup(options: { runsDir: string; host?: string }): Promise<number> {
  await assertDaemon(options.host);
  const leftovers = await leftoverContainers(options.runsDir, options.host);
  for (const c of leftovers) {
    const removed = await removeContainer(c.container, options.host);
    process.stdout.write(
      `${removed ? "removed" : "could not remove"} ${c.container} (run ${c.runId}, ${c.state})\n`,
    );
  }
  if (leftovers.length === 0) process.stdout.write("no leftover containers\n");
  return 0;
}
