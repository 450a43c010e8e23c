import { readRecord } from "../../run-dir/index.js";
import { MANAGED_LABEL, RUN_ID_LABEL } from "./args.js";
import { docker, dockerOut } from "./cli.js";
import type { Engine } from "./engine.js";

export interface Leftover {
  container: string;
  runId: string;
  state: string;
}

/**
 * Containers this tool started (label pipeline.managed=true) that no running run owns: stopped ones, and
 * running ones whose run record in `runsDir` is no longer `running` (its `pipeline run` crashed).
 */
export async function leftoverContainers(runsDir: string, engine?: Engine): Promise<Leftover[]> {
  const format = `{{.Names}}\t{{.Label "${RUN_ID_LABEL}"}}\t{{.State}}`;
  const out = await dockerOut(
    ["ps", "--all", "--filter", `label=${MANAGED_LABEL}`, "--format", format],
    engine,
  );
  const leftovers: Leftover[] = [];
  for (const line of out.split("\n").filter(Boolean)) {
    const [container = "", runId = "", state = ""] = line.split("\t");
    const status = await readRecord(runsDir, runId).then(
      (r) => r.status,
      () => undefined,
    );
    if (state !== "running" || (status !== undefined && status !== "running"))
      leftovers.push({ container, runId, state });
  }
  return leftovers;
}

export async function removeContainer(name: string, engine?: Engine): Promise<boolean> {
  return !(await docker(["rm", "--force", "--volumes", name], engine)).failed;
}
