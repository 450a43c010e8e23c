import { stepProgress } from "../hub/progress.js";

/**
 * A progress line on a terminal (rewritten in place) or, off one, a plain line every few seconds, so logs
 * and CI show progress without thousands of lines.
 */
export function progressWriter(
  stream: NodeJS.WriteStream,
  everyMs = 5000,
  now: () => number = Date.now,
): { update: (line: string) => void; done: () => void } {
  let last = "";
  let printed = "";
  let lastAt = -Infinity;
  const tty = Boolean(stream.isTTY);
  return {
    update(line) {
      last = line;
      if (tty) return void stream.write(`\r\x1b[2K${line}`);
      if (now() - lastAt < everyMs) return;
      lastAt = now();
      printed = line;
      stream.write(`${line}\n`);
    },
    done() {
      if (tty && last) stream.write("\n");
      else if (last && last !== printed) stream.write(`${last}\n`);
    },
  };
}

/**
 * The progress of the steps of the work on one file (`validating FILE`, `formatting FILE`) on `stream` (stderr:
 * stdout holds the command's result), once a step has taken a second.
 */
export function fileProgress(file: string, stream: NodeJS.WriteStream, now: () => number = Date.now) {
  const writer = progressWriter(stream, 5000, now);
  return { report: stepProgress(file, writer.update, now), done: writer.done };
}
