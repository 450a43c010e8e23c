import type { ResultPromise } from "execa";
import { eventsFromLines } from "../event-lines.js";
import type { TrainerEvent } from "../../run-dir/index.js";
import type { TrainerExit, TrainerHandle } from "../runtime.js";
import { docker } from "./cli.js";
import type { Engine } from "./engine.js";
import { mapExit, type ContainerState } from "./exit.js";

export interface AttachedContainer {
  /** The attached docker CLI (`docker run` or `docker start -a`): its stdout is the event stream. */
  child: ResultPromise;
  name: string;
  engine: Engine;
  memory: string | undefined;
  logPath: string;
  /** Runs on each event before it is passed on (copies outputs back, rewrites container paths). */
  onEvent: (event: TrainerEvent) => Promise<TrainerEvent>;
  /** Runs before each stdout line (the local runtime deletes its secrets file on the first). */
  onLine?: () => Promise<void> | void;
  /** Runs once the container has exited, before it is removed. */
  cleanup?: () => Promise<void>;
  /** When true at the end, the container is kept (it holds work that could not be copied back). */
  keep?: () => boolean;
}

/**
 * One container's life as a TrainerHandle: events from its stdout, its state read once it exits (exit
 * code, OOM-killed), then removal — after every event has been handled, so nothing is copied from a
 * container that is already gone. Cancel is `docker stop`: SIGTERM (the trainer saves a checkpoint and
 * exits 130), SIGKILL after the grace.
 */
export function attachedHandle(c: AttachedContainer): TrainerHandle {
  let exited = false;
  let iterating = false;
  let drained!: () => void;
  const done = new Promise<void>((resolve) => (drained = resolve));
  async function* events(): AsyncGenerator<TrainerEvent> {
    iterating = true;
    try {
      const lines = c.child.iterable({ from: "stdout" });
      for await (const event of eventsFromLines(lines, c.logPath, c.onLine)) yield await c.onEvent(event);
    } finally {
      drained();
    }
  }
  const exit: Promise<TrainerExit> = (async () => {
    try {
      const result = await c.child;
      const state = await inspectState(c.name, c.engine);
      if (iterating) await done;
      return mapExit(state, result.exitCode, c.memory);
    } finally {
      exited = true;
      await c.cleanup?.();
      if (!c.keep?.()) await docker(["rm", "--force", "--volumes", c.name], c.engine);
    }
  })();
  return {
    events: events(),
    wait: () => exit,
    async cancel(graceMs = 120_000) {
      if (exited) return;
      await docker(["stop", "--time", String(Math.ceil(graceMs / 1000)), c.name], c.engine);
      await exit;
    },
  };
}

async function inspectState(name: string, engine: Engine): Promise<ContainerState | undefined> {
  const result = await docker(["inspect", "--format", "{{json .State}}", name], engine);
  return result.failed ? undefined : (JSON.parse(String(result.stdout)) as ContainerState);
}
