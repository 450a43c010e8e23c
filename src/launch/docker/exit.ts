import type { TrainerExit } from "../runtime.js";

/** The parts of `docker inspect`'s .State the outcome depends on. */
export interface ContainerState {
  ExitCode: number;
  OOMKilled: boolean;
  Error?: string;
}

/**
 * The container's end → the trainer's exit, with a message when docker itself (not the trainer) is why:
 * OOM-killed, or docker's own exit codes 125 (could not create/start), 126 (entrypoint not executable),
 * 127 (entrypoint not found). Without a state (the container was never created) the CLI's code stands.
 */
export function mapExit(
  state: ContainerState | undefined,
  cliExit: number | undefined,
  memory?: string,
): TrainerExit {
  const exitCode = state?.ExitCode ?? cliExit;
  const base = { exitCode, signal: undefined };
  if (state?.OOMKilled) {
    const limit = memory ? `its memory limit (runtime.memory: ${memory})` : "the memory available";
    return {
      ...base,
      message:
        `out-of-memory: the container was killed for using more than ${limit}; ` +
        "raise runtime.memory, or lower training.micro_batch_size or training.max_seq_len",
    };
  }
  const docker = state?.Error ? `: ${state.Error}` : "";
  if (exitCode === 125)
    return {
      ...base,
      message: `docker could not create or start the container${docker} (see the trainer log)`,
    };
  if (exitCode === 126)
    return {
      ...base,
      message: "the image's entrypoint cannot be executed: rebuild it with pipeline image build",
    };
  if (exitCode === 127)
    return {
      ...base,
      message: "the image has no trainer entrypoint: is it a pipeline trainer image? (pipeline image build)",
    };
  if (exitCode === 137 && !state?.OOMKilled) return { ...base, signal: "SIGKILL" };
  return base;
}
