import { UsageError } from "../../errors/index.js";

// Placeholder while the stage is being built; replaced before it lands.
export async function runsList(): Promise<number> {
  throw new UsageError("not-implemented", "this command is not implemented yet");
}
export const runsShow = runsList;
