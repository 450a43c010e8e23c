// The tight bare baseline for bench/dataset-validate.ts: read 4 MiB byte chunks, find each newline in
// the Buffer, decode the line and JSON.parse it. Nothing else — no validation, no UTF-8 check — so it
// is the fastest honest way to do the reading part of validate's work, and the ratio shows the rest.
import { closeSync, openSync, readSync } from "node:fs";

const CHUNK = 4 << 20;
const fd = openSync(process.argv[2], "r");
let buffer = Buffer.allocUnsafe(CHUNK);
let kept = 0; // bytes of a partial line carried over from the previous read
let rows = 0;
for (;;) {
  if (kept === buffer.length) {
    const bigger = Buffer.allocUnsafe(buffer.length * 2); // one line longer than the buffer
    buffer.copy(bigger, 0, 0, kept);
    buffer = bigger;
  }
  const read = readSync(fd, buffer, kept, buffer.length - kept, null);
  const end = kept + read;
  let from = 0;
  for (let newline = buffer.indexOf(10, from); newline >= 0 && newline < end;) {
    if (newline > from) {
      JSON.parse(buffer.toString("utf8", from, newline));
      rows++;
    }
    from = newline + 1;
    newline = buffer.indexOf(10, from);
  }
  if (read === 0) {
    if (end > from) {
      JSON.parse(buffer.toString("utf8", from, end));
      rows++;
    }
    break;
  }
  buffer.copy(buffer, 0, from, end);
  kept = end - from;
}
closeSync(fd);
console.log(JSON.stringify({ rows }));
