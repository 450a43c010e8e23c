import { ensurePython, trackingRequirements } from "../../launch/index.js";

/**
 * The Python that writes TensorBoard and W&B files: PIPELINE_TRACKING_PYTHON when set (an interpreter that has
 * `tensorboard` and `wandb`), else a venv of docker/requirements-tracking.txt made on first use, so the
 * trainer's venv stays as it is for those who track nothing.
 */
export function trackingPython(onProgress?: (line: string) => void): Promise<string> {
  return ensurePython({
    python: process.env.PIPELINE_TRACKING_PYTHON,
    requirements: trackingRequirements,
    onProgress,
  });
}
