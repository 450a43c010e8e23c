import { assertDaemon, leftoverContainers, removeContainer } from "../../launch/docker/index.js";

/** `pipeline runs cleanup`: removes trainer containers that no running run owns (local or remote engine). */
export async function runsCleanup(options: { runsDir: string; host?: string }): Promise<number> {
  const engine = options.host === undefined ? {} : { host: options.host };
  await assertDaemon(engine);
  const leftovers = await leftoverContainers(options.runsDir, engine);
  for (const c of leftovers) {
    const removed = await removeContainer(c.container, engine);
    process.stdout.write(
      `${removed ? "removed" : "could not remove"} ${c.container} (run ${c.runId}, ${c.state})\n`,
    );
  }
  if (leftovers.length === 0) process.stdout.write("no leftover containers\n");
  return 0;
}
