import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TrainerEvent } from "../launch/index.js";
import { Feeder, type Indexed, type Sink, SinkError } from "./feeder.js";

const step = (n: number): TrainerEvent => ({
  v: 1,
  time: 1700000000 + n,
  type: "step",
  step: n,
  total_steps: 100,
  epoch: 0,
  loss: 1 / (n + 1),
  lr: 1e-3,
  grad_norm: 1,
  tokens_per_s: 1,
  tokens: n,
  elapsed_s: n,
});

/** A stand-in system: takes what it is sent unless `failing` says otherwise. */
function recordingSink(failing: (call: number) => Error | undefined = () => undefined) {
  const received: number[] = [];
  let calls = 0;
  const sink: Sink = {
    label: "test system",
    batch: 3,
    async send(events: Indexed[]) {
      const error = failing(calls++);
      if (error) throw error;
      received.push(...events.map((e) => e.index));
    },
  };
  return { sink, received, calls: () => calls };
}

function eventsFile(count: number): string {
  const file = join(mkdtempSync(join(tmpdir(), "feeder-")), "events.jsonl");
  writeFileSync(file, Array.from({ length: count }, (_, i) => JSON.stringify(step(i)) + "\n").join(""));
  return file;
}

const quick = { attempts: 2, baseMs: 1, maxDelayMs: 2, maxElapsedMs: 50 };

function feeder(sink: Sink, file: string, sent = 0) {
  const lines = { warn: [] as string[], info: [] as string[], sent: [] as number[] };
  const f = new Feeder(sink, {
    eventsFile: file,
    sent,
    onSent: (n) => lines.sent.push(n),
    warn: (line) => lines.warn.push(line),
    info: (line) => lines.info.push(line),
    policy: quick,
    lingerMs: 1,
    probeMs: 20,
  });
  return { f, lines };
}

/** Polls until `done` holds (up to 10 s: a loaded machine delays the feeder's timers and reads). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(done()).toBe(true);
}

describe("Feeder", () => {
  it("first sends the events a system lacks from events.jsonl (a previous session's), then the live ones, in order", async () => {
    const file = eventsFile(8);
    const { sink, received } = recordingSink();
    const { f, lines } = feeder(sink, file, 2);
    for (const index of [5, 6, 7]) f.push({ index, event: step(index) });
    expect(await f.drain(Date.now() + 1000)).toBe(0);
    expect(received).toEqual([2, 3, 4, 5, 6, 7]);
    expect(lines.sent.at(-1)).toBe(8);
  });

  it("a system that stops answering: one warning, training's pushes only queue, the backfill after it is back", async () => {
    const file = eventsFile(10);
    let down = true;
    const { sink, received } = recordingSink(() => (down ? new Error("connect ECONNREFUSED") : undefined));
    const { f, lines } = feeder(sink, file);
    for (let index = 0; index < 6; index++) f.push({ index, event: step(index) });
    await until(() => f.isDown);
    expect(lines.warn).toHaveLength(1);
    expect(lines.warn[0]).toMatch(/test system is unreachable \(connect ECONNREFUSED\); training goes on/);
    for (let index = 6; index < 10; index++) f.push({ index, event: step(index) });
    down = false;
    await until(() => received.length >= 10);
    expect(received).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(lines.info).toEqual(["test system answers again; sending what it missed"]);
    expect(lines.warn).toHaveLength(1);
    expect(await f.drain(Date.now() + 1000)).toBe(0);
  });

  it("drain keeps trying a system that is down at the run's end until the deadline: one back in time gets everything", async () => {
    const file = eventsFile(6);
    const downUntil = Date.now() + 300; // several retry rounds of the quick policy
    const { sink, received } = recordingSink(() =>
      Date.now() < downUntil ? new Error("connect ECONNREFUSED") : undefined,
    );
    const { f, lines } = feeder(sink, file);
    const waits: string[] = [];
    expect(await f.drain(Date.now() + 5000, (reason) => waits.push(reason))).toBe(0);
    expect(f.isDown).toBe(false);
    expect(received).toEqual([0, 1, 2, 3, 4, 5]);
    // The drain's own line says it waits; the live "training goes on" warning is not repeated at the end.
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBe("connect ECONNREFUSED");
    expect(lines.warn).toEqual([]);
    expect(lines.info).toEqual(["test system answers again; sending what it missed"]);
  });

  it("drain begun while a send to a system gone down is still in flight says once that it waits, then waits", async () => {
    const file = eventsFile(3);
    // The first send hangs until the test fails it: the run ends while it is in flight, the system not yet
    // counted as down; every later send is taken.
    let failFirst: (error: Error) => void = () => {};
    let calls = 0;
    const received: number[] = [];
    const sink: Sink = {
      label: "test system",
      batch: 3,
      async send(events: Indexed[]) {
        if (calls++ === 0) await new Promise((_, reject) => (failFirst = reject));
        received.push(...events.map((e) => e.index));
      },
    };
    const f = new Feeder(sink, {
      eventsFile: file,
      sent: 0,
      onSent: () => {},
      warn: () => {},
      info: () => {},
      policy: { attempts: 1, baseMs: 1, maxDelayMs: 1, maxElapsedMs: 1000 },
      lingerMs: 1,
      probeMs: 20,
    });
    f.push({ index: 0, event: step(0) });
    await until(() => calls === 1);
    const waits: string[] = [];
    const drained = f.drain(Date.now() + 5000, (reason) => waits.push(reason));
    expect(f.isDown).toBe(false);
    failFirst(new Error("connect ECONNREFUSED"));
    expect(await drained).toBe(0);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBe("connect ECONNREFUSED");
    expect(received).toEqual([0, 1, 2]);
  });

  it("drain gives up on a system still down at the deadline, saying how much it lacks", async () => {
    const file = eventsFile(5);
    const { sink, received } = recordingSink(() => new Error("connect ECONNREFUSED"));
    const { f } = feeder(sink, file);
    const started = Date.now();
    expect(await f.drain(started + 250)).toBe(5);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(f.isDown).toBe(true);
    expect(received).toEqual([]);
  });

  it("a refusal is not retried: one warning, and drain says what is missing", async () => {
    const file = eventsFile(4);
    const { sink, received, calls } = recordingSink(() => new SinkError("HTTP 401: unauthorized", true));
    const { f, lines } = feeder(sink, file);
    for (let index = 0; index < 4; index++) f.push({ index, event: step(index) });
    expect(await f.drain(Date.now() + 1000)).toBe(4);
    expect(calls()).toBe(1);
    expect(received).toEqual([]);
    expect(lines.warn).toEqual([
      "test system: HTTP 401: unauthorized; nothing more is sent to it in this run",
    ]);
  });
});
