import { UsageError } from "../errors/index.js";
import type { Db } from "./db.js";
import { immediate } from "./db.js";
import { enqueue, type Job, type NewJob } from "./jobs.js";
import { checkCron, nextOccurrence } from "./cron.js";

export interface Schedule {
  id: string;
  seq: number;
  name: string;
  cron: string;
  config: string;
  timezone: string | null;
  /** What each fired job is enqueued with (config hash, priority, gpus, project, retries). */
  job: Omit<NewJob, "config" | "schedule">;
  nextDue: number;
  lastFired: number | null;
  createdAt: number;
}

export const scheduleId = (seq: number) => `sch-${String(seq).padStart(4, "0")}`;

type Row = Record<string, string | number | null>;
function rowToSchedule(row: Row): Schedule {
  return {
    id: scheduleId(row.seq as number),
    seq: row.seq as number,
    name: row.name as string,
    cron: row.cron as string,
    config: row.config as string,
    timezone: row.timezone as string | null,
    job: JSON.parse(row.job_options as string) as Schedule["job"],
    nextDue: row.next_due as number,
    lastFired: row.last_fired as number | null,
    createdAt: row.created_at as number,
  };
}

export interface NewSchedule {
  name: string;
  cron: string;
  config: string;
  timezone: string | null;
  job: Omit<NewJob, "config" | "schedule">;
}

export function addSchedule(db: Db, schedule: NewSchedule, now: number): Schedule {
  const nextDue = checkCron(schedule.cron, schedule.timezone, now);
  return immediate(db, () => {
    if (db.prepare("SELECT 1 FROM schedules WHERE name = ?").get(schedule.name)) {
      throw new UsageError("schedule-exists", `a schedule named "${schedule.name}" already exists`, {
        hint: "pick another --name, or `pipeline schedule remove` the old one first",
      });
    }
    const row = db
      .prepare(
        `INSERT INTO schedules (name, cron, config, timezone, job_options, next_due, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(
        schedule.name,
        schedule.cron,
        schedule.config,
        schedule.timezone,
        JSON.stringify(schedule.job),
        nextDue,
        now,
      ) as Row;
    return rowToSchedule(row);
  });
}

export function listSchedules(db: Db): Schedule[] {
  return (db.prepare("SELECT * FROM schedules ORDER BY seq").all() as Row[]).map(rowToSchedule);
}

export function removeSchedule(db: Db, nameOrId: string): Schedule {
  const match = /^sch-0*(\d+)$/.exec(nameOrId);
  const row = db
    .prepare("SELECT * FROM schedules WHERE name = ? OR seq = ?")
    .get(nameOrId, match ? Number(match[1]) : -1) as Row | undefined;
  if (!row) {
    throw new UsageError("schedule-not-found", `no schedule named or numbered "${nameOrId}"`, {
      hint: "`pipeline schedule list` shows them",
    });
  }
  db.prepare("DELETE FROM schedules WHERE seq = ?").run(row.seq as number);
  return rowToSchedule(row);
}

export interface Fired {
  schedule: Schedule;
  job: Job;
}

/**
 * Fires every schedule that is due at `now`: ONE job each, and next_due moves to the first occurrence
 * after `now` — so after downtime a schedule catches up once, never with a burst of missed runs. It
 * runs in an IMMEDIATE transaction: workers evaluating at the same time see next_due already moved and
 * never enqueue twice.
 */
export function evaluateSchedules(db: Db, now: number): Fired[] {
  return immediate(db, () => {
    const due = (db.prepare("SELECT * FROM schedules WHERE next_due <= ?").all(now) as Row[]).map(
      rowToSchedule,
    );
    const fired: Fired[] = [];
    for (const schedule of due) {
      const job = enqueue(db, { ...schedule.job, config: schedule.config, schedule: schedule.name }, now);
      // A pattern that never fires again stays in the table with a far next_due rather than vanishing.
      const next = nextOccurrence(schedule.cron, schedule.timezone, now) ?? Number.MAX_SAFE_INTEGER;
      db.prepare("UPDATE schedules SET next_due = ?, last_fired = ? WHERE seq = ?").run(
        next,
        now,
        schedule.seq,
      );
      fired.push({ schedule: { ...schedule, nextDue: next, lastFired: now }, job });
    }
    return fired;
  });
}
