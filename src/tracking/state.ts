import { randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * tracking.json in the run directory: which tracking runs this run writes to and how many of its events each
 * system has taken, so a resumed run (or `pipeline runs sync`) continues the same tracking runs and sends only
 * what they lack. No secret is ever in it.
 */
export interface TrackingState {
  mlflow?: { uri: string; experiment_id?: string; run_id?: string; sent: number; finished?: boolean };
  /** TensorBoard and W&B, written by one local process. */
  local?: { wandb_id: string; sent: number; finished?: boolean };
}

export const stateFile = (runDir: string) => join(runDir, "tracking.json");

export async function readState(runDir: string): Promise<TrackingState> {
  try {
    return JSON.parse(await readFile(stateFile(runDir), "utf8")) as TrackingState;
  } catch {
    return {};
  }
}

/** Serialised: the systems update it from their own loops, and the last update must win. */
export class StateWriter {
  private chain = Promise.resolve();
  constructor(
    private readonly runDir: string,
    readonly state: TrackingState,
  ) {}

  update(change: (state: TrackingState) => void): Promise<void> {
    change(this.state);
    const text = JSON.stringify(this.state, null, 2) + "\n";
    const file = stateFile(this.runDir);
    this.chain = this.chain
      .then(() => writeFile(`${file}.tmp`, text))
      .then(() => rename(`${file}.tmp`, file))
      .catch(() => undefined);
    return this.chain;
  }
}

/** A W&B run id: 8 lower-case letters and digits, as wandb makes its own. */
export function newWandbId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return [...randomBytes(8)].map((byte) => alphabet[byte % alphabet.length]).join("");
}
