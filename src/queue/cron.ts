import { Cron } from "croner";
import { UsageError, messageOf } from "../errors/index.js";

/** The first occurrence of `cron` strictly after `after` (epoch ms), or undefined when it never fires again. */
export function nextOccurrence(cron: string, timezone: string | null, after: number): number | undefined {
  const pattern = new Cron(cron, { paused: true, ...(timezone && { timezone }) });
  return pattern.nextRun(new Date(after))?.getTime();
}

/** Checks a cron expression and time zone up front: a bad one is refused with what was wrong (exit 2). */
export function checkCron(cron: string, timezone: string | null, now: number): number {
  let next: number | undefined;
  try {
    next = nextOccurrence(cron, timezone, now);
  } catch (error) {
    const what = timezone && /timezone/i.test(String(error)) ? `timezone "${timezone}"` : `cron "${cron}"`;
    throw new UsageError("bad-cron", `${what}: ${messageOf(error).replace(/^\w+: /, "")}`, {
      hint: 'five fields: minute hour day-of-month month day-of-week, e.g. "0 3 * * *" (03:00 daily); time zones are IANA names such as Europe/Paris',
    });
  }
  if (next === undefined) {
    throw new UsageError("bad-cron", `cron "${cron}": never fires after ${new Date(now).toISOString()}`);
  }
  return next;
}
