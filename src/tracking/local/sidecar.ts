import { createInterface } from "node:readline";
import { startTrackingWriter } from "../../launch/index.js";
import { type Indexed, type Sink, SinkError } from "../feeder.js";
import { eventPoint } from "../metrics.js";

export interface LocalWriters {
  tensorboard?: { dir: string };
  wandb?: {
    id: string;
    project: string;
    entity?: string;
    mode: "online" | "offline";
    dir: string;
    name: string;
  };
}

type ChildProcess = ReturnType<typeof startTrackingWriter>;
type Answer = { ack?: number; opened?: boolean; summarized?: boolean; closed?: boolean };

/**
 * TensorBoard event files and a W&B run, written by docker/track.py with the official libraries (no npm
 * library writes either format): a child process fed one JSON op per line, answering with acks. Its stderr
 * goes to tracking.log in the run directory. In its own process group, so a Ctrl-C reaches only this process,
 * which closes it properly.
 */
export class LocalSink implements Sink {
  readonly batch = 200;
  private readonly waiting = new Map<string, () => void>();
  private exited: string | undefined;

  private constructor(
    readonly label: string,
    private readonly child: ChildProcess,
  ) {
    createInterface({ input: child.stdout! }).on("line", (line) => this.answer(line));
    child.on("exit", (code, signal) => {
      this.exited = `the tracking writer exited (${signal ?? `exit ${code}`}); see tracking.log in the run directory`;
      for (const resolve of this.waiting.values()) resolve();
    });
    child.stdin!.on("error", () => undefined);
  }

  static async start(options: {
    python: string;
    logFile: string;
    writers: LocalWriters;
    params: Record<string, string>;
  }): Promise<LocalSink> {
    const child = startTrackingWriter(options.python, options.logFile);
    const names = [options.writers.tensorboard && "TensorBoard", options.writers.wandb && "W&B"].filter(
      Boolean,
    );
    const sink = new LocalSink(names.join(" and "), child);
    await sink.call({ op: "open", ...options.writers, params: options.params }, "opened", 180_000);
    return sink;
  }

  async send(events: Indexed[]): Promise<void> {
    let last: number | undefined;
    for (const { event, index } of events) {
      const point = eventPoint(event, index);
      if (!point) continue;
      const op = point.restart ? { op: "restart", ...point } : { op: "log", ...point };
      this.write(op);
      last = index;
    }
    if (last !== undefined) await this.wait(`ack:${last}`, 30_000);
  }

  async finish(summary: { values: Record<string, number>; tags: Record<string, string>; files: string[] }) {
    await this.call({ op: "summary", ...summary }, "summarized", 60_000);
  }

  /** Closes the files (W&B online uploads what is left); killed when it takes longer than timeoutMs. */
  async close(failed: boolean, timeoutMs = 120_000): Promise<void> {
    if (this.exited) return;
    try {
      await this.call({ op: "close", failed }, "closed", timeoutMs);
    } finally {
      this.child.stdin!.end();
      if (!this.exited) this.child.kill("SIGKILL");
    }
  }

  private async call(op: object, answer: string, timeoutMs: number): Promise<void> {
    this.write(op);
    await this.wait(answer, timeoutMs);
  }

  private write(op: object): void {
    if (this.exited) throw new SinkError(this.exited, true);
    this.child.stdin!.write(JSON.stringify(op) + "\n");
  }

  private wait(key: string, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        reject(new SinkError(`the tracking writer did not answer within ${timeoutMs / 1000} s`, false));
      }, timeoutMs);
      this.waiting.set(key, () => {
        clearTimeout(timer);
        this.waiting.delete(key);
        if (this.exited && !key.startsWith("closed")) reject(new SinkError(this.exited, true));
        else resolve();
      });
    });
  }

  private answer(line: string): void {
    let message: Answer;
    try {
      message = JSON.parse(line) as Answer;
    } catch {
      return;
    }
    const key =
      message.ack !== undefined
        ? `ack:${message.ack}`
        : (["opened", "summarized", "closed"] as const).find((k) => message[k]);
    if (key) this.waiting.get(key)?.();
  }
}
