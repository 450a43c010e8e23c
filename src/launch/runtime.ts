import type { TrainerEvent } from "./events.js";

/** What every runtime (local process, docker, ray) gives back once the trainer is started. */
export interface TrainerHandle {
  /** Parsed events from the trainer's stdout, in order; ends when the trainer's stdout closes. */
  events: AsyncIterable<TrainerEvent>;
  /** Resolves when the trainer has exited. */
  wait(): Promise<TrainerExit>;
  /** Asks the trainer to stop (it saves a checkpoint first), then kills it after `graceMs`. */
  cancel(graceMs?: number): Promise<void>;
}

export interface TrainerExit {
  exitCode: number | undefined;
  signal: string | undefined;
  /** Why, when the runtime knows better than the exit code (e.g. a container killed for memory). */
  message?: string;
}

export interface StartOptions {
  specPath: string;
  /** The trainer's stderr (library noise, tracebacks) goes here. */
  logPath: string;
  env?: Record<string, string>;
}
