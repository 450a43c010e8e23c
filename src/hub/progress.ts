/** Bytes, rate and time left of a download, for a progress bar on a TTY or plain lines off one. */
export interface ProgressSnapshot {
  done: number;
  total: number;
  /** Bytes per second over the last few seconds. */
  rate: number;
  /** Seconds left at that rate; undefined before there is a rate. */
  eta: number | undefined;
}

export class ByteProgress {
  private done = 0;
  private samples: { at: number; done: number }[] = [];

  /** `startedAt`: when the work began, if before this meter was made (when the total became known). */
  constructor(
    readonly total: number,
    private readonly now: () => number = Date.now,
    startedAt = now(),
  ) {
    this.samples.push({ at: startedAt, done: 0 });
  }

  add(bytes: number): void {
    this.done += bytes;
  }

  snapshot(): ProgressSnapshot {
    const at = this.now();
    this.samples.push({ at, done: this.done });
    // A window of about five seconds: steady enough to read, recent enough to follow a stall.
    while (this.samples.length > 2 && at - this.samples[0]!.at > 5000) this.samples.shift();
    const first = this.samples[0]!;
    const seconds = (at - first.at) / 1000;
    const rate = seconds > 0 ? (this.done - first.done) / seconds : 0;
    const eta = rate > 0 ? (this.total - this.done) / rate : undefined;
    return { done: this.done, total: this.total, rate, eta };
  }
}

export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)} ${units[unit]}`;
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

/** `1.20 GB of 4.50 GB (27%), 105 MB/s, 31 s left` */
export function formatProgress(p: ProgressSnapshot): string {
  const percent = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 100;
  const rate = p.rate > 0 ? `, ${formatBytes(p.rate)}/s` : "";
  const eta = p.eta !== undefined && p.done < p.total ? `, ${formatSeconds(p.eta)} left` : "";
  return `${formatBytes(p.done)} of ${formatBytes(p.total)} (${percent}%)${rate}${eta}`;
}

/** Work quicker than this prints no progress; a line is redrawn at most this often (the last one always). */
const SHOW_AFTER_MS = 1000;
const REDRAW_MS = 100;

/**
 * Progress lines for work over bytes whose total is known once it starts (`validating FILE: 1.20 GB of 4.50 GB
 * (27%), 210 MB/s, 16 s left`): undefined while the work is younger than SHOW_AFTER_MS and between redraws.
 */
function progressLine(
  label: string,
  now: () => number,
  started: number,
): (done: number, total: number) => string | undefined {
  let meter: ByteProgress | undefined;
  let counted = 0;
  let drawnAt = -Infinity;
  return (done, total) => {
    meter ??= new ByteProgress(total, now, started);
    meter.add(done - counted);
    counted = done;
    const at = now();
    if (at - started < SHOW_AFTER_MS || (at - drawnAt < REDRAW_MS && done < total)) return undefined;
    drawnAt = at;
    return `${label}: ${formatProgress(meter.snapshot())}`;
  };
}

/**
 * progressLine for each step of the work on one file (`validating FILE`, then `formatting FILE`), each step timed
 * from its own start (the first from this call, a later one from the previous step's last report); `show` gets
 * the lines to print.
 */
export function stepProgress(
  file: string,
  show: (line: string) => void,
  now: () => number = Date.now,
): (step: string, done: number, total: number) => void {
  let current: { step: string; line: (done: number, total: number) => string | undefined } | undefined;
  let lastAt = now();
  return (step, done, total) => {
    if (current?.step !== step) current = { step, line: progressLine(`${step} ${file}`, now, lastAt) };
    const text = current.line(done, total);
    lastAt = now();
    if (text) show(text);
  };
}
