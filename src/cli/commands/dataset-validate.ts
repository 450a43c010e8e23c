import { UsageError } from "../../errors/index.js";

// Placeholder while the stage is being built; replaced before it lands.
export async function datasetValidate(): Promise<number> {
  throw new UsageError("not-implemented", "this command is not implemented yet");
}
