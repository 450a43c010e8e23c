import { BUILTIN_TINY } from "../../config/index.js";
import { defaultVenvDir, ensurePython, resolveBaseModel } from "../../launch/index.js";

/** `pipeline setup`: makes what the first run would make anyway, with progress on stderr. */
export async function setup(options: { python?: string; tracking?: boolean }): Promise<number> {
  const progress = (line: string) => process.stderr.write(`  ${line}\n`);
  process.stderr.write(`› Python environment (${options.python ?? defaultVenvDir()})\n`);
  const python = await ensurePython({ python: options.python, onProgress: progress });
  process.stdout.write(`python: ${python}\n`);
  // Shipped with the project: nothing to make, but its path is what a config or a test may want.
  process.stdout.write(`tiny model: ${resolveBaseModel(BUILTIN_TINY)}\n`);
  if (options.tracking) {
    process.stderr.write("› tracking writers (TensorBoard, W&B)\n");
    const { trackingPython } = await import("../../tracking/index.js");
    process.stdout.write(`tracking python: ${await trackingPython(progress)}\n`);
  }
  return 0;
}
