import type { TrainerEvent } from "../launch/index.js";
import { readEvents } from "../run-dir/index.js";
import { type RetryPolicy, backoffDelay, sleep } from "../retry/index.js";
import { messageOf } from "../errors/index.js";

/** An event with its position in events.jsonl. */
export interface Indexed {
  index: number;
  event: TrainerEvent;
}

/** One tracking system, as the feeder sees it. */
export interface Sink {
  /** How the system is named in warnings, e.g. "MLflow at http://127.0.0.1:5000". */
  readonly label: string;
  /** The most events one send takes. */
  readonly batch: number;
  /** Delivers events in order; throws (a SinkError when it knows whether trying again can help) when not taken. */
  send(events: Indexed[]): Promise<void>;
}

/** permanent: the system refused (bad credentials, a bad request); trying again will not help. */
export class SinkError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export interface FeederOptions {
  eventsFile: string;
  /** Events of events.jsonl the system already has (from tracking.json). */
  sent: number;
  onSent: (sent: number) => void;
  warn: (line: string) => void;
  info: (line: string) => void;
  /** Retries of one send before the system counts as down. */
  policy?: RetryPolicy;
  /** How long pushed events wait to go together in one request. */
  lingerMs?: number;
  /** The first wait before a down system is tried again (doubling to 60 s). */
  probeMs?: number;
}

export const LIVE_POLICY: RetryPolicy = { attempts: 5, baseMs: 500, maxDelayMs: 8000, maxElapsedMs: 30_000 };

/**
 * Buffered, ordered, at-least-once delivery of a run's events to one system, off the training path: `push`
 * only queues. A failed send is retried with backoff; then the system counts as down (one warning), its queue
 * is dropped and it is tried again now and then; once it answers, what it missed is read back from
 * events.jsonl (the source of truth). Systems here take a resent event as the same one (same step, time, value).
 */
export class Feeder {
  private queue: Indexed[] = [];
  private backlog: Indexed[] = [];
  private sent: number;
  private down: false | "transient" | "permanent" = false;
  private outage = false;
  private probes = 0;
  private timer: NodeJS.Timeout | undefined;
  private pumping: Promise<void> | undefined;
  private deadline = Infinity;
  /** Whether events.jsonl may hold events the system lacks and the queue does not (at start, after an outage). */
  private behind = true;
  /** The system answered in this run (an event taken, or its channel's opening): its end waits longer for it. */
  everReached = false;
  /** Why the system last failed to take a send. */
  private reason = "";

  constructor(
    private readonly sink: Sink,
    private readonly options: FeederOptions,
  ) {
    this.sent = options.sent;
  }

  push(item: Indexed): void {
    if (this.down || this.deadline !== Infinity) return; // events.jsonl has it: the backfill sends it
    this.queue.push(item);
    this.schedule(this.options.lingerMs ?? 1000);
  }

  /**
   * After the run: everything still missing, within the deadline; the number of events not sent. `onWait` is
   * told once (why) when the system does not answer and the drain waits for it.
   */
  async drain(deadline: number, onWait?: (reason: string) => void): Promise<number> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.deadline = deadline;
    this.behind = true;
    let told = false;
    const tell = () => {
      if (!told) onWait?.(this.reason);
      told = true;
    };
    // A send still retrying (the system not yet counted as down) is waited for; then, if down, said at once.
    await this.pumping;
    if (this.down === "transient") tell();
    // A system down at the run's end (a server restarting) is tried again now and then until the deadline.
    while (this.down !== "permanent") {
      this.down = false;
      await this.run();
      const wait = Math.min(this.options.probeMs ?? 5000, deadline - Date.now());
      if (!this.down || wait <= 0) break;
      tell();
      await sleep(wait);
    }
    const total = (await readEvents(this.options.eventsFile)).length;
    return Math.max(0, total - this.sent);
  }

  get isDown(): boolean {
    return this.down !== false;
  }

  private schedule(ms: number): void {
    if (this.timer || this.pumping) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, ms);
    this.timer.unref();
  }

  private run(): Promise<void> {
    this.pumping ??= this.pump().finally(() => {
      this.pumping = undefined;
      if (!this.down && this.queue.length > 0 && this.deadline === Infinity) this.schedule(0);
    });
    return this.pumping;
  }

  private async pump(): Promise<void> {
    for (;;) {
      const batch = await this.nextBatch();
      if (batch.length === 0) return;
      try {
        await this.sendRetrying(batch);
      } catch (error) {
        this.fail(error);
        return;
      }
      this.sent = batch.at(-1)!.index + 1;
      this.options.onSent(this.sent);
      this.everReached = true;
      this.probes = 0;
      if (this.outage) this.options.info(`${this.sink.label} answers again; sending what it missed`);
      this.outage = false;
    }
  }

  private async nextBatch(): Promise<Indexed[]> {
    const fresh = (item: Indexed) => item.index >= this.sent;
    this.backlog = this.backlog.filter(fresh);
    this.queue = this.queue.filter(fresh);
    const gap = this.queue.length > 0 && this.queue[0]!.index > this.sent;
    if (this.backlog.length === 0 && (this.behind || gap)) {
      // Events before the queue (the system was down, or they are a previous session's): from events.jsonl.
      this.behind = false;
      const events = await readEvents(this.options.eventsFile);
      this.backlog = events.slice(this.sent).map((event, i) => ({ event, index: this.sent + i }));
      if (this.queue[0]) this.backlog = this.backlog.filter((item) => item.index < this.queue[0]!.index);
    }
    const source = this.backlog.length > 0 ? this.backlog : this.queue;
    return source.splice(0, this.sink.batch);
  }

  private sendRetrying(batch: Indexed[]): Promise<void> {
    return retrying(() => this.sink.send(batch), this.options.policy ?? LIVE_POLICY, this.deadline);
  }

  /** The system did not take what was sent (or did not answer at the start): warn once, try again later. */
  fail(error: unknown): void {
    const message = messageOf(error);
    this.queue = [];
    this.backlog = [];
    this.behind = true;
    if (error instanceof SinkError && error.permanent) {
      this.down = "permanent";
      this.options.warn(`${this.sink.label}: ${message}; nothing more is sent to it in this run`);
      return;
    }
    this.down = "transient";
    this.reason = message;
    // While draining, the drain's own line says it waits (and for how long) instead.
    if (!this.outage && this.deadline === Infinity) {
      this.options.warn(
        `${this.sink.label} is unreachable (${message}); training goes on, and what it misses is sent from ` +
          "events.jsonl when it answers again",
      );
    }
    this.outage = true;
    if (this.deadline !== Infinity) return;
    const wait = Math.min(60_000, (this.options.probeMs ?? 5000) * 2 ** this.probes++);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.down = false;
      void this.run();
    }, wait);
    this.timer.unref();
  }
}

/** fn, tried again with backoff while the policy and the deadline allow and the error is not permanent. */
export async function retrying<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy,
  deadline = Infinity,
): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const delay = backoffDelay(policy, attempt);
      const late = Date.now() + delay > Math.min(deadline, started + policy.maxElapsedMs);
      if ((error instanceof SinkError && error.permanent) || attempt + 1 >= policy.attempts || late)
        throw error;
      await sleep(delay);
    }
  }
}
