import { dirname } from "node:path";
import { FailedError } from "../../errors/index.js";
import { readRecordFile } from "../../run-dir/index.js";
import {
  adapterLora,
  copyInitAdapter,
  findInitAdapter,
  readAdapterConfig,
  verifyInitAdapter,
  type InitAdapterRecord,
} from "../init-adapter/index.js";
import type { InitAdapter, Progress, RunState, Stage } from "../state.js";

/**
 * training.init_adapter: found and checked (exit 2 before any work), copied into the run directory with its
 * hashes; a resumed run checks its copy against run.json instead of looking at the source again.
 */
export const initAdapterStage: Stage<"initAdapter"> = {
  key: "initAdapter",
  title: "Init adapter",
  when: (state) => state.setup.config.training.init_adapter !== undefined,
  async run(state, progress): Promise<InitAdapter> {
    const { config, paths, resume } = state.setup;
    const record = resume ? await recorded(state) : await copied(state);
    const adapter = await readAdapterConfig(paths.initAdapter, paths.initAdapter);
    const { lora, notes } = adapterLora(config, adapter);
    for (const note of notes) announce(progress, note);
    progress.title(`Init adapter (${record.source}: r ${lora.r}, alpha ${lora.alpha})`);
    return { ...record, dir: paths.initAdapter, lora };
  },
};

async function copied(state: RunState): Promise<InitAdapterRecord> {
  const { config, paths } = state.setup;
  const found = (await findInitAdapter(config, dirname(paths.dir)))!;
  return copyInitAdapter(found.source, found.dir, paths);
}

async function recorded(state: RunState): Promise<InitAdapterRecord> {
  const { paths } = state.setup;
  const record = (await readRecordFile(paths.record)).initAdapter;
  if (!record) {
    throw new FailedError(
      "init-adapter-unrecorded",
      `run ${paths.id}: run.json records no training.init_adapter though its config sets one`,
      { hint: "the run cannot show which adapter it started from: start a new run" },
    );
  }
  await verifyInitAdapter(paths, record);
  return record;
}

function announce(progress: Progress, note: string): void {
  progress.output(note);
  process.stderr.write(`note: training.init_adapter: ${note}\n`);
}
