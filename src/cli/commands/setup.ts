import { BUILTIN_TINY } from "../../config/index.js";
import { defaultVenvDir, ensurePython, resolveBaseModel } from "../../launch/index.js";

/** `pipeline setup`: makes what the first run would make anyway, with progress on stderr. */
export async function setup(options: {
  python?: string;
  tinyModel: boolean;
  tracking?: boolean;
}): Promise<number> {
  const progress = (line: string) => process.stderr.write(`  ${line}\n`);
  process.stderr.write(`› Python environment (${options.python ?? defaultVenvDir()})\n`);
  const python = await ensurePython({ python: options.python, onProgress: progress });
  process.stdout.write(`python: ${python}\n`);
  if (options.tinyModel) {
    process.stderr.write("› built-in tiny model\n");
    const model = await resolveBaseModel(BUILTIN_TINY, python, progress);
    process.stdout.write(`tiny model: ${model}\n`);
  }
  if (options.tracking) {
    process.stderr.write("› tracking writers (TensorBoard, W&B)\n");
    const { trackingPython } = await import("../../tracking/index.js");
    process.stdout.write(`tracking python: ${await trackingPython(progress)}\n`);
  }
  return 0;
}
