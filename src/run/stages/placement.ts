import type { Stage } from "../state.js";

/**
 * The runtime's preflight, before any data is formatted: the Python stack and GPU for a local run; the engine,
 * image, GPUs and free disk for docker. Says where training and evaluation will run.
 */
export const placementStage: Stage<"placement"> = {
  key: "placement",
  title: "Runtime",
  async run(state, progress) {
    const { config, runtime } = state.setup;
    const inputs = config.datasets.flatMap((d) => [d.path, ...(d.eval_path ? [d.eval_path] : [])]);
    const placement = await runtime.prepare({
      runId: state.setup.paths.id,
      runDir: state.setup.paths.dir,
      device: config.device,
      baseModel: state.need("model").baseModel,
      inputs,
      checkpoints: config.checkpoints,
      strategy: config.training.strategy,
      onProgress: (line) => progress.output(line),
    });
    progress.title(`Runtime (${placement.where})`);
    return placement;
  },
};
