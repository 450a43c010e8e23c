import { basename, extname } from "node:path";
import { loadConfig } from "../../config/index.js";
import {
  addSchedule,
  evaluateSchedules,
  listSchedules,
  removeSchedule,
  requeueExpired,
} from "../../queue/index.js";
import { clock, withDb } from "../queue/open.js";
import { iso, table } from "../queue/table.js";
import { integer } from "../queue/numbers.js";

interface AddOptions {
  db?: string;
  name?: string;
  timezone?: string;
  priority?: string;
  gpus?: string;
  project?: string;
  now?: string;
}

/** `pipeline schedule add "<cron>" <config>`: the cron and the config are both checked before anything is stored. */
export async function scheduleAdd(cron: string, configFile: string, options: AddOptions): Promise<number> {
  const { config, file, hash } = await loadConfig(configFile);
  const name = options.name ?? basename(configFile, extname(configFile));
  const now = clock(options.now)();
  return withDb(options.db, (db) => {
    const schedule = addSchedule(
      db,
      {
        name,
        cron,
        config: file,
        timezone: options.timezone ?? null,
        job: {
          configHash: hash,
          project: options.project ?? "default",
          priority: integer("--priority", options.priority, 0, -1_000_000),
          gpus: integer("--gpus", options.gpus, config.device === "cpu" ? 0 : 1, 0),
        },
      },
      now,
    );
    process.stdout.write(
      `schedule ${schedule.name} (${schedule.id}): "${cron}", next ${iso(schedule.nextDue)}\n`,
    );
    return 0;
  });
}

export async function scheduleList(options: { db?: string; json?: boolean }): Promise<number> {
  return withDb(options.db, (db) => {
    const schedules = listSchedules(db);
    if (options.json) process.stdout.write(JSON.stringify(schedules, null, 2) + "\n");
    else if (schedules.length === 0) process.stdout.write("no schedules\n");
    else {
      const rows = [["ID", "NAME", "CRON", "TZ", "NEXT", "LAST FIRED", "CONFIG"]];
      for (const s of schedules)
        rows.push([s.id, s.name, s.cron, s.timezone ?? "local", iso(s.nextDue), iso(s.lastFired), s.config]);
      process.stdout.write(table(rows));
    }
    return 0;
  });
}

export async function scheduleRemove(nameOrId: string, options: { db?: string }): Promise<number> {
  return withDb(options.db, (db) => {
    const removed = removeSchedule(db, nameOrId);
    process.stdout.write(`removed schedule ${removed.name} (${removed.id})\n`);
    return 0;
  });
}

/**
 * `pipeline scheduler`: fires due schedules (and requeues jobs of dead workers) without running any job —
 * for a machine that enqueues while workers elsewhere run. With --once it evaluates once and exits.
 */
export async function scheduler(options: {
  db?: string;
  pollMs: string;
  once?: boolean;
  now?: string;
}): Promise<number> {
  const now = clock(options.now);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await withDb(options.db, async (db) => {
      while (!stop.signal.aborted) {
        requeueExpired(db, now());
        for (const fired of evaluateSchedules(db, now()))
          process.stdout.write(`${iso(now())} schedule ${fired.schedule.name}: enqueued ${fired.job.id}\n`);
        if (options.once) return 0;
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, Number(options.pollMs));
          stop.signal.addEventListener("abort", () => (clearTimeout(timer), resolve(undefined)), {
            once: true,
          });
        });
      }
      return 130;
    });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
